"""Screening worksheets: the unique records awaiting one reviewer's decision at one stage.

Each worksheet is written as XLSX (a drop-down on the decision column, DOIs as links) and as CSV,
with the columns of the decisions table first so that a filled-in sheet is read back as it is.
Text from the exports is written so that a spreadsheet never runs it as a formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from evsynth.fileio import write_csv
from evsynth.xlsx import save_workbook

TITLE_ABSTRACT_DECISIONS = ["include", "exclude", "maybe"]
FULL_TEXT_DECISIONS = ["include", "exclude", "not_retrieved"]
RECORD_COLUMNS = ["title", "abstract", "authors", "year", "journal", "doi"]
WIDTHS = {"cluster_id": 28, "reviewer": 9, "stage": 14, "decision": 13, "note": 30, "exclusion_reason": 28,
          "study_id": 10, "draw": 6, "priority": 8, "relevance": 10, "basis": 40, "title": 60, "abstract": 80, "authors": 30, "year": 6, "journal": 30, "doi": 30}


def _authors(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, str):
        return value
    return "; ".join(str(author) for author in value)


def worksheet_frame(unique: pd.DataFrame, cluster_ids: Sequence[str], reviewer: str, stage: str,
                    ranking: pd.DataFrame | None = None, draws: Sequence[int] | None = None) -> pd.DataFrame:
    """The rows of one worksheet: decision columns (empty) first, then the record's fields.

    ``ranking`` (``cluster_id, priority, relevance, basis`` in the rows' order) adds those columns
    after the decision columns: the reader sees why a record comes where it does. ``draws`` adds the
    stopping sample's draw numbers (kept when the filled-in sheet is read back).
    """
    records = unique.set_index("cluster_id").loc[list(cluster_ids)]
    if stage == "full_text":
        decision_columns = ["cluster_id", "reviewer", "decision", "exclusion_reason", "study_id", "note"]
    else:
        decision_columns = ["cluster_id", "reviewer", "stage", "decision", "note"]
    frame = pd.DataFrame({"cluster_id": list(cluster_ids)})
    frame["reviewer"] = reviewer
    if "stage" in decision_columns:
        frame["stage"] = stage
    for column in decision_columns[len(frame.columns):]:
        frame[column] = ""
    if draws is not None:
        frame["draw"] = [str(n) for n in draws]
    if ranking is not None:
        if list(ranking["cluster_id"]) != list(cluster_ids):
            raise ValueError("the ranking's rows are not the worksheet's")
        frame["priority"] = list(ranking["priority"])
        frame["relevance"] = ["" if v is None or pd.isna(v) else f"{v:.6f}" for v in ranking["relevance"]]
        frame["basis"] = list(ranking["basis"])
    for column in RECORD_COLUMNS:
        values = records[column] if column in records.columns else pd.Series([None] * len(records))
        values = list(values)
        if column == "authors":
            values = [_authors(v) for v in values]
        frame[column] = ["" if v is None or (not isinstance(v, (list, tuple)) and pd.isna(v)) else v
                         for v in values]
    frame["year"] = [str(int(y)) if y != "" else "" for y in frame["year"]]
    return frame


def write_worksheet(frame: pd.DataFrame, xlsx_path: str | Path, csv_path: str | Path, stage: str) -> None:
    """Write one worksheet as XLSX (drop-down, links, text kept as text) and as CSV."""
    write_csv(frame, csv_path)  # write_csv keeps text starting like a formula as text
    choices = FULL_TEXT_DECISIONS if stage == "full_text" else TITLE_ABSTRACT_DECISIONS
    book = Workbook()
    sheet = book.active
    sheet.title = stage[:31]
    columns = list(frame.columns)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, values in enumerate(frame.itertuples(index=False), start=2):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                # openpyxl stores a string starting with "=" as a formula unless told it is text.
                cell.data_type = "s"
            if columns[c - 1] == "doi" and value:
                cell.hyperlink = f"https://doi.org/{value}"
                cell.font = Font(color="0563C1", underline="single")
            if columns[c - 1] in ("title", "abstract"):
                cell.alignment = Alignment(wrap_text=False, vertical="top")
    last_row = max(len(frame) + 1, 2)
    decision_letter = sheet.cell(row=1, column=columns.index("decision") + 1).column_letter
    validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="Decision",
                                error="Choose one of: " + ", ".join(choices))
    validation.add(f"{decision_letter}2:{decision_letter}{max(last_row, 1000)}")
    sheet.add_data_validation(validation)
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = WIDTHS.get(column, 15)
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=1, column=len(columns)).column_letter}{last_row}"
    save_workbook(book, xlsx_path)

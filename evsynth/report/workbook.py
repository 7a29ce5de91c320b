"""The supplementary tables a journal asks for: one XLSX sheet per table, the same bytes every run.

Sheets (each only when its stage ran): identification per search; characteristics of included
studies and their counts; quality per study and item; themes with the papers coded to each (as a
review's online resource lists them); the robustness analyses, their rankings, leave-one-out and
bootstrap. Headers are frozen and bold, columns sized to their text, numbers stored as numbers
and every other cell as text (never a formula).
"""

from __future__ import annotations

import re

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from evsynth.report.characteristics import characteristics_counts
from evsynth.report.load import Results

MAX_WIDTH = 60
NUMBER = re.compile(r"^-?(0|[1-9]\d*)(\.\d+)?$")


def _cell_value(text: object) -> object:
    """A number where the stage wrote one (ids such as 'S01' or '007' stay text)."""
    if not isinstance(text, str):
        return text
    if NUMBER.match(text):
        return float(text) if "." in text else int(text)
    return text


def quality_wide(items: pd.DataFrame, scores: pd.DataFrame) -> pd.DataFrame:
    """One row per study: its checklist, the answer to each item, points, scored items, percent, grade."""
    answers = items.assign(item=items["item"].astype(int)).pivot(index="study_id", columns="item", values="answer")
    answers.columns = [f"item {i}" for i in answers.columns]
    wide = scores.merge(answers.fillna("").reset_index(), on="study_id", how="left")
    item_columns = [c for c in wide.columns if c.startswith("item ")]
    return wide[["study_id", "checklist", *item_columns, "yes", "scored_items", "percent", "grade"]]


def themes_with_papers(results: Results) -> pd.DataFrame:
    strength = results.tables["theme_strength"]
    papers = {r["code_id"]: r["studies_counted"] for r in results.audit}
    rows = []
    for row in strength.to_dict("records"):
        counted = papers.get(row["code_id"], [])
        rows.append({"code_id": row["code_id"], "theme": row["theme"], "level": row["level"],
                     "parent": row.get("parent", ""), "n": row["n"], "N": row["N"], "percent": row["percent"],
                     "ci_low": row["ci_low"], "ci_high": row["ci_high"], "rank": row["rank_label"],
                     "direction": row["direction"], "flagged": row["flagged"], "cfir_domains": row["cfir_domains"],
                     "study_ids": "; ".join(s["study_id"] for s in counted),
                     "citations": "; ".join(s["citation"] for s in counted)})
    return pd.DataFrame(rows)


def sheets_of(results: Results, sections: dict) -> list[tuple[str, pd.DataFrame]]:
    t = results.tables
    sheets = [("Identification", t["identification"])]
    if "studies" in sections:
        sheets += [("Included studies", sections["studies"]["table"]),
                   ("Study counts", characteristics_counts(sections["studies"]["table"]))]
    if "quality" in sections and "casp_items" in t:
        sheets += [("Quality", quality_wide(t["casp_items"], t["casp_scores"])), ("Quality items", t["casp_items"])]
    if "synthesis" in sections:
        sheets.append(("Themes", themes_with_papers(results)))
    if "robustness" in sections:
        sheets += [("Robustness", t["robustness_summary"]), ("Robustness analyses", t["robustness_analyses"]),
                   ("Leave one out", t["leave_one_out"]), ("Bootstrap", t["bootstrap"])]
    return sheets


def _width(values: list[str]) -> float:
    longest = max((len(line) for v in values for line in str(v).splitlines() or [""]), default=0)
    return min(MAX_WIDTH, max(8, longest + 2))


def supplementary_workbook(results: Results, sections: dict) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    for title, frame in sheets_of(results, sections):
        sheet = book.create_sheet(title[:31])
        columns = [str(c) for c in frame.columns]
        sheet.append(columns)
        for values in frame.astype(object).itertuples(index=False):
            sheet.append([_cell_value("" if value is None or (isinstance(value, float) and pd.isna(value)) else value)
                          for value in values])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text that starts with '=' stays text, not a formula
        for index, column in enumerate(columns, start=1):
            sample = [column, *[str(v) for v in frame.iloc[:, index - 1]]]
            sheet.column_dimensions[get_column_letter(index)].width = _width(sample)
        sheet.freeze_panes = "A2"
        if len(frame):
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(frame) + 1}"
    return book

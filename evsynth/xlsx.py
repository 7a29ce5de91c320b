"""Workbooks: what evsynth checks before reading a person's .xlsx, and how it writes its own.

Reading: a workbook whose XML declares entities is refused (Excel and LibreOffice never write a
DTD; one is how an entity-expansion bomb gets in), and a formula is read through the value the
spreadsheet saved with it. A workbook written by a script (openpyxl, pandas) saves no values, so a
formula there would read as an empty cell: that is an error, never a silently empty decision.

Writing: ``save_workbook`` gives every workbook fixed dates, so a rerun writes the same bytes.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from evsynth.errors import InputError

_DTD = re.compile(rb"<!DOCTYPE|<!ENTITY")
_XML_PARTS = (".xml", ".rels", ".vml")


def entity_declaring_part(data_or_path: bytes | str | Path) -> str | None:
    """The first XML part of a workbook that declares a DTD or entities, or None."""
    import io

    source = io.BytesIO(data_or_path) if isinstance(data_or_path, bytes) else data_or_path
    try:
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                if info.filename.lower().endswith(_XML_PARTS):
                    with archive.open(info) as part:
                        # A DTD can only stand before the root element, but a bomb can pad that far.
                        if _DTD.search(part.read()):
                            return info.filename
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return None


def entity_error(path: object, part: str) -> InputError:
    return InputError(path, f"declares XML entities (a DOCTYPE in {part}), which Excel and LibreOffice never write: "
                            "an entity expansion attack ('billion laughs') would make reading it use gigabytes of "
                            "memory, so it is not read",
                      expected="the table saved again by Excel or LibreOffice (or as CSV) from a trusted copy")


def refuse_entities(path: str | Path) -> None:
    part = entity_declaring_part(path)
    if part:
        raise entity_error(path, part)


@dataclass(frozen=True)
class FormulaCell:
    sheet: str
    cell: str  # e.g. "D3"
    row: int
    column: int  # 1-based
    formula: str
    saved: object  # the value the spreadsheet saved with it; None when there is none


def formula_cells(path: str | Path) -> list[FormulaCell]:
    """Every formula on the first sheet (the one tables are read from), with its saved value."""
    import openpyxl

    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheet = formulas.worksheets[0]
        found = [(cell.row, cell.column, cell.coordinate, str(cell.value))
                 for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
        title = sheet.title
    finally:
        formulas.close()
    if not found:
        return []
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        wanted = {(row, column) for row, column, _, _ in found}
        saved = {(cell.row, cell.column): cell.value for row in values.worksheets[0].iter_rows()
                 for cell in row if (getattr(cell, "row", None), getattr(cell, "column", None)) in wanted}
    finally:
        values.close()
    return [FormulaCell(sheet=title, cell=coordinate, row=row, column=column, formula=formula,
                        saved=saved.get((row, column))) for row, column, coordinate, formula in found]


def check_formulas(path: str | Path, header: list[str]) -> list[FormulaCell]:
    """The formula cells of a table, all with saved values; an InputError at the first that has none."""
    cells = formula_cells(path)
    unsaved = [cell for cell in cells if cell.saved is None or cell.saved == ""]
    if unsaved:
        first = unsaved[0]
        more = f" ({len(unsaved)} such cells: {', '.join(c.cell for c in unsaved)})" if len(unsaved) > 1 else ""
        field = header[first.column - 1] if first.column <= len(header) and header[first.column - 1] else None
        raise InputError(path, f"cell {first.cell} of sheet '{first.sheet}' holds the formula {first.formula} but "
                               f"no saved value{more}", row=first.row, field=field,
                         expected="values, not formulas: open and save the workbook in Excel or LibreOffice (they "
                                  "save each formula's result; files written by scripts do not), or paste the "
                                  "cells as values")
    return cells


# Excel holds at most 32,767 characters in a cell.
CELL_LIMIT = 32000


def _cell_value(value: object) -> object:
    import numpy as np
    import pandas as pd

    if isinstance(value, (list, tuple, np.ndarray)):
        return "; ".join(map(str, value))[:CELL_LIMIT]
    if value is None or pd.isna(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    return value[:CELL_LIMIT] if isinstance(value, str) else value


def table_workbook(frame, sheet_name: str):
    """An openpyxl workbook holding ``frame`` on one sheet: header in row 1, text always as text.

    openpyxl stores a string starting with "=" as a formula unless told it is text, so a title from
    an export can never become a live formula in a sheet a person opens.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = sheet_name[:31]
    sheet.append([str(column) for column in frame.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.data_type = "s"
    for r, values in enumerate(frame.itertuples(index=False), start=2):
        for c, value in enumerate(values, start=1):
            value = _cell_value(value)
            if value is None:
                continue
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"
    return book


def write_table_xlsx(frame, path: str | Path, sheet_name: str) -> None:
    """``frame`` as a one-sheet workbook, atomically and byte-identical from run to run."""
    save_workbook(table_workbook(frame, sheet_name), path)


FIXED_TIME = "2000-01-01T00:00:00Z"


def save_workbook(book, path: str | Path) -> None:
    """Save an openpyxl workbook atomically with fixed dates, so reruns write the same bytes.

    openpyxl stamps the save time into docProps/core.xml and into the zip entries' headers.
    """
    from evsynth.fileio import atomic_path

    with atomic_path(path) as tmp:
        book.save(tmp)
        _fix_timestamps(tmp)


def _fix_timestamps(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + FIXED_TIME.encode(), data)
            archive.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)

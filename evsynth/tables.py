"""Reading the tables people fill in, validated row by row against their schemas.

Each schema in ``workflow/schemas/`` describes one row. Errors name the file, the spreadsheet row
(the header is row 1), the column, the value found and what was expected.
"""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pandas as pd
import yaml

from evsynth.errors import InputError
from evsynth.fileio import csv_unsafe
from evsynth.headers import refuse_repeated_columns
from evsynth.paths import SCHEMAS
from evsynth.xlsx import check_formulas, refuse_entities


@functools.cache
def load_schema(name: str) -> dict:
    with open(SCHEMAS / f"{name}.schema.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


XLSX_SUFFIXES = (".xlsx", ".xlsm")


def read_raw_table(path: str | Path) -> pd.DataFrame:
    """A person's CSV or XLSX table as text ('' for an empty cell), column names stripped and lower-cased.

    Refused with an InputError naming the file: a column named twice (ignoring case and spaces), a
    formula without a saved value, a workbook declaring XML entities. ``attrs["formula_cells"]``
    lists the formula cells read through their saved values (e.g. ``["D3"]``).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file does not exist", expected="a CSV or XLSX file")
    is_xlsx = path.suffix.lower() in XLSX_SUFFIXES
    try:
        if is_xlsx:
            refuse_entities(path)
            raw = pd.read_excel(path, header=None, dtype=str, keep_default_na=False, engine="openpyxl")
        else:
            raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except pd.errors.EmptyDataError:
        raw = pd.DataFrame()
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError, zipfile.BadZipFile, ElementTree.ParseError) \
            as error:
        raise InputError(path, f"cannot be read as a table ({error})",
                         expected="a CSV (UTF-8, comma-separated) or XLSX file") from None
    if raw.empty:
        raise InputError(path, "the file is empty", expected="a header row naming the columns")
    header = ["" if pd.isna(name) else str(name) for name in raw.iloc[0]]
    names = [name.strip().lower() or f"unnamed: {index}" for index, name in enumerate(header)]
    refuse_repeated_columns(path, header, names)
    frame = raw.iloc[1:].reset_index(drop=True)
    frame.columns = names
    if is_xlsx:
        frame.attrs["formula_cells"] = [cell.cell for cell in check_formulas(path, names)]
        return frame
    frame = text_as_written(frame)
    frame.attrs["formula_cells"] = []
    return frame


def text_as_written(frame: pd.DataFrame) -> pd.DataFrame:
    """A CSV's cells without the apostrophe ``fileio.write_csv`` put before text starting like a formula.

    A spreadsheet reads a leading apostrophe the same way (it marks the cell as text), so a table a
    person saved keeps what they typed.
    """
    for column in frame.columns:
        values = frame[column]
        if values.dtype == object and values.str.startswith("'", na=False).any():
            frame[column] = values.map(csv_unsafe)
    return frame


def _coerce(value: str, spec: dict) -> object:
    """Turn the cell text into the schema's type where it says integer or number."""
    kind = spec.get("type")
    if kind == "integer":
        try:
            number = float(value)
        except ValueError:
            return value
        return int(number) if number.is_integer() else value
    if kind == "number":
        try:
            return float(value)
        except ValueError:
            return value
    if "enum" in spec:
        return value.strip().lower() if value.strip().lower() in [str(v) for v in spec["enum"]] else value
    return value


def _expected(error: jsonschema.ValidationError, spec: dict) -> str:
    if "description" in spec:
        return spec["description"]
    return error.message


def read_table(path: str | Path, schema_name: str) -> pd.DataFrame:
    """Read a CSV/XLSX table and validate every row; returns strings with empty cells as ''.

    ``attrs["formula_cells"]`` lists the cells read through a formula's saved value.
    """
    path = Path(path)
    schema = load_schema(schema_name)
    properties = schema.get("properties", {})
    frame = read_raw_table(path)
    formula_cells = frame.attrs["formula_cells"]
    missing = [column for column in schema.get("required", []) if column not in frame.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)} (found: {', '.join(frame.columns)})",
                         row=1, expected=f"a header with {', '.join(schema.get('required', []))}")
    validator = jsonschema.Draft202012Validator(schema)
    frame = frame.apply(lambda column: column.str.strip())
    for index, row in enumerate(frame.to_dict("records")):
        cells = {key: _coerce(value, properties.get(key, {})) for key, value in row.items() if value != ""}
        error = jsonschema.exceptions.best_match(validator.iter_errors(cells))
        if error is None:
            continue
        if error.validator == "required":
            field = error.message.split("'")[1]
            raise InputError(path, f"'{field}' is empty", row=index + 2, field=field,
                             expected=properties.get(field, {}).get("description", "a value"))
        field = str(error.path[0]) if error.path else None
        spec = properties.get(field, {}) if field else {}
        raise InputError(path, f"value '{row.get(field, '')}' is not allowed", row=index + 2, field=field,
                         expected=_expected(error, spec))
    for column, spec in properties.items():
        if column in frame.columns and spec.get("type") == "integer":
            frame[column] = pd.array([None if v == "" else int(float(v)) for v in frame[column]], dtype="Int64")
        elif column in frame.columns and "enum" in spec:
            frame[column] = frame[column].str.lower()
    frame.attrs["formula_cells"] = formula_cells
    return frame


def read_stage_table(path: str | Path, columns: list[str] | tuple[str, ...], made_by: str) -> pd.DataFrame:
    """A table an earlier stage wrote (strings, empty cells as ''), with the columns this stage needs.

    ``made_by`` says which stage or command writes it, for the message when it is missing.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file does not exist", expected=made_by)
    frame = text_as_written(pd.read_csv(path, dtype=str, keep_default_na=False))
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise InputError(path, f"missing column(s) {', '.join(missing)}", row=1, field=missing[0],
                         expected=f"{made_by}, with columns {', '.join(columns)}")
    return frame

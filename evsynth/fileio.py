"""Writing outputs so that a failed run never leaves a partial file behind."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from evsynth.errors import OutputError

if TYPE_CHECKING:  # pandas is imported where a table is written: the export readers need only csv_unsafe
    import pandas as pd


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it into place only if the block succeeds.

    A failure to write (a full disk, a directory that cannot be made) is an ``OutputError`` naming
    ``path``, the file being written, rather than the temporary file or no file at all.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        os.close(fd)
    except OSError as error:
        raise OutputError(target, error) from None
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        # mkstemp creates the file private (0600); give it the mode a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)
        os.replace(tmp_path, target)
    except OSError as error:
        if error.filename not in (None, str(tmp_path), str(target)):
            raise  # about some other file the block touched: not ours to rename
        raise OutputError(target, error) from None
    finally:
        if os.path.lexists(tmp_path):
            tmp_path.unlink()


# CSV injection (OWASP): a cell starting with one of these is a formula (or DDE) to Excel,
# LibreOffice and Google Sheets. Such text is written with a leading apostrophe, which a spreadsheet
# takes as "this cell is text" and does not show. Text already starting with apostrophes before one
# of them gets one more, so that ``csv_unsafe`` gives back exactly what was written. A number
# ("-0.5") is left alone: a spreadsheet reads it as the number it is.
# Hand-written: defusedcsv wraps the csv module (our tables go through pandas) and rewrites "|".
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LOOKED_AT = ("'", *FORMULA_STARTS)
_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def csv_safe(value: object) -> object:
    """``value`` as written to a CSV: text a spreadsheet would run as a formula gets a leading ``'``.

    A carriage return inside text becomes a line feed: Python's csv module quotes a cell holding a
    line feed, not one holding a lone carriage return, where a spreadsheet would start a new row.
    """
    if not isinstance(value, str):
        return value
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _FORMULA.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_unsafe(value: object) -> object:
    """The text ``csv_safe`` was given (reading back a CSV that evsynth, or OWASP's advice, wrote)."""
    if isinstance(value, str) and value.startswith("'") and _FORMULA.match(value, 1):
        return value[1:]
    return value


def _spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``csv_safe`` applied to its header and text cells (the caller's frame is untouched)."""
    import pandas as pd

    safe = frame.copy(deep=False)
    for position in range(frame.shape[1]):
        values = frame.iloc[:, position]
        arrow_text = isinstance(values.dtype, pd.ArrowDtype) and str(values.dtype).startswith(("string", "large_string"))
        if values.dtype != object and not isinstance(values.dtype, pd.StringDtype) and not arrow_text:
            continue  # numbers, booleans, dates: nothing a spreadsheet would run
        cells = values.to_numpy(dtype=object)
        # Only the few cells that start with a formula character or an apostrophe, or hold a carriage
        # return, are looked at.
        flagged = [i for i, v in enumerate(cells) if isinstance(v, str) and (v.startswith(_LOOKED_AT) or "\r" in v)]
        if flagged:
            cells = cells.copy()
            cells[flagged] = [csv_safe(cells[i]) for i in flagged]
            safe.isetitem(position, cells)
    safe.columns = [csv_safe(str(column)) for column in frame.columns]
    return safe


def write_csv(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    """Every CSV evsynth writes: atomically, UTF-8, "\\n" line ends, text kept as text in a spreadsheet."""
    safe = _spreadsheet_safe(frame)
    with atomic_path(path) as tmp:
        if _plain_columns(safe):
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                _write_csv_rows(safe, handle)
        else:
            safe.to_csv(tmp, index=False, lineterminator="\n")


# Rows converted to cells at a time: a large table's cells never exist all at once as Python values.
CSV_SLICE_ROWS = 50_000


def _plain_columns(frame: pd.DataFrame) -> bool:
    """Whether ``_write_csv_rows`` writes ``frame``: one header row, columns of text, numbers or
    booleans (numpy, Arrow or pandas' nullable ones); dates, categories and the like are left to
    pandas."""
    import numpy as np
    import pandas as pd

    if frame.shape[1] == 0 or isinstance(frame.columns, pd.MultiIndex):
        return False
    for dtype in frame.dtypes:
        if isinstance(dtype, np.dtype):
            plain = dtype.kind in "biufO"
        elif isinstance(dtype, pd.ArrowDtype):
            plain = dtype.kind in "UOiub"  # text, lists, integers, booleans (not floats or dates)
        else:
            plain = isinstance(dtype, (pd.StringDtype, pd.BooleanDtype)) or (
                isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iu"
                and not isinstance(dtype, pd.CategoricalDtype))
        if not plain:
            return False
    return True


def _write_csv_rows(frame: pd.DataFrame, handle) -> None:
    """``frame.to_csv(handle, index=False, lineterminator="\\n")``'s bytes (for ``write_csv``, whose
    frames have text column names), written faster.

    The cells are what pandas hands the csv module (``pandas.core.indexes.base.get_values_for_csv``:
    a float as numpy's ``str``, a missing value as '', anything else as it is), and the lines are
    the csv module's in pandas' dialect. pandas formats every float one by one (the scores and
    similarities of a deduplication repeat: here each distinct float is formatted once) and the csv
    module copies text a character at a time (here a cell is looked at with ``in`` and joined).
    """
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(list(frame.columns))
    for start in range(0, len(frame), CSV_SLICE_ROWS):
        part = frame.iloc[start:start + CSV_SLICE_ROWS]
        cells, texts, odd = [], [], set()
        for k in range(part.shape[1]):
            column, numbers = _csv_cells(part.iloc[:, k])
            cells.append(column)
            # numbers are written as they are (no comma, quote or line end in them)
            texts.append(column if numbers else _csv_texts(column, odd))
        lines = [",".join(row) for row in zip(*texts)]
        del texts
        if part.shape[1] == 1:  # a one-column row's empty cell is written "" (an empty line is no row)
            odd.update(k for k, line in enumerate(lines) if not line)
        if odd:  # rows with a cell the csv module itself must write
            rows = list(zip(*cells))
            for k in odd:
                buffer = io.StringIO()
                csv.writer(buffer, lineterminator="\n").writerow(rows[k])
                lines[k] = buffer.getvalue()[:-1]
        if lines:
            handle.write("\n".join(lines) + "\n")


def _csv_texts(cells: list, odd: set) -> list[str]:
    """How the csv module (QUOTE_MINIMAL, doubled quotes, "\\n" line ends) writes each cell: as it
    is, or quoted where it holds a comma, a quote or a line feed. Where that rule may not be the
    csv module's, the row's position goes into ``odd``: a cell neither text nor an integer (a float
    is written by its repr), a carriage return (quoted or not depending on Python's version)."""
    out = []
    for k, cell in enumerate(cells):
        kind = type(cell)
        if kind is str:
            if "," in cell or '"' in cell or "\n" in cell:
                cell = '"' + cell.replace('"', '""') + '"'
            elif "\r" in cell:
                odd.add(k)
        elif kind is int or kind is bool:
            cell = str(cell)
        else:
            odd.add(k)
            cell = ""
        out.append(cell)
    return out


def _csv_cells(column: pd.Series) -> tuple[list, bool]:
    """The cells of one column as pandas hands them to the csv module (``frame.to_csv``), and
    whether they are numbers already written as text (numpy floats, integers and booleans)."""
    import numpy as np
    import pandas as pd

    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        numbers = column.to_numpy()
        # distinct by bit pattern (0.0 and -0.0 print differently), each printed once
        bits = numbers.view(np.dtype(f"u{numbers.dtype.itemsize}"))
        distinct, inverse = np.unique(bits, return_inverse=True)
        floats = distinct.view(numbers.dtype)
        text = floats.astype(str).astype(object)
        text[np.isnan(floats)] = ""
        return text[inverse.reshape(-1)].tolist(), True
    if isinstance(dtype, np.dtype) and dtype.kind in "biu":
        return column.to_numpy().astype(str).tolist(), True  # str() of each: '12', 'True'
    if isinstance(dtype, np.dtype):
        cells = column.to_numpy(dtype=object)
        missing = pd.isna(cells)
    else:
        cells = np.asarray(column.array.astype(object))
        missing = column.isna().to_numpy()
    if missing.any():
        cells = cells.copy()
        cells[missing] = ""
    return cells.tolist(), False


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

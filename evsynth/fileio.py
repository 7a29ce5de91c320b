"""Writing outputs so that a failed run never leaves a partial file behind."""

from __future__ import annotations

import contextlib
import hashlib
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
        safe.to_csv(tmp, index=False, lineterminator="\n")


def write_parquet(frame: pd.DataFrame, path: str | os.PathLike) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def sha256_of(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()

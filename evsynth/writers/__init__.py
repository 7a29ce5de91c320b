"""Writers of records, beside the readers: RIS, BibTeX and CSV (as ASReview and Rayyan import it).

``write_records(records, path)`` writes a records table (a DataFrame with the columns of
``records.FIELDS``, or the readers' dicts) in the format the file name's extension names;
``format_records`` returns the text. Each writer's module lists the fields it carries and where;
what evsynth's reader of that format takes back is tested (``tests/test_writers.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

from evsynth.errors import InputError
from evsynth.fileio import atomic_path
from evsynth.writers.bibtex import records_bibtex
from evsynth.writers.ris import records_ris, ris_pieces
from evsynth.writers.tabular import records_csv

FORMATS = {"ris": records_ris, "bibtex": records_bibtex, "csv": records_csv}
# Formats whose text is made a slice of records at a time (the same text as FORMATS' in pieces).
_PIECES = {"ris": ris_pieces}
_EXTENSIONS = {".ris": "ris", ".bib": "bibtex", ".bibtex": "bibtex", ".csv": "csv"}


def format_of(path: str | os.PathLike) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise InputError(path, f"no writer for files ending '{suffix}'", field="format",
                         expected="a file name ending " + ", ".join(_EXTENSIONS))
    return _EXTENSIONS[suffix]


def format_records(records, fmt: str) -> str:
    """The text of ``records`` in ``fmt`` (ris, bibtex or csv)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of: {', '.join(FORMATS)}")
    return FORMATS[fmt](records)


def write_records(records, path: str | os.PathLike, fmt: str | None = None) -> None:
    """Write ``records`` to ``path`` (UTF-8), in ``fmt`` or the format its extension names; the file
    appears whole or not at all."""
    fmt = fmt or format_of(path)
    pieces = _PIECES[fmt](records) if fmt in _PIECES else [format_records(records, fmt)]
    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as handle:
        for piece in pieces:
            handle.write(piece)


__all__ = ["FORMATS", "format_of", "format_records", "write_records"]

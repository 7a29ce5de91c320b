"""Search-export readers: one list of records dicts (keys from ``records.FIELDS``) per file.

The format is detected from the content; the file name's extension only breaks ties (a file
whose content matches no format is read by the reader its extension names, which then says
what it expected). ``read_export`` raises only ``InputError`` for bad input.
"""

from __future__ import annotations

import gc
import os
import re
from pathlib import Path

from evsynth.errors import InputError
from evsynth.readers import (
    bibtex,
    endnote_tagged,
    endnote_xml,
    medline,
    proquest_text,
    ris,
    scopus_csv,
    tabular,
    wos,
)
from evsynth.readers.markup import for_display
from evsynth.readers.parallel import beside, error_fields, error_from, handed_back, split_point
from evsynth.readers.text import OLE_MAGIC, ZIP_MAGIC, decode_bytes, head_lines, read_bytes
from evsynth.records import Records

FORMATS = ("ris", "bibtex", "medline", "wos", "wos_tab", "scopus_csv", "csv", "xlsx", "endnote_xml", "endnote",
           "proquest")

_EXTENSIONS = {
    ".ris": "ris", ".bib": "bibtex", ".bibtex": "bibtex", ".nbib": "medline", ".medline": "medline",
    ".csv": "csv", ".tsv": "csv", ".tab": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xlsx",
    ".xml": "endnote_xml", ".enw": "endnote", ".enl": "endnote",
}
# The text formats read by ``_read_text`` (BibTeX, EndNote XML and CSV split their own work: ``_read_export``).
_TEXT_READERS = {
    "ris": ris.parse,
    "medline": medline.parse,
    "wos": wos.parse,
    "wos_tab": wos.parse_tab,
    "scopus_csv": scopus_csv.parse,
    "endnote": endnote_tagged.parse,
    "proquest": proquest_text.parse,
}
_HEAD_LINES = 200

_RIS_TAG = re.compile(r"[A-Z][A-Z0-9]  -( |$)")
_MEDLINE_FIRST = re.compile(r"PMID- ?\d")
_WOS_TAG = re.compile(r"[A-Z][A-Z0-9]( |$)")
_BIBTEX_ENTRY = re.compile(r"\s*@\s*[A-Za-z]+\s*[{(]")


def _unsupported(path: object, fmt: str) -> InputError:
    return InputError(path, f"unknown export format '{fmt}'", field="format",
                      expected="one of: auto, " + ", ".join(FORMATS))


def _unrecognised(path: object, first_line: str) -> InputError:
    # The file's text is not quoted: a file that is no export may hold anything (a path in the config
    # pointing at a password file must not print it).
    return InputError(
        path, "the export format could not be recognised from the content (its first lines open no "
              "format evsynth reads; the text is not shown)",
        expected="one of the supported formats: " + ", ".join(FORMATS)
        + " (RIS records start 'TY  - ', PubMed MEDLINE 'PMID- ', Web of Science 'FN'/'PT ', "
          "BibTeX '@article{', EndNote '%0 '/'%T ' or '<xml><records>', ProQuest 'Document 1 of N', "
          "CSV/TSV a header row with a title column)")


def _detect_text(text: str) -> str | None:
    # Before the lines are looked at: EndNote writes its XML on one line, which head_lines would copy whole.
    if endnote_xml.looks_like(text[:4000]):
        return "endnote_xml"
    lines = []
    for line in head_lines(text, _HEAD_LINES):
        if line.strip():
            lines.append(line)
    if not lines:
        return None
    first = lines[0]
    if proquest_text.looks_like(lines):
        return "proquest"
    if endnote_tagged.looks_like(lines):
        return "endnote"
    if wos.looks_like_tab(first):
        return "wos_tab"
    if _MEDLINE_FIRST.match(first):
        return "medline"
    if first.startswith("FN ") and any(line.startswith("PT ") for line in lines[:10]) \
            or first.startswith("FN Clarivate") or first.startswith("FN Thomson"):
        return "wos"
    if first.startswith("PT ") and len(lines) > 1 and all(_WOS_TAG.match(line) or line.startswith("   ")
                                                           for line in lines[:5]):
        return "wos"
    for line in lines:
        if _RIS_TAG.match(line):
            if line.startswith("TY  -"):
                return "ris"
            break
    header = tabular.find_header_line(text)
    if header is not None:
        line, delimiter = header
        names = {tabular.normalise_header(name) for name in head_lines(text, line + 1)[line].split(delimiter)}
        if "eid" in names and "source title" in names and line == 0:
            return "scopus_csv"
        return "csv"
    delimiter = tabular.sniff_delimiter(text)
    names = {tabular.normalise_header(name) for name in first.split(delimiter)}
    if names & set(tabular.TITLE_NAMES):
        return "csv"
    if any(_BIBTEX_ENTRY.match(line) for line in lines):
        return "bibtex"
    if len(names) > 1:
        return "csv"
    return None


def detect(data: bytes, path: object) -> tuple[str, str | None]:
    """(format, decoded text or None for binary formats)."""
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):  # .xlsx, or .xls (Web of Science)
        return "xlsx", None
    text = decode_bytes(data, path)
    found = _detect_text(text)
    if found is None:
        found = _EXTENSIONS.get(Path(str(path)).suffix.lower())
        if found is None or found == "xlsx":
            raise _unrecognised(path, next((line for line in text.split("\n") if line.strip()), ""))
    return found, text


def detect_format(path: str | Path) -> str:
    """The export format of a file, from its content (the extension only breaks ties)."""
    return detect(read_bytes(path), path)[0]


# Where a record starts, for the tagged formats read in two halves: the second half begins at the
# first such line after the middle of the text (BibTeX and EndNote XML split their own text).
_RECORD_START = {
    "ris": re.compile(r"\n(?=TY  -)"),
    "medline": re.compile(r"\n(?=PMID- ?\d)"),
    "wos": re.compile(r"\n(?=PT )"),
    "endnote": re.compile(r"\n[ \t]*\n(?=%\S )"),  # a blank line, then a record's first tag
    "proquest": re.compile(r"\n(?=_{20,}[ \t]*\n)"),
}
# Above this size (about 20,000 records) the second half is read in a second process: on 2 cores
# that halves the time of the reading, which is most of an ingest.
PARALLEL_CHARS = 20_000_000


def _read_half(fmt: str, text: str, path: str) -> tuple:
    """Worker: (columns of the records for display, error fields or None) of the text of whole records."""
    gc.disable()  # as read_export does
    try:
        return handed_back(_TEXT_READERS[fmt](text, path), for_display), None
    except InputError as error:
        return None, error_fields(error)


def _read_text(fmt: str, text: str, path: object) -> Records:
    """A text export's records for display: a large tagged one in two halves, the second in a second process."""
    start = _RECORD_START.get(fmt)
    cut = None
    if start is not None and len(text) > PARALLEL_CHARS and (os.cpu_count() or 1) > 1:
        found = start.search(text, split_point(len(text)))
        cut = found.end() if found else None
    if cut is None:
        return Records([for_display(record) for record in _TEXT_READERS[fmt](text, path)])
    with beside(_read_half, fmt, text[cut:], str(path)) as second:
        first = [for_display(record) for record in _TEXT_READERS[fmt](text[:cut], path)]
        result = second.result()
    if result is None:  # no second process here: read the second half in this one
        result = _read_half(fmt, text[cut:], str(path))
    other, stopped = result
    if stopped is not None:
        raise error_from(stopped, text.count("\n", 0, cut))
    return Records(first, other)


def read_export(path: str | Path, fmt: str = "auto", *, broken: list[InputError] | None = None) -> list[dict]:
    """Every record of one search export, as dicts with the keys of ``records.FIELDS``.

    A BibTeX entry that cannot be read stops the read (the error names its line and key); when
    ``broken`` is a list, that entry's error is added to it and the other entries are read.
    """
    return _read(path, fmt, broken).rows()


def read_columns(path: str | Path, fmt: str = "auto", *,
                 broken: list[InputError] | None = None) -> dict[str, list]:
    """The records of ``read_export`` as columns: field (``records.FIELDS``) -> one value a record."""
    return _read(path, fmt, broken).columns()


def _read(path: str | Path, fmt: str, broken: list[InputError] | None) -> Records:
    # A read allocates millions of small lists and dicts and frees none of them: the cyclic
    # garbage collector would walk them again and again (it doubles the time of a large export).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _read_export(path, fmt, broken)
    finally:
        if enabled:
            gc.enable()


def _read_export(path: str | Path, fmt: str, broken: list[InputError] | None) -> Records:
    if fmt != "auto" and fmt not in FORMATS:
        raise _unsupported(path, fmt)
    data = read_bytes(path)
    if fmt == "auto":
        fmt, text = detect(data, path)
    elif fmt == "xlsx":
        text = None
    else:
        text = decode_bytes(data, path)
    if fmt == "xlsx":
        if not (data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC)):
            if not data:
                raise InputError(path, "the file is empty", expected="an .xlsx workbook")
            raise InputError(path, "not an .xlsx or .xls workbook",
                             expected="an .xlsx or .xls file saved by Excel or LibreOffice")
        return tabular.read_xlsx(data, path, display=for_display)
    if fmt == "bibtex":
        return bibtex.read(text, path, broken=broken, display=for_display)
    if fmt == "endnote_xml":
        return endnote_xml.read(text, path, display=for_display)
    if fmt == "csv":
        return tabular.read_csv(text, path, display=for_display)
    return _read_text(fmt, text, path)


__all__ = ["FORMATS", "detect_format", "read_columns", "read_export"]

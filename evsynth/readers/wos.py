"""Web of Science exports: plain text (``savedrecs.txt``, 'Other file formats > Plain text') and
tab-delimited (the same tags as the columns of a header row).

The file starts ``FN Clarivate Analytics Web of Science`` / ``VR 1.0``; each record starts with
``PT`` and ends with ``ER``; the file ends with ``EF``. A tag is two characters and a space;
continuation lines start with three spaces. For author and cited-reference tags every line is
one item; for other tags the lines are one value wrapped.

The tab-delimited export has one line per record and no quoting: a title may start with a double
quote, so it is split on tabs, not read as CSV; author cells separate the names with "; ". Both
layouts go through the same ``to_record``, so pages are BP-EP (PG is the number of pages) and the
record's id is its UT.
"""

from __future__ import annotations

import re

from evsynth.errors import InputError
from evsynth.readers.common import (
    clean,
    doi_from,
    issn_isbn,
    join_unique,
    name_list,
    new_record,
    pages,
    parse_year,
    pmid_from,
    split_list,
    wos_ut_from,
)

EXPECTED = "Web of Science records that start with 'PT ' and end with 'ER'"
_LIST_TAGS = ("AU", "AF", "CA", "BA", "BF", "BE", "GP", "CR")
_HEADER_TAGS = ("FN", "VR", "EF", "ER")
# The patterns start with the newline before the line (the text gets one in front).
_END = r"(?= |\n|\Z)"
_BOUNDARY = re.compile(r"\n(PT|ER|EF)" + _END)
_TAG_LINE = re.compile(r"\n([A-Z][A-Z0-9])" + _END)
# Only the tags read below are captured (a record also has cited references, addresses, ...).
_USED = ("UT", "TI", "AB", "AF", "AU", "CA", "PY", "EY", "EA", "SO", "JI", "J9", "VL", "IS", "BP", "EP", "AR",
         "DI", "D2", "PM", "SN", "EI", "BN", "LA", "DT", "DE", "ID")
_FIELD = re.compile(r"\n(" + "|".join(_USED) + r")" + _END + r" ?([^\n]*(?:\n(?![A-Z][A-Z0-9]" + _END + r")[^\n]*)*)")


def _line(text: str, position: int) -> int:
    return text.count("\n", 0, position + 1)


def _stray_tag(text: str, path: object, start: int, end: int) -> None:
    for found in _TAG_LINE.finditer(text, start, end):
        tag = found.group(1)
        if tag not in _HEADER_TAGS:
            raise InputError(path, f"tag '{tag}' outside a record", line=_line(text, found.start()),
                             expected=f"'PT ' before it; {EXPECTED}")


def _records(text: str, path: object) -> list[dict[str, list[str]]]:
    text = "\n" + text
    blocks: list[tuple[int, int]] = []
    opened: int | None = None
    previous_end = 0
    for match in _BOUNDARY.finditer(text):
        position = match.start()
        tag = match.group(1)
        if opened is None:
            if tag == "PT":
                _stray_tag(text, path, previous_end, position)
                opened = position
            continue
        if tag == "ER":
            blocks.append((opened, position))
            opened = None
            end_of_line = text.find("\n", position + 1)
            previous_end = len(text) if end_of_line < 0 else end_of_line
        else:
            where = ("the end of the file ('EF')" if tag == "EF"
                     else f"the next record starts at line {_line(text, position)}")
            raise InputError(path, f"the record starting at line {_line(text, opened)} has no 'ER' line "
                             f"before {where}", line=_line(text, opened), expected=EXPECTED)
    if opened is not None:
        raise InputError(path, f"the record starting at line {_line(text, opened)} has no 'ER' line "
                         "(the file ends inside it)", line=_line(text, opened), expected=EXPECTED)
    _stray_tag(text, path, previous_end, len(text))

    records: list[dict[str, list[str]]] = []
    findall = _FIELD.findall
    for start, end in blocks:
        record: dict[str, list[str]] = {}
        for tag, value in findall(text, start, end):
            values = record.get(tag)
            if values is None:
                record[tag] = [value]
            else:  # a repeated tag continues the value
                values.append(value)
        records.append(record)
    return records


def to_record(tags: dict[str, list[str]]) -> dict:
    get = tags.get

    def one(name: str) -> str | None:
        values = get(name)
        if values is None:
            return None
        return clean(values[0] if len(values) == 1 else " ".join(values))

    def items(name: str) -> list[str] | None:
        values = get(name)
        if values is None:
            return None
        return [line for value in values for line in value.split("\n")]

    rec = new_record()
    ut = one("UT")
    rec["source_id"] = ut
    rec["wos_ut"] = wos_ut_from(ut) or ut
    rec["title"] = one("TI")
    rec["abstract"] = one("AB")
    rec["authors"] = name_list(items("AF") or items("AU") or items("CA"))
    rec["year"] = parse_year(one("PY")) or parse_year(one("EY")) or parse_year(one("EA"))
    rec["journal"] = one("SO")
    rec["journal_abbrev"] = one("JI") or one("J9")
    rec["volume"] = one("VL")
    rec["issue"] = one("IS")
    rec["pages"] = pages(one("BP"), one("EP")) or one("AR")
    rec["doi"] = doi_from(one("DI"), one("D2"))
    rec["pmid"] = pmid_from(one("PM"))
    issn, eissn, isbn = one("SN"), one("EI"), one("BN")
    rec["issn"], rec["isbn"] = issn_isbn([issn, eissn, isbn] if eissn or isbn else issn)
    language = one("LA")
    rec["language"] = join_unique(language.split(";")) if language else None
    rec["publication_type"] = one("DT")
    rec["keywords"] = split_list([one("DE"), one("ID")], ";")
    return rec


def parse(text: str, path: object = "<text>") -> list[dict]:
    """Records of a Web of Science plain-text export (already decoded)."""
    raw = _records(text, path)
    if not raw:
        raise InputError(path, "no Web of Science records found", expected=EXPECTED)
    return [to_record(tags) for tags in raw]


EXPECTED_TAB = "Web of Science tab-delimited: a header row of field tags (PT, AU, ..., TI, SO, ..., UT), one record per line"
_TAB_TAGS = re.compile(r"^[A-Z][A-Z0-9]$")


def looks_like_tab(first_line: str) -> bool:
    """Whether a header line is Web of Science's tab-delimited header (field tags, PT ... UT)."""
    names = [name.strip() for name in first_line.replace("\ufeff", "").rstrip("\t").split("\t")]
    return (len(names) >= 10 and {"PT", "TI", "UT"} <= set(names)
            and sum(1 for name in names if _TAB_TAGS.match(name)) >= 0.9 * len(names))


def parse_tab(text: str, path: object = "<text>") -> list[dict]:
    """Records of a Web of Science tab-delimited export (already decoded)."""
    lines = text.split("\n")
    start = next((index for index, line in enumerate(lines) if line.strip()), 0)
    header = [name.strip() for name in lines[start].replace("\ufeff", "").split("\t")]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    records: list[dict] = []
    for number, line in enumerate(lines[start + 1:], start=start + 2):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) > width and any(cell.strip() for cell in cells[width:]):
            raise InputError(path, f"the line has {len(cells)} tab-separated values but the header has {width}",
                             line=number, expected=EXPECTED_TAB)
        tags: dict[str, list[str]] = {}
        for tag, value in zip(header, cells):
            if value.strip():
                tags[tag] = [value.replace("; ", "\n") if tag in _LIST_TAGS else value]
        records.append(to_record(tags))
    if not records:
        raise InputError(path, "no Web of Science records under the header", line=start + 2, expected=EXPECTED_TAB)
    return records

"""CSV, TSV and spreadsheet (XLSX, and XLS as Web of Science writes it) exports with recognisable
column names.

The column names accepted for each field are one table, ``evsynth/data/column_aliases.yaml``
(ASReview's names, the RIS tags, and the headings of the PubMed, Scopus, Web of Science, Embase,
Cochrane, Covidence, Lens, OpenAlex, IEEE, SpringerLink, RefWorks, CINAHL, Publish or Perish and
Abstrackr exports); they are matched case-insensitively with surrounding spaces ignored. The
header is the first row, among the first ``HEADER_SEARCH_ROWS``, that names a title column and
another field: Embase.com writes a search-query block above it. Row numbers are the file's own
(the header's row included), as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import lru_cache
from importlib import resources

import yaml

from evsynth.errors import InputError
from evsynth.fileio import csv_unsafe
from evsynth.headers import refuse_repeated_columns
from evsynth.readers.text import head_lines
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
    scopus_eid_from,
    split_list,
    wos_ut_from,
)
from evsynth.readers.parallel import beside, handed_back, split_point
from evsynth.records import Records

HEADER_SEARCH_ROWS = 30


@lru_cache(maxsize=1)
def _alias_table() -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]]]:
    """(field -> names best first, field -> names used only when the header has no other)."""
    text = resources.files("evsynth").joinpath("data/column_aliases.yaml").read_text(encoding="utf-8")
    table = yaml.safe_load(text)
    aliases: dict[str, tuple[str, ...]] = {}
    weak: dict[str, frozenset[str]] = {}
    for field, names in table.items():
        plain, fallback = [], []
        for name in names:
            if isinstance(name, dict):
                plain.append(normalise_header(name["name"]))
                if name.get("only_when_no_other"):
                    fallback.append(normalise_header(name["name"]))
            else:
                plain.append(normalise_header(name))
        aliases[field] = tuple(plain)
        weak[field] = frozenset(fallback)
    return aliases, weak


def normalise_header(name: object) -> str:
    return " ".join(str(name if name is not None else "").replace("\ufeff", "").split()).lower().strip('"').strip()


COLUMN_ALIASES: dict[str, tuple[str, ...]] = _alias_table()[0]
TITLE_NAMES = COLUMN_ALIASES["title"]
READ_NAMES = frozenset(alias for aliases in COLUMN_ALIASES.values() for alias in aliases)
_ROW_LIMIT = 2**31 - 1


def column_map(header: Sequence[object]) -> dict[str, list[int]]:
    """Field -> indices of the columns that carry it, best first."""
    names = [normalise_header(name) for name in header]
    aliases_of, weak = _alias_table()
    found: dict[str, list[int]] = {}
    for field, aliases in aliases_of.items():
        indices = [index for alias in aliases for index, name in enumerate(names) if name == alias]
        fallback = weak[field]
        if fallback and any(names[index] not in fallback for index in indices):
            indices = [index for index in indices if names[index] not in fallback]
        if indices:
            found[field] = indices
    return found


def is_header(cells: Sequence[object]) -> bool:
    """Whether a row names a title column and at least one other field."""
    columns = column_map(cells)
    return "title" in columns and len(columns) >= 2


def require_title(path: object, header: Sequence[object], columns: dict[str, list[int]], row: int = 1) -> None:
    if "title" not in columns:
        shown = ", ".join(repr(str(name)) for name in header if str(name or "").strip()) or "none"
        raise InputError(path, f"no title column among the columns found ({shown})", row=row,
                         expected="a header row with a title column named one of: "
                                  + ", ".join(TITLE_NAMES) + " (case and surrounding spaces ignored)")


# Given names and particles after which an upper-case letter does not start a new name.
_NAME_PREFIXES = frozenset({"mc", "mac", "de", "le", "la", "di", "da", "du", "van", "von", "o", "d", "fitz", "st",
                            "del", "della", "al", "el"})
_CAMEL = re.compile(r"(?<=[a-z\u00df-\u00ff)])(?=[A-Z\u00c0-\u00de])")


def _split_run_together(value: str) -> list[str]:
    """'Datong WeiCan LiuXiaoru Yuan' (SpringerLink CSV writes its authors with no separator)."""
    parts: list[str] = []
    last = 0
    for match in _CAMEL.finditer(value):
        piece = value[last:match.start()]
        last_word = piece.rsplit(" ", 1)[-1].rstrip(")").lower()
        if " " in piece.strip() and last_word not in _NAME_PREFIXES:
            parts.append(piece)
            last = match.start()
    parts.append(value[last:])
    return parts


# The initials ending each name of a PubMed-style list ("Asampong E, Gyeke MDP", Embase "Okafor C.A.").
_INITIALS = re.compile(r"^(?:[A-Z\u00c0-\u00de][.-]?){1,4}$")


def _authors(value: str | None) -> list[str]:
    if not value:
        return []
    if ";" in value:
        return name_list(value.split(";"))
    if "|" in value:  # OpenAlex
        return name_list(value.split("|"))
    if "\n" in value:
        return name_list(value.split("\n"))
    if re.search(r"\s+and\s+", value):
        return name_list(re.split(r"\s+and\s+", value))
    parts = [part.strip() for part in value.split(",")]
    if len(parts) == 2 and not _INITIALS.match(parts[0].rsplit(" ", 1)[-1]):
        return name_list([value])  # "Van Dijk, Anna M.": one "Surname, Given", not two "Surname Initials"
    if len(parts) > 1 and all(" " in part for part in parts if part):
        # "Asampong E, Gyeke MDP, Oduro R." (PubMed CSV): one "Surname Initials" per comma; the
        # full stop after the last ends the list, unless every name ends with one (Embase: "Liu R.").
        if parts[-1].endswith(".") and not all(part.endswith(".") for part in parts if part):
            parts[-1] = parts[-1][:-1]
        return name_list(parts)
    if "," not in value and " " in value.strip() and _CAMEL.search(value):
        parts = _split_run_together(value)
        if all(" " in part.strip() for part in parts):  # each a "Given Surname"
            return name_list(parts)
    return name_list([value])


def _keywords(values: Iterable[str | None]) -> list[str]:
    values = [value for value in values if value]
    separator = ";" if any(";" in value for value in values) else ","
    if any("|" in value for value in values):
        separator = "|"
    if any("\n" in value for value in values):
        separator += "\n"
    return split_list(values, separator)


# Embase packs the citation into one cell: "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of ..."
_PACKED_SOURCE = re.compile(r"^(?P<journal>.+?)\s+\((?P<year>1[5-9]\d\d|20\d\d)\)"
                            r"(?:\s+(?P<volume>[^\s:(]+)(?::(?P<issue>[^\s(]+))?)?"
                            r"(?:\s+\((?P<pages>[^)]*)\))?(?=[.\s]|$)")


def _cell(value: object) -> str | None:
    if value is None:
        return None
    value = str(value)
    if not value.strip():
        return None
    if value[:2] == '="' and value[-1:] == '"':  # ="19326203": a spreadsheet formula keeping the digits text
        value = value[2:-1]
    return value


def row_to_record(cells: Sequence[str | None], columns: dict[str, list[int]]) -> dict:
    width = len(cells)
    no_columns = ()

    def values(field: str) -> list[str]:
        out = []
        for index in columns.get(field, no_columns):
            if index < width:
                value = _cell(cells[index])
                if value is not None:
                    # the apostrophe evsynth's CSV writers put before text starting like a formula
                    out.append(csv_unsafe(value) if value[0] == "'" else value)
        return out

    def one(field: str) -> str | None:
        # values(field)[0], without making the list: the reader's hot loop (a call per field and row)
        for index in columns.get(field, no_columns):
            if index < width:
                value = cells[index]
                if value is None:
                    continue
                if value.__class__ is not str:
                    value = str(value)
                if not value or value.isspace():
                    continue
                if value[:2] == '="' and value[-1:] == '"':
                    value = value[2:-1]
                return clean(csv_unsafe(value) if value[:1] == "'" else value)
        return None

    rec = new_record()
    rec["title"] = one("title")
    rec["abstract"] = one("abstract")
    rec["authors"] = _authors(one("authors"))
    rec["year"] = parse_year(one("year"))
    rec["journal"] = one("journal")
    rec["journal_abbrev"] = one("journal_abbrev")
    rec["volume"] = one("volume")
    rec["issue"] = one("issue")
    rec["pages"] = pages(one("pages")) or pages(one("start_page"), one("end_page")) or one("article_number")
    packed = _PACKED_SOURCE.match(rec["journal"]) if rec["journal"] and "(" in rec["journal"] else None
    if packed and not (rec["volume"] or rec["pages"]):
        rec["journal"] = packed.group("journal")
        rec["year"] = rec["year"] or int(packed.group("year"))
        rec["volume"] = packed.group("volume")
        rec["issue"] = packed.group("issue")
        rec["pages"] = pages(packed.group("pages"))
    rec["doi"] = doi_from(*values("doi"))
    rec["url"] = one("url")
    rec["keywords"] = _keywords(values("keywords"))
    rec["pmid"] = pmid_from(one("pmid")) or next(
        (pmid for pmid in (pmid_from(value, labelled=True) for value in values("accession")) if pmid), None)
    rec["wos_ut"] = wos_ut_from(one("wos_ut"))
    rec["scopus_eid"] = scopus_eid_from(one("scopus_eid"))
    rec["issn"], _ = issn_isbn(values("issn"))
    _, rec["isbn"] = issn_isbn(values("isbn"))
    rec["language"] = join_unique(split_list(values("language"), ";"))
    rec["publication_type"] = one("publication_type")
    rec["source_id"] = one("source_id") or rec["scopus_eid"] or rec["wos_ut"] or rec["pmid"]
    return rec


# --- CSV / TSV ----------------------------------------------------------------------------------

_DELIMITERS = (",", "\t", ";", "|")


def sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the candidate occurring most often outside quotes."""
    start = len(text) - len(text.lstrip("\n")) if text[:1] == "\n" else 0
    end = text.find("\n", start)
    header = text[start:] if end < 0 else text[start:end]
    unquoted = re.sub(r'"[^"]*"', "", header)
    counts = {delimiter: unquoted.count(delimiter) for delimiter in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))
    if counts[best] == 0:
        try:
            return csv.Sniffer().sniff(text[:20000], delimiters="".join(_DELIMITERS)).delimiter
        except csv.Error:
            return ","
    return best


def find_header_line(text: str) -> tuple[int, str] | None:
    """(0-based line, delimiter) of the header among the first lines: the first line that names a
    title column and another field, split on one of the usual delimiters."""
    lines = head_lines(text, HEADER_SEARCH_ROWS)
    for number, line in enumerate(lines):
        if not line.strip():
            continue
        for delimiter in _DELIMITERS:
            if delimiter in line and is_header(line.split(delimiter)):
                return number, delimiter
    return None


def csv_rows(text: str, path: object) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a CSV/TSV text from its header on; rows are numbered as in the file
    (a header under a preamble keeps its own row number)."""
    found = find_header_line(text)
    skipped = 0
    if found and found[0] > 0:
        skipped = found[0]
        offset = 0
        for _ in range(skipped):
            offset = text.index("\n", offset) + 1
        text = text[offset:]
    delimiter = found[1] if found else sniff_delimiter(text)
    previous = csv.field_size_limit()
    if previous < _ROW_LIMIT:
        csv.field_size_limit(min(sys.maxsize, _ROW_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = skipped
    try:
        for number, cells in enumerate(reader, start=skipped + 1):
            yield number, cells
    except csv.Error as error:
        raise InputError(path, f"the CSV cannot be read ({error})", row=number + 1,
                         expected="comma-, semicolon- or tab-separated values with balanced double quotes") \
            from None


def _filled(cells: Sequence) -> int:
    return sum(1 for cell in cells if cell is not None and str(cell).strip())


def records_from_rows(rows: Iterable[tuple[int, Sequence]], path: object, *, kind: str = "CSV",
                      display: Callable[[dict], dict] | None = None) -> Records:
    rows = iter(rows)
    header: Sequence = []
    header_row = 1
    scanned: list[tuple[int, Sequence]] = []  # the non-empty rows looked at for the header
    for number, cells in rows:
        if not _filled(cells):
            continue
        scanned.append((number, cells))
        if is_header(cells):
            header, header_row = cells, number
            scanned = []
            break
        if len(scanned) >= HEADER_SEARCH_ROWS:
            break
    if not header:
        if not scanned:
            raise InputError(path, f"the {kind} has no header row", row=1,
                             expected="a header row naming the columns, then one row per record")
        (header_row, header), *rest = scanned
        require_title(path, header, column_map(header), row=header_row)  # a title column alone
        rows = itertools.chain(rest, rows)
    refuse_repeated_columns(path, header, [normalise_header(name) for name in header], READ_NAMES)
    columns = column_map(header)
    width = len(header)
    title_columns = set(columns["title"])
    kept = []
    for number, cells in rows:
        filled = _filled(cells)
        if not filled:
            continue
        if len(cells) > width and _filled(cells[width:]):
            raise InputError(path, f"the row has {len(cells)} values but the header has {width} columns",
                             row=number, expected="one value per header column; quote values that contain "
                                                  "the delimiter")
        if filled == 1 and width > 2 and not any(index < len(cells) and _filled([cells[index]])
                                                 for index in title_columns):
            # A caption between the records ("citations that are not yet labeled by anyone",
            # Abstrackr), not a record.
            continue
        kept.append(cells)
    records = rows_to_records(kept, columns, display)
    if not len(records):
        raise InputError(path, f"the {kind} has a header but no records", row=header_row + 1,
                         expected="one row per record under the header")
    return records


# From this many rows the second half is made into records in a second process (2 cores).
PARALLEL_ROWS = 20_000
# The second process's part: its rows are pickled to it (about 0.8 s per 45,000 rows of a Scopus
# sheet, in this process) and it starts only then, so it gets a third (with 45%, this one waited
# for it about 1.5 s per 100,000 rows).
SECOND_SHARE = 0.35


def _records_of(rows: list[Sequence], columns: dict[str, list[int]],
                display: Callable[[dict], dict] | None) -> list[dict]:
    if display:
        return [display(row_to_record(cells, columns)) for cells in rows]
    return [row_to_record(cells, columns) for cells in rows]


def _columns_of(rows: list[Sequence], columns: dict[str, list[int]],
                display: Callable[[dict], dict] | None) -> dict[str, list]:
    """Worker: the records of the rows, as columns."""
    return handed_back(_records_of(rows, columns, display))


def rows_to_records(rows: list[Sequence], columns: dict[str, list[int]],
                    display: Callable[[dict], dict] | None = None) -> Records:
    """``row_to_record`` of every row (checked already), each passed through ``display`` when given:
    a long table in two halves, one in a second process."""
    if len(rows) < PARALLEL_ROWS or (os.cpu_count() or 1) < 2:
        return Records(_records_of(rows, columns, display))
    half = split_point(len(rows), SECOND_SHARE)
    with beside(_columns_of, rows[half:], columns, display) as second:
        first = _records_of(rows[:half], columns, display)
        other = second.result()
    return Records(first, other if other is not None else _columns_of(rows[half:], columns, display))


def read_csv(text: str, path: object = "<text>", *, display: Callable[[dict], dict] | None = None) -> Records:
    """Records of a generic CSV/TSV (already decoded), each passed through ``display`` when given."""
    return records_from_rows(csv_rows(text, path), path, display=display)


def parse_csv(text: str, path: object = "<text>") -> list[dict]:
    """Records of a generic CSV/TSV (already decoded)."""
    return read_csv(text, path).rows()


# --- XLSX / XLS ---------------------------------------------------------------------------------


def _sheet_value(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def _sheet_rows(data: bytes, path: object) -> Iterator[tuple[int, list[str | None]]]:
    # python-calamine (Rust) reads a 100,000-row sheet several times faster than openpyxl, and
    # reads the old .xls format Web of Science's "Excel" export still writes.
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        if not workbook.sheet_names:
            raise InputError(path, "the workbook has no sheet", expected="records on the first sheet")
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - calamine raises its own kinds on a damaged file
        from evsynth.xlsx import entity_declaring_part, entity_error

        part = entity_declaring_part(data)  # looked for only now: a good workbook never pays for it
        if part:
            raise entity_error(path, part) from None
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise InputError(path, f"an old-style .xls workbook (or an encrypted Office file) that cannot be read "
                             f"({type(error).__name__}: {error})", expected="the sheet saved as .xlsx or CSV") from None
        raise InputError(path, f"not a readable .xlsx workbook ({type(error).__name__}: {error})",
                         expected="an .xlsx file saved by Excel or LibreOffice") from None
    for number, row in enumerate(rows, start=1):
        # most cells are text: kept as they are, without a call per cell
        yield number, [(value or None) if value.__class__ is str else _sheet_value(value) for value in row]


def read_xlsx(data: bytes, path: object = "<bytes>", *, display: Callable[[dict], dict] | None = None) -> Records:
    """Records of the first sheet of an .xlsx or .xls workbook, each passed through ``display`` when given."""
    return records_from_rows(_sheet_rows(data, path), path, kind="first sheet", display=display)


def parse_xlsx(data: bytes, path: object = "<bytes>") -> list[dict]:
    """Records of the first sheet of an .xlsx or .xls workbook."""
    return read_xlsx(data, path).rows()

"""CSV, TSV and XLSX exports with recognisable column names.

Columns are matched case-insensitively with surrounding spaces ignored, as ASReview does; the
names accepted for each field extend ASReview's ``COLUMN_DEFINITIONS`` (title/primary_title,
abstract/abstract note/notes_abstract, authors/author names/first_authors, keywords, doi, url)
with the RIS tags and the column headings of the PubMed CSV, Web of Science Excel and Scopus CSV
exports. Row numbers count the header as row 1, as a spreadsheet does.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterable, Iterator, Sequence

from evsynth.errors import InputError
from evsynth.fileio import csv_unsafe
from evsynth.headers import refuse_repeated_columns
from evsynth.readers.common import (
    doi_from,
    first_text,
    issn_isbn,
    join_unique,
    new_record,
    pages,
    parse_year,
    pmid_from,
    scopus_eid_from,
    split_list,
    text_list,
    wos_ut_from,
)

# Field -> accepted column names (normalised: lower case, single spaces), in order of preference.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "source_id": ("id", "record_id", "key"),
    "title": ("title", "primary_title", "ti", "t1", "article title", "document title"),
    "abstract": ("abstract", "ab", "notes_abstract", "abstract note", "n2"),
    "authors": ("author full names", "authors", "author", "af", "fau", "au", "a1", "first_authors",
                "author names"),
    "year": ("year", "publication_year", "publication year", "py", "y1", "date", "publication date",
             "pubyear", "dp"),
    "journal": ("journal", "secondary_title", "source title", "t2", "jo", "jf", "journal/book",
                "journal title", "journal name", "publication title", "publication_title", "so", "jt",
                "booktitle"),  # last: as in BibTeX, a conference paper's venue when there is no journal
    "journal_abbrev": ("journal_abbrev", "abbreviated source title", "journal iso abbreviation",
                       "journal abbreviation", "ja", "j2", "ji", "j9", "ta"),
    "volume": ("volume", "vl", "vi", "vol"),
    "issue": ("issue", "number", "is", "ip"),
    "pages": ("pages", "page", "pg", "page range"),
    "start_page": ("start page", "page start", "start_page", "sp", "bp"),
    "end_page": ("end page", "page end", "end_page", "ep"),
    "article_number": ("article number", "art. no.", "ar"),
    "doi": ("doi", "do", "di"),
    "keywords": ("keywords", "kw", "author keywords", "de", "index keywords", "keywords plus", "mesh",
                 "mesh terms", "mh", "ot"),
    "url": ("url", "urls", "link", "ur"),
    "pmid": ("pmid", "pubmed id", "pubmed_id", "pm"),
    "wos_ut": ("ut (unique wos id)", "ut", "wos_ut", "unique wos id"),
    "scopus_eid": ("eid", "scopus_eid"),
    "issn": ("issn", "eissn", "e-issn", "sn", "ei"),
    "isbn": ("isbn", "bn"),
    "language": ("language", "la", "language of original document", "lang"),
    "publication_type": ("type", "publication_type", "document type", "publication type", "type_of_reference",
                         "ty", "dt", "pt", "entrytype"),  # entrytype: bib-dedupe / ASySD CSVs
}
TITLE_NAMES = COLUMN_ALIASES["title"]
READ_NAMES = frozenset(alias for aliases in COLUMN_ALIASES.values() for alias in aliases)
_MULTI = {"keywords", "issn", "isbn"}
_ROW_LIMIT = 2**31 - 1


def normalise_header(name: object) -> str:
    return " ".join(str(name if name is not None else "").replace("\ufeff", "").split()).lower()


_WOS_TAB = {"pt", "ut", "so", "ti"}


def column_map(header: Sequence[object]) -> dict[str, list[int]]:
    """Field -> indices of the columns that carry it, best first."""
    names = [normalise_header(name) for name in header]
    aliases_of = COLUMN_ALIASES
    if _WOS_TAB <= set(names):
        # Web of Science tab-delimited export: its columns are WoS tags, and 'ID' is Keywords Plus.
        aliases_of = dict(COLUMN_ALIASES)
        aliases_of["source_id"] = ("ut",)
        aliases_of["keywords"] = ("de", "id")
    found: dict[str, list[int]] = {}
    for field, aliases in aliases_of.items():
        indices = [index for alias in aliases for index, name in enumerate(names) if name == alias]
        if indices:
            found[field] = indices
    return found


def require_title(path: object, header: Sequence[object], columns: dict[str, list[int]]) -> None:
    if "title" not in columns:
        shown = ", ".join(repr(str(name)) for name in header if str(name or "").strip()) or "none"
        raise InputError(path, f"no title column among the columns found ({shown})", row=1,
                         expected="a header row with a title column named one of: "
                                  + ", ".join(TITLE_NAMES) + " (case and surrounding spaces ignored)")


def _authors(value: str | None) -> list[str]:
    if not value:
        return []
    if ";" in value:
        return text_list(value.split(";"))
    if "\n" in value:
        return text_list(value.split("\n"))
    if re.search(r"\s+and\s+", value):
        return text_list(re.split(r"\s+and\s+", value))
    parts = [part.strip() for part in value.split(",")]
    if len(parts) > 1 and all(" " in part for part in parts if part):
        # "Asampong E, Gyeke MDP, Oduro R." (PubMed CSV): one "Surname Initials" per comma.
        return text_list(part.rstrip(".") if part.endswith(".") and len(part.split()[-1]) <= 4 else part
                         for part in parts)
    return text_list([value])


def _keywords(values: Iterable[str | None]) -> list[str]:
    values = [value for value in values if value]
    separator = ";" if any(";" in value for value in values) else ","
    if any("\n" in value for value in values):
        separator += "\n"
    return split_list(values, separator)


def row_to_record(cells: Sequence[str | None], columns: dict[str, list[int]]) -> dict:
    def values(field: str) -> list[str]:
        out = []
        for index in columns.get(field, ()):
            if index < len(cells):
                value = cells[index]
                if value is not None and str(value).strip():
                    value = str(value)
                    # the apostrophe evsynth's CSV writers put before text starting like a formula
                    out.append(csv_unsafe(value) if value[0] == "'" else value)
        return out

    def one(field: str) -> str | None:
        found = values(field)
        return first_text(found[0]) if found else None

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
    rec["doi"] = doi_from(*values("doi"))
    rec["url"] = one("url")
    rec["keywords"] = _keywords(values("keywords"))
    rec["pmid"] = pmid_from(one("pmid"))
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


def csv_rows(text: str, path: object) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of a CSV/TSV text; the header is row 1."""
    delimiter = sniff_delimiter(text)
    previous = csv.field_size_limit()
    if previous < _ROW_LIMIT:
        csv.field_size_limit(min(sys.maxsize, _ROW_LIMIT))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            yield number, cells
    except csv.Error as error:
        raise InputError(path, f"the CSV cannot be read ({error})", row=number + 1,
                         expected="comma-, semicolon- or tab-separated values with balanced double quotes") \
            from None


def records_from_rows(rows: Iterable[tuple[int, Sequence]], path: object, *, kind: str = "CSV") -> list[dict]:
    rows = iter(rows)
    header: Sequence = []
    for _, cells in rows:
        if any(str(cell or "").strip() for cell in cells):
            header = cells
            break
    if not header:
        raise InputError(path, f"the {kind} has no header row", row=1,
                         expected="a header row naming the columns, then one row per record")
    refuse_repeated_columns(path, header, [normalise_header(name) for name in header], READ_NAMES)
    columns = column_map(header)
    require_title(path, header, columns)
    width = len(header)
    records = []
    for number, cells in rows:
        if not any(cell is not None and str(cell).strip() for cell in cells):
            continue
        if len(cells) > width and any(cell is not None and str(cell).strip() for cell in cells[width:]):
            raise InputError(path, f"the row has {len(cells)} values but the header has {width} columns",
                             row=number, expected="one value per header column; quote values that contain "
                                                  "the delimiter")
        records.append(row_to_record(cells, columns))
    if not records:
        raise InputError(path, f"the {kind} has a header but no records", row=2,
                         expected="one row per record under the header")
    return records


def parse_csv(text: str, path: object = "<text>") -> list[dict]:
    """Records of a generic CSV/TSV (already decoded)."""
    return records_from_rows(csv_rows(text, path), path)


# --- XLSX ---------------------------------------------------------------------------------------


def _cell(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value)


def _xlsx_rows(data: bytes, path: object) -> Iterator[tuple[int, list[str | None]]]:
    # python-calamine (Rust) reads a 100,000-row sheet several times faster than openpyxl.
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
        raise InputError(path, f"not a readable .xlsx workbook ({type(error).__name__}: {error})",
                         expected="an .xlsx file saved by Excel or LibreOffice") from None
    for number, row in enumerate(rows, start=1):
        yield number, [None if value == "" else _cell(value) for value in row]


def parse_xlsx(data: bytes, path: object = "<bytes>") -> list[dict]:
    """Records of the first sheet of an .xlsx workbook (header in row 1)."""
    return records_from_rows(_xlsx_rows(data, path), path, kind="first sheet")

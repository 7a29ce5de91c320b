"""The records table: one row per exported record, the columns every reader fills.

Readers return plain dicts with the keys of ``FIELDS`` (missing keys mean "not in the export");
``ingest`` adds provenance and the stable ``record_id``.
"""

from __future__ import annotations

import functools
import hashlib
import operator
import re
import unicodedata
from collections.abc import Sequence
from urllib.parse import unquote

# Bibliographic fields, as normalised by the readers.
FIELDS = [
    "source_id",  # the record's own identifier in its export (RIS ID/AN, BibTeX key, PMID, UT, EID, ...)
    "title",
    "abstract",
    "authors",  # list[str], "Surname, Given" as exported
    "year",  # int or None
    "journal",
    "journal_abbrev",
    "volume",
    "issue",
    "pages",
    "doi",  # lower case, no https://doi.org/ prefix
    "pmid",
    "wos_ut",
    "scopus_eid",
    "issn",  # ISSNs and ISBNs: "; "-joined
    "isbn",
    "language",
    "publication_type",
    "keywords",  # list[str]
    "url",
    # The text as exported where the readers' display text differs (markup, entities, "NA",
    # e-mail addresses in author names): see evsynth/readers/markup.py. Empty otherwise.
    "title_raw",
    "abstract_raw",
    "authors_raw",  # list[str] or None
]
# Provenance added by ingest.
PROVENANCE = ["record_id", "database", "search_date", "source_file", "position"]
COLUMNS = ["record_id", "database", "search_date", "source_file", "position"] + FIELDS


def columns_of(rows: Sequence[dict]) -> dict[str, list]:
    """Field -> the records' values: one C-level lookup of every field per record, then transposed."""
    try:
        table = list(zip(*map(operator.itemgetter(*FIELDS), rows)))
    except KeyError:  # a reader that leaves a field out (the readers' records hold every field)
        return {field: [row.get(field) for row in rows] for field in FIELDS}
    if not table:
        return {field: [] for field in FIELDS}
    return {field: list(values) for field, values in zip(FIELDS, table)}


def rows_of(columns: dict[str, list]) -> list[dict]:
    """The records of ``columns_of``, one dict a record again."""
    return [dict(zip(FIELDS, values)) for values in zip(*(columns[field] for field in FIELDS))]


class Records:
    """An export's records as read: dicts, then (a large export read in two processes) the second
    process's records as columns, which it hands back in half the time of dicts. ``rows()`` and
    ``columns()`` join them in the shape the caller wants (ingest wants columns: the records
    table's shape), so the second half is never made into dicts to be taken apart again."""

    def __init__(self, rows: list[dict], columns: dict[str, list] | None = None) -> None:
        self._rows = rows
        self._columns = columns

    def __len__(self) -> int:
        return len(self._rows) + (len(self._columns[FIELDS[0]]) if self._columns else 0)

    def rows(self) -> list[dict]:
        return self._rows + rows_of(self._columns) if self._columns else self._rows

    def columns(self) -> dict[str, list]:
        columns = columns_of(self._rows)
        if self._columns:
            for field, values in columns.items():
                values.extend(self._columns[field])
        return columns

_DOI_PREFIX = re.compile(r"^(?:https?://)?(?:dx\.)?(?:doi\.org/)?(?:doi:\s*)?", re.IGNORECASE)
_DOI_SHAPE = re.compile(r"10\.\d{4,9}/\S+")


def normalise_doi(value: str | None) -> str | None:
    """Lower-case DOI without URL or ``doi:`` prefix; None when there is no DOI-shaped text."""
    if not value:
        return None
    text = _DOI_PREFIX.sub("", str(value).strip())
    if "%" in text:  # URL-encoded in a link ('10.1016/s0140-6736%2817%2930000-1')
        text = unquote(text)
    match = _DOI_SHAPE.search(text)
    if not match:
        return None
    return match.group(0).rstrip(".,;").lower()


def normalise_text(value: object) -> str | None:
    """Collapse whitespace and NFC-normalise; None for empty."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value))
    text = " ".join(text.split())
    return text or None


_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def parse_year(value: object) -> int | None:
    """First plausible four-digit year in the value (``2018///``, ``2018 Jul``, ``Jul-18`` is None)."""
    if value is None:
        return None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


@functools.lru_cache(maxsize=256)  # one database name per export: computed once, not per record
def slug(text: str) -> str:
    """Lower-case ASCII slug of a database name: 'MEDLINE (Ovid)' -> 'medline-ovid'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "db"


def make_record_id(database: str, search_date: str, source_id: str, title: str | None) -> str:
    """Stable id of one exported record.

    It depends only on the record's own search (database and date), its id in the export and its
    title, so adding or reordering other files never changes it.
    """
    key = "\x1f".join([database, search_date, str(source_id), (title or "").casefold()])
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:10]
    return f"{slug(database)}-{digest}"

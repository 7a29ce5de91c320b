"""CSV as ASReview and Rayyan import it: a header row, one row per record, UTF-8.

Rayyan reads ``key, title, authors, journal, issn, volume, issue, pages, year, url, language,
abstract``; ASReview ``title, abstract, authors, keywords, doi, url``; the other columns carry the
rest of a record for evsynth and for people (both tools keep or ignore what they do not know).
Authors and keywords are joined by ``;``, on which ASReview splits lists (and Rayyan authors).

Text starting like a formula gets evsynth's CSV-injection apostrophe (``fileio.csv_safe``), which
evsynth's CSV reader drops again.

A lone author or keyword holding a comma is written with a closing ``;`` (``Van Dijk, Anna M.;``):
without it a reader cannot tell one ``Surname, Given`` from a comma-separated list.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping

from evsynth.fileio import csv_safe
from evsynth.writers.common import plain_records

# (column, field): each column a name evsynth's CSV reader takes for its field.
COLUMNS = [
    ("key", "source_id"), ("title", "title"), ("authors", "authors"), ("year", "year"), ("journal", "journal"),
    ("journal_abbrev", "journal_abbrev"), ("volume", "volume"), ("issue", "issue"), ("pages", "pages"),
    ("doi", "doi"), ("url", "url"), ("abstract", "abstract"), ("keywords", "keywords"), ("issn", "issn"),
    ("isbn", "isbn"), ("language", "language"), ("type", "publication_type"), ("pmid", "pmid"),
    ("wos_ut", "wos_ut"), ("scopus_eid", "scopus_eid"),
]


def csv_row(record: Mapping) -> list[str]:
    """The cells of one record (a ``plain_record``)."""
    cells = []
    for _, field in COLUMNS:
        value = record[field]
        if isinstance(value, list):
            # A lone item with a comma ('Van Dijk, Anna M.', 'Schizophrenia, Paranoid') ends with ';' so
            # that readers splitting on ';' (evsynth, ASReview) keep it whole rather than split at the comma.
            lone_comma = len(value) == 1 and "," in value[0]
            cells.append(csv_safe(";".join(value) + (";" if lone_comma else "")))
        else:
            cells.append("" if value is None else csv_safe(str(value)))
    return cells


def records_csv(records) -> str:
    """CSV text of a records table (a DataFrame or the readers' dicts)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column for column, _ in COLUMNS])
    writer.writerows(csv_row(record) for record in plain_records(records))
    return buffer.getvalue()

"""What every writer does first: take a record's fields (``records.FIELDS``) as plain values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from evsynth.columns import python_values
from evsynth.records import FIELDS

_LIST_FIELDS = ("authors", "keywords")


def _missing(value: object) -> bool:
    """None, NaN, pandas' NA or NaT (a scalar; a list is never missing)."""
    if value is None:
        return True
    if isinstance(value, (list, tuple, np.ndarray)):
        return False
    return bool(pd.isna(value))


def plain_list(value: object) -> list[str]:
    """Authors or keywords as a list of non-empty strings (a records table read from parquet holds
    arrays, a table's missing cell is None or NaN, a lone string is one item)."""
    if isinstance(value, str):
        items = [value]
    elif value is None or not hasattr(value, "__iter__"):  # None, or NaN in a table
        return []
    else:
        items = value
    out = []
    for item in items:
        if type(item) is not str:  # str(x) only where x is not text already (most are)
            if item is None:
                continue
            item = str(item)
        if item:
            out.append(item)
    return out


def plain_text(value: object) -> str | None:
    """A text field: None for what the record lacks (missing or empty), text for everything else."""
    if type(value) is str:  # the common case first: pd.isna costs a microsecond a value
        return value or None
    if _missing(value) or value == "":
        return None
    return str(value)


def plain_year(value: object) -> int | None:
    if type(value) is int:
        return value
    if _missing(value) or value == "":
        return None
    return int(value)


def plain_column(name: str, values: Iterable) -> list:
    """``plain_record``'s value of field ``name`` for each of ``values``."""
    if name in _LIST_FIELDS:
        return [plain_list(value) for value in values]
    if name == "year":
        return [plain_year(value) for value in values]
    # non-empty text as it is without a call: most values of most columns
    return [value if type(value) is str and value else plain_text(value) for value in values]


def plain_record(record: Mapping) -> dict:
    """The record's fields: None for what it lacks, lists for authors and keywords (a records table
    read from parquet holds arrays), an int year, and text for everything else."""
    out: dict = {}
    for name in FIELDS:
        value = record.get(name)
        if name in _LIST_FIELDS:
            out[name] = plain_list(value)
        elif name == "year":
            out[name] = plain_year(value)
        else:
            out[name] = plain_text(value)
    return out


def plain_columns(records: pd.DataFrame) -> dict[str, list]:
    """Every field of ``plain_record`` for each row of a records table, column by column: the same
    values, without a dict per record (a field the table lacks is None, or [] for a list field)."""
    n = len(records)
    out = {}
    for name in FIELDS:
        if name in records.columns:
            out[name] = plain_column(name, python_values(records[name]))
        else:
            out[name] = [[] for _ in range(n)] if name in _LIST_FIELDS else [None] * n
    return out


def plain_records(records: Iterable[Mapping] | object) -> list[dict]:
    """A records table (a DataFrame, or dicts as the readers return them) as ``plain_record`` dicts."""
    if isinstance(records, pd.DataFrame):
        # column by column (Arrow columns converted in one pass each, see python_values): ``to_dict``
        # would box every value of every column one by one
        columns = plain_columns(records)
        return [dict(zip(FIELDS, row)) for row in zip(*(columns[name] for name in FIELDS))]
    return [plain_record(record) for record in records]


def with_cluster_ids(unique) -> "pd.DataFrame":
    """Unique records (one per duplicate cluster) with the cluster id as each record's id, so that a
    record imported elsewhere (Rayyan, Covidence, EndNote) can be matched back to its cluster."""
    return unique.assign(source_id=unique["cluster_id"])


def split_pages(pages: str | None) -> tuple[str | None, str | None]:
    """First and last page of a normalised page range (``123-130``); an article number has no end."""
    if not pages:
        return None, None
    first, dash, last = pages.partition("-")
    if dash and first and last:
        return first, last
    return pages, None


def record_type(publication_type: str | None) -> str:
    """The kind of work a publication type names: article, thesis, chapter, conference, book or report."""
    text = (publication_type or "").casefold()
    for kind, words in _KINDS:
        if any(word in text for word in words):
            return kind
    return "article"


_KINDS = (
    ("thesis", ("thesis", "dissertation", "thes")),
    ("chapter", ("chapter", "incollection", "inbook", "chap")),
    ("conference", ("conference", "proceedings", "meeting", "congress", "conf", "cpaper")),
    ("book", ("book",)),
    ("report", ("report", "rprt", "techreport")),
)

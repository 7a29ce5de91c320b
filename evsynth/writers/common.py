"""What every writer does first: take a record's fields (``records.FIELDS``) as plain values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from evsynth.records import FIELDS

_LIST_FIELDS = ("authors", "keywords")


def _missing(value: object) -> bool:
    """None, NaN, pandas' NA or NaT (a scalar; a list is never missing)."""
    if value is None:
        return True
    if isinstance(value, (list, tuple, np.ndarray)):
        return False
    return bool(pd.isna(value))


def plain_record(record: Mapping) -> dict:
    """The record's fields: None for what it lacks, lists for authors and keywords (a records table
    read from parquet holds arrays), an int year, and text for everything else."""
    out: dict = {}
    for name in FIELDS:
        value = record.get(name)
        if name in _LIST_FIELDS:
            if isinstance(value, str):
                items = [value]
            elif value is None or not hasattr(value, "__iter__"):  # None, or NaN in a table
                items = []
            else:
                items = list(value)
            out[name] = [str(item) for item in items if item is not None and str(item)]
        elif _missing(value) or value == "":
            out[name] = None
        elif name == "year":
            out[name] = int(value)
        else:
            out[name] = str(value)
    return out


def plain_records(records: Iterable[Mapping] | object) -> list[dict]:
    """A records table (a DataFrame, or dicts as the readers return them) as ``plain_record`` dicts."""
    if isinstance(records, pd.DataFrame):
        # column by column (Arrow columns converted in one pass each, see python_values), and only
        # the fields a writer reads: ``to_dict`` would box every value of every column one by one
        from evsynth.dedup.storage import python_values

        names = [name for name in FIELDS if name in records.columns]
        columns = [python_values(records[name]) for name in names]
        records = [dict(zip(names, row)) for row in zip(*columns)] if names else [{}] * len(records)
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

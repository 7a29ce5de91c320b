"""The records table held compactly while a deduplication runs: text in Arrow buffers.

A million exported records held as Python objects take more than two gigabytes (every title,
abstract, author name and field is a string object of its own, every author list a list); in
Arrow string and list columns they take about the size of their text. ``evsynth dedup`` reads
each export and compacts it before reading the next, so the whole table never exists as Python
objects. What the deduplication reads from the table (``tolist``, ``to_numpy(dtype=object)``)
comes back as Python values on demand, field by field; a missing value reads as ``pd.NA``
instead of None, which the deduplication treats alike.

The provenance columns (``record_id``, ``database``, ``search_date``, ``source_file``,
``source_id``) stay Python strings: they are used as keys throughout.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

TEXT_COLUMNS = ("title", "abstract", "journal", "journal_abbrev", "volume", "issue", "pages", "doi", "pmid",
                "wos_ut", "scopus_eid", "issn", "isbn", "language", "publication_type", "url", "title_raw",
                "abstract_raw")
LIST_COLUMNS = ("authors", "keywords", "authors_raw")


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def as_arrow(values: pd.Series, dtype: pd.ArrowDtype) -> pd.Series:
    """``values`` (Python objects) as an Arrow column of ``dtype``."""
    kind = dtype.pyarrow_dtype
    if pa.types.is_list(kind):
        items = [None if _missing(v) else list(v) for v in values.tolist()]
    else:  # text (most values) as it is without a call
        items = [v if type(v) is str else (None if _missing(v) else v) for v in values.tolist()]
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(items, type=kind)), index=values.index)


def compact(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame``'s rows with its text and list-of-text columns in Arrow (other columns copied).

    A new frame: the readers' frame holds its text columns in one two-dimensional block, and any
    column of it kept as a view would keep every string of the block alive.
    """
    kinds = {**{c: pa.string() for c in TEXT_COLUMNS}, **{c: pa.list_(pa.string()) for c in LIST_COLUMNS}}
    out = {}
    for name in frame.columns:
        series = frame[name]
        kind = kinds.get(name)
        if kind is not None and series.dtype == object:
            values = [None if _missing(v) else v for v in series.tolist()]
            if pa.types.is_list(kind) or all(isinstance(v, str) for v in values if v is not None):
                out[name] = pd.arrays.ArrowExtensionArray(pa.array(values, type=kind))
                continue
        out[name] = series.array.copy()
    return pd.DataFrame(out, index=frame.index, columns=frame.columns)


def take_in_slices(whole: pd.Series, extra: pd.Series, source, size: int = 50_000) -> pd.Series:
    """Rows ``source`` of ``whole`` followed by ``extra`` (an index ``len(whole) + m`` is the m-th of
    ``extra``), as an Arrow column of ``whole``'s type, made a slice at a time.

    Arrow's ``take`` on a column of several chunks (one per export) first copies them into one;
    here each slice takes from each chunk on its own, so no more than a slice is ever copied.
    """
    import numpy as np

    kind = whole.dtype.pyarrow_dtype
    pieces = list(whole.array.__arrow_array__().chunks)
    if len(extra):
        added = extra if extra.dtype == whole.dtype else as_arrow(extra, whole.dtype)
        pieces += list(added.array.__arrow_array__().chunks)
    pieces = [piece for piece in pieces if len(piece)]
    starts = np.cumsum([0] + [len(piece) for piece in pieces])
    source = np.asarray(source, dtype=np.int64)
    chunks = []
    for first in range(0, len(source), size):
        part = source[first:first + size]
        piece_of = np.searchsorted(starts, part, side="right") - 1
        order = np.argsort(piece_of, kind="stable")
        taken = []
        for k in np.unique(piece_of).tolist():
            rows = part[order][piece_of[order] == k] - starts[k]
            taken.append(pieces[k].take(pa.array(rows, type=pa.int64())))
        grouped = pa.concat_arrays(taken) if taken else pa.array([], type=kind)
        # grouped holds the slice's values by piece; put them back in the slice's order
        chunks.append(grouped.take(pa.array(np.argsort(order, kind="stable"), type=pa.int64())))
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array(chunks, type=kind)))

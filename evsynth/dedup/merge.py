"""One unique record per cluster: the best of each field across the members, and where it came from.

Nothing is thrown away: the unique record lists every member (record_ids) and every database.
The fields are taken from the members as a person would:

- title: the longest that is not a bracketed translation ('[...]') or all capitals, if any;
- abstract: the longest;
- authors: the longest list, and among equally long ones the one with full given names;
- journal: the longest name (a full name over an abbreviation); journal_abbrev: the shortest;
- year, volume, issue, pages: from the most complete member that has them (a final version
  over an online-first record without volume or pages);
- DOI, PMID, WoS UT, Scopus EID, ISSN, ISBN, language, type, URL: the first member that has one
  (members in order of completeness); keywords: all, without repeats.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evsynth.columns import python_values
from evsynth.dedup.storage import as_arrow, take_in_slices

SCALAR_FIRST = ["doi", "pmid", "wos_ut", "scopus_eid", "issn", "isbn", "language", "publication_type", "url"]
COMPLETE_FIELDS = ["title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "doi"]
UNIQUE_COLUMNS = ["cluster_id", "n_records", "databases", "record_ids", "title", "abstract", "authors",
                  "year", "journal", "journal_abbrev", "volume", "issue", "pages", "doi", "pmid", "wos_ut",
                  "scopus_eid", "issn", "isbn", "language", "publication_type", "keywords", "url",
                  "first_search_date"]


def _present(value) -> bool:
    """Whether a cell holds something (the frame's missing values are None by then)."""
    if value is None or value is pd.NA:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, (list, tuple, np.ndarray)):
        return len(value) > 0
    if isinstance(value, float):
        return value == value
    return True


def _title_quality(title) -> tuple:
    text = str(title).strip()
    bracketed = text.startswith("[")
    shouting = text.isupper() and len(text) > 10
    return (not bracketed, not shouting, len(text))


def _author_names(authors) -> list:
    return list(authors) if isinstance(authors, (list, tuple, np.ndarray)) else str(authors).split(";")


def _authors_quality(authors) -> tuple:
    names = _author_names(authors)
    full = sum(len(str(n).split(",")[-1].strip().rstrip(".")) > 2 for n in names)
    return (len(names), full)


def _best_authors(candidates: list):
    """``max(candidates, key=_authors_quality)``, counting full given names only where the longest
    lists tie (the first of the best, as ``max`` gives it)."""
    lengths = [len(_author_names(authors)) for authors in candidates]
    longest = max(lengths)
    tied = [authors for authors, n in zip(candidates, lengths) if n == longest]
    return tied[0] if len(tied) == 1 else max(tied, key=_authors_quality)


def _present_values(values: list) -> list[bool]:
    # text and lists without a call: ``not isspace()`` is ``strip() != ''`` for a non-empty string
    return [(value != "" and not value.isspace()) if type(value) is str else
            (len(value) > 0 if type(value) is list else value is not None and _present(value)) for value in values]


class _Columns:
    """The members' fields as lists, with a 'present' list per field and each member's number of
    complete fields (no dict per row)."""

    def __init__(self, frame: pd.DataFrame, names: list[str]) -> None:
        self.values = {name: python_values(frame[name]) for name in names}
        self.present = {name: _present_values(values) for name, values in self.values.items()}
        self.complete = [sum(flags) for flags in zip(*(self.present[f] for f in COMPLETE_FIELDS))]


def _merge_group(c: _Columns, rows: list[int]) -> dict:
    """Best fields of the members at positions `rows` (in search order)."""
    complete = c.complete
    rows = sorted(rows, key=lambda k: -complete[k])
    v, has = c.values, c.present

    def candidates(name: str, among=None) -> list:
        return [v[name][k] for k in (among if among is not None else rows) if has[name][k]]

    out: dict = {}
    titles = candidates("title")
    out["title"] = max(titles, key=_title_quality) if titles else None
    abstracts = candidates("abstract")
    out["abstract"] = max(abstracts, key=lambda a: len(str(a))) if abstracts else None
    authors = candidates("authors")
    out["authors"] = _best_authors(authors) if authors else None
    journals = candidates("journal")
    out["journal"] = max(journals, key=lambda j: len(str(j))) if journals else None
    abbrevs = candidates("journal_abbrev")
    out["journal_abbrev"] = min(abbrevs, key=lambda j: len(str(j))) if abbrevs else None
    # Bibliographic numbers travel together: take them from the most complete member with pages.
    numbered = [k for k in rows if has["pages"][k] or has["volume"][k]] or rows
    for name in ("year", "volume", "issue", "pages"):
        found = candidates(name, numbered) or candidates(name)
        out[name] = found[0] if found else None
    for name in SCALAR_FIRST:
        found = candidates(name)
        out[name] = found[0] if found else None
    keywords: list = []
    for value in candidates("keywords"):
        for k in value:
            if k not in keywords:
                keywords.append(k)
    out["keywords"] = keywords
    return out


_DERIVED = ("cluster_id", "n_records", "databases", "record_ids", "first_search_date")
CHUNK_RECORDS = 20_000


def _merge_groups(records: pd.DataFrame, cluster_id: np.ndarray, multi_rows: np.ndarray, databases: pd.Series,
                  column, fields: list[str]) -> pd.DataFrame:
    """The merged rows of the clusters with several members (rows ``multi_rows``, in search order).

    Chunk by chunk of about ``CHUNK_RECORDS`` members, each chunk's merged rows put back in Arrow
    where the records are, so that only one chunk's members are Python values at a time.
    """
    if not len(multi_rows):
        return pd.DataFrame([], columns=UNIQUE_COLUMNS)
    cids = cluster_id[multi_rows]
    dbs = databases.to_numpy(dtype=object)[multi_rows]
    rids = records["record_id"].to_numpy(dtype=object)[multi_rows]
    dates = records["search_date"].to_numpy(dtype=object)[multi_rows]
    group_codes, _ = pd.factorize(cids)
    group_order = np.argsort(group_codes, kind="stable")  # members stay in search order
    groups = np.split(group_order, np.flatnonzero(np.diff(group_codes[group_order])) + 1)
    arrow = {name: records[name].dtype for name in UNIQUE_COLUMNS
             if name in records.columns and isinstance(records[name].dtype, pd.ArrowDtype)}
    parts = []
    start = 0
    while start < len(groups):
        stop, size = start, 0
        while stop < len(groups) and (size < CHUNK_RECORDS or stop == start):
            size += len(groups[stop])
            stop += 1
        chunk = np.concatenate(groups[start:stop])
        multi = pd.DataFrame({name: column(name).iloc[multi_rows[chunk]].reset_index(drop=True) for name in fields})
        columns = _Columns(multi, fields)
        del multi
        rows, offset = [], 0
        for group in groups[start:stop]:
            local = list(range(offset, offset + len(group)))
            offset += len(group)
            members = group.tolist()
            row = _merge_group(columns, local)
            row["cluster_id"] = cids[members[0]]
            row["n_records"] = len(members)
            row["databases"] = "; ".join(sorted({dbs[k] for k in members}))
            row["record_ids"] = "; ".join(rids[k] for k in members)
            row["first_search_date"] = min(dates[k] for k in members)
            rows.append(row)
        del columns
        part = pd.DataFrame(rows, columns=UNIQUE_COLUMNS)
        del rows
        for name, dtype in arrow.items():
            part[name] = as_arrow(part[name], dtype)
        parts.append(part)
        start = stop
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def unique_records(records: pd.DataFrame, cluster_id: np.ndarray) -> pd.DataFrame:
    """One row per cluster (ordered by cluster_id) with merged fields and provenance.

    Most clusters have one member: its fields are taken as they are (one ``take`` per column, so
    records held in Arrow, see :mod:`evsynth.dedup.storage`, stay there); only the members of
    larger clusters become Python values, merged group by group.
    """
    fields = [c for c in UNIQUE_COLUMNS if c not in _DERIVED]
    n = len(records)
    if n == 0:
        out = pd.DataFrame(columns=UNIQUE_COLUMNS)
        out["year"] = pd.array([], dtype="Int64")
        return out
    cluster_id = np.asarray(cluster_id, dtype=object)
    # members in search order (search date, then record id)
    order = (pd.DataFrame({"date": records["search_date"].to_numpy(), "rid": records["record_id"].to_numpy()})
             .sort_values(["date", "rid"], kind="stable").index.to_numpy())
    codes, _ = pd.factorize(cluster_id)
    is_single = np.bincount(codes)[codes] == 1
    single_rows = order[is_single[order]]
    multi_rows = order[~is_single[order]]

    def column(name: str) -> pd.Series:
        if name in records.columns:
            return records[name].reset_index(drop=True)
        return pd.Series([None] * n, dtype=object)

    databases = pd.Series(records["database"].astype(str).to_numpy(dtype=object))
    merged = _merge_groups(records, cluster_id, multi_rows, databases, column, fields)
    # Row k of the result: a single's record row, or (n + m) the m-th merged cluster; by cluster_id.
    ids = np.concatenate([cluster_id[single_rows], merged["cluster_id"].to_numpy(dtype=object)])
    source = np.concatenate([single_rows, n + np.arange(len(merged))])[np.argsort(ids, kind="stable")]
    of_singles = {"cluster_id": pd.Series(cluster_id), "n_records": pd.Series(np.ones(n, dtype=np.int64)),
                  "databases": databases, "record_ids": column("record_id"),
                  "first_search_date": column("search_date")}
    out = {}
    for name in UNIQUE_COLUMNS:
        whole = of_singles[name] if name in of_singles else column(name)
        extra = merged[name]
        if isinstance(whole.dtype, pd.ArrowDtype):
            out[name] = take_in_slices(whole, extra, source)
            continue
        both = pd.concat([whole, extra], ignore_index=True) if len(extra) else whole
        out[name] = both.take(source).reset_index(drop=True)
    out = pd.DataFrame(out, columns=UNIQUE_COLUMNS)
    out["year"] = pd.array([int(y) if _present(y) else None for y in out["year"]], dtype="Int64")
    return out

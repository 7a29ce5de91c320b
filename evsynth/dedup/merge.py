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


def _authors_quality(authors) -> tuple:
    names = list(authors) if isinstance(authors, (list, tuple, np.ndarray)) else str(authors).split(";")
    full = sum(len(str(n).split(",")[-1].strip().rstrip(".")) > 2 for n in names)
    return (len(names), full)


class _Columns:
    """The members' fields as object arrays, with a 'present' mask per field (no dict per row)."""

    def __init__(self, frame: pd.DataFrame, names: list[str]) -> None:
        self.values = {name: frame[name].to_numpy(dtype=object) for name in names}
        self.present = {name: np.fromiter((_present(v) for v in values), dtype=bool, count=len(values))
                        for name, values in self.values.items()}


def _merge_group(c: _Columns, rows: list[int]) -> dict:
    """Best fields of the members at positions `rows` (in search order)."""
    complete = {k: sum(c.present[f][k] for f in COMPLETE_FIELDS) for k in rows}
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
    out["authors"] = max(authors, key=_authors_quality) if authors else None
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


def unique_records(records: pd.DataFrame, cluster_id: np.ndarray) -> pd.DataFrame:
    """One row per cluster (ordered by cluster_id) with merged fields and provenance."""
    wanted = ["record_id", "database", "search_date"] + [c for c in UNIQUE_COLUMNS if c in records.columns]
    frame = records[list(dict.fromkeys(wanted))].copy()
    frame["cluster_id"] = cluster_id
    for name in UNIQUE_COLUMNS:
        if name not in frame.columns and name not in ("cluster_id", "n_records", "databases", "record_ids",
                                                      "first_search_date"):
            frame[name] = None
    frame = frame.sort_values(["search_date", "record_id"], kind="stable")
    sizes = frame["cluster_id"].value_counts()
    is_single = frame["cluster_id"].map(sizes).to_numpy() == 1
    fields = [c for c in UNIQUE_COLUMNS if c not in ("cluster_id", "n_records", "databases", "record_ids",
                                                      "first_search_date")]
    # Most clusters have one member: copy it (vectorised); merge only the others, group by group.
    singles = frame.loc[is_single, ["cluster_id", "database", "record_id", "search_date"] + fields]
    singles = singles.rename(columns={"database": "databases", "record_id": "record_ids",
                                      "search_date": "first_search_date"})
    singles.insert(1, "n_records", 1)
    singles["databases"] = singles["databases"].astype(str)
    multi = frame.loc[~is_single]
    del frame
    rows = []
    if len(multi):
        columns = _Columns(multi, fields)
        cids = multi["cluster_id"].to_numpy(dtype=object)
        dbs = multi["database"].astype(str).to_numpy(dtype=object)
        rids = multi["record_id"].to_numpy(dtype=object)
        dates = multi["search_date"].to_numpy(dtype=object)
        codes, uniques = pd.factorize(cids)
        order = np.argsort(codes, kind="stable")  # members stay in search order
        bounds = np.flatnonzero(np.diff(codes[order])) + 1
        for group in np.split(order, bounds):
            members = group.tolist()
            row = _merge_group(columns, members)
            row["cluster_id"] = cids[members[0]]
            row["n_records"] = len(members)
            row["databases"] = "; ".join(sorted({dbs[k] for k in members}))
            row["record_ids"] = "; ".join(rids[k] for k in members)
            row["first_search_date"] = min(dates[k] for k in members)
            rows.append(row)
    merged = pd.DataFrame(rows, columns=UNIQUE_COLUMNS)
    out = pd.concat([singles[UNIQUE_COLUMNS], merged], ignore_index=True) if len(merged) else singles[UNIQUE_COLUMNS]
    out = out.sort_values("cluster_id", kind="stable").reset_index(drop=True)
    if "year" in out.columns:
        out["year"] = pd.array([int(y) if _present(y) else None for y in out["year"]], dtype="Int64")
    return out[UNIQUE_COLUMNS]

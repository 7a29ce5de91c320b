"""Small hand-made records tables for the deduplication tests."""

from __future__ import annotations

import pandas as pd

from evsynth.records import COLUMNS


def make_records(*rows: dict, database: str = "medline", date: str = "2020-01-01") -> pd.DataFrame:
    """A records table from dicts; missing columns are None, record_id defaults to r1, r2, ..."""
    out = []
    for k, row in enumerate(rows, start=1):
        record = {column: None for column in COLUMNS}
        record.update(record_id=f"r{k}", database=database, search_date=date, source_file="test.ris",
                      position=k, source_id=str(k))
        record.update(row)
        out.append(record)
    frame = pd.DataFrame(out, columns=COLUMNS + [c for c in out[0] if c not in COLUMNS] if out else COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def cluster_of(result, record_id: str) -> str:
    links = result.links.set_index("record_id")
    return links.loc[record_id, "cluster_id"]


def same_cluster(result, a: str, b: str) -> bool:
    return cluster_of(result, a) == cluster_of(result, b)


ARTICLE = {
    "title": "Peer support workers in community mental health teams: a qualitative study of implementation",
    "authors": ["Gillard, Steve", "Edwards, Christine", "Gibson, Sarah", "Owen, Kathryn"],
    "year": 2013,
    "journal": "BMC Health Services Research",
    "volume": "13",
    "issue": "1",
    "pages": "188-196",
    "doi": "10.1186/1472-6963-13-188",
    "abstract": "Background: Peer workers are increasingly employed in mental health services. "
                "We explored the factors that help or hinder the implementation of the role.",
}

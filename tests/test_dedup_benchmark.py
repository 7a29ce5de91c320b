"""The special_cases benchmark (read from ../shared, never copied into the repository)."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evsynth.dedup import deduplicate
from evsynth.records import normalise_doi, parse_year

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dedup"


def load(folder: Path) -> pd.DataFrame:
    raw = pd.read_csv(folder / "records_pre_merged.csv", dtype=str, keep_default_na=False)
    journal = raw["journal"].where(raw["journal"] != "", raw.get("booktitle", ""))
    return pd.DataFrame({
        "record_id": raw["ID"], "database": "benchmark", "search_date": "1970-01-01",
        "title": raw["title"], "abstract": raw.get("abstract"),
        "authors": [[a.strip() for a in s.split(" and ")] if s else [] for s in raw["author"]],
        "year": pd.array([parse_year(y) for y in raw["year"]], dtype="Int64"), "journal": journal,
        "volume": raw.get("volume"), "issue": raw.get("issue", raw.get("number")), "pages": raw.get("pages"),
        "doi": [normalise_doi(d) for d in raw.get("doi", [""] * len(raw))],
        "publication_type": raw["ENTRYTYPE"],
    }).replace({"": None})


def pairs(groups) -> set:
    return {tuple(sorted(p)) for g in groups for p in itertools.combinations(g, 2)}


@pytest.mark.skipif(not (BENCHMARKS / "special_cases").is_dir(), reason="shared benchmarks not available")
def test_special_cases_all_pairs_found_and_no_false_pair():
    folder = BENCHMARKS / "special_cases"
    records = load(folder)
    gold = pairs(g.split(";") for g in pd.read_csv(folder / "merged_record_ids.csv")["merged_ids"])
    assert len(gold) == 3
    result = deduplicate(records)
    found = pairs(result.links.groupby("cluster_id")["record_id"].apply(list))
    assert found == gold
    assert np.isnan(result.links["score"][result.links["rule"] == "single"]).all()

"""The labelled benchmarks in ../shared/benchmarks/dedup (read there, never copied into the repository).

The same loaders and pair counts as scripts/bench_dedup.py, so the test and the printed benchmark
cannot disagree. Thresholds are the issue's targets; the exact counts pin today's behaviour so that
a change in matching shows up here first.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from evsynth.dedup import deduplicate
from scripts import bench_dedup

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = REPO.parent / "shared" / "benchmarks" / "dedup"


@pytest.mark.parametrize("dataset, true_pairs, missed, min_sensitivity", [
    ("special_cases", 3, 0, 1.0),
    ("respiratory", 500, 9, 0.97),
    ("digital_work", 567, 3, 0.99),
])
def test_benchmark_pairs(dataset, true_pairs, missed, min_sensitivity):
    folder = BENCHMARKS / dataset
    assert folder.is_dir(), f"{folder} is missing: the shared benchmarks must sit beside the repository"
    bench = bench_dedup
    records = bench.load_benchmark_records(folder)
    result = deduplicate(records)
    gold = bench.gold_labels(list(records["record_id"]), bench.load_gold_groups(folder))
    found = result.links["cluster_id"].to_numpy()
    true, false, lost = bench.pair_counts(gold, found)
    assert false == 0
    assert (true, lost) == (true_pairs, missed)
    assert true / (true + lost) >= min_sensitivity
    # a record that is linked to nothing carries no score
    assert np.isnan(result.links["score"][result.links["rule"] == "single"].astype(float)).all()

"""The labelled screening benchmarks in ../shared/benchmarks/screening (read there, never copied).

The benchmark scripts' own functions on the smallest set, against ``evsynth simulate`` run as a user
runs it, so the printed benchmark and the command cannot disagree. ASReview is not run here (it
lives in an environment of its own, see scripts/asreview_runner.py).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from evsynth.cli import main
from evsynth.screening.prioritise import PrioritySettings

REPO = Path(__file__).resolve().parents[1]
SCREENING = REPO.parent / "shared" / "benchmarks" / "screening"
ESTROGENS = SCREENING / "Cohen_2006_Estrogens.csv"


def script(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_bench_figures_are_the_commands_figures(tmp_path):
    assert ESTROGENS.is_file(), f"{ESTROGENS} is missing: the shared benchmarks must sit beside the repository"
    bench = script("bench_prioritise")
    results = bench.simulations([ESTROGENS], ("label_included", "label_abstract_screening"), [1], [25],
                                PrioritySettings(), tmp_path, with_asreview=False)
    assert set(results["label"]) == {"label_included", "label_abstract_screening"}
    row = results[results["label"] == "label_included"].iloc[0]
    assert (row["n_records"], row["n_included"]) == (368, 80)  # the benchmark README's counts
    out = tmp_path / "sim.json"
    assert main(["simulate", str(ESTROGENS), "--label", "label_included", "--priors", "1,1", "--seed", "1",
                 "--batch", "25", "--out", str(out)]) == 0
    record = json.loads(out.read_text())
    for figure in ("n_to_95", "n_to_100", "wss95", "recall_at_10pct", "recall_at_25pct"):
        assert record[figure] == row[figure], figure
    # Reading in file order finds 95% of inclusions after about 95% of records (WSS@95 near 0).
    assert record["wss95"] > 0.2


def test_stopping_bench_runs_on_a_set(capsys):
    stopping = script("bench_stopping")
    assert stopping.main(["--data", str(SCREENING), "--sets", "Cohen_2006_Estrogens", "--rankings", "1",
                          "--samples", "5"]) == 0
    printed = capsys.readouterr().out
    assert "share_reached" in printed and "guarantee" in printed


def test_asreview_weights_average_one_and_evsynths_average_5_4():
    # ASReview's Balanced(ratio=9.8): an include weighs 9.8 x n_out / n_in excludes, and the weights
    # average 1; evsynth's (balanced, includes x 9.8) average (1 + 9.8) / 2 = 5.4, the factor by which
    # its C is in effect larger.
    rebuilt = script("asreview_model")
    labels = np.array([1, 0, 0, 0])
    scaled = rebuilt.asreview_weights(labels)
    assert scaled.mean() == pytest.approx(1.0)
    assert scaled[0] / scaled[1] == pytest.approx(9.8 * 3)
    unscaled = rebuilt.asreview_weights(labels, scaled=False)
    assert unscaled.tolist() == pytest.approx([2 * 9.8, 2 / 3, 2 / 3, 2 / 3])
    assert unscaled.mean() == pytest.approx(5.4)
    assert rebuilt.SCALED_C == pytest.approx(0.11 / 5.4)

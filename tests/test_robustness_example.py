"""The example review's robustness checks reproduce the seed review's Stages 2 and 3.

Seed 001 (Results): "Including only the 13 individual PSW studies ... did not lead to deletion of any of
the eight strongest themes ... the three strongest themes being 'organisational culture', 'PSW role
definition' and 'resource availability'. Including only the six group-based PSW studies ... led to
deletion of 'PSW role definition' and 'support for PSW well being' ... 'organisational culture'
remaining the strongest theme." "Excluding the five studies rated as poor quality and the one study
rated as fair quality did not influence the content or strength-of-theme ordering."
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from evsynth.cli import main
from evsynth.fileio import sha256_of, write_csv
from evsynth.studies import INCLUDED_STUDIES
from evsynth.robustness.stage import SUMMARY_COLUMNS, analyse
from evsynth.synthesis.stage import load_synthesis

from example_helpers import CONFIG, RAW, example_config, make_review


@pytest.fixture(scope="module")
def review(tmp_path_factory):
    """The example's inputs in a review directory, with its included studies and CASP scores."""
    review = make_review(tmp_path_factory.mktemp("example"), example_config(
        quality={**CONFIG["quality"], "answers": str(RAW / "quality/casp.csv")},
        robustness={**CONFIG["robustness"], "bootstrap": {"replicates": 300, "seed": 20180716}}))
    assert main(["quality", str(RAW / "quality/casp.csv"), "--out", str(review / "results/quality"),
                 "--studies", str(review / "results/studies/included_studies.csv"),
                 "--config", str(review / "config" / "config.yaml")]) == 0
    assert main(["robustness", "--review", str(review)]) == 0
    return review


@pytest.fixture(scope="module")
def rankings(review):
    return pd.read_csv(review / "results/robustness/rankings.csv", keep_default_na=False)


@pytest.fixture(scope="module")
def summary(review):
    return pd.read_csv(review / "results/robustness/summary.csv", keep_default_na=False).set_index("analysis")


def analysis(rankings: pd.DataFrame, name: str) -> pd.DataFrame:
    return rankings[rankings["analysis"] == name].set_index("theme")


EIGHT = ["Organisational culture", "PSW training", "PSW role definition",
         "Staff willingness and ability to work with PSWs", "Resource availability", "Financial arrangements",
         "Support for PSW well-being", "Access to a peer network"]


def test_summary_has_a_row_per_analysis_with_the_issues_columns(summary):
    assert list(summary.reset_index().columns) == SUMMARY_COLUMNS
    assert list(summary.index) == ["modality: individual", "modality: group", "good quality only",
                                   "leave one study out", "bootstrap"]
    assert list(summary["n_studies"]) == [13, 6, 47, 52, 53]


def test_individual_subgroup_keeps_the_eight_and_reorders_the_top_three(rankings, summary):
    individual = analysis(rankings, "modality: individual")
    assert individual["N"].iloc[0] == 13
    top = individual[individual["rank"] <= 3].sort_values("rank")
    assert list(top.index) == ["Organisational culture", "PSW role definition", "Resource availability"]
    assert not individual.loc[EIGHT, "dropped"].any()
    assert summary.at["modality: individual", "top_k_changed"] == "True"  # read as text: the bootstrap row is empty
    assert "drops none of the 8 themes at or above 10%" in summary.at["modality: individual", "verdict"]


def test_group_subgroup_drops_role_definition_and_wellbeing_and_keeps_culture_first(rankings, summary):
    group = analysis(rankings, "modality: group")
    assert group["N"].iloc[0] == 6
    dropped_of_eight = [t for t in EIGHT if group.at[t, "dropped"]]
    assert dropped_of_eight == ["PSW role definition", "Support for PSW well-being"]
    assert list(group.index[group["rank"] == 1]) == ["Organisational culture"]
    assert summary.at["modality: group", "verdict"].startswith(
        "Including only the 6 studies with modality group drops PSW role definition and Support for PSW "
        "well-being (of the 8 themes at or above 10%)")


def test_excluding_poor_and_fair_studies_leaves_the_ranking_as_it_is(rankings, summary):
    good = analysis(rankings, "good quality only")
    full = analysis(rankings, "all included studies")
    assert good["N"].iloc[0] == 47
    assert list(good["rank"]) == list(full.loc[good.index, "rank"])
    assert summary.at["good quality only", "verdict"] == (
        "Excluding the 6 poor or fair studies leaves the same 14 themes in the same order, tau-b 1.00.")
    assert summary.at["good quality only", "kendall_tau_b"] == 1.0


def test_bootstrap_intervals_are_reproducible_with_the_seed(review):
    first = pd.read_csv(review / "results/robustness/bootstrap.csv")
    inputs = load_synthesis(yaml.safe_load((review / "config/config.yaml").read_text()),
                            "results/studies/included_studies.csv", base_dir=review)
    settings = {"top_k": 3, "subgroups": [], "sensitivity": [], "leave_one_out": False,
                "bootstrap": {"replicates": 300, "seed": 20180716, "confidence": 0.95}}
    again = analyse(inputs, settings).bootstrap
    pd.testing.assert_frame_equal(first[["code_id", "median_rank", "rank_low", "rank_high", "p_top_k"]],
                                  again[["code_id", "median_rank", "rank_low", "rank_high", "p_top_k"]],
                                  check_dtype=False)
    culture = first.set_index("theme").loc["Organisational culture"]
    assert culture["rank_low"] == 1 and culture["p_top_k"] > 0.9


def test_outputs_are_byte_identical_from_run_to_run(review, tmp_path):
    assert main(["robustness", "--review", str(review), "--out", str(tmp_path)]) == 0
    for name in ("summary.csv", "rankings.csv", "bootstrap.csv", "leave_one_out.csv", "verdicts.md",
                 "figures/rank_bump.svg", "figures/rank_bump.png"):
        assert sha256_of(tmp_path / name) == sha256_of(review / "results/robustness" / name), name


def same_studies_other_config(review: Path, other: Path, config: dict) -> Path:
    """A second review with the example's included studies and CASP scores but ``config``."""
    make_review(other, config, pd.read_csv(review / INCLUDED_STUDIES))
    write_csv(pd.read_csv(review / "results/quality/casp_scores.csv"), other / "results/quality/casp_scores.csv")
    return other


def test_a_subgroup_with_no_studies_is_reported_not_a_crash(review, tmp_path, capsys):
    config = yaml.safe_load((review / "config/config.yaml").read_text())
    config["robustness"] = {"subgroups": [{"attribute": "modality", "values": ["peer-led"]}],
                            "leave_one_out": False, "bootstrap": {"replicates": 0}}
    other = same_studies_other_config(review, tmp_path / "review", config)
    assert main(["robustness", "--review", str(other)]) == 0
    row = pd.read_csv(other / "results/robustness/summary.csv").iloc[0]
    assert row["n_studies"] == 0
    assert row["verdict"] == ("No included study is left in 'modality: peer-led', so there is nothing to compare "
                              "(in the included studies modality takes both, group, individual, not stated).")


def test_a_subgroup_attribute_missing_from_the_extraction_sheet_stops_with_a_message(review, tmp_path, capsys):
    config = yaml.safe_load((review / "config/config.yaml").read_text())
    config["robustness"] = {"subgroups": [{"attribute": "setting", "values": ["inpatient"]}]}
    other = same_studies_other_config(review, tmp_path / "review", config)
    assert main(["robustness", "--review", str(other)]) == 2
    message = capsys.readouterr().err
    assert "field 'robustness.subgroups[0].attribute': attribute 'setting' of analysis 'setting: inpatient' is " \
           f"not a column of the extraction sheet {RAW / 'extraction/studies.csv'}" in message
    assert "expected one of its columns (first_author, year, country, design, modality, income_group) or grade" in message
    assert not (other / "results/robustness").exists()

"""The example review's robustness checks reproduce the seed review's Stages 2 and 3 (seed_figures.yaml:
individual_subgroup, group_subgroup, good_quality_only)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from evsynth.cli import main
from evsynth.fileio import sha256_of, write_csv
from evsynth.stages import INCLUDED_STUDIES
from evsynth.robustness.stage import SUMMARY_COLUMNS, analyse
from evsynth.synthesis.stage import load_synthesis

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def review(tmp_path_factory, make_review, example_config):
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


@pytest.fixture(scope="module")
def label():
    """code_id -> label of the example's codebook."""
    codebook = pd.read_csv(RAW / "synthesis/codebook.csv")
    return dict(zip(codebook["code_id"], codebook["label"]))


@pytest.fixture(scope="module")
def eight(label, seed_figures):
    """The labels of the themes coded in at least 10% of the studies (the seed's eight strongest)."""
    return [label[code_id] for code_id in seed_figures["measure_items"]]


THRESHOLD = f"{CONFIG['synthesis']['threshold']:.0%}"


def test_summary_has_a_row_per_analysis_with_the_issues_columns(summary, seed_figures):
    assert list(summary.reset_index().columns) == SUMMARY_COLUMNS
    assert list(summary.index) == ["modality: individual", "modality: group", "good quality only",
                                   "leave one study out", "bootstrap"]
    included = seed_figures["included"]
    assert list(summary["n_studies"]) == [seed_figures["individual_subgroup"]["studies"],
                                          seed_figures["group_subgroup"]["studies"], seed_figures["grades"]["good"],
                                          included - 1, included]


def test_individual_subgroup_keeps_the_eight_and_reorders_the_top_three(rankings, summary, seed_figures, label, eight):
    published = seed_figures["individual_subgroup"]
    individual = analysis(rankings, "modality: individual")
    assert individual["N"].iloc[0] == published["studies"]
    top = individual[individual["rank"] <= 3].sort_values("rank")
    assert list(top.index) == [label[code_id] for code_id in published["strongest"]]
    assert [t for t in eight if individual.at[t, "dropped"]] == [label[code_id] for code_id in published["dropped"]]
    assert summary.at["modality: individual", "top_k_changed"] == "True"  # read as text: the bootstrap row is empty
    assert f"drops none of the {len(eight)} themes at or above {THRESHOLD}" in summary.at["modality: individual", "verdict"]


def test_group_subgroup_drops_role_definition_and_wellbeing_and_keeps_culture_first(rankings, summary, seed_figures,
                                                                                     label, eight):
    published = seed_figures["group_subgroup"]
    group = analysis(rankings, "modality: group")
    assert group["N"].iloc[0] == published["studies"]
    dropped_of_eight = [t for t in eight if group.at[t, "dropped"]]
    assert dropped_of_eight == [label[code_id] for code_id in published["dropped"]]
    assert list(group.index[group["rank"] == 1]) == [label[code_id] for code_id in published["strongest"]]
    assert summary.at["modality: group", "verdict"].startswith(
        f"Including only the {published['studies']} studies with modality group drops "
        f"{' and '.join(dropped_of_eight)} (of the {len(eight)} themes at or above {THRESHOLD})")


def test_excluding_poor_and_fair_studies_leaves_the_ranking_as_it_is(rankings, summary, seed_figures):
    published = seed_figures["good_quality_only"]
    good = analysis(rankings, "good quality only")
    full = analysis(rankings, "all included studies")
    assert good["N"].iloc[0] == seed_figures["included"] - sum(published["excluded"].values())
    assert published["same_ranking"] and list(good["rank"]) == list(full.loc[good.index, "rank"])
    assert summary.at["good quality only", "verdict"] == (
        f"Excluding the {sum(published['excluded'].values())} poor or fair studies leaves the same "
        f"{len(seed_figures.all_themes())} themes in the same order, tau-b 1.00.")
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


@pytest.fixture()
def same_studies_other_config(make_review):
    def review_like(review: Path, other: Path, config: dict) -> Path:
        """A second review with the example's included studies and CASP scores but ``config``."""
        make_review(other, config, pd.read_csv(review / INCLUDED_STUDIES))
        write_csv(pd.read_csv(review / "results/quality/casp_scores.csv"), other / "results/quality/casp_scores.csv")
        return other
    return review_like


def test_a_subgroup_with_no_studies_is_reported_not_a_crash(review, tmp_path, capsys, same_studies_other_config):
    config = yaml.safe_load((review / "config/config.yaml").read_text())
    config["robustness"] = {"subgroups": [{"attribute": "modality", "values": ["peer-led"]}],
                            "leave_one_out": False, "bootstrap": {"replicates": 0}}
    other = same_studies_other_config(review, tmp_path / "review", config)
    assert main(["robustness", "--review", str(other)]) == 0
    row = pd.read_csv(other / "results/robustness/summary.csv").iloc[0]
    assert row["n_studies"] == 0
    assert row["verdict"] == ("No included study is left in 'modality: peer-led', so there is nothing to compare "
                              "(in the included studies modality takes both, group, individual, not stated).")


def test_a_subgroup_attribute_missing_from_the_extraction_sheet_stops_with_a_message(review, tmp_path, capsys,
                                                                                     same_studies_other_config):
    config = yaml.safe_load((review / "config/config.yaml").read_text())
    config["robustness"] = {"subgroups": [{"attribute": "setting", "values": ["inpatient"]}]}
    other = same_studies_other_config(review, tmp_path / "review", config)
    assert main(["robustness", "--review", str(other)]) == 2
    message = capsys.readouterr().err
    assert "field 'robustness.subgroups[0].attribute': attribute 'setting' of analysis 'setting: inpatient' is " \
           f"not a column of the extraction sheet {RAW / 'extraction/studies.csv'}" in message
    assert "expected one of its columns (first_author, year, country, design, modality, income_group) or grade" in message
    assert not (other / "results/robustness").exists()

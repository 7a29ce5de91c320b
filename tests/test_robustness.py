"""Robustness analyses on small hand-made reviews: comparisons, verdicts, filters, resampling, bad input."""

from __future__ import annotations

import pandas as pd
import pytest

from evsynth.errors import InputError
from evsynth.robustness.compare import compare, verdict
from evsynth.robustness.resample import bootstrap, bootstrap_table, leave_one_out
from evsynth.robustness.settings import (check_attributes, checked_section, config_line, configured_analyses,
                                         select_studies)
from evsynth.synthesis.votes import CountRules, vote_counts

LABELS = {"A": "Alpha", "B": "Beta", "C": "Gamma", "D": "Delta"}
RULES = CountRules(threshold=0.25)


def matrix(rows: dict[str, str]) -> pd.DataFrame:
    """Units x themes A-D from strings like '1100' (1 = the unit codes the theme)."""
    return pd.DataFrame([[int(c) for c in codes] for codes in rows.values()], index=pd.Index(list(rows), name="unit_id"),
                        columns=list("ABCD")).astype("int8")


# Eight units: A coded by 6, B by 5, C by 3, D by 1 (unit u8 alone) -> ranks 1, 2, 3, 4.
M = matrix({"u1": "1110", "u2": "1110", "u3": "1110", "u4": "1100", "u5": "1100", "u6": "1000", "u7": "0000",
            "u8": "0001"})
UNITS = pd.DataFrame({"study_id": [f"S{i}" for i in range(1, 9)], "citation": [f"Study {i}" for i in range(1, 9)],
                      "modality": ["group"] * 3 + ["individual"] * 5,
                      "grade": ["good"] * 6 + ["poor", "poor"]}, index=M.index)


def test_tau_b_and_rho_of_one_swap_are_the_hand_values():
    full = vote_counts(M, rules=RULES)
    # Without u1-u3, C is coded by none (dropped) and D (1 unit) moves above it: ranks 1, 2, 4, 3.
    subset = vote_counts(M, ["u4", "u5", "u6", "u7", "u8"], rules=RULES)
    c = compare(full, subset, LABELS, top_k=2)
    assert list(subset["n"]) == [3, 2, 0, 1]
    assert c.dropped == ["C"]
    # tau-b = (concordant 5 - discordant 1) / 6 pairs; rho = 1 - 6 * (1 + 1) / (4 * 15).
    assert c.kendall_tau_b == pytest.approx(4 / 6)
    assert c.spearman_rho == pytest.approx(0.8)
    assert c.fell == ["C"] and c.rose == []
    assert c.top_k == ["A", "B"] and not c.top_k_changed
    shifts = dict(zip(c.table["code_id"], c.table["rank_shift"]))
    assert shifts == {"A": 0, "B": 0, "D": 1, "C": -1}


def test_verdict_of_an_unchanged_ranking_reads_as_the_issue_shows():
    full = vote_counts(M, rules=RULES)
    subset = vote_counts(M, list(M.index[:6]), rules=RULES)  # u7, u8 left out: D is dropped
    c = compare(full, subset, LABELS, top_k=2)
    assert not c.same_order
    same = compare(full, full, LABELS, top_k=2)
    assert verdict("Excluding the 0 poor studies", same, full, full, LABELS, 0.25, 2) == (
        "Excluding the 0 poor studies leaves the same 4 themes in the same order, tau-b 1.00.")


def test_verdict_names_dropped_themes_and_the_new_top():
    full = vote_counts(M, rules=RULES)
    # u4-u8: A 3, B 2, C 0, D 1; threshold 25% of 5 units = 1.25, so D (1) stays below it.
    subset = vote_counts(M, ["u6", "u7", "u8", "u4"], rules=RULES)  # A 2, B 1, C 0, D 1
    c = compare(full, subset, LABELS, top_k=2)
    text = verdict("Including only the 4 studies", c, full, subset, LABELS, 0.25, 2)
    assert text.startswith("Including only the 4 studies drops Gamma (of the 3 themes at or above 25%)")
    assert "Alpha stays the strongest and the themes ranked 2 or better become Alpha, Beta (2=) and Delta (2=)" in text
    assert "(were Alpha and Beta)" in text
    assert text.endswith(f"tau-b {c.kendall_tau_b:.2f}.")


def test_filters_select_studies_by_attribute_and_grade():
    settings = {"subgroups": [{"attribute": "modality", "values": ["group", ["individual", "both"]]}],
                "sensitivity": [{"exclude": {"grade": ["poor"]}}, {"name": "only good group",
                                                                    "include": {"grade": ["good"], "modality": ["GROUP"]}}]}
    analyses = configured_analyses(settings)
    assert [a.name for a in analyses] == ["modality: group", "modality: individual + both", "without grade poor",
                                          "only good group"]
    studies = UNITS.reset_index(drop=True)
    assert select_studies(studies, analyses[0]) == ["S1", "S2", "S3"]
    assert select_studies(studies, analyses[1]) == ["S4", "S5", "S6", "S7", "S8"]
    assert select_studies(studies, analyses[2]) == ["S1", "S2", "S3", "S4", "S5", "S6"]
    assert select_studies(studies, analyses[3]) == ["S1", "S2", "S3"]
    assert analyses[2].phrase(6, 2) == "Excluding the 2 poor studies"
    assert analyses[0].phrase(3, 5) == "Including only the 3 studies with modality group"


def test_leave_one_out_drops_a_theme_coded_by_one_study_only():
    full = vote_counts(M, rules=RULES)
    table = leave_one_out(M, UNITS, full, LABELS, RULES, top_k=2)
    assert len(table) == 8 and set(table["n_studies"]) == {7}
    assert table.set_index("study_id").at["S8", "themes_dropped"] == "Delta"
    assert (table["themes_dropped"] != "").sum() == 1
    # Without S7 (codes nothing) every count stays: the same ranking, tau-b 1.
    assert table.set_index("study_id").at["S7", "kendall_tau_b"] == 1.0


def test_bootstrap_is_reproducible_with_its_seed_and_changes_with_another():
    full = vote_counts(M, rules=RULES)
    first = bootstrap_table(bootstrap(M, UNITS, full, RULES, 400, seed=7), full, LABELS, 2, 0.95)
    again = bootstrap_table(bootstrap(M, UNITS, full, RULES, 400, seed=7), full, LABELS, 2, 0.95)
    other = bootstrap_table(bootstrap(M, UNITS, full, RULES, 400, seed=8), full, LABELS, 2, 0.95)
    pd.testing.assert_frame_equal(first, again)
    assert not first.equals(other)
    assert list(first["code_id"]) == ["A", "B", "C", "D"]
    assert (first["rank_low"] <= first["median_rank"]).all() and (first["median_rank"] <= first["rank_high"]).all()
    # D is coded by one study of eight: a resample misses it with probability (7/8)^8 = 0.344.
    assert first.set_index("code_id").at["D", "p_absent"] == pytest.approx((7 / 8) ** 8, abs=0.06)


def test_bootstrap_keeps_the_reports_of_a_study_together():
    units = UNITS.copy()
    units["study_id"] = ["S1", "S1", "S2", "S2", "S3", "S3", "S4", "S4"]
    full = vote_counts(M, rules=RULES)
    result = bootstrap(M, units, full, RULES, 50, seed=1)
    assert result.n_studies == 4
    # Every resample has 4 studies of 2 reports: N is always 8, so a theme is never flagged by chance alone.
    assert result.ranks.shape == (50, 4)


def test_an_attribute_missing_from_the_extraction_sheet_names_file_line_and_columns(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("robustness:\n  subgroups:\n    - attribute: modalty\n      values: [group]\n", encoding="utf-8")
    analyses = configured_analyses({"subgroups": [{"attribute": "modalty", "values": ["group"]}]})
    with pytest.raises(InputError) as error:
        check_attributes(analyses, UNITS.drop(columns="grade"), "data/raw/extraction/studies.csv", False, str(config))
    message = str(error.value)
    assert message.startswith(f"{config}, line 3, field 'robustness.subgroups[0].attribute': attribute 'modalty'")
    assert "not a column of the extraction sheet data/raw/extraction/studies.csv" in message
    assert "expected one of its columns (modality)" in message


def test_filtering_on_grade_without_quality_scores_is_an_error():
    analyses = configured_analyses({"sensitivity": [{"exclude": {"grade": ["poor"]}}]})
    with pytest.raises(InputError, match="filters on the CASP grade but the review has no quality scores"):
        check_attributes(analyses, UNITS.drop(columns="grade"), "studies.csv", False)


def test_config_values_are_checked_against_the_schema(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("robustness:\n  bootstrap:\n    replicates: -5\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        checked_section({"robustness": {"bootstrap": {"replicates": -5}}}, "robustness", str(config))
    assert "line 3, field 'robustness.bootstrap.replicates'" in str(error.value)
    assert "expected resamples (0: no bootstrap)" in str(error.value)
    settings = checked_section({}, "robustness")
    assert settings["top_k"] == 3 and settings["leave_one_out"] is True
    assert settings["bootstrap"] == {"replicates": 2000, "seed": 1, "confidence": 0.95}
    assert config_line(config, ["robustness", "bootstrap", "replicates"]) == 3

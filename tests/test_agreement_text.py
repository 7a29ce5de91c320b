"""agreement.md's words: 'kappa is low' depends on kappa's value as well as on how rare inclusions are."""

import pandas as pd
import pytest

from evsynth.screening.agreement import agreement_summary, kappa_reading, stage_agreement


def _summary(both_in, only_a, only_b, both_out):
    """agreement.md's text for a 2 x 2 table (rows: reviewer A include/exclude; columns: B)."""
    rows = ([("include", "include")] * both_in + [("include", "exclude")] * only_a
            + [("exclude", "include")] * only_b + [("exclude", "exclude")] * both_out)
    pairs = pd.DataFrame({"stage": "title_abstract", "cluster_id": [f"C{i}" for i in range(len(rows))],
                          "reviewer_a": "A", "reviewer_b": "B",
                          "binary_a": [a for a, _ in rows], "binary_b": [b for _, b in rows]})
    agreement, table = stage_agreement(pairs)
    return agreement.set_index("statistic")["value"], agreement_summary(agreement, table)


def test_rare_inclusions_and_high_kappa_is_not_called_low():
    # 200 records: both include 7, 2 + 2 disagreements. p_o = 196/200 = 0.98; each includes 9/200,
    # p_e = 0.045^2 + 0.955^2 = 0.91405; kappa = (0.98 - 0.91405) / (1 - 0.91405) = 0.767.
    values, text = _summary(7, 2, 2, 189)
    assert values["cohen_kappa"] == pytest.approx((0.98 - 0.91405) / (1 - 0.91405))
    assert "Inclusions were rare: 4.5%" in text  # (2 * 7 + 2 + 2) / 400
    assert "is low" not in text
    assert "Even so, Cohen's kappa is 0.77 (substantial on Landis & Koch's scale)" in text


def test_rare_inclusions_and_low_kappa_says_low_next_to_the_concordance():
    # Each reviewer includes 5 of 200, never the same: p_o = 0.95, p_e = 0.025^2 + 0.975^2 = 0.95125,
    # kappa = (0.95 - 0.95125) / 0.04875 = -0.03.
    values, text = _summary(0, 5, 5, 190)
    assert round(values["cohen_kappa"], 2) == -0.03
    assert "Cohen's kappa (-0.03, poor on Landis & Koch's scale) is low, while the reviewers agreed on 95.0%" in text


def test_moderate_kappa_with_rare_inclusions_is_low():
    # Both include 2, 3 + 3 disagreements, 192 both exclude: p_o = 0.97, each includes 5/200,
    # p_e = 0.025^2 + 0.975^2 = 0.95125, kappa = (0.97 - 0.95125) / 0.04875 = 0.385 (fair).
    values, text = _summary(2, 3, 3, 192)
    assert values["cohen_kappa"] == pytest.approx(0.01875 / 0.04875)
    assert "Cohen's kappa (0.38, fair on Landis & Koch's scale) is low" in text


def test_common_inclusions_get_no_rare_inclusions_paragraph():
    # Feinstein & Cicchetti's first table: 40, 9, 6, 45 (85% agreement, kappa 0.70, includes ~48%).
    _, text = _summary(40, 9, 6, 45)
    assert "Inclusions were rare" not in text and "Cohen's kappa: 0.70" in text


@pytest.mark.parametrize("kappa, word", [(-0.2, "poor"), (0.0, "slight"), (0.2, "slight"), (0.204, "slight"),
                                         (0.21, "fair"), (0.6, "moderate"), (0.61, "substantial"),
                                         (0.81, "almost perfect"), (1.0, "almost perfect")])
def test_landis_koch_words(kappa, word):
    assert kappa_reading(kappa) == word

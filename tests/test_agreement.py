"""Agreement statistics against published values and irrCAC's documented output."""

import math

import numpy as np
import pytest

from evsynth.agreement import (
    STATISTICS,
    agreement_from_ratings,
    agreement_from_table,
    coefficients_with_variances,
    contingency_table,
)


def _values(frame):
    return dict(zip(frame["statistic"], frame["value"]))


def _row(frame, statistic):
    return frame.set_index("statistic").loc[statistic]


@pytest.mark.parametrize("table, kappa", [([[40, 9], [6, 45]], 0.70), ([[80, 10], [5, 5]], 0.32)])
def test_feinstein_cicchetti_1990_tables(table, kappa):
    # Feinstein & Cicchetti (1990), J Clin Epidemiol 43:543: both tables have 85% agreement.
    values = _values(agreement_from_table(table))
    assert values["percent_agreement"] == pytest.approx(0.85)
    assert round(values["cohen_kappa"], 2) == kappa
    # PABAK depends on agreement only, so it is the same for both tables.
    assert values["pabak"] == pytest.approx(0.70)


def test_prevalence_and_bias_indices_by_hand():
    # Byrt et al. (1993): PI = (a - d) / n, BI = (b - c) / n.
    values = _values(agreement_from_table([[80, 10], [5, 5]]))
    assert values["prevalence_index"] == pytest.approx(0.75)
    assert values["bias_index"] == pytest.approx(0.05)


# irrCAC's README/vignette (Gwet), dataset cont3x3abstractors:
#   kappa2.table    0.7964094 se 0.05891072 (0.68,0.913)
#   gwet.ac1.table  0.8493305 se 0.04321747 (0.764,0.935)
#   bp2.table       0.835     se 0.04693346 (0.742,0.928)
#   pa2.table       0.89      se 0.03128898 (0.828,0.952)
ABSTRACTORS = [[13, 0, 0], [0, 20, 7], [0, 4, 56]]
IRRCAC = {
    "cohen_kappa": (0.7964094, 0.05891072, 0.68, 0.913),
    "gwet_ac1": (0.8493305, 0.04321747, 0.764, 0.935),
    "pabak": (0.835, 0.04693346, 0.742, 0.928),
    "percent_agreement": (0.89, 0.03128898, 0.828, 0.952),
}


@pytest.mark.parametrize("statistic", sorted(IRRCAC))
def test_irrcac_documented_example(statistic):
    value, stderr, low, high = IRRCAC[statistic]
    coefficients, n = coefficients_with_variances(ABSTRACTORS)
    assert n == 100
    assert coefficients[statistic][0] == pytest.approx(value, abs=5e-8)
    assert math.sqrt(coefficients[statistic][1]) == pytest.approx(stderr, abs=5e-9)
    row = _row(agreement_from_table(ABSTRACTORS), statistic)
    assert round(row["ci_low"], 3) == low
    assert round(row["ci_high"], 3) == high
    assert row["n"] == 100


def test_three_categories_have_no_prevalence_or_bias_index():
    frame = agreement_from_table(ABSTRACTORS)
    assert list(frame["statistic"]) == list(STATISTICS)
    assert list(frame.columns) == ["statistic", "value", "ci_low", "ci_high", "n"]
    values = _values(frame)
    assert math.isnan(values["prevalence_index"]) and math.isnan(values["bias_index"])
    # PABAK for k categories: (k * po - 1) / (k - 1) = (3 * 0.89 - 1) / 2.
    assert values["pabak"] == pytest.approx(0.835)


def test_rare_inclusions_kappa_near_zero_at_high_agreement():
    # 200 records, each reviewer includes 5, never the same ones: 95% agreement, kappa below 0.
    values = _values(agreement_from_table([[0, 5], [5, 190]]))
    assert values["percent_agreement"] == pytest.approx(0.95)
    assert values["cohen_kappa"] == pytest.approx((0.95 - (0.025**2 + 0.975**2)) / (1 - (0.025**2 + 0.975**2)))
    assert values["cohen_kappa"] < 0
    assert values["gwet_ac1"] > 0.9
    assert values["prevalence_index"] == pytest.approx(-0.95)


def test_ratings_give_the_same_as_their_table():
    a = ["yes", "yes", "no", "can't tell", "no", "yes", "no", "no"]
    b = ["yes", "no", "no", "can't tell", "no", "yes", "yes", "no"]
    categories = ["yes", "no", "can't tell"]
    table = contingency_table(a, b, categories)
    assert table.loc["yes", "no"] == 1 and table.loc["no", "yes"] == 1 and table.loc["no", "no"] == 3
    from_ratings = agreement_from_ratings(a, b, categories)
    from_table = agreement_from_table(table.to_numpy())
    assert np.allclose(from_ratings[["value", "ci_low", "ci_high"]].to_numpy(dtype=float),
                       from_table[["value", "ci_low", "ci_high"]].to_numpy(dtype=float), equal_nan=True)
    assert _values(from_ratings)["percent_agreement"] == pytest.approx(6 / 8)


def test_default_categories_are_the_sorted_union_and_order_sets_the_positive_category():
    a, b = ["include", "exclude", "exclude", "exclude"], ["include", "include", "exclude", "exclude"]
    default = _values(agreement_from_ratings(a, b))  # exclude first
    assert default["prevalence_index"] == pytest.approx((2 - 1) / 4)
    assert default["bias_index"] == pytest.approx((1 - 0) / 4)  # A excluded, B included: 1
    include_first = _values(agreement_from_ratings(a, b, ["include", "exclude"]))
    assert include_first["prevalence_index"] == pytest.approx(-0.25)
    assert include_first["cohen_kappa"] == pytest.approx(default["cohen_kappa"])


def test_unused_category_changes_pabak_but_not_kappa():
    a, b = ["yes", "no", "no", "no"], ["yes", "no", "yes", "no"]
    two = _values(agreement_from_ratings(a, b, ["yes", "no"]))
    three = _values(agreement_from_ratings(a, b, ["yes", "no", "can't tell"]))
    assert three["cohen_kappa"] == pytest.approx(two["cohen_kappa"])
    assert three["pabak"] == pytest.approx((3 * 0.75 - 1) / 2)
    assert two["pabak"] == pytest.approx(0.5)


def test_perfect_agreement_and_a_single_category():
    perfect = agreement_from_table([[3, 0], [0, 7]]).set_index("statistic")
    assert perfect.loc["cohen_kappa", "value"] == pytest.approx(1.0)
    assert perfect.loc["cohen_kappa", "ci_high"] == pytest.approx(1.0)
    single = _values(agreement_from_table([[10, 0], [0, 0]]))
    assert math.isnan(single["cohen_kappa"])  # chance agreement is 1: kappa undefined
    assert single["percent_agreement"] == 1.0


@pytest.mark.parametrize("args, message", [
    ((["a", "b"], ["a"]), "different numbers of subjects"),
    ((["a", "b"], ["a", "c"], ["a", "b"]), "rating(s) c are not among the categories"),
    ((["a", None], ["a", "b"]), "a rating is missing"),
])
def test_bad_ratings(args, message):
    with pytest.raises(ValueError) as error:
        agreement_from_ratings(*args)
    assert message in str(error.value)


@pytest.mark.parametrize("table, message", [
    ([[1, 2, 3], [4, 5, 6]], "square"),
    ([[0, 0], [0, 0]], "empty"),
    ([[1, -1], [0, 2]], "negative"),
])
def test_bad_tables(table, message):
    with pytest.raises(ValueError, match=message):
        agreement_from_table(table)

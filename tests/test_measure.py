"""The Implementation Measure: items from the synthesis, scores, spread, validity groups, bad input.

On the example review, the seed's Table 2 (seed_figures.yaml: measure_items, item_means, mean_item_score).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from evsynth.cli import main
from evsynth.errors import InputError
from evsynth.fileio import sha256_of
from evsynth.measure import evaluate, round_ratio
from evsynth.robustness.settings import checked_section
from evsynth.stages import run_in_review

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def review(tmp_path_factory, make_review, example_config):
    """The example's synthesis and measure run through the CLI in a review directory."""
    review = make_review(tmp_path_factory.mktemp("example"), example_config(
        measure={**CONFIG["measure"], "ratings": str(RAW / "measure/ratings.csv"),
                 "sites": str(RAW / "measure/sites.csv")}))
    for name in ("ingest", "dedup", "study_sources"):  # the synthesis audit reads the study sources
        run_in_review(name, review)
    assert main(["synthesis", "--review", str(review)]) == 0
    assert main(["measure", "--review", str(review)]) == 0
    return review


def read(review: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(review / "results/measure" / name)


def test_rounding_is_exact_half_up_as_published():
    assert round_ratio(56, 32) == 1.8  # 1.75
    assert round_ratio(13, 16) == 0.8  # 0.8125
    assert round_ratio(7, 6) == 1.2
    assert round_ratio(5, 4) == 1.3 and round_ratio(5, 4, rule="half_even") == 1.2
    assert round_ratio(37, 24, decimals=2) == 1.54


def test_items_are_the_eight_flagged_themes_in_rank_order(review, seed_figures):
    items = read(review, "items.csv")
    strength = pd.read_csv(review / "results/synthesis/theme_strength.csv")
    flagged = strength[(strength["level"] == "theme") & strength["flagged"]]
    assert list(items["item"]) == list(range(1, seed_figures["measure_scale"]["items"] + 1))
    assert list(items["code_id"]) == list(flagged["code_id"]) == seed_figures["measure_items"]
    assert items["theme"].iloc[0] == "Organisational culture"


def test_item_means_and_ranges_are_the_published_ones(review, seed_figures):
    published = seed_figures["item_means"]
    items = read(review, "items.csv").set_index("item")
    assert (items["mean"].min(), items["mean"].max()) == (published["lowest"], published["highest"])
    # Item means by hand from ratings.csv: sums 9, 9, 7, 8, 10, 8, 10, 8 over 6 sites.
    assert list(items["sum"]) == [9, 9, 7, 8, 10, 8, 10, 8]
    assert list(items["mean"]) == [1.5, 1.5, 1.2, 1.3, 1.7, 1.3, 1.7, 1.3]
    assert list(items.index[items["range"] < 2]) == published["narrow_range_items"]
    assert list(items.index[items["narrow_range"]]) == published["narrow_range_items"]
    assert not items["floor"].any() and not items["ceiling"].any()


def test_sum_scores_and_validity_groups(review, seed_figures):
    scores = read(review, "site_scores.csv").set_index("site")
    assert scores["sum_score"].to_dict() == {"Ulm": 5, "Hamburg": 14, "Kampala": 13, "Dar es Salaam": 8,
                                             "Beer Sheva": 18, "Pune": 11}
    assert set(scores["max_score"]) == {seed_figures["measure_scale"]["sum_highest"]}
    validity = read(review, "validity.csv").set_index("group")
    assert validity.loc["with PSW implementation experience", ["sum_ratings", "n_ratings"]].tolist() == [56, 32]
    assert validity["mean_item_score"].to_dict() == seed_figures["mean_item_score"]
    assert validity.at["in low and lower-middle income countries", "sites"] == "Kampala; Dar es Salaam; Pune"
    text = (review / "results/measure/summary.md").read_text()
    means, (narrow,) = seed_figures["item_means"], seed_figures["item_means"]["narrow_range_items"]
    assert f"The mean rating per item ranges from {means['lowest']} to {means['highest']} (scale mid-point 1.5); " \
           f"each item except item {narrow} spans at least 2 points" in text


def test_outputs_are_byte_identical_from_run_to_run(review, tmp_path):
    assert main(["measure", "--review", str(review), "--out", str(tmp_path)]) == 0
    for name in ("items.csv", "site_scores.csv", "validity.csv", "summary.md", "figures/site_item_heatmap.svg",
                 "figures/site_item_heatmap.png"):
        assert sha256_of(tmp_path / name) == sha256_of(review / "results/measure" / name), name


# -- bad input, on a small measure of two items -------------------------------------------------------

STRENGTH = ("code_id,theme,level,parent_id,parent,n,N,proportion,percent,rank,flagged\n"
            "A1,Culture,theme,,,5,10,0.5,50,1,True\nA2,Training,theme,,,2,10,0.2,20,2,True\n"
            "A3,Money,theme,,,1,10,0.1,10,3,False\nA2.1,Sub,subtheme,A2,Training,2,10,0.2,20,1,False\n")
SITES = "site,country,income_group,psw_experience\nNorth,X,high,yes\nSouth,Y,low,no\n"
RATINGS = "site,item,rating,rater\nNorth,A1,3,K\nNorth,A2,2,K\nSouth,A1,0,L\nSouth,A2,1,L\n"


def run_small(tmp_path: Path, ratings: str = RATINGS, sites: str = SITES):
    for name, text in (("strength.csv", STRENGTH), ("sites.csv", sites), ("ratings.csv", ratings)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = checked_section({"measure": {"validity": [
        {"kind": "convergent", "attribute": "psw_experience",
         "groups": [{"label": "experienced", "values": ["yes"]}, {"label": "new", "values": ["no"]}]}]}}, "measure")
    return evaluate(tmp_path / "strength.csv", tmp_path / "ratings.csv", tmp_path / "sites.csv", settings)


def test_small_measure_by_hand(tmp_path):
    measure = run_small(tmp_path)
    assert list(measure.items["code_id"]) == ["A1", "A2"]  # A3 is below the threshold, A2.1 a subtheme
    assert list(measure.items["mean"]) == [1.5, 1.5]
    assert list(measure.scores["sum_score"]) == [5, 1]
    assert list(measure.validity["mean_item_score"]) == [2.5, 0.5]


def test_a_rating_outside_the_scale(tmp_path):
    with pytest.raises(InputError) as error:
        run_small(tmp_path, RATINGS.replace("North,A2,2", "North,A2,4"))
    assert str(error.value) == (f"{tmp_path / 'ratings.csv'}, row 3, field 'rating': value '4' is not allowed; "
                                "expected an integer from 0 to 3")


def test_a_rating_of_an_item_that_is_not_a_measure_item(tmp_path):
    with pytest.raises(InputError) as error:
        run_small(tmp_path, RATINGS + "South,A3,2,L\n")
    assert str(error.value) == (f"{tmp_path / 'ratings.csv'}, row 6, field 'item': item 'A3' is not an "
                                "Implementation Measure item; expected the code_id of one of the 2 items, the themes "
                                "at or above the synthesis threshold: A1 (Culture), A2 (Training)")


def test_a_site_without_attributes(tmp_path):
    with pytest.raises(InputError) as error:
        run_small(tmp_path, RATINGS + "East,A1,2,M\n")
    message = str(error.value)
    assert message.startswith(f"{tmp_path / 'ratings.csv'}, row 6, field 'site': site 'East' has no row "
                              f"(no attributes) in {tmp_path / 'sites.csv'}")
    assert "expected a site of" in message and "(North, South)" in message


def test_a_site_rating_an_item_twice_or_not_at_all(tmp_path):
    with pytest.raises(InputError, match=r"row 6, field 'item': site 'South' rates item 'A2' twice \(first at row 5\)"):
        run_small(tmp_path, RATINGS + "South,A2,3,L\n")
    with pytest.raises(InputError, match="site 'South' has no rating for item\\(s\\) A2"):
        run_small(tmp_path, RATINGS.replace("South,A2,1,L\n", ""))
    with pytest.raises(InputError, match=r"sites.csv, row 4, field 'site': site 'West' has no rating"):
        run_small(tmp_path, sites=SITES + "West,Z,high,no\n")


def test_a_validity_attribute_missing_from_the_sites(tmp_path):
    for name, text in (("strength.csv", STRENGTH), ("sites.csv", SITES), ("ratings.csv", RATINGS)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = checked_section({"measure": {"validity": [
        {"kind": "discriminant", "attribute": "region",
         "groups": [{"label": "a", "values": ["x"]}, {"label": "b", "values": ["y"]}]}]}}, "measure")
    with pytest.raises(InputError, match=r"field 'measure.validity\[0\].attribute': validity attribute 'region' is "
                                         r"not a column of .*sites.csv; expected one of country, income_group, "
                                         r"psw_experience"):
        evaluate(tmp_path / "strength.csv", tmp_path / "ratings.csv", tmp_path / "sites.csv", settings)

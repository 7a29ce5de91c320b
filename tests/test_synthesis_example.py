"""The example review's synthesis reproduces the seed review's strength-of-theme figures (Results,
Stage 1; seed_figures.yaml: themes, unclear_themes, measure_items)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from evsynth.cli import main
from evsynth.fileio import sha256_of
from evsynth.stages import run_in_review

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"


@pytest.fixture(scope="module")
def example(tmp_path_factory, make_review, example_config):
    """A review directory whose config names the example's tables; the synthesis run through the CLI."""
    review = make_review(tmp_path_factory.mktemp("example"), example_config())
    for name in ("ingest", "dedup", "study_sources"):  # the audit names each study's export records
        run_in_review(name, review)
    assert main(["synthesis", "--review", str(review)]) == 0
    return review


@pytest.fixture(scope="module")
def strength(example):
    return pd.read_csv(example / "results/synthesis/theme_strength.csv", keep_default_na=False)


@pytest.fixture(scope="module")
def themes(strength):
    return strength[strength["level"] == "theme"].set_index("code_id")


def test_fourteen_influences_with_the_published_percentages(themes, seed_figures):
    published = seed_figures.all_themes()
    assert sorted(themes.index) == sorted(theme["code_id"] for theme in published)
    assert set(themes["N"]) == {seed_figures["included"]}
    assert [themes.loc[t["code_id"], "percent"] for t in published] == [t["percent"] for t in published]
    assert [themes.loc[t["code_id"], "n"] for t in published] == [t["studies"] for t in published]


def test_directions_ranks_and_the_ten_percent_flag(themes, seed_figures):
    assert {themes.loc[t["code_id"], "direction"] for t in seed_figures["themes"]} == {"both"}
    assert {themes.loc[t["code_id"], "direction"] for t in seed_figures["unclear_themes"]} == {"unclear"}
    assert themes.index[themes["flagged"].astype(str) == "True"].tolist() == seed_figures["measure_items"]
    # By hand from the seed's counts: 7 and 7 papers share rank 7 (T07, T08); 3 and 3 rank 10 (T10, T11);
    # 2 papers is rank 12 (T13); 1 and 1 share rank 13 (T12, T14).
    ranks = themes["rank_label"]
    assert ranks["T01"] == "1"
    assert ranks["T07"] == ranks["T08"] == "7="
    assert ranks["T10"] == ranks["T11"] == "10="
    assert ranks["T13"] == "12"
    assert ranks["T12"] == ranks["T14"] == "13="


def test_explain_lists_the_papers_behind_organisational_culture(example, capsys, seed_figures):
    culture = seed_figures["themes"][0]
    n, included = culture["studies"], seed_figures["included"]
    assert main(["explain", "organisational culture", "--review", str(example)]) == 0
    page = capsys.readouterr().out
    assert f"**Coded in {n} of {included} included publications: {culture['percent']}%**" in page
    counted = page.split(f"## Publications counted ({n})")[1].split("## Supporting extracts")[0]
    rows = [line for line in counted.splitlines() if re.match(r"\| \d+ \| S\d\d \|", line)]
    assert len(rows) == n
    assert sha256_of(RAW / "synthesis/extracts.csv") in page

    assert main(["explain", "T01", "--review", str(example), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    extracts = pd.read_csv(RAW / "synthesis/extracts.csv", dtype=str)
    coding = sorted(extracts.loc[extracts["code_id"].str.match(r"T01(\.|$)"), "study_id"].unique())
    assert [s["study_id"] for s in record["studies_counted"]] == coding
    assert len(record["denominator"]) == included


def test_explain_an_unknown_theme_lists_close_matches(example, capsys):
    assert main(["explain", "organisational cultur", "--review", str(example)]) == 2
    error = capsys.readouterr().err
    assert "no theme or subtheme is named 'organisational cultur'" in error
    assert "'Organisational culture' (T01)" in error


def test_published_tables_and_the_network(example, seed_figures):
    culture, training = seed_figures["themes"][:2]
    included = seed_figures["included"]
    tables = example / "results/synthesis/tables"
    themes = pd.read_csv(tables / "themes_subthemes.csv", keep_default_na=False)
    first = themes.iloc[0]
    assert (first["theme"], first["subtheme"], first["n_of_N"], first["percent"]) == (
        "Organisational culture", "", f"{culture['studies']}/{included}", f"{culture['percent']}%")
    cfir = pd.read_csv(tables / "influences_by_cfir.csv", keep_default_na=False)
    # Seed 001's Discussion: PSW training sits in the inner setting if provided internally.
    inner = cfir[(cfir["theme"] == "PSW training") & (cfir["cfir_domain"] == "inner setting")].iloc[0]
    assert inner["qualifier"] == "if provided internally"
    assert len(inner["unit_ids"].split(";")) == training["studies"]
    pairs = pd.read_csv(example / "results/synthesis/theme_cooccurrence.csv")
    matrix = pd.read_csv(example / "results/synthesis/study_theme_matrix.csv")
    both = int(((matrix["T01"] == 1) & (matrix["T02"] == 1)).sum())
    row = pairs[(pairs["code_id_a"] == "T01") & (pairs["code_id_b"] == "T02")].iloc[0]
    assert row["n_both"] == both and row["n_a"] == culture["studies"] and row["n_b"] == training["studies"]
    for name in ("theme_network.svg", "theme_network.png"):
        assert (example / "results/synthesis/figures" / name).stat().st_size > 10_000


def test_the_package_names_no_theme_of_the_example():
    labels = pd.read_csv(RAW / "synthesis/codebook.csv").query("level == 'theme'")["label"].str.casefold()
    sources = {path: path.read_text(encoding="utf-8").casefold() for path in (REPO / "evsynth").rglob("*.py")}
    for label in labels:
        assert not [path for path, text in sources.items() if label in text], label

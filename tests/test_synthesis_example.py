"""The example review's synthesis reproduces the seed review's strength-of-theme figures.

Seed 001 (Results, Stage 1): twelve influences coded in 53, 42, 40, 34, 21, 15, 13, 13, 9, 6, 6 and 2%
of the 53 included publications, two more of unclear direction in 4 and 2%, and the eight coded in at
least 10% of papers became the Implementation Measure.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from evsynth.cli import main
from evsynth.fileio import sha256_of

from example_helpers import RAW, REPO, example_config, make_review

# The seed's influences, in its order, with its percentages (labels as the example's codebook words them).
SEED = [("Organisational culture", 53), ("PSW training", 42), ("PSW role definition", 40),
        ("Staff willingness and ability to work with PSWs", 34), ("Resource availability", 21),
        ("Financial arrangements", 15), ("Support for PSW well-being", 13), ("Access to a peer network", 13),
        ("PSW ability to self-manage their own well-being", 9), ("Expectations held by PSWs", 6),
        ("Organisational processes", 6), ("Research design needs", 2)]
SEED_UNCLEAR = [("Match between PSW and patient", 4), ("Emotional intensity in the work", 2)]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """A review directory whose config names the example's tables; the synthesis run through the CLI."""
    review = make_review(tmp_path_factory.mktemp("example"), example_config())
    assert main(["synthesis", "--review", str(review)]) == 0
    return review


@pytest.fixture(scope="module")
def strength(example):
    return pd.read_csv(example / "results/synthesis/theme_strength.csv", keep_default_na=False)


def test_fourteen_influences_with_the_published_percentages(strength):
    themes = strength[strength["level"] == "theme"].set_index("theme")
    assert len(themes) == 14
    assert set(themes["N"]) == {53}
    for label, percent in SEED + SEED_UNCLEAR:
        assert themes.loc[label, "percent"] == percent, label
    assert [themes.loc[label, "n"] for label, _ in SEED + SEED_UNCLEAR] == [28, 22, 21, 18, 11, 8, 7, 7, 5, 3, 3, 1,
                                                                           2, 1]


def test_directions_ranks_and_the_ten_percent_flag(strength):
    themes = strength[strength["level"] == "theme"].set_index("theme")
    assert [themes.loc[label, "direction"] for label, _ in SEED] == ["both"] * 12
    assert [themes.loc[label, "direction"] for label, _ in SEED_UNCLEAR] == ["unclear"] * 2
    flagged = themes.index[themes["flagged"].astype(str) == "True"].tolist()
    assert flagged == [label for label, _ in SEED[:8]]
    # 7 and 7 papers share rank 7; 3 and 3 share rank 10; 1 and 1 share rank 13.
    ranks = {label: themes.loc[label, "rank_label"] for label, _ in SEED + SEED_UNCLEAR}
    assert ranks["Organisational culture"] == "1"
    assert ranks["Support for PSW well-being"] == ranks["Access to a peer network"] == "7="
    assert ranks["Expectations held by PSWs"] == ranks["Organisational processes"] == "10="
    assert ranks["Match between PSW and patient"] == "12"
    assert ranks["Research design needs"] == ranks["Emotional intensity in the work"] == "13="


def test_explain_lists_the_28_papers_behind_organisational_culture(example, capsys):
    assert main(["explain", "organisational culture", "--review", str(example)]) == 0
    page = capsys.readouterr().out
    assert "**Coded in 28 of 53 included publications: 53%**" in page
    counted = page.split("## Publications counted (28)")[1].split("## Supporting extracts")[0]
    rows = [line for line in counted.splitlines() if re.match(r"\| \d+ \| S\d\d \|", line)]
    assert len(rows) == 28
    assert sha256_of(RAW / "synthesis/extracts.csv") in page

    assert main(["explain", "T01", "--review", str(example), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    extracts = pd.read_csv(RAW / "synthesis/extracts.csv", dtype=str)
    coding = sorted(extracts.loc[extracts["code_id"].str.match(r"T01(\.|$)"), "study_id"].unique())
    assert [s["study_id"] for s in record["studies_counted"]] == coding
    assert len(record["denominator"]) == 53


def test_explain_an_unknown_theme_lists_close_matches(example, capsys):
    assert main(["explain", "organisational cultur", "--review", str(example)]) == 2
    error = capsys.readouterr().err
    assert "no theme or subtheme is named 'organisational cultur'" in error
    assert "'Organisational culture' (T01)" in error


def test_published_tables_and_the_network(example):
    tables = example / "results/synthesis/tables"
    themes = pd.read_csv(tables / "themes_subthemes.csv", keep_default_na=False)
    first = themes.iloc[0]
    assert (first["theme"], first["subtheme"], first["n_of_N"], first["percent"]) == (
        "Organisational culture", "", "28/53", "53%")
    cfir = pd.read_csv(tables / "influences_by_cfir.csv", keep_default_na=False)
    # Seed 001's Discussion: PSW training sits in the inner setting if provided internally.
    training = cfir[(cfir["theme"] == "PSW training") & (cfir["cfir_domain"] == "inner setting")].iloc[0]
    assert training["qualifier"] == "if provided internally"
    assert len(training["unit_ids"].split(";")) == 22
    pairs = pd.read_csv(example / "results/synthesis/theme_cooccurrence.csv")
    matrix = pd.read_csv(example / "results/synthesis/study_theme_matrix.csv")
    both = int(((matrix["T01"] == 1) & (matrix["T02"] == 1)).sum())
    row = pairs[(pairs["code_id_a"] == "T01") & (pairs["code_id_b"] == "T02")].iloc[0]
    assert row["n_both"] == both and row["n_a"] == 28 and row["n_b"] == 22
    for name in ("theme_network.svg", "theme_network.png"):
        assert (example / "results/synthesis/figures" / name).stat().st_size > 10_000


def test_the_package_names_no_theme_of_the_example():
    labels = pd.read_csv(RAW / "synthesis/codebook.csv").query("level == 'theme'")["label"].str.casefold()
    sources = {path: path.read_text(encoding="utf-8").casefold() for path in (REPO / "evsynth").rglob("*.py")}
    for label in labels:
        assert not [path for path, text in sources.items() if label in text], label

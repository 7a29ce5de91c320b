"""Vote counting on small hand-made reviews whose counts can be checked by eye, and the messages that
bad codebooks and extracts stop the synthesis with (file, row, field and what was expected)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from scipy import stats

from evsynth.cli import main
from evsynth.errors import InputError
from evsynth.synthesis import presence_matrix, rank_by_strength
from evsynth.synthesis.audit import audit_records, find_audit, write_audit
from evsynth.synthesis.network import cooccurrence_table
from evsynth.synthesis.stage import SynthesisInputs, read_synthesis_inputs
from evsynth.synthesis.votes import CountRules, direction_label, rank_labels, round_percent, vote_counts, wilson_interval

CODEBOOK = """code_id,label,level,parent_id,description
A,Alpha,theme,,First theme.
A.1,Alpha one,subtheme,A,A subtheme.
A.1.a,Alpha one a,code,A.1,A code.
A.1.b,Alpha one b,code,A.1,Another code.
A.2,Alpha two,subtheme,A,Second subtheme.
B,Beta,theme,,Second theme.
B.1,Beta one,subtheme,B,A subtheme.
B.c,Beta code,code,B,A code straight under its theme.
C,Gamma,theme,,Third theme.
"""
CFIR = "code_id,cfir_domain,qualifier\nA,inner setting,\nB,outer setting,if external\nB,individuals,\n"
STUDIES = """study_id,citation,modality,reports
P1,Ames (2001),group,C-1
P2,Bell (2002),individual,C-2
P3,Cole (2003),group,C-3
P4,Dunn (2004),individual,C-4
"""
# P1 codes A twice (two codes of A.1) and B as a barrier; P2 codes A at theme level and B both ways;
# P3 codes B.c; P4 codes nothing; C is coded once, without a direction.
EXTRACTS = """extract_id,study_id,code_id,direction,quote,coder,page
E1,P1,A.1.a,facilitator,First passage.,DT,1
E2,P1,A.1.b,facilitator,Second passage.,DT,2
E3,P1,B.1,barrier,Third passage.,DT,3
E4,P2,A,barrier,Fourth passage.,RN,4
E5,P2,B,facilitator,Fifth passage.,DT,5
E6,P2,B.1,barrier,Sixth passage.,DT,6
E7,P3,B.c,facilitator,Seventh passage.,DT,7
E8,P3,C,unclear,Eighth passage.,DT,8
"""


def write_review(root: Path, codebook=CODEBOOK, cfir=CFIR, studies=STUDIES, extracts=EXTRACTS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (("codebook.csv", codebook), ("cfir.csv", cfir), ("studies.csv", studies),
                       ("extracts.csv", extracts)):
        (root / name).write_text(text, encoding="utf-8")
    return root


def load(root: Path, unit: str = "publication", rules: CountRules | None = None) -> SynthesisInputs:
    files = [("codebook", Path("codebook.csv")), ("cfir_domains", Path("cfir.csv")),
             ("extracts", Path("extracts.csv")), ("included studies", Path("studies.csv"))]
    return read_synthesis_inputs(root, files, unit, rules or CountRules())


@pytest.fixture()
def review(tmp_path):
    return load(write_review(tmp_path / "review"))


def test_a_unit_counts_once_for_a_node_and_for_everything_above_it(review):
    matrix = presence_matrix(review.extracts, review.codebook, review.units)
    assert list(matrix.index) == ["P1", "P2", "P3", "P4"]
    assert list(matrix.columns) == ["A", "A.1", "A.2", "B", "B.1", "C"]
    assert matrix.to_dict("list") == {
        "A": [1, 1, 0, 0],    # P1 through two codes of A.1 (once), P2 at theme level
        "A.1": [1, 0, 0, 0],  # P2's theme-level extract says nothing about the subtheme
        "A.2": [0, 0, 0, 0],
        "B": [1, 1, 1, 0],    # P3 through a code straight under the theme
        "B.1": [1, 1, 0, 0],
        "C": [0, 0, 1, 0],
    }


def test_theme_strength_by_hand(review):
    table = review.strength().set_index("code_id")
    assert list(table.index) == ["B", "B.1", "A", "A.1", "A.2", "C"]  # themes by rank, subthemes after
    assert table.loc["B", ["n", "N", "percent", "rank"]].tolist() == [3, 4, 75, 1]
    assert table.loc["A", ["n", "N", "percent", "rank"]].tolist() == [2, 4, 50, 2]
    assert table.loc["C", ["n", "percent", "rank"]].tolist() == [1, 25, 3]
    # B: facilitator in P2 and P3, barrier in P1 and P2.
    assert table.loc["B", ["n_facilitator", "n_barrier", "n_unclear", "direction"]].tolist() == [2, 2, 0, "both"]
    assert table.loc["B.1", ["n_facilitator", "n_barrier", "direction"]].tolist() == [0, 2, "barrier"]
    assert table.loc["A.1", "direction"] == "facilitator"
    assert table.loc["C", "direction"] == "unclear"
    assert table.loc["A.2", ["n", "direction", "rank"]].tolist() == [0, "", 2]
    assert table.loc["B", "parent"] == "" and table.loc["B.1", "parent"] == "Beta"
    assert table.loc["B", "cfir_domains"] == "outer setting (if external); individuals"
    # Wilson 95% interval of 3/4, in percent: 30.1 to 95.4.
    assert table.loc["B", ["ci_low", "ci_high"]].tolist() == [30.1, 95.4]
    # Every theme is coded by >= 10% of 4 units; subthemes are never flagged.
    assert table["flagged"].to_dict() == {"B": True, "B.1": False, "A": True, "A.1": False, "A.2": False,
                                          "C": True}


def test_threshold_flags_exactly_at_the_share():
    matrix = pd.DataFrame({"X": [1] * 5 + [0] * 45, "Y": [1] * 4 + [0] * 46},
                          index=[f"S{i}" for i in range(50)])
    counts = vote_counts(matrix, threshold=0.10)
    assert counts["flagged"].tolist() == [True, False]  # 5/50 is exactly 10%


@pytest.mark.parametrize("n, N", [(0, 10), (1, 53), (7, 53), (28, 53), (50, 50), (3, 4)])
def test_wilson_interval_matches_scipy(n, N):
    low, high = wilson_interval([n], N, 0.95)
    reference = stats.binomtest(n, N).proportion_ci(confidence_level=0.95, method="wilson")
    assert low[0] == pytest.approx(reference.low, abs=1e-12)
    assert high[0] == pytest.approx(reference.high, abs=1e-12)


def test_rounding_of_halves():
    # 1/8 = 12.5%, 3/8 = 37.5%, 1/16 = 6.25%, 22/53 = 41.51%
    assert round_percent([1, 3, 22], [8, 8, 53]).tolist() == [13, 38, 42]
    assert round_percent([1, 3], 8, rule="half_even").tolist() == [12, 38]
    assert round_percent([1], 16, decimals=1).tolist() == [6.3]
    assert round_percent([1], 16, decimals=1, rule="half_even").tolist() == [6.2]


def test_ties_share_the_smallest_rank():
    assert rank_by_strength([5, 3, 3, 1]).tolist() == [1, 2, 2, 4]
    assert rank_labels([1, 2, 2, 4]) == ["1", "2=", "2=", "4"]
    ranks = rank_by_strength(pd.Series([1, 7, 7], index=["a", "b", "c"]))
    assert ranks.to_dict() == {"a": 3, "b": 1, "c": 1}


def test_vote_counts_on_a_subset_and_on_a_resample_with_repeats(review):
    matrix = presence_matrix(review.extracts, review.codebook, review.units, level="theme")
    subset = vote_counts(matrix, studies=["P3", "P4"])
    assert subset["n"].to_dict() == {"A": 0, "B": 1, "C": 1}
    assert subset["N"].unique().tolist() == [2]
    assert subset["rank"].to_dict() == {"A": 3, "B": 1, "C": 1}
    resample = vote_counts(matrix, studies=["P1", "P1", "P1", "P4"])
    assert resample["n"].to_dict() == {"A": 3, "B": 3, "C": 0}
    assert resample["percent"].to_dict() == {"A": 75, "B": 75, "C": 0}
    with pytest.raises(KeyError, match="P9"):
        vote_counts(matrix, studies=["P1", "P9"])


def test_direction_label_rule():
    assert direction_label(4, 4, 0, 0, 0.5) == "facilitator"
    assert direction_label(4, 0, 2, 0, 0.5) == "barrier"
    assert direction_label(4, 1, 3, 1, 0.5) == "both"
    # One unit without a direction and one citing it both ways: the evidence conflicts.
    assert direction_label(2, 1, 1, 1, 0.5) == "unclear"
    assert direction_label(2, 1, 1, 1, 0.75) == "both"


def test_units_are_publications_or_studies(tmp_path):
    studies = "study_id,citation,reports\nS1,Ames (2001),C-1;C-2\nS2,Bell (2002),C-3\n"
    extracts = ("extract_id,study_id,code_id,direction,quote,coder,page\n"
                "E1,C-2,A.1.a,facilitator,One.,DT,1\nE2,S2,B,barrier,Two.,DT,2\n")
    root = write_review(tmp_path / "r", studies=studies, extracts=extracts)
    by_publication = load(root, "publication")
    assert list(by_publication.units.index) == ["C-1", "C-2", "S2"]
    assert by_publication.units.loc["C-2", "citation"] == "Ames (2001) [C-2]"
    counts = by_publication.strength().set_index("code_id")
    assert counts.loc["A", ["n", "N"]].tolist() == [1, 3]
    by_study = load(root, "study")
    assert list(by_study.units.index) == ["S1", "S2"]
    assert by_study.strength().set_index("code_id").loc["A", ["n", "N"]].tolist() == [1, 2]

    ambiguous = extracts.replace("E1,C-2", "E1,S1")
    root = write_review(tmp_path / "r2", studies=studies, extracts=ambiguous)
    with pytest.raises(InputError) as error:
        load(root, "publication")
    assert "row 2, field 'study_id': study 'S1' has 2 reports" in str(error.value)
    assert "C-1, C-2" in str(error.value)
    assert load(root, "study").strength().set_index("code_id").loc["A", "n"] == 1


def test_cooccurrence_counts_units_coding_both(review):
    matrix = presence_matrix(review.extracts, review.codebook, review.units, level="theme")
    pairs = cooccurrence_table(matrix, {"A": "Alpha", "B": "Beta", "C": "Gamma"})
    table = pairs.set_index(["code_id_a", "code_id_b"])
    assert table.loc[("A", "B"), ["n_a", "n_b", "n_both", "jaccard"]].tolist() == [2, 3, 2, pytest.approx(2 / 3, abs=1e-4)]
    assert table.loc[("A", "C"), "n_both"] == 0
    assert table.loc[("B", "C"), ["n_both", "jaccard"]].tolist() == [1, pytest.approx(1 / 3, abs=1e-4)]


def test_audit_names_studies_extracts_denominator_and_input_hashes(review, tmp_path):
    records = audit_records(review, review.strength())
    record = next(r for r in records if r["code_id"] == "A")
    assert [s["unit_id"] for s in record["studies_counted"]] == ["P1", "P2"]
    assert record["studies_counted"][0] == {"unit_id": "P1", "study_id": "P1", "citation": "Ames (2001)",
                                            "direction": "facilitator", "extract_ids": ["E1", "E2"]}
    assert [(e["extract_id"], e["direction"], e["coder"]) for e in record["extracts"]] == [
        ("E1", "facilitator", "DT"), ("E2", "facilitator", "DT"), ("E4", "barrier", "RN")]
    assert record["extracts"][0]["quote"] == "First passage."
    assert [d["unit_id"] for d in record["denominator"]] == ["P1", "P2", "P3", "P4"]
    assert record["result"]["n"] == 2 and record["result"]["N"] == 4 and record["result"]["percent"] == 50
    assert "halves rounded up" in record["calculation"]["rounding"]
    assert record["filters"][0] == "denominator: every included publication (4)"
    hashes = {f["path"]: f["sha256"] for f in record["inputs"]}
    expected = hashlib.sha256((review.base / "extracts.csv").read_bytes()).hexdigest()
    assert hashes["extracts.csv"] == expected
    assert set(hashes) == {"codebook.csv", "cfir.csv", "extracts.csv", "studies.csv"}

    written = write_audit(records, tmp_path / "audit")
    assert (tmp_path / "audit" / "a-alpha.md") in written
    page = (tmp_path / "audit" / "a-alpha.md").read_text(encoding="utf-8")
    assert "**Coded in 2 of 4 included publications: 50%**" in page
    assert f"`{expected}`" in page
    assert json.loads((tmp_path / "audit" / "a-alpha.json").read_text())["code_id"] == "A"


def test_find_audit_ignores_case_and_lists_close_matches(review):
    records = audit_records(review, review.strength())
    assert find_audit(records, "  ALPHA   one ")["code_id"] == "A.1"
    assert find_audit(records, "b.1")["code_id"] == "B.1"
    with pytest.raises(InputError) as error:
        find_audit(records, "Alpah")
    message = str(error.value)
    assert "no theme or subtheme is named 'Alpah'" in message
    assert "'Alpha' (A)" in message


def test_same_inputs_give_identical_outputs(review, tmp_path):
    from evsynth.synthesis.stage import write_network, write_vote_counts

    for run in ("one", "two"):
        write_vote_counts(review, tmp_path / run)
        write_network(review, tmp_path / run / "pairs.csv", tmp_path / run / "net.svg", tmp_path / run / "net.png")
    for name in ("theme_strength.csv", "study_theme_matrix.csv", "pairs.csv", "net.svg", "net.png"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


# --- bad codebooks and extracts stop the synthesis with the file, row, field and what was expected ---

HEADER = "extract_id,study_id,code_id,direction,quote,coder,page\n"


def error_of(tmp_path, **tables) -> str:
    root = write_review(tmp_path / "review", **tables)
    with pytest.raises(InputError) as caught:
        load(root)
    return str(caught.value)


@pytest.mark.parametrize("extracts, expected", [
    (EXTRACTS + "E9,P4,A.9,barrier,Ninth passage.,DT,9\n",
     "extracts.csv, row 10, field 'code_id': code 'A.9' is not in the codebook"),
    (EXTRACTS + "E9,P7,A.1,barrier,Ninth passage.,DT,9\n",
     "extracts.csv, row 10, field 'study_id': study 'P7' is not an included study (see studies.csv); "
     "expected one of the 4 included study_ids (P1, P2, P3, P4)"),
    (EXTRACTS + "E3,P4,A.1,barrier,Ninth passage.,DT,9\n",
     "extracts.csv, row 10, field 'extract_id': extract 'E3' is listed twice (first at row 4)"),
    (EXTRACTS + "E9,P1,A.1.a,facilitator,First passage.,DT,1\n",
     "extracts.csv, row 10, field 'extract_id': extract 'E9' repeats extract 'E1' (row 2): "
     "same study, code, direction, quote and coder"),
    (EXTRACTS + "E9,P4,A.1,enabler,Ninth passage.,DT,9\n",
     "extracts.csv, row 10, field 'direction': value 'enabler' is not allowed; "
     "expected facilitator, barrier or unclear"),
], ids=["unknown-code", "study-not-included", "extract-id-twice", "same-passage-twice", "bad-direction"])
def test_bad_extracts(tmp_path, extracts, expected):
    assert expected in error_of(tmp_path, extracts=extracts)


def test_the_same_passage_by_a_second_coder_is_not_a_duplicate(tmp_path):
    root = write_review(tmp_path / "review", extracts=EXTRACTS + "E9,P1,A.1.a,facilitator,First passage.,RN,1\n")
    assert load(root).strength().set_index("code_id").loc["A", "n"] == 2


@pytest.mark.parametrize("codebook, expected", [
    (CODEBOOK.replace("A.1,Alpha one,subtheme,A,", "A.1,Alpha one,subtheme,A.1.a,"),
     "codebook.csv, row 3, field 'parent_id': the parents form a cycle: "),
    (CODEBOOK.replace("A.2,Alpha two,subtheme,A,", "A.2,Alpha two,subtheme,Z,"),
     "codebook.csv, row 6, field 'parent_id': parent 'Z' of 'A.2' is not a code_id of the codebook"),
    (CODEBOOK.replace("B.c,Beta code,code,B,", "B.c,Beta code,code,,"),
     "codebook.csv, row 9, field 'parent_id': code 'B.c' has no parent (an orphan); "
     "expected the code_id of its theme or subtheme"),
    (CODEBOOK + "A.1,Alpha again,subtheme,A,Twice.\n",
     "codebook.csv, row 11, field 'code_id': code_id 'A.1' is used twice (first at row 3)"),
    (CODEBOOK.replace("C,Gamma,theme,,", "C,Gamma,theme,B,"),
     "codebook.csv, row 10, field 'parent_id': theme 'C' has parent 'B'"),
    ("code_id,label,level,parent_id,description\n",
     "codebook.csv, row 2: the codebook has no rows; expected one row per theme, subtheme and code"),
    ("", "codebook.csv: the file is empty"),
], ids=["cycle", "missing-parent", "orphan-code", "duplicate-id", "theme-with-parent", "empty", "empty-file"])
def test_bad_codebooks(tmp_path, codebook, expected):
    assert expected in error_of(tmp_path, codebook=codebook)


def test_cycle_message_shows_the_chain(tmp_path):
    codebook = CODEBOOK.replace("A.1,Alpha one,subtheme,A,", "A.1,Alpha one,subtheme,A.1.a,")
    message = error_of(tmp_path, codebook=codebook)
    assert "A.1 -> A.1.a -> A.1" in message or "A.1.a -> A.1 -> A.1.a" in message


def test_cfir_domain_of_an_unknown_code(tmp_path):
    message = error_of(tmp_path, cfir="code_id,cfir_domain,qualifier\nA,inner setting,\nQ,outer setting,\n")
    assert "cfir.csv, row 3, field 'code_id': code_id 'Q' is not in the codebook" in message
    message = error_of(tmp_path, cfir="code_id,cfir_domain,qualifier\nA,inner setup,\n")
    assert "row 2, field 'cfir_domain': value 'inner setup' is not allowed" in message
    assert "inner setting" in message


def test_cli_stops_with_exit_2_and_writes_nothing(tmp_path, capsys):
    root = write_review(tmp_path / "review", extracts=HEADER + "E1,P1,A.7,facilitator,Text.,DT,1\n")
    config = {"searches": [{"database": "X", "date": "2018-01-01", "file": "none.ris"}],
              "synthesis": {"codebook": "codebook.csv", "cfir_domains": "cfir.csv", "extracts": "extracts.csv"}}
    (root / "config").mkdir()
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    code = main(["synthesis", "--review", str(root), "--studies", str(root / "studies.csv"),
                 "--out", str(root / "out")])
    assert code == 2
    assert "extracts.csv, row 2, field 'code_id': code 'A.7' is not in the codebook" in capsys.readouterr().err
    assert not (root / "out").exists()

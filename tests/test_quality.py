"""CASP quality appraisal: checklists, exact scoring at the grade thresholds, consensus, agreement,
bad input, and the example review's published grades (seed_figures.yaml: grades)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from evsynth.cli import main
from evsynth.errors import InputError
from evsynth.quality import appraise
from evsynth.quality.checklists import load_checklist, shipped_checklists
from evsynth.quality.scoring import ScoringRule
from evsynth.studies import included_studies

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
HEADER = "study_id,appraiser,checklist,item,answer,note\n"


def appraisal_rows(study_id: str, checklist: str, answers: list[str], appraiser: str = "DT") -> str:
    return "".join(f"{study_id},{appraiser},{checklist},{item},{answer},\n"
                   for item, answer in enumerate(answers, start=1))


def write(tmp_path: Path, text: str, name: str = "casp.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


def studies_frame(designs: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"study_id": list(designs), "citation": list(designs), "design": list(designs.values())})


def graded(tmp_path, text, quality=None, studies=None):
    return appraise(write(tmp_path, text), quality, studies).scores.set_index("study_id")


# --- checklists ---------------------------------------------------------------------------------

def test_shipped_checklists_have_the_casp_item_counts():
    counts = {cid: c.n_items for cid, c in shipped_checklists().items()}
    assert counts == {
        # the versions the seed review used
        "casp-rct-2006": 10, "casp-qualitative-2018": 10, "casp-cohort-2018": 12, "casp-case-control-2018": 11,
        # the rest of the current CASP set
        "casp-rct-2020": 11, "casp-systematic-review-2018": 10, "casp-diagnostic-2018": 12,
        "casp-economic-evaluation-2018": 12, "casp-clinical-prediction-rule-2018": 11,
    }
    qualitative = shipped_checklists()["casp-qualitative-2018"]
    assert qualitative.question(1) == "Was there a clear statement of the aims of the research?"
    assert qualitative.question(10) == "How valuable is the research?"
    assert shipped_checklists()["casp-rct-2020"].question(2) == (
        "Was the assignment of participants to interventions randomised?")


def test_a_checklist_file_with_items_out_of_order_is_refused(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("id: mine-1\ntype: survey\nversion: '1'\ntitle: Mine\n"
                    "items:\n  - {number: 1, question: 'A?'}\n  - {number: 3, question: 'B?'}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"mine\.yaml, field 'items': item 2 of the list has number 3; "
                                         r"expected items numbered 1 to 2 in order"):
        load_checklist(path)


def test_a_review_adds_its_own_checklist(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "id: survey-3\ntype: survey\nversion: '1'\ntitle: Three questions\n"
        "items:\n  - {number: 1, question: 'A?'}\n  - {number: 2, question: 'B?'}\n  - {number: 3, question: 'C?'}\n",
        encoding="utf-8")
    result = appraise(write(tmp_path, appraisal_rows("S1", "survey-3", ["yes", "yes", "no"])),
                      {"checklist_files": ["mine.yaml"]}, base_dir=tmp_path)
    assert result.scores.to_dict("records") == [
        {"study_id": "S1", "checklist": "survey-3", "yes": 2, "scored_items": 3, "percent": "66.67", "grade": "good"}]


# --- scoring at the thresholds --------------------------------------------------------------------

def test_grades_compare_the_exact_fraction_with_the_thresholds():
    rule = ScoringRule.from_config({})
    assert rule.grade(6, 10) == "good"    # 60% exactly
    assert rule.grade(7, 12) == "fair"    # 58.33%
    assert rule.grade(5, 11) == "fair"    # 45.45%
    assert rule.grade(4, 9) == "poor"     # 44.44%, although it rounds to 44
    assert rule.grade(9, 20) == "fair"    # 45% exactly
    # 7/12 = 58.333...: above 58.33 but below 58.34, whatever a rounded percentage would say.
    assert ScoringRule.from_config({"grades": [{"grade": "high", "min_percent": 58.33},
                                              {"grade": "low", "min_percent": 0}]}).grade(7, 12) == "high"
    assert ScoringRule.from_config({"grades": [{"grade": "high", "min_percent": 58.34},
                                              {"grade": "low", "min_percent": 0}]}).grade(7, 12) == "low"


def test_boundary_studies_from_answers(tmp_path):
    text = (appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 6 + ["no"] * 2 + ["can't tell"] * 2)
            + appraisal_rows("S2", "casp-cohort-2018", ["yes"] * 7 + ["no"] * 5)
            + appraisal_rows("S3", "casp-case-control-2018", ["yes"] * 5 + ["can't tell"] * 6)
            + appraisal_rows("S4", "casp-qualitative-2018", ["yes"] * 4 + ["no"] * 5 + ["not applicable"]))
    scores = graded(tmp_path, text)
    assert scores[["yes", "scored_items", "percent", "grade"]].values.tolist() == [
        [6, 10, "60.00", "good"], [7, 12, "58.33", "fair"], [5, 11, "45.45", "fair"], [4, 9, "44.44", "poor"]]


def test_cant_tell_and_not_applicable_are_scored_as_config_says(tmp_path):
    text = appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 5 + ["no"] * 3 + ["can't tell"] * 2)
    assert graded(tmp_path, text).loc["S1", ["yes", "scored_items", "grade"]].tolist() == [5, 10, "fair"]
    assert graded(tmp_path, text, {"cant_tell": "exclude"}).loc["S1", ["yes", "scored_items", "grade"]].tolist() \
        == [5, 8, "good"]
    assert graded(tmp_path, text, {"cant_tell": 1}).loc["S1", ["yes", "scored_items", "grade"]].tolist() \
        == [7, 10, "good"]
    na = appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 5 + ["no"] * 4 + ["not applicable"])
    assert graded(tmp_path, na).loc["S1", ["yes", "scored_items"]].tolist() == [5, 9]
    assert graded(tmp_path, na, {"not_applicable": 0}).loc["S1", ["yes", "scored_items"]].tolist() == [5, 10]


def test_the_rule_is_written_out(tmp_path):
    result = appraise(write(tmp_path, appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 10)),
                      {"cant_tell": "exclude"})
    text = result.method_text()
    assert "can't tell = excluded from the denominator" in text
    assert "not applicable = excluded from the denominator" in text
    assert "good: percent >= 60" in text and "fair: 45 <= percent < 60" in text and "poor: percent < 45" in text


@pytest.mark.parametrize("quality, expected", [
    ({"cant_tell": "half"}, r"field 'quality\.cant_tell': 'half' is not one of \[0, 1, 'exclude'\]"),
    ({"grades": [{"grade": "good", "min_percent": 45}, {"grade": "fair", "min_percent": 60},
                 {"grade": "poor", "min_percent": 0}]}, r"field 'quality\.grades': grade thresholds"),
    ({"grades": [{"grade": "good", "min_percent": 60}, {"grade": "fair", "min_percent": 45}]},
     r"min_percent strictly decreasing to 0"),
    ({"checklists": ["casp-rct-2099"]}, r"unknown checklist\(s\) casp-rct-2099"),
])
def test_bad_quality_config_is_named(tmp_path, quality, expected):
    with pytest.raises(InputError, match=expected):
        appraise(write(tmp_path, appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 10)), quality)


# --- answers: vocabulary, items, checklists, appraisers, studies ----------------------------------

def test_answer_spellings_are_case_and_space_tolerant(tmp_path):
    answers = ["Yes", " YES ", "y", "No", "Can\u2019t Tell", "cant  tell", "Cannot tell", "N/A", "na", "Not Applicable"]
    scores = graded(tmp_path, appraisal_rows("S1", "casp-qualitative-2018", answers))
    assert scores.loc["S1", ["yes", "scored_items"]].tolist() == [3, 7]


def test_answer_outside_the_vocabulary_lists_the_spellings(tmp_path):
    text = appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 3 + ["partly"] + ["yes"] * 6)
    with pytest.raises(InputError) as caught:
        appraise(write(tmp_path, text))
    message = str(caught.value)
    assert "casp.csv, row 5, field 'answer': answer 'partly' is not one of the appraisal answers" in message
    assert "yes, y, no, n, can't tell, cant tell, cannot tell, can not tell, not applicable, n/a, na" in message


def test_fewer_items_than_the_checklist_has(tmp_path):
    text = appraisal_rows("S1", "casp-cohort-2018", ["yes"] * 12).replace("S1,DT,casp-cohort-2018,7,yes,\n", "")
    with pytest.raises(InputError, match=r"row 2, field 'item': the appraisal of study S1 by DT answers 11 of "
                                         r"the 12 items of casp-cohort-2018; item\(s\) 7 are missing; "
                                         r"expected one answer to each item 1 to 12"):
        appraise(write(tmp_path, text))


def test_more_items_than_the_checklist_has(tmp_path):
    text = appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 11)
    with pytest.raises(InputError, match=r"row 12, field 'item': item 11 is not in checklist "
                                         r"casp-qualitative-2018, which has 10 items; expected an item number "
                                         r"from 1 to 10"):
        appraise(write(tmp_path, text))


def test_unknown_checklist_lists_the_reviews_checklists(tmp_path):
    text = appraisal_rows("S1", "casp-rct-2018", ["yes"] * 10)
    with pytest.raises(InputError, match=r"row 2, field 'checklist': unknown checklist 'casp-rct-2018'; "
                                         r"expected one of the review's checklists: casp-qualitative-2018, "
                                         r"casp-rct-2006$"):
        appraise(write(tmp_path, text), {"checklists": ["casp-qualitative-2018", "casp-rct-2006"]})


def test_a_second_appraisal_by_the_same_appraiser(tmp_path):
    once = appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 10)
    with pytest.raises(InputError, match=r"row 12, field 'appraiser': study S1 has a second answer from "
                                         r"appraiser DT to item 1 \(the first is in row 2\)"):
        appraise(write(tmp_path, once + once))
    other_checklist = appraisal_rows("S1", "casp-cohort-2018", ["yes"] * 12).replace("DT,", "dt,")
    with pytest.raises(InputError, match=r"appraiser dt appraised study S1 twice, with casp-qualitative-2018 "
                                         r"\(row 2\) and casp-cohort-2018"):
        appraise(write(tmp_path, once + other_checklist))


def test_a_study_that_is_not_included(tmp_path):
    text = appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 10) + \
        appraisal_rows("S9", "casp-qualitative-2018", ["yes"] * 10)
    with pytest.raises(InputError, match=r"row 12, field 'study_id': study 'S9' is not among the included "
                                         r"studies; expected the study_id of an included study"):
        appraise(write(tmp_path, text), studies=studies_frame({"S1": "qualitative"}))


def test_an_included_study_without_answers(tmp_path):
    text = appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 10)
    with pytest.raises(InputError, match=r"included study S2 has no answers"):
        appraise(write(tmp_path, text), studies=studies_frame({"S1": "qualitative", "S2": "rct"}))


def test_a_study_appraised_with_the_checklist_of_another_design(tmp_path):
    text = appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 10)
    with pytest.raises(InputError, match=r"row 2, field 'checklist': study S1 is a 'rct' study but is appraised "
                                         r"with casp-qualitative-2018; expected casp-rct-2006"):
        appraise(write(tmp_path, text), {"designs": {"rct": "casp-rct-2006"}}, studies_frame({"S1": "rct"}))


# --- two appraisers -------------------------------------------------------------------------------

DT = ["yes", "yes", "no"] + ["yes"] * 7
RN = ["yes", "yes", "no", "yes", "can't tell"] + ["yes"] * 5


def test_consensus_answers_are_scored_and_agreement_is_reported(tmp_path):
    consensus = ["yes", "yes", "no", "yes", "no"] + ["no"] * 2 + ["yes"] * 3
    text = (appraisal_rows("S1", "casp-qualitative-2018", DT, "DT")
            + appraisal_rows("S1", "casp-qualitative-2018", RN, "RN")
            + appraisal_rows("S1", "casp-qualitative-2018", consensus, "Consensus"))
    result = appraise(write(tmp_path, text))
    assert result.scores.loc[0, ["yes", "scored_items", "grade"]].tolist() == [6, 10, "good"]
    assert set(result.items["source"]) == {"consensus"}
    assert result.double.to_dict("records") == [
        {"study_id": "S1", "checklist": "casp-qualitative-2018", "appraiser_a": "DT", "appraiser_b": "RN",
         "items": 10, "agreed": 9, "disagreed_items": "5", "scored_on": "consensus"}]
    stats = result.agreement.set_index("statistic")
    # By hand: 9 of 10 agree; chance agreement (9*8 + 1*1 + 0*1) / 100 = 0.73, kappa = 0.17 / 0.27.
    assert stats.loc["percent_agreement", "value"] == pytest.approx(0.9)
    assert stats.loc["cohen_kappa", "value"] == pytest.approx(0.17 / 0.27)
    assert stats.loc["pabak", "value"] == pytest.approx((0.9 - 1 / 3) / (2 / 3))  # three CASP answers
    assert set(stats["n"]) == {10}


def test_two_appraisals_that_differ_need_consensus_rows(tmp_path):
    text = (appraisal_rows("S1", "casp-qualitative-2018", DT, "DT")
            + appraisal_rows("S1", "casp-qualitative-2018", RN, "RN"))
    with pytest.raises(InputError, match=r"row 2, field 'appraiser': study S1 was appraised by DT and RN, whose "
                                         r"answers differ on item\(s\) 5, and has no consensus answers"):
        appraise(write(tmp_path, text))
    agreeing = (appraisal_rows("S1", "casp-qualitative-2018", DT, "DT")
                + appraisal_rows("S1", "casp-qualitative-2018", DT, "RN"))
    result = appraise(write(tmp_path, agreeing))
    assert result.scores.loc[0, "yes"] == 9 and set(result.items["source"]) == {"DT=RN"}


# --- the example review ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))
    studies = included_studies(RAW / "screening" / "full_text.csv", RAW / "extraction" / "studies.csv")
    return appraise(RAW / "quality" / "casp.csv", config["quality"], studies)


def test_example_review_has_the_seed_grades(example, seed_figures):
    grades, included = seed_figures["grades"], seed_figures["included"]
    assert example.grade_counts.values.tolist() == [[grade, n] for grade, n in grades.items()] + [["all", included]]
    by_design = example.by_design.set_index("design")
    assert by_design["studies"].to_dict() == {**seed_figures["designs"], "all": included}
    assert by_design.loc["case-control", ["good", "fair", "poor"]].tolist() == [0, 1, 0]
    scores = example.scores.set_index("study_id")
    assert scores.loc["S49"].tolist() == ["casp-qualitative-2018", 6, 10, "60.00", "good"]
    assert scores.loc["S26"].tolist() == ["casp-case-control-2018", 5, 11, "45.45", "fair"]


def test_example_review_double_appraisals_use_consensus(example):
    assert example.double["study_id"].tolist() == ["S07", "S20", "S22", "S33", "S43"]
    assert (example.double["scored_on"] == "consensus").all()
    assert set(example.items[example.items["source"] == "consensus"]["study_id"]) == set(example.double["study_id"])
    # 50 items appraised twice; 37 agree (the per-study agreed counts add up).
    agreement = example.agreement.set_index("statistic")
    assert agreement.loc["percent_agreement", "n"] == 50 == example.double["items"].sum()
    assert agreement.loc["percent_agreement", "value"] == pytest.approx(example.double["agreed"].sum() / 50)


# --- the command ----------------------------------------------------------------------------------

def test_cli_writes_every_output_with_the_same_bytes_each_run(tmp_path, capsys):
    text = (appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 6 + ["no"] * 4)
            + appraisal_rows("S2", "casp-rct-2006", ["yes"] * 3 + ["can't tell"] * 7, "DT")
            + appraisal_rows("S2", "casp-rct-2006", ["yes"] * 4 + ["can't tell"] * 6, "RN")
            + appraisal_rows("S2", "casp-rct-2006", ["yes"] * 4 + ["can't tell"] * 6, "consensus"))
    answers = write(tmp_path, text)
    for out in ("a", "b"):
        assert main(["quality", str(answers), "--out", str(tmp_path / out)]) == 0
    assert "2 studies graded: good 1, fair 0, poor 1" in capsys.readouterr().err
    scores = (tmp_path / "a" / "casp_scores.csv").read_text(encoding="utf-8")
    assert scores == ("study_id,checklist,yes,scored_items,percent,grade\n"
                      "S1,casp-qualitative-2018,6,10,60.00,good\nS2,casp-rct-2006,4,10,40.00,poor\n")
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(["casp_scores.csv", "casp_items.csv", "grade_counts.csv", "grades_by_design.csv",
                            "double_appraisals.csv", "agreement.csv", "scoring_rule.txt", "traffic_light.svg",
                            "traffic_light.png", "summary.svg", "summary.png"])
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a" / "traffic_light.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<dc:date>" not in (tmp_path / "a" / "summary.svg").read_bytes()


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    answers = write(tmp_path, appraisal_rows("S1", "casp-qualitative-2018", ["yes"] * 9 + ["perhaps"]))
    assert main(["quality", str(answers), "--out", str(tmp_path / "out")]) == 2
    assert "evsynth: error: " in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_cli_checks_the_included_studies_file(tmp_path, capsys):
    answers = write(tmp_path, appraisal_rows("S7", "casp-qualitative-2018", ["yes"] * 10))
    studies = tmp_path / "included.csv"
    studies.write_text("study_id,citation,design\nS1,Smith (2016),qualitative\n", encoding="utf-8")
    assert main(["quality", str(answers), "--out", str(tmp_path / "out"), "--studies", str(studies)]) == 2
    assert f"study 'S7' is not among the included studies ({studies})" in capsys.readouterr().err

"""Screening as a review runs it: first worksheets from searches alone, ranked worksheets, the
stopping test's counts, updated reviews (rounds) and their PRISMA flow, bad input."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from evsynth.config import load_config
from evsynth.errors import InputError
from evsynth.screening import double_screening_sample, screen
from evsynth.screening.prioritise import PrioritySettings
from evsynth.screening.progress import random_order, screening_progress
from evsynth.screening.stage import write_screening

TOPICS = {  # id: (title, abstract)
    "C-a-01": ("Peer support workers for adults with serious mental illness", "Peer support and recovery in mental "
               "illness services: a trial of peer workers."),
    "C-a-02": ("Peer-delivered recovery support in psychosis services", "Peer support for people with psychosis "
               "and serious mental illness."),
    "C-a-03": ("Soil erosion after wildfire in pine forests", "Erosion rates on burnt hillslopes."),
    "C-a-04": ("Corrosion of steel bridges in coastal climates", "Chloride attack on steel bridge girders."),
    "C-a-05": ("Tomato yield under drip irrigation", "Irrigation volumes and tomato yield."),
    "C-a-06": ("Wing morphology of migratory songbirds", "Wing shape of songbirds that migrate."),
    "C-a-07": ("Battery ageing in electric buses", "Capacity fade of bus batteries."),
    "C-a-08": ("Groundwater nitrate in farmland", "Nitrate leaching to groundwater under crops."),
}
QUESTION = "Does peer support help adults with serious mental illness?"


def unique_records(topics=TOPICS) -> pd.DataFrame:
    return pd.DataFrame({"cluster_id": list(topics), "title": [t for t, _ in topics.values()],
                         "abstract": [a for _, a in topics.values()], "authors": [["Smith, Jane"]] * len(topics),
                         "year": pd.array([2016] * len(topics), dtype="Int64"), "journal": ["J"] * len(topics),
                         "doi": [f"10.5555/{cid}" for cid in topics]})


def decision_file(path: Path, reviewer: str, decisions: dict[str, str], draws: dict[str, int] | None = None) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["cluster_id", "reviewer", "stage", "decision", "note", "draw"])
        for cid, decision in decisions.items():
            writer.writerow([cid, reviewer, "title_abstract", decision, "", (draws or {}).get(cid, "")])
    return path


def model(**values) -> PrioritySettings:
    return PrioritySettings(**{"description": QUESTION, **values})


def test_first_worksheet_before_any_decision_is_ordered_by_the_question_and_says_so():
    result = screen(unique_records(), [], fraction=0.5, seed=1, reviewers=["AB", "CD"], order="priority",
                    model=model())
    sheet = result.worksheets["title_abstract_AB"]
    assert len(sheet) == 8 and set(sheet["cluster_id"]) == set(TOPICS)
    # the two peer-support records share the question's words; no other record does
    assert set(sheet["cluster_id"][:2]) == {"C-a-01", "C-a-02"}
    assert list(sheet["priority"]) == list(range(1, 9))
    assert set(sheet["basis"]) == {"similarity to the review's description (no include and exclude yet)"}
    status = dict(zip(result.status["key"], result.status["value"]))
    assert status["records_screened"] == 0 and status["stopping_criterion_met"] is False
    assert "title_abstract_AB.xlsx" in status["next_step_1"] and "screening.decisions" in status["next_step_1"]


def test_the_model_ranks_by_every_decision_and_the_sample_sheet_stays_random(tmp_path):
    topics = {**TOPICS, "C-a-09": ("Peer support in community mental health teams", "Peer workers and serious "
                                   "mental illness."), "C-a-10": ("Coastal bridge steel corrosion monitoring",
                                                                  "Steel corrosion sensors.")}
    ab = decision_file(tmp_path / "ab.csv", "AB", {"C-a-01": "include", "C-a-04": "exclude", "C-a-03": "exclude"})
    # the second reviewer's include counts too
    cd = decision_file(tmp_path / "cd.csv", "CD", {"C-a-02": "include"})
    result = screen(unique_records(topics), [ab, cd], fraction=0.3, seed=1, reviewers=["AB", "CD"],
                    order="priority", model=model(description=""))
    sheet = result.worksheets["title_abstract_AB"]
    ranked = sheet[sheet["basis"].str.startswith("model")]
    assert ranked["cluster_id"].iloc[0] == "C-a-09"
    assert ranked["basis"].iloc[0] == "model trained on 4 decided records (2 include, 2 exclude)"
    assert "C-a-02" in set(sheet["cluster_id"])  # decided by CD only: still awaits AB, after the ranked ones
    assert sheet["cluster_id"].iloc[-1] == "C-a-02"
    sample = double_screening_sample(list(topics), 1, 0.3)
    assert list(result.worksheets["title_abstract_CD"]["cluster_id"]) == [c for c in sample if c != "C-a-02"]
    assert "priority" not in result.worksheets["title_abstract_CD"].columns


def test_a_resolution_trains_the_model_as_agreed(tmp_path):
    ab = decision_file(tmp_path / "ab.csv", "AB", {"C-a-01": "include", "C-a-05": "include", "C-a-04": "exclude"})
    cd = decision_file(tmp_path / "cd.csv", "CD", {"C-a-05": "exclude"})
    resolutions = tmp_path / "res.csv"
    resolutions.write_text("cluster_id,stage,decision,resolved_by,note\nC-a-05,title_abstract,exclude,AB+CD,\n")
    result = screen(unique_records(), [ab, cd], fraction=0.01, seed=1, reviewers=["AB", "CD"], order="priority",
                    model=model(description=""), resolutions_path=resolutions)
    sheet = result.worksheets["title_abstract_AB"]
    assert sheet["basis"].iloc[0] == "model trained on 3 decided records (1 include, 2 exclude)"


def test_file_order_keeps_the_records_order_without_ranking_columns():
    result = screen(unique_records(), [], fraction=0.5, seed=1, reviewers=["AB"], order="file", model=model())
    sheet = result.worksheets["title_abstract_AB"]
    assert list(sheet["cluster_id"]) == sorted(TOPICS) and "priority" not in sheet.columns


def test_two_runs_write_the_same_bytes(tmp_path):
    ab = decision_file(tmp_path / "ab.csv", "AB", {"C-a-01": "include", "C-a-04": "exclude"})
    for run in ("one", "two"):
        result = screen(unique_records(), [ab], fraction=0.5, seed=3, reviewers=["AB", "CD"], order="priority",
                        model=model(seed=3))
        write_screening(result, unique_records(), tmp_path / run)
    files = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    assert len(files) == 17  # 9 tables and texts (imported_unmatched.csv among them), 8 worksheet files
    for name in files:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_priority_order_with_no_text_in_any_record_names_the_config_field():
    blank = unique_records().assign(title="", abstract="")
    with pytest.raises(InputError, match="field 'screening.order': screening.order is 'priority' but no record has"):
        screen(blank, [], fraction=0.5, seed=1, reviewers=["AB"], order="priority", model=model(),
               source="data/processed/unique.parquet")


# --- the stopping test's counts --------------------------------------------------------------------

def test_stopping_counts_by_hand():
    ids = [f"C-x-{i:03d}" for i in range(100)]
    ranked = ids[:40]  # screened from the top of the ranking: 10 includes
    urn = random_order(ids[40:], 5)
    labels = pd.Series({**{cid: int(i < 10) for i, cid in enumerate(ranked)}, **{cid: 0 for cid in urn[:30]}})
    progress = screening_progress(ids, labels, set(urn[:30]), 5, 0.95)
    e = progress.estimate
    assert (progress.screened, progress.includes_found, progress.draws_counted) == (70, 10, 30)
    # recall below 95% needs K_tar = floor(10 / 0.95 - 10 + 1) = 1 include left in the urn of 60; the
    # chance of missing it in 30 draws is 30/60
    assert e.p_value == pytest.approx(0.5) and not e.criterion_met
    # 0 found in 30 of 60: K = 5 is still plausible (P(0 | K=5) = C(30,5)/C(60,5) = 0.026 > 0.025), K = 6 not
    assert (e.remaining_estimate, e.remaining_low, e.remaining_high) == (0, 0, 5)
    # a draw screened after skipping one is not part of the random sample
    skipped = screening_progress(ids, pd.concat([labels, pd.Series({urn[31]: 0})]), set(urn[:30]) | {urn[31]}, 5,
                                 0.95)
    assert (skipped.draws_counted, skipped.draws_not_counted, skipped.screened) == (30, 1, 71)
    everything = screening_progress(ids, pd.Series({**labels, **{cid: 0 for cid in urn}}), set(urn), 5, 0.95)
    assert everything.estimate.criterion_met and everything.estimate.remaining_high == 0


def test_the_stopping_sheet_read_back_counts_its_draws(tmp_path):
    first = screen(unique_records(), [], fraction=0.5, seed=1, reviewers=["AB"], order="priority", model=model())
    sheet = first.worksheets["stopping_sample_AB"]
    assert list(sheet["draw"]) == [str(n) for n in range(1, 9)]
    assert list(sheet["cluster_id"]) == random_order(list(TOPICS), 1)
    top = sheet.head(3)
    filled = decision_file(tmp_path / "draws.csv", "AB", dict.fromkeys(top["cluster_id"], "exclude"),
                           dict(zip(top["cluster_id"], top["draw"])))
    again = screen(unique_records(), [filled], fraction=0.5, seed=1, reviewers=["AB"], order="priority",
                   model=model())
    status = dict(zip(again.status["key"], again.status["value"]))
    assert (status["records_screened"], status["stopping_draws_counted"], status["includes_found"]) == (3, 3, 0)
    assert list(again.worksheets["stopping_sample_AB"]["draw"]) == ["4", "5", "6", "7", "8"]
    assert status["next_step_1"].startswith("AB: go on with results/screening/worksheets/stopping_sample_AB.xlsx from "
                                            "its first row (draw 4)")


# --- config -----------------------------------------------------------------------------------------

def write_config(review: Path, config: dict) -> None:
    (review / "config").mkdir(parents=True, exist_ok=True)
    (review / "config" / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))


@pytest.mark.parametrize("model_values, message", [
    ({"C": 0}, "line 7, field 'screening.model.C': 0 is not allowed; expected number > 0"),
    ({"ngram_max": "two"}, "line 7, field 'screening.model.ngram_max': 'two' is not allowed; expected integer >= 1"),
    ({"classifier": "forest"}, "line 7, field 'screening.model.classifier': 'forest' is not allowed; expected one of "
                               "logistic, svm"),
])
def test_a_model_setting_of_the_wrong_type_or_range(tmp_path, model_values, message):
    write_config(tmp_path, {"searches": [{"database": "MEDLINE", "date": "2020-01-01", "file": "a.ris"}],
                            "screening": {"model": model_values}})
    with pytest.raises(InputError, match=message):
        load_config(tmp_path, check_files=False)


def test_a_round_dated_before_an_earlier_round_names_its_line(tmp_path):
    write_config(tmp_path, {"searches": [
        {"database": "MEDLINE", "date": "2020-01-01", "file": "a.ris"},
        {"database": "Embase", "date": "2019-12-31", "file": "b.ris", "round": 2}]})
    with pytest.raises(InputError, match=r"line 6, field 'searches\[2\].date': searches\[2\] of round 2 is dated "
                                         r"2019-12-31, before round 1 began \(searches\[1\], 2020-01-01\)"):
        load_config(tmp_path, check_files=False)


# --- a new review, then its update, through `evsynth run` -----------------------------------------

def ris(records: list[tuple[str, str, str]]) -> str:
    return "".join(f"TY  - JOUR\nTI  - {title}\nAB  - {abstract}\nPY  - 2016\nDO  - {doi}\nER  - \n\n"
                   for title, abstract, doi in records)


def run(review: Path) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "evsynth", "run", str(review), "--cores", "1"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_a_new_review_gets_its_first_worksheets_and_an_update_is_ranked_by_the_earlier_decisions(tmp_path):
    review = tmp_path / "review"
    (review / "data" / "raw" / "searches").mkdir(parents=True)
    (review / "data" / "raw" / "searches" / "medline.ris").write_text(
        ris([(t, a, f"10.5555/{cid}") for cid, (t, a) in TOPICS.items()]))
    config = {"review": {"title": "Peer support", "question": QUESTION},
              "searches": [{"database": "MEDLINE", "date": "2020-01-01", "file": "data/raw/searches/medline.ris"}],
              "screening": {"reviewers": ["AB", "CD"], "sample_fraction": 0.5}}
    write_config(review, config)
    first = run(review)
    sheets = review / "results" / "screening" / "worksheets"
    unique = pd.read_csv(review / "results" / "dedup" / "unique.csv")
    by_doi = dict(zip(unique["doi"], unique["cluster_id"]))
    ab = pd.read_csv(sheets / "title_abstract_AB.csv", dtype=str, keep_default_na=False)
    assert len(ab) == 8 and set(ab["cluster_id"]) == set(unique["cluster_id"])
    assert set(ab["cluster_id"][:2]) == {by_doi["10.5555/c-a-01"], by_doi["10.5555/c-a-02"]}
    cd = pd.read_csv(sheets / "title_abstract_CD.csv", dtype=str, keep_default_na=False)
    assert list(cd["cluster_id"]) == double_screening_sample(unique["cluster_id"], 1, 0.5)
    assert (sheets / "title_abstract_AB.xlsx").is_file() and (sheets / "stopping_sample_AB.xlsx").is_file()
    assert "next: AB: fill in the decision column of results/screening/worksheets/title_abstract_AB.xlsx" \
        in first.stderr
    status = pd.read_csv(review / "results" / "screening" / "status.csv", dtype=str).set_index("key")["value"]
    assert status["records_screened"] == "0" and status["stopping_criterion_met"] == "False"
    # the report says the same: where screening stands, how the sheets are ordered, what to do next
    page = (review / "results" / "report" / "index.html").read_text(encoding="utf-8")
    assert "0 of 8 records screened, 0 includes found." in page
    assert "ranking: similarity to the review&#39;s description (no include and exclude yet)" in page
    assert "<li>AB: fill in the decision column of results/screening/worksheets/title_abstract_AB.xlsx" in page
    assert "Flow of the updated review" not in page

    # AB decides every record (the two peer-support ones include), one full text is included; then an
    # update search (round 2) finds one likely include, two unlikely ones and one record again
    ab["decision"] = ["include" if cid in {by_doi["10.5555/c-a-01"], by_doi["10.5555/c-a-02"]} else "exclude"
                      for cid in ab["cluster_id"]]
    (review / "data" / "raw" / "screening").mkdir(parents=True)
    ab.to_csv(review / "data" / "raw" / "screening" / "title_abstract_AB_1.csv", index=False)
    full_text = review / "data" / "raw" / "screening" / "full_text.csv"
    full_text.write_text("cluster_id,reviewer,decision,exclusion_reason,study_id,note\n"
                         f"{by_doi['10.5555/c-a-01']},AB,include,,S1,\n"
                         f"{by_doi['10.5555/c-a-02']},AB,exclude,wrong population,,\n")
    (review / "data" / "raw" / "searches" / "update.ris").write_text(ris([
        ("Peer support groups and recovery in serious mental illness", "Peer workers support adults with mental "
         "illness.", "10.5555/new-1"),
        ("Rust formation on coastal steel structures", "Corrosion of steel.", "10.5555/new-2"),
        ("Irrigation scheduling for greenhouse tomatoes", "Tomato irrigation.", "10.5555/new-3"),
        (*TOPICS["C-a-03"], "10.5555/C-a-03")]))
    config["searches"].append({"database": "MEDLINE", "date": "2021-01-01", "file": "data/raw/searches/update.ris",
                               "round": 2})
    config["screening"].update(decisions=["data/raw/screening/title_abstract_AB_1.csv"],
                               full_text="data/raw/screening/full_text.csv")
    write_config(review, config)
    run(review)
    unique = pd.read_csv(review / "results" / "dedup" / "unique.csv")
    by_doi = dict(zip(unique["doi"], unique["cluster_id"]))
    ab = pd.read_csv(sheets / "title_abstract_AB.csv", dtype=str, keep_default_na=False)
    assert list(ab["cluster_id"])[0] == by_doi["10.5555/new-1"]
    assert set(ab["cluster_id"]) == {by_doi["10.5555/new-1"], by_doi["10.5555/new-2"], by_doi["10.5555/new-3"]}
    assert ab["basis"].iloc[0] == "model trained on 8 decided records (2 include, 6 exclude)"
    update = pd.read_csv(review / "results" / "prisma" / "prisma2020_update.csv", dtype=str,
                         keep_default_na=False)
    n = dict(zip(update["data"], update["n"]))
    assert (n["previous_studies"], n["previous_reports"], n["database_results"], n["duplicates"]) == \
        ("1", "1", "4", "1")
    assert (n["records_screened"], n["new_studies"], n["total_studies"], n["total_reports"]) == ("0", "0", "1", "1")
    assert (review / "results" / "prisma" / "prisma2020_update.svg").is_file()
    assert (review / "results" / "prisma" / "prisma2020_update.png").is_file()
    page = (review / "results" / "report" / "index.html").read_text(encoding="utf-8")
    assert "Flow of the updated review" in page and "Studies included in previous version of review" in page
    assert "8 of 11 records screened, 2 includes found." in page

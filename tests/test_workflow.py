"""The workflow as a reviewer runs it: a review directory outside the repository, one command."""

from __future__ import annotations

import shutil
from collections import Counter
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--cores", "1"]

RIS = """TY  - JOUR
ID  - 101
TI  - Peer support workers in community mental health teams
AU  - Smith, Jane
PY  - 2016
JO  - Psychiatric Services
DO  - 10.1176/appi.ps.201500001
ER  - 

TY  - JOUR
ID  - 102
TI  - Implementing peer support on inpatient wards
AU  - Brown, Tom
PY  - 2014
ER  - 
"""
CSV = "id,title,authors,year,doi\nA1,Peer support workers in community mental health teams,Smith J,2016,\n"


def make_review(root: Path, searches: list[dict] | None = None, extra: dict | None = None) -> Path:
    raw = root / "data" / "raw" / "searches"
    raw.mkdir(parents=True)
    (raw / "medline.ris").write_text(RIS, encoding="utf-8")
    (raw / "hand.csv").write_text(CSV, encoding="utf-8")
    config = {"searches": searches or [
        {"database": "MEDLINE (Ovid)", "date": "2018-07-16", "file": "data/raw/searches/medline.ris"},
        {"database": "Hand search", "date": "2018-07-30", "file": "data/raw/searches/hand.csv",
         "source_type": "other"},
    ]}
    config.update(extra or {})
    (root / "config").mkdir()
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def run(review: Path) -> subprocess.CompletedProcess:
    return subprocess.run(SNAKEMAKE + ["--directory", str(review)], capture_output=True, text=True)


def outputs(review: Path) -> list[Path]:
    return sorted(p for d in ("data/processed", "results") if (review / d).exists()
                  for p in (review / d).rglob("*") if p.is_file())


def test_small_review_outside_the_repository(tmp_path):
    review = make_review(tmp_path / "review")
    result = run(review)
    assert result.returncode == 0, result.stderr[-3000:]
    records = pd.read_parquet(review / "data/processed/records.parquet")
    assert len(records) == 3
    assert list(records["source_id"]) == ["101", "102", "A1"]
    assert list(records["database"]) == ["MEDLINE (Ovid)", "MEDLINE (Ovid)", "Hand search"]
    assert records.loc[0, "doi"] == "10.1176/appi.ps.201500001"
    assert list(records.loc[0, "authors"]) == ["Smith, Jane"]
    counts = pd.read_csv(review / "results/ingest/identification_counts.csv")
    assert counts[["database", "source_type", "records"]].values.tolist() == [
        ["MEDLINE (Ovid)", "database", 2], ["Hand search", "other", 1]]


def test_record_ids_survive_adding_and_reordering_searches(tmp_path):
    first = make_review(tmp_path / "a")
    assert run(first).returncode == 0
    ids_before = pd.read_parquet(first / "data/processed/records.parquet").set_index("source_id")["record_id"]
    searches = yaml.safe_load((first / "config/config.yaml").read_text())["searches"]
    second = make_review(tmp_path / "b", searches=[
        searches[1], {"database": "Scopus", "date": "2019-01-05", "file": "data/raw/searches/update.csv"},
        searches[0]])
    (second / "data/raw/searches/update.csv").write_text("title,year\nA new study,2018\n", encoding="utf-8")
    result = run(second)
    assert result.returncode == 0, result.stderr[-3000:]
    after = pd.read_parquet(second / "data/processed/records.parquet").set_index("source_id")["record_id"]
    assert len(after) == 4
    for source_id, record_id in ids_before.items():
        assert after[source_id] == record_id


def test_a_changed_setting_reruns_the_stage_that_reads_it(tmp_path):
    review = make_review(tmp_path / "review")
    assert run(review).returncode == 0
    assert "Nothing to be done" in run_dry(review)
    config = yaml.safe_load((review / "config/config.yaml").read_text())
    config["searches"][1]["database"] = "Hand search of reference lists"
    (review / "config/config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    planned = run_dry(review)
    assert "rule ingest:" in planned and "Params have changed" in planned


def run_dry(review: Path) -> str:
    result = subprocess.run(SNAKEMAKE + ["--directory", str(review), "--dry-run"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout + result.stderr


UPDATE_RIS = """TY  - JOUR
ID  - 9001
TI  - Implementing peer support on inpatient wards.
AU  - Brown, T.
PY  - 2014
ER  - 

TY  - JOUR
ID  - 9002
TI  - Peer workers and the culture of crisis teams
AU  - Green, Ann
PY  - 2019
ER  - 
"""


def report(review: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "evsynth", "report", str(review)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]


def test_an_update_search_leaves_only_its_new_records_to_screen(tmp_path):
    review = make_review(tmp_path / "review")
    assert run(review).returncode == 0
    report(review)  # the version of 2018-07-30
    first = pd.read_parquet(review / "data/processed/unique.parquet")
    # the reviewer screens everything found so far
    decisions = pd.DataFrame({"cluster_id": first["cluster_id"], "reviewer": "DT", "stage": "title_abstract",
                              "decision": "exclude"})
    (review / "data/raw/screening").mkdir(parents=True)
    decisions.to_csv(review / "data/raw/screening/DT.csv", index=False)
    config = yaml.safe_load((review / "config/config.yaml").read_text())
    config["screening"] = {"decisions": ["data/raw/screening/DT.csv"], "reviewers": ["DT"], "sample_fraction": 0.01}
    # an update search a year later: one record already found (102, exported differently) and one new
    (review / "data/raw/searches/update.ris").write_text(UPDATE_RIS, encoding="utf-8")
    config["searches"].append({"database": "MEDLINE (Ovid)", "date": "2019-07-16",
                               "file": "data/raw/searches/update.ris"})
    (review / "config/config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    result = run(review)
    assert result.returncode == 0, result.stderr[-3000:]
    after = pd.read_parquet(review / "data/processed/unique.parquet")
    assert set(first["cluster_id"]) <= set(after["cluster_id"])  # every earlier cluster keeps its id
    assert len(after) == len(first) + 1
    worksheet = pd.read_csv(review / "results/screening/worksheets/title_abstract_DT.csv", dtype=str)
    assert list(worksheet["title"]) == ["Peer workers and the culture of crisis teams"]
    # the report of the update opens with what changed since the version of 2018-07-30
    report(review)
    page = BeautifulSoup((review / "results/report/index.html").read_text(encoding="utf-8"), "html.parser")
    changes = page.find("main").find("section")
    assert changes["id"] == "changes" and changes.find("h2").get_text() == "Changes since 2018-07-30"
    lines = [" ".join(item.get_text(" ", strip=True).split()) for item in changes.find("ul").find_all("li")]
    assert lines[:2] == ["New searches: 1 (MEDLINE (Ovid), 2019-07-16: 2 records).",
                         "Records identified: 3 → 5 (+2); unique records: 2 → 3 (+1)."]
    outstanding = changes.find("h3", string="Decisions still outstanding").find_next_sibling("ul")
    assert [li.get_text(" ", strip=True) for li in outstanding.find_all("li")] == [
        "records awaiting a title/abstract decision: 1"]
    assert (review / "results/report/versions/2018-07-30.json").is_file()
    assert (review / "results/report/versions/2019-07-16.json").is_file()


@pytest.mark.parametrize(
    "searches, extra, expected",
    [
        (None, {"screeening": {"seed": 1}},
         "config/config.yaml, line 1, field 'screeening': unknown key 'screeening' (did you mean 'screening'?)"),
        ([{"database": "X", "date": "2018-02-30", "file": "data/raw/searches/medline.ris"}], None,
         "searches[1].date': searches[1] has search date '2018-02-30'; expected a real date written YYYY-MM-DD"),
        ([{"database": "X", "date": "18/07/2018", "file": "data/raw/searches/medline.ris"}], None,
         "field 'searches[0].date': '18/07/2018' is not allowed; expected string matching"),
        ([{"database": "X", "date": "2018-07-16", "file": "data/raw/searches/embase.ris"}], None,
         "searches[1] names file 'data/raw/searches/embase.ris', which does not exist"),
        ([{"database": "X", "date": "2018-07-16", "file": "data/raw/searches/medline.ris"},
          {"database": "Y", "date": "2018-07-16", "file": "data/raw/searches/./medline.ris"}], None,
         "searches[2] lists file 'data/raw/searches/./medline.ris' again (already listed as searches[1])"),
    ],
    ids=["unknown-key", "impossible-date", "date-format", "absent-file", "file-twice"],
)
def test_bad_config_stops_before_any_output(tmp_path, searches, extra, expected):
    review = make_review(tmp_path / "review", searches=searches, extra=extra)
    result = run(review)
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr[-3000:]
    assert outputs(review) == []


def test_bad_export_stops_without_partial_output(tmp_path):
    review = make_review(tmp_path / "review")
    (review / "data/raw/searches/hand.csv").write_text("name,colour\nx,red\n", encoding="utf-8")
    result = run(review)
    assert result.returncode != 0
    assert "hand.csv" in result.stderr and "title" in result.stderr
    assert outputs(review) == []


def test_evsynth_run_uses_the_same_workflow(tmp_path):
    review = make_review(tmp_path / "review")
    result = subprocess.run([sys.executable, "-m", "evsynth", "run", str(review), "--cores", "1"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (review / "data/processed/records.parquet").is_file()


def test_snakemake_lint_is_clean():
    result = subprocess.run([sys.executable, "-m", "snakemake", "--lint", "--snakefile", str(REPO / "Snakefile"),
                             "--directory", str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Lints for" not in result.stdout, result.stdout[-3000:]


def test_example_review_end_to_end(tmp_path, example_review, seed_figures):
    review = tmp_path / "example"
    shutil.copytree(REPO / "config", review / "config")
    shutil.copytree(REPO / "data" / "raw", review / "data" / "raw")
    result = run(review)
    assert result.returncode == 0, result.stderr[-3000:]
    counts = pd.read_csv(review / "results/ingest/identification_counts.csv")
    records = pd.read_parquet(review / "data/processed/records.parquet")
    assert counts["records"].sum() == len(records)
    assert records["record_id"].is_unique
    # Every exported record the generator wrote is read, file by file, with its own id.
    truth = example_review.truth
    expected = Counter(record.file for record in truth.records)
    assert dict(zip(counts["source_file"], counts["records"])) == dict(expected)
    truth_ids = {(r.file, r.position): r.source_id for r in truth.records}
    read_ids = dict(zip(zip(records["source_file"], records["position"]), records["source_id"]))
    assert read_ids == truth_ids
    assert len({r.pub_id for r in truth.records}) == seed_figures["publications"]
    # Deduplication finds exactly the generator's publications: same partition, as many as the seed's.
    clusters = pd.read_csv(review / "results/dedup/clusters.csv", dtype=str)
    position = dict(zip(records["record_id"], zip(records["source_file"], records["position"])))
    pub_of = {(r.file, r.position): r.pub_id for r in truth.records}
    members = clusters.groupby("cluster_id")["record_id"].agg(lambda ids: frozenset(pub_of[position[i]] for i in ids))
    assert members.map(len).max() == 1  # no cluster joins two publications
    assert len(members) == seed_figures["publications"] == len(pd.read_parquet(review / "data/processed/unique.parquet"))
    summary = pd.read_csv(review / "results/dedup/summary.csv", dtype=str).set_index(["section", "key"])["value"]
    assert summary[("totals", "duplicates_removed")] == str(len(records) - seed_figures["publications"])
    validation = pd.read_csv(review / "results/inputs/validation.csv")
    assert set(validation["table"]) >= {"screening_decisions", "full_text", "extraction", "casp_answers",
                                        "codebook", "cfir_domains", "extracts", "measure_ratings",
                                        "measure_sites", "dedup_verdicts", "screening_resolutions"}

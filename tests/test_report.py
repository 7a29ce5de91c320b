"""The report of small reviews: a review that has only searches, and text from people that looks like HTML.

The page is parsed with an HTML parser: what a person typed (a database name, a citation, a theme's
label, a quote) must come back as that text, never as markup.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from evsynth.errors import InputError
from evsynth.config import validate_config
from evsynth.stages import run_in_review, run_stage, stage_inputs, stage_outputs, stage_settings

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--cores", "1"]
HOSTILE_DATABASE = "Hand search & <script>alert('db')</script> | lists"
HOSTILE_CITATION = "Albers & Co. <script>alert(1)</script> | (2014)"
FORMULA_CITATION = '=HYPERLINK("http://example.invalid","Asante")'
HOSTILE_LABEL = "Culture & <em>power</em> | <script>alert(2)</script>"
HOSTILE_QUOTE = "<img src=x onerror=alert(3)> & | a quote"
RIS = """TY  - JOUR
ID  - 201
TI  - Peer workers & nurses on acute wards | a survey
AU  - Okafor, Ada
PY  - 2015
JO  - Journal of Psychiatric and Mental Health Nursing
ER  - 

TY  - JOUR
ID  - 202
TI  - Supervision of peer support workers in community teams
AU  - Lind, Per
PY  - 2017
ER  - 
"""
CSV = "id,title,authors,year\nA1,Peer workers & the <b>culture</b> of crisis teams,Green A,2019\n"


def searches_review(root: Path) -> Path:
    raw = root / "data" / "raw" / "searches"
    raw.mkdir(parents=True)
    (raw / "medline.ris").write_text(RIS, encoding="utf-8")
    (raw / "hand.csv").write_text(CSV, encoding="utf-8")
    config = {"review": {"title": "Peer support & <i>teams</i>"}, "searches": [
        {"database": "MEDLINE (Ovid)", "date": "2018-07-16", "file": "data/raw/searches/medline.ris"},
        {"database": HOSTILE_DATABASE, "date": "2018-07-30", "file": "data/raw/searches/hand.csv",
         "source_type": "other"}]}
    (root / "config").mkdir()
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def cells(table) -> list[list[str]]:
    return [[c.get_text() for c in row.find_all(["th", "td"], recursive=False)]
            for row in table.find("tbody").find_all("tr")]


def test_a_review_with_only_searches_gets_identification_and_deduplication(tmp_path):
    review = searches_review(tmp_path / "review")
    result = subprocess.run(SNAKEMAKE + ["--directory", str(review)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    made = subprocess.run([sys.executable, "-m", "evsynth", "report", str(review)], capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-3000:]
    out = review / "results" / "report"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "index.html", "supplementary.xlsx", "versions/2018-07-30.json"]
    page = parse(out / "index.html")
    assert [h.get_text() for h in page.find_all("h2")] == [
        "Contents", "The review at a glance", "Identification and deduplication", "Provenance"]
    searches = cells(page.find(id="identification").find("table"))
    assert [row[0] for row in searches] == ["MEDLINE (Ovid)", HOSTILE_DATABASE]
    assert [row[-1] for row in searches] == ["2", "1"]
    assert page.find("h1").get_text() == "Peer support & <i>teams</i>"
    assert page.find_all("i") == [] and len(page.find_all("script")) == 1
    figures = {row[0]: row[1] for row in cells(page.find(id="glance").find("table"))}
    assert figures == {"records identified": "3", "duplicates removed": "0", "unique records": "3"}
    snapshot = json.loads((out / "versions/2018-07-30.json").read_text())
    assert (snapshot["records_identified"], snapshot["unique_records"]) == (3, 3)
    assert "themes" not in snapshot and "included_studies" not in snapshot
    assert openpyxl.load_workbook(out / "supplementary.xlsx").sheetnames == ["Identification"]


def hostile_review(root: Path) -> dict:
    """The example's studies and synthesis tables, with a citation, a label and a quote that look like HTML."""
    for name in ("screening/full_text.csv", "synthesis/cfir_domains.csv"):
        (root / "data/raw" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "data/raw" / name).write_bytes((RAW / name).read_bytes())
    tables = {name: pd.read_csv(RAW / name, dtype=str, keep_default_na=False)
              for name in ("extraction/studies.csv", "synthesis/codebook.csv", "synthesis/extracts.csv")}
    studies = tables["extraction/studies.csv"]
    studies.loc[studies["study_id"] == "S01", "citation"] = HOSTILE_CITATION
    studies.loc[studies["study_id"] == "S02", "citation"] = FORMULA_CITATION
    codebook = tables["synthesis/codebook.csv"]
    codebook.loc[codebook["code_id"] == "T01", "label"] = HOSTILE_LABEL
    extracts = tables["synthesis/extracts.csv"]
    first = extracts.index[extracts["code_id"].str.startswith("T01")][0]
    extracts.loc[first, "quote"] = HOSTILE_QUOTE
    for name, frame in tables.items():
        (root / "data/raw" / name).parent.mkdir(parents=True, exist_ok=True)
        frame.to_csv(root / "data/raw" / name, index=False)
    (root / "data/raw/searches").mkdir(parents=True)
    (root / "data/raw/searches/medline.ris").write_text(RIS, encoding="utf-8")
    return {"review": {"title": "Hostile text"},
            "searches": [{"database": HOSTILE_DATABASE, "date": "2018-07-16", "file": "data/raw/searches/medline.ris"}],
            "screening": {"full_text": "data/raw/screening/full_text.csv"},
            "studies": {"extraction": "data/raw/extraction/studies.csv"},
            "synthesis": {"codebook": "data/raw/synthesis/codebook.csv",
                          "cfir_domains": "data/raw/synthesis/cfir_domains.csv",
                          "extracts": "data/raw/synthesis/extracts.csv"},
            "extract_id": extracts.loc[first, "extract_id"]}


def run_stages(config: dict) -> dict:
    """Some of the stages the report reads, as the rules call them (in the review directory); the
    validated config."""
    config = validate_config(config)
    for name in ("ingest", "dedup", "validate_inputs", "included_studies", "study_sources", "theme_strength",
                 "synthesis_audit"):
        run_in_review(name, ".", config)
    return config


def build_report(config: dict, inputs: dict) -> None:
    run_stage("report", inputs, stage_outputs(config, "report"), stage_settings(config, "report"), "logs/report.log")


def test_text_that_looks_like_html_is_shown_as_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = hostile_review(tmp_path)
    extract_id = config.pop("extract_id")
    config = run_stages(config)
    inputs = {name: path for name, path in stage_inputs(config, "report").items()
              if name not in {"robustness_summary", "robustness_analyses", "leave_one_out", "bootstrap", "rank_bump",
                              "theme_network"}}  # the stages this test did not run
    build_report(config, inputs)
    page = parse(Path("results/report/index.html"))
    assert len(page.find_all("script")) == 1 and page.find_all("img") == [] and page.find_all("em") == []
    assert cells(page.find(id="identification").find("table"))[0][0] == HOSTILE_DATABASE
    studies = {row[0]: row[1] for row in cells(page.find(id="studies-table"))}
    assert studies["S01"] == HOSTILE_CITATION and studies["S02"] == FORMULA_CITATION
    themes = page.find(id="synthesis").find("table", class_="themes")
    assert cells(themes)[0][0] == HOSTILE_LABEL
    quotes = {row[0]: row[-1] for row in cells(page.find(id="node-t01-extracts").find_next_sibling("table"))}
    assert quotes[extract_id] == HOSTILE_QUOTE
    # the workbook keeps a citation that looks like a formula as text
    sheet = openpyxl.load_workbook("results/report/supplementary.xlsx")["Included studies"]
    cell = next(c for c in sheet["B"] if c.value == FORMULA_CITATION)
    assert cell.data_type == "s"
    table = pd.read_csv("results/report/characteristics_of_included_studies.csv", dtype=str, keep_default_na=False)
    assert table.loc[table["study_id"] == "S01", "citation"].item() == HOSTILE_CITATION


def test_a_missing_result_file_names_it_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = hostile_review(tmp_path)
    config.pop("extract_id")
    config = run_stages(config)
    inputs = stage_inputs(config, "report")  # names the theme network and robustness results, which were never made
    with pytest.raises(InputError, match=r"results/synthesis/figures/theme_network.svg: file does not exist; "
                                         r"expected the output of rule theme_network \(run the workflow first\)"):
        build_report(config, inputs)
    assert not Path("results/report").exists()


def test_changes_since_the_newest_earlier_snapshot():
    from evsynth.report.snapshots import changes_since

    search = {"database": "MEDLINE", "date": "2018-07-16", "file": "a.ris", "records": 10}
    older = {"date": "2018-01-01", "searches": [], "records_identified": 0, "unique_records": 0}
    before = {"date": "2018-07-16", "searches": [search], "records_identified": 10, "unique_records": 8,
              "included_studies": {"S1": "Ann (2001)", "S2": "Bo (2002)"},
              "themes": {"T1": {"label": "Culture", "n": 2, "N": 2, "percent": "100", "rank": "1", "flagged": True},
                         "T2": {"label": "Money", "n": 1, "N": 2, "percent": "50", "rank": "2", "flagged": True}},
              "robustness": {"bootstrap": "holds"}}
    update = {"database": "MEDLINE", "date": "2019-07-16", "file": "b.ris", "records": 4}
    now = {"date": "2019-07-16", "searches": [search, update], "records_identified": 14, "unique_records": 11,
           "duplicate_pairs_waiting": 1, "outstanding": {"records awaiting a title/abstract decision": 3,
                                                         "disagreements awaiting resolution": 0},
           "included_studies": {"S1": "Ann (2001)", "S2": "Bo (2002)", "S3": "Cy (2019)"},
           "themes": {"T1": {"label": "Culture", "n": 3, "N": 3, "percent": "100", "rank": "1", "flagged": True},
                      "T2": {"label": "Money", "n": 1, "N": 3, "percent": "33", "rank": "2", "flagged": True}},
           "robustness": {"bootstrap": "holds less"}}
    changes = changes_since([("v/2018-01-01.json", older), ("v/2018-07-16.json", before)], now)
    assert changes["since"] == "2018-07-16" and changes["new_searches"] == [update]
    assert (changes["records_added"], changes["unique_added"]) == (4, 3)
    assert changes["studies_added"] == [("S3", "Cy (2019)")] and changes["studies_removed"] == []
    assert [(t["code_id"], t["fields"]) for t in changes["themes"]] == [
        ("T1", [("n", 2, 3), ("N", 2, 3)]), ("T2", [("N", 2, 3), ("percent", "50", "33")])]
    assert changes["verdicts"] == [{"analysis": "bootstrap", "before": "holds", "after": "holds less"}]
    assert changes["outstanding"] == [("records awaiting a title/abstract decision", 3),
                                      ("duplicate pairs awaiting a person's verdict", 1)]
    assert changes_since([("v/2019-07-16.json", now)], now) is None  # a snapshot of the same date is this version

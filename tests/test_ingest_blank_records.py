"""Records with no title and no identifier are kept, counted and reported: never silently blank rows."""

from __future__ import annotations

import pandas as pd

from evsynth.cli import main
from evsynth.ingest import run_ingest

# Two bare records (a broken export), one with only an author and a year, one real record.
RIS = """TY  - JOUR
ER  - 

TY  - JOUR
ER  - 

TY  - JOUR
AU  - Smith, Jane
PY  - 2016
ER  - 

TY  - JOUR
TI  - Peer support workers in community mental health teams
PY  - 2016
ER  - 

TY  - JOUR
DO  - 10.1176/appi.ps.201500001
ER  - 
"""


def write_export(root):
    (root / "data").mkdir(parents=True)
    (root / "data" / "medline.ris").write_text(RIS, encoding="utf-8")
    return [{"database": "MEDLINE", "date": "2018-07-16", "file": "data/medline.ris"}]


def test_the_ingest_step_lists_them_and_warns(tmp_path, capsys):
    searches = write_export(tmp_path)
    records = run_ingest(searches, tmp_path, str(tmp_path / "records.parquet"), str(tmp_path / "counts.csv"),
                         str(tmp_path / "ingest.log"), blank_path=str(tmp_path / "blank.csv"))
    assert len(records) == 5  # every exported record is kept
    blank = pd.read_csv(tmp_path / "blank.csv", dtype=str, keep_default_na=False)
    assert list(blank.columns) == ["database", "search_date", "source_file", "position", "record_id", "authors",
                                   "year", "journal"]
    assert blank["position"].tolist() == ["1", "2", "3"]
    assert blank["authors"].tolist() == ["", "", "Smith, Jane"] and blank["year"].tolist() == ["", "", "2016"]
    assert blank["record_id"].tolist() == records["record_id"].iloc[:3].tolist()
    warning = ("warning: data/medline.ris: 3 of 5 records have no title and no identifier (DOI, PMID, WoS UT, "
               f"Scopus EID, ISBN): records 1, 2, 3 of the file; they are kept, and listed in {tmp_path / 'blank.csv'}")
    assert capsys.readouterr().err == f"evsynth: {warning}\n"
    assert warning in (tmp_path / "ingest.log").read_text(encoding="utf-8")


def test_the_ingest_command_lists_them_and_warns(tmp_path, capsys):
    write_export(tmp_path)
    out = tmp_path / "out"
    assert main(["ingest", str(tmp_path / "data" / "medline.ris"), "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "3 of 5 records have no title and no identifier" in err
    assert f"listed in {out / 'records_without_title_or_id.csv'}" in err
    assert len(pd.read_csv(out / "records_without_title_or_id.csv")) == 3


def test_no_file_and_no_warning_when_every_record_has_a_title_or_an_identifier(tmp_path, capsys):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "ok.ris").write_text(RIS.split("\n\n", 3)[3], encoding="utf-8")
    searches = [{"database": "MEDLINE", "date": "2018-07-16", "file": "data/ok.ris"}]
    run_ingest(searches, tmp_path, str(tmp_path / "records.parquet"), str(tmp_path / "counts.csv"),
               blank_path=str(tmp_path / "blank.csv"))
    assert capsys.readouterr().err == ""
    assert len(pd.read_csv(tmp_path / "blank.csv")) == 0  # the rule's output exists, with its header

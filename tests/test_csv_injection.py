"""Every CSV evsynth writes keeps text from exports as text in a spreadsheet (OWASP's CSV-injection advice)."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from evsynth.cli import main
from evsynth.fileio import write_csv
from evsynth.tables import read_stage_table, read_table

HOSTILE = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1 peer workers", "-2 trials", "@SUM(A1)",
           "\tindented", "'=quoted already", "'Nothing about us'", "Peer - support", "-0.5", "+3", "",
           "two\nlines"]


def raw_cells(path: Path, column: str) -> list[str]:
    with open(path, newline="", encoding="utf-8") as handle:
        return [row[column] for row in csv.DictReader(handle)]


def test_text_cells_that_a_spreadsheet_would_run_are_prefixed_and_read_back_as_written(tmp_path):
    frame = pd.DataFrame({"text": HOSTILE, "number": [-0.5] * len(HOSTILE)})
    write_csv(frame, tmp_path / "t.csv")
    assert raw_cells(tmp_path / "t.csv", "text") == [
        "'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1 peer workers", "'-2 trials", "'@SUM(A1)",
        "'\tindented", "''=quoted already", "'Nothing about us'", "Peer - support", "-0.5", "+3", "", "two\nlines"]
    assert set(raw_cells(tmp_path / "t.csv", "number")) == {"-0.5"}  # numbers are numbers, never prefixed
    # evsynth reads its own tables back as they were before writing (a later stage sees the export's text)
    back = read_stage_table(tmp_path / "t.csv", ["text"], "a test")
    assert list(back["text"]) == HOSTILE


def test_a_carriage_return_never_splits_a_row(tmp_path):
    # A lone CR is a row end to a spreadsheet: "\r=cmd" would otherwise start a row with a formula.
    frame = pd.DataFrame({"text": ["a\r=cmd|' /C calc'!A0", "\r@SUM(A1)", "b\r\nc"], "n": [1, 2, 3]})
    write_csv(frame, tmp_path / "t.csv")
    data = (tmp_path / "t.csv").read_bytes()
    assert b"\r" not in data
    assert pd.read_csv(tmp_path / "t.csv")["text"].tolist() == ["a\n=cmd|' /C calc'!A0", "\n@SUM(A1)", "b\nc"]


def test_a_table_evsynth_wrote_reads_back_through_the_schema_reader(tmp_path):
    studies = pd.DataFrame({"study_id": ["S1", "S2"], "citation": ["-Smith (2016)", "=Jones (2017)"],
                            "design": ["qualitative", "qualitative"]})
    write_csv(studies, tmp_path / "included.csv")
    assert raw_cells(tmp_path / "included.csv", "citation") == ["'-Smith (2016)", "'=Jones (2017)"]
    assert list(read_table(tmp_path / "included.csv", "extraction")["citation"]) == ["-Smith (2016)", "=Jones (2017)"]


RIS = """TY  - JOUR
TI  - =HYPERLINK("http://evil.example","Peer support")
AU  - @Smith, Jane
PY  - 2016
ER  - 

TY  - JOUR
TI  - -based peer support in inpatient wards
AU  - Brown, Tom
PY  - 2014
ER  - 
"""


def test_dedup_outputs_carry_export_text_prefixed(tmp_path):
    (tmp_path / "hostile.ris").write_text(RIS, encoding="utf-8")
    assert main(["dedup", str(tmp_path / "hostile.ris"), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    titles = raw_cells(tmp_path / "out" / "unique.csv", "title")
    assert sorted(titles) == ["'-based peer support in inpatient wards", "'=HYPERLINK(\"http://evil.example\",\"Peer support\")"]
    authors = raw_cells(tmp_path / "out" / "unique.csv", "authors")
    assert "'@Smith, Jane" in authors


def test_records_written_for_asreview_or_rayyan_follow_the_same_policy_and_read_back(tmp_path):
    from evsynth.readers import read_export
    from evsynth.writers import write_records

    records = [{"title": "=HYPERLINK(\"http://evil.example\",\"Peer support\")", "authors": ["@Smith, Jane", "Brown, T"],
                "year": 2016, "volume": "-1", "source_id": "a1"},
               {"title": "-based peer support", "authors": [], "source_id": "a2"}]
    write_records(records, tmp_path / "records.csv")
    assert raw_cells(tmp_path / "records.csv", "title") == ["'=HYPERLINK(\"http://evil.example\",\"Peer support\")",
                                                           "'-based peer support"]
    assert raw_cells(tmp_path / "records.csv", "authors") == ["'@Smith, Jane;Brown, T", ""]
    assert raw_cells(tmp_path / "records.csv", "volume") == ["-1", ""]
    back = read_export(tmp_path / "records.csv")
    assert [r["title"] for r in back] == [records[0]["title"], records[1]["title"]]
    assert back[0]["authors"] == ["@Smith, Jane", "Brown, T"]

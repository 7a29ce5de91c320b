"""Every workbook evsynth writes is the same bytes from run to run, and keeps export text as text."""

from __future__ import annotations

import time
import zipfile

import openpyxl
import pytest

from evsynth.dedup import deduplicate, write_outputs


class Clock:
    """The time zipfile stamps into each entry's header, set by the test."""

    def __init__(self, epoch: float):
        self.epoch = epoch

    def time(self) -> float:
        return self.epoch

    def localtime(self, seconds=None):
        return time.localtime(self.epoch if seconds is None else seconds)


@pytest.fixture()
def written(tmp_path, monkeypatch, make_records, ARTICLE):  # noqa: N803 - the conftest fixture's name
    hostile = dict(ARTICLE, doi=None, pages="188-196", title='=HYPERLINK("http://evil.example","Peer support")')
    # pages and year both disagree and one has no abstract: a pair for a person, not a soft clash
    records = make_records(hostile, dict(hostile, pages="198-206", year=2014, abstract=None))
    result = deduplicate(records)
    assert len(result.uncertain) == 1

    def run(name: str, epoch: float):
        monkeypatch.setattr(zipfile, "time", Clock(epoch))
        write_outputs(records, result, tmp_path / name, xlsx=True)
        return (tmp_path / name / "uncertain_pairs.xlsx").read_bytes()

    return run


def test_uncertain_pairs_workbook_is_byte_identical_from_run_to_run(written):
    # two runs a day apart
    assert written("first", 1_700_000_000) == written("second", 1_700_086_400)


def test_export_text_in_the_workbook_is_text_not_a_formula(written, tmp_path):
    written("first", 1_700_000_000)
    sheet = openpyxl.load_workbook(tmp_path / "first" / "uncertain_pairs.xlsx").active
    header = [cell.value for cell in sheet[1]]
    title = sheet.cell(row=2, column=header.index("title_1") + 1)
    assert title.data_type == "s" and title.value == '=HYPERLINK("http://evil.example","Peer support")'
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)

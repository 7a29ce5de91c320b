"""A result that cannot be written (full disk, no directory) is named in one line, and nothing half-written stays."""

from __future__ import annotations

import os
import tempfile

import pandas as pd
import pytest

import evsynth.fileio
from evsynth.cli import main
from evsynth.errors import OutputError
from evsynth.fileio import write_csv

RIS = "TY  - JOUR\nTI  - Peer support workers in community mental health teams\nPY  - 2016\nER  - \n"


@pytest.fixture()
def full_disk(monkeypatch):
    """Every file evsynth writes lands on /dev/full, which answers each write with ENOSPC (a real full disk)."""
    if not os.path.exists("/dev/full"):
        pytest.fail("this test needs /dev/full (Linux) to produce a real 'no space left on device'")

    def mkstemp(prefix="", suffix="", dir=None):
        path = tempfile.mktemp(prefix=prefix, suffix=suffix, dir=dir)
        os.symlink("/dev/full", path)
        return os.open(os.devnull, os.O_RDONLY), path

    monkeypatch.setattr(evsynth.fileio.tempfile, "mkstemp", mkstemp)


def test_a_full_disk_names_the_file_being_written(tmp_path, full_disk):
    target = tmp_path / "results" / "table.csv"
    with pytest.raises(OutputError) as caught:
        write_csv(pd.DataFrame({"a": ["x" * 100_000]}), target)
    assert str(caught.value) == (f"{target}: cannot be written (No space left on device); "
                                 "expected free space on the disk that holds it")
    assert os.listdir(target.parent) == []  # no partial file, no temporary file left behind


def test_the_command_says_which_file_in_one_line(tmp_path, full_disk, capsys):
    (tmp_path / "medline.ris").write_text(RIS, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["dedup", str(tmp_path / "medline.ris"), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err == (f"evsynth: error: {out / 'clusters.csv'}: cannot be written (No space left on device); "
                   "expected free space on the disk that holds it\n")


def test_a_directory_that_cannot_be_made_names_the_file(tmp_path):
    (tmp_path / "results").write_text("a file where a directory should be", encoding="utf-8")
    target = tmp_path / "results" / "table.csv"
    with pytest.raises(OutputError, match=rf"^{target}: cannot be written \(.*\)$"):
        write_csv(pd.DataFrame({"a": [1]}), target)

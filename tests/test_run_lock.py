"""After kill -9 a plain rerun goes on; a second run while one is working is told so in one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

RIS = """TY  - JOUR
ID  - 101
TI  - Peer support workers in community mental health teams
AU  - Smith, Jane
PY  - 2016
ER  - 
"""
EVSYNTH_RUN = [sys.executable, "-m", "evsynth", "run"]


def make_review(root: Path) -> Path:
    (root / "data" / "raw").mkdir(parents=True)
    (root / "data" / "raw" / "medline.ris").write_text(RIS, encoding="utf-8")
    (root / "config").mkdir()
    (root / "config" / "config.yaml").write_text(yaml.safe_dump({"searches": [
        {"database": "MEDLINE", "date": "2018-07-16", "file": "data/raw/medline.ris"}]}), encoding="utf-8")
    return root


def locks(review: Path) -> list[Path]:
    return sorted((review / ".snakemake" / "locks").glob("*.lock"))


def start_until_locked(review: Path) -> subprocess.Popen:
    """``evsynth run`` in its own process group, stopped (SIGSTOP) as soon as Snakemake holds its lock."""
    process = subprocess.Popen(EVSYNTH_RUN + [str(review), "--cores", "1"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 300
    while not locks(review):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the run ended (or took 300 s) before Snakemake took its lock")
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGSTOP)
    return process


def test_a_second_run_is_told_in_one_line_and_a_killed_run_leaves_no_obstacle(tmp_path):
    review = make_review(tmp_path / "review").resolve()
    first = start_until_locked(review)
    try:
        second = subprocess.run(EVSYNTH_RUN + [str(review), "--cores", "1"], capture_output=True, text=True)
        assert second.returncode == 2
        lines = second.stderr.splitlines()
        assert len(lines) == 1, second.stderr
        assert lines[0].startswith(f"evsynth: error: {review}: is being run by another process (pid ")
        assert lines[0].endswith("); wait for it to finish, or stop it, then run again")
    finally:
        os.killpg(first.pid, signal.SIGKILL)  # kill -9, while it holds the lock
        first.wait()
    assert locks(review), "kill -9 leaves Snakemake's lock behind"

    again = subprocess.run(EVSYNTH_RUN + [str(review), "--cores", "1"], capture_output=True, text=True)
    assert again.returncode == 0, again.stderr[-3000:]
    said = [line for line in again.stderr.splitlines() if line.startswith("evsynth:")]
    assert said == [f"evsynth: the last run on {review} stopped before it finished (killed, or the machine went "
                    "down); no process holds its lock any more, so it was cleared and this run redoes what was "
                    "left unfinished"]
    assert (review / "data/processed/unique.parquet").is_file() and not locks(review)


def test_where_live_runs_cannot_be_seen_the_message_says_how_to_go_on(tmp_path, monkeypatch, capsys):
    from evsynth import runlock
    from evsynth.cli import main

    review = make_review(tmp_path / "review").resolve()
    (review / ".snakemake" / "locks").mkdir(parents=True)
    (review / ".snakemake" / "locks" / "0.output.lock").write_text(f"{review}/results/x.csv\n", encoding="utf-8")
    monkeypatch.setattr(runlock, "live_runs", lambda review: None)  # no /proc (e.g. macOS)
    assert main(["run", str(review)]) == 2
    assert capsys.readouterr().err == (
        f"evsynth: error: {review}: is locked by a run that did not finish (killed, or still running); if no "
        f"other run is working on it, run `evsynth run --unlock {review}`, then run again\n")
    assert main(["run", "--unlock", str(review)]) == 0
    assert capsys.readouterr().err == f"evsynth: unlocked {review}\n"
    assert not locks(review)

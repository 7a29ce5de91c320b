"""A large tagged export is read in two halves, the second in a second process: the same records,
and an error in the second half still names its line in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

import evsynth.readers as readers
from evsynth.errors import InputError
from evsynth.readers import read_export

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
SEARCHES = Path(__file__).resolve().parents[1] / "data" / "raw" / "searches"

# (format, file, text between records): each file's records repeated to well over the threshold below
FILES = [
    ("ris", SEARCHES / "embase_ovid.ris", ""),
    ("medline", SEARCHES / "medline_pubmed.nbib", "\n"),
    ("wos", SEARCHES / "wos_savedrecs.txt", "\n"),
    ("endnote", FIXTURES / "ais_endnote.enl", "\n"),
    ("proquest", FIXTURES / "proquest.txt", ""),
]


def repeated(path: Path, joiner: str, times: int) -> str:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    return joiner.join([text.rstrip("\n") + "\n"] * times)


@pytest.mark.parametrize("fmt, source, joiner", FILES, ids=[f[0] for f in FILES])
def test_two_halves_give_the_records_of_one_read(tmp_path, monkeypatch, fmt, source, joiner):
    path = tmp_path / source.name
    path.write_text(repeated(source, joiner, 6), encoding="utf-8")
    whole = read_export(path)
    monkeypatch.setattr(readers, "PARALLEL_CHARS", 1000)
    halves = read_export(path)
    assert len(halves) == len(whole) == 6 * len(read_export(source))
    assert halves == whole


def test_an_error_in_the_second_half_names_its_line_in_the_file(tmp_path, monkeypatch):
    text = repeated(SEARCHES / "embase_ovid.ris", "", 6)
    lines = text.split("\n")
    # a record's ER line removed near the end: that record runs into the next one
    last_er = max(i for i, line in enumerate(lines[: len(lines) - 40]) if line.startswith("ER  -"))
    opened = max(i for i, line in enumerate(lines[:last_er]) if line.startswith("TY  -"))
    del lines[last_er]
    path = tmp_path / "broken.ris"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(InputError) as whole:
        read_export(path)
    monkeypatch.setattr(readers, "PARALLEL_CHARS", 1000)
    with pytest.raises(InputError) as halves:
        read_export(path)
    assert whole.value.line == halves.value.line == opened + 1
    assert str(halves.value) == str(whole.value)


def test_work_registered_while_waiting_runs_once_when_the_caller_waits_for_the_second_process():
    import concurrent.futures

    from evsynth.readers.parallel import Beside, while_waiting

    future: concurrent.futures.Future = concurrent.futures.Future()
    ran = []

    def work():  # what the caller needs anyway; here it also lets the second process "finish"
        ran.append(1)
        future.set_result("second half")

    with while_waiting(work):
        assert Beside(future).result() == "second half"
        assert Beside(future).result() == "second half"  # done: nothing left to run
    assert ran == [1]
    done: concurrent.futures.Future = concurrent.futures.Future()
    done.set_result("ready")
    with while_waiting(lambda: ran.append(2)):
        assert Beside(done).result() == "ready"  # nothing to wait for: the work is left to the caller
    assert ran == [1]

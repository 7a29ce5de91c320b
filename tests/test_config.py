"""The one config loader: what YAML lets slip is refused, and every error names config/config.yaml,
the line and the field, in a few lines."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from evsynth.cli import main
from evsynth.config import load_config
from evsynth.errors import InputError

SEARCH = '  - {database: MEDLINE, date: "2018-07-16", file: data/raw/medline.ris}\n'


def review(tmp_path: Path, text: str) -> Path:
    (tmp_path / "config").mkdir(parents=True)
    (tmp_path / "config" / "config.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    (tmp_path / "data" / "raw" / "medline.ris").write_text("TY  - JOUR\nTI  - A title\nER  - \n", encoding="utf-8")
    return tmp_path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(InputError) as caught:
        load_config(review(tmp_path, text))
    return str(caught.value)


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k - 1}"] * 9) + "]" for k in range(1, 10)]
    start = time.perf_counter()
    message = error_of(tmp_path, "searches:\n" + SEARCH + "\n".join(lines) + "\n")
    assert time.perf_counter() - start < 1
    assert message == ("config/config.yaml, line 3: an anchor (&a0) is not allowed in the config; expected each "
                       "value written out (anchors & and aliases * are refused)")


def test_a_key_given_twice_names_both_lines(tmp_path):
    message = error_of(tmp_path, "searches:\n" + SEARCH + "screening:\n  seed: 1\n  seed: 2\n")
    assert message == ("config/config.yaml, line 5, field 'seed': key 'seed' is given twice (first on line 4); "
                       "expected each key once in its section")


def test_a_reviewer_listed_twice_is_an_error(tmp_path):
    message = error_of(tmp_path, "searches:\n" + SEARCH + "screening:\n  reviewers: [DT, DT]\n")
    assert message.startswith("config/config.yaml, line 4, field 'screening.reviewers[1]': reviewer 'DT' is "
                              "listed twice")


def test_a_misspelt_key_names_the_line_and_the_close_match(tmp_path):
    message = error_of(tmp_path, "searches:\n" + SEARCH + "screening:\n  sample_fractoin: 0.1\n")
    assert message.startswith("config/config.yaml, line 4, field 'screening.sample_fractoin': unknown key "
                              "'sample_fractoin' (did you mean 'sample_fraction'?); expected one of ")
    assert message.count("\n") == 0


def test_a_value_out_of_range_says_what_is_allowed(tmp_path):
    message = error_of(tmp_path, "searches:\n" + SEARCH + "screening:\n  sample_fraction: 2\n")
    assert message == ("config/config.yaml, line 4, field 'screening.sample_fraction': 2 is not allowed; "
                       "expected number > 0 <= 1")


@pytest.mark.parametrize("text, expected", [
    ("", "config/config.yaml: the config is empty; expected a YAML mapping with at least 'searches'"),
    ("- a\n- b\n", "config/config.yaml, line 1: the config is a list, not a mapping of sections"),
    ("searches:\n  - {database: MEDLINE\n", "config/config.yaml, line 3: not valid YAML"),
    ("review:\n  title: x\n", "config/config.yaml, line 1, field 'searches': 'searches' is missing"),
])
def test_empty_broken_and_incomplete_configs(tmp_path, text, expected):
    assert error_of(tmp_path, text).startswith(expected)


def test_an_unquoted_date_is_read_as_written(tmp_path):
    config = load_config(review(tmp_path, "searches:\n  - {database: M, date: 2018-07-16, file: data/raw/medline.ris}\n"))
    assert config["searches"][0] == {"database": "M", "date": "2018-07-16", "file": "data/raw/medline.ris",
                                     "format": "auto", "source_type": "database", "skip_broken_entries": False,
                                     "round": 1}
    assert config["screening"]["sample_fraction"] == 0.05  # the schema's defaults are filled in


def test_a_stage_command_validates_the_config_as_the_workflow_does(tmp_path, capsys):
    root = review(tmp_path, "searches:\n" + SEARCH + "screening:\n  sample_fractoin: 0.1\n")
    assert main(["screen", "--review", str(root)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("evsynth: error: config/config.yaml, line 4, field 'screening.sample_fractoin'")
    assert main(["screen", "--review", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.startswith(f"evsynth: error: {tmp_path / 'nowhere/config/config.yaml'}: no config file")


def test_a_path_outside_the_review_is_refused_and_its_file_never_read(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:the first line of a file that is no export\n", encoding="utf-8")
    root = tmp_path / "review"
    text = ("searches:\n" + SEARCH + "  - {database: Other, date: \"2018-07-16\", file: ../secret.txt}\n")
    message = error_of(root, text)
    assert message.startswith(f"config/config.yaml, line 3, field 'searches[1].file': '../secret.txt' is outside "
                              f"the review directory {root.resolve()}; expected a path inside the review")
    assert "root:x" not in message
    # a symlink inside the review that points outside is outside too
    (root / "data/raw/link.csv").symlink_to(secret)
    (root / "config/config.yaml").write_text("searches:\n" + SEARCH + "screening:\n  full_text: data/raw/link.csv\n",
                                             encoding="utf-8")
    with pytest.raises(InputError, match=r"line 4, field 'screening.full_text': 'data/raw/link.csv' is outside"):
        load_config(root)
    # allowed explicitly: the config names the directory
    (root / "config/config.yaml").write_text(f"allow_outside: [{tmp_path}]\nsearches:\n" + SEARCH
                                             + "screening:\n  full_text: data/raw/link.csv\n", encoding="utf-8")
    assert load_config(root)["screening"]["full_text"] == "data/raw/link.csv"


def test_evsynth_run_allow_outside_adds_a_directory(tmp_path, monkeypatch):
    import subprocess

    calls = []
    monkeypatch.setattr(subprocess, "call", lambda command, **kw: calls.append(command) or 0)
    root = review(tmp_path, "searches:\n" + SEARCH)
    assert main(["run", str(root), "--allow-outside", str(tmp_path / "shared")]) == 0
    assert calls[-1][-2:] == ["--config", f'allow_outside=["{(tmp_path / "shared").resolve()}"]']

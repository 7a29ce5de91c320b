"""Bad codebooks and extracts stop the synthesis with the file, row, field and what was expected."""

from __future__ import annotations

import pytest
import yaml

from evsynth.cli import main
from evsynth.errors import InputError
from test_synthesis import CODEBOOK, EXTRACTS, load, write_review

HEADER = "extract_id,study_id,code_id,direction,quote,coder,page\n"


def error_of(tmp_path, **tables) -> str:
    root = write_review(tmp_path / "review", **tables)
    with pytest.raises(InputError) as caught:
        load(root)
    return str(caught.value)


@pytest.mark.parametrize("extracts, expected", [
    (EXTRACTS + "E9,P4,A.9,barrier,Ninth passage.,DT,9\n",
     "extracts.csv, row 10, field 'code_id': code 'A.9' is not in the codebook"),
    (EXTRACTS + "E9,P7,A.1,barrier,Ninth passage.,DT,9\n",
     "extracts.csv, row 10, field 'study_id': study 'P7' is not an included study (see studies.csv); "
     "expected one of the 4 included study_ids (P1, P2, P3, P4)"),
    (EXTRACTS + "E3,P4,A.1,barrier,Ninth passage.,DT,9\n",
     "extracts.csv, row 10, field 'extract_id': extract 'E3' is listed twice (first at row 4)"),
    (EXTRACTS + "E9,P1,A.1.a,facilitator,First passage.,DT,1\n",
     "extracts.csv, row 10, field 'extract_id': extract 'E9' repeats extract 'E1' (row 2): "
     "same study, code, direction, quote and coder"),
    (EXTRACTS + "E9,P4,A.1,enabler,Ninth passage.,DT,9\n",
     "extracts.csv, row 10, field 'direction': value 'enabler' is not allowed; "
     "expected facilitator, barrier or unclear"),
], ids=["unknown-code", "study-not-included", "extract-id-twice", "same-passage-twice", "bad-direction"])
def test_bad_extracts(tmp_path, extracts, expected):
    assert expected in error_of(tmp_path, extracts=extracts)


def test_the_same_passage_by_a_second_coder_is_not_a_duplicate(tmp_path):
    root = write_review(tmp_path / "review", extracts=EXTRACTS + "E9,P1,A.1.a,facilitator,First passage.,RN,1\n")
    assert load(root).strength().set_index("code_id").loc["A", "n"] == 2


@pytest.mark.parametrize("codebook, expected", [
    (CODEBOOK.replace("A.1,Alpha one,subtheme,A,", "A.1,Alpha one,subtheme,A.1.a,"),
     "codebook.csv, row 3, field 'parent_id': the parents form a cycle: "),
    (CODEBOOK.replace("A.2,Alpha two,subtheme,A,", "A.2,Alpha two,subtheme,Z,"),
     "codebook.csv, row 6, field 'parent_id': parent 'Z' of 'A.2' is not a code_id of the codebook"),
    (CODEBOOK.replace("B.c,Beta code,code,B,", "B.c,Beta code,code,,"),
     "codebook.csv, row 9, field 'parent_id': code 'B.c' has no parent (an orphan); "
     "expected the code_id of its theme or subtheme"),
    (CODEBOOK + "A.1,Alpha again,subtheme,A,Twice.\n",
     "codebook.csv, row 11, field 'code_id': code_id 'A.1' is used twice (first at row 3)"),
    (CODEBOOK.replace("C,Gamma,theme,,", "C,Gamma,theme,B,"),
     "codebook.csv, row 10, field 'parent_id': theme 'C' has parent 'B'"),
    ("code_id,label,level,parent_id,description\n",
     "codebook.csv, row 2: the codebook has no rows; expected one row per theme, subtheme and code"),
    ("", "codebook.csv: the file is empty"),
], ids=["cycle", "missing-parent", "orphan-code", "duplicate-id", "theme-with-parent", "empty", "empty-file"])
def test_bad_codebooks(tmp_path, codebook, expected):
    assert expected in error_of(tmp_path, codebook=codebook)


def test_cycle_message_shows_the_chain(tmp_path):
    codebook = CODEBOOK.replace("A.1,Alpha one,subtheme,A,", "A.1,Alpha one,subtheme,A.1.a,")
    message = error_of(tmp_path, codebook=codebook)
    assert "A.1 -> A.1.a -> A.1" in message or "A.1.a -> A.1 -> A.1.a" in message


def test_cfir_domain_of_an_unknown_code(tmp_path):
    message = error_of(tmp_path, cfir="code_id,cfir_domain,qualifier\nA,inner setting,\nQ,outer setting,\n")
    assert "cfir.csv, row 3, field 'code_id': code_id 'Q' is not in the codebook" in message
    message = error_of(tmp_path, cfir="code_id,cfir_domain,qualifier\nA,inner setup,\n")
    assert "row 2, field 'cfir_domain': value 'inner setup' is not allowed" in message
    assert "inner setting" in message


def test_cli_stops_with_exit_2_and_writes_nothing(tmp_path, capsys):
    root = write_review(tmp_path / "review", extracts=HEADER + "E1,P1,A.7,facilitator,Text.,DT,1\n")
    config = {"searches": [{"database": "X", "date": "2018-01-01", "file": "none.ris"}],
              "synthesis": {"codebook": "codebook.csv", "cfir_domains": "cfir.csv", "extracts": "extracts.csv"}}
    (root / "config").mkdir()
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    code = main(["synthesis", "--review", str(root), "--studies", str(root / "studies.csv"),
                 "--out", str(root / "out")])
    assert code == 2
    assert "extracts.csv, row 2, field 'code_id': code 'A.7' is not in the codebook" in capsys.readouterr().err
    assert not (root / "out").exists()

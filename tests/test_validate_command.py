"""`evsynth validate` refuses what the run refuses: the checks of the stage that reads the table, not
only its schema (issue 16, point 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from evsynth.cli import main

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"


def test_an_answer_outside_the_checklists_scale_is_refused(tmp_path, capsys):
    lines = (RAW / "quality/casp.csv").read_text(encoding="utf-8").splitlines()
    header, first = lines[0].split(","), lines[1].split(",")
    first[header.index("answer")] = "maybe"
    path = tmp_path / "casp.csv"
    path.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", encoding="utf-8")
    assert main(["validate", str(path), "--kind", "casp_answers"]) == 2
    assert capsys.readouterr().err.startswith(f"evsynth: error: {path}, row 2, field 'answer': answer 'maybe' is "
                                              "not one of the appraisal answers")
    assert main(["validate", str(RAW / "quality/casp.csv"), "--kind", "casp_answers"]) == 0
    assert "checked as its stage does: answers on the checklists' scales" in capsys.readouterr().out


def test_a_design_no_checklist_maps_is_refused_against_the_review(tmp_path, capsys):
    review = tmp_path / "review"
    (review / "config").mkdir(parents=True)
    shutil.copytree(RAW / "searches", review / "data/raw/searches")
    config = yaml.safe_load((REPO / "config/config.yaml").read_text(encoding="utf-8"))
    config = {"searches": config["searches"], "quality": {"designs": config["quality"]["designs"]}}
    (review / "config/config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    text = (RAW / "extraction/studies.csv").read_text(encoding="utf-8").replace(",qualitative,", ",ethnography,", 1)
    path = review / "studies.csv"
    path.write_text(text, encoding="utf-8")
    # the schema alone lets it through
    assert main(["validate", str(path), "--kind", "extraction"]) == 0
    capsys.readouterr()
    assert main(["validate", str(path), "--kind", "extraction", "--review", str(review)]) == 2
    error = capsys.readouterr().err
    assert error == (f"evsynth: error: {path}, row 3, field 'design': design 'ethnography' of study S02 has no "
                     "checklist in quality.designs; expected one of the designs the config maps: case-control, cohort, "
                     "qualitative, rct\n")

"""A review appraising with another tool (e.g. MMAT) gets outputs that name that tool, not CASP;
the README's checklist format is the one evsynth reads."""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pytest
import yaml

from evsynth.quality import appraise
from evsynth.quality.checklists import parse_checklist
from evsynth.quality.run import write_appraisal

REPO = Path(__file__).resolve().parents[1]
MMAT = """id: mmat-2018-qualitative
tool: MMAT
type: qualitative
version: "2018"
title: "MMAT 2018, qualitative studies"
items:
  - {number: 1, question: "Is the qualitative approach appropriate to answer the research question?"}
  - {number: 2, question: "Are the qualitative data collection methods adequate to address the research question?"}
"""


def answers(tmp_path: Path, rows: list[tuple[str, str, list[str]]]) -> Path:
    path = tmp_path / "answers.csv"
    path.write_text("study_id,appraiser,checklist,item,answer\n" + "".join(
        f"{study},DT,{checklist},{item},{answer}\n" for study, checklist, values in rows
        for item, answer in enumerate(values, start=1)), encoding="utf-8")
    return path


@pytest.fixture()
def svg_text(monkeypatch):
    # SVG text as <text> elements rather than paths, so that the titles can be read
    monkeypatch.setitem(matplotlib.rcParams, "svg.fonttype", "none")


def outputs(result, out: Path) -> dict[str, str]:
    write_appraisal(result, out)
    return {name: (out / name).read_text(encoding="utf-8") for name in ("scoring_rule.txt", "traffic_light.svg",
                                                                       "summary.svg")}


def test_an_mmat_review_never_says_casp(tmp_path, svg_text):
    (tmp_path / "mmat.yaml").write_text(MMAT, encoding="utf-8")
    result = appraise(answers(tmp_path, [("S1", "mmat-2018-qualitative", ["yes", "no"])]),
                      {"checklist_files": ["mmat.yaml"], "checklists": ["mmat-2018-qualitative"]}, base_dir=tmp_path)
    texts = outputs(result, tmp_path / "out")
    for name, text in texts.items():
        assert "CASP" not in text, name
    assert texts["scoring_rule.txt"].startswith("MMAT appraisal: how the scores and grades were computed")
    assert "MMAT appraisal per study and item" in texts["traffic_light.svg"]
    assert "MMAT appraisal. Scoring:" in texts["summary.svg"]


def test_a_review_using_two_tools_names_both(tmp_path, svg_text):
    (tmp_path / "mmat.yaml").write_text(MMAT, encoding="utf-8")
    result = appraise(answers(tmp_path, [("S1", "mmat-2018-qualitative", ["yes", "no"]),
                                         ("S2", "casp-qualitative-2018", ["yes"] * 10)]),
                      {"checklist_files": ["mmat.yaml"]}, base_dir=tmp_path)
    texts = outputs(result, tmp_path / "out")
    assert texts["scoring_rule.txt"].startswith("CASP and MMAT appraisal: how the scores")
    assert "CASP and MMAT appraisal per study and item" in texts["traffic_light.svg"]


def test_a_checklist_without_a_tool_makes_it_a_quality_appraisal(tmp_path):
    (tmp_path / "mine.yaml").write_text(MMAT.replace("tool: MMAT\n", ""), encoding="utf-8")
    result = appraise(answers(tmp_path, [("S1", "mmat-2018-qualitative", ["yes", "no"]),
                                         ("S2", "casp-qualitative-2018", ["yes"] * 10)]),
                      {"checklist_files": ["mine.yaml"]}, base_dir=tmp_path)
    assert result.method_text().startswith("Quality appraisal: how the scores")


def test_an_answer_outside_the_vocabulary_is_not_called_a_casp_answer(tmp_path):
    from evsynth.errors import InputError

    (tmp_path / "mmat.yaml").write_text(MMAT, encoding="utf-8")
    with pytest.raises(InputError, match=r"answer 'perhaps' is not one of the appraisal answers"):
        appraise(answers(tmp_path, [("S1", "mmat-2018-qualitative", ["yes", "perhaps"])]),
                 {"checklist_files": ["mmat.yaml"]}, base_dir=tmp_path)


def test_the_readme_shows_the_checklist_format_evsynth_reads():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## How studies are graded"):]
    example = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert example, "the README shows no checklist file"
    checklist = parse_checklist(yaml.safe_load(example.group(1)), "README.md")
    assert checklist.n_items >= 2 and checklist.title and checklist.tool
    for key in ("`id`", "`type`", "`version`", "`title`", "`items`", "`{number, question}`", "`tool`"):
        assert key in section, key

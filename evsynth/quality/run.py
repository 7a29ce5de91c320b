"""The quality stage end to end: answers in, scores, counts, agreement, figures and the rule out.

Everything is computed and checked before the first file is written, so bad input leaves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.fileio import atomic_path, write_csv
from evsynth.quality.answers import CONSENSUS, final_answers, read_answers
from evsynth.quality.checklists import Checklist, appraisal_name, review_checklists
from evsynth.quality.double import double_appraisals, item_agreement
from evsynth.quality.scoring import ScoringRule, quality_settings
from evsynth.quality.summary import grade_counts, grades_by_design, item_table, score_studies
from evsynth.tables import read_table

# Every file the stage writes into its output directory.
OUTPUTS = ("casp_scores.csv", "casp_items.csv", "grade_counts.csv", "grades_by_design.csv",
           "double_appraisals.csv", "agreement.csv", "scoring_rule.txt",
           "traffic_light.svg", "traffic_light.png", "summary.svg", "summary.png")


@dataclass
class Appraisal:
    rule: ScoringRule
    checklists: dict[str, Checklist]
    answers: pd.DataFrame
    items: pd.DataFrame
    scores: pd.DataFrame
    grade_counts: pd.DataFrame
    by_design: pd.DataFrame
    double: pd.DataFrame
    agreement: pd.DataFrame

    @property
    def name(self) -> str:
        """The appraisal's name in titles, from the checklists its studies were appraised with."""
        used = set(self.scores["checklist"])
        return appraisal_name(c for c in self.checklists.values() if c.id in used)

    def method_text(self) -> str:
        lines = [f"{self.name} appraisal: how the scores and grades were computed", "",
                 *self.rule.describe(), "",
                 f"Answers used: a study's '{CONSENSUS}' answers where it has them (two appraisers), "
                 "else its single appraisal.", "", "Checklists:"]
        used = self.scores["checklist"].value_counts()
        for checklist in self.checklists.values():
            if checklist.id in used:
                lines.append(f"  {checklist.id}: {checklist.title} ({checklist.n_items} items), "
                             f"{used[checklist.id]} stud{'y' if used[checklist.id] == 1 else 'ies'}. {checklist.source}")
        lines += ["", "Studies by grade: " + ", ".join(
            f"{row.grade} {row.studies}" for row in self.grade_counts.itertuples())]
        return "\n".join(lines) + "\n"


def appraise(answers_path: str | Path, quality: Mapping | None = None, studies: pd.DataFrame | None = None,
             studies_name: str = "the included studies", config_name: str = "config/config.yaml",
             base_dir: str | Path = ".") -> Appraisal:
    """Validate the answers and compute every table of the stage (nothing is written)."""
    settings = quality_settings(quality, config_name)
    base = Path(base_dir)
    rule = ScoringRule.from_config(settings, config_name)
    checklists = review_checklists(settings.get("checklists"),
                                   [base / f for f in settings.get("checklist_files", [])], config_name)
    designs = settings.get("designs") or {}
    for design, checklist_id in designs.items():
        if checklist_id not in checklists:
            raise InputError(config_name, f"design '{design}' is mapped to unknown checklist '{checklist_id}'",
                             field="quality.designs", expected=f"one of {', '.join(checklists)}")
    answers = read_answers(answers_path, checklists, studies, studies_name, designs, config_name)
    final = final_answers(answers, answers_path)
    items = item_table(final, rule, checklists)
    scores = score_studies(items, rule, answers_path)
    if studies is not None and "design" in studies.columns:
        design_of = dict(zip(studies["study_id"], studies["design"]))
    else:  # without the studies' designs, group by the type of checklist they were appraised with
        design_of = {sid: checklists[c].type for sid, c in zip(scores["study_id"], scores["checklist"])}
    return Appraisal(rule=rule, checklists=checklists, answers=answers, items=items, scores=scores,
                     grade_counts=grade_counts(scores, rule), by_design=grades_by_design(scores, rule, design_of),
                     double=double_appraisals(answers, final), agreement=item_agreement(answers))


def write_appraisal(result: Appraisal, out_dir: str | Path, label: str = "") -> list[Path]:
    out = Path(out_dir)
    write_csv(result.scores, out / "casp_scores.csv")
    write_csv(result.items, out / "casp_items.csv")
    write_csv(result.grade_counts, out / "grade_counts.csv")
    write_csv(result.by_design, out / "grades_by_design.csv")
    write_csv(result.double, out / "double_appraisals.csv")
    write_csv(result.agreement.round({"value": 4, "ci_low": 4, "ci_high": 4}), out / "agreement.csv")
    with atomic_path(out / "scoring_rule.txt") as tmp:
        tmp.write_text(result.method_text(), encoding="utf-8")
    from evsynth.quality import figures  # matplotlib only when drawing, not when Snakemake parses

    title = f"{result.name} appraisal per study and item" + (f" ({label})" if label else "")
    figures.traffic_light(result.items, result.scores, result.checklists, result.rule.grade_names,
                          out / "traffic_light", title=title)
    figures.summary_chart(result.items, result.scores, result.by_design, result.checklists,
                          result.rule.grade_names, result.rule.describe(), out / "summary", name=result.name)
    return [out / name for name in OUTPUTS]


def read_studies(path: str | Path) -> pd.DataFrame:
    """Included studies (or an extraction sheet): study_id and design are what this stage uses."""
    return read_table(path, "extraction")


def stage(input, output, settings, log) -> Appraisal:
    """The workflow's quality stage: the answers, the included studies and the review's checklists."""
    quality = {**settings["quality"], "checklist_files": list(input.get("checklists", []))}
    result = appraise(input["answers"], quality, read_studies(input["studies"]),
                      studies_name=f"the included studies ({input['studies']})")
    label = "synthetic example data" if settings["review"]["synthetic"] else ""
    write_appraisal(result, Path(output["casp_scores"]).parent, label=label)
    with open(log, "w", encoding="utf-8") as handle:
        handle.write(result.method_text())
        handle.write(f"\n{len(result.double)} double appraisal(s); item-level agreement:\n")
        handle.write(result.agreement.to_string(index=False) + "\n")
    return result


def run_cli(answers_path: str, out_dir: str, studies_path: str | None = None, config_path: str | None = None,
            checklist_files: list[str] | None = None) -> Appraisal:
    """``evsynth quality``: any answers file; a review's config supplies the scoring if given."""
    quality: dict = {}
    config_name = "command line"
    if config_path:
        from evsynth.config import load_config

        config_name = str(config_path)
        # The config's own checklist files are relative to its review directory (config/..).
        review = Path(config_path).resolve().parent.parent
        config = load_config(review, path=config_path, check_files=False)
        quality = dict(config["quality"])
        quality.pop("answers", None)
        quality["checklist_files"] = [str(review / f) for f in quality.get("checklist_files", [])]
    if checklist_files:
        quality["checklist_files"] = [*quality.get("checklist_files", []), *checklist_files]
    studies = read_studies(studies_path) if studies_path else None
    result = appraise(answers_path, quality, studies, studies_name=f"the included studies ({studies_path})",
                      config_name=config_name)
    write_appraisal(result, out_dir)
    return result

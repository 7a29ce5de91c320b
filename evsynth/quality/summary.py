"""Scores per study, the item-level table behind them, and counts by grade and by design."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from evsynth.errors import InputError
from evsynth.quality.checklists import Checklist
from evsynth.quality.scoring import ScoringRule, percent_text

SCORE_COLUMNS = ["study_id", "checklist", "yes", "scored_items", "percent", "grade"]


def item_table(final: pd.DataFrame, rule: ScoringRule, checklists: Mapping[str, Checklist]) -> pd.DataFrame:
    """Every answer a score is computed from, with its question and the points it gets."""
    table = final.copy()
    table["question"] = [checklists[c].question(i) for c, i in zip(table["checklist"], table["item"])]
    points = [rule.points(answer) for answer in table["answer"]]
    table["points"] = pd.array(points, dtype="Int64")
    table["counted"] = [p is not None for p in points]
    return table[["study_id", "checklist", "item", "question", "answer", "source", "points", "counted"]]


def score_studies(items: pd.DataFrame, rule: ScoringRule, path: object = "the answers") -> pd.DataFrame:
    """One row per study: points ('yes'), scored items, percent (2 decimals) and grade (exact)."""
    rows = []
    for study_id, answers in items.groupby("study_id", sort=True):
        counted = answers[answers["counted"]]
        scored, points = len(counted), int(counted["points"].sum())
        if scored == 0:
            raise InputError(path, f"every item of study {study_id} is left out of its score", field="answer",
                             expected="at least one item answered with a scored answer")
        rows.append((study_id, answers["checklist"].iloc[0], points, scored, percent_text(points, scored),
                     rule.grade(points, scored)))
    return pd.DataFrame(rows, columns=SCORE_COLUMNS)


def grade_counts(scores: pd.DataFrame, rule: ScoringRule) -> pd.DataFrame:
    """Studies per grade, every configured grade listed (highest first), then the total."""
    counts = scores["grade"].value_counts()
    rows = [(grade, int(counts.get(grade, 0))) for grade in rule.grade_names]
    rows.append(("all", len(scores)))
    return pd.DataFrame(rows, columns=["grade", "studies"])


def grades_by_design(scores: pd.DataFrame, rule: ScoringRule, designs: Mapping[str, str]) -> pd.DataFrame:
    """Studies per design and grade; ``designs`` maps study_id to its design. Largest design first."""
    table = scores.assign(design=scores["study_id"].map(designs))
    rows = []
    for design, group in table.groupby("design", sort=False):
        counts = group["grade"].value_counts()
        rows.append([design, len(group), *(int(counts.get(g, 0)) for g in rule.grade_names)])
    frame = pd.DataFrame(rows, columns=["design", "studies", *rule.grade_names])
    frame = frame.sort_values(["studies", "design"], ascending=[False, True], kind="stable")
    total = ["all", len(scores), *(int(frame[g].sum()) for g in rule.grade_names)]
    return pd.concat([frame, pd.DataFrame([total], columns=frame.columns)], ignore_index=True)

"""Studies appraised by two people: item-level agreement between them and what each study's
two appraisals disagreed on (the consensus answers settle those items)."""

from __future__ import annotations

from itertools import combinations

import pandas as pd

from evsynth.agreement import COLUMNS as AGREEMENT_COLUMNS
from evsynth.agreement import agreement_from_ratings
from evsynth.quality.answers import CONSENSUS
from evsynth.quality.scoring import ANSWERS

PAIR_COLUMNS = ["study_id", "checklist", "appraiser_a", "appraiser_b", "items", "agreed", "disagreed_items",
                "scored_on"]
AGREEMENT_TABLE_COLUMNS = ["appraiser_a", "appraiser_b", "studies", *AGREEMENT_COLUMNS]


def _paired_items(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per study, pair of (non-consensus) appraisers and item, with both answers."""
    own = answers[answers["appraiser"] != CONSENSUS]
    rows = []
    for study_id, study in own.groupby("study_id", sort=True):
        by_appraiser = {name: dict(zip(group["item"], group["answer"]))
                        for name, group in study.groupby("appraiser", sort=True)}
        for a, b in combinations(sorted(by_appraiser), 2):
            for item in sorted(by_appraiser[a]):
                rows.append((study_id, study["checklist"].iloc[0], a, b, item,
                             by_appraiser[a][item], by_appraiser[b][item]))
    return pd.DataFrame(rows, columns=["study_id", "checklist", "appraiser_a", "appraiser_b", "item",
                                       "answer_a", "answer_b"])


def double_appraisals(answers: pd.DataFrame, final: pd.DataFrame) -> pd.DataFrame:
    """Per study and pair of appraisers: items, how many they agreed on, which they did not."""
    pairs = _paired_items(answers)
    source = final.drop_duplicates("study_id").set_index("study_id")["source"]
    rows = []
    for (study_id, checklist, a, b), items in pairs.groupby(
            ["study_id", "checklist", "appraiser_a", "appraiser_b"], sort=True):
        differ = items[items["answer_a"] != items["answer_b"]]["item"].tolist()
        rows.append((study_id, checklist, a, b, len(items), len(items) - len(differ),
                     ";".join(str(i) for i in differ), source[study_id]))
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def item_agreement(answers: pd.DataFrame) -> pd.DataFrame:
    """Agreement statistics per pair of appraisers over every item both answered (all studies pooled).

    The categories are CASP's three answers (yes, no, can't tell) plus 'not applicable' where
    anyone used it: chance-corrected statistics such as AC1 and PABAK depend on how many there are.
    """
    pairs = _paired_items(answers)
    used = set(answers["answer"])
    categories = [a for a in ANSWERS if a != "not applicable" or a in used]
    tables = []
    for (a, b), items in pairs.groupby(["appraiser_a", "appraiser_b"], sort=True):
        stats = agreement_from_ratings(items["answer_a"].tolist(), items["answer_b"].tolist(), categories)
        stats.insert(0, "studies", items["study_id"].nunique())
        stats.insert(0, "appraiser_b", b)
        stats.insert(0, "appraiser_a", a)
        tables.append(stats)
    if not tables:
        return pd.DataFrame(columns=AGREEMENT_TABLE_COLUMNS)
    return pd.concat(tables, ignore_index=True)[AGREEMENT_TABLE_COLUMNS]

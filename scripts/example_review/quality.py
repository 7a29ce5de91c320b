"""Quality: the CASP answers, built so that evsynth's scoring gives each study its planned grade.

The generator picks how many items a study answers 'yes' for its grade and checklist; grading the
answers is evsynth's (``evsynth.quality``), and the tests compare its grade counts with the seed's.
"""

from __future__ import annotations

import random
from collections import defaultdict

from .common import csv_bytes, rng_for
from .seed import figures
from .vocabulary import CASP_NOTES

FIGURES = figures()
# The seed's checklists by design; its "10-item" RCT checklist is the 2006 one (2013 and later have 11).
CHECKLIST_IDS = {"qualitative": "casp-qualitative-2018", "rct": "casp-rct-2006", "cohort": "casp-cohort-2018",
                 "case-control": "casp-case-control-2018"}
CHECKLISTS = {design: (checklist, FIGURES["checklist_items"][design]) for design, checklist in CHECKLIST_IDS.items()}
CASP_COLUMNS = ["study_id", "appraiser", "checklist", "item", "answer", "note"]
# Five studies appraised (and extracted) by both DT and RN: the seed's 10% of the included.
DOUBLE_GOOD, DOUBLE_POOR = 4, 1


def casp_target(slot, boundary: bool, rng: random.Random) -> int:
    """Number of 'yes' answers for the study's planned grade (evsynth scores yes / items)."""
    items = CHECKLISTS[slot.design][1]
    if slot.grade == "fair":
        return {10: 5, 11: 5, 12: 7}[items]  # 5 of 11 (45.45%): fair, just
    if slot.grade == "poor":
        return rng.choice({10: [3, 4, 4], 11: [4], 12: [5]}[items])  # 30 or 40%, 36.4%, 41.7%
    if boundary:
        return 6  # 6 of 10, exactly the lowest score graded good
    if items == 12:
        return rng.choices([9, 10, 11, 12], weights=[3, 4, 3, 1])[0]
    return rng.choices([7, 8, 9, 10], weights=[2, 4, 3, 1])[0]


def casp_answers(slot, n_yes: int, rng: random.Random) -> list:
    checklist, items = CHECKLISTS[slot.design]
    # Items 1-2 are screening questions, almost always 'yes'; later items are the usual weak points.
    weights = [0.2 if i <= 2 else (2.0 if i in (4, 6, 7) else 1.0) for i in range(1, items + 1)]
    not_yes: list = []
    pool = list(range(1, items + 1))
    while len(not_yes) < items - n_yes:
        item = rng.choices(pool, weights=[weights[i - 1] for i in pool])[0]
        pool.remove(item)
        not_yes.append(item)
    answers = []
    for item in range(1, items + 1):
        if item in not_yes:
            answer = "can't tell" if rng.random() < 0.55 else "no"
            note = CASP_NOTES[checklist].get(item, "")
        else:
            answer, note = "yes", ""
        answers.append([item, answer, note])
    return answers


def double_appraised(studies: list, seed: int) -> list:
    """The study ids DT and RN both appraise and extract: some good studies and a poor one."""
    assert DOUBLE_GOOD + DOUBLE_POOR == FIGURES["included"] * FIGURES["double_extraction_percent"] // 100
    return sorted(rng_for(seed, "double").sample([s.study_id for s in studies if s.grade == "good"], DOUBLE_GOOD)
                  + rng_for(seed, "double-poor").sample([s.study_id for s in studies if s.grade == "poor"],
                                                        DOUBLE_POOR))


def make_casp(studies: list, seed: int, double: list) -> list:
    """Long CASP rows: DT for every study; DT, RN and consensus for the double-appraised five."""
    rng = rng_for(seed, "casp")
    boundary = rng.choice([s.study_id for s in studies if s.design == "qualitative" and s.grade == "good"])
    rows = []
    for slot in studies:
        checklist, items = CHECKLISTS[slot.design]
        slot.casp_yes = casp_target(slot, slot.study_id == boundary, rng)
        final = casp_answers(slot, slot.casp_yes, rng)
        if slot.study_id not in double:
            rows += [[slot.study_id, "DT", checklist, item, answer, note] for item, answer, note in final]
            continue
        dt = [list(a) for a in final]
        rn = [list(a) for a in final]
        for item in rng.sample(range(items), rng.choice([2, 3])):
            who = dt if rng.random() < 0.5 else rn
            current = who[item][1]
            who[item][1] = rng.choice([a for a in ("yes", "no", "can't tell") if a != current])
            who[item][2] = "discussed; see consensus"
        for appraiser, answers in (("DT", dt), ("RN", rn), ("consensus", final)):
            rows += [[slot.study_id, appraiser, checklist, item, answer, note] for item, answer, note in answers]
    return rows


def casp_table(rows: list) -> bytes:
    return csv_bytes(CASP_COLUMNS, rows)


def check_casp(rows: list, studies: list, double: list) -> None:
    """Answers are CASP's; the double-appraised studies have DT, RN and consensus rows that differ."""
    assert {row[4] for row in rows} <= {"yes", "no", "can't tell"}
    appraisers = defaultdict(set)
    for row in rows:
        appraisers[row[0]].add(row[1])
    assert sorted(sid for sid, a in appraisers.items() if a == {"DT", "RN", "consensus"}) == double
    assert all(a == {"DT"} for sid, a in appraisers.items() if sid not in double)
    for sid in double:
        assert [r[4] for r in rows if r[0] == sid and r[1] == "DT"] != [r[4] for r in rows if r[0] == sid and r[1] == "RN"]
    for slot in studies:
        answers = [r[4] for r in rows if r[0] == slot.study_id and r[1] in ("DT", "consensus")][-CHECKLISTS[slot.design][1]:]
        assert answers.count("yes") == slot.casp_yes

"""Reading appraisal answers (CASP, MMAT, ...; long: one row per study, appraiser and item) and choosing the answers a
study's score is computed from: the consensus answers where two appraisers appraised it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.quality.checklists import Checklist
from evsynth.quality.scoring import SPELLINGS_TEXT, normalise_answer
from evsynth.tables import read_table

CONSENSUS = "consensus"
ONE_APPRAISAL = ("one appraisal per study and appraiser; the agreed answers of two appraisers go "
                 f"under appraiser '{CONSENSUS}'")


def _items_text(numbers) -> str:
    return ", ".join(str(n) for n in sorted(numbers))


def read_answers(path: str | Path, checklists: Mapping[str, Checklist],
                 studies: pd.DataFrame | None = None, studies_name: str = "the included studies",
                 designs: Mapping[str, str] | None = None,
                 config_name: str = "config/config.yaml") -> pd.DataFrame:
    """Validated answers with canonical spellings and each row's spreadsheet row number (``row``).

    ``studies`` (study_id, design) are the included studies: every one must be appraised and no
    other. ``designs`` maps a study design to the checklist it must be appraised with.
    """
    frame = read_table(path, "casp_answers")
    if "note" not in frame.columns:
        frame["note"] = ""
    frame = frame[["study_id", "appraiser", "checklist", "item", "answer", "note"]].copy()
    frame["row"] = range(2, len(frame) + 2)
    frame["item"] = frame["item"].astype(int)
    if frame.empty:
        raise InputError(path, "has no answers", row=2, expected="one row per study, appraiser and item")
    included = None
    if studies is not None:
        designs_of = studies["design"] if "design" in studies.columns else [""] * len(studies)
        included = dict(zip(studies["study_id"], designs_of))

    canonical = []
    for record in frame.itertuples():
        answer = normalise_answer(record.answer)
        if answer is None:
            raise InputError(path, f"answer '{record.answer}' is not one of the appraisal answers", row=record.row,
                             field="answer", expected=f"one of {SPELLINGS_TEXT}")
        canonical.append(answer)
        if record.checklist not in checklists:
            raise InputError(path, f"unknown checklist '{record.checklist}'", row=record.row, field="checklist",
                             expected=f"one of the review's checklists: {', '.join(checklists)}")
        if included is not None and record.study_id not in included:
            raise InputError(path, f"study '{record.study_id}' is not among {studies_name}", row=record.row,
                             field="study_id", expected="the study_id of an included study")
        n_items = checklists[record.checklist].n_items
        if record.item > n_items:
            raise InputError(path, f"item {record.item} is not in checklist {record.checklist}, which has "
                             f"{n_items} items", row=record.row, field="item",
                             expected=f"an item number from 1 to {n_items}")
    frame["answer"] = canonical
    frame["appraiser_key"] = frame["appraiser"].str.casefold()
    frame.loc[frame["appraiser_key"] == CONSENSUS, "appraiser"] = CONSENSUS

    for study_id, rows in frame.groupby("study_id", sort=False):
        used = rows.drop_duplicates("checklist")
        if len(used) > 1:
            first, second = used.iloc[0], used.iloc[1]
            same = first["appraiser_key"] == second["appraiser_key"]
            problem = (f"appraiser {second['appraiser']} appraised study {study_id} twice, with "
                       f"{first['checklist']} (row {first['row']}) and {second['checklist']}" if same else
                       f"study {study_id} is appraised with {first['checklist']} (row {first['row']}) and "
                       f"with {second['checklist']}")
            raise InputError(path, problem, row=int(second["row"]), field="checklist",
                             expected=ONE_APPRAISAL if same else "one checklist per study")

    key = ["study_id", "appraiser_key", "item"]
    repeated = frame[frame.duplicated(key, keep="first")]
    if len(repeated):
        second = repeated.iloc[0]
        first = frame[(frame[key] == second[key]).all(axis=1)].iloc[0]
        raise InputError(path, f"study {second['study_id']} has a second answer from appraiser "
                         f"{second['appraiser']} to item {second['item']} (the first is in row {first['row']})",
                         row=int(second["row"]), field="appraiser", expected=ONE_APPRAISAL)

    for study_id, rows in frame.groupby("study_id", sort=False):
        checklist = checklists[rows["checklist"].iloc[0]]
        for _, appraisal in rows.groupby("appraiser_key", sort=False):
            missing = set(range(1, checklist.n_items + 1)) - set(appraisal["item"])
            if missing:
                raise InputError(path, f"the appraisal of study {study_id} by {appraisal['appraiser'].iloc[0]} "
                                 f"answers {checklist.n_items - len(missing)} of the {checklist.n_items} items of "
                                 f"{checklist.id}; item(s) {_items_text(missing)} are missing",
                                 row=int(appraisal["row"].iloc[0]), field="item",
                                 expected=f"one answer to each item 1 to {checklist.n_items}")
        if designs and included is not None:
            design = included[study_id]
            if design not in designs:
                raise InputError(config_name, f"design '{design}' of study {study_id} has no checklist",
                                 field="quality.designs",
                                 expected=f"a checklist for every design ({', '.join(designs)} are mapped)")
            if designs[design] != checklist.id:
                raise InputError(path, f"study {study_id} is a '{design}' study but is appraised with "
                                 f"{checklist.id}", row=int(rows["row"].iloc[0]), field="checklist",
                                 expected=f"{designs[design]}, the checklist quality.designs gives '{design}'")
    if included is not None:
        unappraised = [sid for sid in included if sid not in set(frame["study_id"])]
        if unappraised:
            raise InputError(path, f"included stud{'y' if len(unappraised) == 1 else 'ies'} "
                             f"{', '.join(unappraised)} {'has' if len(unappraised) == 1 else 'have'} no answers",
                             field="study_id", expected=f"an appraisal of every one of {studies_name}")
    return frame.drop(columns="appraiser_key").sort_values(["study_id", "row"], kind="stable").reset_index(drop=True)


def final_answers(answers: pd.DataFrame, path: str | Path = "the answers") -> pd.DataFrame:
    """The answers each study is scored on: its consensus answers, else its one appraisal.

    Two appraisals without consensus rows are accepted only when they agree on every item.
    Columns: study_id, checklist, item, answer, source (consensus or the appraiser(s)).
    """
    chosen = []
    for study_id, rows in answers.groupby("study_id", sort=True):
        consensus = rows[rows["appraiser"] == CONSENSUS]
        if len(consensus):
            picked, source = consensus, CONSENSUS
        else:
            appraisers = list(dict.fromkeys(rows["appraiser"]))
            picked = rows[rows["appraiser"] == appraisers[0]]
            by_item = rows.pivot(index="item", columns="appraiser", values="answer")
            differing = by_item.index[by_item.nunique(axis=1) > 1].tolist()
            if differing:
                raise InputError(path, f"study {study_id} was appraised by {' and '.join(appraisers)}, whose "
                                 f"answers differ on item(s) {_items_text(differing)}, and has no consensus "
                                 "answers", row=int(rows["row"].iloc[0]), field="appraiser",
                                 expected=f"rows with appraiser '{CONSENSUS}' giving the agreed answer to every item")
            source = "=".join(appraisers)
        picked = picked.sort_values("item")[["study_id", "checklist", "item", "answer"]].copy()
        picked["source"] = source
        chosen.append(picked)
    return pd.concat(chosen, ignore_index=True)

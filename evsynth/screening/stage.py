"""The screening stage of a review: sample, worksheets, decisions, agreement, full text, progress.

``screen`` is pure (DataFrames in, DataFrames out); ``stage`` reads the rule's files and writes
``results/screening/``. A review with no decision yet gets its first worksheets: the first
reviewer's lists every record (most likely include first, ``screening.order: priority``), the
others' the double-screening sample (a random sample, never ordered by the model: it measures
agreement), and a stopping-sample sheet lists the records awaiting a decision in random order for
the stopping test (``progress.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.fileio import atomic_path, write_csv
from evsynth.identity import cluster_aliases, sample_score
from evsynth.screening.agreement import agreement_summary, stage_agreement
from evsynth.screening.decisions import (
    double_screening_sample,
    final_decisions,
    order_reviewers,
    pair_decisions,
    read_all_decisions,
    read_full_text,
    read_resolutions,
)
from evsynth.screening.imported import UNMATCHED_COLUMNS
from evsynth.screening.prioritise import PrioritySettings, prioritise, record_labels, record_texts
from evsynth.screening.progress import Progress, random_order, screening_progress
from evsynth.screening.worksheets import worksheet_frame, write_worksheet

STAGE = "title_abstract"
STOPPING_SHEET = "stopping_sample"


@dataclass
class ScreeningResult:
    sample: pd.DataFrame
    decisions: pd.DataFrame
    pairs: pd.DataFrame
    disagreements: pd.DataFrame
    agreement: pd.DataFrame
    agreement_table: pd.DataFrame
    outcome: pd.DataFrame
    full_text: pd.DataFrame
    status: pd.DataFrame
    reviewers: list[str]
    worksheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Rows of ASReview, Rayyan or Covidence exports that match no unique record (listed, not dropped).
    unmatched: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNMATCHED_COLUMNS))
    progress: Progress | None = None
    next_steps: list[str] = field(default_factory=list)


def training_decisions(decisions: pd.DataFrame, resolutions: pd.DataFrame) -> pd.DataFrame:
    """What the ranking learns from: every reviewer's title/abstract decision, except that a
    resolved disagreement counts as its resolution alone."""
    resolved = set(resolutions.loc[resolutions["stage"] == STAGE, "cluster_id"]) if len(resolutions) else set()
    own = decisions[(decisions["stage"] == STAGE) & ~decisions["cluster_id"].isin(resolved)]
    agreed = resolutions[resolutions["stage"] == STAGE] if len(resolutions) else resolutions
    return pd.concat([own[["cluster_id", "decision"]], agreed[["cluster_id", "decision"]]], ignore_index=True)


def ranked_order(unique: pd.DataFrame, awaiting: Sequence[str], training: pd.DataFrame,
                 model: PrioritySettings, source: str) -> pd.DataFrame:
    """``awaiting`` as the first reviewer reads it: ``cluster_id, priority, relevance, basis``.

    Records no one has decided come in the model's order; records awaiting only this reviewer
    (another decided them in the double-screening sample) follow, in file order, since the model
    has already learnt from them.
    """
    if not any(record_texts(unique, model.keywords)):
        raise InputError(source, "screening.order is 'priority' but no record has a title, abstract or keywords "
                         "to rank by", field="screening.order",
                         expected="records with text, or screening.order: file in the config")
    ranked = prioritise(unique, training, model, source)
    ranked = ranked[ranked["cluster_id"].isin(set(awaiting))]
    rest = [cid for cid in awaiting if cid not in set(ranked["cluster_id"])]
    tail = pd.DataFrame({"cluster_id": rest, "priority": range(len(ranked) + 1, len(ranked) + len(rest) + 1),
                         "relevance": [None] * len(rest),
                         "basis": "decided by another reviewer (double-screening sample), not ranked"})
    frame = pd.concat([ranked.astype(object), tail.astype(object)], ignore_index=True) if len(tail) \
        else ranked.reset_index(drop=True)
    frame["priority"] = range(1, len(frame) + 1)
    return frame


def screen(unique: pd.DataFrame, decision_paths: Sequence[str | Path], *, fraction: float, seed: int | str,
           reviewers: Sequence[str] = (), maybe_counts_as: str = "include",
           resolutions_path: str | Path | None = None, full_text_path: str | Path | None = None,
           order: str = "file", model: PrioritySettings | None = None, target_recall: float = 0.95,
           source: str = "data/processed/unique.parquet") -> ScreeningResult:
    """Everything the screening stage derives from the unique records and the reviewers' files.

    ``order``: "priority" ranks the first reviewer's worksheet with ``model`` (trained on every
    decision so far), "file" keeps the records' order. ``source`` names the records in messages.
    """
    known = set(unique["cluster_id"])
    aliases = (cluster_aliases(zip(unique["cluster_id"], unique["record_ids"].str.split("; ")))
               if "record_ids" in unique.columns else None)
    sample_ids = double_screening_sample(unique["cluster_id"], seed, fraction)
    sample = pd.DataFrame({"cluster_id": sample_ids,
                           "sample_score": [round(sample_score(seed, cid), 12) for cid in sample_ids]})
    decisions, unmatched = read_all_decisions(decision_paths, known, aliases, unique)
    ordered = order_reviewers(decisions, reviewers) if len(decisions) else list(reviewers)
    for name in reviewers:
        if name not in ordered:
            ordered.append(name)
    pairs = pair_decisions(decisions, ordered, maybe_counts_as)
    disagreements = pairs[pairs["binary_a"] != pairs["binary_b"]].copy()
    resolutions = read_resolutions(resolutions_path, disagreements, aliases)
    resolved = resolutions.set_index(["stage", "cluster_id"])
    titles = unique.set_index("cluster_id")["title"]
    disagreements["title"] = disagreements["cluster_id"].map(titles)
    disagreements["resolution"] = [resolved["decision"].get((s, c), "") for s, c in
                                   zip(disagreements["stage"], disagreements["cluster_id"])]
    disagreements["resolved_by"] = [resolved["resolved_by"].get((s, c), "") for s, c in
                                    zip(disagreements["stage"], disagreements["cluster_id"])]
    disagreements = disagreements[["stage", "cluster_id", "reviewer_a", "decision_a", "reviewer_b", "decision_b",
                                   "resolution", "resolved_by", "title"]].reset_index(drop=True)
    agreement, table = stage_agreement(pairs)
    outcome = final_decisions(decisions, pairs, resolutions, maybe_counts_as)
    outcome = outcome[outcome["stage"] == STAGE]
    passed = set(outcome.loc[outcome["decision"] == "include", "cluster_id"])
    if full_text_path:
        full_text = read_full_text(full_text_path, passed, known, aliases)
    else:
        full_text = pd.DataFrame(columns=["cluster_id", "reviewer", "decision", "exclusion_reason", "study_id", "note"])

    first = ordered[0] if ordered else "R1"
    worksheets = {}
    decided_by = decisions[decisions["stage"] == STAGE].groupby("reviewer")["cluster_id"].agg(set)
    model = model or PrioritySettings(seed=int(seed) if str(seed).lstrip("-").isdigit() else 1,
                                      maybe_counts_as=maybe_counts_as)
    training = training_decisions(decisions, resolutions)
    first_basis = ""
    for index, reviewer in enumerate(ordered or [first]):
        # The first reviewer screens every record, the others the double-screening sample.
        pool = sorted(known) if index == 0 else sample_ids
        awaiting = [cid for cid in pool if cid not in decided_by.get(reviewer, set())]
        if index == 0 and order == "priority" and awaiting:
            ranking = ranked_order(unique, awaiting, training, model, source)
            first_basis = str(ranking["basis"].iloc[0])
            worksheets[f"{STAGE}_{reviewer}"] = worksheet_frame(unique, list(ranking["cluster_id"]), reviewer, STAGE,
                                                                ranking=ranking)
        else:
            worksheets[f"{STAGE}_{reviewer}"] = worksheet_frame(unique, awaiting, reviewer, STAGE)
    awaiting_full_text = sorted(passed - set(full_text["cluster_id"]))
    worksheets[f"full_text_{first}"] = worksheet_frame(unique, awaiting_full_text, first, "full_text")

    # The stopping test: every decided record's label, and which decisions were stopping-sample draws.
    labels = record_labels(training, maybe_counts_as)
    ta = decisions[decisions["stage"] == STAGE]
    draws = set(ta.loc[ta["draw"].astype(str).str.strip() != "", "cluster_id"])
    progress = screening_progress(sorted(known), labels, draws, seed, target_recall)
    undecided = set(known) - set(labels.index)
    draw_number = {cid: n for n, cid in enumerate(random_order([cid for cid in known if cid not in
                                                                 set(labels.index) - draws], seed), start=1)}
    stopping_ids = [cid for cid in random_order(sorted(undecided), seed)]
    worksheets[f"{STOPPING_SHEET}_{first}"] = worksheet_frame(
        unique, stopping_ids, first, STAGE, draws=[draw_number[cid] for cid in stopping_ids])

    sample_second = pairs[pairs["stage"] == STAGE]["cluster_id"]
    status = pd.DataFrame([
        ("unique_records", len(known)),
        ("sample_fraction", fraction),
        ("sample_records", len(sample_ids)),
        ("sample_share", round(len(sample_ids) / len(known), 6) if known else 0),
        ("double_screened", int(sample_second.nunique())),
        ("sample_not_double_screened", len(set(sample_ids) - set(sample_second))),
        ("records_decided", int((outcome["decision"] != "pending").sum())),
        ("records_awaiting_decision", len(known - set(outcome["cluster_id"]))),
        ("disagreements", len(disagreements)),
        ("disagreements_unresolved", int((disagreements["resolution"] == "").sum())),
        ("passed_to_full_text", len(passed)),
        ("excluded_at_title_abstract", int((outcome["decision"] == "exclude").sum())),
        ("full_text_decided", len(full_text)),
        ("full_text_awaiting", len(awaiting_full_text)),
        ("reports_included", int((full_text["decision"] == "include").sum())),
        ("studies_included", int(full_text.loc[full_text["decision"] == "include", "study_id"].nunique())),
        ("imported_rows_unmatched", len(unmatched)),
        ("worksheet_order", order),
        ("worksheet_basis", first_basis),
        *progress.rows(),
    ], columns=["key", "value"], dtype=object)
    steps = next_steps(status, ordered or [first], sample_ids, decided_by)
    status = pd.concat([status, pd.DataFrame([(f"next_step_{i}", step) for i, step in enumerate(steps, 1)],
                                             columns=["key", "value"], dtype=object)], ignore_index=True)
    return ScreeningResult(sample, decisions, pairs, disagreements, agreement, table, outcome, full_text, status,
                           ordered, worksheets, unmatched=unmatched, progress=progress, next_steps=steps)


def next_steps(status: pd.DataFrame, reviewers: Sequence[str], sample_ids: Sequence[str],
               decided_by: pd.Series) -> list[str]:
    """What a person does next, in words (status.csv and the stage's last lines)."""
    value = dict(zip(status["key"], status["value"]))
    sheets = "results/screening/worksheets"
    first = reviewers[0]
    steps = []
    if value["records_awaiting_decision"] or value.get("sample_not_double_screened"):
        awaiting = int(value["records_awaiting_decision"])
        drawn = int(value.get("stopping_draws_counted") or 0)
        if awaiting and drawn and not value.get("stopping_criterion_met"):
            # once the random draws have begun, only they keep the sample random
            steps.append(f"{first}: go on with {sheets}/{STOPPING_SHEET}_{first}.xlsx from its first row (draw "
                         f"{drawn + 1}) in order, save it under data/raw/screening/ as a new file, list it in "
                         "screening.decisions, and run evsynth run again")
        elif awaiting:
            steps.append(f"{first}: fill in the decision column of {sheets}/{STAGE}_{first}.xlsx (or .csv) from the "
                         "top (any number of rows: the rest is ranked again on the next run), save it under "
                         f"data/raw/screening/ (e.g. data/raw/screening/{STAGE}_{first}_1.xlsx), list it in "
                         "screening.decisions in config/config.yaml, and run evsynth run again")
        for reviewer in reviewers[1:]:
            left = len(set(sample_ids) - decided_by.get(reviewer, set()))
            if left:
                steps.append(f"{reviewer}: screen the double-screening sample in {sheets}/{STAGE}_{reviewer}.xlsx "
                             f"({left} records), save it under data/raw/screening/ and list it in "
                             "screening.decisions")
        if awaiting and not drawn and not value.get("stopping_criterion_met"):
            steps.append(f"to know whether screening may stop: once the ranked sheet turns up few includes, screen "
                         f"{sheets}/{STOPPING_SHEET}_{first}.xlsx from its first row in order (random draws; do not "
                         "skip rows), save and list it like the others")
    if value.get("stopping_criterion_met") and value["records_awaiting_decision"]:
        steps.append(f"the stopping test says at least {value['target_recall']:.0%} of the includes have been found "
                     "(95% confidence): screening may stop here")
    if value.get("disagreements_unresolved"):
        steps.append("resolve the disagreements in results/screening/disagreements.csv in the file "
                     "screening.resolutions names")
    if value.get("full_text_awaiting"):
        steps.append(f"{first}: decide the full texts in {sheets}/full_text_{first}.xlsx and name the file in "
                     "screening.full_text")
    return steps


def write_screening(result: ScreeningResult, unique: pd.DataFrame, out_dir: str | Path) -> list[Path]:
    out = Path(out_dir)
    written = []

    def csv(frame: pd.DataFrame, name: str) -> None:
        write_csv(frame, out / name)
        written.append(out / name)

    csv(result.sample, "sample.csv")
    csv(result.disagreements, "disagreements.csv")
    csv(result.agreement, "agreement.csv")
    csv(result.agreement_table, "agreement_table.csv")
    outcome = result.outcome.merge(unique[["cluster_id", "title"]], on="cluster_id", how="left")
    csv(outcome, "title_abstract_outcome.csv")
    reports = result.full_text.merge(unique[["cluster_id", "title", "year", "doi"]], on="cluster_id", how="left")
    csv(reports, "reports.csv")
    csv(result.status, "status.csv")
    csv(result.unmatched, "imported_unmatched.csv")
    with atomic_path(out / "agreement.md") as tmp:
        text = "## Agreement of title/abstract screening\n\n" + agreement_summary(result.agreement,
                                                                                 result.agreement_table)
        tmp.write_text(text + "\n", encoding="utf-8")
    written.append(out / "agreement.md")
    sheets = out / "worksheets"
    sheets.mkdir(parents=True, exist_ok=True)
    for name, frame in sorted(result.worksheets.items()):
        stage = "full_text" if name.startswith("full_text") else STAGE
        write_worksheet(frame, sheets / f"{name}.xlsx", sheets / f"{name}.csv", stage)
        written += [sheets / f"{name}.xlsx", sheets / f"{name}.csv"]
    return written


def model_settings(settings: Mapping) -> PrioritySettings:
    """The ranking's settings from the stage's: ``screening.model`` and the seed, how 'maybe'
    counts, and the review's question and inclusion criteria (the description ranked by before
    any include exists)."""
    from evsynth.screening.prioritise import priority_settings

    screening, review = settings["screening"], settings["review"]
    description = "\n".join(text.strip() for text in (review.get("question") or "",
                                                      review.get("inclusion_criteria") or "") if text.strip())
    values = {**dict(screening["model"]), "seed": screening["seed"], "maybe_counts_as": screening["maybe_counts_as"],
              "description": description}
    values["known_relevant"] = list(values.get("known_relevant") or [])
    return priority_settings(values, source="config/config.yaml", prefix="screening.model")


def stage(input: Mapping, output: Mapping, settings: Mapping, log: str | None) -> ScreeningResult:
    """The workflow's screening stage: the unique records and the reviewers' files of its inputs."""
    import sys

    screening = settings["screening"]
    unique = pd.read_parquet(input["unique"])
    result = screen(unique, input.get("decisions") or [], fraction=screening["sample_fraction"],
                    seed=screening["seed"], reviewers=screening["reviewers"],
                    maybe_counts_as=screening["maybe_counts_as"], resolutions_path=input.get("resolutions"),
                    full_text_path=input.get("full_text"), order=screening["order"], model=model_settings(settings),
                    target_recall=screening["target_recall"], source=input["unique"])
    write_screening(result, unique, Path(output["screening_status"]).parent)
    summary = summary_lines(result)
    if log:
        with open(log, "w", encoding="utf-8") as handle:
            handle.write(result.status.to_string(index=False) + "\n\n")
            handle.write(result.agreement.to_string(index=False) + "\n\n")
            handle.write("\n".join(summary) + "\n")
    print("\n".join(summary), file=sys.stderr)
    return result


def summary_lines(result: ScreeningResult) -> list[str]:
    """The stage's last lines: how far screening has come, whether it may stop, what to do next."""
    value = dict(zip(result.status["key"], result.status["value"]))
    lines = [f"screening: {value['records_screened']} of {value['unique_records']} records screened, "
             f"{value['includes_found']} includes found"]
    if value.get("worksheet_basis"):
        lines.append(f"worksheet order: {value['worksheet_basis']}")
    progress = result.progress
    if progress is not None and progress.estimate is not None:
        e = progress.estimate
        if e.sample_size or e.remaining_high == 0:
            remaining = f"{e.remaining_estimate:g}" if e.remaining_estimate == e.remaining_estimate else "?"
            lines.append(f"includes remaining: {remaining} (95% interval {e.remaining_low} to {e.remaining_high}), "
                         f"from {progress.draws_counted} random draws")
        else:
            lines.append("includes remaining: not estimated yet (no record screened from the stopping sample)")
        lines.append(f"stopping criterion for {e.target_recall:.0%} recall: "
                     + ("met" if e.criterion_met else "not met") + f" (p = {e.p_value:.3g})")
    lines += [f"next: {step}" for step in result.next_steps]
    return lines

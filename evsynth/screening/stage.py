"""The screening stage of a review: sample, worksheets, decisions, agreement, full text.

``screen`` is pure (DataFrames in, DataFrames out); ``stage`` is the workflow's: it reads its rule's
files and writes ``results/screening/``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

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
from evsynth.screening.worksheets import worksheet_frame, write_worksheet

STAGE = "title_abstract"


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


def screen(unique: pd.DataFrame, decision_paths: Sequence[str | Path], *, fraction: float, seed: int | str,
           reviewers: Sequence[str] = (), maybe_counts_as: str = "include",
           resolutions_path: str | Path | None = None, full_text_path: str | Path | None = None) -> ScreeningResult:
    """Everything the screening stage derives from the unique records and the reviewers' files."""
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
    for index, reviewer in enumerate(ordered or [first]):
        # The first reviewer screens every record, the others the double-screening sample.
        pool = sorted(known) if index == 0 else sample_ids
        awaiting = [cid for cid in pool if cid not in decided_by.get(reviewer, set())]
        worksheets[f"{STAGE}_{reviewer}"] = worksheet_frame(unique, awaiting, reviewer, STAGE)
    awaiting_full_text = sorted(passed - set(full_text["cluster_id"]))
    worksheets[f"full_text_{first}"] = worksheet_frame(unique, awaiting_full_text, first, "full_text")

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
    ], columns=["key", "value"], dtype=object)
    return ScreeningResult(sample, decisions, pairs, disagreements, agreement, table, outcome, full_text, status,
                           ordered, worksheets, unmatched)


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


def stage(input: Mapping, output: Mapping, settings: Mapping, log: str | None) -> ScreeningResult:
    """The workflow's screening stage: the unique records and the reviewers' files of its inputs."""
    screening = settings["screening"]
    unique = pd.read_parquet(input["unique"])
    result = screen(unique, input["decisions"], fraction=screening["sample_fraction"], seed=screening["seed"],
                    reviewers=screening["reviewers"], maybe_counts_as=screening["maybe_counts_as"],
                    resolutions_path=input.get("resolutions"), full_text_path=input.get("full_text"))
    write_screening(result, unique, Path(output["screening_status"]).parent)
    if log:
        with open(log, "w", encoding="utf-8") as handle:
            handle.write(result.status.to_string(index=False) + "\n\n")
            handle.write(result.agreement.to_string(index=False) + "\n")
    return result

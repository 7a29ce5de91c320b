"""Reviewers' decisions: read and checked against the unique records, combined, reconciled.

Title/abstract decisions are ``include``, ``exclude`` or ``maybe``; for agreement and for what goes
on to full text, ``maybe`` counts as ``include`` unless config says otherwise (a record a reviewer is
unsure about is read in full, the usual practice).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.identity import in_sample
from evsynth.tables import read_table

# draw: the record's number on the stopping-sample worksheet (empty for a decision made elsewhere)
DECISION_COLUMNS = ["cluster_id", "reviewer", "stage", "decision", "note", "draw", "source", "row", "given_id"]


def binary(decision: str, maybe_counts_as: str = "include") -> str:
    """include/exclude for agreement and flow: 'maybe' becomes ``maybe_counts_as``."""
    return maybe_counts_as if decision == "maybe" else decision


def double_screening_sample(cluster_ids: Iterable[str], seed: int | str, fraction: float) -> list[str]:
    """The records the second reviewer screens: a fixed hash of seed and cluster_id below ``fraction``.

    The same seed gives the same sample on every run, and a record's membership never depends on
    which other records exist, so new searches only add to the sample.
    """
    return sorted(cid for cid in cluster_ids if in_sample(seed, cid, fraction))


def rekey(table: pd.DataFrame, aliases: dict[str, str] | None) -> pd.DataFrame:
    """Carry decisions keyed to a cluster's earlier id to the cluster that now holds that record."""
    table["given_id"] = table["cluster_id"] if "cluster_id" in table.columns else ""
    if aliases and len(table):
        table["cluster_id"] = [aliases.get(cid, cid) for cid in table["cluster_id"]]
    return table


def read_decisions(paths: Sequence[str | Path], known_ids: set[str] | None = None,
                   aliases: dict[str, str] | None = None, unique: pd.DataFrame | None = None) -> pd.DataFrame:
    """All reviewers' title/abstract decisions, one row per (cluster_id, reviewer, stage).

    Stops with an InputError naming file, row and field on: a decision outside the vocabulary
    (from the schema), a record that is not a unique record of this review, a file with no
    decisions at all, and one reviewer deciding the same record twice with different answers.
    Undecided rows (empty decision, e.g. an unfinished worksheet) are skipped. An ASReview,
    Rayyan or Covidence export (told by its content) is read by ``imported.import_decisions``
    against ``unique``; its rows matching no unique record are in ``read_all_decisions``' second frame.
    """
    return read_all_decisions(paths, known_ids, aliases, unique)[0]


def read_all_decisions(paths: Sequence[str | Path], known_ids: set[str] | None = None,
                       aliases: dict[str, str] | None = None,
                       unique: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``read_decisions``' decisions, and the rows of other tools' exports that match no unique record."""
    from evsynth.screening.imported import UNMATCHED_COLUMNS, detect_tool, import_decisions

    frames, unmatched = [], []
    for path in paths:
        tool = detect_tool(path)
        if tool is not None:
            if unique is None:
                raise InputError(path, f"a {tool} export needs the unique records to match its rows to",
                                 expected="evsynth's screening stage, which reads data/processed/unique.parquet")
            imported = import_decisions(path, unique, tool=tool)
            frames.append(imported.decisions)
            unmatched.append(imported.unmatched)
            continue
        table = read_table(path, "screening_decisions")
        if "decision" not in table.columns:
            # The schema cannot say it: a decision cell may be empty (not yet decided), the column may not.
            raise InputError(path, f"there is no 'decision' column (found: {', '.join(table.columns)})", row=1,
                             field="decision", expected="a header with cluster_id, reviewer, stage, decision "
                                                        "(a decision cell may be empty: not yet decided)")
        table = rekey(table, aliases)
        table["source"] = str(path)
        table["row"] = range(2, len(table) + 2)
        for column in ("note", "draw"):
            if column not in table.columns:
                table[column] = ""
        decided = table[table["decision"] != ""]
        if decided.empty:
            raise InputError(path, "the file holds no decisions (every decision cell is empty)", row=2,
                             field="decision", expected="at least one row decided include, exclude or maybe")
        if known_ids is not None:
            unknown = decided[~decided["cluster_id"].isin(known_ids)]
            if len(unknown):
                first = unknown.iloc[0]
                raise InputError(path, f"record '{first['cluster_id']}' is not a unique record of this review"
                                 + (f" ({len(unknown)} such rows)" if len(unknown) > 1 else ""),
                                 row=int(first["row"]), field="cluster_id",
                                 expected="a cluster_id from the screening worksheet or data/processed/unique.parquet")
        frames.append(decided[DECISION_COLUMNS])
    unmatched_rows = (pd.concat(unmatched, ignore_index=True) if unmatched
                      else pd.DataFrame(columns=UNMATCHED_COLUMNS))
    if not frames:
        return pd.DataFrame(columns=DECISION_COLUMNS), unmatched_rows
    decisions = pd.concat(frames, ignore_index=True)
    key = ["cluster_id", "reviewer", "stage"]
    for _, group in decisions[decisions.duplicated(key, keep=False)].groupby(key, sort=True):
        if group["decision"].nunique() > 1:
            first, second = group.iloc[0], group.iloc[1]
            raise InputError(second["source"], f"reviewer {second['reviewer']} decided record "
                             f"'{second['cluster_id']}' twice with different answers: '{first['decision']}' "
                             f"({first['source']}, row {first['row']}) and '{second['decision']}'"
                             + (f" (given for '{first['given_id']}' and '{second['given_id']}', records since "
                                "linked as duplicates)" if first["given_id"] != second["given_id"] else ""),
                             row=int(second["row"]), field="decision",
                             expected="one decision per record and reviewer (delete or correct one of the rows)")
    return decisions.drop_duplicates(key, keep="first").reset_index(drop=True), unmatched_rows


def order_reviewers(decisions: pd.DataFrame, configured: Sequence[str] = ()) -> list[str]:
    """Reviewers in config order, then the others by how many records they decided, then by name."""
    counts = decisions["reviewer"].value_counts()
    rest = sorted((r for r in counts.index if r not in configured), key=lambda r: (-counts[r], r))
    return [r for r in configured if r in counts.index] + rest


def pair_decisions(decisions: pd.DataFrame, reviewers: Sequence[str],
                   maybe_counts_as: str = "include") -> pd.DataFrame:
    """One row per (stage, record) decided by two reviewers: reviewer_a is the earlier in ``reviewers``.

    A record decided by more than two reviewers at one stage stops the run: agreement statistics
    here are for two raters.
    """
    rank = {reviewer: index for index, reviewer in enumerate(reviewers)}
    rows = []
    for (stage, cluster_id), group in decisions.groupby(["stage", "cluster_id"], sort=True):
        if len(group) < 2:
            continue
        if len(group) > 2:
            last = group.iloc[-1]
            raise InputError(last["source"], f"record '{cluster_id}' was decided by {len(group)} reviewers "
                             f"({', '.join(sorted(group['reviewer']))}) at stage {stage}", row=int(last["row"]),
                             field="reviewer", expected="at most two reviewers per record and stage")
        a, b = sorted(group.itertuples(index=False), key=lambda r: rank.get(r.reviewer, len(rank)))
        rows.append({"stage": stage, "cluster_id": cluster_id, "reviewer_a": a.reviewer, "decision_a": a.decision,
                     "reviewer_b": b.reviewer, "decision_b": b.decision,
                     "binary_a": binary(a.decision, maybe_counts_as), "binary_b": binary(b.decision, maybe_counts_as)})
    return pd.DataFrame(rows, columns=["stage", "cluster_id", "reviewer_a", "decision_a", "reviewer_b",
                                       "decision_b", "binary_a", "binary_b"])


def read_resolutions(path: str | Path | None, disagreements: pd.DataFrame,
                     aliases: dict[str, str] | None = None) -> pd.DataFrame:
    """Agreed decisions, each for a record the two reviewers decided differently."""
    columns = ["cluster_id", "stage", "decision", "resolved_by", "note"]
    if not path:
        return pd.DataFrame(columns=columns)
    table = rekey(read_table(path, "screening_resolutions"), aliases)
    for column in columns:
        if column not in table.columns:
            table[column] = ""
    open_keys = set(zip(disagreements["stage"], disagreements["cluster_id"]))
    for index, row in table.iterrows():
        if (row["stage"], row["cluster_id"]) not in open_keys:
            raise InputError(path, f"record '{row['cluster_id']}' has no disagreement at stage {row['stage']} "
                             "to resolve", row=int(index) + 2, field="cluster_id",
                             expected="a cluster_id listed in results/screening/disagreements.csv")
    duplicated = table[table.duplicated(["stage", "cluster_id"], keep="first")]
    if len(duplicated):
        index = duplicated.index[0]
        raise InputError(path, f"record '{table.at[index, 'cluster_id']}' is resolved twice", row=int(index) + 2,
                         field="cluster_id", expected="one resolution per disagreement")
    return table[columns]


def final_decisions(decisions: pd.DataFrame, pairs: pd.DataFrame, resolutions: pd.DataFrame,
                    maybe_counts_as: str = "include") -> pd.DataFrame:
    """The title/abstract outcome of every decided record: include, exclude or pending.

    A record decided by one reviewer keeps that decision; two agreeing reviewers give their common
    binary decision; a disagreement takes its resolution, or stays ``pending`` until resolved.
    """
    decided = decisions.assign(binary=decisions["decision"].map(lambda d: binary(d, maybe_counts_as)))
    outcome = decided.groupby(["stage", "cluster_id"], sort=True)["binary"].agg(
        lambda values: values.iloc[0] if values.nunique() == 1 else "pending").rename("decision").reset_index()
    outcome["basis"] = decided.groupby(["stage", "cluster_id"], sort=True)["reviewer"].agg(
        lambda r: "one reviewer" if len(r) == 1 else "two reviewers agreed").to_numpy()
    if len(resolutions):
        resolved = {(r.stage, r.cluster_id): binary(r.decision, maybe_counts_as)
                    for r in resolutions.itertuples(index=False)}
        for index, row in outcome.iterrows():
            if (row["stage"], row["cluster_id"]) in resolved:
                outcome.at[index, "decision"] = resolved[(row["stage"], row["cluster_id"])]
                outcome.at[index, "basis"] = "resolution"
    outcome.loc[outcome["decision"] == "pending", "basis"] = "disagreement awaiting resolution"
    return outcome


def read_full_text(path: str | Path, passed: set[str], known_ids: set[str],
                   aliases: dict[str, str] | None = None) -> pd.DataFrame:
    """Full-text decisions, one row per report, checked against the title/abstract outcome.

    The schema stops an exclusion without a reason and an inclusion without a study; here a report
    that is not a unique record, was not passed at title/abstract, or is decided twice stops the run.
    """
    table = rekey(read_table(path, "full_text"), aliases)
    for column in ("exclusion_reason", "study_id", "note"):
        if column not in table.columns:
            table[column] = ""
    for index, row in table.iterrows():
        if row["cluster_id"] not in known_ids:
            raise InputError(path, f"report '{row['cluster_id']}' is not a unique record of this review",
                             row=int(index) + 2, field="cluster_id",
                             expected="a cluster_id from data/processed/unique.parquet")
        if row["cluster_id"] not in passed:
            raise InputError(path, f"report '{row['cluster_id']}' was not passed to full text at title/abstract "
                             "screening", row=int(index) + 2, field="cluster_id",
                             expected="a record whose title/abstract decision (or resolution) is include or maybe")
    duplicated = table[table.duplicated("cluster_id", keep="first")]
    if len(duplicated):
        index = duplicated.index[0]
        raise InputError(path, f"report '{table.at[index, 'cluster_id']}' is decided twice", row=int(index) + 2,
                         field="cluster_id", expected="one full-text decision per report")
    return table[["cluster_id", "reviewer", "decision", "exclusion_reason", "study_id", "note"]]

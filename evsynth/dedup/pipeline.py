"""``deduplicate``: records table in, clusters, pairs, uncertain pairs, unique records and summary out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evsynth.dedup.blocking import candidate_pairs
from evsynth.dedup.clusters import best_links, build_clusters, cluster_ids, waived_by_verdicts
from evsynth.dedup.merge import unique_records
from evsynth.dedup.normalise import prepare
from evsynth.dedup.progress import Progress
from evsynth.dedup.scoring import SIMILARITY_COLUMNS, score_pairs
from evsynth.dedup.summary import summarise, summary_table
from evsynth.dedup.verdicts import check_verdicts
from evsynth.errors import InputError

LINK_COLUMNS = ["record_id", "cluster_id", "rule", "score"]
PAIR_COLUMNS = ["record_id_1", "record_id_2", "score", "decision", "rule", "conflicts"] + SIMILARITY_COLUMNS
SIDE_FIELDS = ["database", "title", "authors", "year", "journal", "volume", "issue", "pages", "doi", "abstract"]


@dataclass
class DedupResult:
    """What a deduplication found. Every input record is in ``links``; nothing is dropped."""

    links: pd.DataFrame  # record_id, cluster_id, rule, score (one row per record, input order)
    pairs: pd.DataFrame  # every scored candidate pair with its evidence and decision
    uncertain: pd.DataFrame  # the pairs a person should decide, both records side by side
    unique: pd.DataFrame  # one row per cluster, best fields merged
    summary: dict = field(default_factory=dict)

    def summary_table(self) -> pd.DataFrame:
        return summary_table(self.summary)


def _check_records(records: pd.DataFrame) -> pd.DataFrame:
    if "record_id" not in records.columns:
        raise InputError("records", "no record_id column", expected="a records table (evsynth.records.COLUMNS)")
    ids = records["record_id"].astype(str)
    if ids.eq("").any() or records["record_id"].isna().any():
        rows = list(np.flatnonzero(ids.eq("").to_numpy() | records["record_id"].isna().to_numpy())[:10] + 1)
        raise InputError("records", f"record(s) without record_id at row(s) {rows}", expected="a record_id on every row")
    duplicated = ids[ids.duplicated()].unique()
    if len(duplicated):
        raise InputError("records", f"record_id repeated: {', '.join(duplicated[:10])}", expected="unique record ids")
    # A shallow copy: the columns set below replace the copy's arrays, the caller's stay as they were
    # (a deep copy of a million records costs a quarter of a gigabyte).
    frame = records.copy(deep=False)
    frame.index = pd.RangeIndex(len(frame))
    frame["record_id"] = ids.to_numpy()
    for column, default in (("database", ""), ("search_date", "")):
        if column not in frame.columns:
            frame[column] = default
        frame[column] = frame[column].fillna(default).astype(str)
    return frame


EVIDENCE = {"title": "title_similarity", "authors": "authors_similarity", "year_diff": "year_diff",
            "journal": "journal_similarity", "volume": "volume_same", "pages": "pages_same",
            "abstract": "abstract_similarity"}


def _side_by_side(records: pd.DataFrame, pairs: pd.DataFrame, cluster_id: np.ndarray) -> pd.DataFrame:
    """The uncertain pairs with both records' fields, and an empty verdict column to fill in.

    Most likely first: ordered by the evidence score (the weighted mean of the field
    similarities), so a person meets the pairs that are probably the same record first; the
    rule that sent a pair, the fields that disagree and the similarities are shown beside it.
    """
    index = pd.Index(records["record_id"].to_numpy(dtype=object))
    pairs = pairs.sort_values(["score", "record_id_1", "record_id_2"], ascending=[False, True, True],
                              kind="stable")
    out = pairs[["record_id_1", "record_id_2", "score", "rule", "conflicts"] + list(EVIDENCE)].rename(
        columns=EVIDENCE).reset_index(drop=True)
    rows_1 = index.get_indexer(out["record_id_1"].to_numpy(dtype=object)).astype(np.int64)
    rows_2 = index.get_indexer(out["record_id_2"].to_numpy(dtype=object)).astype(np.int64)
    out.insert(2, "verdict", "")
    out["cluster_id_1"] = cluster_id[rows_1]
    out["cluster_id_2"] = cluster_id[rows_2]
    # only the rows shown: the whole column as Python objects would cost as much as the records
    shown, position = np.unique(np.concatenate([rows_1, rows_2]), return_inverse=True)
    for name in SIDE_FIELDS:
        if name in records.columns:
            values = _obj_array(records[name].iloc[shown].tolist())
        else:
            values = np.full(len(shown), None)
        if name == "authors":
            values = np.array(["; ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v
                               for v in values], dtype=object)
        out[f"{name}_1"] = values[position[:len(rows_1)]]
        out[f"{name}_2"] = values[position[len(rows_1):]]
    return out


def _obj_array(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _one_per_cluster_pair(open_pairs: pd.DataFrame, cluster_of: dict, verdicts: pd.DataFrame) -> pd.DataFrame:
    """The uncertain pairs a person needs to see: one per pair of clusters (the most likely), and
    none between clusters a person already said are different."""
    if open_pairs.empty:
        return open_pairs
    c1 = open_pairs["record_id_1"].map(cluster_of).to_numpy(dtype=object)
    c2 = open_pairs["record_id_2"].map(cluster_of).to_numpy(dtype=object)
    key = pd.Series([f"{min(a, b)}\x1f{max(a, b)}" for a, b in zip(c1, c2)], index=open_pairs.index)
    if len(verdicts):
        different = verdicts[verdicts["verdict"] == "different"]
        d1 = different["record_id_1"].map(cluster_of).to_numpy(dtype=object)
        d2 = different["record_id_2"].map(cluster_of).to_numpy(dtype=object)
        apart = {f"{min(a, b)}\x1f{max(a, b)}" for a, b in zip(d1, d2)}
        key = key[~key.isin(apart)]
    ordered = open_pairs.loc[key.index].assign(_key=key).sort_values(
        ["score", "record_id_1", "record_id_2"], ascending=[False, True, True], kind="stable")
    return ordered.drop_duplicates("_key").drop(columns="_key")


def _empty_result(records: pd.DataFrame) -> DedupResult:
    links = pd.DataFrame(columns=LINK_COLUMNS)
    pairs = pd.DataFrame(columns=PAIR_COLUMNS)
    uncertain = _side_by_side(records, pairs, np.array([], dtype=object))
    unique = unique_records(records, np.array([], dtype=object))
    return DedupResult(links=links, pairs=pairs, uncertain=uncertain, unique=unique,
                       summary=summarise(records, links, uncertain))


def deduplicate(records: pd.DataFrame, verdicts: pd.DataFrame | None = None,
                progress: bool | Callable[[str], None] | None = None) -> DedupResult:
    """Link the duplicate records of a records table into clusters.

    ``verdicts`` (record_id_1, record_id_2, verdict = same/different) are a person's decisions:
    they are applied last and override the automatic ones. ``progress`` True prints one line
    per stage on stderr; a callable receives the lines instead.
    """
    step = Progress(progress)
    records = _check_records(records)
    n = len(records)
    checked = check_verdicts(verdicts, records["record_id"])
    step("start", f"{n} records, {len(checked)} verdicts")
    if n == 0:
        return _empty_result(records)
    p = prepare(records)
    step("normalise", f"{n} records")
    i, j, per_key = candidate_pairs(p)
    n_candidates = len(i)
    step("block", f"{n_candidates} candidate pairs ({', '.join(f'{k} {v}' for k, v in per_key.items())})")
    scored = score_pairs(p, i, j)
    del i, j
    issue_reliable = bool(scored.attrs.get("issue_reliable", True))
    counts = scored["decision"].value_counts()
    step("score", f"{len(scored)} pairs scored: {counts.get('same', 0)} same, "
                  f"{counts.get('uncertain', 0)} uncertain, {counts.get('different', 0)} different")

    # A person's verdicts override the automatic decisions on their pairs.
    row_of = {rid: k for k, rid in enumerate(records["record_id"])}
    verdict_same, verdict_different = [], []
    if len(checked):
        vi = checked["record_id_1"].map(row_of).to_numpy(dtype=np.int64)
        vj = checked["record_id_2"].map(row_of).to_numpy(dtype=np.int64)
        lo, hi = np.minimum(vi, vj), np.maximum(vi, vj)
        is_same = checked["verdict"].eq("same").to_numpy()
        verdict_same = list(zip(lo[is_same].tolist(), hi[is_same].tolist()))
        verdict_different = list(zip(lo[~is_same].tolist(), hi[~is_same].tolist()))
        key = scored["i"].to_numpy(dtype=np.int64) * n + scored["j"].to_numpy(dtype=np.int64)
        verdict_key = pd.Series(checked["verdict"].to_numpy(), index=lo * n + hi)
        hit = np.isin(key, verdict_key.index.to_numpy())
        scored.loc[hit, "decision"] = verdict_key.reindex(key[hit]).to_numpy()
        scored.loc[hit, "rule"] = "verdict"
        # verdicts on pairs the blocking never proposed: add them, so every verdict shows
        known = set(key[hit].tolist())
        missing = [(a, b, v) for a, b, v in zip(lo, hi, checked["verdict"]) if a * n + b not in known]
        if missing:
            extra = pd.DataFrame({"i": [m[0] for m in missing], "j": [m[1] for m in missing],
                                  "decision": [m[2] for m in missing], "rule": "verdict", "conflicts": ""})
            scored = pd.concat([scored, extra], ignore_index=True)
    by_person = scored["rule"].eq("verdict").to_numpy()
    # without verdicts every pair is automatic: the pairs themselves, not a copy (a million
    # records score two million pairs, a copy is a quarter of a gigabyte at the stage's peak)
    automatic = scored[~by_person] if by_person.any() else scored
    del by_person
    waived = waived_by_verdicts(p, automatic, verdict_same, verdict_different)
    root, accepted, refused = build_clusters(p, automatic, verdict_same, verdict_different, waived)
    # the comparison keys are done with: freed before the merge, the stage's largest (a gigabyte a
    # million records)
    del p, automatic, waived
    if refused:
        scored.loc[refused, "decision"] = "uncertain"
        scored.loc[refused, "rule"] = "chain-guard"
    cid = cluster_ids(root, records["record_id"].to_numpy(), records["search_date"].to_numpy())
    rule, score = best_links(root, accepted, n)
    links = pd.DataFrame({"record_id": records["record_id"].to_numpy(), "cluster_id": cid,
                          "rule": rule, "score": score})
    step("cluster", f"{len(set(cid))} clusters; {len(refused)} links refused by the chain guard")

    ids = records["record_id"].to_numpy()
    scored.insert(0, "record_id_2", ids[scored["j"].to_numpy(dtype=np.int64)])
    scored.insert(0, "record_id_1", ids[scored["i"].to_numpy(dtype=np.int64)])
    # Uncertain pairs already joined by other links need no person.
    rows_1, rows_2 = scored["i"].to_numpy(dtype=np.int64), scored["j"].to_numpy(dtype=np.int64)
    is_open = scored["decision"].eq("uncertain").to_numpy() & (cid[rows_1] != cid[rows_2])
    del rows_1, rows_2
    pairs = scored[PAIR_COLUMNS]
    del scored
    pairs.index = pd.RangeIndex(len(pairs))
    open_pairs = pairs[is_open]
    open_pairs = _one_per_cluster_pair(open_pairs, dict(zip(ids, cid)), checked)
    uncertain = _side_by_side(records, open_pairs, cid)
    unique = unique_records(records, cid)
    step("merge", f"{len(unique)} unique records, {len(uncertain)} pairs left to a person")

    doi_merges = [f"{ids[a]} / {ids[b]}" for a, b in accepted.attrs.get("doi_merges", [])]
    summary = summarise(records, links, uncertain, {
        "verdicts_applied": int(len(checked)),
        "verdicts_merging_different_dois": doi_merges,
        "links_refused_by_chain_guard": int(len(refused)),
        "candidate_pairs": int(n_candidates),
        "pairs_scored": int(len(pairs)),
        "issue_field_reliable": issue_reliable,
    })
    return DedupResult(links=links, pairs=pairs, uncertain=uncertain, unique=unique, summary=summary)

"""Where each included study came from: its reports (duplicate clusters), and for each the records of
the search exports behind it (database, export file, the record's id there, DOI, PMID).

One table (``results/studies/study_sources.csv``, a row per record) answers study -> report ->
cluster -> records without three joins by hand; the audit pages and the report list it per study
(they import this module alone: the stage, with the RIS writer and the citation check, is in
``study_sources_stage``, so a change there does not rerun them).
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from evsynth.identity import cluster_aliases

SOURCE_COLUMNS = ["study_id", "citation", "cluster_id", "record_id", "database", "source_file", "source_id",
                  "doi", "pmid"]


def _text(value) -> str:
    if value is None or (not isinstance(value, (list, tuple, np.ndarray)) and pd.isna(value)):
        return ""
    return str(value)


def report_clusters(studies: pd.DataFrame) -> pd.DataFrame:
    """study_id, citation, cluster_id: one row per included report, in the study table's order."""
    rows = [{"study_id": study["study_id"], "citation": _text(study.get("citation")), "cluster_id": cluster}
            for study in studies.to_dict("records")
            for cluster in _text(study.get("reports")).split(";") if cluster]
    return pd.DataFrame(rows, columns=["study_id", "citation", "cluster_id"])


def current_clusters(unique: pd.DataFrame, clusters: pd.DataFrame) -> pd.DataFrame:
    """The reports with the id their cluster has now (a cluster merged or renamed since the full-text
    decision was made is found by its member records, as screening finds it: ``identity``). A report
    that is no cluster of these searches keeps its id (and has no records: ``missing_reports``)."""
    members = unique["record_ids"].str.split("; ")
    aliases = {**cluster_aliases(zip(unique["cluster_id"], members)), **{c: c for c in unique["cluster_id"]}}
    current = [aliases.get(cluster, cluster) for cluster in clusters["cluster_id"]]
    return clusters.assign(cluster_id=current).drop_duplicates(["study_id", "cluster_id"])


def missing_reports(sources: pd.DataFrame) -> list[str]:
    """The included reports none of whose records is in the searches (a full-text decision about a
    cluster of another review, or of an export no longer listed)."""
    return sorted(set(sources.loc[sources["record_id"] == "", "cluster_id"]))


def report_records(studies: pd.DataFrame, unique: pd.DataFrame, records: pd.DataFrame,
                   studies_path: str = "the included studies") -> pd.DataFrame:
    """study_id, citation, cluster_id and the records table's columns of every exported record behind
    an included report, in the study table's order, then export file and position in it."""
    clusters = current_clusters(unique, report_clusters(studies))
    members = pd.DataFrame(
        [{"cluster_id": cluster, "record_id": record_id}
         for cluster, ids in zip(unique["cluster_id"], unique["record_ids"].str.split("; "))
         for record_id in ids], columns=["cluster_id", "record_id"])
    table = (clusters.merge(members, on="cluster_id", how="left", validate="one_to_many")
             .merge(records, on="record_id", how="left", validate="many_to_one"))
    return table.sort_values(["study_id", "cluster_id", "source_file", "position"], kind="stable").reset_index(drop=True)


def study_sources(studies: pd.DataFrame, unique: pd.DataFrame, records: pd.DataFrame,
                  studies_path: str = "the included studies") -> pd.DataFrame:
    """One row per (study, report, exported record): the record's database, export file, its id in
    that file, DOI and PMID. Sorted by study, report, export file and the record's position in it."""
    table = report_records(studies, unique, records, studies_path)
    for column in SOURCE_COLUMNS:
        table[column] = [_text(v) for v in table[column]]
    return table[SOURCE_COLUMNS]


def sources_by_study(sources: pd.DataFrame) -> dict[str, list[dict]]:
    """study_id -> its reports, each ``{cluster_id, doi, pmid, records: [{database, source_file,
    source_id}]}`` (the DOI/PMID of a report: those of its records, "; "-joined when they differ)."""
    out: dict[str, list[dict]] = {}
    for (study, cluster), rows in sources.groupby(["study_id", "cluster_id"], sort=False):
        def joined(column: str) -> str:
            return "; ".join(dict.fromkeys(v for v in rows[column] if v))

        out.setdefault(study, []).append({
            "cluster_id": cluster, "doi": joined("doi"), "pmid": joined("pmid"),
            "records": [{"database": r["database"], "source_file": r["source_file"], "source_id": r["source_id"]}
                        for r in rows.to_dict("records") if r["record_id"]]})
    return out

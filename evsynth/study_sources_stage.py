"""The study_sources stage: the records behind each included study (``study_sources``), the included
reports as RIS (``results/studies/included.ris``: the unique record of each report's cluster, its
study id in a note, for a reference manager) and the typed citations checked (``citations``).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping

import pandas as pd

from evsynth.citations import check_citations, summary_lines
from evsynth.fileio import atomic_path, write_csv
from evsynth.study_sources import (current_clusters, missing_reports, report_clusters, report_records,
                                   study_sources)
from evsynth.tables import read_stage_table
from evsynth.writers.common import plain_records, with_cluster_ids
from evsynth.writers.ris import format_ris, ris_entry


def included_reports(studies: pd.DataFrame, unique: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The unique record of each included report (in the study table's order) and its study id."""
    clusters = current_clusters(unique, report_clusters(studies))
    clusters = clusters[clusters["cluster_id"].isin(set(unique["cluster_id"]))]
    rows = unique.set_index("cluster_id").loc[clusters["cluster_id"]].reset_index()
    return rows, list(clusters["study_id"])


def included_ris(studies: pd.DataFrame, unique: pd.DataFrame) -> str:
    """RIS of the included reports: the unique record of each, its study in an N1 note."""
    rows, study_ids = included_reports(studies, unique)
    entries = []
    for record, study_id in zip(plain_records(with_cluster_ids(rows)), study_ids):
        entry = ris_entry(record)
        entry["N1"] = [*entry.get("N1", []), f"evsynth study: {study_id}"]
        entries.append(entry)
    return format_ris(entries)


def write_text(text: str, path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")


def stage(input: Mapping, output: Mapping, settings: Mapping, log) -> pd.DataFrame:
    """The workflow's study_sources stage: the records behind each included study, the included
    reports as RIS, and the typed citations checked against those records."""
    studies = read_stage_table(input["studies"], ("study_id", "citation", "reports"),
                               "the included studies (rule included_studies)")
    unique = pd.read_parquet(input["unique"])
    records = pd.read_parquet(input["records"], columns=["record_id", "database", "source_file", "position",
                                                           "source_id", "doi", "pmid", "authors", "year"])
    behind = report_records(studies, unique, records, input["studies"])
    sources = study_sources(studies, unique, records, input["studies"])
    checks = check_citations(studies, unique, behind)
    ris = included_ris(studies, unique)
    write_csv(sources, output["study_sources"])
    write_csv(checks, output["citation_checks"])
    write_text(ris, output["included_ris"])
    lines = [f"{behind['cluster_id'].nunique()} included reports of {len(studies)} studies from "
             f"{len(sources)} exported records; {output['included_ris']} written",
             *summary_lines(checks, output["citation_checks"])]
    missing = missing_reports(sources)
    if missing:
        lines.append(f"WARNING: {len(missing)} included report(s) are no cluster of these searches' records "
                     f"(no records, not in {output['included_ris']}): {', '.join(missing)}")
    for line in lines[1:]:
        print(line, file=sys.stderr)  # a mismatch is a warning a person should see, not only in the log
    with open(log, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    return sources

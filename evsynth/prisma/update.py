"""PRISMA 2020's flow for updated reviews: the latest round's new records beside the previous version.

A search belongs to a round (``searches[].round``, 1 for the first version of the review). A unique
record (cluster) belongs to the earliest round any of its records came from, so a record the update
search finds again is a duplicate of the earlier one, not a new record. A study belongs to the
previous version when any of its included reports is a record of an earlier round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from evsynth.prisma.counts import PrismaFlow, flow_counts


@dataclass(frozen=True)
class UpdateFlow:
    round: int
    flow: PrismaFlow  # the latest round's records, from identification to new studies
    previous: tuple[int, int]  # (studies, reports) included in the previous version
    total: tuple[int, int]  # (studies, reports) included in all


def rounds_of_files(searches: Sequence[Mapping]) -> dict[str, int]:
    return {str(search["file"]): int(search.get("round", 1)) for search in searches}


def is_update(searches: Sequence[Mapping]) -> bool:
    return len(set(rounds_of_files(searches).values())) > 1


def update_flow(searches: Sequence[Mapping], identification: pd.DataFrame, clusters: pd.DataFrame,
                outcome: pd.DataFrame, reports: pd.DataFrame) -> UpdateFlow:
    """The counts of the flow for updated reviews from the stage outputs (identification counts with
    ``source_file``, clusters with ``source_file, cluster_id``, the title/abstract outcome and the
    full-text decisions)."""
    rounds = rounds_of_files(searches)
    latest = max(rounds.values())
    record_round = clusters["source_file"].astype(str).map(rounds)
    cluster_round = record_round.groupby(clusters["cluster_id"]).min()
    new_clusters = set(cluster_round.index[cluster_round == latest])
    new_identification = identification[identification["source_file"].astype(str).map(rounds) == latest]
    identified = int(new_identification["records"].astype(int).sum())
    new_outcome = outcome[outcome["cluster_id"].isin(new_clusters)]
    included = reports[reports["decision"] == "include"]
    old_included = included[~included["cluster_id"].isin(new_clusters)]
    previous_studies = set(old_included["study_id"])
    new_reports = reports[reports["cluster_id"].isin(new_clusters)]
    flow = flow_counts(new_identification.assign(records=new_identification["records"].astype(int)),
                       identified - len(new_clusters), new_outcome, new_reports)
    new_included = new_reports[new_reports["decision"] == "include"]
    # A new report of a study already included is a new report, not a new study.
    flow.new_studies = len(set(new_included["study_id"]) - previous_studies)
    total_studies = len(previous_studies | set(new_included["study_id"]))
    return UpdateFlow(latest, flow, (len(previous_studies), len(old_included)), (total_studies, len(included)))

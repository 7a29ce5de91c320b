"""Identity rules shared by deduplication, screening and the example generator.

A cluster of duplicate records is named after its *anchor*: the member from the earliest search
(then the smallest record_id). Records from a later update search join existing clusters without
renaming them, so screening decisions keyed to a cluster_id survive updates of the review.

The double-screening sample is chosen per cluster from a hash of the seed and the cluster_id, so it
is the same on every rerun and adding records only ever extends it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def cluster_id_for(members: Iterable[tuple[str, str]]) -> str:
    """cluster_id from ``(search_date, record_id)`` pairs of the members: ``C-`` + the anchor's id."""
    anchor = min(members)
    return f"C-{anchor[1]}"


def cluster_aliases(record_ids_per_cluster: Iterable[tuple[str, Iterable[str]]]) -> dict[str, str]:
    """Every id a cluster may have had -> its id now.

    A cluster is named after one of its members, so an id given earlier is ``C-`` + the id of a
    record that is still a member, wherever that record is now. When a person's verdict, or a new
    search dated earlier, merges clusters or changes an anchor, decisions keyed to the old id are
    carried to the cluster that holds that record instead of being lost.
    """
    aliases = {}
    for cluster_id, members in record_ids_per_cluster:
        for record_id in members:
            aliases[f"C-{record_id}"] = cluster_id
    return aliases


def sample_score(seed: int | str, cluster_id: str) -> float:
    """Uniform number in [0, 1) fixed by the seed and the cluster id."""
    digest = hashlib.sha256(f"{seed}:{cluster_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def in_sample(seed: int | str, cluster_id: str, fraction: float) -> bool:
    """Whether the cluster is in the double-screening sample."""
    return sample_score(seed, cluster_id) < fraction

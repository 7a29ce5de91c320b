"""The unit x theme matrix: which counting units code which theme or subtheme, and in which direction.

A unit counts once for a node when any of its extracts is coded to the node or to anything beneath
it; several extracts of one unit never count twice.
"""

from __future__ import annotations

import pandas as pd

from evsynth.synthesis.codebook import COUNTED_LEVELS, Codebook

DIRECTIONS = ("facilitator", "barrier", "unclear")


def node_evidence(extracts: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per (extract, counted node it is evidence for): the extract's node and its ancestors."""
    rows = []
    for record in extracts.to_dict("records"):
        for node in codebook.lineage(record["code_id"]):
            if codebook.level(node) in COUNTED_LEVELS:
                rows.append({**record, "node": node})
    columns = list(extracts.columns) + ["node"]
    return pd.DataFrame(rows, columns=columns)


def presence_matrix(extracts: pd.DataFrame, codebook: Codebook, units: pd.DataFrame,
                    level: str | None = None) -> pd.DataFrame:
    """0/1 matrix, index ``unit_id`` (every unit, coded or not), a column per counted node.

    ``level`` keeps only themes or only subthemes; by default both, in codebook order.
    """
    columns = [node for node in codebook.counted_nodes() if level is None or codebook.level(node) == level]
    evidence = node_evidence(extracts, codebook)
    pairs = evidence[["unit_id", "node"]].drop_duplicates()
    matrix = pd.crosstab(pairs["unit_id"], pairs["node"]) if len(pairs) else pd.DataFrame()
    matrix = matrix.reindex(index=units.index, columns=columns, fill_value=0).fillna(0)
    matrix = (matrix > 0).astype("int8")
    matrix.index.name, matrix.columns.name = "unit_id", None
    return matrix


def unit_direction(n_facilitator: int, n_barrier: int) -> str:
    """What one unit's extracts say about a node: facilitator, barrier, both, or unclear."""
    if n_facilitator and n_barrier:
        return "both"
    if n_facilitator:
        return "facilitator"
    if n_barrier:
        return "barrier"
    return "unclear"


def direction_table(extracts: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per (unit, counted node) with evidence: extract counts by direction and the unit's direction."""
    evidence = node_evidence(extracts, codebook)
    columns = ["unit_id", "code_id", "level", "n_extracts", "n_facilitator", "n_barrier", "n_unclear",
               "direction", "extract_ids"]
    if evidence.empty:
        return pd.DataFrame(columns=columns)
    order = {node: i for i, node in enumerate(codebook.nodes())}
    rows = []
    for (unit_id, node), group in evidence.groupby(["unit_id", "node"], sort=False):
        counts = group["direction"].value_counts()
        n_fac, n_bar, n_unc = (int(counts.get(d, 0)) for d in DIRECTIONS)
        rows.append({"unit_id": unit_id, "code_id": node, "level": codebook.level(node),
                     "n_extracts": len(group), "n_facilitator": n_fac, "n_barrier": n_bar, "n_unclear": n_unc,
                     "direction": unit_direction(n_fac, n_bar),
                     "extract_ids": ";".join(group["extract_id"])})
    table = pd.DataFrame(rows, columns=columns)
    table["_order"] = table["code_id"].map(order)
    return (table.sort_values(["_order", "unit_id"], kind="stable").drop(columns="_order")
            .reset_index(drop=True))

"""Theme co-occurrence: how many units code both themes of each pair, as a table and a network figure."""

from __future__ import annotations

import textwrap
from itertools import combinations
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from evsynth.figures import save_figure  # noqa: E402


def cooccurrence_table(matrix: pd.DataFrame, labels: dict[str, str]) -> pd.DataFrame:
    """A row per pair of columns (in matrix order): units coding each, both, and their Jaccard index."""
    values = (matrix.to_numpy() > 0).astype(int)
    both = values.T @ values
    rows = []
    for i, j in combinations(range(values.shape[1]), 2):
        a, b = matrix.columns[i], matrix.columns[j]
        either = int(both[i, i] + both[j, j] - both[i, j])
        rows.append({"code_id_a": a, "theme_a": labels[a], "code_id_b": b, "theme_b": labels[b],
                     "n_a": int(both[i, i]), "n_b": int(both[j, j]), "n_both": int(both[i, j]),
                     "jaccard": round(both[i, j] / either, 4) if either else 0.0})
    return pd.DataFrame(rows, columns=["code_id_a", "theme_a", "code_id_b", "theme_b", "n_a", "n_b",
                                       "n_both", "jaccard"])


def cooccurrence_graph(pairs: pd.DataFrame, strength: pd.DataFrame, min_units: int = 1) -> nx.Graph:
    """Themes as nodes (attribute n), an edge where at least ``min_units`` units code both."""
    graph = nx.Graph()
    for row in strength.to_dict("records"):
        graph.add_node(row["code_id"], label=row["theme"], n=int(row["n"]), rank=int(row["rank"]))
    for row in pairs[pairs["n_both"] >= min_units].to_dict("records"):
        if row["code_id_a"] in graph and row["code_id_b"] in graph:
            graph.add_edge(row["code_id_a"], row["code_id_b"], weight=int(row["n_both"]))
    return graph


def draw_network(graph: nx.Graph, unit: str, svg_path: str | Path, png_path: str | Path,
                 title: str = "Themes coded together") -> None:
    """Circular layout in rank order (strongest at the top, clockwise), so runs give the same picture."""
    plt.rcParams["svg.hashsalt"] = "evsynth"
    nodes = list(graph.nodes)  # already in rank order
    angles = np.pi / 2 - 2 * np.pi * np.arange(len(nodes)) / max(len(nodes), 1)
    position = {node: (np.cos(a), np.sin(a)) for node, a in zip(nodes, angles)}
    n_max = max([graph.nodes[v]["n"] for v in nodes] + [1])
    weights = [graph.edges[e]["weight"] for e in graph.edges]
    w_max = max(weights + [1])

    fig, ax = plt.subplots(figsize=(9, 7.6))
    nx.draw_networkx_edges(graph, position, ax=ax, edge_color="#4a6fa5",
                           width=[0.4 + 5.6 * w / w_max for w in weights],
                           alpha=[0.15 + 0.75 * w / w_max for w in weights])
    nx.draw_networkx_nodes(graph, position, ax=ax, node_color="#e07b39", edgecolors="#6b3a1a",
                           node_size=[120 + 1400 * graph.nodes[v]["n"] / n_max for v in nodes])
    for node, angle in zip(nodes, angles):
        x, y = np.cos(angle), np.sin(angle)
        data = graph.nodes[node]
        text = "\n".join(textwrap.wrap(f"{data['label']} ({data['n']})", 24))
        ax.text(1.2 * x, 1.2 * y, text, ha="left" if x > 0.15 else "right" if x < -0.15 else "center",
                va="center", fontsize=9)
    ax.set_xlim(-2.0, 2.0)
    ax.set_ylim(-1.38, 1.38)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(f"{title}\nnode size: {unit}s coding the theme; edge width: {unit}s coding both", fontsize=11)
    fig.tight_layout()
    save_figure(fig, svg_path, png_path)

"""The heat map of sites by items: each site's rating of each item, its sum score and the item means."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.colors import BoundaryNorm, ListedColormap  # noqa: E402

from evsynth.figures import save_figure  # noqa: E402


def site_item_heatmap(ratings: pd.DataFrame, items: pd.DataFrame, scores: pd.DataFrame, scale: tuple[int, int],
                      label_attributes: Sequence[str], decimals: int, svg_path: str | Path,
                      png_path: str | Path) -> None:
    """Sites (rows, with the attributes the validity groups use) by items (columns, numbered)."""
    plt.rcParams["svg.hashsalt"] = "evsynth"
    low, high = scale
    levels = high - low + 1
    colours = plt.get_cmap("RdYlGn")(np.linspace(0.12, 0.88, levels))
    cmap, norm = ListedColormap(colours), BoundaryNorm(np.arange(low - 0.5, high + 1), levels)
    values = ratings.to_numpy()
    n_sites, k = values.shape

    fig, ax = plt.subplots(figsize=(3.2 + 1.1 * k, 1.9 + 0.55 * n_sites))
    image = ax.imshow(values, cmap=cmap, norm=norm, aspect="auto")
    for i in range(n_sites):
        for j in range(k):
            ax.text(j, i, str(values[i, j]), ha="center", va="center", fontsize=10,
                    color="white" if values[i, j] in (low, high) else "black")
        ax.text(k - 0.3, i, f"{scores['sum_score'].iloc[i]} / {scores['max_score'].iloc[i]}", ha="left",
                va="center", fontsize=9)
    ax.text(k - 0.3, -0.75, "sum score", ha="left", va="center", fontsize=9, fontweight="bold")
    for j, mean in enumerate(items["mean"]):
        ax.text(j, n_sites - 0.25, f"{mean:.{decimals}f}", ha="center", va="top", fontsize=9)
    ax.text(-0.6, n_sites - 0.25, "item mean", ha="right", va="top", fontsize=9, fontweight="bold")
    ax.set_xticks(range(k))
    ax.set_xticklabels([f"{row.item}\n" + textwrap.fill(row.theme, 13, break_long_words=False) for row in items.itertuples()], fontsize=7.5)
    ax.xaxis.tick_top()
    site_labels = []
    for row in scores.itertuples(index=False):
        extra = "; ".join(f"{a} {getattr(row, a)}" for a in label_attributes if getattr(row, a, ""))
        site_labels.append(f"{row.site}\n({extra})" if extra else row.site)
    ax.set_yticks(range(n_sites))
    ax.set_yticklabels(site_labels, fontsize=8.5)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    bar = fig.colorbar(image, ax=ax, ticks=range(low, high + 1), fraction=0.03, pad=0.17)
    bar.ax.set_title("rating", fontsize=8)
    bar.ax.tick_params(labelsize=8)
    ax.set_title("Implementation Measure: each site's rating of each item", fontsize=10.5, pad=12)
    fig.tight_layout()
    save_figure(fig, svg_path, png_path)

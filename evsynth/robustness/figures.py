"""The rank-comparison figure: a bump chart of every theme's place in each analysis."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from evsynth.figures import save_figure  # noqa: E402


def bump_chart(rankings: pd.DataFrame, columns: Sequence[tuple[str, str]], svg_path: str | Path,
               png_path: str | Path, threshold: float) -> None:
    """Themes (rows, in the full synthesis's order) across analyses (columns: (analysis, heading)).

    A theme's height is its place in that analysis's order (ties kept in the full order), its marker
    shows the rank (a shared rank as '2='); themes no study of a subset codes sit below a line as
    'not coded'. Themes at or above the threshold in the full synthesis are drawn in colour.
    """
    plt.rcParams["svg.hashsalt"] = "evsynth"
    first = rankings[rankings["analysis"] == columns[0][0]].sort_values(["rank", "full_rank"], kind="stable")
    themes = list(first["code_id"])
    strong = set(first.loc[first["flagged"], "code_id"])
    # Distinct colours for the strong themes; grey is kept for the others.
    tab20 = plt.get_cmap("tab20").colors
    palette = [c for i, c in enumerate(tab20[0::2] + tab20[1::2]) if i not in (7, 17)]
    colour = {code: palette[i % len(palette)] if code in strong else "#9a9a9a" for i, code in enumerate(themes)}
    n_themes = len(themes)

    fig, ax = plt.subplots(figsize=(3.2 + 1.55 * len(columns), 1.6 + 0.42 * (n_themes + 1.5)))
    places: dict[str, list[tuple[float, float]]] = {code: [] for code in themes}
    for x, (analysis, _) in enumerate(columns):
        table = rankings[rankings["analysis"] == analysis]
        present = table[~table["dropped"]].sort_values(["rank", "full_rank"], kind="stable")
        absent = table[table["dropped"]].sort_values("full_rank", kind="stable")
        for y, row in enumerate(present.itertuples()):
            places[row.code_id].append((x, y + 1))
            ax.scatter(x, y + 1, s=330, color=colour[row.code_id], zorder=3, edgecolors="white", linewidths=1)
            ax.text(x, y + 1, row.rank_label, ha="center", va="center", fontsize=7, color="white",
                    fontweight="bold", zorder=4)
        for y, row in enumerate(absent.itertuples()):
            position = len(present) + 1.5 + y
            places[row.code_id].append((x, position))
            ax.scatter(x, position, s=200, facecolors="white", edgecolors=colour[row.code_id], zorder=3,
                       linewidths=1.2)
        if len(absent):
            ax.plot([x - 0.35, x + 0.35], [len(present) + 0.75] * 2, color="#444444", lw=0.8)
            ax.text(x, len(present) + 0.95, "not coded", ha="center", va="top", fontsize=7, color="#444444")
    for code, points in places.items():
        xs, ys = zip(*points)
        ax.plot(xs, ys, color=colour[code], lw=2.4 if code in strong else 1.2, zorder=2, alpha=0.9)
    for y, row in enumerate(first.itertuples()):
        ax.text(-0.4, y + 1, textwrap.fill(row.theme, 34), ha="right", va="center",
                fontsize=8, color="black" if row.code_id in strong else "#555555")
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([heading for _, heading in columns], fontsize=8.5)
    ax.xaxis.tick_top()
    ax.set_xlim(-0.45, len(columns) - 0.55)
    ax.set_ylim(n_themes + 1.8, 0.3)
    ax.set_yticks([])
    for side in ("left", "right", "bottom", "top"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="x", length=0)
    ax.set_title(f"Rank of each theme in each analysis\n(coloured: coded in at least {threshold * 100:g}% "
                 "of all included units; a marker shows the rank, '=' a shared one)", fontsize=9.5, pad=34)
    fig.tight_layout()
    save_figure(fig, svg_path, png_path)

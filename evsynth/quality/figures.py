"""The two pictures of the appraisal: a traffic-light plot (studies by items, as robvis draws them)
and a summary bar chart (answers per item, grades per design). SVG and PNG, same bytes every run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import LinearSegmentedColormap, to_hex  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

import pandas as pd  # noqa: E402

from evsynth.figures import save_figure as save_figure_files  # noqa: E402
from evsynth.quality.checklists import Checklist  # noqa: E402
from evsynth.quality.scoring import ANSWERS  # noqa: E402

# robvis's colours: low risk green, some concerns yellow, high risk red, no information grey-blue.
ANSWER_STYLE = {"yes": ("#02C100", "+"), "no": ("#BF0000", "\u2212"), "can't tell": ("#E2DF07", "?"),
                "not applicable": ("#AAAAAA", "NA")}
GRADE_SCALE = LinearSegmentedColormap.from_list("grades", ["#02C100", "#E2DF07", "#BF0000"])


def grade_colours(grade_names: Sequence[str]) -> dict[str, str]:
    """Best grade green, worst red, those between along green-yellow-red."""
    n = len(grade_names)
    return {name: to_hex(GRADE_SCALE(i / (n - 1) if n > 1 else 0.0)) for i, name in enumerate(grade_names)}


def save_figure(fig, stem: str | Path) -> list[Path]:
    """Write STEM.svg and STEM.png atomically, with no dates or versions in them."""
    plt.rcParams["svg.hashsalt"] = "evsynth"
    written = [Path(f"{stem}.svg"), Path(f"{stem}.png")]
    save_figure_files(fig, *written, dpi=100, svg_metadata={"Date": None, "Creator": None})
    return written


def _checklist_order(scores: pd.DataFrame) -> list[str]:
    counts = scores["checklist"].value_counts()
    return sorted(counts.index, key=lambda c: (-counts[c], c))


def traffic_light(items: pd.DataFrame, scores: pd.DataFrame, checklists: Mapping[str, Checklist],
                  grade_names: Sequence[str], stem: str | Path, title: str = "") -> list[Path]:
    """One panel per checklist: a row per study, a circle per item, and the study's score and grade."""
    plt.rcParams["svg.hashsalt"] = "evsynth"
    order = _checklist_order(scores)
    colours = grade_colours(grade_names)
    width_items = max(checklists[c].n_items for c in order)
    rows = [int((scores["checklist"] == c).sum()) for c in order]
    row_height = 0.27
    heights = [n * row_height + 0.75 for n in rows]
    fig, axes = plt.subplots(len(order), 1, figsize=(2.2 + 0.42 * (width_items + 2.6), sum(heights) + 1.3),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    by_study = {sid: group.set_index("item")["answer"] for sid, group in items.groupby("study_id")}
    for ax, checklist_id in zip(axes[:, 0], order):
        checklist = checklists[checklist_id]
        studies = scores[scores["checklist"] == checklist_id].sort_values("study_id")
        n = len(studies)
        # One scatter per answer (circles, then their symbols as markers): hundreds of separate
        # artists would make the figure slow to draw and the SVG large.
        cells = [(item, y, by_study[study_id][item]) for y, study_id in enumerate(studies["study_id"])
                 for item in range(1, checklist.n_items + 1)]
        for answer in ANSWERS:
            xs = [x for x, _, a in cells if a == answer]
            ys = [y for _, y, a in cells if a == answer]
            if xs:
                colour, mark = ANSWER_STYLE[answer]
                ax.scatter(xs, ys, s=150, color=colour, edgecolors="#333333", linewidths=0.4, zorder=2)
                ax.scatter(xs, ys, s=40 if len(mark) == 1 else 90, marker=f"${mark}$", color="black",
                           linewidths=0, zorder=3)
        for y, study in enumerate(studies.itertuples()):
            score_x = checklist.n_items + 1.6
            ax.add_patch(plt.Rectangle((score_x - 0.85, y - 0.38), 1.7, 0.76, color=colours[study.grade], zorder=1))
            ax.text(score_x, y, f"{study.yes}/{study.scored_items}  {study.grade}", ha="center", va="center",
                    fontsize=7, zorder=3)
        ax.set_xlim(0.4, width_items + 2.6)
        # A panel of one or two studies keeps the row height of the others.
        ax.set_ylim(max(n, 2.5) - 0.5, -0.5)
        ax.set_yticks(range(n), list(studies["study_id"]), fontsize=7.5)
        ticks = list(range(1, checklist.n_items + 1)) + [checklist.n_items + 1.6]
        ax.set_xticks(ticks, [f"Q{i}" for i in range(1, checklist.n_items + 1)] + ["Score"], fontsize=7.5)
        ax.xaxis.tick_top()
        ax.tick_params(length=0)
        ax.set_title(f"{checklist.title.split(':')[0]} ({checklist.id}, {checklist.n_items} items; "
                     f"{n} {'study' if n == 1 else 'studies'})", fontsize=8.5, loc="left", pad=16)
        for spine in ax.spines.values():
            spine.set_color("#BBBBBB")
        ax.grid(False)
    answer_handles = [Line2D([], [], marker="o", linestyle="", markersize=9, markerfacecolor=ANSWER_STYLE[a][0],
                             markeredgecolor="#333333", label=f"{ANSWER_STYLE[a][1]}  {a}") for a in ANSWERS]
    grade_handles = [Patch(color=colours[g], label=g) for g in grade_names]
    fig.legend(handles=answer_handles + grade_handles, loc="lower center", ncol=4 + len(grade_names),
               fontsize=7.5, frameon=False, handletextpad=0.4, columnspacing=1.2)
    if title:
        fig.suptitle(title, fontsize=9.5)
    fig.tight_layout(rect=(0, 0.9 / (sum(heights) + 1.3), 1, 1 - (0.35 if title else 0.05) / (sum(heights) + 1.3)))
    return save_figure(fig, stem)


def summary_chart(items: pd.DataFrame, scores: pd.DataFrame, by_design: pd.DataFrame,
                  checklists: Mapping[str, Checklist], grade_names: Sequence[str], rule_lines: Sequence[str],
                  stem: str | Path, name: str = "Quality") -> list[Path]:
    """Per checklist the share of each answer per item (robvis's summary plot), then grades per design."""
    plt.rcParams["svg.hashsalt"] = "evsynth"
    order = _checklist_order(scores)
    colours = grade_colours(grade_names)
    designs = by_design[by_design["design"] != "all"]
    heights = [checklists[c].n_items * 0.26 + 0.7 for c in order] + [len(designs) * 0.36 + 0.8]
    fig, axes = plt.subplots(len(heights), 1, figsize=(9.5, sum(heights) + 1.4),
                             gridspec_kw={"height_ratios": heights}, squeeze=False)
    for ax, checklist_id in zip(axes[:, 0], order):
        checklist = checklists[checklist_id]
        answers = items[items["checklist"] == checklist_id]
        n = answers["study_id"].nunique()
        labels = []
        for y, item in enumerate(range(1, checklist.n_items + 1)):
            counts = answers[answers["item"] == item]["answer"].value_counts()
            left = 0.0
            for answer in ANSWERS:
                share = 100 * counts.get(answer, 0) / n
                if share:
                    ax.barh(y, share, left=left, color=ANSWER_STYLE[answer][0], edgecolor="white", linewidth=0.5)
                left += share
            question = checklist.question(item)
            labels.append(f"Q{item} {question if len(question) <= 58 else question[:56] + '...'}")
        ax.set_yticks(range(checklist.n_items), labels, fontsize=7)
        ax.set_ylim(checklist.n_items - 0.5, -0.6)
        ax.set_xlim(0, 100)
        ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontsize=7)
        ax.set_title(f"{checklist.id}: answers per item ({n} {'study' if n == 1 else 'studies'})",
                     fontsize=8.5, loc="left")
    ax = axes[-1, 0]
    for y, row in enumerate(designs.to_dict("records")):
        left = 0
        for grade in grade_names:
            count = int(row[grade])
            if count:
                ax.barh(y, count, left=left, color=colours[grade], edgecolor="white", linewidth=0.5)
            left += count
        # Counts beside the bar: a segment of one study is too thin to hold its number.
        ax.text(left + 0.01 * designs["studies"].max(), y,
                ", ".join(f"{row[g]} {g}" for g in grade_names if row[g]), va="center", fontsize=7)
    ax.set_yticks(range(len(designs)), [f"{d} (n = {s})" for d, s in zip(designs["design"], designs["studies"])],
                  fontsize=7.5)
    ax.set_ylim(len(designs) - 0.5, -0.6)
    ax.set_xlim(0, designs["studies"].max() * 1.25)
    ax.set_xlabel("studies", fontsize=7.5)
    ax.tick_params(axis="x", labelsize=7)
    total = by_design[by_design["design"] == "all"].iloc[0]
    ax.set_title("Grades by design: " + ", ".join(f"{g} {int(total[g])}" for g in grade_names)
                 + f" of {int(total['studies'])} studies", fontsize=8.5, loc="left")
    handles = [Patch(color=ANSWER_STYLE[a][0], label=a) for a in ANSWERS] + \
              [Patch(color=colours[g], label=g) for g in grade_names]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=7.5, frameon=False)
    thresholds = "; ".join(line.strip() for line in rule_lines[2:])
    fig.suptitle(f"{name} appraisal. Scoring: " + " ".join(rule_lines[:2]) + " " + thresholds, fontsize=7.5,
                 wrap=True)
    top = 1 - 0.75 / (sum(heights) + 1.4)
    fig.tight_layout(rect=(0, 0.5 / (sum(heights) + 1.4), 1, top))
    return save_figure(fig, stem)

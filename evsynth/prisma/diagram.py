"""The PRISMA 2020 flow diagram (databases and registers), drawn with matplotlib.

Layout of the PRISMA 2020 statement's template (Page et al. 2021, BMJ 372:n71): phase bars on the
left, the flow down the middle, what left the flow on the right, each number from ``PrismaFlow``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyArrowPatch, Rectangle  # noqa: E402

from evsynth.figures import save_figure  # noqa: E402
from evsynth.prisma.counts import PrismaFlow  # noqa: E402

LINE = 0.175  # inches per text line (9 pt, line spacing 1.35)
MIN_HEIGHT = 0.9  # room for the rotated phase label
PAD = 0.14
WIDTH = 9.0
MAIN_X, MAIN_W = 0.75, 4.1
SIDE_X, SIDE_W = 5.35, 3.5
PHASE_BLUE = "#a9c6e8"
HEADER_YELLOW = "#f7d774"


def _wrap(lines: list[str], width: int) -> list[str]:
    out = []
    for line in lines:
        indent = "    " if line.startswith("    ") else ""
        out += textwrap.wrap(line.strip(), width, initial_indent=indent, subsequent_indent=indent + "  ") or [""]
    return out


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", "\u2009") if n >= 10000 else str(n)


def flow_boxes(flow: PrismaFlow) -> list[tuple[str, list[str], list[str] | None]]:
    """(phase, main box lines, side box lines or None) for each row, top to bottom."""
    identified = [f"Records identified from (n = {_fmt(flow.identified)}):"]
    identified += [f"    {name} (n = {_fmt(n)})" for name, n in flow.databases]
    if flow.registers:
        identified += ["Registers:"] + [f"    {name} (n = {_fmt(n)})" for name, n in flow.registers]
    removed = ["Records removed before screening:", f"    Duplicate records removed (n = {_fmt(flow.duplicates)})",
               "    Records marked as ineligible by automation tools (n = 0)",
               "    Records removed for other reasons (n = 0)"]
    screened = [f"Records screened (n = {_fmt(flow.records_screened)})"]
    if flow.records_awaiting:
        screened.append(f"Records awaiting screening (n = {_fmt(flow.records_awaiting)})")
    assessed = [f"Reports assessed for eligibility (n = {_fmt(flow.reports_assessed)})"]
    if flow.reports_awaiting:
        assessed.append(f"Reports awaiting assessment (n = {_fmt(flow.reports_awaiting)})")
    reasons = [f"Reports excluded (n = {_fmt(flow.reports_excluded)}):"]
    reasons += [f"    {reason} (n = {_fmt(n)})" for reason, n in flow.exclusion_reasons]
    return [
        ("Identification", identified, removed),
        ("Screening", screened, [f"Records excluded (n = {_fmt(flow.records_excluded)})"]),
        ("Screening", [f"Reports sought for retrieval (n = {_fmt(flow.reports_sought)})"],
         [f"Reports not retrieved (n = {_fmt(flow.reports_not_retrieved)})"]),
        ("Screening", assessed, reasons),
        ("Included", [f"Studies included in review (n = {_fmt(flow.new_studies)})",
                      f"Reports of included studies (n = {_fmt(flow.new_reports)})"], None),
    ]


def update_boxes(flow: PrismaFlow, previous: tuple[int, int], total: tuple[int, int]):
    """The boxes of PRISMA 2020's flow for updated reviews: the previous version's studies above
    the new round's flow, the total below it."""
    boxes = flow_boxes(flow)
    boxes[-1] = ("Included", [f"New studies included in review (n = {_fmt(flow.new_studies)})",
                              f"Reports of new included studies (n = {_fmt(flow.new_reports)})"], None)
    return [("Previous", [f"Studies included in previous version of review (n = {_fmt(previous[0])})",
                          f"Reports of studies included in previous version of review (n = {_fmt(previous[1])})"],
             None), *boxes,
            ("Included", [f"Total studies included in review (n = {_fmt(total[0])})",
                          f"Reports of total included studies (n = {_fmt(total[1])})"], None)]


def draw_flow(flow: PrismaFlow, title: str = "Identification of studies via databases and registers",
              boxes: list | None = None):
    """A matplotlib Figure of the flow diagram (``boxes``: other boxes than ``flow_boxes(flow)``)."""
    rows = []
    for phase, main, side in boxes if boxes is not None else flow_boxes(flow):
        main_lines = _wrap(main, 56)
        side_lines = _wrap(side, 50) if side else []
        height = max(len(main_lines), len(side_lines)) * LINE + 2 * PAD
        if phase in ("Included", "Previous"):
            height = max(height, MIN_HEIGHT)
        rows.append((phase, main_lines, side_lines, height))
    gap, header = 0.45, 0.5
    total = header + gap + sum(r[3] for r in rows) + gap * (len(rows) - 1) + 0.2
    fig = plt.figure(figsize=(WIDTH, total))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH)
    ax.set_ylim(0, total)
    ax.axis("off")

    top = total - 0.1
    ax.add_patch(Rectangle((MAIN_X, top - header), SIDE_X + SIDE_W - MAIN_X, header, facecolor=HEADER_YELLOW,
                           edgecolor="black", linewidth=0.8))
    ax.text((MAIN_X + SIDE_X + SIDE_W) / 2, top - header / 2, title, ha="center", va="center", fontsize=11,
            fontweight="bold")
    y = top - header - gap
    positions, phases = [], {}
    for phase, main_lines, side_lines, height in rows:
        bottom = y - height
        ax.add_patch(Rectangle((MAIN_X, bottom), MAIN_W, height, facecolor="white", edgecolor="black",
                               linewidth=0.8))
        ax.text(MAIN_X + PAD, y - PAD, "\n".join(main_lines), ha="left", va="top", fontsize=9, linespacing=1.35)
        if side_lines:
            ax.add_patch(Rectangle((SIDE_X, bottom), SIDE_W, height, facecolor="white", edgecolor="black",
                                   linewidth=0.8))
            ax.text(SIDE_X + PAD, y - PAD, "\n".join(side_lines), ha="left", va="top", fontsize=9,
                    linespacing=1.35)
            ax.add_patch(FancyArrowPatch((MAIN_X + MAIN_W, bottom + height / 2), (SIDE_X, bottom + height / 2),
                                         arrowstyle="-|>", mutation_scale=12, linewidth=0.9, color="black"))
        low, high = phases.get(phase, (bottom, y))
        phases[phase] = (min(low, bottom), max(high, y))
        positions.append((bottom, y))
        y = bottom - gap
    for (below_bottom, _), (_, next_top) in zip(positions, positions[1:]):
        ax.add_patch(FancyArrowPatch((MAIN_X + MAIN_W / 2, below_bottom), (MAIN_X + MAIN_W / 2, next_top),
                                     arrowstyle="-|>", mutation_scale=12, linewidth=0.9, color="black"))
    for phase, (low, high) in phases.items():
        ax.add_patch(Rectangle((0.15, low), 0.4, high - low, facecolor=PHASE_BLUE, edgecolor="none"))
        ax.text(0.35, (low + high) / 2, phase, rotation=90, ha="center", va="center", fontsize=10,
                fontweight="bold")
    return fig


def save_flow(flow: PrismaFlow, svg_path: str | Path, png_path: str | Path) -> None:
    """Write the diagram as SVG and PNG, byte-identical from run to run."""
    with plt.rc_context({"svg.hashsalt": "evsynth", "font.family": "DejaVu Sans"}):
        save_figure(draw_flow(flow), svg_path, png_path)


def save_update_flow(flow: PrismaFlow, previous: tuple[int, int], total: tuple[int, int], svg_path: str | Path,
                     png_path: str | Path) -> None:
    """The flow for updated reviews as SVG and PNG, byte-identical from run to run."""
    with plt.rc_context({"svg.hashsalt": "evsynth", "font.family": "DejaVu Sans"}):
        save_figure(draw_flow(flow, "Identification of new studies via databases and registers",
                              update_boxes(flow, previous, total)), svg_path, png_path)

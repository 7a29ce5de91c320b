"""The measure stage: items from the synthesis, ratings and sites in, scores and validity out.

Everything is computed and checked before the first file is written, so bad input leaves nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.fileio import atomic_path, write_csv
from evsynth.markdown import escape
from evsynth.measure.items import measure_items, rating_scale, read_ratings, read_sites
from evsynth.measure.scores import item_statistics, site_scores, summary_text, validity_groups
from evsynth.config import CONFIG_FILE as CONFIG
from evsynth.config import checked_section, config_line, section_settings



@dataclass
class Measure:
    items: pd.DataFrame
    ratings: pd.DataFrame  # site x item (code_id)
    scores: pd.DataFrame
    validity: pd.DataFrame
    lines: list[str]
    scale: tuple[int, int]
    decimals: int
    label_attributes: list[str]

    def markdown(self) -> str:
        header = ["# Implementation Measure", "", "| item | theme | mean | min | max | range |", "|---|---|---|---|---|---|"]
        rows = [f"| {r.item} | {escape(r.theme)} | {r.mean:.{self.decimals}f} | {r.min} | {r.max} | {r.range} |"
                for r in self.items.itertuples()]
        return "\n".join(header + rows + [""] + [escape(line) for line in self.lines]) + "\n"


def evaluate(strength_path: str | Path, ratings_path: str | Path, sites_path: str | Path, settings: Mapping,
             threshold_text: str = "at or above the synthesis threshold", config_name: str = CONFIG) -> Measure:
    """Read and check the items, sites and ratings; compute every table (nothing is written)."""
    items = measure_items(strength_path)
    sites = read_sites(sites_path)
    ratings = read_ratings(ratings_path, items, sites, sites_path)
    scale = rating_scale()
    decimals, rounding = int(settings["decimals"]), settings["rounding"]
    item_table = item_statistics(ratings, items, scale, decimals, rounding, int(settings["min_range"]),
                                 float(settings["item_floor_ceiling_share"]))
    scores = site_scores(ratings, sites, items, scale, decimals, rounding)
    validity = validity_groups(ratings, sites, settings["validity"], decimals, rounding, str(sites_path), config_name)
    lines = summary_text(item_table, scores, validity, scale, decimals, int(settings["min_range"]),
                         float(settings["floor_ceiling_share"]), float(settings["item_floor_ceiling_share"]),
                         threshold_text)
    attributes = list(dict.fromkeys(v["attribute"] for v in settings["validity"]))
    return Measure(items=item_table, ratings=ratings, scores=scores, validity=validity, lines=lines, scale=scale,
                   decimals=decimals, label_attributes=attributes)


def write_measure(measure: Measure, out_dir: str | Path) -> None:
    from evsynth.measure.figures import site_item_heatmap  # matplotlib only when drawing, not when Snakemake parses

    out = Path(out_dir)
    site_item_heatmap(measure.ratings, measure.items, measure.scores, measure.scale, measure.label_attributes,
                      measure.decimals, out / "figures" / "site_item_heatmap.svg",
                      out / "figures" / "site_item_heatmap.png")
    write_csv(measure.items, out / "items.csv")
    write_csv(measure.scores, out / "site_scores.csv")
    write_csv(measure.validity, out / "validity.csv")
    with atomic_path(out / "summary.md") as tmp:
        tmp.write_text(measure.markdown(), encoding="utf-8")


def threshold_text(settings: Mapping) -> str:
    """How the items were chosen, from the synthesis threshold and counting unit."""
    return f"coded in at least {settings['synthesis']['threshold'] * 100:g}% of {settings['studies']['unit']}s"


def stage(input, output, settings, log) -> Measure:
    """The workflow's measure stage: the theme strengths, the site ratings and the sites."""
    measure = evaluate(input["strength"], input["ratings"], input["sites"], settings["measure"],
                       threshold_text(settings))
    write_measure(measure, Path(output["measure_items"]).parent)
    with open(log, "w", encoding="utf-8") as handle:
        handle.write("\n".join(measure.lines) + "\n")
    return measure


def run_measure(config: Mapping, strength_path: str | Path, out_dir: str | Path, log_path: str | None = None,
                base_dir: str | Path = ".", config_name: str = CONFIG) -> Measure:
    """The stage on one's own files (``evsynth measure --ratings ...``)."""
    settings = checked_section(config, "measure", config_name)
    base = Path(base_dir)
    for key in ("ratings", "sites"):
        if not settings.get(key):
            raise InputError(config_name, f"measure.{key} is not set", line=config_line(config_name, ["measure"]),
                             field=f"measure.{key}", expected="the path of that table, relative to the review directory")
    text = threshold_text({"synthesis": section_settings(config, "synthesis"),
                           "studies": section_settings(config, "studies")})
    measure = evaluate(base / strength_path, base / settings["ratings"], base / settings["sites"], settings,
                       text, config_name)
    write_measure(measure, out_dir)
    if log_path:
        with open(log_path, "w", encoding="utf-8") as log:
            log.write("\n".join(measure.lines) + "\n")
    return measure

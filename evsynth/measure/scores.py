"""Scores of the Implementation Measure: each site's sum, each item's spread, and group means for
convergent and discriminant validity, rounded exactly as published (``measure.decimals``, half up).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pandas as pd

from evsynth.errors import InputError

ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}
ITEM_COLUMNS = ["item", "code_id", "theme", "n", "percent", "n_sites", "sum", "mean", "min", "max", "range",
                "share_lowest", "share_highest", "floor", "ceiling", "narrow_range"]
VALIDITY_COLUMNS = ["kind", "attribute", "group", "values", "n_sites", "sites", "sum_ratings", "n_ratings",
                    "mean_item_score", "mean_sum_score"]


def round_ratio(numerator: int, denominator: int, decimals: int = 1, rule: str = "half_up") -> float:
    """numerator / denominator rounded exactly: a true half (56/32 = 1.75) is never 1.7499999."""
    if denominator == 0:
        return float("nan")
    # A ratio of integers ending in exactly 5 has a finite decimal expansion, so Decimal holds it exactly.
    value = Decimal(int(numerator)) / Decimal(int(denominator))
    return float(value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUNDING[rule]))


def item_statistics(ratings: pd.DataFrame, items: pd.DataFrame, scale: tuple[int, int], decimals: int,
                    rounding: str, min_range: int, item_share: float) -> pd.DataFrame:
    """A row per item: its mean, minimum, maximum and range across sites, and its flags.

    ``floor`` (``ceiling``): more than ``item_share`` of the sites give the lowest (highest) rating;
    ``narrow_range``: the ratings span fewer than ``min_range`` points.
    """
    low, high = scale
    n_sites = len(ratings)
    table = items[["item", "code_id", "theme", "n", "percent"]].copy()
    columns = list(items["code_id"])
    sums = ratings[columns].sum(axis=0)
    table["n_sites"] = n_sites
    table["sum"] = sums.to_numpy()
    table["mean"] = [round_ratio(s, n_sites, decimals, rounding) for s in sums]
    table["min"] = ratings[columns].min(axis=0).to_numpy()
    table["max"] = ratings[columns].max(axis=0).to_numpy()
    table["range"] = table["max"] - table["min"]
    table["share_lowest"] = (ratings[columns] == low).mean(axis=0).round(4).to_numpy()
    table["share_highest"] = (ratings[columns] == high).mean(axis=0).round(4).to_numpy()
    table["floor"] = table["share_lowest"] > item_share
    table["ceiling"] = table["share_highest"] > item_share
    table["narrow_range"] = table["range"] < min_range
    return table[ITEM_COLUMNS]


def site_scores(ratings: pd.DataFrame, sites: pd.DataFrame, items: pd.DataFrame, scale: tuple[int, int],
                decimals: int, rounding: str) -> pd.DataFrame:
    """A row per site: its attributes, sum score (of ``len(items) * max`` possible), mean item score,
    whether it scores the lowest or highest possible sum, and its rating of each item (by code_id)."""
    low, high = scale
    k = len(items)
    attributes = [c for c in sites.columns if c not in ("row", "site")]
    table = sites[["site", *attributes]].reset_index(drop=True)
    sums = ratings.sum(axis=1).to_numpy()
    table["sum_score"] = sums
    table["max_score"] = k * high
    table["mean_item_score"] = [round_ratio(s, k, decimals, rounding) for s in sums]
    table["at_floor"] = sums == k * low
    table["at_ceiling"] = sums == k * high
    for code in items["code_id"]:
        table[code] = ratings[code].to_numpy()
    return table


def _text(value) -> str:
    return str(value).strip().casefold()


def validity_groups(ratings: pd.DataFrame, sites: pd.DataFrame, comparisons: Sequence[Mapping], decimals: int,
                    rounding: str, sites_path: str = "the sites table",
                    config_name: str = "config/config.yaml") -> pd.DataFrame:
    """Mean item score (and mean sum score) of each group of sites of each validity comparison."""
    k = ratings.shape[1]
    rows = []
    for i, comparison in enumerate(comparisons):
        attribute = comparison["attribute"]
        if attribute not in sites.columns or attribute in ("row", "site"):
            from evsynth.config import config_line

            columns = [c for c in sites.columns if c not in ("row", "site")]
            raise InputError(config_name, f"validity attribute '{attribute}' is not a column of {sites_path}",
                             line=config_line(config_name, ["measure", "validity", i, "attribute"]),
                             field=f"measure.validity[{i}].attribute", expected=f"one of {', '.join(columns)}")
        for group in comparison["groups"]:
            wanted = {_text(v) for v in group["values"]}
            members = [s for s in sites.index if _text(sites.at[s, attribute]) in wanted]
            total = int(ratings.loc[members].to_numpy().sum()) if members else 0
            rows.append({
                "kind": comparison["kind"], "attribute": attribute, "group": group["label"],
                "values": ", ".join(str(v) for v in group["values"]), "n_sites": len(members),
                "sites": "; ".join(members), "sum_ratings": total, "n_ratings": k * len(members),
                "mean_item_score": round_ratio(total, k * len(members), decimals, rounding),
                "mean_sum_score": round_ratio(total, len(members), decimals, rounding),
            })
    return pd.DataFrame(rows, columns=VALIDITY_COLUMNS)


def _number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def _join(words: Sequence[str]) -> str:
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def summary_text(items: pd.DataFrame, scores: pd.DataFrame, validity: pd.DataFrame, scale: tuple[int, int],
                 decimals: int, min_range: int, share: float, item_share: float, threshold_text: str) -> list[str]:
    """The measure's figures in sentences, in the order the seed review reports them."""
    low, high = scale
    k, n_sites = len(items), len(scores)
    wide = items[~items["narrow_range"]]
    narrow = items[items["narrow_range"]]
    if narrow.empty:
        spread = f"every item spans at least {min_range} points"
    elif wide.empty:
        spread = f"no item spans {min_range} points or more"
    else:
        spread = (f"each item except item {_join([str(i) for i in narrow['item']])} spans at least {min_range} "
                  "points")
    flagged = items[items["floor"] | items["ceiling"]]
    effects = ("no item has a floor or ceiling effect" if flagged.empty else
               "items with a floor or ceiling effect: " + ", ".join(
                   f"{r.item} ({'floor' if r.floor else ''}{' and ' if r.floor and r.ceiling else ''}"
                   f"{'ceiling' if r.ceiling else ''})" for r in flagged.itertuples()))
    at_floor, at_ceiling = scores["at_floor"].mean(), scores["at_ceiling"].mean()
    n_floor, n_ceiling = int(scores["at_floor"].sum()), int(scores["at_ceiling"].sum())
    ends = ("no site scores the lowest or the highest possible sum" if not (n_floor or n_ceiling) else
            f"{n_floor} of {n_sites} sites score the lowest and {n_ceiling} the highest possible sum")
    sums = (f"Sum scores range from {scores['sum_score'].min()} to {scores['sum_score'].max()} (possible "
            f"{k * low} to {k * high}); {ends}, so there is "
            f"{'a floor effect' if at_floor > share else 'no floor effect'} and "
            f"{'a ceiling effect' if at_ceiling > share else 'no ceiling effect'} "
            f"(more than {share * 100:g}% of sites at either end would be one).")
    lines = [
        f"The Implementation Measure has {k} items, the themes {threshold_text}, each rated {low} to {high} "
        f"at {n_sites} sites.",
        f"The mean rating per item ranges from {_number(items['mean'].min(), decimals)} to "
        f"{_number(items['mean'].max(), decimals)} (scale mid-point {(low + high) / 2:g}); {spread}; {effects} "
        f"(more than {item_share * 100:g}% of sites at the lowest or highest rating would be one).",
        sums,
    ]
    for (kind, attribute), groups in validity.groupby(["kind", "attribute"], sort=False):
        parts = [f"sites {g.group} ({', '.join(g.sites.split('; ')) or 'none'}; mean item score "
                 f"{_number(g.mean_item_score, decimals) if g.n_sites else 'none'})" for g in groups.itertuples()]
        lines.append(f"{kind.capitalize()} validity ({attribute}): {_join(parts)}.")
    return lines

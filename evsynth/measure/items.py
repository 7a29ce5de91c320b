"""The Implementation Measure's items, sites and ratings, read and checked against each other.

Items are never typed: they are the themes the synthesis flagged (coded by at least
``synthesis.threshold`` of the units), numbered in rank order as ``theme_strength.csv`` lists them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.tables import load_schema, read_stage_table, read_table

STRENGTH_COLUMNS = ("code_id", "theme", "level", "n", "N", "percent", "rank", "flagged")


def rating_scale() -> tuple[int, int]:
    """The lowest and highest rating, as the ratings schema sets them."""
    spec = load_schema("measure_ratings")["properties"]["rating"]
    return int(spec["minimum"]), int(spec["maximum"])


def measure_items(strength_path: str | Path) -> pd.DataFrame:
    """A row per item: ``item`` (1, 2, ...), code_id, theme, n, N, percent, rank of the flagged themes."""
    path = Path(strength_path)
    strength = read_stage_table(path, STRENGTH_COLUMNS,
                                "the synthesis's theme_strength.csv (rule theme_strength, or `evsynth synthesis`)")
    flagged = strength[(strength["level"] == "theme") & (strength["flagged"].str.lower() == "true")]
    if flagged.empty:
        raise InputError(path, "no theme is at or above the threshold, so the measure has no item",
                         field="flagged", expected="at least one flagged theme (see synthesis.threshold)")
    items = flagged[["code_id", "theme", "n", "N", "percent", "rank"]].reset_index(drop=True)
    items.insert(0, "item", range(1, len(items) + 1))
    return items.astype({"n": int, "N": int, "rank": int})


def _listing(items: pd.DataFrame) -> str:
    return ", ".join(f"{row.code_id} ({row.theme})" for row in items.itertuples())


def read_sites(path: str | Path) -> pd.DataFrame:
    """The sites table, one row per site (index: site), with its spreadsheet ``row``."""
    path = Path(path)
    sites = read_table(path, "measure_sites")
    sites.insert(0, "row", range(2, len(sites) + 2))
    first: dict[str, int] = {}
    for site, row in zip(sites["site"], sites["row"]):
        if site in first:
            raise InputError(path, f"site '{site}' is listed twice (first at row {first[site]})", row=row,
                             field="site", expected="one row per site")
        first[site] = row
    return sites.set_index("site", drop=False)


def read_ratings(path: str | Path, items: pd.DataFrame, sites: pd.DataFrame,
                 sites_path: str | Path = "the sites table") -> pd.DataFrame:
    """Ratings as a site x item matrix (sites in the sites table's order, items numbered 1, 2, ...).

    Every rating must be for a measure item and a listed site, once; every site rates every item.
    """
    path = Path(path)
    ratings = read_table(path, "measure_ratings")
    known = set(items["code_id"])
    seen: dict[tuple[str, str], int] = {}
    for index, record in enumerate(ratings.to_dict("records")):
        row = index + 2
        if record["item"] not in known:
            raise InputError(path, f"item '{record['item']}' is not an Implementation Measure item", row=row,
                             field="item", expected=f"the code_id of one of the {len(items)} items, the themes at or "
                                                    f"above the synthesis threshold: {_listing(items)}")
        if record["site"] not in sites.index:
            raise InputError(path, f"site '{record['site']}' has no row (no attributes) in {sites_path}", row=row,
                             field="site", expected=f"a site of {sites_path} ({', '.join(sites.index)}), "
                                                    "or a row for it there")
        key = (record["site"], record["item"])
        if key in seen:
            raise InputError(path, f"site '{key[0]}' rates item '{key[1]}' twice (first at row {seen[key]})",
                             row=row, field="item", expected="one rating per site and item")
        seen[key] = row
    matrix = ratings.pivot(index="site", columns="item", values="rating") if len(ratings) else pd.DataFrame()
    for site, site_row in zip(sites.index, sites["row"]):
        if site not in matrix.index:
            raise InputError(sites_path, f"site '{site}' has no rating in {path}", row=site_row, field="site",
                             expected="a rating of every item by every listed site")
        missing = [code for code in items["code_id"] if code not in matrix.columns or pd.isna(matrix.at[site, code])]
        if missing:
            raise InputError(path, f"site '{site}' has no rating for item(s) {', '.join(missing)}", field="item",
                             expected=f"a rating of each of the {len(items)} items: {_listing(items)}")
    matrix = matrix.loc[list(sites.index), list(items["code_id"])].astype(int)
    matrix.columns.name, matrix.index.name = "code_id", "site"
    return matrix

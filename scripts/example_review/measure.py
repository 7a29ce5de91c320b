"""The Implementation Measure: the seed's six sites and their ratings of the eight items.

The ratings are found by a seeded local search for a site x item matrix whose sums hit the stated
targets below; evsynth computes the means from them (``evsynth.measure``), and the tests compare
those with the seed's Table 2 figures.
"""

from __future__ import annotations

from .common import csv_bytes, rng_for
from .seed import figures

FIGURES = figures()
SITES = FIGURES["sites"]
MEASURE_ITEMS = FIGURES["measure_items"]
SCALE = FIGURES["measure_scale"]
# Each site lead's initials (invented).
RATERS = {"Ulm": "KW", "Hamburg": "LS", "Kampala": "JN", "Dar es Salaam": "AM", "Beer Sheva": "RG", "Pune": "SP"}
# Targets: the lowest and highest sum of an item's six ratings (7/6 and 10/6), the items whose ratings
# span fewer than two points, and the rating sum of each validity group of the config (56/32, 13/16,
# 32/24 and 37/24 ratings): evsynth's means of these are the seed's (item_means, mean_item_score).
ITEM_SUMS = (7, 10)
NARROW_ITEMS = [number - 1 for number in FIGURES["item_means"]["narrow_range_items"]]
GROUP_SUMS = {  # label: (attribute of the site, its values, rating sum)
    "with PSW implementation experience": ("psw_experience", ("yes",), 56),
    "without PSW implementation experience": ("psw_experience", ("no",), 13),
    "in low and lower-middle income countries": ("income_group", ("low", "lower-middle"), 32),
    "in high income countries": ("income_group", ("high",), 37),
}
assert set(GROUP_SUMS) == set(FIGURES["mean_item_score"])


def solve_ratings(seed: int) -> list:
    """A seeded local search for ratings (sites in SITES order, items in MEASURE_ITEMS order) that
    meet every target."""
    rng = rng_for(seed, "measure")
    n_sites, n_items = len(SITES), len(MEASURE_ITEMS)
    lowest, highest = ITEM_SUMS
    experienced = [s["psw_experience"] == "yes" for s in SITES]
    groups = [([s[attribute] in values for s in SITES], target) for attribute, values, target in GROUP_SUMS.values()]

    def violations(r):
        item_sums = [sum(row[i] for row in r) for i in range(n_items)]
        v = sum(max(0, lowest - s) + max(0, s - highest) for s in item_sums)
        v += (lowest not in item_sums) + (highest not in item_sums)
        for i in range(n_items):
            span = max(row[i] for row in r) - min(row[i] for row in r)
            v += max(0, span - 1) if i in NARROW_ITEMS else max(0, 2 - span)
        return v + sum(abs(sum(sum(row) for row, x in zip(r, members) if x) - target) for members, target in groups)

    for _ in range(100):
        # Experienced sites start high, the others low.
        r = [[rng.randint(1, 3) if x else rng.randint(0, 1) for _ in range(n_items)] for x in experienced]
        current = violations(r)
        for _ in range(20000):
            if current == 0:
                return r
            s, i = rng.randrange(n_sites), rng.randrange(n_items)
            old = r[s][i]
            r[s][i] = min(SCALE["highest"], max(SCALE["lowest"], old + rng.choice([-1, 1])))
            candidate = violations(r)
            if candidate <= current or rng.random() < 0.01:
                current = candidate
            else:
                r[s][i] = old
    raise AssertionError("no ratings meet the Implementation Measure targets")


def sites_table() -> bytes:
    return csv_bytes(["site", "country", "income_group", "psw_experience"],
                     [[s["site"], s["country"], s["income_group"], s["psw_experience"]] for s in SITES])


def ratings_table(ratings: list) -> bytes:
    rows = [[site["site"], item, ratings[s][i], RATERS[site["site"]]] for s, site in enumerate(SITES)
            for i, item in enumerate(MEASURE_ITEMS)]
    return csv_bytes(["site", "item", "rating", "rater"], rows)

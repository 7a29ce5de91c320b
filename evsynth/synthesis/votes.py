"""Vote counting: how many units code each theme, its share, interval, rank and direction.

``vote_counts`` is the fast core (a column sum over a 0/1 matrix) that subgroup, sensitivity and
bootstrap analyses call many times; ``theme_strength`` adds what a published table needs.
The ranking rule lives only in ``rank_by_strength``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from evsynth.synthesis.codebook import Codebook

ROUNDING_RULES = ("half_up", "half_even")


@dataclass(frozen=True)
class CountRules:
    """How counts become the published figures (from config ``synthesis``)."""

    threshold: float = 0.10
    percent_decimals: int = 0
    rounding: str = "half_up"
    confidence: float = 0.95
    unclear_share: float = 0.5

    def describe_rounding(self) -> str:
        places = "a whole number" if self.percent_decimals == 0 else f"{self.percent_decimals} decimal place(s)"
        how = "halves rounded up" if self.rounding == "half_up" else "halves rounded to even"
        return f"percent = 100 x n / N, rounded to {places} ({how})"


def rank_by_strength(n: Sequence[int] | np.ndarray | pd.Series) -> np.ndarray | pd.Series:
    """Rank 1 = coded by most units; ties share the smallest rank of the tie (1, 2, 2, 4)."""
    values = np.asarray(n, dtype=float)
    ranks = stats.rankdata(-values, method="min").astype(int) if values.size else np.zeros(0, dtype=int)
    if isinstance(n, pd.Series):
        return pd.Series(ranks, index=n.index, name="rank")
    return ranks


def rank_labels(ranks: Sequence[int]) -> list[str]:
    """'3' for a rank held alone, '3=' for a rank shared by a tie."""
    ranks = [int(r) for r in ranks]
    shared = {r for r in ranks if ranks.count(r) > 1}
    return [f"{r}=" if r in shared else str(r) for r in ranks]


def round_percent(n, N, decimals: int = 0, rule: str = "half_up") -> np.ndarray:
    """100 n / N rounded exactly (integer arithmetic, so 12.5 is never 12.499999...)."""
    if rule not in ROUNDING_RULES:
        raise ValueError(f"rounding must be one of {ROUNDING_RULES}, not {rule!r}")
    n = np.asarray(n, dtype=np.int64)
    N = np.broadcast_to(np.asarray(N, dtype=np.int64), n.shape)
    scale = 10 ** int(decimals)
    safe = np.where(N > 0, N, 1)
    quotient, remainder = np.divmod(100 * scale * n, safe)
    up = (2 * remainder > safe) | ((2 * remainder == safe) & ((rule == "half_up") | (quotient % 2 == 1)))
    result = (quotient + up) / scale
    return np.where(N > 0, result, np.nan)


def wilson_interval(n, N, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of the proportion n / N (as proportions, 0 to 1)."""
    n = np.asarray(n, dtype=float)
    N = np.broadcast_to(np.asarray(N, dtype=float), n.shape)
    z = stats.norm.ppf(0.5 + confidence / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = n / N
        centre = (p + z * z / (2 * N)) / (1 + z * z / N)
        half = z / (1 + z * z / N) * np.sqrt(p * (1 - p) / N + z * z / (4 * N * N))
        low, high = np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)
    return np.where(N > 0, low, np.nan), np.where(N > 0, high, np.nan)


def vote_counts(matrix: pd.DataFrame, studies: Sequence | None = None, threshold: float = 0.10,
                rules: CountRules | None = None) -> pd.DataFrame:
    """n, N, proportion, percent, rank and flag for each column of a unit x theme 0/1 matrix.

    ``studies`` selects rows by unit id (repeats allowed, as in a bootstrap resample); by default all
    rows. Rank is over the matrix's columns, so pass the columns of one level (e.g. themes only).
    ``threshold`` is used when no ``rules`` are given (``rules`` carry their own threshold).
    """
    rules = rules or CountRules(threshold=threshold)
    values = matrix.to_numpy()
    if studies is not None:
        positions = matrix.index.get_indexer(list(studies))
        if (positions < 0).any():
            missing = [s for s, p in zip(studies, positions) if p < 0]
            raise KeyError(f"not in the matrix: {', '.join(map(str, missing[:5]))}")
        values = values[positions]
    n = (values > 0).sum(axis=0).astype(int)
    N = values.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        proportion = n / N if N else np.full(n.shape, np.nan)
    return pd.DataFrame({
        "n": n, "N": N, "proportion": proportion,
        "percent": round_percent(n, N, rules.percent_decimals, rules.rounding),
        "rank": rank_by_strength(n),
        "flagged": is_flagged(n, N, rules.threshold),
    }, index=pd.Index(matrix.columns, name="code_id"))


def is_flagged(n, N, threshold: float) -> np.ndarray:
    """Coded by at least ``threshold`` of the units (a tiny tolerance keeps 5/50 >= 0.10 exact)."""
    n = np.asarray(n, dtype=float)
    return (N > 0) & (n >= threshold * N - 1e-9)


def direction_label(n: int, n_facilitator: int, n_barrier: int, n_unclear: int, unclear_share: float) -> str:
    """A node's direction across units; 'unclear' when enough units give it no direction at all."""
    if n == 0:
        return ""
    if n_unclear / n >= unclear_share:
        return "unclear"
    if n_facilitator and n_barrier:
        return "both"
    return "facilitator" if n_facilitator else "barrier" if n_barrier else "unclear"


STRENGTH_COLUMNS = ["code_id", "theme", "level", "parent_id", "parent", "n", "N", "proportion", "percent",
                    "ci_low", "ci_high", "rank", "rank_label", "n_facilitator", "n_barrier", "n_unclear",
                    "direction", "flagged", "cfir_domains"]


def theme_strength(matrix: pd.DataFrame, directions: pd.DataFrame, codebook: Codebook,
                   rules: CountRules) -> pd.DataFrame:
    """The strength-of-theme table: a row per theme and subtheme, themes in rank order, each
    followed by its subthemes (ranked among their siblings). ``percent`` and the interval are in %.

    ``directions`` is ``matrix.direction_table`` over the same units; ``flagged`` marks themes
    coded by at least ``rules.threshold`` of the units (subthemes are never flagged).
    """
    counted = [node for node in codebook.counted_nodes() if node in matrix.columns]
    counts = vote_counts(matrix[counted], rules=rules)
    in_matrix = directions[directions["unit_id"].isin(matrix.index)]
    by_node = in_matrix.groupby("code_id")
    n_fac = by_node["n_facilitator"].apply(lambda s: int((s > 0).sum()))
    n_bar = by_node["n_barrier"].apply(lambda s: int((s > 0).sum()))
    n_unc = by_node["direction"].apply(lambda s: int((s == "unclear").sum()))
    low, high = wilson_interval(counts["n"], counts["N"], rules.confidence)
    ci_decimals = rules.percent_decimals + 1

    table = pd.DataFrame({
        "code_id": counted,
        "theme": [codebook.label(node) for node in counted],
        "level": [codebook.level(node) for node in counted],
        "parent_id": [codebook.parent(node) or "" for node in counted],
        "n": counts["n"].to_numpy(), "N": counts["N"].to_numpy(),
        "proportion": counts["proportion"].to_numpy(), "percent": counts["percent"].to_numpy(),
        "ci_low": np.round(100 * low, ci_decimals), "ci_high": np.round(100 * high, ci_decimals),
        "n_facilitator": [int(n_fac.get(node, 0)) for node in counted],
        "n_barrier": [int(n_bar.get(node, 0)) for node in counted],
        "n_unclear": [int(n_unc.get(node, 0)) for node in counted],
        "cfir_domains": [codebook.cfir_text(node) for node in counted],
    })
    table["parent"] = [codebook.label(p) if p else "" for p in table["parent_id"]]
    table["direction"] = [direction_label(*values, rules.unclear_share) for values in
                          table[["n", "n_facilitator", "n_barrier", "n_unclear"]].itertuples(index=False)]
    table["order"] = range(len(table))
    # Themes are ranked among themes, subthemes among the subthemes of the same theme.
    table["rank"] = 0
    table["rank_label"] = ""
    for _, group in table.groupby(["level", "parent_id"], sort=False):
        ranks = rank_by_strength(group["n"].to_numpy())
        table.loc[group.index, "rank"] = ranks
        table.loc[group.index, "rank_label"] = rank_labels(ranks)
    table["flagged"] = (table["level"] == "theme") & is_flagged(table["n"], table["N"], rules.threshold)

    themes = table[table["level"] == "theme"].sort_values(["rank", "order"], kind="stable")
    ordered = []
    for _, theme in themes.iterrows():
        ordered.append(theme.name)
        children = table[table["parent_id"] == theme["code_id"]].sort_values(["rank", "order"], kind="stable")
        ordered.extend(children.index)
    table = table.loc[ordered, STRENGTH_COLUMNS].reset_index(drop=True)
    if rules.percent_decimals == 0:
        table["percent"] = table["percent"].astype("Int64")
    return table

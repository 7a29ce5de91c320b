"""How a subset's ranking of themes compares with the full synthesis, and the verdict in one sentence.

Both rankings come from ``evsynth.synthesis.vote_counts`` over the same theme columns, so a theme no
study of the subset codes has n = 0 and shares the last rank; it counts as dropped. Kendall's tau-b
and Spearman's rho (scipy) compare the ranks of every theme the full synthesis found.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from evsynth.synthesis.votes import rank_labels

RANKING_COLUMNS = ["analysis", "code_id", "theme", "n", "N", "percent", "rank", "rank_label", "flagged",
                   "full_n", "full_percent", "full_rank", "rank_shift", "dropped", "threshold_change", "in_top_k"]


@dataclass
class Comparison:
    """One analysis against the full synthesis (``table``: a row per theme, in the subset's rank order)."""

    table: pd.DataFrame
    n_units: int
    dropped: list[str]
    rose: list[str]  # reached the threshold in the subset only
    fell: list[str]  # at or above it in the full synthesis only (dropped themes included)
    top_k: list[str]
    full_top_k: list[str]
    top_k_changed: bool
    same_order: bool
    kendall_tau_b: float
    kendall_p: float
    spearman_rho: float
    spearman_p: float

    @property
    def max_rank_shift(self) -> int:
        present = self.table[~self.table["dropped"]]
        return int(present["rank_shift"].abs().max()) if len(present) else 0


def rank_correlations(full_rank: Sequence[int], rank: Sequence[int]) -> tuple[float, float, float, float]:
    """Kendall's tau-b and Spearman's rho with their p-values; NaN when a ranking has no spread."""
    with warnings.catch_warnings():
        # A subset coding no theme gives constant ranks: the correlation is undefined, reported as NaN.
        warnings.simplefilter("ignore", category=RuntimeWarning)
        warnings.simplefilter("ignore", category=stats.ConstantInputWarning)
        tau = stats.kendalltau(full_rank, rank, variant="b")
        rho = stats.spearmanr(full_rank, rank)
    return float(tau.statistic), float(tau.pvalue), float(rho.statistic), float(rho.pvalue)


def top_themes(counts: pd.DataFrame, k: int) -> list[str]:
    """Themes ranked k or better (a tie at the k-th place brings all its themes), strongest first."""
    present = counts[(counts["n"] > 0) & (counts["rank"] <= k)]
    return list(present.sort_values("rank", kind="stable").index)


def compare(full: pd.DataFrame, subset: pd.DataFrame, labels: Mapping[str, str], top_k: int,
            analysis: str = "") -> Comparison:
    """Compare two ``vote_counts`` results over the same themes (index code_id)."""
    full = full[full["n"] > 0]  # a theme no unit codes is not part of the ranking being checked
    subset = subset.loc[full.index]
    dropped = [c for c in full.index if subset.at[c, "n"] == 0]
    rose = [c for c in full.index if subset.at[c, "flagged"] and not full.at[c, "flagged"]]
    fell = [c for c in full.index if full.at[c, "flagged"] and not subset.at[c, "flagged"]]
    top, full_top = top_themes(subset, top_k), top_themes(full, top_k)
    top_changed = [(c, subset.at[c, "rank"]) for c in top] != [(c, full.at[c, "rank"]) for c in full_top]
    n_units = int(subset["N"].iloc[0]) if len(subset) else 0
    if n_units:
        tau, tau_p, rho, rho_p = rank_correlations(full["rank"], subset["rank"])
    else:
        tau = tau_p = rho = rho_p = float("nan")

    order = subset.assign(_full=full["rank"]).sort_values(["rank", "_full"], kind="stable").index
    table = pd.DataFrame({
        "analysis": analysis, "code_id": list(order), "theme": [labels[c] for c in order],
        "n": subset.loc[order, "n"].to_numpy(), "N": subset.loc[order, "N"].to_numpy(),
        "percent": subset.loc[order, "percent"].to_numpy(), "rank": subset.loc[order, "rank"].to_numpy(),
        "rank_label": rank_labels(subset.loc[order, "rank"]) if n_units else [""] * len(order),
        "flagged": subset.loc[order, "flagged"].to_numpy(),
        "full_n": full.loc[order, "n"].to_numpy(), "full_percent": full.loc[order, "percent"].to_numpy(),
        "full_rank": full.loc[order, "rank"].to_numpy(),
    })
    # Positive: the theme moved up (a smaller rank number) in the subset.
    table["rank_shift"] = table["full_rank"] - table["rank"]
    table["dropped"] = table["code_id"].isin(dropped)
    table["threshold_change"] = np.select([table["code_id"].isin(rose), table["code_id"].isin(fell)],
                                          ["rose above", "fell below"], "")
    table["in_top_k"] = table["code_id"].isin(top)
    if not n_units:
        table[["rank", "rank_shift"]] = pd.NA
    same = bool(n_units) and not dropped and bool((subset["rank"] == full["rank"]).all())
    return Comparison(table=table[RANKING_COLUMNS], n_units=n_units, dropped=dropped, rose=rose, fell=fell,
                      top_k=top, full_top_k=full_top, top_k_changed=bool(top_changed), same_order=same,
                      kendall_tau_b=tau, kendall_p=tau_p, spearman_rho=rho, spearman_p=rho_p)


def _join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _ranked_names(codes: Sequence[str], counts: pd.DataFrame, labels: Mapping[str, str]) -> str:
    """Theme names, a shared rank marked as in published tables: 'Training (2=)'."""
    ranks = list(counts["rank"])
    names = []
    for code in codes:
        rank = counts.at[code, "rank"]
        names.append(f"{labels[code]} ({rank}=)" if ranks.count(rank) > 1 else labels[code])
    return _join(names)


def _themes(count: int) -> str:
    return f"{count} theme" if count == 1 else f"{count} themes"


def verdict(lead: str, comparison: Comparison, full: pd.DataFrame, subset: pd.DataFrame,
            labels: Mapping[str, str], threshold: float, top_k: int) -> str:
    """One plain sentence: what the subset keeps, drops and reorders, and tau-b."""
    c = comparison
    full = full[full["n"] > 0]
    percent = f"{threshold * 100:g}%"
    if not c.n_units:
        return f"{lead} leaves no study, so there is nothing to compare."
    tau = f"tau-b {c.kendall_tau_b:.2f}" if np.isfinite(c.kendall_tau_b) else "tau-b undefined"
    if c.same_order:
        return f"{lead} leaves the same {len(full)} themes in the same order, {tau}."

    n_flagged = int(full["flagged"].sum())
    strong = [d for d in c.dropped if full.at[d, "flagged"]]
    weak = [d for d in c.dropped if not full.at[d, "flagged"]]
    weak_text = f"{_themes(len(weak))} coded by fewer ({_join(labels[d] for d in weak)})"
    if not c.dropped:
        content = f"keeps all {len(full)} themes"
    elif strong:
        content = f"drops {_join(labels[d] for d in strong)} (of the {n_flagged} themes at or above {percent})"
        content += f" and {weak_text}" if weak else ""
    else:
        content = f"drops none of the {n_flagged} themes at or above {percent} but {weak_text}"
    parts = [content]
    rose = [labels[r] for r in c.rose]
    fell = [labels[f] for f in c.fell if f not in c.dropped]
    if fell:
        parts.append(f"{_join(fell)} {'falls' if len(fell) == 1 else 'fall'} below {percent}")
    if rose:
        parts.append(f"{_join(rose)} {'reaches' if len(rose) == 1 else 'reach'} {percent}")

    if not c.top_k_changed:
        order = f"the {top_k} strongest themes keep their places"
    else:
        first = [t for t in c.top_k if subset.at[t, "rank"] == 1]
        full_first = [t for t in c.full_top_k if full.at[t, "rank"] == 1]
        # A tie at the k-th place brings more than k themes into the top.
        which = f"the {top_k} strongest" if len(c.top_k) == top_k else f"the themes ranked {top_k} or better"
        order = f"{which} become {_ranked_names(c.top_k, subset, labels)}" \
                f" (were {_ranked_names(c.full_top_k, full, labels)})"
        if first == full_first:
            lead_theme = _join(labels[t] for t in first)
            order = f"{lead_theme} {'stays' if len(first) == 1 else 'stay'} the strongest and {order}"
    return f"{lead} {'; '.join(parts)}; {order}; {tau}."

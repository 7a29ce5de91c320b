"""Leave-one-study-out and the bootstrap over studies: how much each theme's rank depends on which
studies happen to be included.

Studies, not publications, are left out and resampled: the reports of one study stay together.
Every replicate is counted and ranked by ``evsynth.synthesis.vote_counts``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evsynth.robustness.compare import compare, rank_correlations
from evsynth.synthesis.votes import CountRules, vote_counts

LEAVE_ONE_OUT_COLUMNS = ["study_id", "citation", "n_studies", "n_units", "themes_dropped", "fell_below",
                         "rose_above", "top_k_changed", "top_k", "max_rank_shift", "kendall_tau_b", "spearman_rho"]
BOOTSTRAP_COLUMNS = ["code_id", "theme", "n", "rank", "flagged", "median_rank", "rank_low", "rank_high", "p_first",
                     "p_top_k", "p_flagged", "p_absent"]


def study_units(units: pd.DataFrame) -> dict[str, list[str]]:
    """Each study's counting units (one per report when publications are counted), in table order."""
    groups: dict[str, list[str]] = {}
    for unit_id, study_id in zip(units.index, units["study_id"]):
        groups.setdefault(str(study_id), []).append(unit_id)
    return groups


def leave_one_out(matrix: pd.DataFrame, units: pd.DataFrame, full: pd.DataFrame, labels: Mapping[str, str],
                  rules: CountRules, top_k: int) -> pd.DataFrame:
    """A row per study: the ranking without it, compared with the full synthesis."""
    groups = study_units(units)
    citation = dict(zip(units["study_id"].astype(str), units["citation"]))
    rows = []
    for study_id in groups:
        kept = [u for s, us in groups.items() if s != study_id for u in us]
        subset = vote_counts(matrix, kept, rules=rules)
        c = compare(full, subset, labels, top_k)
        rows.append({
            "study_id": study_id, "citation": citation[study_id], "n_studies": len(groups) - 1,
            "n_units": len(kept), "themes_dropped": "; ".join(labels[d] for d in c.dropped),
            "fell_below": "; ".join(labels[f] for f in c.fell), "rose_above": "; ".join(labels[r] for r in c.rose),
            "top_k_changed": c.top_k_changed, "top_k": "; ".join(labels[t] for t in c.top_k),
            "max_rank_shift": c.max_rank_shift, "kendall_tau_b": round(c.kendall_tau_b, 4),
            "spearman_rho": round(c.spearman_rho, 4),
        })
    return pd.DataFrame(rows, columns=LEAVE_ONE_OUT_COLUMNS)


@dataclass
class Bootstrap:
    """Ranks and flags of every replicate (replicates x themes) and the ranking they are compared with."""

    ranks: np.ndarray
    flagged: np.ndarray
    absent: np.ndarray
    kendall_tau_b: np.ndarray
    spearman_rho: np.ndarray
    themes: list[str]
    n_studies: int
    seed: int

    @property
    def replicates(self) -> int:
        return self.ranks.shape[0]


def bootstrap(matrix: pd.DataFrame, units: pd.DataFrame, full: pd.DataFrame, rules: CountRules,
              replicates: int, seed: int) -> Bootstrap:
    """Resample the studies with replacement ``replicates`` times (numpy default_rng(seed))."""
    groups = list(study_units(units).values())
    single = all(len(g) == 1 for g in groups)
    unit_of = np.array([g[0] for g in groups], dtype=object)
    present = list(full.index[full["n"] > 0])
    full_rank = full.loc[present, "rank"].to_numpy()
    rng = np.random.default_rng(seed)
    ranks = np.zeros((replicates, len(present)), dtype=int)
    flagged = np.zeros((replicates, len(present)), dtype=bool)
    absent = np.zeros((replicates, len(present)), dtype=bool)
    taus, rhos = np.zeros(replicates), np.zeros(replicates)
    for r in range(replicates):
        drawn = rng.integers(0, len(groups), size=len(groups))
        chosen = unit_of[drawn] if single else [u for i in drawn for u in groups[i]]
        counts = vote_counts(matrix[present], chosen, rules=rules)
        ranks[r], flagged[r], absent[r] = counts["rank"], counts["flagged"], counts["n"] == 0
        taus[r], _, rhos[r], _ = rank_correlations(full_rank, ranks[r])
    return Bootstrap(ranks=ranks, flagged=flagged, absent=absent, kendall_tau_b=taus, spearman_rho=rhos,
                     themes=present, n_studies=len(groups), seed=seed)


def empirical_interval(values: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of each column, as values actually observed (the empirical quantile)."""
    alpha = (1 - confidence) / 2
    return (np.quantile(values, alpha, axis=0, method="inverted_cdf"),
            np.quantile(values, 1 - alpha, axis=0, method="inverted_cdf"))


def bootstrap_table(result: Bootstrap, full: pd.DataFrame, labels: Mapping[str, str], top_k: int,
                    confidence: float) -> pd.DataFrame:
    """A row per theme: its rank in the full synthesis, median rank, rank interval and probabilities."""
    low, high = empirical_interval(result.ranks, confidence)
    table = pd.DataFrame({
        "code_id": result.themes, "theme": [labels[c] for c in result.themes],
        "n": full.loc[result.themes, "n"].to_numpy(), "rank": full.loc[result.themes, "rank"].to_numpy(),
        "flagged": full.loc[result.themes, "flagged"].to_numpy(),
        "median_rank": np.median(result.ranks, axis=0), "rank_low": low.astype(int), "rank_high": high.astype(int),
        "p_first": (result.ranks == 1).mean(axis=0).round(4),
        "p_top_k": (result.ranks <= top_k).mean(axis=0).round(4),
        "p_flagged": result.flagged.mean(axis=0).round(4),
        "p_absent": result.absent.mean(axis=0).round(4),
    })
    return table.sort_values("rank", kind="stable")[BOOTSTRAP_COLUMNS].reset_index(drop=True)


def percent_text(share: float) -> str:
    return f"{round(100 * share):d}%"


def bootstrap_verdict(result: Bootstrap, table: pd.DataFrame, threshold: float, top_k: int,
                      confidence: float) -> str:
    """One sentence: agreement of the resampled rankings with the full one and the stability of its top."""
    taus = result.kendall_tau_b[np.isfinite(result.kendall_tau_b)]
    low, high = empirical_interval(taus, confidence) if taus.size else (np.nan, np.nan)
    level = f"{confidence * 100:g}%"
    percent = f"{threshold * 100:g}%"
    first = table[table["rank"] == 1]
    top = table[table["rank"] <= top_k]
    flagged = table[table["flagged"]]
    stable = int((flagged["p_flagged"] >= confidence).sum())
    return (f"{result.replicates} bootstrap resamples of the {result.n_studies} studies (seed {result.seed}) give "
            f"a median tau-b of {np.median(taus):.2f} ({level} interval {low:.2f} to {high:.2f}) against the full "
            f"ranking; {' and '.join(first['theme'])} {'ranks' if len(first) == 1 else 'rank'} first in "
            f"{' and '.join(percent_text(p) for p in first['p_first'])} of them; the {top_k} strongest "
            f"({', '.join(top['theme'])}) stay in the top {top_k} in "
            f"{', '.join(percent_text(p) for p in top['p_top_k'])} of them; "
            f"{stable} of the {len(flagged)} themes at or above {percent} stay there in at least {level} of them.")


def _ids(ids: Sequence[str], most: int = 5) -> str:
    ids = list(ids)
    return ", ".join(ids) if len(ids) <= most else ", ".join(ids[:most]) + f" and {len(ids) - most} more"


def leave_one_out_verdict(table: pd.DataFrame, threshold: float, top_k: int) -> str:
    """One sentence: in how many of the leave-one-out analyses the top, the threshold or the themes change."""
    total = len(table)
    percent = f"{threshold * 100:g}%"
    top = table[table["top_k_changed"]]
    crossing = table[(table["fell_below"] != "") | (table["rose_above"] != "")]
    dropping = table[table["themes_dropped"] != ""]
    parts = [f"the {top_k} strongest themes change in {len(top)} of the {total} analyses (without {_ids(top['study_id'])})"
             if len(top) else f"the {top_k} strongest themes never change",
             f"a theme crosses the {percent} threshold in {len(crossing)} (without {_ids(crossing['study_id'])})"
             if len(crossing) else f"no theme crosses the {percent} threshold",
             f"a theme coded by that study alone drops out in {len(dropping)} (without {_ids(dropping['study_id'])})"
             if len(dropping) else "no theme drops out"]
    worst = table.loc[table["kendall_tau_b"].idxmin()] if total else None
    tau = f"tau-b is at least {worst['kendall_tau_b']:.2f} (without {worst['study_id']})" if total else ""
    return f"Leaving out each of the {total} studies in turn, {', '.join(parts)}; {tau}."

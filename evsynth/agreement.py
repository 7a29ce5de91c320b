"""Agreement between two raters: percent agreement, Cohen's kappa, Gwet's AC1, PABAK, and the
prevalence and bias indices.

The standard errors and 95% intervals follow Gwet's formulas for a two-rater contingency table as
implemented in his R package irrCAC (``pa2.table``, ``kappa2.table``, ``gwet.ac1.table`` and
``bp2.table``, unweighted, no finite-population correction): a t distribution with n - 1 degrees of
freedom, the upper bound capped at 1. PABAK equals the Brennan-Prediger coefficient with identity
weights, so its interval is Brennan-Prediger's. Written here because no well-kept Python library
gives these intervals (statsmodels' kappa uses another variance and has no AC1).

Why more than kappa: when one category is rare (screening includes a few per cent of records) kappa
can be near zero at 95% agreement (Feinstein and Cicchetti's "paradox"); AC1, PABAK and the
prevalence index show the reader why.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

STATISTICS = ("percent_agreement", "cohen_kappa", "gwet_ac1", "pabak", "prevalence_index", "bias_index")
COLUMNS = ["statistic", "value", "ci_low", "ci_high", "n"]
CONFIDENCE = 0.95


def contingency_table(rater_a: Sequence, rater_b: Sequence, categories: Sequence | None = None) -> pd.DataFrame:
    """k x k counts: rows are rater A's category, columns rater B's, in ``categories`` order."""
    labels_a, labels_b = list(rater_a), list(rater_b)
    if len(labels_a) != len(labels_b):
        raise ValueError(f"the two raters rated different numbers of subjects "
                         f"({len(labels_a)} and {len(labels_b)}); expected one pair of ratings per subject")
    for label in labels_a + labels_b:
        if label is None or (isinstance(label, float) and np.isnan(label)):
            raise ValueError("a rating is missing; expected a category for every subject from both raters")
    if categories is None:
        categories = sorted(set(labels_a) | set(labels_b), key=str)
    categories = list(categories)
    if len(set(categories)) != len(categories):
        raise ValueError(f"categories {categories} name a category twice")
    position = {category: index for index, category in enumerate(categories)}
    unknown = sorted({str(label) for label in labels_a + labels_b if label not in position})
    if unknown:
        raise ValueError(f"rating(s) {', '.join(unknown)} are not among the categories "
                         f"{', '.join(map(str, categories))}")
    counts = np.zeros((len(categories), len(categories)), dtype=int)
    for a, b in zip(labels_a, labels_b):
        counts[position[a], position[b]] += 1
    return pd.DataFrame(counts, index=pd.Index(categories, name="rater_a"),
                        columns=pd.Index(categories, name="rater_b"))


def agreement_from_ratings(rater_a: Sequence, rater_b: Sequence,
                           categories: Sequence | None = None) -> pd.DataFrame:
    """Agreement statistics from two equal-length sequences of labels (one pair per subject).

    ``categories`` fixes the label order (the first is the "positive" category of the 2 x 2
    prevalence and bias indices) and may list categories nobody used; default: the sorted union.
    """
    return agreement_from_table(contingency_table(rater_a, rater_b, categories))


def _interval(value: float, variance: float, n: float) -> tuple[float, float]:
    """irrCAC's interval: value +/- t(n-1) * se, upper bound capped at 1, none below two subjects."""
    if n < 2 or not np.isfinite(value):
        return float("nan"), float("nan")
    # irrCAC floors the variance so that a perfect table still has a (zero-width) interval.
    stderr = np.sqrt(max(variance, 1e-100))
    half = stderr * stats.t.ppf(1 - (1 - CONFIDENCE) / 2, n - 1)
    return float(value - half), float(min(1.0, value + half))


def agreement_from_table(table, categories: Sequence | None = None) -> pd.DataFrame:
    """Agreement statistics from a k x k count matrix (rows rater A, columns rater B).

    ``table`` is an array-like or a DataFrame; with ``categories`` a DataFrame is reordered to
    them (rows and columns), otherwise its order is kept.
    """
    coefficients, n = coefficients_with_variances(table, categories)
    rows = []
    for name in STATISTICS:
        value, variance = coefficients[name]
        low, high = _interval(value, variance, n) if np.isfinite(variance) else (float("nan"),) * 2
        rows.append((name, float(value), low, high, int(n)))
    return pd.DataFrame(rows, columns=COLUMNS)


def coefficients_with_variances(table, categories: Sequence | None = None
                                ) -> tuple[dict[str, tuple[float, float]], float]:
    """``{statistic: (value, variance)}`` and n; the variance is NaN where none is defined."""
    if isinstance(table, pd.DataFrame) and categories is not None:
        table = table.reindex(index=list(categories), columns=list(categories), fill_value=0)
    counts = np.asarray(table, dtype=float)
    if counts.ndim != 2 or counts.shape[0] != counts.shape[1] or counts.shape[0] < 2:
        raise ValueError(f"the agreement table has shape {counts.shape}; expected a square k x k "
                         "table of counts with k >= 2 categories")
    if categories is not None and len(list(categories)) != counts.shape[0]:
        raise ValueError(f"{len(list(categories))} categories given for a {counts.shape[0]} x "
                         f"{counts.shape[0]} table")
    if np.any(counts < 0) or np.any(counts != np.round(counts)):
        raise ValueError("the agreement table holds a negative or fractional count; expected counts")
    n = float(counts.sum())
    if n == 0:
        raise ValueError("the agreement table is empty; expected at least one subject rated by both raters")
    q = counts.shape[0]
    p = counts / n
    row, col = p.sum(axis=1), p.sum(axis=0)
    identity = np.eye(q)
    pa = float(np.trace(p))

    # Percent agreement (pa2.table): var = (sum p_kk - pa^2) / n.
    pa_var = (pa - pa**2) / n

    # Cohen's kappa (kappa2.table).
    pe_kappa = float(row @ col)
    if pe_kappa < 1:
        kappa = (pa - pe_kappa) / (1 - pe_kappa)
        # irrCAC's pb.k[k] is column k's margin and pbl.[l] row l's margin (identity weights).
        weights_term = identity - (1 - kappa) * (col[:, np.newaxis] + row[np.newaxis, :])
        sum1 = float((p * weights_term**2).sum())
        kappa_var = (sum1 - (pa - 2 * (1 - kappa) * pe_kappa) ** 2) / (n * (1 - pe_kappa) ** 2)
    else:
        # Both raters used one single category: chance agreement is 1 and kappa is undefined.
        kappa, kappa_var = float("nan"), float("nan")

    # Gwet's AC1 (gwet.ac1.table).
    pi = (row + col) / 2
    pe_ac1 = float((pi * (1 - pi)).sum() / (q - 1))
    ac1 = (pa - pe_ac1) / (1 - pe_ac1)
    ac1_term = identity - 2 * (1 - ac1) * (1 - (pi[:, np.newaxis] + pi[np.newaxis, :]) / 2) / (q - 1)
    sum1 = float((p * ac1_term**2).sum())
    ac1_var = (sum1 - (pa - 2 * (1 - ac1) * pe_ac1) ** 2) / (n * (1 - pe_ac1) ** 2)

    # PABAK = Brennan-Prediger with identity weights (bp2.table): chance agreement 1/q.
    pe_bp = 1 / q
    pabak = (pa - pe_bp) / (1 - pe_bp)
    pabak_var = (pa - pa**2) / (n * (1 - pe_bp) ** 2)

    if q == 2:
        # Byrt, Bishop and Carlin (1993), with the first category as "positive".
        prevalence = float((counts[0, 0] - counts[1, 1]) / n)
        bias = float((counts[0, 1] - counts[1, 0]) / n)
    else:
        prevalence = bias = float("nan")

    nan = float("nan")
    return {
        "percent_agreement": (pa, pa_var),
        "cohen_kappa": (kappa, kappa_var),
        "gwet_ac1": (ac1, ac1_var),
        "pabak": (pabak, pabak_var),
        "prevalence_index": (prevalence, nan),
        "bias_index": (bias, nan),
    }, n

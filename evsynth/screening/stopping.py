"""When may screening stop? The hypergeometric test of Callaghan & Müller-Hansen (2020).

Callaghan MW, Müller-Hansen F. Statistical stopping criteria for automated screening in systematic
reviews. Systematic Reviews 2020;9:273. doi:10.1186/s13643-020-01521-4

After screening the top of the ranked list, the reviewer screens records drawn uniformly at random
from those not yet screened (the "urn" of N_urn records). Having drawn n records and found k
includes among them, with r_al includes found before the draws began and r = r_al + k in all, the
null hypothesis "recall is below the target tau" holds only if the urn held at least

    K_tar = floor(r / tau - r_al + 1)

includes. The chance of finding k or fewer in n draws from such an urn is hypergeom.cdf(k, N_urn,
K_tar, n) (it only falls as the urn holds more); when it is below 1 - confidence (0.05), the
hypothesis is rejected and screening may stop: recall is at least the target with that confidence.
The guarantee needs the draws to be random: records read from the top of a ranking do not count
as a sample (they are far likelier to be includes than the rest).

Many looks. The paper's workflow computes the test as each randomly drawn record is screened and stops
at the first p-value below 1 - confidence. Each single test is exact, but the first of many looks
is not: over all the draws the chance of stopping with recall below the target exceeds 1 -
confidence (up to 6.3% instead of 5% for an urn of 1,000 with 90 includes found before sampling;
the benchmarks fell to 94% of runs). So the p-value is compared with a threshold
(``sequential_threshold``) set before the first draw, from the urn's size and the includes found
before it: the largest threshold for which, whatever number of includes the urn holds, the exact
chance that the test ever stops with recall below the target (the draws followed as a Markov
chain of (records drawn, includes found)) is at most 1 - confidence. Looking less often (after
each batch rather than each draw) can only stop later, at a recall as high or higher, so the
promise holds for any schedule of looks.

The estimate of the includes still unscreened comes from the same sample: the urn's includes are
estimated as k N_urn / n, with an exact 95% interval from inverting the hypergeometric test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np
from scipy.stats import hypergeom

from evsynth.errors import InputError


@dataclass(frozen=True)
class StoppingEstimate:
    records: int  # all records to screen
    records_screened: int  # by ranking and by the random sample
    includes_found: int
    sample_size: int  # records drawn at random from the urn so far (n)
    sample_includes: int  # includes among them (k)
    remaining_estimate: float  # includes estimated still unscreened (NaN before any draw)
    remaining_low: int  # 95% interval of that estimate (see ``interval_confidence``)
    remaining_high: int
    p_value: float  # chance of so few includes in the sample if recall were below the target
    p_threshold: float  # the p-value must fall below this (1 - confidence, lowered for the many looks)
    target_recall: float
    confidence: float
    criterion_met: bool

    def as_rows(self, prefix: str = "stopping_") -> list[tuple[str, object]]:
        """(key, value) pairs for a status table."""
        return [(prefix + key, value) for key, value in asdict(self).items()]


def _check(name: str, value: float, low: float, high: float) -> None:
    if not (isinstance(value, (int, float)) and not isinstance(value, bool) and low < value < high):
        raise InputError("stopping settings", f"{name} is {value!r}", field=name,
                         expected=f"a number between {low} and {high} (exclusive)")


def includes_needed_for_null(includes_before, includes_total, target_recall: float):
    """K_tar: the fewest includes the urn must hold for recall to be below the target (numbers or
    numpy arrays of counts)."""
    # Integer arithmetic on tau = p / q: r / tau in floating point can land a hair below an integer.
    tau = Fraction(str(target_recall))
    return (np.asarray(includes_total) * tau.denominator) // tau.numerator - np.asarray(includes_before) + 1


def _p_values(urn: int, includes_before: int, sizes, hits, target_recall: float) -> np.ndarray:
    """The test's p-value after ``sizes`` draws with ``hits`` includes among them (arrays alike)."""
    sizes, hits = np.broadcast_arrays(np.asarray(sizes), np.asarray(hits))
    needed = includes_needed_for_null(includes_before, includes_before + hits, target_recall)
    # An urn too small to hold K_tar includes beside the excludes drawn cannot hide them.
    possible = urn - (sizes - hits)
    return np.where(needed > possible, 0.0, hypergeom.cdf(hits, urn, np.minimum(needed, urn), sizes))


def first_stopping_draws(urn: int, includes_before: int, levels: np.ndarray, threshold: float,
                         target_recall: float) -> np.ndarray:
    """For each count of includes in the sample (``levels``), the fewest draws after which the test
    stops (its p-value below ``threshold``); ``urn + 1`` where it never does. The p-value only falls
    as more records are drawn with no more includes, so one bisection per level finds it (all
    levels at once)."""
    levels = np.asarray(levels, dtype=np.int64)
    low = np.maximum(levels, 1)  # candidate draws: at least as many as the includes among them
    high = np.full(len(levels), urn + 1, dtype=np.int64)  # urn + 1: "never"
    low = np.minimum(low, high)
    while (low < high).any():
        middle = (low + high) // 2
        stops = _p_values(urn, includes_before, np.minimum(middle, urn), np.minimum(levels, middle),
                          target_recall) < threshold
        stops &= middle <= urn
        high = np.where(stops & (low < high), middle, high)
        low = np.where(~stops & (low < high), middle + 1, low)
    return high


def failure_probability(urn: int, includes_before: int, urn_includes: Sequence[int], first_stop: np.ndarray,
                        target_recall: float) -> np.ndarray:
    """Exact chance, for each count K of includes in the urn, that drawing the urn in random order and
    testing after every draw stops with recall below the target. ``first_stop[k]``: the draws after
    which a sample with k includes stops (``first_stopping_draws``).

    The draws are a Markov chain of (records drawn n, includes found k): the next is an include with
    chance (K - k) / (urn - n). Once k is past the last count at which recall is still below the
    target, the run can only end well, so that probability mass is dropped.
    """
    tau = Fraction(str(target_recall))
    counts = np.asarray(urn_includes, dtype=np.int64)
    # failing levels: (r_al + k) / (r_al + K) < tau  <=>  (r_al + k) q < p (r_al + K)
    last_failing = -(-(tau.numerator * (includes_before + counts)) // tau.denominator) - 1 - includes_before
    width = int(max(last_failing.max(), -1)) + 1
    failure = np.zeros(len(counts))
    if width == 0:
        return failure
    first_stop = np.asarray(first_stop)[:width]
    levels = np.arange(width)
    alive = levels[None, :] <= np.minimum(last_failing, counts)[:, None]
    start = int(first_stop.min())
    if start > urn:
        return failure
    # Before the first draw that can stop, the includes found follow the hypergeometric law.
    mass = np.where(alive, hypergeom.pmf(levels[None, :], urn, counts[:, None], start), 0.0)
    left = (counts[:, None] - levels[None, :]).astype(float)
    for drawn in range(start, urn + 1):
        stopping = alive & (first_stop <= drawn)[None, :]
        failure += (mass * stopping).sum(axis=1)
        mass[stopping] = 0.0
        if drawn == urn:
            break
        found = mass * left / (urn - drawn)
        mass -= found
        mass[:, 1:] += found[:, :-1]
        mass[~alive] = 0.0
    return failure


def _urn_counts_checked(urn: int, includes_before: int, target_recall: float) -> np.ndarray:
    """The urn counts K at which the chance of stopping too early is computed: every K from the
    smallest that makes recall fall below the target (no include in the sample) to 60 above it,
    then every 15th to 300 above it (the chance is largest for the first few; further on it stays
    at about the single test's size)."""
    smallest = int(includes_needed_for_null(includes_before, includes_before, target_recall))
    counts = list(range(smallest, smallest + 61)) + list(range(smallest + 75, smallest + 301, 15))
    return np.array([k for k in counts if k <= urn], dtype=np.int64)


@lru_cache(maxsize=512)
def sequential_threshold(urn: int, includes_before: int, target_recall: float = 0.95,
                         confidence: float = 0.95) -> float:
    """The p-value threshold for testing after every random draw from an urn of ``urn`` records,
    ``includes_before`` includes found before sampling began: the largest (to 1/256 of 1 -
    confidence) for which the exact chance of stopping with recall below the target is at most 1 -
    confidence for every urn count checked (``_urn_counts_checked``). A smaller threshold only stops
    later, at a recall as high or higher, so the chance falls as the threshold does."""
    alpha = 1 - confidence
    counts = _urn_counts_checked(urn, includes_before, target_recall)
    if urn == 0 or not len(counts):
        return alpha
    levels = np.arange(int(counts.max()) + 1)

    def worst(threshold: float) -> float:
        stops = first_stopping_draws(urn, includes_before, levels, threshold, target_recall)
        return float(failure_probability(urn, includes_before, counts, stops, target_recall).max())

    if worst(alpha) <= alpha:
        return alpha
    low, high = 0.0, alpha
    for _ in range(8):
        middle = (low + high) / 2
        low, high = (middle, high) if worst(middle) <= alpha else (low, middle)
    return low


def urn_interval(urn: int, sample: int, hits: int, confidence: float = 0.95) -> tuple[int, int]:
    """Exact interval for the includes in an urn of ``urn`` records, ``hits`` found in ``sample`` draws:
    every K not rejected by either one-sided hypergeometric test at (1 - confidence) / 2."""
    alpha = (1 - confidence) / 2
    k_values = np.arange(hits, urn - (sample - hits) + 1)
    upper_tail = hypergeom.sf(hits - 1, urn, k_values, sample)  # P(X >= hits | K)
    lower_tail = hypergeom.cdf(hits, urn, k_values, sample)  # P(X <= hits | K)
    plausible = k_values[(upper_tail > alpha) & (lower_tail > alpha)]
    return int(plausible.min()), int(plausible.max())


def hypergeometric_stopping(records: int, screened_before_sample: int, includes_before_sample: int,
                            sample_size: int, sample_includes: int, target_recall: float = 0.95,
                            confidence: float = 0.95) -> StoppingEstimate:
    """The stopping test and the estimate of includes remaining, from the counts of a review.

    ``screened_before_sample`` records (``includes_before_sample`` includes among them) were screened
    before random sampling began; then ``sample_size`` records were drawn at random from the other
    ``records - screened_before_sample``, ``sample_includes`` of them includes.
    """
    _check("target_recall", target_recall, 0, 1)
    _check("confidence", confidence, 0, 1)
    counts = {"records": records, "screened_before_sample": screened_before_sample,
              "includes_before_sample": includes_before_sample, "sample_size": sample_size,
              "sample_includes": sample_includes}
    for name, value in counts.items():
        if not isinstance(value, (int, np.integer)) or value < 0:
            raise InputError("stopping counts", f"{name} is {value!r}", field=name, expected="a whole number >= 0")
    urn = records - screened_before_sample
    if urn < 0 or includes_before_sample > screened_before_sample or sample_size > urn \
            or sample_includes > sample_size:
        raise InputError("stopping counts", f"inconsistent counts {counts}", field="sample_size",
                         expected="includes <= screened records, sample <= records not screened before it")
    found = includes_before_sample + sample_includes
    screened = screened_before_sample + sample_size
    if urn == 0 or sample_size == urn:  # everything screened: nothing can remain
        return StoppingEstimate(records, screened, found, sample_size, sample_includes, 0.0, 0, 0, 0.0,
                                1 - confidence, target_recall, confidence, True)
    threshold = sequential_threshold(urn, includes_before_sample, target_recall, confidence)
    if sample_size == 0:
        return StoppingEstimate(records, screened, found, 0, 0, math.nan, 0, urn, 1.0, threshold, target_recall,
                                confidence, False)
    p_value = float(_p_values(urn, includes_before_sample, sample_size, sample_includes, target_recall))
    low, high = urn_interval(urn, sample_size, sample_includes, confidence)
    estimate = sample_includes * urn / sample_size - sample_includes
    return StoppingEstimate(records, screened, found, sample_size, sample_includes, round(estimate, 6),
                            low - sample_includes, high - sample_includes, round(p_value, 12), threshold,
                            target_recall, confidence, p_value < threshold)


def stop_by_random_sampling(labels: np.ndarray, screened: Sequence[int], rng: np.random.Generator,
                            target_recall: float = 0.95, confidence: float = 0.95) -> tuple[int, StoppingEstimate]:
    """Replay the sampling phase on labelled data: draw the unscreened records in random order, test
    after each draw against ``sequential_threshold``, stop at the first rejection. Returns (records
    screened at the stop, the estimate)."""
    labels = np.asarray(labels, dtype=int)
    screened = np.asarray(screened, dtype=int)
    before = len(screened)
    includes_before = int(labels[screened].sum())
    mask = np.ones(len(labels), dtype=bool)
    mask[screened] = False
    draws = labels[rng.permutation(np.flatnonzero(mask))]
    hits = np.cumsum(draws)
    # The p-value needs only the counts, so it is computed for every sample size at once.
    urn = len(draws)
    sizes = np.arange(1, urn + 1)
    p_values = _p_values(urn, includes_before, sizes, hits, target_recall) if urn else np.array([])
    met = np.flatnonzero(p_values < sequential_threshold(urn, includes_before, target_recall, confidence))
    n = int(met[0]) + 1 if len(met) else urn
    estimate = hypergeometric_stopping(len(labels), before, includes_before, n, int(hits[n - 1]) if n else 0,
                                       target_recall, confidence)
    return before + n, estimate

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

The estimate of the includes still unscreened comes from the same sample: the urn's includes are
estimated as k N_urn / n, with an exact 95% interval from inverting the hypergeometric test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

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
    from fractions import Fraction

    tau = Fraction(str(target_recall))
    return (np.asarray(includes_total) * tau.denominator) // tau.numerator - np.asarray(includes_before) + 1


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
                                target_recall, confidence, True)
    if sample_size == 0:
        return StoppingEstimate(records, screened, found, 0, 0, math.nan, 0, urn, 1.0, target_recall,
                                confidence, False)
    needed = int(includes_needed_for_null(includes_before_sample, found, target_recall))
    # An urn too small to hold K_tar includes (beyond the non-includes already drawn from it) cannot
    # make recall fall below the target.
    possible = urn - (sample_size - sample_includes)
    p_value = 0.0 if needed > possible else float(hypergeom.cdf(sample_includes, urn, needed, sample_size))
    low, high = urn_interval(urn, sample_size, sample_includes, confidence)
    estimate = sample_includes * urn / sample_size - sample_includes
    return StoppingEstimate(records, screened, found, sample_size, sample_includes, round(estimate, 6),
                            low - sample_includes, high - sample_includes, round(p_value, 12), target_recall,
                            confidence, p_value < 1 - confidence)


def stop_by_random_sampling(labels: np.ndarray, screened: Sequence[int], rng: np.random.Generator,
                            target_recall: float = 0.95, confidence: float = 0.95) -> tuple[int, StoppingEstimate]:
    """Replay the sampling phase on labelled data: draw the unscreened records in random order, test
    after each, stop at the first rejection. Returns (records screened at the stop, the estimate)."""
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
    needed = includes_needed_for_null(includes_before, includes_before + hits, target_recall)
    possible = urn - (sizes - hits)
    p_values = np.where(needed > possible, 0.0,
                        hypergeom.cdf(hits, urn, np.minimum(needed, urn), sizes)) if urn else np.array([])
    met = np.flatnonzero(p_values < 1 - confidence)
    n = int(met[0]) + 1 if len(met) else urn
    estimate = hypergeometric_stopping(len(labels), before, includes_before, n, int(hits[n - 1]) if n else 0,
                                       target_recall, confidence)
    return before + n, estimate

"""The hypergeometric stopping test (Callaghan & Müller-Hansen 2020) on counts checkable by hand."""

import math

import numpy as np
import pytest
from scipy.stats import hypergeom

from evsynth.errors import InputError
from evsynth.screening.stopping import (
    failure_probability,
    first_stopping_draws,
    hypergeometric_stopping,
    includes_needed_for_null,
    sequential_threshold,
    stop_by_random_sampling,
    urn_interval,
)


def test_includes_needed_for_the_null_hypothesis():
    # 95 found before sampling, none in the sample: recall < 95% needs more than 95 / 0.95 - 95 = 5
    # includes in the urn, so K_tar = 6. 19 / 0.95 is exactly 20: K_tar = 20 - 19 + 1 = 2.
    assert includes_needed_for_null(95, 95, 0.95) == 6
    assert includes_needed_for_null(19, 19, 0.95) == 2
    # 40 before, 2 of them in the sample (r = 42): floor(42 / 0.9 - 40 + 1) = floor(7.67) = 7.
    assert includes_needed_for_null(40, 42, 0.9) == 7


def test_no_include_in_a_small_sample_is_not_enough():
    # 1000 records, 600 screened by ranking (95 includes), then 100 drawn from the other 400, none an
    # include. If the urn held 6 includes, 100 draws miss all of them with probability
    # (300 * 299 * ... * 295) / (400 * 399 * ... * 395) = 0.176 > 0.05: keep screening.
    estimate = hypergeometric_stopping(1000, 600, 95, 100, 0)
    by_hand = np.prod([(300 - i) / (400 - i) for i in range(6)])
    assert estimate.p_value == pytest.approx(by_hand) and round(by_hand, 3) == 0.176
    assert not estimate.criterion_met
    assert estimate.records_screened == 700 and estimate.includes_found == 95
    assert estimate.remaining_estimate == 0
    # Interval: the largest urn count K with P(no include in 100 draws) > 0.025 is 12.
    assert (estimate.remaining_low, estimate.remaining_high) == (0, 12)
    assert hypergeom.pmf(0, 400, 12, 100) > 0.025 > hypergeom.pmf(0, 400, 13, 100)


def test_no_include_in_a_large_sample_stops():
    # 300 of the 400 drawn, none an include: (100 * 99 * ... * 95) / (400 * ... * 395) = 0.0002.
    estimate = hypergeometric_stopping(1000, 600, 95, 300, 0)
    assert estimate.p_value == pytest.approx(np.prod([(100 - i) / (400 - i) for i in range(6)]))
    assert estimate.criterion_met and estimate.records_screened == 900


def test_includes_in_the_sample_estimate_what_remains():
    # 2 includes in 100 of 400: the urn holds about 2 * 400 / 100 = 8, so 6 remain unscreened.
    estimate = hypergeometric_stopping(1000, 600, 95, 100, 2)
    assert estimate.remaining_estimate == 6
    assert estimate.includes_found == 97
    needed = math.floor(97 / 0.95 - 95 + 1)  # 8
    assert estimate.p_value == pytest.approx(hypergeom.cdf(2, 400, needed, 100))
    assert not estimate.criterion_met
    low, high = urn_interval(400, 100, 2)
    assert (estimate.remaining_low, estimate.remaining_high) == (low - 2, high - 2)
    assert hypergeom.sf(1, 400, low, 100) > 0.025 >= hypergeom.sf(1, 400, low - 1, 100)
    assert hypergeom.cdf(2, 400, high, 100) > 0.025 >= hypergeom.cdf(2, 400, high + 1, 100)


def test_nothing_left_and_nothing_sampled():
    everything = hypergeometric_stopping(50, 50, 3, 0, 0)
    assert everything.criterion_met and everything.remaining_high == 0
    before_sampling = hypergeometric_stopping(50, 20, 3, 0, 0)
    assert not before_sampling.criterion_met and math.isnan(before_sampling.remaining_estimate)
    assert (before_sampling.remaining_low, before_sampling.remaining_high) == (0, 30)


def test_an_urn_too_small_for_the_null_stops():
    # 10 includes found, target 95%: K_tar = floor(10 / 0.95 - 10 + 1) = 1. An urn of 3 with 2 drawn
    # (both excludes) holds at most 1 include ... which is K_tar: hypergeom gives P = 1/3.
    assert hypergeometric_stopping(13, 10, 10, 2, 0).p_value == pytest.approx(1 / 3)
    # A target of 0.5 needs K_tar = floor(10 / 0.5 - 10 + 1) = 11 includes in a 3-record urn: impossible.
    assert hypergeometric_stopping(13, 10, 10, 1, 0, target_recall=0.5).criterion_met


@pytest.mark.parametrize("kwargs, field", [({"target_recall": 1.0}, "target_recall"),
                                           ({"confidence": 0}, "confidence"),
                                           ({"sample_size": -1}, "sample_size")])
def test_bad_settings_name_the_setting(kwargs, field):
    counts = {"records": 100, "screened_before_sample": 50, "includes_before_sample": 5, "sample_size": 10,
              "sample_includes": 0}
    with pytest.raises(InputError) as error:
        hypergeometric_stopping(**{**counts, **kwargs})
    assert error.value.field == field


def test_random_sampling_replay_stops_at_the_first_rejection():
    # 20 includes all found by ranking among the first 100 of 1000; the other 900 are excludes.
    labels = np.zeros(1000, dtype=int)
    labels[:20] = 1
    stop, estimate = stop_by_random_sampling(labels, np.arange(100), np.random.default_rng(1))
    # K_tar = floor(20 / 0.95 - 20 + 1) = 2; no include in n draws from 900 has chance
    # (900 - n)(899 - n) / (900 * 899). Below 0.05 from n = 699 (201 * 200 / 809100 = 0.0497), but
    # tested after every draw the threshold for this urn is 0.0467: first below it at n = 706
    # (194 * 193 / 809100 = 0.0463; n = 705 gives 0.0468).
    threshold = sequential_threshold(900, 20)
    assert threshold == pytest.approx(0.0467, abs=5e-5)
    first = next(n for n in range(1, 901) if (900 - n) * (899 - n) / (900 * 899) < threshold)
    assert first == 706 and stop == 100 + first
    assert estimate.criterion_met and estimate.sample_size == first and estimate.includes_found == 20
    assert estimate.p_threshold == threshold


def test_the_promise_holds_when_every_record_is_sampled_at_random():
    # No ranking at all: 1,000 records with 40 includes, drawn in random order and tested after each
    # draw. Recall at the stop must reach 95% in at least 95% of runs (the test's promise).
    labels = np.zeros(1000, dtype=int)
    labels[np.random.default_rng(0).choice(1000, 40, replace=False)] = 1
    first_two = np.array([np.flatnonzero(labels)[0], np.flatnonzero(labels == 0)[0]])
    recalls, saved = [], []
    for seed in range(200):
        stop, estimate = stop_by_random_sampling(labels, first_two, np.random.default_rng(seed))
        recalls.append(estimate.includes_found / 40)
        saved.append(1 - stop / 1000)
    assert np.mean(np.array(recalls) >= 0.95) >= 0.95
    assert 0 < np.mean(saved) < 0.2  # sampling alone saves little: the test needs most records seen


def test_stopping_chance_by_hand_in_a_four_record_urn():
    # 10 includes found before sampling, target 95%, an urn of 4, stopping when p < 0.6.
    # No include in the sample: K_tar = floor(10 / 0.95) - 10 + 1 = 1, p = (4 - n) / 4, below 0.6 from
    # n = 2. One include: K_tar = 2, p = P(X <= 1 | 2 of 4, n drawn) = 5/6 at n = 2, 1/2 at n = 3.
    # Two: K_tar = 3, p = 3/4 at n = 3, and 0 at n = 4 (3 includes cannot fit beside 2 excludes drawn).
    stops = first_stopping_draws(4, 10, np.arange(3), 0.6, 0.95)
    assert list(stops) == [2, 3, 4]
    # One include in the urn: recall 10/11 < 95% if the sample misses it, which stops at n = 2 with
    # chance 3/4 * 2/3 = 1/2. Two: the sample misses both in 2 draws with chance 2/4 * 1/3 = 1/6 (stop,
    # recall 10/12); finds one in 2 draws with chance 2/3, then misses the other with chance 1/2 and
    # stops at n = 3 with recall 11/12 < 95%: 1/6 + 1/3 = 1/2.
    assert failure_probability(4, 10, [1, 2], stops, 0.95) == pytest.approx([0.5, 0.5])


def test_testing_after_every_draw_misses_the_target_more_often_than_promised():
    # An urn of 1,000 with 90 includes found before sampling: stopping at the first p below 0.05 stops
    # with recall under 95% in 6.3% of runs when the urn holds 7 includes (exact chain of the draws).
    counts = np.arange(5, 40)
    levels = np.arange(counts.max() + 1)
    uncorrected = failure_probability(1000, 90, counts, first_stopping_draws(1000, 90, levels, 0.05, 0.95), 0.95)
    assert counts[uncorrected.argmax()] == 7 and uncorrected.max() == pytest.approx(0.0629, abs=5e-4)
    threshold = sequential_threshold(1000, 90)
    assert threshold == pytest.approx(0.0400, abs=5e-4)
    corrected = failure_probability(1000, 90, counts, first_stopping_draws(1000, 90, levels, threshold, 0.95), 0.95)
    assert corrected.max() <= 0.05 and corrected.max() > 0.045  # at the promise, not far below it


def test_the_exact_chance_matches_simulated_draws():
    # 30 includes found, 3 more among 200 unscreened records: the exact chain of draws against 20,000
    # random orders of the urn, each tested after every draw (the chance is about 4.9%).
    urn, before, hidden = 200, 30, 3
    threshold = sequential_threshold(urn, before)
    exact = failure_probability(urn, before, [hidden], first_stopping_draws(urn, before, np.arange(hidden + 1),
                                                                             threshold, 0.95), 0.95)[0]
    # The p-value of every (draws, includes drawn), then each random order stops at its first p below
    # the threshold (or runs through the urn).
    sizes, hits = np.meshgrid(np.arange(1, urn + 1), np.arange(hidden + 1), indexing="ij")
    needed = includes_needed_for_null(before, before + hits, 0.95)
    p_grid = np.where(needed > urn - (sizes - hits), 0.0, hypergeom.cdf(hits, urn, needed, sizes))
    orders = np.argsort(np.random.default_rng(7).random((20_000, urn)), axis=1) < hidden  # 3 includes each
    found = np.cumsum(orders, axis=1)
    stops = p_grid[np.arange(urn)[None, :], found] < threshold
    at_stop = found[np.arange(len(found)), np.where(stops.any(axis=1), stops.argmax(axis=1), urn - 1)]
    missed = np.mean(at_stop < 2)  # 32 / 33 = 0.970 reaches 95%, 31 / 33 = 0.939 does not
    assert abs(missed - exact) < 3 * np.sqrt(exact * (1 - exact) / 20_000)
    assert 0.045 < exact <= 0.05

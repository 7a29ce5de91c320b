"""How far screening has come and whether it may stop: the counts of a review for ``stopping.py``.

The stopping test (Callaghan & Müller-Hansen 2020, ``evsynth.screening.stopping``) needs records
drawn at random from those not screened when the draws began. The ranked worksheet cannot give
them (its top is where the includes are), so the stage also writes a stopping-sample worksheet:
the records awaiting a decision in a fixed random order (a hash of the seed and the cluster id,
which does not depend on any decision), each with its ``draw`` number. A decision made on that
sheet keeps its ``draw`` number, and so is known to be a draw.

The urn is every record not decided outside the draws. Its random order is the hash order
restricted to it, so the first n of that order are a uniform random sample of it; only the draws
that are such a prefix count (a draw screened after skipping others is not random and is left out
of the test, and the status says how many were left out).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from evsynth.identity import sample_score
from evsynth.screening.stopping import StoppingEstimate, hypergeometric_stopping

CONFIDENCE = 0.95  # of the stopping test and of the interval of the includes remaining


def random_order(cluster_ids: Sequence[str], seed: int | str) -> list[str]:
    """The records in the stopping sample's fixed random order (by a hash of seed and cluster id)."""
    return sorted(cluster_ids, key=lambda cid: (sample_score(f"stopping-{seed}", cid), cid))


@dataclass(frozen=True)
class Progress:
    records: int
    screened: int  # records with a title/abstract decision by anyone
    includes_found: int  # decided records labelled include
    draws_counted: int  # stopping-sample decisions that are a prefix of the urn's random order
    draws_not_counted: int  # stopping-sample decisions after a skipped draw
    estimate: StoppingEstimate | None  # None when there is nothing to screen

    def rows(self) -> list[tuple[str, object]]:
        rows = [("records_screened", self.screened), ("includes_found", self.includes_found),
                ("stopping_draws_counted", self.draws_counted),
                ("stopping_draws_not_counted", self.draws_not_counted)]
        if self.estimate is not None:
            e = self.estimate
            rows += [("includes_remaining_estimate", "" if e.remaining_estimate != e.remaining_estimate
                      else e.remaining_estimate),
                     ("includes_remaining_low", e.remaining_low), ("includes_remaining_high", e.remaining_high),
                     ("stopping_p_value", e.p_value), ("target_recall", e.target_recall),
                     ("stopping_criterion_met", bool(e.criterion_met))]
        return rows


def screening_progress(cluster_ids: Sequence[str], labels: pd.Series, draws: set[str], seed: int | str,
                       target_recall: float) -> Progress:
    """Counts and the stopping test: ``labels`` (cluster_id -> 0/1) of every decided record,
    ``draws`` the records decided on the stopping-sample sheet."""
    ids = list(cluster_ids)
    decided = set(labels.index) & set(ids)
    ranked_phase = decided - draws
    urn = random_order([cid for cid in ids if cid not in ranked_phase], seed)
    counted = 0
    while counted < len(urn) and urn[counted] in draws:
        counted += 1
    sample = urn[:counted]
    drawn_elsewhere = len((draws & decided) - set(sample))
    # A draw not counted in the sample was still screened: it counts with the records screened
    # before the sample (conservative: it only enlarges what the test must account for).
    before = ranked_phase | ((draws & decided) - set(sample))
    includes_before = int(sum(labels[cid] for cid in before))
    sample_includes = int(sum(labels[cid] for cid in sample))
    if not ids:
        return Progress(0, 0, 0, 0, 0, None)
    estimate = hypergeometric_stopping(len(ids), len(before), includes_before, counted, sample_includes,
                                       target_recall, CONFIDENCE)
    return Progress(len(ids), len(decided), includes_before + sample_includes, counted, drawn_elsewhere, estimate)

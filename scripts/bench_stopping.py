"""Does the stopping criterion keep its promise? Simulation on the labelled screening benchmarks.

    python scripts/bench_stopping.py [--data ../shared/benchmarks/screening] [--rankings 10] [--samples 40]
        [--batch 25] [--excludes-in-a-row 50] [--target 0.95]

Each run replays a review: screen the ranking (evsynth's model, priors 1 include + 1 exclude chosen by
the ranking seed, retraining every ``--batch`` records) until it has given ``--excludes-in-a-row``
excludes in a row (or found everything), then draw the unscreened records at random and apply
Callaghan & Müller-Hansen's hypergeometric test after each draw, stopping at the first rejection
(evsynth.screening.stopping). Per set and label it prints the share of runs whose recall at the
stop reached the target (promised: at least the confidence, 95%), the lowest recall, the work saved
(1 - records screened / records) and how often the sample had to run through every record.

Beside the simulated samples, for each ranking the exact chance that the random sample stops with
recall below the target, given the includes the urn really holds (``failure_probability``): with
the threshold lowered for the many looks (what evsynth does) and with 1 - confidence at every look
(the test as first implemented). One minus its mean over the rankings is the share of runs that
reach the target, free of the sampling error of the simulated samples.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evsynth.screening.prioritise import PrioritySettings, text_features  # noqa: E402
from evsynth.screening.simulate import choose_priors, read_labelled, simulate  # noqa: E402
from evsynth.screening.stopping import (  # noqa: E402
    failure_probability,
    first_stopping_draws,
    sequential_threshold,
    stop_by_random_sampling,
)

LABELS = ("label_included", "label_abstract_screening")


def runs(path: Path, label: str, rankings: int, samples: int, batch: int, in_a_row: int, target: float):
    data = read_labelled(path, label)
    labels = data["label"].to_numpy()
    settings = PrioritySettings()
    matrix, _ = text_features(data, settings)
    total, n = int(labels.sum()), len(labels)
    for ranking_seed in range(1, rankings + 1):
        priors = choose_priors(labels, 1, 1, ranking_seed)
        ranked = simulate(matrix, labels, priors, batch, settings, ranking_seed, excludes_in_a_row=in_a_row)
        ranked_found = int(labels[ranked.order].sum())
        urn, in_urn = n - len(ranked.order), total - ranked_found
        threshold = sequential_threshold(urn, ranked_found, target)
        levels = np.arange(in_urn + 1)
        exact = {name: float(failure_probability(urn, ranked_found, [in_urn], first_stopping_draws(
                     urn, ranked_found, levels, level, target), target)[0]) if urn and in_urn else 0.0
                 for name, level in (("exact_miss", threshold), ("exact_miss_uncorrected", 0.05))}
        for sample_seed in range(samples):
            rng = np.random.default_rng([ranking_seed, sample_seed])
            stop, estimate = stop_by_random_sampling(labels, ranked.order, rng, target_recall=target)
            yield {"set": path.stem, "label": label, "ranking_seed": ranking_seed, "sample_seed": sample_seed,
                   "records": n, "includes": total, "ranked": len(ranked.order),
                   "recall_ranked": ranked_found / total, "screened": stop,
                   "recall": estimate.includes_found / total, "work_saved": 1 - stop / n,
                   "sampled_everything": stop == n, "threshold": threshold, **exact}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "screening"))
    parser.add_argument("--rankings", type=int, default=10, help="ranking seeds (priors and ties) per set")
    parser.add_argument("--samples", type=int, default=40, help="random-sample seeds per ranking")
    parser.add_argument("--batch", type=int, default=25)
    parser.add_argument("--excludes-in-a-row", type=int, default=50)
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--sets", help="comma-separated set names (default: every CSV in --data)")
    args = parser.parse_args(argv)
    paths = sorted(Path(args.data).glob("*.csv"))
    if args.sets:
        paths = [p for p in paths if p.stem in set(args.sets.split(","))]
    rows = []
    for path in paths:
        header = pd.read_csv(path, nrows=0).columns
        for label in [name for name in LABELS if name in header]:
            rows += list(runs(path, label, args.rankings, args.samples, args.batch, args.excludes_in_a_row,
                              args.target))
            print(f"  {path.stem} {label}: done", file=sys.stderr, flush=True)
    frame = pd.DataFrame(rows)
    frame["reached"] = frame["recall"] >= args.target
    summary = frame.groupby(["label", "set"]).agg(
        runs=("reached", "size"), includes=("includes", "first"), records=("records", "first"),
        share_reached=("reached", "mean"), min_recall=("recall", "min"), mean_recall=("recall", "mean"),
        recall_when_sampling_began=("recall_ranked", "mean"), work_saved=("work_saved", "mean"),
        sampled_everything=("sampled_everything", "mean"), threshold=("threshold", "mean"),
        exact_share=("exact_miss", lambda v: 1 - v.mean()),
        exact_share_uncorrected=("exact_miss_uncorrected", lambda v: 1 - v.mean()),
        worst_ranking_exact=("exact_miss", lambda v: 1 - v.max()),
        worst_ranking_uncorrected=("exact_miss_uncorrected", lambda v: 1 - v.max()))
    pd.set_option("display.width", 200)
    print(f"Stopping by the hypergeometric test (target recall {args.target}, 95% confidence); ranking in "
          f"batches of {args.batch} until {args.excludes_in_a_row} excludes in a row, then random sampling; "
          f"{args.rankings} rankings x {args.samples} samples per set and label")
    print(summary.round(4).to_string())
    overall = frame.groupby("label").agg(runs=("reached", "size"), share_reached=("reached", "mean"),
                                         work_saved=("work_saved", "mean"),
                                         exact_share=("exact_miss", lambda v: 1 - v.mean()))
    print("\nall sets:")
    print(overall.round(3).to_string())
    worst, exact = summary["share_reached"].min(), summary["worst_ranking_exact"].min()
    print(f"\nguarantee (at least 95% of runs reach the target, on every set and label): simulated samples "
          f"{'hold' if worst >= 0.95 else 'do NOT hold'} (lowest share {worst:.4f}); exact, for every ranking: "
          f"{'holds' if exact >= 0.95 else 'does NOT hold'} (lowest {exact:.4f}; uncorrected test "
          f"{summary['worst_ranking_uncorrected'].min():.4f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Screening prioritisation: evsynth beside ASReview on the labelled screening benchmarks.

    python scripts/bench_prioritise.py [--data ../shared/benchmarks/screening] [--seeds 3]
        [--batches 1,25,100] [--sets NAME,...] [--no-asreview] [--timing] [--tune]
        [--results FILE.csv] [--read-results FILE.csv,...]

For every set and label column (``label_included``, compared with ASReview's ``simulate`` command and
default model; ``label_abstract_screening`` where the set has it), every seed and every batch size
k: the same priors (1 include, 1 exclude, chosen by the seed) for both tools; printed per set as the
mean over seeds: WSS@95, recall after 10% and 25% screened, records screened to find 95% and 100%
of the inclusions, seconds per retraining. Then the targets of the issue, met or not.

``--timing``: retrain and rank 5,000 and 100,000 records (whole ``prioritise`` call, and the
retraining alone on features already computed). ``--tune``: every candidate setting on every set,
then leave-one-set-out: the candidate chosen on the other sets, scored on the held-out one.

ASReview runs in its own environment and its results are cached outside the repository
(``--cache``, default ~/.cache/evsynth-bench): see scripts/asreview_runner.py.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from asreview_runner import DEFAULT_CACHE, asreview_order  # noqa: E402

from evsynth.screening.prioritise import (  # noqa: E402
    PrioritySettings,
    prioritise,
    record_features,
    text_features,
)
from evsynth.screening.simulate import choose_priors, metrics, read_labelled, simulate  # noqa: E402

LABELS = ("label_included", "label_abstract_screening")
FIGURES = ["wss95", "recall_at_10pct", "recall_at_25pct", "n_to_95", "n_to_100", "seconds_per_retraining"]

# Settings tried (--tune). The default is the one chosen on all sets; leave-one-set-out says how
# much of its advantage is fitting.
# Second pass: fields weighted separately (title, abstract, keywords) against one joined text.
# Third pass: the weight of the include class beyond balancing, and a linear SVM as ASReview's
# default model has it (C 0.11, squared hinge, includes weighted 9.8 beyond balanced).
CANDIDATES = {
    "default (include_weight 10)": PrioritySettings(),
    "include_weight 3": PrioritySettings(include_weight=3.0),
    "include_weight 1": PrioritySettings(include_weight=1.0),
    "include_weight 30": PrioritySettings(include_weight=30.0),
    "svm C 0.11 iw 9.8": PrioritySettings(classifier="svm", C=0.11, include_weight=9.8),
    "svm C 0.11 iw 9.8 joined": PrioritySettings(classifier="svm", C=0.11, include_weight=9.8, fields="joined"),
    "include_weight 10 fields 1/1.5/1": PrioritySettings(abstract_weight=1.5),
    "include_weight 30 fields 1/1.5/1": PrioritySettings(include_weight=30.0, abstract_weight=1.5),
    # Fourth pass: ASReview scales its sample weights to average 1; evsynth's average (1 + 10) / 2 =
    # 5.5, which is the same model with C 5.5 times larger. C 2/11 is evsynth's model with the weights
    # scaled as ASReview's (half and twice that around it).
    "weights scaled to mean 1 (C 2/11)": PrioritySettings(C=2 / 11),
    "weights scaled to mean 1 C 0.5 (C 1/11)": PrioritySettings(C=1 / 11),
    "weights scaled to mean 1 C 2 (C 4/11)": PrioritySettings(C=4 / 11),
}
DEFAULT_NAME = next(name for name, settings in CANDIDATES.items() if settings == PrioritySettings())


def evsynth_run(matrix, labels, priors, batch, settings, seed) -> dict:
    run = simulate(matrix, labels, priors, batch, replace(settings, seed=seed), seed)
    figures = metrics(labels[run.order], len(labels), int(labels.sum()))
    figures["seconds_per_retraining"] = float(np.mean(run.retrain_seconds)) if run.retrain_seconds else 0.0
    return figures


def asreview_run(path, label, labels, priors, seed, batch, cache, cached_only=False) -> dict | None:
    record = asreview_order(path, label, [int(i) for i in priors], seed, batch, cache, cached_only)
    if record is None:
        return None
    if record["order"][:len(priors)] != [int(i) for i in priors]:
        raise RuntimeError(f"ASReview did not start from the priors given ({path.name}, seed {seed})")
    figures = metrics(record["labels"], len(labels), int(labels.sum()))
    figures["seconds_per_retraining"] = record["seconds_per_retraining"]
    return figures


def simulations(paths, labels_wanted, seeds, batches, settings, cache, with_asreview,
                cached_only=False) -> pd.DataFrame:
    rows = []
    for path in paths:
        header = pd.read_csv(path, nrows=0).columns
        for label in [name for name in labels_wanted if name in header]:
            data = read_labelled(path, label)
            labels = data["label"].to_numpy()
            matrix, _ = text_features(data, settings)
            for batch in batches:
                for seed in seeds:
                    priors = choose_priors(labels, 1, 1, seed)
                    common = {"set": path.stem, "label": label, "k": batch, "seed": seed}
                    rows.append({**common, "tool": "evsynth",
                                 **evsynth_run(matrix, labels, priors, batch, settings, seed)})
                    theirs = (asreview_run(path, label, labels, priors, seed, batch, cache, cached_only)
                              if with_asreview and label == "label_included" else None)
                    if theirs is not None:
                        rows.append({**common, "tool": "asreview", **theirs})
                    print(f"  {path.stem} {label} k={batch} seed={seed}: " + ", ".join(
                        f"{row['tool']} WSS@95 {row['wss95']:.3f}" for row in rows[-2:] if row["seed"] == seed
                        and row["k"] == batch and row["label"] == label and row["set"] == path.stem),
                        file=sys.stderr, flush=True)
    return pd.DataFrame(rows)


def print_tables(results: pd.DataFrame) -> None:
    means = results.groupby(["label", "k", "set", "tool"], sort=True)[FIGURES].mean()
    pd.set_option("display.width", 200)
    for (label, batch), table in means.groupby(level=["label", "k"]):
        frame = table.droplevel(["label", "k"]).unstack("tool")
        frame.columns = [f"{figure}:{tool}" for figure, tool in frame.columns]
        print(f"\n## {label}, k = {batch} (mean over {results['seed'].nunique()} seeds)")
        shown = frame.copy()
        for column in shown.columns:
            shown[column] = shown[column].map(lambda v, c=column: f"{v:.4f}" if "seconds" in c
                                              else f"{v:.1f}" if c.startswith("n_to") else f"{v:.3f}")
        print(shown.to_string())
        overall = table.groupby(level="tool").mean()
        print("mean over sets: " + "; ".join(
            f"{tool} WSS@95 {row['wss95']:.3f}, recall@10% {row['recall_at_10pct']:.3f}, recall@25% "
            f"{row['recall_at_25pct']:.3f}" for tool, row in overall.iterrows()))


def print_targets(results: pd.DataFrame) -> None:
    """The issue's targets on label_included. evsynth and ASReview are compared on the runs both have
    (same set, seed and k), so a missing ASReview run drops that run from both sides."""
    included = results[results["label"] == "label_included"]
    print("\n## Targets (label_included)")
    paired = included.pivot_table(index=["k", "set", "seed"], columns="tool", values="wss95")
    if "asreview" in paired.columns:
        paired = paired.dropna()
        for batch, table in paired.groupby(level="k"):
            by_set = table.groupby(level="set").mean()
            gap = by_set["evsynth"] - by_set["asreview"]
            runs = len(table)
            print(f"k={batch}: {runs} paired runs on {len(by_set)} sets: mean WSS@95 evsynth "
                  f"{by_set['evsynth'].mean():.3f}, ASReview {by_set['asreview'].mean():.3f}, difference "
                  f"{gap.mean():+.3f}" + (f" (target >= +0.03: {'met' if gap.mean() >= 0.03 else 'NOT met'})"
                                          if batch == 1 else ""))
            worst = gap.idxmin()
            print(f"k={batch}: worst set {worst} {gap[worst]:+.3f}" + (
                f" (target: none below -0.02: {'met' if gap.min() >= -0.02 else 'NOT met'})" if batch == 1 else ""))
    own = included[included["tool"] == "evsynth"].groupby(["k", "set"])["wss95"].mean()
    levels = own.index.get_level_values("k")
    if 1 in levels and 25 in levels:
        difference = own.loc[25].mean() - own.loc[1].mean()
        print(f"k=25 vs k=1 (evsynth, every set): mean WSS@95 {own.loc[25].mean():.3f} vs {own.loc[1].mean():.3f}, "
              f"difference {difference:+.3f} (target within 0.03): {'met' if difference >= -0.03 else 'NOT met'}")


def synthetic_records(paths, n: int, seed: int = 0) -> pd.DataFrame:
    """n records for timing: the title of one benchmark record and the abstract of another, so that
    the vocabulary grows with n as it does in a real search."""
    frames = [read_labelled(path, "label_included") for path in paths]
    pool = pd.concat(frames, ignore_index=True)
    rng = np.random.default_rng(seed)
    titles = pool["title"].to_numpy()[rng.integers(0, len(pool), n)]
    abstracts = pool["abstract"].to_numpy()[rng.integers(0, len(pool), n)]
    keywords = pool["keywords"].to_numpy()[rng.integers(0, len(pool), n)]
    return pd.DataFrame({"cluster_id": [f"C-{i:06d}" for i in range(n)], "title": titles, "abstract": abstracts,
                         "keywords": keywords})


def timing(paths, sizes=(5_000, 100_000), repeats: int = 3) -> None:
    """Retrain and rank with 10% of the records decided (5% of those includes)."""
    print("\n## Retrain and rank (median of", repeats, "runs; 10% of records decided, 5% of them includes)")
    settings = PrioritySettings()
    for n in sizes:
        unique = synthetic_records(paths, n)
        rng = np.random.default_rng(1)
        decided = rng.choice(n, n // 10, replace=False)
        labels = (rng.random(len(decided)) < 0.05).astype(int)
        labels[0] = 1
        decisions = pd.DataFrame({"cluster_id": unique["cluster_id"].to_numpy()[decided],
                                  "decision": np.where(labels == 1, "include", "exclude")})
        whole, retrain, features_seconds = [], [], []

        def timed(run, into):
            wall, cpu = time.perf_counter(), time.process_time()
            result = run()
            into.append((time.perf_counter() - wall, time.process_time() - cpu))
            return result

        for _ in range(repeats):
            ranked = timed(lambda: prioritise(unique, decisions, settings), whole)
            features = timed(lambda: record_features(unique, settings), features_seconds)
            timed(lambda: prioritise(unique, decisions, settings, features=features), retrain)

        def median(runs):
            wall, cpu = np.median(np.array(runs), axis=0)
            return f"{wall:.2f} s (cpu of this process {cpu:.2f} s)"

        print(f"{n:>7} records: whole prioritise() {median(whole)}; of which TF-IDF of the records "
              f"{median(features_seconds)}; retraining and ranking on computed features {median(retrain)} "
              f"({features[0].shape[1]} terms, {len(ranked)} ranked)", flush=True)
    print("(cpu of this process leaves out the second process that counts terms from 20,000 records on)")


def tune(paths, seeds, batch, cache, names=None) -> None:
    """Every candidate on every set; leave-one-set-out choice of the candidate by mean WSS@95. Each
    run stops once 95% of the inclusions are found: WSS@95 is the same, the rest is not needed."""
    rows = []
    for name, settings in CANDIDATES.items():
        if names and name not in names and name != DEFAULT_NAME:
            continue
        for path in paths:
            labels = read_labelled(path, "label_included")["label"].to_numpy()
            matrix, _ = text_features(read_labelled(path, "label_included"), settings)
            needed = -(-95 * int(labels.sum()) // 100)
            for seed in seeds:
                run = simulate(matrix, labels, choose_priors(labels, 1, 1, seed), batch, replace(settings, seed=seed),
                               seed, until_found=needed)
                rows.append({"candidate": name, "set": path.stem, "seed": seed, "wss95": 0.95 - len(run.order) / len(labels)})
            print(f"  {name} {path.stem}: done", file=sys.stderr, flush=True)
    table = pd.DataFrame(rows).groupby(["set", "candidate"], sort=False)["wss95"].mean().unstack("candidate")
    print(f"\n## Candidates: mean WSS@95 over {len(seeds)} seeds, label_included, k = {batch}")
    print(table.round(3).to_string())
    print("mean:", ", ".join(f"{name} {value:.3f}" for name, value in table.mean().items()))
    print("\n## Leave one set out: the candidate with the best mean on the other sets, scored on the held-out set")
    held = []
    for held_out in table.index:
        chosen = table.drop(index=held_out).mean().idxmax()
        held.append(table.loc[held_out, chosen])
        print(f"{held_out}: chosen {chosen!r} -> {table.loc[held_out, chosen]:.3f} (default "
              f"{table.loc[held_out, DEFAULT_NAME]:.3f}, best for this set {table.loc[held_out].max():.3f})")
    print(f"mean held-out WSS@95 {np.mean(held):.3f}; default ({DEFAULT_NAME}) on all sets "
          f"{table[DEFAULT_NAME].mean():.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "screening"))
    parser.add_argument("--seeds", type=int, default=3, help="seeds 1..N (default 3)")
    parser.add_argument("--batches", default="1,25,100")
    parser.add_argument("--sets", help="comma-separated set names (default: every CSV in --data)")
    parser.add_argument("--labels", default=",".join(LABELS))
    parser.add_argument("--cache", default=str(DEFAULT_CACHE), help="ASReview's environment and results")
    parser.add_argument("--no-asreview", action="store_true")
    parser.add_argument("--asreview-cached-only", action="store_true",
                        help="show ASReview only where its run is cached (the comparison then covers fewer runs)")
    parser.add_argument("--timing", action="store_true", help="only the retrain-and-rank timing")
    parser.add_argument("--tune", action="store_true", help="only the candidate settings, leave-one-set-out")
    parser.add_argument("--tune-batch", type=int, default=1)
    parser.add_argument("--candidates", help="with --tune: only these candidates (comma-separated names) and the default")
    parser.add_argument("--results", help="also write every run's figures to this CSV")
    parser.add_argument("--read-results", help="print the tables and targets of runs written before with --results "
                        "(comma-separated CSVs, e.g. one per set run side by side)")
    args = parser.parse_args(argv)
    data = Path(args.data)
    paths = sorted(data.glob("*.csv"))
    if args.sets:
        wanted = set(args.sets.split(","))
        paths = [p for p in paths if p.stem in wanted]
    if not paths:
        parser.error(f"no benchmark CSV in {data}")
    seeds = list(range(1, args.seeds + 1))
    cache = Path(args.cache).expanduser()
    if args.read_results:
        results = pd.concat([pd.read_csv(name) for name in args.read_results.split(",")], ignore_index=True)
        print_tables(results)
        print_targets(results)
        return 0
    if args.timing:
        timing(paths)
        return 0
    if args.tune:
        tune(paths, seeds, args.tune_batch, cache, args.candidates.split(",") if args.candidates else None)
        return 0
    batches = [int(b) for b in args.batches.split(",")]
    results = simulations(paths, args.labels.split(","), seeds, batches, PrioritySettings(), cache,
                          not args.no_asreview, args.asreview_cached_only)
    if args.results:
        results.to_csv(args.results, index=False)
    print_tables(results)
    print_targets(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

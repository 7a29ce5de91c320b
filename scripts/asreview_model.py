"""ASReview's default model rebuilt with scikit-learn, to find what makes it rank differently from evsynth.

    python scripts/asreview_model.py [--data ../shared/benchmarks/screening] [--sets Kitchenham_2010]
        [--seeds 3] [--variants asreview,unscaled,...]

ASReview 3.0.8's ELAS u4 (read from its source: asreview/models/models.py, feature_extractors.py,
balancers.py, simulation/simulate.py): TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True,
max_df=0.95) of title + " " + abstract; LinearSVC(C=0.11, squared hinge) with random_state None
after np.random.seed(seed); sample weights 1 for includes and n_in / (9.8 n_out) for excludes,
scaled to average 1; retrained after every record; the unscreened records ranked by the margin,
ties in file order. ``asreview`` gives ASReview's own WSS@95 on evsynth's priors (checked on
Kitchenham against ``asreview simulate``, seeds 1-10). Each other variant changes one thing, or
runs evsynth's own loop (``evsynth ...``). Runs stop once 95% of the inclusions are found, which
gives WSS@95.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from evsynth.screening.prioritise import PrioritySettings, text_features  # noqa: E402
from evsynth.screening.simulate import choose_priors, read_labelled, simulate  # noqa: E402

RATIO, SVM_C = 9.8, 0.11
# evsynth's weights average (1 + include_weight) / 2; ASReview's are scaled to 1: the same model
# with C divided by that factor.
SCALED_C = SVM_C * 2 / (1 + RATIO)
EVSYNTH = PrioritySettings()
JOINED = replace(EVSYNTH, fields="joined")
VARIANTS = {
    "asreview": {},
    "no max_df": {"tfidf": {"max_df": 1.0}},
    "accents stripped": {"tfidf": {"strip_accents": "unicode"}},
    "ties by seed": {"ties": "seed"},
    "unscaled weights": {"scaled": False},
    "evsynth joined svm scaled": {"evsynth": replace(JOINED, classifier="svm", C=SCALED_C, include_weight=RATIO)},
    "evsynth separate svm scaled": {"evsynth": replace(EVSYNTH, classifier="svm", C=SCALED_C, include_weight=RATIO)},
    "evsynth separate logistic scaled": {"evsynth": replace(EVSYNTH, C=2 / 11)},
    "evsynth default": {"evsynth": EVSYNTH},
}


def asreview_weights(labels: np.ndarray, scaled: bool = True) -> np.ndarray:
    """ASReview's Balanced(ratio=9.8) sample weights; unscaled: evsynth's (balanced, includes x 9.8)."""
    n_in, n_out = int(labels.sum()), int(len(labels) - labels.sum())
    if not scaled:
        return np.where(labels == 1, len(labels) / (2 * n_in) * RATIO, len(labels) / (2 * n_out))
    weights = np.where(labels == 1, 1.0, n_in / (RATIO * n_out))
    return weights * (len(labels) / weights.sum())


def asreview_order(data, priors, seed: int, variant: dict, until_found: int) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    texts = (data["title"] + " " + data["abstract"]).tolist()
    matrix = TfidfVectorizer(**{"ngram_range": (1, 2), "sublinear_tf": True, "max_df": 0.95,
                                **variant.get("tfidf", {})}).fit_transform(texts).tocsr()
    labels = data["label"].to_numpy()
    np.random.seed(seed)  # as `asreview simulate --seed`: LinearSVC(random_state=None) draws from it
    noise = np.random.default_rng(seed).permutation(len(labels))
    order = [int(i) for i in priors]
    screened = np.zeros(len(labels), dtype=bool)
    screened[order] = True
    while labels[order].sum() < until_found:
        y = labels[order]
        model = LinearSVC(C=SVM_C, loss="squared_hinge")
        model.fit(matrix[order], y, sample_weight=asreview_weights(y, variant.get("scaled", True)))
        pool = np.flatnonzero(~screened)
        margin = model.decision_function(matrix[pool])
        ranked = np.lexsort((noise[pool], -margin)) if variant.get("ties") == "seed" \
            else np.argsort(-margin, kind="stable")
        pick = int(pool[ranked[0]])
        screened[pick] = True
        order.append(pick)
    return np.asarray(order)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "screening"))
    parser.add_argument("--sets", default="Kitchenham_2010")
    parser.add_argument("--seeds", type=int, default=3, help="seeds 1..N (default 3)")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated, of: " + ", ".join(VARIANTS))
    args = parser.parse_args(argv)
    unknown = [name for name in args.variants.split(",") if name not in VARIANTS]
    if unknown:
        parser.error(f"unknown variant {unknown[0]!r}; choose from: " + ", ".join(VARIANTS))
    for name in args.sets.split(","):
        data = read_labelled(Path(args.data) / f"{name}.csv", "label_included")
        labels = data["label"].to_numpy()
        needed = -(-95 * int(labels.sum()) // 100)
        for variant_name in args.variants.split(","):
            variant = VARIANTS[variant_name]
            figures = []
            for seed in range(1, args.seeds + 1):
                priors = choose_priors(labels, 1, 1, seed)
                if "evsynth" in variant:
                    settings = replace(variant["evsynth"], seed=seed)
                    matrix, _ = text_features(data, settings)
                    order = simulate(matrix, labels, priors, 1, settings, seed, until_found=needed).order
                else:
                    order = asreview_order(data, priors, seed, variant, needed)
                figures.append(0.95 - len(order) / len(labels))
            print(f"{name} {variant_name}: WSS@95 {np.mean(figures):.3f} (sd {np.std(figures, ddof=1) if len(figures) > 1 else 0:.3f}; "
                  "by seed " + " ".join(f"{value:.3f}" for value in figures) + ")", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

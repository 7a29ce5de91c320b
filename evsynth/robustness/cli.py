"""``evsynth robustness``: the robustness stage on a review, or on one's own files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evsynth.stages import INCLUDED_STUDIES, STAGES
from evsynth.stages import ROBUSTNESS as OUT_DIR

QUALITY_SCORES = STAGES["quality"].outputs["casp_scores"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--review", default=".", help="review directory (config/config.yaml); default: here")
    parser.add_argument("--studies", help=f"included studies table (default: REVIEW/{INCLUDED_STUDIES})")
    parser.add_argument("--quality-scores", help=f"CASP scores with study_id, grade (default: REVIEW/{QUALITY_SCORES} "
                        "when the config names quality answers)")
    parser.add_argument("--replicates", type=int, help="bootstrap resamples (default: config; 0: none)")
    parser.add_argument("--seed", type=int, help="bootstrap seed (default: config)")
    parser.add_argument("--out", help=f"output directory (default: REVIEW/{OUT_DIR})")


def run(args: argparse.Namespace) -> int:
    from evsynth.robustness.stage import run_robustness
    from evsynth.config import review_config

    review = Path(args.review)
    if not any(getattr(args, o) is not None for o in ("studies", "quality_scores", "replicates", "seed", "out")):
        from evsynth.stages import run_in_review

        result = run_in_review("robustness", review)
        print(result.verdicts_markdown() + f"-> {review / OUT_DIR}", file=sys.stderr)
        return 0
    config = review_config(review, required=False)
    robustness = dict(config.get("robustness") or {})
    bootstrap = dict(robustness.get("bootstrap") or {})
    for option, key in (("replicates", "replicates"), ("seed", "seed")):
        if getattr(args, option) is not None:
            bootstrap[key] = getattr(args, option)
    robustness["bootstrap"] = bootstrap
    config["robustness"] = robustness
    # Files named on the command line are relative to where the command runs, not to the review.
    studies = Path(args.studies).resolve() if args.studies else INCLUDED_STUDIES
    if args.quality_scores:
        scores = Path(args.quality_scores).resolve()
    else:
        scores = QUALITY_SCORES if (config.get("quality") or {}).get("answers") else None
    out = Path(args.out) if args.out else review / OUT_DIR
    result = run_robustness(config, studies, scores, out, base_dir=review,
                            config_name=str(review / "config" / "config.yaml"))
    print(result.verdicts_markdown() + f"-> {out}", file=sys.stderr)
    return 0

"""``evsynth measure``: the Implementation Measure of a review, or of one's own files."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evsynth.stages import MEASURE as OUT_DIR
from evsynth.stages import STAGES

STRENGTH = STAGES["theme_strength"].outputs["theme_strength"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--review", default=".", help="review directory (config/config.yaml); default: here")
    parser.add_argument("--strength", help=f"theme_strength.csv whose flagged themes are the items "
                        f"(default: REVIEW/{STRENGTH})")
    parser.add_argument("--ratings", help="ratings table: site, item, rating, rater (default: measure.ratings)")
    parser.add_argument("--sites", help="sites table: site and attributes (default: measure.sites)")
    parser.add_argument("--out", help=f"output directory (default: REVIEW/{OUT_DIR})")


def run(args: argparse.Namespace) -> int:
    from evsynth.measure.stage import run_measure
    from evsynth.config import review_config

    review = Path(args.review)
    if not any(getattr(args, o) for o in ("strength", "ratings", "sites", "out")):
        from evsynth.stages import run_in_review

        result = run_in_review("measure", review)
        print("\n".join(result.lines) + f"\n-> {review / OUT_DIR}", file=sys.stderr)
        return 0
    config = review_config(review, required=False)
    measure = dict(config.get("measure") or {})
    # Files named on the command line are relative to where the command runs, not to the review.
    for key in ("ratings", "sites"):
        if getattr(args, key):
            measure[key] = str(Path(getattr(args, key)).resolve())
    config["measure"] = measure
    strength = Path(args.strength).resolve() if args.strength else STRENGTH
    out = Path(args.out) if args.out else review / OUT_DIR
    result = run_measure(config, strength, out, base_dir=review, config_name=str(review / "config" / "config.yaml"))
    print("\n".join(result.lines) + f"\n-> {out}", file=sys.stderr)
    return 0

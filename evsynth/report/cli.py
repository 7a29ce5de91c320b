"""``evsynth report [REVIEW]``: the report of a review directory from the results it holds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evsynth.config import add_review_arguments


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("review_dir", nargs="?", metavar="REVIEW", help="the review directory (same as --review)")
    add_review_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from evsynth.config import review_config
    from evsynth.stages import STAGES, run_in_review

    review = Path(args.review_dir or args.review)
    sections = run_in_review("report", review, review_config(review, args.config))
    shown = ", ".join(entry["title"] for entry in sections["toc"])
    print(f"report with {shown} -> {review / STAGES['report'].outputs['html']}", file=sys.stderr)
    return 0

"""``evsynth prisma``: the PRISMA 2020 counts and diagram of a review, or of one's own stage outputs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evsynth.config import add_review_arguments


def add_arguments(prisma: argparse.ArgumentParser) -> None:
    add_review_arguments(prisma)
    prisma.add_argument("--identification", help="identification_counts.csv from ingest (with the three below: "
                        "one's own files instead of the review's)")
    prisma.add_argument("--dedup-summary", help="summary.csv from dedup")
    prisma.add_argument("--screening", help="the screening output directory (title_abstract_outcome.csv, reports.csv)")
    prisma.add_argument("--out", help="directory for prisma2020.csv/.svg/.png and checks.csv")


def run(args: argparse.Namespace) -> int:
    from evsynth.prisma import run_prisma

    own = [args.identification, args.dedup_summary, args.screening, args.out]
    if not any(own):
        from evsynth.config import review_config
        from evsynth.stages import run_in_review

        review = Path(args.review)
        flow = run_in_review("prisma", review, review_config(review, args.config))
        print(f"{flow.identified} identified, {flow.records_screened} screened, {flow.new_studies} studies "
              f"included -> {review / 'results/prisma'}", file=sys.stderr)
        return 0
    if not all(own):
        from evsynth.errors import InputError

        raise InputError("command line", "--identification, --dedup-summary, --screening and --out go together",
                         expected="all four (one's own files) or none (the review's)")
    screening = Path(args.screening)
    flow = run_prisma(args.identification, args.dedup_summary, screening / "title_abstract_outcome.csv",
                      screening / "reports.csv", args.out)
    print(f"{flow.identified} identified, {flow.records_screened} screened, {flow.new_studies} studies "
          f"included -> {args.out}", file=sys.stderr)
    return 0

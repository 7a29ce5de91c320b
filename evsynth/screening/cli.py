"""The ``evsynth agreement`` and ``evsynth screen`` commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evsynth.config import add_review_arguments
from evsynth.fileio import atomic_path, write_csv


def add_arguments(agreement: argparse.ArgumentParser, screen: argparse.ArgumentParser) -> None:
    agreement.add_argument("decisions", help="CSV/XLSX with record_id (or cluster_id), reviewer, decision "
                                             "[, stage]: two reviewers")
    agreement.add_argument("--out", required=True,
                           help="directory for agreement.csv, agreement_table.csv, disagreements.csv, agreement.md")
    agreement.add_argument("--maybe-as", choices=["include", "exclude"], default="include",
                           help="how 'maybe' counts (default: include)")

    add_review_arguments(screen)


def run_agreement(args: argparse.Namespace) -> int:
    from evsynth.screening.agreement import agreement_summary, read_generic_decisions, stage_agreement

    pairs = read_generic_decisions(args.decisions, args.maybe_as)
    agreement, table = stage_agreement(pairs)
    out = Path(args.out)
    write_csv(agreement, out / "agreement.csv")
    write_csv(table, out / "agreement_table.csv")
    disagreements = pairs[pairs["binary_a"] != pairs["binary_b"]].rename(columns={"cluster_id": "record_id"})
    write_csv(disagreements[["stage", "record_id", "reviewer_a", "decision_a", "reviewer_b", "decision_b"]],
              out / "disagreements.csv")
    with atomic_path(out / "agreement.md") as tmp:
        tmp.write_text(agreement_summary(agreement, table) + "\n", encoding="utf-8")
    values = agreement.set_index(["stage", "statistic"])["value"]
    for stage in agreement["stage"].unique():
        print(f"{stage}: n = {int(agreement[agreement['stage'] == stage]['n'].iloc[0])}, agreement "
              f"{values[(stage, 'percent_agreement')]:.1%}, kappa {values[(stage, 'cohen_kappa')]:.2f}, "
              f"AC1 {values[(stage, 'gwet_ac1')]:.2f} -> {out}", file=sys.stderr)
    return 0


def run_screen(args: argparse.Namespace) -> int:
    from evsynth.config import review_config
    from evsynth.stages import SCREENING, run_in_review

    review = Path(args.review)
    result = run_in_review("screening", review, review_config(review, args.config))
    out = review / SCREENING
    status = dict(zip(result.status["key"], result.status["value"]))
    print(f"{int(status['records_decided'])} records decided, {int(status['disagreements'])} disagreements, "
          f"{int(status['reports_included'])} reports included -> {out}", file=sys.stderr)
    return 0

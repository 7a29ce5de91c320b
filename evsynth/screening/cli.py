"""The ``evsynth agreement``, ``evsynth screen`` and ``evsynth prisma`` commands."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from evsynth.fileio import atomic_path, write_csv


def add_arguments(agreement: argparse.ArgumentParser, screen: argparse.ArgumentParser,
                  prisma: argparse.ArgumentParser) -> None:
    agreement.add_argument("decisions", help="CSV/XLSX with record_id (or cluster_id), reviewer, decision "
                                             "[, stage]: two reviewers")
    agreement.add_argument("--out", required=True,
                           help="directory for agreement.csv, agreement_table.csv, disagreements.csv, agreement.md")
    agreement.add_argument("--maybe-as", choices=["include", "exclude"], default="include",
                           help="how 'maybe' counts (default: include)")

    screen.add_argument("--config", default="config/config.yaml", help="the review's config.yaml")
    screen.add_argument("--review", help="the review directory the config's paths are relative to "
                                         "(default: the config's grandparent)")
    screen.add_argument("--unique", help="unique records (default: REVIEW/data/processed/unique.parquet)")
    screen.add_argument("--out", required=True, help="directory for worksheets, agreement, disagreements")

    prisma.add_argument("--identification", required=True, help="identification_counts.csv from ingest")
    prisma.add_argument("--dedup-summary", required=True, help="summary.csv from dedup")
    prisma.add_argument("--screening", required=True,
                        help="the screening output directory (title_abstract_outcome.csv, reports.csv)")
    prisma.add_argument("--out", required=True, help="directory for prisma2020.csv/.svg/.png and checks.csv")


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
    from evsynth.screening.stage import run_screening

    config_path = Path(args.config)
    with open(config_path, encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}
    review = Path(args.review) if args.review else config_path.resolve().parent.parent
    unique = Path(args.unique) if args.unique else review / "data" / "processed" / "unique.parquet"
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    result = run_screening(config, unique, out, out / "screening.log", base_dir=review)
    status = dict(zip(result.status["key"], result.status["value"]))
    print(f"{int(status['records_decided'])} records decided, {int(status['disagreements'])} disagreements, "
          f"{int(status['reports_included'])} reports included -> {out}", file=sys.stderr)
    return 0


def run_prisma_command(args: argparse.Namespace) -> int:
    from evsynth.prisma import run_prisma

    screening = Path(args.screening)
    flow = run_prisma(args.identification, args.dedup_summary, screening / "title_abstract_outcome.csv",
                      screening / "reports.csv", args.out)
    print(f"{flow.identified} identified, {flow.records_screened} screened, {flow.new_studies} studies "
          f"included -> {args.out}", file=sys.stderr)
    return 0

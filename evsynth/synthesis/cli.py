"""``evsynth synthesis`` (the stage on a review's or on one's own files) and ``evsynth explain``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from evsynth.errors import InputError
from evsynth.stages import INCLUDED_STUDIES

STUDIES = Path(INCLUDED_STUDIES)
OUT = Path("results/synthesis")


def add_arguments(synthesis: argparse.ArgumentParser, explain: argparse.ArgumentParser) -> None:
    synthesis.add_argument("--review", default=".", help="review directory (config/config.yaml); default: here")
    synthesis.add_argument("--codebook", help="codebook.csv (instead of the config's synthesis.codebook)")
    synthesis.add_argument("--cfir-domains", help="cfir_domains.csv (instead of synthesis.cfir_domains)")
    synthesis.add_argument("--extracts", help="extracts.csv (instead of synthesis.extracts)")
    synthesis.add_argument("--studies", help=f"included studies table (default: REVIEW/{STUDIES})")
    synthesis.add_argument("--unit", choices=["publication", "study"], help="counting unit (default: config)")
    synthesis.add_argument("--threshold", type=float, help="share of units for a flagged theme (default: config)")
    synthesis.add_argument("--out", help=f"output directory (default: REVIEW/{OUT})")

    explain.add_argument("theme", help="a theme's or subtheme's label or code_id (any case)")
    explain.add_argument("--review", default=".", help="review directory whose audit trail to read")
    explain.add_argument("--json", action="store_true", help="print the JSON record instead of the page")


def run_synthesis(args: argparse.Namespace) -> int:
    from evsynth.synthesis.stage import (load_synthesis, summary_line, write_audit_trail, write_network,
                                         write_publication_tables, write_vote_counts)

    from evsynth.config import review_config

    review = Path(args.review)
    own_files = any(getattr(args, o) for o in ("codebook", "cfir_domains", "extracts", "studies", "unit", "out")) \
        or args.threshold is not None
    if not own_files:  # the review's synthesis, exactly as the workflow runs it
        from evsynth.stages import run_in_review

        config = review_config(review)
        for name in ("theme_strength", "synthesis_audit", "synthesis_tables", "theme_network"):
            run_in_review(name, review, config)
        print(f"{(review / 'logs/theme_strength.log').read_text(encoding='utf-8').strip()} -> {review / OUT}",
              file=sys.stderr)
        return 0
    config = review_config(review, required=False)
    synthesis = dict(config.get("synthesis") or {})
    # Files named on the command line are relative to where the command runs, not to the review.
    for option, key in (("codebook", "codebook"), ("cfir_domains", "cfir_domains"), ("extracts", "extracts")):
        if getattr(args, option):
            synthesis[key] = str(Path(getattr(args, option)).resolve())
    if args.threshold is not None:
        if not 0 <= args.threshold <= 1:
            raise InputError("command line", f"--threshold {args.threshold} is out of range", field="--threshold",
                             expected="a share between 0 and 1, e.g. 0.10")
        synthesis["threshold"] = args.threshold
    config["synthesis"] = synthesis
    if args.unit:
        config["studies"] = {**(config.get("studies") or {}), "unit": args.unit}
    studies = Path(args.studies).resolve() if args.studies else STUDIES
    out = Path(args.out) if args.out else review / OUT

    inputs = load_synthesis(config, studies, base_dir=review)
    strength = write_vote_counts(inputs, out)
    write_audit_trail(inputs, out / "audit")
    write_publication_tables(inputs, out / "tables")
    write_network(inputs, out / "theme_cooccurrence.csv", out / "figures" / "theme_network.svg",
                  out / "figures" / "theme_network.png")
    print(f"{summary_line(inputs, strength)} -> {out}", file=sys.stderr)
    return 0


def run_explain(args: argparse.Namespace) -> int:
    from evsynth.synthesis.audit import audit_markdown, find_audit, load_audit_records

    records = load_audit_records(Path(args.review) / OUT / "audit")
    record = find_audit(records, args.theme)
    print(json.dumps(record, indent=2, ensure_ascii=False) if args.json else audit_markdown(record), end="")
    return 0

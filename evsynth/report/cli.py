"""``evsynth report [REVIEW]``: the report of a review directory from the results it holds."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from evsynth.errors import InputError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("review", nargs="?", default=".", help="review directory (config/ and results/); default: here")


def run(args: argparse.Namespace) -> int:
    import yaml

    from evsynth.report.stage import build_report, report_inputs, report_outputs, report_settings

    review = Path(args.review)
    path = review / "config" / "config.yaml"
    if not path.is_file():
        raise InputError(path, "no config file", expected="a review directory holding config/config.yaml and results/")
    with open(path, encoding="utf-8") as handle:
        config = yaml.safe_load(handle) or {}
    if not config.get("searches"):
        raise InputError(path, "no searches listed", field="searches",
                         expected="the config of a review the workflow has run on")
    outputs = report_outputs(config)
    sections = build_report(report_inputs(config, review), report_settings(config), outputs, base_dir=review)
    shown = ", ".join(entry["title"] for entry in sections["toc"])
    print(f"report with {shown} -> {review / outputs['html']}", file=sys.stderr)
    return 0

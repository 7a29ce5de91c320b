"""Report build time on a review the workflow has run on (the example review after `make run`).

Times the report's build in this process (reading the results, building the sections, rendering the
page, the workbook, the tables and the snapshot) and the whole `evsynth report REVIEW` command as a
user runs it (start-up and imports included), each over several runs: min, median and max seconds.
The target on the example review is under 5 s. Timings on a shared machine are noisy; for the
whole command `farm-bench -- .venv/bin/evsynth report .` gives the same figure with its spread.

    .venv/bin/python scripts/bench_report.py [REVIEW] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evsynth.config import load_config  # noqa: E402
from evsynth.report import build_report, report_settings  # noqa: E402
from evsynth.stages import stage_inputs, stage_outputs, stage_settings  # noqa: E402


def spread(seconds: list[float]) -> str:
    return f"min {min(seconds):.2f} s, median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("review", nargs="?", default=str(ROOT), help="a review directory the workflow has run on")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    review = Path(args.review)
    config = load_config(review)
    outputs = stage_outputs(config, "report")
    inputs = stage_inputs(config, "report", review)
    settings = report_settings(stage_settings(config, "report"))
    build_report(inputs, settings, outputs, base_dir=review)  # warm-up: the file cache, lazy imports
    in_process = []
    for _ in range(args.runs):
        start = time.perf_counter()
        build_report(inputs, settings, outputs, base_dir=review)
        in_process.append(time.perf_counter() - start)
    command = [str(Path(sys.executable).with_name("evsynth")), "report", str(review)]
    whole = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        whole.append(time.perf_counter() - start)
    sizes = ", ".join(f"{Path(path).name} {(review / path).stat().st_size / 1e6:.2f} MB" for path in outputs.values())
    print(f"report of {review.resolve().name}: {len(inputs) - 2} result inputs, {len(inputs['searches'])} exports")
    print(f"build_report (in process): {spread(in_process)} over {args.runs} runs")
    print(f"evsynth report (whole command): {spread(whole)} over {args.runs} runs (target < 5 s)")
    print(f"outputs: {sizes}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""How much a rerun of the example review costs after a complete run: seconds (wall, and CPU of the
Snakemake process and its jobs) and the jobs run, for (a) no change, (b) one edited cell of the measure
ratings, (c) a changed synthesis.threshold, (d) a new search file added.

    python scripts/bench_reruns.py [--keep DIR]

Works on a copy of the repository's example review in a temporary directory.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(ROOT / "Snakefile"), "--cores", "2"]
NEW_SEARCH = """TY  - JOUR
TI  - Peer support workers and the culture of crisis teams: an update
AU  - Green, Ann
PY  - 2019
JO  - Psychiatric Services
""" + "ER  - \n"  # RIS ends a record with "ER  - ", its space included


def run(review: Path) -> tuple[float, float, list[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(SNAKEMAKE + ["--directory", str(review)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(result.stderr[-3000:])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, job_names(result.stdout + result.stderr)


def job_names(log: str) -> list[str]:
    """The jobs of Snakemake's "Job stats" table (every job it ran), without the default rule."""
    lines = log.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("job ") and "count" in line), None)
    if start is None:
        return []
    jobs = []
    for line in lines[start + 2:]:
        if not line.strip() or line.startswith("total"):
            break
        jobs.append(line.split()[0])
    return sorted(set(jobs) - {"all"})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="work in this directory (kept) instead of a temporary one")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp())
    review = base / "example"
    shutil.rmtree(review, ignore_errors=True)
    shutil.copytree(ROOT / "config", review / "config")
    shutil.copytree(ROOT / "data" / "raw", review / "data" / "raw")
    wall, cpu, jobs = run(review)
    print(f"complete run: {wall:.1f} s wall, {cpu:.1f} s CPU, {len(jobs)} jobs")

    def case(label: str) -> None:
        wall, cpu, jobs = run(review)
        print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU, {len(jobs)} jobs: {', '.join(jobs) or '-'}")

    case("(a) no change")
    ratings = review / "data/raw/measure/ratings.csv"
    lines = ratings.read_text(encoding="utf-8").splitlines()
    site, item, rating, rater = lines[1].split(",")
    lines[1] = ",".join([site, item, "1" if rating != "1" else "2", rater])
    ratings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    case("(b) one measure rating edited")
    config_path = review / "config/config.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["synthesis"]["threshold"] = 0.105  # the same themes stay items (6/53 = 11.3%), so the ratings still fit
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    case("(c) synthesis.threshold changed")
    (review / "data/raw/searches/update.ris").write_text(NEW_SEARCH, encoding="utf-8")
    config["searches"].append({"database": "MEDLINE update", "date": "2019-03-01", "file": "data/raw/searches/update.ris"})
    config_path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    case("(d) a new search file added")
    if not args.keep:
        shutil.rmtree(base)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

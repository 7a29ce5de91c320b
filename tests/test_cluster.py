"""Jobs as separate processes that share only files, as on a cluster: the small review run through
Snakemake's cluster-generic executor, whose submit command is a local script, gives the same results
(SHA-256) as a local run. The SLURM profile is checked to parse and to name Snakemake's slurm executor."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile")]
SUBMIT = """#!/bin/sh
# cluster-generic appends the job script; run it in the background, print a job id
nohup sh "$1" > "$1.out" 2>&1 &
echo $!
"""


def small_review(root: Path, example_config) -> Path:
    config = example_config(robustness={"bootstrap": {"replicates": 50}})
    (root / "config").mkdir(parents=True)
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def digests(review: Path) -> dict[str, str]:
    return {p.relative_to(review).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for d in ("data/processed", "results") for p in sorted((review / d).rglob("*")) if p.is_file()}


def test_a_cluster_run_gives_the_same_results_as_a_local_one(tmp_path, example_config):
    local = small_review(tmp_path / "local", example_config)
    result = subprocess.run(SNAKEMAKE + ["--cores", "2", "--directory", str(local)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]

    cluster = small_review(tmp_path / "cluster", example_config)
    submit = tmp_path / "submit.sh"
    submit.write_text(SUBMIT, encoding="utf-8")
    submit.chmod(0o755)
    result = subprocess.run(SNAKEMAKE + ["--directory", str(cluster), "--executor", "cluster-generic",
                                         "--cluster-generic-submit-cmd", str(submit), "--jobs", "4",
                                         "--latency-wait", "30"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "cluster-generic" in result.stderr  # the jobs went through the submit script
    local_digests = digests(local)
    assert len(local_digests) > 40 and "results/synthesis/theme_strength.csv" in local_digests
    assert digests(cluster) == local_digests


def test_the_slurm_profile_uses_the_slurm_executor_and_the_stages_resources():
    profile = yaml.safe_load((REPO / "profiles/slurm/config.yaml").read_text(encoding="utf-8"))
    assert profile["executor"] == "slurm"
    assert {"mem_mb", "runtime", "slurm_partition", "slurm_account"} <= set(profile["default-resources"])
    rule = (REPO / "evsynth/workflow/rules/dedup.smk").read_text(encoding="utf-8")
    assert 'mem_mb=STAGES["dedup"].mem_mb' in rule and 'threads: STAGES["dedup"].threads' in rule

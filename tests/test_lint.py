"""The linters the project is held to, as the suite holds it to `snakemake --lint` (tests/test_workflow.py):
ruff over the package, scripts and tests, snakefmt over the Snakefile and rules (pyproject.toml configures both)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def test_ruff_is_clean():
    result = subprocess.run([str(BIN / "ruff"), "check", "."], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:]


def test_snakefmt_is_clean():
    result = subprocess.run([str(BIN / "snakefmt"), "--check", "evsynth/workflow/Snakefile", "evsynth/workflow/rules"],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

"""The package installs: a wheel built from the repository holds the workflow (Snakefile, rules,
schemas, templates, data), and `evsynth run` from a fresh environment with that wheel installed runs
a review outside the repository.

The fresh environment gets evsynth from the wheel only (installed without dependencies); its
dependencies are those already installed for the tests, put on its path by a .pth file, so the test
does not download them again."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_the_workflow_and_runs_a_review(tmp_path):
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(REPO)],
                           capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-3000:]
    wheel = next((tmp_path / "dist").glob("evsynth-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"evsynth/workflow/Snakefile", "evsynth/workflow/rules/dedup.smk",
            "evsynth/workflow/schemas/config.schema.yaml", "evsynth/report/templates/report.html.j2",
            "evsynth/data/column_aliases.yaml"} <= names

    env = tmp_path / "env"
    venv.create(env, with_pip=True)
    python = env / "bin" / "python"
    installed = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)],
                               capture_output=True, text=True)
    assert installed.returncode == 0, installed.stderr[-3000:]
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          capture_output=True, text=True, check=True).stdout.strip()
    Path(site, "test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    where = subprocess.run([str(python), "-c", "import evsynth; print(evsynth.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert where.stdout.strip().startswith(site), where.stdout + where.stderr

    review = tmp_path / "review"
    (review / "data" / "raw").mkdir(parents=True)
    (review / "data" / "raw" / "medline.ris").write_text(
        "TY  - JOUR\nTI  - Peer support workers in mental health teams\nAU  - Smith, Jane\nPY  - 2016\nER  - \n\n"
        "TY  - JOUR\nTI  - Peer support workers in mental health teams.\nAU  - Smith, J.\nPY  - 2016\nER  - \n",
        encoding="utf-8")
    (review / "config").mkdir()
    (review / "config" / "config.yaml").write_text(yaml.safe_dump(
        {"searches": [{"database": "MEDLINE", "date": "2020-01-01", "file": "data/raw/medline.ris"}]}), encoding="utf-8")
    run = subprocess.run([str(env / "bin" / "evsynth"), "run", str(review), "--cores", "1"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    # the workflow came from the installed package, not from the repository
    assert f"--snakefile {Path(site) / 'evsynth/workflow/Snakefile'}" in run.stderr
    assert str(REPO / "evsynth") not in run.stderr
    counts = (review / "results/ingest/identification_counts.csv").read_text(encoding="utf-8")
    assert counts.splitlines()[1].endswith(",2")
    assert (review / "results/report/index.html").is_file()

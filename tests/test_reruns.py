"""The rerun matrix: for every key the config schema defines and every table a person fills in, a
change plans exactly the stages that read it and those downstream of them: no needless work, no
stale result. Checked with Snakemake's dry run on a copy of the example review after a complete run.

What "reads it" means comes from the stage table (evsynth/stages.py), the same table the rules are
built from; the stage functions get nothing else (tests/test_stages.py), so the table is the truth.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from evsynth.config import config_schema, load_config
from evsynth.stages import REPORT_SHOWS, STAGES, Files, Output, Table, active

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--cores", "1"]

pytestmark = pytest.mark.xdist_group("report_example")

# A new value for every settings key of the schema (path keys are changed by editing their file).
CHANGES = {
    "allow_outside": ["data/raw"],
    "review.title": "Another title",
    "review.question": "Another question?",
    "review.synthetic": False,
    "review.inclusion_criteria": "Adults with serious mental illness; peer support.",
    "searches[0].database": "MEDLINE (Ovid)",
    "searches[0].date": "2018-07-15",
    "searches[0].format": "medline",
    "searches[0].source_type": "register",
    "searches[0].skip_broken_entries": True,
    "searches[0].round": 2,
    "screening.sample_fraction": 0.1,
    "screening.seed": 7,
    "screening.maybe_counts_as": "exclude",
    "screening.reviewers": ["RN", "DT"],
    "screening.order": "file",
    "screening.target_recall": 0.9,
    "screening.model.classifier": "svm",
    "screening.model.C": 2.0,
    "screening.model.ngram_max": 1,
    "screening.model.min_df": 2,
    "screening.model.sublinear_tf": False,
    "screening.model.class_weight": "none",
    "screening.model.include_weight": 2.0,
    "screening.model.keywords": False,
    "screening.model.fields": "joined",
    "screening.model.title_weight": 2.0,
    "screening.model.abstract_weight": 0.5,
    "screening.model.keywords_weight": 0.0,
    "screening.model.known_relevant": ["C-medline-0001"],
    "studies.unit": "study",
    "quality.cant_tell": 1,
    "quality.not_applicable": 0,
    "quality.grades": [{"grade": "good", "min_percent": 70}, {"grade": "poor", "min_percent": 0}],
    "quality.checklists": ["casp-qualitative-2018", "casp-rct-2006", "casp-cohort-2018", "casp-case-control-2018",
                           "casp-systematic-review-2018"],
    "quality.designs": {"qualitative": "casp-qualitative-2018"},
    "synthesis.threshold": 0.2,
    "synthesis.percent_decimals": 1,
    "synthesis.rounding": "half_even",
    "synthesis.confidence": 0.9,
    "synthesis.unclear_share": 0.6,
    "synthesis.network_min_units": 2,
    "robustness.top_k": 4,
    "robustness.subgroups": [],
    "robustness.sensitivity": [],
    "robustness.leave_one_out": False,
    "robustness.bootstrap.replicates": 100,
    "robustness.bootstrap.seed": 2,
    "robustness.bootstrap.confidence": 0.9,
    "measure.decimals": 2,
    "measure.rounding": "half_even",
    "measure.min_range": 3,
    "measure.floor_ceiling_share": 0.2,
    "measure.item_floor_ceiling_share": 0.6,
    "measure.validity": [],
}
PATH_KEYS = {"searches[0].file", "dedup.verdicts", "screening.decisions", "screening.resolutions",
             "screening.full_text", "studies.extraction", "quality.answers", "quality.checklist_files",
             "synthesis.codebook", "synthesis.cfir_domains", "synthesis.extracts", "measure.ratings", "measure.sites"}


def schema_keys(spec: dict, prefix: str = "") -> list[str]:
    """Every leaf key of the config schema (an entry of ``searches`` as searches[0])."""
    if spec.get("type") == "object" and "properties" in spec:
        return [key for name, sub in spec["properties"].items()
                for key in schema_keys(sub, f"{prefix}.{name}" if prefix else name)]
    if prefix == "searches":
        return schema_keys(spec["items"], "searches[0]")
    return [prefix]


def test_every_schema_key_has_a_case():
    assert sorted(schema_keys(config_schema())) == sorted([*CHANGES, *PATH_KEYS])


def readers(config: dict, key: str) -> set[str]:
    """The stages whose settings or input files come from ``key`` (the report shows the whole config)."""
    base = key.replace("[0]", "")
    found = set()
    for name, stage in STAGES.items():
        if not active(config, name):
            continue
        settings = [s for s in stage.settings if s != "config"]
        if any(base == s or base.startswith(s + ".") for s in settings) or "config" in stage.settings:
            found.add(name)
        for spec in stage.inputs.values():
            if isinstance(spec, (Table, Files)) and spec.key == base:
                found.add(name)
        if base == "searches.file" and "searches" in stage.inputs.values():
            found.add(name)
    if base in PATH_KEYS - {"searches[0].file", "quality.checklist_files"}:
        found.add("validate_inputs")  # it fingerprints every table
    return found


def downstream(config: dict, names: set[str]) -> set[str]:
    """``names`` and every stage that reads their outputs, transitively."""
    planned = set(names)
    while True:
        more = {name for name, stage in STAGES.items() if active(config, name) and name not in planned and (
            any(isinstance(s, Output) and s.stage in planned for s in stage.inputs.values())
            or (name == "report" and planned & set(REPORT_SHOWS)))}
        if not more:
            return planned
        planned |= more


def planned_jobs(review: Path) -> set[str]:
    result = subprocess.run(SNAKEMAKE + ["--directory", str(review), "--dry-run", "--quiet", "rules"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = (result.stdout + result.stderr).splitlines()
    if any("Nothing to be done" in line for line in lines):
        return set()
    start = next(i for i, line in enumerate(lines) if line.startswith("job ") and "count" in line)
    jobs = set()
    for line in lines[start + 2:]:
        if not line.strip() or line.startswith("total"):
            break
        jobs.add(line.split()[0])
    return jobs - {"all"}


@pytest.fixture(scope="module")
def finished(example_run, tmp_path_factory) -> Path:
    """A copy of the example review after a complete run (times kept, so nothing is newer)."""
    review = tmp_path_factory.mktemp("reruns") / "example"
    shutil.copytree(example_run, review, symlinks=True)
    return review


def set_key(config: dict, key: str, value) -> None:
    parts = key.replace("[0]", ".0").split(".")
    target = config
    for part in parts[:-1]:
        target = target[int(part)] if part.isdigit() else target.setdefault(part, {})
    target[parts[-1]] = value


def test_a_rerun_with_nothing_changed_plans_nothing(finished):
    assert planned_jobs(finished) == set()


@pytest.mark.parametrize("key", sorted(CHANGES))
def test_a_changed_setting_plans_exactly_its_readers(finished, key):
    path = finished / "config" / "config.yaml"
    original = path.read_bytes()
    config = yaml.safe_load(original)
    expected = downstream(load_config(finished), readers(load_config(finished), key))
    set_key(config, key, CHANGES[key])
    try:
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        assert planned_jobs(finished) == expected
    finally:
        path.write_bytes(original)


def table_paths(config: dict) -> list[tuple[str, str]]:
    found = [("searches[0].file", config["searches"][0]["file"])]
    for key in sorted(PATH_KEYS - {"searches[0].file", "quality.checklist_files"}):
        section, name = key.split(".")
        value = config[section][name]
        found.append((key, value[0] if isinstance(value, list) else value))
    return found


@pytest.mark.parametrize("index", range(12))
def test_an_edited_table_plans_exactly_its_readers(finished, index):
    config = load_config(finished)
    key, relative = table_paths(config)[index]
    path = finished / relative
    original, stat = path.read_bytes(), path.stat()
    expected = downstream(config, readers(config, key))
    try:
        path.write_bytes(original + b"\n")  # a blank line at the end: other bytes, same rows
        assert planned_jobs(finished) == expected, key
    finally:
        path.write_bytes(original)
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def test_a_table_rewritten_with_the_same_content_plans_nothing(finished):
    path = finished / load_config(finished)["measure"]["ratings"]
    path.write_bytes(path.read_bytes())
    assert planned_jobs(finished) == set()


def test_a_new_checklist_file_reruns_the_appraisal(finished):
    path = finished / "config" / "config.yaml"
    original = path.read_bytes()
    checklist = finished / "data/raw/quality/own_checklist.yaml"
    checklist.write_text((REPO / "evsynth/data/checklists/casp-qualitative-2018.yaml").read_text(encoding="utf-8")
                         .replace("id: casp-qualitative-2018", "id: own-qualitative"), encoding="utf-8")
    config = yaml.safe_load(original)
    config["quality"]["checklist_files"] = ["data/raw/quality/own_checklist.yaml"]
    try:
        path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        assert planned_jobs(finished) == downstream(load_config(finished), {"quality", "report"})
    finally:
        path.write_bytes(original)
        checklist.unlink()


def test_the_stale_figure_case_reruns_the_figure(finished):
    """review.synthetic labels the quality figures: the quality stage declares it, so it reruns."""
    assert "review.synthetic" in STAGES["quality"].settings
    assert "quality" in readers(load_config(finished), "review.synthetic")

"""The report stage: which result files it shows, where it writes, and the one entry point.

``build_report(inputs, settings, outputs)`` reads exactly the files named in ``inputs`` (a
mapping of names to paths, as a Snakemake rule passes them) and writes exactly ``outputs``.
``report_inputs`` and ``report_outputs`` find those paths for a review from its config, for the
rule and for ``evsynth report`` alike. A section is shown when every input it needs is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from evsynth.measure.stage import OUT_DIR as MEASURE_DIR
from evsynth.measure.stage import workflow_targets as measure_targets
from evsynth.prisma.run import OUT_DIR as PRISMA_DIR
from evsynth.prisma.run import workflow_targets as prisma_targets
from evsynth.quality.run import OUT_DIR as QUALITY_DIR
from evsynth.quality.run import workflow_targets as quality_targets
from evsynth.robustness.stage import OUT_DIR as ROBUSTNESS_DIR
from evsynth.robustness.stage import workflow_targets as robustness_targets
from evsynth.screening.stage import OUT_DIR as SCREENING_DIR
from evsynth.screening.stage import workflow_targets as screening_targets
from evsynth.studies import INCLUDED_STUDIES
from evsynth.synthesis.stage import workflow_targets as synthesis_targets

OUT_DIR = "results/report"
VERSIONS_DIR = f"{OUT_DIR}/versions"
SNAPSHOT_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")

# The result files each section shows, by the name build_report knows them by.
SECTION_INPUTS: dict[str, dict[str, str]] = {
    "identification": {
        "identification": "results/ingest/identification_counts.csv",
        "dedup_summary": "results/dedup/summary.csv",
        "clusters": "results/dedup/clusters.csv",
        "uncertain_pairs": "results/dedup/uncertain_pairs.csv",
        "validation": "results/inputs/validation.csv",
    },
    "screening": {
        "screening_status": f"{SCREENING_DIR}/status.csv",
        "agreement": f"{SCREENING_DIR}/agreement.csv",
        "agreement_table": f"{SCREENING_DIR}/agreement_table.csv",
        "agreement_text": f"{SCREENING_DIR}/agreement.md",
        "disagreements": f"{SCREENING_DIR}/disagreements.csv",
        "title_abstract_outcome": f"{SCREENING_DIR}/title_abstract_outcome.csv",
        "reports": f"{SCREENING_DIR}/reports.csv",
    },
    "prisma": {
        "prisma_counts": f"{PRISMA_DIR}/prisma2020.csv",
        "prisma_checks": f"{PRISMA_DIR}/checks.csv",
        "prisma_figure": f"{PRISMA_DIR}/prisma2020.svg",
    },
    "studies": {
        "included_studies": INCLUDED_STUDIES,
    },
    "quality": {
        "casp_scores": f"{QUALITY_DIR}/casp_scores.csv",
        "casp_items": f"{QUALITY_DIR}/casp_items.csv",
        "grade_counts": f"{QUALITY_DIR}/grade_counts.csv",
        "grades_by_design": f"{QUALITY_DIR}/grades_by_design.csv",
        "double_appraisals": f"{QUALITY_DIR}/double_appraisals.csv",
        "quality_agreement": f"{QUALITY_DIR}/agreement.csv",
        "scoring_rule": f"{QUALITY_DIR}/scoring_rule.txt",
        "traffic_light": f"{QUALITY_DIR}/traffic_light.svg",
    },
    "synthesis": {
        "theme_strength": "results/synthesis/theme_strength.csv",
        "audit": "results/synthesis/audit",
        "theme_network": "results/synthesis/figures/theme_network.svg",
    },
    "robustness": {
        "robustness_summary": f"{ROBUSTNESS_DIR}/summary.csv",
        "robustness_analyses": f"{ROBUSTNESS_DIR}/analyses.csv",
        "leave_one_out": f"{ROBUSTNESS_DIR}/leave_one_out.csv",
        "bootstrap": f"{ROBUSTNESS_DIR}/bootstrap.csv",
        "rank_bump": f"{ROBUSTNESS_DIR}/figures/rank_bump.svg",
    },
    "measure": {
        "measure_items": f"{MEASURE_DIR}/items.csv",
        "site_scores": f"{MEASURE_DIR}/site_scores.csv",
        "validity": f"{MEASURE_DIR}/validity.csv",
        "measure_summary": f"{MEASURE_DIR}/summary.md",
        "heatmap": f"{MEASURE_DIR}/figures/site_item_heatmap.svg",
    },
}


def configured_sections(config: Mapping) -> list[str]:
    """The sections whose stage the config sets up (the same test the default rule uses)."""
    studies = (config.get("screening") or {}).get("full_text") and (config.get("studies") or {}).get("extraction")
    present = {"identification": True, "screening": bool(screening_targets(config)),
               "prisma": bool(prisma_targets(config)), "studies": bool(studies),
               "quality": bool(quality_targets(config)), "synthesis": bool(synthesis_targets(config)),
               "robustness": bool(robustness_targets(config)), "measure": bool(measure_targets(config))}
    return [name for name in SECTION_INPUTS if present[name]]


def latest_search_date(config: Mapping) -> str:
    return max(str(search["date"]) for search in config["searches"])


def previous_snapshots(config: Mapping, base_dir: str | Path = ".") -> list[str]:
    """Snapshots of earlier versions of the report: those dated before the latest search."""
    versions = Path(base_dir) / VERSIONS_DIR
    current = latest_search_date(config)
    if not versions.is_dir():
        return []
    return sorted(f"{VERSIONS_DIR}/{path.name}" for path in versions.iterdir()
                  if SNAPSHOT_NAME.match(path.name) and path.stem < current)


def report_inputs(config: Mapping, base_dir: str | Path = ".") -> dict[str, str | list[str]]:
    """Named paths (relative to the review directory) of every result file the report shows."""
    inputs: dict[str, str | list[str]] = {}
    for section in configured_sections(config):
        inputs.update(SECTION_INPUTS[section])
    inputs["searches"] = [str(search["file"]) for search in config["searches"]]
    inputs["previous_snapshots"] = previous_snapshots(config, base_dir)
    return inputs


def report_outputs(config: Mapping) -> dict[str, str]:
    outputs = {"html": f"{OUT_DIR}/index.html", "workbook": f"{OUT_DIR}/supplementary.xlsx",
               "snapshot": f"{VERSIONS_DIR}/{latest_search_date(config)}.json"}
    if "studies" in configured_sections(config):
        outputs["characteristics"] = f"{OUT_DIR}/characteristics_of_included_studies.csv"
        outputs["characteristics_counts"] = f"{OUT_DIR}/characteristics_counts.csv"
    return outputs


def report_settings(config: Mapping) -> dict:
    """What the report takes from the config: the review's title and question, and the config as run."""
    from evsynth.synthesis.stage import section_settings

    review = config.get("review") or {}
    return {"title": review.get("title") or "Untitled review", "question": review.get("question") or "",
            "synthetic": bool(review.get("synthetic")), "unit": section_settings(config, "studies")["unit"],
            "config": dict(config)}


def build_report(inputs: Mapping, settings: Mapping, outputs: Mapping, base_dir: str | Path = ".") -> dict:
    """Read the named result files, build every section, write the page, workbook, tables and snapshot.

    Paths are relative to ``base_dir`` (the review directory). Everything is read and rendered
    before the first file is written, so bad input leaves no partial report behind.
    """
    from evsynth.report.characteristics import characteristics_counts
    from evsynth.report.load import load_results
    from evsynth.report.render import render_page
    from evsynth.report.sections import build_sections
    from evsynth.report.snapshots import dump_snapshot
    from evsynth.report.workbook import supplementary_workbook
    from evsynth.xlsx import save_workbook
    from evsynth.fileio import atomic_path, write_csv

    base = Path(base_dir)
    results = load_results(inputs, base)
    sections = build_sections(results, settings)
    snapshot = sections["snapshot"]
    html = render_page(sections)
    workbook = supplementary_workbook(results, sections)
    with atomic_path(base / outputs["html"]) as tmp:
        tmp.write_text(html, encoding="utf-8")
    save_workbook(workbook, base / outputs["workbook"])
    if "studies" in sections:
        write_csv(sections["studies"]["table"], base / outputs["characteristics"])
        write_csv(characteristics_counts(sections["studies"]["table"]), base / outputs["characteristics_counts"])
    with atomic_path(base / outputs["snapshot"]) as tmp:
        tmp.write_text(dump_snapshot(snapshot), encoding="utf-8")
    return sections

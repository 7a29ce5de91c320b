"""The report stage: the one entry point.

``build_report(inputs, settings, outputs)`` reads exactly the files named in ``inputs`` (a
mapping of names to paths, as the report rule passes them: evsynth/stages.py says which) and
writes exactly ``outputs``. A section is shown when every input it needs is given.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def report_settings(settings: Mapping) -> dict:
    """What the page takes from the config: the review's title and question, and the config as run."""
    review = settings["review"]
    return {"title": review.get("title") or "Untitled review", "question": review.get("question") or "",
            "synthetic": bool(review.get("synthetic")), "unit": settings["studies"]["unit"],
            "config": settings["config"]}


def stage(input, output, settings, log) -> dict:
    """The workflow's report stage: exactly the result files of the stages that ran."""
    sections = build_report(input, report_settings(settings), output)
    with open(log, "w", encoding="utf-8") as handle:
        handle.write("sections: " + ", ".join(entry["title"] for entry in sections["toc"]) + "\n")
    return sections


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

"""Loading the result files the report shows: each named input read once, checked, fingerprinted.

Tables are read as text (empty cells as ''), so the page shows a number exactly as the stage
wrote it. A missing file or column stops the build with the file, the column and the stage that
writes it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.fileio import sha256_of
from evsynth.tables import read_stage_table

# Every table input: the columns the report uses and the stage that writes it (for the message).
TABLES: dict[str, tuple[tuple[str, ...], str]] = {
    "identification": (("database", "source_type", "search_date", "source_file", "records"), "rule ingest"),
    "dedup_summary": (("section", "key", "value"), "rule dedup"),
    "clusters": (("record_id", "cluster_id"), "rule dedup"),
    "uncertain_pairs": (("record_id_1", "record_id_2", "database_1", "database_2", "title_1", "title_2",
                         "year_1", "year_2", "score"), "rule dedup"),
    "validation": (("table", "file", "rows", "sha256"), "rule validate_inputs"),
    "screening_status": (("key", "value"), "rule screening"),
    "agreement": (("stage", "statistic", "value", "ci_low", "ci_high", "n"), "rule screening"),
    "agreement_table": (("stage", "reviewer_a", "reviewer_b", "decision_a", "decision_b", "n"), "rule screening"),
    "disagreements": (("stage", "cluster_id", "reviewer_a", "decision_a", "reviewer_b", "decision_b",
                       "resolution", "resolved_by", "title"), "rule screening"),
    "title_abstract_outcome": (("cluster_id", "decision"), "rule screening"),
    "imported_unmatched": (("source", "row", "tool", "reviewer", "decision", "title", "reason"), "rule screening"),
    "reports": (("cluster_id", "decision", "exclusion_reason", "study_id", "title"), "rule screening"),
    "prisma_counts": (("data", "description", "n"), "rule prisma"),
    "prisma_checks": (("check", "left", "right", "holds"), "rule prisma"),
    "prisma_update_counts": (("data", "description", "n"), "rule prisma"),
    "included_studies": (("study_id", "citation", "design"), "rule included_studies"),
    "study_sources": (("study_id", "cluster_id", "database", "source_file", "source_id", "doi", "pmid"),
                      "rule study_sources"),
    "citation_checks": (("study_id", "citation", "record_cluster_id", "record_first_author", "record_year",
                         "differs"), "rule study_sources"),
    "casp_scores": (("study_id", "checklist", "yes", "scored_items", "percent", "grade"), "rule quality"),
    "casp_items": (("study_id", "checklist", "item", "question", "answer", "source", "points", "counted"),
                   "rule quality"),
    "grade_counts": (("grade", "studies"), "rule quality"),
    "grades_by_design": (("design", "studies"), "rule quality"),
    "double_appraisals": (("study_id", "checklist", "appraiser_a", "appraiser_b", "items", "agreed",
                           "disagreed_items", "scored_on"), "rule quality"),
    "quality_agreement": (("appraiser_a", "appraiser_b", "studies", "statistic", "value", "ci_low", "ci_high", "n"),
                          "rule quality"),
    "theme_strength": (("code_id", "theme", "level", "parent_id", "n", "N", "percent", "ci_low", "ci_high",
                        "rank_label", "direction", "flagged", "cfir_domains"), "rule theme_strength"),
    "robustness_summary": (("analysis", "n_studies", "themes_dropped", "top_k_changed", "kendall_tau_b",
                            "spearman_rho", "verdict"), "rule robustness"),
    "robustness_analyses": (("analysis", "kind", "filters", "n_studies", "study_ids"), "rule robustness"),
    "leave_one_out": (("study_id", "citation", "themes_dropped", "top_k_changed", "max_rank_shift",
                       "kendall_tau_b", "spearman_rho"), "rule robustness"),
    "bootstrap": (("code_id", "theme", "n", "rank", "median_rank", "rank_low", "rank_high", "p_first", "p_top_k",
                   "p_flagged"), "rule robustness"),
    "measure_items": (("item", "code_id", "theme", "n_sites", "mean", "min", "max", "range", "floor", "ceiling"),
                      "rule measure"),
    "site_scores": (("site", "sum_score", "max_score", "mean_item_score"), "rule measure"),
    "validity": (("kind", "attribute", "group", "n_sites", "sites", "mean_item_score"), "rule measure"),
}
TEXTS = {"agreement_text": "rule screening", "scoring_rule": "rule quality", "measure_summary": "rule measure"}
FIGURES = {"prisma_figure": "rule prisma", "prisma_update_figure": "rule prisma", "traffic_light": "rule quality", "theme_network": "rule theme_network",
           "rank_bump": "rule robustness", "heatmap": "rule measure"}
AUDIT = "audit"


@dataclass
class FileRecord:
    """One file the report was built from: its path as given, SHA-256 and row count (tables)."""

    name: str
    path: str
    sha256: str
    rows: int | None = None
    note: str = ""


@dataclass
class Results:
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    figures: dict[str, bytes] = field(default_factory=dict)
    audit: list[dict] = field(default_factory=list)
    searches: list[FileRecord] = field(default_factory=list)
    previous: list[tuple[str, dict]] = field(default_factory=list)  # (path, snapshot)
    files: list[FileRecord] = field(default_factory=list)

    def has(self, *names: str) -> bool:
        known = {*self.tables, *self.texts, *self.figures, *([AUDIT] if self.audit else [])}
        return all(name in known for name in names)


def _missing(path: Path, made_by: str) -> InputError:
    return InputError(path, "file does not exist", expected=f"the output of {made_by} (run the workflow first)")


def _read_text(path: Path, made_by: str) -> str:
    if not path.is_file():
        raise _missing(path, made_by)
    return path.read_text(encoding="utf-8")


def _read_audit(directory: Path) -> tuple[list[dict], FileRecord]:
    files = sorted(directory.glob("*.json")) if directory.is_dir() else []
    if not files:
        raise InputError(directory, "no audit records found", expected="the audit trail of rule synthesis_audit")
    records, digest = [], hashlib.sha256()
    for path in files:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as error:
            raise InputError(path, f"not valid JSON ({error.msg})", line=error.lineno,
                             expected="an audit record written by rule synthesis_audit") from None
        for key in ("code_id", "label", "level", "result", "studies_counted", "extracts"):
            if key not in record:
                raise InputError(path, f"the audit record has no '{key}'", field=key,
                                 expected="an audit record written by rule synthesis_audit")
        records.append(record)
        digest.update(f"{path.name} {sha256_of(path)}\n".encode())
    # One line for the directory: the SHA-256 of its files' names and SHA-256s, in name order.
    return records, FileRecord(AUDIT, directory.as_posix(), digest.hexdigest(), len(records),
                               "audit records; SHA-256 of 'name sha256' lines in name order")


def _read_snapshot(path: Path) -> dict:
    if not path.is_file():
        raise _missing(path, "an earlier report (results/report/versions/)")
    try:
        snapshot = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise InputError(path, f"not valid JSON ({error.msg})", line=error.lineno,
                         expected="a snapshot written by an earlier report") from None
    if not isinstance(snapshot, dict) or "date" not in snapshot:
        raise InputError(path, "the snapshot has no 'date'", field="date",
                         expected="a snapshot written by an earlier report")
    return snapshot


def load_results(inputs: Mapping, base_dir: str | Path = ".") -> Results:
    """Read every named input (unknown names are an error: the rule and the report must agree)."""
    base = Path(base_dir)
    known = {*TABLES, *TEXTS, *FIGURES, AUDIT, "searches", "previous_snapshots"}
    unknown = sorted(set(inputs) - known)
    if unknown:
        raise InputError("report inputs", f"unknown input name(s) {', '.join(unknown)}",
                         expected=f"names among {', '.join(sorted(known))}")
    results = Results()
    for name, given in inputs.items():
        if name in ("searches", "previous_snapshots"):
            continue
        path = base / str(given)
        shown = Path(str(given)).as_posix()
        if name in TABLES:
            columns, made_by = TABLES[name]
            frame = read_stage_table(path, columns, f"the output of {made_by}")
            results.tables[name] = frame
            results.files.append(FileRecord(name, shown, sha256_of(path), len(frame)))
        elif name in TEXTS:
            results.texts[name] = _read_text(path, TEXTS[name])
            results.files.append(FileRecord(name, shown, sha256_of(path)))
        elif name in FIGURES:
            if not path.is_file():
                raise _missing(path, FIGURES[name])
            results.figures[name] = path.read_bytes()
            results.files.append(FileRecord(name, shown, sha256_of(path)))
        else:
            results.audit, record = _read_audit(path)
            record.path = shown
            results.files.append(record)
    for given in inputs.get("searches") or []:
        path = base / str(given)
        if not path.is_file():
            raise InputError(path, "file does not exist", expected="the search export the config names")
        results.searches.append(FileRecord("search export", Path(str(given)).as_posix(), sha256_of(path)))
    for given in inputs.get("previous_snapshots") or []:
        results.previous.append((Path(str(given)).as_posix(), _read_snapshot(base / str(given))))
    return results

"""The robustness stage: every configured analysis compared with the full synthesis, written out.

Everything is computed before the first file is written, so bad input leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from evsynth.fileio import atomic_path, write_csv
from evsynth.markdown import escape
from evsynth.robustness.compare import compare, verdict
from evsynth.robustness.resample import (bootstrap, bootstrap_table, bootstrap_verdict, leave_one_out,
                                         leave_one_out_verdict)
from evsynth.robustness.settings import (CONFIG, GRADE, Analysis, check_attributes, checked_section,
                                         configured_analyses, select_studies)
from evsynth.synthesis.stage import SynthesisInputs, load_synthesis, synthesis_inputs
from evsynth.synthesis.votes import vote_counts
from evsynth.tables import read_stage_table

SUMMARY_COLUMNS = ["analysis", "n_studies", "themes_dropped", "top_k_changed", "kendall_tau_b", "spearman_rho",
                   "verdict"]
ANALYSIS_COLUMNS = ["analysis", "kind", "filters", "n_studies", "n_units", "study_ids", "themes_dropped",
                    "fell_below", "rose_above", "top_k", "full_top_k", "top_k_changed", "max_rank_shift",
                    "kendall_tau_b", "kendall_p", "spearman_rho", "spearman_p", "verdict"]
FULL = "all included studies"


@dataclass
class Robustness:
    summary: pd.DataFrame
    analyses: pd.DataFrame
    rankings: pd.DataFrame
    leave_one_out: pd.DataFrame
    bootstrap: pd.DataFrame
    settings: dict
    threshold: float
    columns: list  # (analysis, heading) of the bump chart

    def verdicts_markdown(self, title: str = "Does the ranking hold?") -> str:
        lines = [f"# {title}", ""]
        for row in self.summary.itertuples():
            lines += [f"- **{escape(row.analysis)}**: {escape(row.verdict)}"]
        return "\n".join(lines) + "\n"


def study_table(units: pd.DataFrame, scores: pd.DataFrame | None) -> pd.DataFrame:
    """One row per study with its attributes (and its CASP grade when the review has scores)."""
    studies = units.drop_duplicates("study_id").reset_index(drop=True).copy()
    studies["study_id"] = studies["study_id"].astype(str)
    if scores is not None:
        grades = dict(zip(scores["study_id"].astype(str), scores["grade"].astype(str)))
        studies[GRADE] = studies["study_id"].map(grades).fillna("")
    return studies


def read_quality_scores(path: str | Path) -> pd.DataFrame:
    return read_stage_table(path, ("study_id", "grade"),
                            "the CASP scores of the quality stage (rule quality, or `evsynth quality`)")


def _round(value: float) -> float:
    return round(value, 4) if np.isfinite(value) else np.nan


def _empty_verdict(analysis: Analysis, studies: pd.DataFrame) -> str:
    found = []
    for attribute in {**analysis.filters.get("include", {}), **analysis.filters.get("exclude", {})}:
        values = sorted({str(v) for v in studies[attribute] if str(v)})
        found.append(f"{attribute} takes {', '.join(values) if values else 'no value'}")
    return (f"No included study is left in '{analysis.name}', so there is nothing to compare "
            f"(in the included studies {'; '.join(found)}).")


def analyse(inputs: SynthesisInputs, settings: Mapping, scores: pd.DataFrame | None = None,
            extraction_name: str = "the extraction sheet", config_name: str = CONFIG) -> Robustness:
    """Run every analysis of the ``robustness`` settings on the synthesis inputs (nothing is written)."""
    matrix = inputs.matrix("theme")
    labels = {code: inputs.codebook.label(code) for code in matrix.columns}
    rules, top_k = inputs.rules, int(settings["top_k"])
    units = inputs.units.copy()
    units["study_id"] = units["study_id"].astype(str)
    studies = study_table(units, scores)
    analyses = configured_analyses(settings)
    check_attributes(analyses, studies, extraction_name, scores is not None, config_name)

    full = vote_counts(matrix, rules=rules)
    reference = compare(full, full, labels, top_k, analysis=FULL)
    rankings = [reference.table]
    summary, details = [], []
    columns = [(FULL, f"All\n({len(studies)} studies)")]
    for analysis in analyses:
        kept = select_studies(studies, analysis)
        chosen = list(units.index[units["study_id"].isin(kept)])
        subset = vote_counts(matrix, chosen, rules=rules)
        c = compare(full, subset, labels, top_k, analysis=analysis.name)
        if kept:
            sentence = verdict(analysis.phrase(len(kept), len(studies) - len(kept)), c, full, subset, labels,
                               rules.threshold, top_k)
            rankings.append(c.table)
            columns.append((analysis.name, f"{analysis.name}\n({len(kept)} studies)"))
        else:
            sentence = _empty_verdict(analysis, studies)
        summary.append({"analysis": analysis.name, "n_studies": len(kept), "themes_dropped": len(c.dropped),
                        "top_k_changed": c.top_k_changed if kept else pd.NA,
                        "kendall_tau_b": _round(c.kendall_tau_b), "spearman_rho": _round(c.spearman_rho),
                        "verdict": sentence})
        details.append({
            "analysis": analysis.name, "kind": analysis.kind,
            "filters": "; ".join(f"{kind} {attribute} = {', '.join(values)}"
                                 for kind, filters in analysis.filters.items() for attribute, values in filters.items()),
            "n_studies": len(kept), "n_units": c.n_units, "study_ids": ";".join(kept),
            "themes_dropped": "; ".join(labels[d] for d in c.dropped),
            "fell_below": "; ".join(labels[f] for f in c.fell), "rose_above": "; ".join(labels[r] for r in c.rose),
            "top_k": "; ".join(labels[t] for t in c.top_k) if kept else "",
            "full_top_k": "; ".join(labels[t] for t in c.full_top_k),
            "top_k_changed": c.top_k_changed if kept else pd.NA, "max_rank_shift": c.max_rank_shift if kept else pd.NA,
            "kendall_tau_b": _round(c.kendall_tau_b), "kendall_p": _round(c.kendall_p),
            "spearman_rho": _round(c.spearman_rho), "spearman_p": _round(c.spearman_p), "verdict": sentence})

    loo = pd.DataFrame()
    if settings["leave_one_out"] and len(studies) > 1:
        loo = leave_one_out(matrix, units, full, labels, rules, top_k)
        summary.append({"analysis": "leave one study out", "n_studies": len(studies) - 1,
                        "themes_dropped": len({t for text in loo["themes_dropped"] for t in text.split("; ") if t}),
                        "top_k_changed": bool(loo["top_k_changed"].any()),
                        "kendall_tau_b": loo["kendall_tau_b"].min(), "spearman_rho": loo["spearman_rho"].min(),
                        "verdict": leave_one_out_verdict(loo, rules.threshold, top_k)})
    boot = pd.DataFrame()
    replicates = int(settings["bootstrap"]["replicates"])
    if replicates and len(studies):
        confidence = float(settings["bootstrap"]["confidence"])
        result = bootstrap(matrix, units, full, rules, replicates, int(settings["bootstrap"]["seed"]))
        boot = bootstrap_table(result, full, labels, top_k, confidence)
        summary.append({"analysis": "bootstrap", "n_studies": len(studies),
                        "themes_dropped": pd.NA,  # differs from resample to resample: see bootstrap.csv
                        "top_k_changed": pd.NA,
                        "kendall_tau_b": _round(float(np.nanmedian(result.kendall_tau_b))),
                        "spearman_rho": _round(float(np.nanmedian(result.spearman_rho))),
                        "verdict": bootstrap_verdict(result, boot, rules.threshold, top_k, confidence)})
    rankings = pd.concat(rankings, ignore_index=True)
    if rules.percent_decimals == 0:
        rankings[["percent", "full_percent"]] = rankings[["percent", "full_percent"]].astype("Int64")
    summary = pd.DataFrame(summary, columns=SUMMARY_COLUMNS).astype({"themes_dropped": "Int64"})
    return Robustness(summary=summary,
                      analyses=pd.DataFrame(details, columns=ANALYSIS_COLUMNS),
                      rankings=rankings, leave_one_out=loo, bootstrap=boot,
                      settings=dict(settings), threshold=rules.threshold, columns=columns)


def write_robustness(result: Robustness, out_dir: str | Path) -> None:
    from evsynth.robustness.figures import bump_chart  # matplotlib only when drawing, not when Snakemake parses

    out = Path(out_dir)
    from evsynth.robustness.resample import BOOTSTRAP_COLUMNS, LEAVE_ONE_OUT_COLUMNS

    loo = result.leave_one_out if len(result.leave_one_out) else pd.DataFrame(columns=LEAVE_ONE_OUT_COLUMNS)
    boot = result.bootstrap if len(result.bootstrap) else pd.DataFrame(columns=BOOTSTRAP_COLUMNS)
    bump_chart(result.rankings, result.columns, out / "figures" / "rank_bump.svg", out / "figures" / "rank_bump.png",
               result.threshold)
    for name, table in (("summary.csv", result.summary), ("analyses.csv", result.analyses),
                        ("rankings.csv", result.rankings), ("leave_one_out.csv", loo), ("bootstrap.csv", boot)):
        write_csv(table, out / name)
    with atomic_path(out / "verdicts.md") as tmp:
        tmp.write_text(result.verdicts_markdown(), encoding="utf-8")


def stage(input, output, settings, log) -> Robustness:
    """The workflow's robustness stage: the synthesis inputs and, when the review grades its studies,
    the quality scores."""
    inputs = synthesis_inputs(input, settings)
    scores = read_quality_scores(input["quality_scores"]) if input.get("quality_scores") else None
    result = analyse(inputs, checked_section(settings, "robustness"), scores, input["extraction"])
    write_robustness(result, Path(output["robustness_summary"]).parent)
    with open(log, "w", encoding="utf-8") as handle:
        handle.write(result.verdicts_markdown())
    return result


def run_robustness(config: Mapping, studies_path: str | Path, scores_path: str | Path | None, out_dir: str | Path,
                   log_path: str | None = None, base_dir: str | Path = ".", config_name: str = CONFIG) -> Robustness:
    """The stage on one's own files (``evsynth robustness --studies ...``): a config's synthesis
    tables and robustness settings."""
    settings = checked_section(config, "robustness", config_name)
    inputs = load_synthesis(config, studies_path, base_dir)
    scores = read_quality_scores(Path(base_dir) / scores_path) if scores_path else None
    result = analyse(inputs, settings, scores, str(studies_path), config_name)
    write_robustness(result, out_dir)
    if log_path:
        with open(log_path, "w", encoding="utf-8") as log:
            log.write(result.verdicts_markdown())
    return result

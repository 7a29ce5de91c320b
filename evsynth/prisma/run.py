"""Reading the stage outputs the flow is counted from, and writing results/prisma/."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.fileio import write_csv
from evsynth.prisma.counts import PrismaFlow, flow_checks_table, flow_counts, prisma2020_table
from evsynth.tables import read_stage_table


def _read_csv(path: str | Path, columns: list[str]) -> pd.DataFrame:
    return read_stage_table(path, columns, "the output of the earlier workflow stage")


def duplicates_removed(summary_path: str | Path) -> int:
    """The deduplication summary's ``totals, duplicates_removed``."""
    summary = _read_csv(summary_path, ["section", "key", "value"])
    row = summary[(summary["section"] == "totals") & (summary["key"] == "duplicates_removed")]
    if len(row) != 1:
        raise InputError(summary_path, "no row section=totals, key=duplicates_removed", field="key",
                         expected="the summary written by the dedup stage")
    return int(row["value"].iloc[0])


def load_flow(identification_path: str | Path, dedup_summary_path: str | Path, outcome_path: str | Path,
              reports_path: str | Path) -> PrismaFlow:
    identification = _read_csv(identification_path, ["database", "source_type", "records"])
    identification["records"] = identification["records"].astype(int)
    outcome = _read_csv(outcome_path, ["cluster_id", "decision"])
    reports = _read_csv(reports_path, ["cluster_id", "decision", "exclusion_reason", "study_id"])
    return flow_counts(identification, duplicates_removed(dedup_summary_path), outcome, reports)


def run_prisma(identification_path: str | Path, dedup_summary_path: str | Path, outcome_path: str | Path,
               reports_path: str | Path, out_dir: str | Path, log_path: str | Path | None = None) -> PrismaFlow:
    """Write prisma2020.csv, checks.csv, prisma2020.svg and prisma2020.png into ``out_dir``."""
    from evsynth.prisma.diagram import save_flow  # matplotlib only when drawing, not when Snakemake parses

    flow = load_flow(identification_path, dedup_summary_path, outcome_path, reports_path)
    out = Path(out_dir)
    checks = flow_checks_table(flow)
    write_csv(prisma2020_table(flow), out / "prisma2020.csv")
    write_csv(checks, out / "checks.csv")
    save_flow(flow, out / "prisma2020.svg", out / "prisma2020.png")
    if log_path:
        with open(log_path, "w", encoding="utf-8") as log:
            log.write(prisma2020_table(flow)[["data", "n"]].to_csv(index=False, lineterminator="\n") + "\n")
            log.write(checks.to_csv(index=False, lineterminator="\n"))
    return flow


def run_update_flow(searches, identification_path: str | Path, clusters_path: str | Path, outcome_path: str | Path,
                    reports_path: str | Path, output: dict):
    """The flow for updated reviews (more than one round of searches): CSV, SVG and PNG."""
    from evsynth.prisma.diagram import save_update_flow
    from evsynth.prisma.update import update_flow

    identification = _read_csv(identification_path, ["database", "source_type", "source_file", "records"])
    clusters = _read_csv(clusters_path, ["source_file", "cluster_id"])
    outcome = _read_csv(outcome_path, ["cluster_id", "decision"])
    reports = _read_csv(reports_path, ["cluster_id", "decision", "exclusion_reason", "study_id"])
    update = update_flow(searches, identification, clusters, outcome, reports)
    write_csv(prisma2020_table(update.flow, update.previous, update.total), output["prisma_update_counts"])
    save_update_flow(update.flow, update.previous, update.total, output["prisma_update_figure"],
                     output["prisma_update_png"])
    return update


def stage(input, output, settings, log) -> PrismaFlow:
    """The workflow's prisma stage (and, with more than one round of searches, the flow for updated
    reviews: its outputs are there only then)."""
    flow = run_prisma(input["identification"], input["dedup_summary"], input["outcome"], input["reports"],
                      Path(output["prisma_counts"]).parent, log)
    if "prisma_update_counts" in output:
        update = run_update_flow(settings["searches"], input["identification"], input["clusters"], input["outcome"],
                                 input["reports"], output)
        if log:
            with open(log, "a", encoding="utf-8") as handle:
                handle.write(f"\nupdate (round {update.round}): previous studies {update.previous[0]}, new records "
                             f"identified {update.flow.identified}, screened {update.flow.records_screened}, new "
                             f"studies {update.flow.new_studies}, total studies {update.total[0]}\n")
    return flow

"""The dedup stage of the workflow: a review's records (+ a person's verdicts) in, results/dedup/ and
data/processed/unique.parquet out. ``evsynth dedup FILE...`` (dedup/cli.py) writes the same files
for exports given on the command line."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from evsynth.dedup.pipeline import DedupResult, deduplicate
from evsynth.columns import python_values

CLUSTER_COLUMNS = ["source_file", "source_id", "record_id", "cluster_id", "rule", "score"]


def clusters_table(records: pd.DataFrame, result: DedupResult) -> pd.DataFrame:
    """One row per exported record: where it came from, its cluster and the evidence of its link."""
    frame = records[["source_file", "source_id", "record_id"]].reset_index(drop=True)
    links = result.links
    # deduplicate() gives the links in the records' order: then the join is the columns side by
    # side (a merge on a million record ids costs more than writing the file)
    if len(links) == len(frame) and np.array_equal(links["record_id"].to_numpy(dtype=object),
                                                   frame["record_id"].to_numpy(dtype=object)):
        for name in ("cluster_id", "rule", "score"):
            frame[name] = links[name].to_numpy()
        return frame[CLUSTER_COLUMNS]
    return frame.merge(links, on="record_id", how="left", validate="one_to_one")[CLUSTER_COLUMNS]


def _unique_for_csv(unique: pd.DataFrame) -> pd.DataFrame:
    out = unique.copy()
    for column in ("authors", "keywords"):
        if column in out.columns:
            out[column] = _joined(out[column])
    return out


def _joined(values: pd.Series):
    """Each list of names or keywords as one text, '; ' between them (missing stays missing)."""
    if isinstance(values.dtype, pd.ArrowDtype):
        import pyarrow as pa
        import pyarrow.compute as pc

        column = values.array.__arrow_array__()
        kind = column.type
        # Arrow joins the lists at once; it cannot write a missing item as 'None' as str() does
        if (pa.types.is_list(kind) and pa.types.is_string(kind.value_type)
                and pc.list_flatten(column).null_count == 0):
            return pd.Series(pd.arrays.ArrowExtensionArray(pc.binary_join(column, "; ")), index=values.index)
    return [("; ".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else v)
            for v in python_values(values)]


def write_outputs(records: pd.DataFrame, result: DedupResult, out_dir: str | Path, xlsx: bool = False) -> None:
    """DIR/clusters.csv, unique.csv, unique.ris, uncertain_pairs.csv, pairs.csv and summary.csv (atomically).

    With ``xlsx`` also DIR/uncertain_pairs.xlsx: the sheet a person fills in (column ``verdict``:
    same / different) and saves into data/raw/ for the next run.
    """
    from evsynth.fileio import write_csv
    from evsynth.writers import write_records
    from evsynth.writers.common import with_cluster_ids

    out = Path(out_dir)
    write_csv(clusters_table(records, result), out / "clusters.csv")
    write_csv(_unique_for_csv(result.unique), out / "unique.csv")
    # the unique records, ready to import into Rayyan, Covidence or a reference manager
    write_records(with_cluster_ids(result.unique), out / "unique.ris")
    write_csv(result.uncertain, out / "uncertain_pairs.csv")
    write_csv(result.pairs, out / "pairs.csv")
    write_csv(result.summary_table(), out / "summary.csv")
    if xlsx:
        from evsynth.xlsx import write_table_xlsx

        write_table_xlsx(result.uncertain, out / "uncertain_pairs.xlsx", "uncertain pairs")


def read_verdicts(path: str | Path | None) -> pd.DataFrame | None:
    """A person's verdicts (validated against their schema), or None when no file is named."""
    if not path:
        return None
    from evsynth.tables import read_table

    verdicts = read_table(path, "dedup_verdicts")
    verdicts.attrs["source"] = str(path)
    return verdicts


def run_review(records_path: str | Path, verdicts_path: str | Path | None, out_dir: str | Path,
               unique_path: str | Path, log_path: str | Path) -> DedupResult:
    """The workflow's dedup step: records.parquet (+ a person's verdicts) -> results/dedup/ and
    data/processed/unique.parquet. Same code as the CLI; only the inputs differ."""
    from evsynth.fileio import write_parquet

    records = pd.read_parquet(records_path)
    lines: list[str] = []
    result = deduplicate(records, read_verdicts(verdicts_path), progress=lines.append)
    write_outputs(records, result, out_dir, xlsx=True)
    write_parquet(result.unique, unique_path)
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("\n".join(lines) + "\n")
    return result


def stage(input, output, settings, log) -> DedupResult:
    """The workflow's dedup stage (its outputs are the standard names in results/dedup/)."""
    return run_review(input["records"], input.get("verdicts"), Path(output["clusters"]).parent,
                      output["unique"], log)

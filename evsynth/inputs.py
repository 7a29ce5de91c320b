"""The tables a review's people provide, where config names them, and their validation."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from evsynth.fileio import sha256_of, write_csv
from evsynth.tables import read_table

def configured_tables(config: Mapping, base_dir: str | Path = ".") -> list[tuple[str, str]]:
    """(schema, path) for every input table the config names, in a fixed order."""
    from evsynth.stages import all_tables

    return all_tables(config, base_dir)


COLUMNS = ["table", "file", "rows", "sha256", "formula_cells"]


def validate_tables(config: Mapping, base_dir: str | Path = ".") -> pd.DataFrame:
    """Validate every configured table; one row per table with its size, SHA-256 and the cells read
    through a formula's saved value."""
    return fingerprint_tables(configured_tables(config, base_dir), base_dir)


def fingerprint_tables(tables, base_dir: str | Path = ".") -> pd.DataFrame:
    rows = []
    for schema, path in tables:
        frame = read_table(Path(base_dir) / path, schema)
        rows.append({"table": schema, "file": path, "rows": len(frame),
                     "sha256": sha256_of(Path(base_dir) / path),
                     "formula_cells": ", ".join(frame.attrs["formula_cells"])})
    return pd.DataFrame(rows, columns=COLUMNS)


def formula_warnings(summary: pd.DataFrame) -> list[str]:
    """One line per table with formulas: they were read through their saved values (worth a look)."""
    return [f"warning: {row.file}: {len(row.formula_cells.split(', '))} formula cell(s) read from the values "
            f"saved with them ({row.formula_cells})" for row in summary.itertuples() if row.formula_cells]


def stage(input: Mapping, output: Mapping, settings: Mapping, log: str) -> None:
    """The workflow's validate_inputs stage: its inputs are named by their tables' schemas."""
    tables = [(schema, path) for schema, paths in input.items() if schema != "records" for path in paths]
    write_validation(fingerprint_tables(tables), output["validation"], log)


def write_validation(summary: pd.DataFrame, out_path: str, log_path: str) -> None:
    write_csv(summary, out_path)
    warnings = formula_warnings(summary)
    for line in warnings:
        print(f"evsynth: {line}", file=sys.stderr)
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(summary.to_string(index=False) + "\n" + "".join(line + "\n" for line in warnings))

"""The tables a review's people provide, where config names them, and their validation."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from evsynth.fileio import sha256_of, write_csv
from evsynth.tables import read_table

# (config section, key, schema) of every table a person fills in.
TABLES = [
    ("dedup", "verdicts", "dedup_verdicts"),
    ("screening", "decisions", "screening_decisions"),
    ("screening", "resolutions", "screening_resolutions"),
    ("screening", "full_text", "full_text"),
    ("studies", "extraction", "extraction"),
    ("quality", "answers", "casp_answers"),
    ("synthesis", "codebook", "codebook"),
    ("synthesis", "cfir_domains", "cfir_domains"),
    ("synthesis", "extracts", "extracts"),
    ("measure", "ratings", "measure_ratings"),
    ("measure", "sites", "measure_sites"),
]


def configured_tables(config: Mapping) -> list[tuple[str, str]]:
    """(schema, path) for every input table the config names, in a fixed order."""
    found = []
    for section, key, schema in TABLES:
        value = (config.get(section) or {}).get(key)
        for path in [value] if isinstance(value, str) else (value or []):
            found.append((schema, path))
    return found


COLUMNS = ["table", "file", "rows", "sha256", "formula_cells"]


def validate_tables(config: Mapping, base_dir: str | Path = ".") -> pd.DataFrame:
    """Validate every configured table; one row per table with its size, SHA-256 and the cells read
    through a formula's saved value."""
    rows = []
    for schema, path in configured_tables(config):
        frame = read_table(Path(base_dir) / path, schema)
        rows.append({"table": schema, "file": path, "rows": len(frame),
                     "sha256": sha256_of(Path(base_dir) / path),
                     "formula_cells": ", ".join(frame.attrs["formula_cells"])})
    return pd.DataFrame(rows, columns=COLUMNS)


def formula_warnings(summary: pd.DataFrame) -> list[str]:
    """One line per table with formulas: they were read through their saved values (worth a look)."""
    return [f"warning: {row.file}: {len(row.formula_cells.split(', '))} formula cell(s) read from the values "
            f"saved with them ({row.formula_cells})" for row in summary.itertuples() if row.formula_cells]


def run_validation(config: Mapping, out_path: str, log_path: str) -> None:
    summary = validate_tables(config)
    write_csv(summary, out_path)
    warnings = formula_warnings(summary)
    for line in warnings:
        print(f"evsynth: {line}", file=sys.stderr)
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(summary.to_string(index=False) + "\n" + "".join(line + "\n" for line in warnings))

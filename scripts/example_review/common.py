"""What every part of the generator shares: its random streams and its CSV tables."""

from __future__ import annotations

import csv
import io
import random

SYNTHETIC_NOTE = "Synthetic record (evsynth example review); not a real publication."
SYNTHETIC_MARK = "SYNTHETIC example data (see data/raw/README.md)"


def rng_for(seed: int, name: str) -> random.Random:
    """An independent, reproducible stream per component (str seeds are hashed with SHA-512)."""
    return random.Random(f"{seed}:{name}")


def csv_bytes(header: list, rows: list) -> bytes:
    """A CSV table; where it has a note column, its first row says the data are synthetic (a comment line
    would break the table)."""
    if rows and "note" in header:
        i = header.index("note")
        rows = [list(row) for row in rows]
        rows[0][i] = f"{SYNTHETIC_MARK}; {rows[0][i]}" if rows[0][i] else SYNTHETIC_MARK
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")

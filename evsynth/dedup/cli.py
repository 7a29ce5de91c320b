"""``evsynth dedup FILE... --out DIR``: deduplicate search exports given on the command line."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from evsynth.dedup.pipeline import DedupResult, deduplicate
from evsynth.dedup.stage import read_verdicts, write_outputs

def run_cli(files: Sequence[str], out_dir: str | Path, verdicts: str | None = None,
            progress: bool = True) -> DedupResult:
    """Read export files (any format the readers know), deduplicate, write DIR/clusters.csv etc.

    Each file is its own search: its database is the file's name without extension and its
    search date 1970-01-01 (the CLI has no config to say otherwise).
    """
    from evsynth.dedup.storage import compact
    from evsynth.errors import InputError
    from evsynth.ingest import read_searches

    if not files:
        raise InputError("command line", "no export files given", expected="FILE...")
    for name in files:
        if not Path(name).is_file():
            raise InputError(name, "file does not exist", expected="a search export (RIS, BibTeX, MEDLINE, "
                             "WoS, Scopus CSV, CSV/TSV/XLSX)")
    searches = [{"database": Path(f).stem, "date": "1970-01-01", "file": str(f)} for f in files]
    records = read_searches(searches, ".", config_name="command line", each=compact)
    result = deduplicate(records, read_verdicts(verdicts), progress=progress)
    write_outputs(records, result, out_dir)
    if progress:
        s = result.summary
        print(f"{s['records_in']} records -> {s['clusters']} unique ({s['duplicates_removed']} duplicates, "
              f"{s['uncertain_pairs']} pairs for a person) -> {out_dir}", file=sys.stderr)
    return result

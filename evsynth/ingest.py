"""Ingest: every search export listed in config becomes rows of one records table.

One row per exported record (nothing is merged here), with normalised fields, its provenance
(database, search date, file, position, the export's own id) and a stable ``record_id``.
"""

from __future__ import annotations

import gc
import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from evsynth.config import check_searches
from evsynth.errors import InputError
from evsynth.readers import read_columns
from evsynth.readers.parallel import while_waiting
from evsynth.records import COLUMNS, FIELDS, make_record_id

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

# Given a list, pandas looks at every value to infer the column's type (about a second per 100,000
# records); these columns hold text or lists of text (the readers' contract), so they are handed
# over as object arrays. year and position stay lists: int64, or float64 where a year is missing.
_OBJECT_COLUMNS = frozenset(FIELDS + ["record_id"]) - {"year"}


def _objects(values: list) -> np.ndarray:
    import numpy as np

    return np.fromiter(values, dtype=object, count=len(values))


def _import_pandas() -> None:
    importlib.import_module("pandas")


def read_search(search: Mapping, base_dir: Path, broken: list[InputError] | None = None) -> pd.DataFrame:
    """Read one export into records rows with provenance and record ids.

    With ``skip_broken_entries`` set for the search, a BibTeX entry that cannot be read is added
    to ``broken`` (its error names the file, line and entry) and the others are read.
    """
    rel = str(search["file"])
    database = str(search["database"]).strip()
    date = str(search["date"])
    skipped: list[InputError] | None = [] if search.get("skip_broken_entries") else None
    # Column lists rather than one dict per record: half the time on 100,000 records. pandas (half a
    # second to import) is imported while this process waits for the reader's second process, if
    # it does, rather than before the read.
    with while_waiting(_import_pandas):
        columns = read_columns(base_dir / rel, fmt=search.get("format", "auto"), broken=skipped)
    import pandas as pd

    if skipped and broken is not None:
        broken.extend(skipped)
    positions = list(range(1, len(columns["title"]) + 1))
    source_ids = [sid if sid else str(pos) for sid, pos in zip(columns["source_id"], positions)]
    columns["source_id"] = source_ids
    used: set[str] = set()
    record_ids = []
    # The id is computed from the title as exported (markup and all), as it always was.
    titles = [raw or title for raw, title in zip(columns["title_raw"], columns["title"])]
    for position, source_id, title in zip(positions, source_ids, titles):
        record_id = make_record_id(database, date, source_id, title)
        if record_id in used:
            # The same id and title twice in one export: the position tells them apart.
            record_id = make_record_id(database, date, f"{source_id}#{position}", title)
        used.add(record_id)
        record_ids.append(record_id)
    columns.update(record_id=record_ids, database=database, search_date=date, source_file=rel,
                   position=positions)
    # copy=False: the arrays are this frame's own, and each stays its own block; copied into one
    # block of the object columns (pandas' default) they cost 0.8 s per 100,000 records, every
    # record's objects touched again.
    frame = pd.DataFrame({name: _objects(values) if name in _OBJECT_COLUMNS else values
                          for name, values in columns.items()}, columns=COLUMNS, copy=False)
    frame["source_type"] = search.get("source_type", "database")
    return frame


def read_searches(searches: Sequence[Mapping], base_dir: str | Path = ".",
                  config_name: str = "config", broken: list[InputError] | None = None,
                  each: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> pd.DataFrame:
    """All searches as one records table, in config order then export order (``broken``: see
    ``read_search``). ``each`` is applied to each export's rows as soon as they are read (the
    deduplication stores them compactly before the next export is read)."""
    base = Path(base_dir)
    check_searches(searches, base, config_name)
    # As in read_export: millions of objects made and none freed, so the cyclic collector's passes
    # over them would be wasted (a third of the time of turning 100,000 records into columns).
    enabled = gc.isenabled()
    gc.disable()
    try:
        frames = [read_search(search, base, broken) if each is None else each(read_search(search, base, broken))
                  for search in searches]
    finally:
        if enabled:
            gc.enable()
    import pandas as pd

    records = pd.concat(frames, ignore_index=True)
    records["year"] = records["year"].astype("Int64")
    records["position"] = records["position"].astype("int64")
    return records


def identification_counts(records: pd.DataFrame) -> pd.DataFrame:
    """Records identified per database and search: the PRISMA 'records identified' boxes."""
    counts = (records.groupby(["source_type", "database", "search_date", "source_file"], sort=False)
              .size().rename("records").reset_index())
    return counts[["database", "source_type", "search_date", "source_file", "records"]]


IDENTIFIERS = {"doi": "DOI", "pmid": "PMID", "wos_ut": "WoS UT", "scopus_eid": "Scopus EID", "isbn": "ISBN"}
BLANK_COLUMNS = ["database", "search_date", "source_file", "position", "record_id", "authors", "year", "journal"]
BLANK_FILE = "records_without_title_or_id.csv"


def records_without_title_or_id(records: pd.DataFrame) -> pd.DataFrame:
    """The records nobody could screen or link: no title and none of DOI, PMID, WoS UT, Scopus EID, ISBN.

    They stay in the records table (an export is never trimmed); this lists them for a person to look at.
    """
    blank = records["title"].isna()
    for column in IDENTIFIERS:
        blank &= records[column].isna()
    found = records.loc[blank, BLANK_COLUMNS].copy()
    found["authors"] = ["; ".join(a) if a is not None and len(a) else "" for a in found["authors"]]
    return found.reset_index(drop=True)


def blank_warnings(records: pd.DataFrame, blank: pd.DataFrame, listed_in: object) -> list[str]:
    """One line per export with such records: how many, where in the file, where they are listed."""
    lines = []
    for source_file, group in blank.groupby("source_file", sort=False):
        total = int((records["source_file"] == source_file).sum())
        positions = [str(p) for p in group["position"]]
        shown = ", ".join(positions[:10]) + (f" and {len(positions) - 10} more" if len(positions) > 10 else "")
        lines.append(f"warning: {source_file}: {len(group)} of {total} records have no title and no identifier "
                     f"({', '.join(IDENTIFIERS.values())}): records {shown} of the file; they are kept, and listed "
                     f"in {listed_in}")
    return lines


def write_ingest(records: pd.DataFrame, records_path: str | Path, counts_path: str | Path,
                 blank_path: str | Path) -> list[str]:
    """Records (Parquet), identification counts and the records without title or identifier (CSV);
    says on stderr where the latter are, and returns what it said."""
    from evsynth.fileio import write_csv, write_parquet

    blank = records_without_title_or_id(records)
    write_parquet(records, records_path)
    write_csv(identification_counts(records), counts_path)
    write_csv(blank, blank_path)
    warnings = blank_warnings(records, blank, blank_path)
    for line in warnings:
        print(f"evsynth: {line}", file=sys.stderr)
    return warnings


def report_broken(broken: Sequence[InputError]) -> None:
    """Tell the person which entries were skipped (they are not in the records or the counts)."""
    for error in broken:
        print(f"evsynth: skipped a broken entry (not counted): {error}", file=sys.stderr)


def run_ingest(searches: Sequence[Mapping], base_dir: str | Path, records_path: str,
               counts_path: str, log_path: str | None = None, blank_path: str | None = None) -> pd.DataFrame:
    """The workflow's ingest step: records table (Parquet), identification counts and the records
    without title or identifier (CSV)."""
    broken: list[InputError] = []
    records = read_searches(searches, base_dir, broken=broken)
    blank_path = blank_path or str(Path(counts_path).parent / BLANK_FILE)
    warnings = write_ingest(records, records_path, counts_path, blank_path)
    report_broken(broken)
    if log_path:
        with open(log_path, "w", encoding="utf-8") as log:
            log.write(identification_counts(records).to_string(index=False) + f"\n{len(records)} records in total\n"
                      + "".join(line + "\n" for line in warnings)
                      + "".join(f"skipped a broken entry (not counted): {error}\n" for error in broken))
    return records


def stage(input: Mapping, output: Mapping, settings: Mapping, log: str | None) -> pd.DataFrame:
    """The workflow's ingest stage: the searches of the settings, whose files are the inputs."""
    return run_ingest(settings["searches"], ".", output["records"], output["identification"], log, output["blank"])

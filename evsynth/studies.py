"""The included studies: the full-text inclusions joined to the extraction sheet.

Every later stage (quality, synthesis, robustness) counts over this one table, so a study that is
included but not extracted, or extracted but never included, stops the run here.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.fileio import write_csv
from evsynth.tables import read_table



def included_studies(full_text_path: str | Path, extraction_path: str | Path) -> pd.DataFrame:
    """One row per included study: its extraction attributes, its reports and their count."""
    full_text = read_table(full_text_path, "full_text")
    extraction = read_table(extraction_path, "extraction")

    duplicated = extraction[extraction["study_id"].duplicated(keep="first")]
    if len(duplicated):
        row = int(duplicated.index[0]) + 2
        raise InputError(extraction_path, f"study '{duplicated['study_id'].iloc[0]}' is listed twice",
                         row=row, field="study_id", expected="one row per included study")

    included = full_text[full_text["decision"] == "include"]
    reports = (included.groupby("study_id", sort=True)["cluster_id"]
               .agg(lambda ids: ";".join(sorted(set(ids)))))
    known = set(extraction["study_id"])
    for index, row in included.iterrows():
        if row["study_id"] not in known:
            raise InputError(full_text_path, f"included report belongs to study '{row['study_id']}', "
                             f"which the extraction sheet {extraction_path} does not list",
                             row=int(index) + 2, field="study_id",
                             expected="a study_id that has a row in the extraction sheet")
    for index, row in extraction.iterrows():
        if row["study_id"] not in reports.index:
            raise InputError(extraction_path, f"study '{row['study_id']}' has no included report "
                             f"in {full_text_path}", row=int(index) + 2, field="study_id",
                             expected="a study_id given to an included report in the full-text decisions")

    studies = extraction.copy()
    studies["reports"] = studies["study_id"].map(reports)
    studies["n_reports"] = studies["reports"].str.count(";") + 1
    return studies.sort_values("study_id", kind="stable").reset_index(drop=True)


def stage(input, output, settings, log) -> pd.DataFrame:
    """The workflow's included_studies stage."""
    table = included_studies(input["full_text"], input["extraction"])
    write_csv(table, output["studies"])
    with open(log, "w", encoding="utf-8") as handle:
        handle.write(f"{len(table)} included studies from {table['n_reports'].sum()} reports\n")
    return table

"""The characteristics of included studies: the table every review publishes, and its counts.

One row per included study: its citation, design, country, year, the setting attributes of the
extraction sheet (every column it has beyond the standard ones), its CASP grade when the review
grades studies, and the reports (unique records) it was included from.
"""

from __future__ import annotations

import pandas as pd

# Columns of the extraction sheet that are not setting attributes, and those the studies stage adds.
STANDARD = ("study_id", "citation", "design", "country", "year", "first_author")
ADDED = ("reports", "n_reports")
COUNTED_BY = ("design", "country", "year")


def setting_attributes(studies: pd.DataFrame) -> list[str]:
    return [column for column in studies.columns if column not in STANDARD + ADDED]


def characteristics_table(studies: pd.DataFrame, scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """study_id, citation, design, country, year, attributes..., [casp_percent, grade], n_reports, reports."""
    columns = [c for c in STANDARD[:5] if c in studies.columns] + setting_attributes(studies)
    table = studies[columns].copy()
    if scores is not None:
        by_study = scores.set_index("study_id")
        table["casp_percent"] = table["study_id"].map(by_study["percent"]).fillna("")
        table["grade"] = table["study_id"].map(by_study["grade"]).fillna("")
    for column in ADDED[::-1]:
        if column in studies.columns:
            table[column] = studies[column]
    return table[[c for c in table.columns if c != "reports"] + (["reports"] if "reports" in table else [])]


def characteristics_counts(table: pd.DataFrame) -> pd.DataFrame:
    """attribute, value, studies: the included studies counted by design, country and year.

    Designs and countries come most frequent first (ties by name); years in order.
    """
    rows = []
    for attribute in COUNTED_BY:
        if attribute not in table.columns:
            continue
        values = table[attribute].astype(str).replace("", "not stated")
        counts = values.value_counts()
        order = (sorted(counts.index) if attribute == "year"
                 else sorted(counts.index, key=lambda value: (-counts[value], value)))
        rows += [{"attribute": attribute, "value": value, "studies": int(counts[value])} for value in order]
    return pd.DataFrame(rows, columns=["attribute", "value", "studies"])

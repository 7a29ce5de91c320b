"""The counting units (publications or studies) and the coded extracts checked against them.

A unit is what vote counting counts: by default each included publication (report); with
``studies.unit: study`` each study, grouping its reports. An extract names the ``study_id`` it came
from, or, when a study has several reports and publications are counted, the report's
``cluster_id``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.synthesis.codebook import Codebook
from evsynth.tables import read_table

UNITS = ("publication", "study")
EXTRACT_COLUMNS = ["extract_id", "study_id", "code_id", "direction", "quote", "coder", "page"]


def analysis_units(studies: pd.DataFrame, unit: str = "publication") -> pd.DataFrame:
    """One row per counting unit, indexed by ``unit_id``, with its study's attributes.

    ``studies`` is the included-studies table (``study_id``, ``citation``, optional ``reports``
    separated by ';', and any attributes). A study's attributes are copied to each of its reports.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {UNITS}, not {unit!r}")
    frame = studies.copy()
    if "reports" not in frame.columns:
        frame["reports"] = frame["study_id"]
    frame["reports"] = frame["reports"].fillna("").astype(str)
    frame["report"] = frame["reports"].map(lambda text: [r for r in text.split(";") if r] or [""])
    if unit == "study":
        units = frame.assign(unit_id=frame["study_id"])
    else:
        units = frame.explode("report", ignore_index=True)
        several = units["study_id"].map(units["study_id"].value_counts()) > 1
        units["unit_id"] = units["study_id"].where(~several, units["report"])
        units["citation"] = units["citation"].where(~several, units["citation"] + " [" + units["report"] + "]")
        units["reports"] = units["report"]
        if "n_reports" in units.columns:
            units["n_reports"] = 1
    units = units.drop(columns=["report"])
    return units.set_index("unit_id", drop=True).rename_axis("unit_id")


def _unit_lookup(units: pd.DataFrame) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Map each name an extract may use to its unit, and each multi-report study to its reports."""
    lookup: dict[str, str] = {}
    ambiguous: dict[str, list[str]] = {}
    for unit_id, record in units.iterrows():
        lookup[str(unit_id)] = str(unit_id)
        for report in str(record.get("reports", "") or "").split(";"):
            if report:
                lookup[report] = str(unit_id)
    for study_id, group in units.groupby("study_id", sort=False):
        if len(group) == 1:
            lookup[str(study_id)] = str(group.index[0])
        else:
            ambiguous[str(study_id)] = [str(u) for u in group.index]
    return lookup, ambiguous


def read_extracts(path: str | Path, codebook: Codebook, units: pd.DataFrame,
                  studies_path: str | Path = "the included studies") -> pd.DataFrame:
    """Read coded extracts and check each against the codebook and the included units.

    Returns the table with ``row`` (spreadsheet row), ``unit_id`` and the node's ``level`` added.
    """
    path = Path(path)
    table = read_table(path, "extracts")
    for column in EXTRACT_COLUMNS:
        if column not in table.columns:
            table[column] = ""
    table = table[EXTRACT_COLUMNS].copy()
    table.insert(0, "row", range(2, len(table) + 2))

    lookup, ambiguous = _unit_lookup(units)
    examples = ", ".join(codebook.nodes()[:3])
    first_id: dict[str, int] = {}
    first_content: dict[tuple, tuple[str, int]] = {}
    unit_ids = []
    for record in table.to_dict("records"):
        row, extract_id = record["row"], record["extract_id"]
        if extract_id in first_id:
            raise InputError(path, f"extract '{extract_id}' is listed twice (first at row {first_id[extract_id]})",
                             row=row, field="extract_id", expected="a unique extract_id on every row")
        first_id[extract_id] = row
        if record["code_id"] not in codebook.graph:
            raise InputError(path, f"code '{record['code_id']}' is not in the codebook {codebook.path}",
                             row=row, field="code_id", expected=f"a code_id of the codebook (e.g. {examples})")
        name = record["study_id"]
        if name in ambiguous:
            raise InputError(path, f"study '{name}' has {len(ambiguous[name])} reports and publications are "
                             "counted (studies.unit: publication)", row=row, field="study_id",
                             expected=f"the report's cluster_id ({', '.join(ambiguous[name])}), "
                                      "or studies.unit: study in the config")
        if name not in lookup:
            known = sorted(units["study_id"].astype(str).unique())
            raise InputError(path, f"study '{name}' is not an included study (see {studies_path})",
                             row=row, field="study_id",
                             expected=f"one of the {len(known)} included study_ids ({_span(known)})")
        unit_ids.append(lookup[name])
        content = (name, record["code_id"], record["direction"], record["quote"], record["coder"])
        if record["quote"] and content in first_content:
            earlier, earlier_row = first_content[content]
            raise InputError(path, f"extract '{extract_id}' repeats extract '{earlier}' (row {earlier_row}): "
                             "same study, code, direction, quote and coder", row=row, field="extract_id",
                             expected="each coded passage once per coder")
        first_content.setdefault(content, (extract_id, row))
    table["unit_id"] = unit_ids
    table["level"] = [codebook.level(code) for code in table["code_id"]]
    return table


def _span(ids: list[str]) -> str:
    return ", ".join(ids) if len(ids) <= 6 else f"{', '.join(ids[:3])}, ..., {ids[-1]}"

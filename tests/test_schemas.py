"""The schemas describe tables of any review: no attribute value or column of the example review in them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from evsynth.paths import SCHEMAS
from evsynth.tables import read_table

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
# The columns every review's extraction sheet and sites table have; the others are the example's own.
STUDY_COLUMNS = {"study_id", "citation", "first_author", "year", "country", "design"}
SITE_COLUMNS = {"site", "country"}


def example_attributes() -> dict[str, set[str]]:
    """Attribute column -> its values, from the example review's extraction sheet and sites table."""
    found: dict[str, set[str]] = {}
    for path, common in ((RAW / "extraction/studies.csv", STUDY_COLUMNS), (RAW / "measure/sites.csv", SITE_COLUMNS)):
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in table.columns.difference(sorted(common)):
            found.setdefault(column, set()).update(v for v in table[column] if v)
    return found


def literals(node) -> list[str]:
    """Every enum and const value anywhere in a schema."""
    if isinstance(node, dict):
        found = [str(v) for v in node.get("enum", [])] + ([str(node["const"])] if "const" in node else [])
        return found + [value for child in node.values() for value in literals(child)]
    if isinstance(node, list):
        return [value for child in node for value in literals(child)]
    return []


def test_no_schema_names_an_attribute_or_a_value_of_the_example_review():
    attributes = example_attributes()
    assert set(attributes) == {"modality", "income_group", "psw_experience"}  # what this test guards
    values = set().union(*attributes.values())
    for path in sorted(SCHEMAS.glob("*.schema.yaml")):
        text = path.read_text(encoding="utf-8")
        named = [a for a in attributes if a in text]
        assert not named, f"{path.name} names the example's attribute(s) {named}"
        fixed = set(literals(yaml.safe_load(text))) & values
        assert not fixed, f"{path.name} fixes the example's attribute value(s) {sorted(fixed)}"


def test_an_extraction_sheet_takes_any_attribute_values(tmp_path):
    path = tmp_path / "studies.csv"
    path.write_text("study_id,citation,design,modality,income_group,setting\n"
                    "S01,Smith et al. (2016),qualitative,Online,Upper middle,inpatient\n", encoding="utf-8")
    row = read_table(path, "extraction").iloc[0]
    assert row[["modality", "income_group", "setting"]].tolist() == ["Online", "Upper middle", "inpatient"]


def test_a_sites_table_needs_only_the_site(tmp_path):
    path = tmp_path / "sites.csv"
    path.write_text("site,region,years_running\nUlm,Europe,3\nPune,Asia,\n", encoding="utf-8")
    assert read_table(path, "measure_sites")[["site", "region"]].to_dict("list") == {
        "site": ["Ulm", "Pune"], "region": ["Europe", "Asia"]}

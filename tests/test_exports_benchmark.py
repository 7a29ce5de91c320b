"""Every real export in ../shared/benchmarks/exports/ read through `evsynth ingest`, as a user would.

The count and the title, first author, year and DOI of each file's first and last record are
compared with the benchmark's expected.tsv (counted and read independently of evsynth, from the
raw file: a title there is its first 60 characters, BibTeX braces and all).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

EXPORTS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "exports"
EVSYNTH = Path(sys.executable).with_name("evsynth")

# Cells of expected.tsv that are empty although the raw file has the value (looked up by hand in
# the file; gold labels can be wrong): what the file says, and where.
READ_BY_HAND = {
    # L3 line 117 of the last record: "L3  - 10.11975/j.issn.1002-6819.2016.21.005" (EBSCO's bare DOI)
    ("synthesisr__ASP_ris_example.ris", "doi_last"): "10.11975/j.issn.1002-6819.2016.21.005",
    # the last row's Source: "Journal of Endourology Case Reports (2017) 3:1 (31-33). Date of Publication: ..."
    ("asreview__embase.csv", "year_last"): "2017",
    # EndNote XML was unsupported when expected.tsv was made, so it gives only the count; first and
    # last <record> of the file:
    ("asysd__mendeley_export.xml", "title_first"): "Myoclonus in older Cavalier King Charles Spaniels.",
    ("asysd__mendeley_export.xml", "first_author_first"): "Rotter, Carina",
    ("asysd__mendeley_export.xml", "year_first"): "2022",
    ("asysd__mendeley_export.xml", "doi_first"): "10.1111/jvim.16404",
    ("asysd__mendeley_export.xml", "title_last"): "Heart disease as a cause of death in insured Swedish dogs",
    ("asysd__mendeley_export.xml", "first_author_last"): "Egenvall, Agneta",
    ("asysd__mendeley_export.xml", "year_last"): "2006",
    ("asysd__mendeley_export.xml", "doi_last"): "10.1892/0891-6640(2006)20[894:hdaaco]2.0.co;2",
}


def _expected() -> list[dict]:
    with open(EXPORTS / "expected.tsv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _comparable(text: str) -> str:
    """Text as the raw file gives it, without BibTeX's grouping braces, spaces collapsed."""
    return " ".join(re.sub(r"[{}]", "", text).split())


@pytest.fixture(scope="module")
def ingested(tmp_path_factory) -> pd.DataFrame:
    out = tmp_path_factory.mktemp("ingest")
    files = [str(EXPORTS / "files" / row["file"]) for row in _expected()]
    result = subprocess.run([str(EVSYNTH), "ingest", *files, "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return pd.read_parquet(out / "records.parquet")


def test_the_benchmark_lists_every_file():
    assert sorted(row["file"] for row in _expected()) == sorted(path.name for path in (EXPORTS / "files").iterdir())


@pytest.mark.parametrize("row", _expected(), ids=lambda row: row["file"])
def test_count_and_fields_as_expected(ingested, row):
    records = ingested[ingested["source_file"].str.endswith("/" + row["file"])].sort_values("position")
    assert len(records) == int(row["expected_records"])
    for end, record in (("first", records.iloc[0]), ("last", records.iloc[-1])):
        def expected(field: str) -> str:
            return READ_BY_HAND.get((row["file"], f"{field}_{end}"), row[f"{field}_{end}"])

        title = record["title_raw"] or record["title"]
        assert _comparable(title).startswith(_comparable(expected("title"))), (end, title)
        authors = record["authors_raw"] if record["authors_raw"] is not None else record["authors"]
        assert (authors[0] if len(authors) else "") == expected("first_author"), end
        year = "" if pd.isna(record["year"]) else str(record["year"])
        assert year == expected("year"), end
        assert (record["doi"] or "") == expected("doi").lower(), end

"""Fixtures shared by the tests: the seed's figures, the example review, and the helpers that build
small reviews and records tables.

The example review is generated once per test session (``example_review``). Under pytest-xdist every
worker has a session of its own, so the tests that use it are put in one xdist group (``make test``
runs ``--dist loadgroup``) and one worker builds it, once.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import settings

from evsynth.fileio import write_csv
from evsynth.records import COLUMNS
from evsynth.stages import INCLUDED_STUDIES
from evsynth.studies import included_studies
from scripts.example_review import Example, build_example, write_example
from scripts.example_review.seed import SeedFigures, figures

# The suite is deterministic: hypothesis draws the same examples on every run and keeps no database;
# a case it once found is pinned with ``@example`` where it failed.
settings.register_profile("evsynth", derandomize=True, database=None)
settings.load_profile("evsynth")

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
SHARED = REPO.parent / "shared"


def pytest_collection_modifyitems(items):
    for item in items:
        if "example_review" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("example_review"))
        elif "example_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("report_example"))


# --- the seed's figures and the example review ----------------------------------------------------

@pytest.fixture(scope="session")
def seed_figures() -> SeedFigures:
    """``scripts/example_review/seed_figures.yaml``: each figure of the seed the example reproduces."""
    return figures()


@pytest.fixture(scope="session")
def seed_text() -> str:
    """The seed review's text (``shared/seeds`` beside the repository), whitespace folded."""
    path = SHARED / figures().source
    assert path.is_file(), f"{path} is missing: the shared folder must sit beside the repository"
    return " ".join(path.read_text(encoding="utf-8").split())


@dataclass
class ExampleReview:
    truth: Example  # every exported record's file, position and true publication; the studies; ...
    root: Path  # a review directory holding the regenerated data/raw/


@pytest.fixture(scope="session")
def example_review(tmp_path_factory) -> ExampleReview:
    """The example review generated afresh, once per session, into a directory of its own."""
    truth = build_example()
    root = tmp_path_factory.mktemp("example_review")
    write_example(truth, root)
    return ExampleReview(truth, root)


@pytest.fixture(scope="session")
def example_run(tmp_path_factory) -> Path:
    """A copy of the repository's example review (config/ and data/raw/) after one complete run of the
    workflow, as `make run` leaves it. Tests that change it work on a copy of their own."""
    import subprocess
    import sys

    review = tmp_path_factory.mktemp("example_run") / "example"
    shutil.copytree(REPO / "config", review / "config")
    shutil.copytree(RAW, review / "data" / "raw")
    result = subprocess.run([sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--cores", "2",
                             "--directory", str(review)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    return review


# --- a review directory holding some of the example's tables ---------------------------------------

@pytest.fixture(scope="session")
def example_config():
    """``example_config(**sections)``: a config naming the example's searches (MEDLINE only), full text,
    extraction sheet and synthesis tables by absolute path, plus ``sections``."""
    def make(**sections: dict) -> dict:
        return {
            "searches": [{"database": "MEDLINE", "date": "2018-07-16",
                          "file": str(RAW / "searches/medline_pubmed.nbib")}],
            "screening": {"full_text": str(RAW / "screening/full_text.csv")},
            "studies": {"unit": "publication", "extraction": str(RAW / "extraction/studies.csv")},
            "synthesis": {key: str(RAW / "synthesis" / f"{key}.csv") for key in ("codebook", "cfir_domains", "extracts")},
            "allow_outside": [str(RAW)],  # the example's tables, read where they are
            **sections,
        }
    return make


@pytest.fixture(scope="session")
def make_review():
    """``make_review(root, config, studies=None)``: ``root`` as a review, with its config and its included
    studies (the example's unless given), for tests that run one stage through the CLI."""
    def make(root: Path, config: dict, studies: pd.DataFrame | None = None) -> Path:
        (root / "config").mkdir(parents=True)
        (root / "config" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
        if studies is None:
            studies = included_studies(RAW / "screening/full_text.csv", RAW / "extraction/studies.csv")
        write_csv(studies, root / INCLUDED_STUDIES)
        return root
    return make


# --- small hand-made records tables, for the deduplication tests ----------------------------------

def _make_records(*rows: dict, database: str = "medline", date: str = "2020-01-01") -> pd.DataFrame:
    out = []
    for k, row in enumerate(rows, start=1):
        record = {column: None for column in COLUMNS}
        record.update(record_id=f"r{k}", database=database, search_date=date, source_file="test.ris",
                      position=k, source_id=str(k))
        record.update(row)
        out.append(record)
    frame = pd.DataFrame(out, columns=COLUMNS + [c for c in out[0] if c not in COLUMNS] if out else COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


@pytest.fixture(scope="session")
def make_records():
    """``make_records(*rows, database=, date=)``: a records table from dicts; missing columns are None,
    record_id defaults to r1, r2, ..."""
    return _make_records


@pytest.fixture(scope="session")
def same_cluster():
    """``same_cluster(result, a, b)``: whether a deduplication put records a and b in one cluster."""
    def same(result, a: str, b: str) -> bool:
        links = result.links.set_index("record_id")
        return links.loc[a, "cluster_id"] == links.loc[b, "cluster_id"]
    return same


@pytest.fixture()
def ARTICLE() -> dict:  # noqa: N802 - named as the constant the deduplication tests have always used
    """One article as a reader returns it, for the deduplication tests to vary."""
    return {
        "title": "Peer support workers in community mental health teams: a qualitative study of implementation",
        "authors": ["Gillard, Steve", "Edwards, Christine", "Gibson, Sarah", "Owen, Kathryn"],
        "year": 2013,
        "journal": "BMC Health Services Research",
        "volume": "13",
        "issue": "1",
        "pages": "188-196",
        "doi": "10.1186/1472-6963-13-188",
        "abstract": "Background: Peer workers are increasingly employed in mental health services. "
                    "We explored the factors that help or hinder the implementation of the role.",
    }

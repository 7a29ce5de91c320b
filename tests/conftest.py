"""Fixtures shared by the tests: the seed's figures and the example review.

The example review is generated once per test session (``example_review``). Under pytest-xdist every
worker has a session of its own, so the tests that use it are put in one xdist group (``make test``
runs ``--dist loadgroup``) and one worker builds it, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts.example_review import Example, build_example, write_example
from scripts.example_review.seed import SeedFigures, figures

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def pytest_collection_modifyitems(items):
    for item in items:
        if "example_review" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("example_review"))


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

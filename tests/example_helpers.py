"""A review directory holding the example's tables, for tests that run one stage through the CLI."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from evsynth.fileio import write_csv
from evsynth.studies import INCLUDED_STUDIES, included_studies

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw"
CONFIG = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))


def example_config(**sections: dict) -> dict:
    """The example's searches, full text, extraction sheet and synthesis tables, plus ``sections``."""
    return {
        "searches": [{"database": "MEDLINE", "date": "2018-07-16", "file": str(RAW / "searches/medline_pubmed.nbib")}],
        "screening": {"full_text": str(RAW / "screening/full_text.csv")},
        "studies": {"unit": "publication", "extraction": str(RAW / "extraction/studies.csv")},
        "synthesis": {key: str(RAW / "synthesis" / f"{key}.csv") for key in ("codebook", "cfir_domains", "extracts")},
        **sections,
    }


def make_review(root: Path, config: dict, studies: pd.DataFrame | None = None) -> Path:
    """``root`` as a review: its config and its included studies (the example's unless given)."""
    (root / "config").mkdir(parents=True)
    (root / "config" / "config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    if studies is None:
        studies = included_studies(RAW / "screening/full_text.csv", RAW / "extraction/studies.csv")
    write_csv(studies, root / INCLUDED_STUDIES)
    return root

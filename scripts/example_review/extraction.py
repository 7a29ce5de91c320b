"""The included studies: their attributes (country, design, modality, planned grade), their ids and
the extraction sheet.

The attribute counts are the seed's (``seed_figures.yaml``); which study gets which is drawn at
random. Study ids follow the citation order, so they are given once the publications exist.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .common import csv_bytes, rng_for
from .seed import figures
from .text import ascii_fold

FIGURES = figures()
# The planned grades: the one case-control study is the fair one; the poor ones by design.
FAIR_DESIGN = "case-control"
POOR_BY_DESIGN = (("qualitative", 3), ("rct", 1), ("cohort", 1))


@dataclass
class StudySlot:
    slot: int
    country: str
    design: str
    modality: str
    grade: str  # the grade its CASP answers are built for (evsynth grades them)
    themes: list = field(default_factory=list)  # theme indices 0..13
    casp_yes: int = 0
    pub_id: str = ""
    study_id: str = ""


def _expand(counts: dict) -> list:
    return [value for value, n in counts.items() for _ in range(n)]


def plan_studies(seed: int) -> list:
    """Attributes of the included studies (slot order; study ids come later, by citation)."""
    rng = rng_for(seed, "studies")
    countries = _expand(FIGURES["countries"])
    designs = _expand(FIGURES["designs"])
    modalities = _expand(FIGURES["modality"])
    rng.shuffle(countries)
    rng.shuffle(designs)
    rng.shuffle(modalities)
    slots = [StudySlot(i, countries[i], designs[i], modalities[i], "good") for i in range(FIGURES["included"])]
    for slot in slots:
        if slot.design == FAIR_DESIGN:
            slot.grade = "fair"
    for design, n in POOR_BY_DESIGN:
        candidates = [s for s in slots if s.design == design and s.grade == "good"]
        for slot in rng.sample(candidates, n):
            slot.grade = "poor"
    assert Counter(s.grade for s in slots) == Counter(FIGURES["grades"])
    return slots


def citation(pub) -> str:
    names = [p.surname for p in pub.authors]
    if len(names) == 1:
        return f"{names[0]} ({pub.year})"
    if len(names) == 2:
        return f"{names[0]} and {names[1]} ({pub.year})"
    return f"{names[0]} et al. ({pub.year})"


def assign_study_ids(slots: list, pubs_by_id: dict) -> list:
    """S01, S02, ... in citation order (first author, year), as an extraction sheet is usually sorted."""
    ordered = sorted(slots, key=lambda s: (ascii_fold(pubs_by_id[s.pub_id].authors[0].surname).lower(),
                                           pubs_by_id[s.pub_id].year, s.pub_id))
    for index, slot in enumerate(ordered, start=1):
        slot.study_id = f"S{index:02d}"
    return ordered


def extraction_table(studies: list, pubs_by_id: dict) -> bytes:
    """The extraction sheet: one row per study, its citation as typed and the attributes to group by."""
    return csv_bytes(
        ["study_id", "citation", "first_author", "year", "country", "design", "modality", "income_group"],
        [[s.study_id, citation(pubs_by_id[s.pub_id]), pubs_by_id[s.pub_id].authors[0].surname,
          pubs_by_id[s.pub_id].year, s.country, s.design, s.modality, "high"] for s in studies])


def check_studies(studies: list, publications: list) -> None:
    n = FIGURES["included"]
    assert len(studies) == n == len({s.study_id for s in studies}) == len({s.pub_id for s in studies})
    assert [s.study_id for s in studies] == [f"S{i:02d}" for i in range(1, n + 1)]
    assert Counter(s.country for s in studies) == Counter(FIGURES["countries"])
    assert Counter(s.design for s in studies) == Counter(FIGURES["designs"])
    assert Counter(s.modality for s in studies) == Counter(FIGURES["modality"])
    included = {s.pub_id for s in studies}
    assert all(p.fate == "included" for p in publications if p.pub_id in included)
    assert sum(1 for p in publications if p.fate == "included") == n

"""The seed review's figures that the example reproduces, read from ``seed_figures.yaml``.

The generator takes its targets from here and the tests compare evsynth's outputs on the example
with them, so each figure is written once in the repository, beside the sentence it comes from.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

PATH = Path(__file__).with_name("seed_figures.yaml")


class SeedFigures:
    """``figures[name]`` is an entry's value; ``sentence(name)`` the seed's sentence it comes from."""

    def __init__(self, document: dict):
        self.source: str = document["source"]
        self.entries: dict = document["figures"]

    def __getitem__(self, name: str):
        return self.entries[name]["value"]

    def __iter__(self):
        return iter(self.entries)

    def sentence(self, name: str) -> str:
        """The sentence as the seed has it (the YAML's line breaks folded to spaces)."""
        return " ".join(self.entries[name]["sentence"].split())

    def all_themes(self) -> list[dict]:
        """The fourteen themes in the seed's order: the twelve with a direction, then the two without."""
        return self["themes"] + self["unclear_themes"]

    def theme_studies(self) -> list[int]:
        """Studies coding each theme, in the seed's order (T01 to T14 of the example's codebook)."""
        return [theme["studies"] for theme in self.all_themes()]


@functools.cache
def figures(path: Path = PATH) -> SeedFigures:
    with open(path, encoding="utf-8") as handle:
        return SeedFigures(yaml.safe_load(handle))

"""The synthesis stage as the workflow and the CLI run it: read a review's inputs, write its outputs.

Settings come from the config's ``synthesis`` section; keys left out take the defaults written in
``workflow/schemas/config.schema.yaml`` (the one place they are set).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.fileio import sha256_of, write_csv
from evsynth.studies import INCLUDED_STUDIES
from evsynth.synthesis.codebook import Codebook, read_codebook
from evsynth.synthesis.extracts import analysis_units, read_extracts
from evsynth.synthesis.matrix import direction_table, presence_matrix
from evsynth.synthesis.votes import CountRules, theme_strength
from evsynth.tables import load_schema, read_stage_table

CONFIG = "config/config.yaml"


def section_settings(config: Mapping, section: str) -> dict:
    """A config section with the schema's defaults filled in for keys left out."""
    spec = load_schema("config")["properties"][section]["properties"]
    given = dict(config.get(section) or {})
    return {key: given.get(key, value.get("default")) for key, value in spec.items()}


@dataclass
class SynthesisInputs:
    """Everything vote counting needs, read and validated, with the files it came from."""

    codebook: Codebook
    units: pd.DataFrame
    extracts: pd.DataFrame
    unit: str
    rules: CountRules
    network_min_units: int
    files: list[tuple[str, Path]] = field(default_factory=list)  # (role, path relative to base)
    base: Path = Path(".")

    def matrix(self, level: str | None = None) -> pd.DataFrame:
        return presence_matrix(self.extracts, self.codebook, self.units, level=level)

    def directions(self) -> pd.DataFrame:
        return direction_table(self.extracts, self.codebook)

    def strength(self) -> pd.DataFrame:
        return theme_strength(self.matrix(), self.directions(), self.codebook, self.rules)

    def fingerprints(self) -> list[dict]:
        return [{"role": role, "path": path.as_posix(), "sha256": sha256_of(self.base / path)}
                for role, path in self.files if (self.base / path).is_file()]


def load_synthesis(config: Mapping, studies_path: str | Path, base_dir: str | Path = ".") -> SynthesisInputs:
    """Read the codebook, CFIR domains, extracts and included studies a config names."""
    base = Path(base_dir)
    settings = section_settings(config, "synthesis")
    unit = section_settings(config, "studies")["unit"]
    for key in ("codebook", "extracts"):
        if not settings.get(key):
            raise InputError(CONFIG, f"synthesis.{key} is not set", field=f"synthesis.{key}",
                             expected="the path of that table, relative to the review directory")
    rules = CountRules(threshold=settings["threshold"], percent_decimals=settings["percent_decimals"],
                       rounding=settings["rounding"], confidence=settings["confidence"],
                       unclear_share=settings["unclear_share"])
    cfir = settings.get("cfir_domains")
    files = [("codebook", Path(settings["codebook"])), *([("cfir_domains", Path(cfir))] if cfir else []),
             ("extracts", Path(settings["extracts"])), ("included studies", Path(studies_path))]
    for role, key, value in (("full-text decisions", "screening", (config.get("screening") or {}).get("full_text")),
                             ("extraction sheet", "studies", (config.get("studies") or {}).get("extraction"))):
        if value:
            files.append((role, Path(value)))
    return read_synthesis_inputs(base, files, unit, rules, settings["network_min_units"])


def read_synthesis_inputs(base: Path, files: list[tuple[str, Path]], unit: str, rules: CountRules,
                          network_min_units: int = 1) -> SynthesisInputs:
    paths = dict(files)
    codebook = read_codebook(base / paths["codebook"],
                             base / paths["cfir_domains"] if "cfir_domains" in paths else None)
    studies_path = base / paths["included studies"]
    studies = read_stage_table(studies_path, ("study_id", "citation"),
                               "the included studies (rule included_studies)")
    units = analysis_units(studies, unit)
    extracts = read_extracts(base / paths["extracts"], codebook, units, studies_path=paths["included studies"])
    return SynthesisInputs(codebook=codebook, units=units, extracts=extracts, unit=unit, rules=rules,
                           network_min_units=network_min_units,
                           files=list(files), base=base)


def write_vote_counts(inputs: SynthesisInputs, out_dir: str | Path) -> pd.DataFrame:
    """theme_strength.csv, the unit x theme and unit x subtheme matrices and each unit's directions."""
    out = Path(out_dir)
    strength = inputs.strength()
    tables = {"unit_directions.csv": inputs.directions(), "theme_strength.csv": strength}
    for level, name in (("theme", "study_theme_matrix.csv"), ("subtheme", "study_subtheme_matrix.csv")):
        matrix = inputs.matrix(level)
        matrix.insert(0, "study_id", inputs.units["study_id"])
        tables[name] = matrix.reset_index()
    # Everything is computed before the first file is written, so a failure leaves none behind.
    for name, table in tables.items():
        write_csv(table, out / name)
    return strength


def summary_line(inputs: SynthesisInputs, strength: pd.DataFrame) -> str:
    themes = strength[strength["level"] == "theme"]
    return (f"{len(inputs.extracts)} extracts, {len(inputs.units)} {inputs.unit}s, {len(themes)} themes, "
            f"{int(themes['flagged'].sum())} at or above {inputs.rules.threshold:.0%}")


def run_vote_counts(config: Mapping, studies_path: str, out_dir: str, log_path: str,
                    base_dir: str | Path = ".") -> None:
    inputs = load_synthesis(config, studies_path, base_dir)
    strength = write_vote_counts(inputs, out_dir)
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(summary_line(inputs, strength) + "\n")


def write_audit_trail(inputs: SynthesisInputs, out_dir: str | Path) -> int:
    from evsynth.synthesis.audit import audit_records, write_audit

    records = audit_records(inputs, inputs.strength())
    write_audit(records, out_dir)
    return len(records)


def write_publication_tables(inputs: SynthesisInputs, out_dir: str | Path) -> None:
    """themes_subthemes (.csv, .md) and influences_by_cfir (.csv, .md)."""
    from evsynth.fileio import atomic_path
    from evsynth.synthesis.tables import (influences_by_cfir_markdown, influences_by_cfir_table,
                                          themes_subthemes_markdown, themes_subthemes_table)

    out = Path(out_dir)
    strength = inputs.strength()
    themes = themes_subthemes_table(strength, inputs.codebook)
    cfir = influences_by_cfir_table(strength, inputs.extracts, inputs.codebook, inputs.units)
    texts = {"themes_subthemes.md": themes_subthemes_markdown(themes, inputs.unit),
             "influences_by_cfir.md": influences_by_cfir_markdown(cfir, inputs.units)}
    write_csv(themes, out / "themes_subthemes.csv")
    write_csv(cfir, out / "influences_by_cfir.csv")
    for name, text in texts.items():
        with atomic_path(out / name) as tmp:
            tmp.write_text(text, encoding="utf-8")


def write_network(inputs: SynthesisInputs, table_path: str | Path, svg_path: str | Path,
                  png_path: str | Path) -> pd.DataFrame:
    from evsynth.synthesis.network import cooccurrence_graph, cooccurrence_table, draw_network

    strength = inputs.strength()
    themes = strength[strength["level"] == "theme"]
    matrix = inputs.matrix("theme")[list(themes["code_id"])]
    pairs = cooccurrence_table(matrix, dict(zip(themes["code_id"], themes["theme"])))
    graph = cooccurrence_graph(pairs, themes, inputs.network_min_units)
    draw_network(graph, inputs.unit, svg_path, png_path)
    write_csv(pairs, table_path)
    return pairs


def _log(log_path: str | None, text: str) -> None:
    if log_path:
        with open(log_path, "w", encoding="utf-8") as log:
            log.write(text + "\n")


def run_audit(config: Mapping, studies_path: str, out_dir: str, log_path: str, base_dir: str | Path = ".") -> None:
    inputs = load_synthesis(config, studies_path, base_dir)
    count = write_audit_trail(inputs, out_dir)
    _log(log_path, f"audit pages for {count} themes and subthemes in {out_dir}")


def run_tables(config: Mapping, studies_path: str, out_dir: str, log_path: str, base_dir: str | Path = ".") -> None:
    inputs = load_synthesis(config, studies_path, base_dir)
    write_publication_tables(inputs, out_dir)
    _log(log_path, f"themes_subthemes and influences_by_cfir tables in {out_dir}")


def run_network(config: Mapping, studies_path: str, table_path: str, svg_path: str, png_path: str,
                log_path: str, base_dir: str | Path = ".") -> None:
    inputs = load_synthesis(config, studies_path, base_dir)
    pairs = write_network(inputs, table_path, svg_path, png_path)
    _log(log_path, f"{int((pairs['n_both'] > 0).sum())} of {len(pairs)} theme pairs coded together")




def workflow_inputs(config: Mapping) -> list[str]:
    """The files the synthesis rules read: the included studies and the synthesis tables the config names."""
    settings = config.get("synthesis") or {}
    return [INCLUDED_STUDIES, *(settings[key] for key in ("codebook", "cfir_domains", "extracts")
                                if settings.get(key))]


def workflow_targets(config: Mapping) -> list[str]:
    """Targets of the synthesis stage for the default rule; none until the config names its inputs."""
    named = [(config.get(section) or {}).get(key) for section, key in
             (("synthesis", "codebook"), ("synthesis", "extracts"), ("screening", "full_text"),
              ("studies", "extraction"))]
    if not all(named):
        return []
    return ["results/synthesis/theme_strength.csv", "results/synthesis/audit",
            "results/synthesis/tables/themes_subthemes.csv", "results/synthesis/figures/theme_network.svg"]

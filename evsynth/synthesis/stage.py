"""The synthesis stage as the workflow and the CLI run it: read a review's inputs, write its outputs.

Settings come from the config's ``synthesis`` section; keys left out take the defaults written in
``workflow/schemas/config.schema.yaml`` (the one place they are set).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evsynth.config import section_settings  # noqa: F401 - used by the CLI through this module too
from evsynth.errors import InputError
from evsynth.fileio import sha256_of, write_csv
from evsynth.synthesis.codebook import Codebook, read_codebook
from evsynth.synthesis.extracts import analysis_units, read_extracts
from evsynth.synthesis.matrix import direction_table, presence_matrix
from evsynth.synthesis.votes import CountRules, theme_strength
from evsynth.tables import read_stage_table

CONFIG = "config/config.yaml"


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
    # study_id -> its reports and the export records behind them (``study_sources.sources_by_study``)
    sources: dict = field(default_factory=dict)

    def matrix(self, level: str | None = None) -> pd.DataFrame:
        return presence_matrix(self.extracts, self.codebook, self.units, level=level)

    def directions(self) -> pd.DataFrame:
        return direction_table(self.extracts, self.codebook)

    def strength(self) -> pd.DataFrame:
        return theme_strength(self.matrix(), self.directions(), self.codebook, self.rules)

    def fingerprints(self) -> list[dict]:
        return [{"role": role, "path": path.as_posix(), "sha256": sha256_of(self.base / path)}
                for role, path in self.files if (self.base / path).is_file()]


def synthesis_inputs(input: Mapping, settings: Mapping, base_dir: str | Path = ".") -> SynthesisInputs:
    """Read a synthesis stage's named inputs (codebook, CFIR domains, extracts, included studies; the
    full-text decisions and extraction sheet only as the audit's provenance) with its settings."""
    synthesis = settings["synthesis"]
    rules = CountRules(threshold=synthesis["threshold"], percent_decimals=synthesis["percent_decimals"],
                       rounding=synthesis["rounding"], confidence=synthesis["confidence"],
                       unclear_share=synthesis["unclear_share"])
    files = [("codebook", Path(input["codebook"])),
             *([("cfir_domains", Path(input["cfir_domains"]))] if input.get("cfir_domains") else []),
             ("extracts", Path(input["extracts"])), ("included studies", Path(input["studies"]))]
    for role, key in (("full-text decisions", "full_text"), ("extraction sheet", "extraction"),
                      ("study sources", "sources")):
        if input.get(key):
            files.append((role, Path(input[key])))
    # only the co-occurrence figure reads network_min_units (the other stages do not declare it)
    min_units = synthesis["network_min_units"] if "network_min_units" in synthesis else 1
    inputs = read_synthesis_inputs(Path(base_dir), files, settings["studies"]["unit"], rules, min_units)
    if input.get("sources"):  # the audit's: where each study's records came from
        from evsynth.study_sources import SOURCE_COLUMNS, sources_by_study

        inputs.sources = sources_by_study(read_stage_table(Path(base_dir) / input["sources"], SOURCE_COLUMNS,
                                                           "the study sources (rule study_sources)"))
    return inputs


def load_synthesis(config: Mapping, studies_path: str | Path, base_dir: str | Path = ".") -> SynthesisInputs:
    """The synthesis inputs of a config (the CLI on one's own files): its tables and settings."""
    settings = section_settings(config, "synthesis")
    for key in ("codebook", "extracts"):
        if not settings.get(key):
            raise InputError(CONFIG, f"synthesis.{key} is not set", field=f"synthesis.{key}",
                             expected="the path of that table, relative to the review directory")
    input = {key: settings[key] for key in ("codebook", "cfir_domains", "extracts") if settings.get(key)}
    input["studies"] = str(studies_path)
    for section, key in (("screening", "full_text"), ("studies", "extraction")):
        if (config.get(section) or {}).get(key):
            input[key] = config[section][key]
    return synthesis_inputs(input, {"synthesis": settings, "studies": section_settings(config, "studies")},
                            base_dir)


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


def vote_counts_stage(input, output, settings, log) -> None:
    """The workflow's theme_strength stage."""
    inputs = synthesis_inputs(input, settings)
    strength = write_vote_counts(inputs, Path(output["theme_strength"]).parent)
    _log(log, summary_line(inputs, strength))


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


def audit_stage(input, output, settings, log) -> None:
    """The workflow's synthesis_audit stage."""
    count = write_audit_trail(synthesis_inputs(input, settings), output["audit"])
    _log(log, f"audit pages for {count} themes and subthemes in {output['audit']}")


def tables_stage(input, output, settings, log) -> None:
    """The workflow's synthesis_tables stage."""
    out_dir = Path(output["themes_csv"]).parent
    write_publication_tables(synthesis_inputs(input, settings), out_dir)
    _log(log, f"themes_subthemes and influences_by_cfir tables in {out_dir}")


def network_stage(input, output, settings, log) -> None:
    """The workflow's theme_network stage."""
    pairs = write_network(synthesis_inputs(input, settings), output["cooccurrence"], output["theme_network"],
                          output["theme_network_png"])
    _log(log, f"{int((pairs['n_both'] > 0).sum())} of {len(pairs)} theme pairs coded together")

"""The stages of the workflow as one table: what each reads, which settings it uses, what it writes.

The table drives the Snakemake rules (``workflow/rules/*.smk`` take their inputs, outputs and params
from it), the CLI's review commands (``evsynth STAGE --review DIR`` runs the same function on the same
files) and the rerun tests. A stage function is called as ``function(input, output, settings, log)``
with exactly its rule's named inputs, outputs and settings, and reads nothing else: so Snakemake
reruns a stage exactly when something it reads has changed.

Input kinds:
- ``Table(key, schema)``: a table a person fills in, named by the config key ``key`` (a list when
  the key holds a list); ``optional`` when the stage runs without it, ``if_exists`` when the config
  may name a file that does not exist yet (a person's dedup verdicts).
- ``Files(key)``: other files the config names (the review's own checklists).
- ``Output(stage, name)``: a file another stage writes; ``optional`` when that stage may be absent.
- ``SEARCHES``: the search exports; ``EARLIER_REPORTS``: the report's earlier snapshots.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Table:
    key: str
    schema: str
    optional: bool = False
    if_exists: bool = False


@dataclass(frozen=True)
class Files:
    key: str


@dataclass(frozen=True)
class Output:
    stage: str
    name: str
    optional: bool = False


SEARCHES = "searches"
EARLIER_REPORTS = "earlier_reports"


@dataclass(frozen=True)
class Stage:
    name: str
    entry: str  # "module:function" called as function(input, output, settings, log)
    doc: str
    inputs: Mapping[str, object]
    outputs: Mapping[str, str]  # a path ending in "/" is a directory
    settings: tuple[str, ...] = ()  # dotted config keys the stage reads
    requires: tuple[str, ...] = ()  # config keys that must be set for the stage to run at all
    requires_any: tuple[str, ...] = ()  # config keys of which at least one must be set
    data: tuple[str, ...] = ()  # package files the code reads (globs relative to evsynth/)
    log: str = ""
    threads: int = 1
    mem_mb: int = 2000
    runtime: int = 10  # minutes, for cluster schedulers
    # outputs shown in Snakemake's own report (`snakemake --report`): output name -> caption file in
    # evsynth/workflow/report/
    captions: Mapping[str, str] = field(default_factory=dict)

    @property
    def module(self) -> str:
        return self.entry.split(":")[0]


SCREENING = "results/screening"
QUALITY = "results/quality"
SYNTHESIS = "results/synthesis"
ROBUSTNESS = "results/robustness"
MEASURE = "results/measure"
REPORT = "results/report"
INCLUDED_STUDIES = "results/studies/included_studies.csv"

_SYNTHESIS_TABLES = {
    "studies": Output("included_studies", "studies"),
    "codebook": Table("synthesis.codebook", "codebook"),
    "cfir_domains": Table("synthesis.cfir_domains", "cfir_domains", optional=True),
    "extracts": Table("synthesis.extracts", "extracts"),
}
_COUNTING = ("synthesis.threshold", "synthesis.percent_decimals", "synthesis.rounding", "synthesis.confidence",
             "synthesis.unclear_share", "studies.unit")
_SYNTHESIS_REQUIRES = ("synthesis.codebook", "synthesis.extracts")

STAGES: dict[str, Stage] = {stage.name: stage for stage in [
    Stage("ingest", "evsynth.ingest:stage",
          "Read every search export into one records table (one row per exported record).",
          inputs={"searches": SEARCHES},
          outputs={"records": "data/processed/records.parquet",
                   "identification": "results/ingest/identification_counts.csv",
                   "blank": "results/ingest/records_without_title_or_id.csv"},
          settings=("searches",), data=("data/column_aliases.yaml",), mem_mb=4000, runtime=30),
    Stage("dedup", "evsynth.dedup.stage:stage",
          "Link duplicate records into clusters; one unique record per cluster; pairs left to a person.",
          inputs={"records": Output("ingest", "records"),
                  "verdicts": Table("dedup.verdicts", "dedup_verdicts", optional=True, if_exists=True)},
          outputs={"clusters": "results/dedup/clusters.csv", "unique_csv": "results/dedup/unique.csv",
                   "uncertain_pairs": "results/dedup/uncertain_pairs.csv",
                   "uncertain_xlsx": "results/dedup/uncertain_pairs.xlsx", "pairs": "results/dedup/pairs.csv",
                   "dedup_summary": "results/dedup/summary.csv", "unique": "data/processed/unique.parquet",
                   "unique_ris": "results/dedup/unique.ris"},
          threads=2, mem_mb=8000, runtime=60),
    Stage("validate_inputs", "evsynth.inputs:stage",
          "Fingerprint every table a person filled in (SHA-256, rows, formula cells), for the audit.",
          # after ingest: a bad export stops the run before any result is written
          inputs={"tables": "all tables", "records": Output("ingest", "records")},
          outputs={"validation": "results/inputs/validation.csv"}),
    Stage("screening", "evsynth.screening.stage:stage",
          "Prioritised worksheets, the double-screening sample, agreement, disagreements, full-text decisions, "
          "when screening may stop.",
          # from searches and reviewers alone: the first worksheets need no decision yet
          inputs={"unique": Output("dedup", "unique"),
                  "decisions": Table("screening.decisions", "screening_decisions", optional=True),
                  "resolutions": Table("screening.resolutions", "screening_resolutions", optional=True),
                  "full_text": Table("screening.full_text", "full_text", optional=True)},
          outputs={"sample": f"{SCREENING}/sample.csv", "disagreements": f"{SCREENING}/disagreements.csv",
                   "agreement": f"{SCREENING}/agreement.csv", "agreement_table": f"{SCREENING}/agreement_table.csv",
                   "agreement_text": f"{SCREENING}/agreement.md",
                   "title_abstract_outcome": f"{SCREENING}/title_abstract_outcome.csv",
                   "reports": f"{SCREENING}/reports.csv", "screening_status": f"{SCREENING}/status.csv",
                   "imported_unmatched": f"{SCREENING}/imported_unmatched.csv",
                   "worksheets": f"{SCREENING}/worksheets/"},
          settings=("screening.sample_fraction", "screening.seed", "screening.maybe_counts_as",
                    "screening.reviewers", "screening.order", "screening.model", "screening.target_recall",
                    "review.question", "review.inclusion_criteria"),
          requires_any=("screening.reviewers", "screening.decisions")),
    Stage("prisma", "evsynth.prisma.run:stage",
          "Count every box of the PRISMA 2020 flow from the stage outputs; draw the diagram.",
          inputs={"identification": Output("ingest", "identification"),
                  "dedup_summary": Output("dedup", "dedup_summary"),
                  "outcome": Output("screening", "title_abstract_outcome"),
                  "reports": Output("screening", "reports"),
                  "clusters": Output("dedup", "clusters")},  # which round each unique record came from
          outputs={"prisma_counts": "results/prisma/prisma2020.csv", "prisma_checks": "results/prisma/checks.csv",
                   "prisma_figure": "results/prisma/prisma2020.svg", "prisma_png": "results/prisma/prisma2020.png",
                   # only with more than one round of searches (stage_outputs)
                   "prisma_update_counts": "results/prisma/prisma2020_update.csv",
                   "prisma_update_figure": "results/prisma/prisma2020_update.svg",
                   "prisma_update_png": "results/prisma/prisma2020_update.png"},
          settings=("searches",), captions={"prisma_figure": "prisma.rst"}),
    Stage("included_studies", "evsynth.studies:stage",
          "The included studies: full-text inclusions joined to the extraction sheet.",
          inputs={"full_text": Table("screening.full_text", "full_text"),
                  "extraction": Table("studies.extraction", "extraction")},
          outputs={"studies": INCLUDED_STUDIES}),
    # A stage of its own, so that a new search export reruns the audit's provenance, not the synthesis.
    Stage("study_sources", "evsynth.study_sources_stage:stage",
          "The records behind each included study; the included reports as RIS; typed citations checked.",
          inputs={"studies": Output("included_studies", "studies"), "unique": Output("dedup", "unique"),
                  "records": Output("ingest", "records")},
          outputs={"study_sources": "results/studies/study_sources.csv",
                   "citation_checks": "results/studies/citation_checks.csv",
                   "included_ris": "results/studies/included.ris"}),
    Stage("quality", "evsynth.quality.run:stage",
          "Appraisal scores and grades, counts by grade and design, appraisers' agreement, figures.",
          inputs={"answers": Table("quality.answers", "casp_answers"), "studies": Output("included_studies", "studies"),
                  "checklists": Files("quality.checklist_files")},
          outputs={"casp_scores": f"{QUALITY}/casp_scores.csv", "casp_items": f"{QUALITY}/casp_items.csv",
                   "grade_counts": f"{QUALITY}/grade_counts.csv", "grades_by_design": f"{QUALITY}/grades_by_design.csv",
                   "double_appraisals": f"{QUALITY}/double_appraisals.csv",
                   "quality_agreement": f"{QUALITY}/agreement.csv", "scoring_rule": f"{QUALITY}/scoring_rule.txt",
                   "traffic_light": f"{QUALITY}/traffic_light.svg", "traffic_light_png": f"{QUALITY}/traffic_light.png",
                   "summary_svg": f"{QUALITY}/summary.svg", "summary_png": f"{QUALITY}/summary.png"},
          settings=("quality.cant_tell", "quality.not_applicable", "quality.grades", "quality.checklists",
                    "quality.designs", "review.synthetic"),
          requires=("quality.answers",), data=("data/checklists/*",), captions={"traffic_light": "traffic_light.rst"}),
    Stage("theme_strength", "evsynth.synthesis.stage:vote_counts_stage",
          "Unit x theme matrix and vote counts: n, N, percent, Wilson interval, rank, direction, flag.",
          inputs=_SYNTHESIS_TABLES,
          outputs={"theme_strength": f"{SYNTHESIS}/theme_strength.csv",
                   "theme_matrix": f"{SYNTHESIS}/study_theme_matrix.csv",
                   "subtheme_matrix": f"{SYNTHESIS}/study_subtheme_matrix.csv",
                   "directions": f"{SYNTHESIS}/unit_directions.csv"},
          settings=_COUNTING, requires=_SYNTHESIS_REQUIRES, captions={"theme_strength": "theme_strength.rst"}),
    Stage("synthesis_audit", "evsynth.synthesis.stage:audit_stage",
          "One Markdown page and JSON record per theme and subtheme (`evsynth explain THEME` prints it).",
          inputs={**_SYNTHESIS_TABLES, "full_text": Table("screening.full_text", "full_text"),
                  "extraction": Table("studies.extraction", "extraction"),
                  "sources": Output("study_sources", "study_sources")},
          outputs={"audit": f"{SYNTHESIS}/audit/"}, settings=_COUNTING, requires=_SYNTHESIS_REQUIRES),
    Stage("synthesis_tables", "evsynth.synthesis.stage:tables_stage",
          "Themes with subthemes and n/N; influences by CFIR domain with facilitators, barriers, references.",
          inputs=_SYNTHESIS_TABLES,
          outputs={"themes_csv": f"{SYNTHESIS}/tables/themes_subthemes.csv",
                   "themes_md": f"{SYNTHESIS}/tables/themes_subthemes.md",
                   "cfir_csv": f"{SYNTHESIS}/tables/influences_by_cfir.csv",
                   "cfir_md": f"{SYNTHESIS}/tables/influences_by_cfir.md"},
          settings=_COUNTING, requires=_SYNTHESIS_REQUIRES),
    Stage("theme_network", "evsynth.synthesis.stage:network_stage",
          "Theme co-occurrence (units coding both themes) as a table and a network figure.",
          inputs=_SYNTHESIS_TABLES,
          outputs={"cooccurrence": f"{SYNTHESIS}/theme_cooccurrence.csv",
                   "theme_network": f"{SYNTHESIS}/figures/theme_network.svg",
                   "theme_network_png": f"{SYNTHESIS}/figures/theme_network.png"},
          settings=(*_COUNTING, "synthesis.network_min_units"), requires=_SYNTHESIS_REQUIRES,
          captions={"theme_network": "theme_network.rst"}),
    Stage("robustness", "evsynth.robustness.stage:stage",
          "Each analysis's ranking against the full synthesis: dropped themes, top k, tau-b, rho, verdicts.",
          # the extraction sheet only to name it in messages (its columns are the attributes analysed)
          inputs={**_SYNTHESIS_TABLES, "extraction": Table("studies.extraction", "extraction"),
                  "quality_scores": Output("quality", "casp_scores", optional=True)},
          outputs={"robustness_summary": f"{ROBUSTNESS}/summary.csv",
                   "robustness_analyses": f"{ROBUSTNESS}/analyses.csv", "rankings": f"{ROBUSTNESS}/rankings.csv",
                   "leave_one_out": f"{ROBUSTNESS}/leave_one_out.csv", "bootstrap": f"{ROBUSTNESS}/bootstrap.csv",
                   "verdicts": f"{ROBUSTNESS}/verdicts.md", "rank_bump": f"{ROBUSTNESS}/figures/rank_bump.svg",
                   "rank_bump_png": f"{ROBUSTNESS}/figures/rank_bump.png"},
          settings=(*_COUNTING, "robustness"), requires=_SYNTHESIS_REQUIRES, threads=1, mem_mb=4000, runtime=30,
          captions={"rank_bump": "rank_bump.rst"}),
    Stage("measure", "evsynth.measure.stage:stage",
          "Sum scores per site, item means and ranges with floor/ceiling flags, group means, heat map.",
          inputs={"strength": Output("theme_strength", "theme_strength"),
                  "ratings": Table("measure.ratings", "measure_ratings"),
                  "sites": Table("measure.sites", "measure_sites")},
          outputs={"measure_items": f"{MEASURE}/items.csv", "site_scores": f"{MEASURE}/site_scores.csv",
                   "validity": f"{MEASURE}/validity.csv", "measure_summary": f"{MEASURE}/summary.md",
                   "heatmap": f"{MEASURE}/figures/site_item_heatmap.svg",
                   "heatmap_png": f"{MEASURE}/figures/site_item_heatmap.png"},
          settings=("measure.decimals", "measure.rounding", "measure.min_range", "measure.floor_ceiling_share",
                    "measure.item_floor_ceiling_share", "measure.validity", "synthesis.threshold", "studies.unit"),
          requires=("measure.ratings", "measure.sites"), captions={"heatmap": "heatmap.rst"}),
]}

# The report shows these outputs of the stages that run (by the names report/load.py knows them by).
REPORT_SHOWS: dict[str, tuple[str, ...]] = {
    "ingest": ("identification",),
    "dedup": ("dedup_summary", "clusters", "uncertain_pairs"),
    "validate_inputs": ("validation",),
    "screening": ("screening_status", "agreement", "agreement_table", "agreement_text", "disagreements",
                  "title_abstract_outcome", "reports", "imported_unmatched"),
    # the update's flow only where the prisma stage writes it (more than one round of searches)
    "prisma": ("prisma_counts", "prisma_checks", "prisma_figure", "prisma_update_counts", "prisma_update_figure"),
    "included_studies": ("studies",),
    "study_sources": ("study_sources", "citation_checks"),
    "quality": ("casp_scores", "casp_items", "grade_counts", "grades_by_design", "double_appraisals",
                "quality_agreement", "scoring_rule", "traffic_light"),
    "theme_strength": ("theme_strength",),
    "synthesis_audit": ("audit",),
    "theme_network": ("theme_network",),
    "robustness": ("robustness_summary", "robustness_analyses", "leave_one_out", "bootstrap", "rank_bump"),
    "measure": ("measure_items", "site_scores", "validity", "measure_summary", "heatmap"),
}
# Where the report's own names differ from the stage's output names.
REPORT_NAMES = {("included_studies", "studies"): "included_studies"}

STAGES["report"] = Stage(
    "report", "evsynth.report.stage:stage",
    "The report: one offline page, supplementary tables, characteristics of included studies, a snapshot.",
    inputs={"shown": "outputs of the stages that run", "searches": SEARCHES, "previous_snapshots": EARLIER_REPORTS},
    outputs={"html": f"{REPORT}/index.html", "workbook": f"{REPORT}/supplementary.xlsx",
             "characteristics": f"{REPORT}/characteristics_of_included_studies.csv",
             "characteristics_counts": f"{REPORT}/characteristics_counts.csv",
             "snapshot": f"{REPORT}/versions/{{date}}.json"},
    # The page shows the config as run, so every setting is the report's.
    settings=("review", "studies.unit", "config"),
    data=("report/templates/*",), captions={"html": "report.rst"})


# --- reading the config ---------------------------------------------------------------------------

def config_value(config: Mapping, key: str):
    """The value at a dotted key (``screening.seed``), or None."""
    value = config
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def is_set(config: Mapping, key: str) -> bool:
    value = config_value(config, key)
    return value is not None and value != "" and value != []


def active(config: Mapping, name: str) -> bool:
    """Whether a stage runs for this config: its required keys are set and the stages it reads from run."""
    stage = STAGES[name]
    if not all(is_set(config, key) for key in stage.requires):
        return False
    if stage.requires_any and not any(is_set(config, key) for key in stage.requires_any):
        return False
    for spec in stage.inputs.values():
        if isinstance(spec, Output) and not spec.optional and not active(config, spec.stage):
            return False
        if isinstance(spec, Table) and not spec.optional and not is_set(config, spec.key):
            return False
    return True


def active_stages(config: Mapping) -> list[str]:
    return [name for name in STAGES if active(config, name)]


def _paths(value) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def latest_search_date(config: Mapping) -> str:
    return max(str(search["date"]) for search in config["searches"])


def stage_outputs(config: Mapping, name: str) -> dict[str, str]:
    """The stage's named outputs (the report's snapshot named by the latest search date; the
    characteristics only when there are included studies)."""
    outputs = dict(STAGES[name].outputs)
    if name == "prisma" and len({int(search.get("round", 1)) for search in config["searches"]}) < 2:
        for key in ("prisma_update_counts", "prisma_update_figure", "prisma_update_png"):
            del outputs[key]
    if name == "report":
        outputs["snapshot"] = outputs["snapshot"].format(date=latest_search_date(config))
        if not active(config, "included_studies"):
            del outputs["characteristics"], outputs["characteristics_counts"]
    return outputs


def output_specs(config: Mapping, name: str) -> list[tuple[str, str, bool]]:
    """(name, path, whether it is a directory) of each output, for the rule's ``output``."""
    return [(key, path.rstrip("/"), path.endswith("/")) for key, path in stage_outputs(config, name).items()]


def all_tables(config: Mapping, review: str | Path = ".") -> list[tuple[str, str]]:
    """(schema, path) of every table a person fills in that the config names, in a fixed order
    (a file that may not exist yet, the dedup verdicts, only when it does)."""
    seen, found = set(), []
    for stage in STAGES.values():
        for spec in stage.inputs.values():
            if isinstance(spec, Table) and spec.key not in seen:
                seen.add(spec.key)
                found += [(spec.schema, path) for path in _paths(config_value(config, spec.key))
                          if not spec.if_exists or (Path(review) / path).is_file()]
    return found


def earlier_reports(config: Mapping, review: str | Path = ".") -> list[str]:
    """The report's snapshots of earlier versions: those dated before the latest search."""
    import re

    versions = Path(review) / REPORT / "versions"
    if not versions.is_dir():
        return []
    current = latest_search_date(config)
    name = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
    return sorted(f"{REPORT}/versions/{p.name}" for p in versions.iterdir() if name.match(p.name) and p.stem < current)


def stage_inputs(config: Mapping, name: str, review: str | Path = ".") -> dict[str, str | list[str]]:
    """The stage's named input files (paths relative to the review directory)."""
    stage = STAGES[name]
    inputs: dict[str, str | list[str]] = {}
    for key, spec in stage.inputs.items():
        if spec == SEARCHES:
            inputs[key] = [str(search["file"]) for search in config["searches"]]
        elif spec == EARLIER_REPORTS:
            inputs[key] = earlier_reports(config, review)
        elif spec == "all tables":  # named by their schema, so the stage knows what each one is
            for schema, path in all_tables(config, review):
                inputs.setdefault(schema, []).append(path)
        elif spec == "outputs of the stages that run":
            for other, shown in REPORT_SHOWS.items():
                if active(config, other):
                    outputs = stage_outputs(config, other)
                    for output in shown:
                        if output in outputs:
                            inputs[REPORT_NAMES.get((other, output), output)] = outputs[output].rstrip("/")
        elif isinstance(spec, Output):
            if active(config, spec.stage):
                inputs[key] = stage_outputs(config, spec.stage)[spec.name].rstrip("/")
        elif isinstance(spec, Files):
            inputs[key] = _paths(config_value(config, spec.key))
        elif isinstance(spec, Table):
            paths = _paths(config_value(config, spec.key))
            if spec.if_exists:
                paths = [p for p in paths if (Path(review) / p).is_file()]
            many = isinstance(config_value(config, spec.key), list)
            if many:
                inputs[key] = paths
            elif paths:
                inputs[key] = paths[0]
    return inputs


def stage_settings(config: Mapping, name: str) -> dict:
    """The settings a stage reads, nested as in the config (``{"screening": {"seed": 1}}``), from
    the validated config (defaults filled in). ``config`` as a key gives the whole config."""
    settings: dict = {}
    for key in STAGES[name].settings:
        if key == "config":
            settings["config"] = json.loads(json.dumps(config, default=str))
            continue
        parts = key.split(".")
        target = settings
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = config_value(config, key)
    return json.loads(json.dumps(settings, sort_keys=True, default=str))


def targets(config: Mapping) -> list[str]:
    """Every output of every stage the config sets up: the default rule's inputs."""
    return [path.rstrip("/") for name in active_stages(config) for path in stage_outputs(config, name).values()]


def log_path(name: str) -> str:
    return STAGES[name].log or f"logs/{name}.log"


class DeclaredSettings(dict):
    """A stage's settings: asking for a key its rule does not declare is an error, not a silent
    default, so a stage cannot read a setting whose change would not rerun it."""

    def __init__(self, values: Mapping, stage: str, prefix: str = ""):
        super().__init__({key: DeclaredSettings(value, stage, f"{prefix}{key}.") if isinstance(value, Mapping)
                          and key != "config" else value for key, value in values.items()})
        self._stage, self._prefix = stage, prefix

    def _declared(self, key) -> bool:
        full = f"{self._prefix}{key}"
        return any(full == d or full.startswith(d + ".") or d.startswith(full + ".")
                   for d in STAGES[self._stage].settings)

    def _undeclared(self, key):
        return KeyError(f"the {self._stage} stage reads setting '{self._prefix}{key}', which its rule does not "
                        "declare (add it to the stage's settings in evsynth/stages.py)")

    def __getitem__(self, key):
        if not self._declared(key):
            raise self._undeclared(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        if not self._declared(key):
            raise self._undeclared(key)
        return super().get(key, default)


def run_stage(name: str, input: Mapping, output: Mapping, settings: Mapping, log: str | None = None):
    """Call the stage's function with its named inputs, outputs and settings (as a rule does)."""
    import importlib

    module, function = STAGES[name].entry.split(":")
    # Snakemake's named inputs are strings or lists of strings; give the stage plain ones.
    named_input = {key: str(value) if isinstance(value, str) else [str(v) for v in value]
                   for key, value in dict(input).items()}
    named_output = {key: str(value) for key, value in dict(output).items()}
    if log:
        Path(log).parent.mkdir(parents=True, exist_ok=True)
    return getattr(importlib.import_module(module), function)(named_input, named_output,
                                                               DeclaredSettings(settings, name), log)


def run_in_review(name: str, review: str | Path = ".", config: Mapping | None = None):
    """Run one stage on a review directory as the workflow would (``evsynth STAGE --review DIR``)."""
    import os

    from evsynth.config import load_config

    review = Path(review)
    config = config if config is not None else load_config(review)
    if not active(config, name):
        stage = STAGES[name]
        from evsynth.errors import InputError

        missing = [key for key in stage.requires if not is_set(config, key)]
        if stage.requires_any and not any(is_set(config, key) for key in stage.requires_any):
            missing.append(" or ".join(stage.requires_any))
        raise InputError("config/config.yaml", f"the {name} stage is not set up"
                         + (f" ({', '.join(missing)} not set)" if missing else " (an earlier stage it reads is not)"),
                         field=missing[0] if missing else None, expected="the keys and tables of that stage")
    inputs, outputs = stage_inputs(config, name, review), stage_outputs(config, name)
    for key, path in inputs.items():
        for one in [path] if isinstance(path, str) else path:
            if not (review / one).exists():
                from evsynth.errors import InputError

                raise InputError(review / one, "does not exist", field=key,
                                 expected="the output of an earlier stage: run `evsynth run` first"
                                 if not any(one == p for _, p in all_tables(config)) else "the file the config names")
    cwd = os.getcwd()
    os.chdir(review)  # the stage's paths are relative to the review directory, as under Snakemake
    try:
        return run_stage(name, inputs, outputs, stage_settings(config, name), log_path(name))
    finally:
        os.chdir(cwd)

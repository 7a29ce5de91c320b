# Input functions and checks shared by the rules. Logic lives in the evsynth package.
from pathlib import Path

from evsynth.errors import InputError
from evsynth.ingest import check_searches
from evsynth.inputs import configured_tables
from evsynth.paths import code_fingerprint
from evsynth.studies import INCLUDED_STUDIES
from evsynth.quality.run import workflow_targets as quality_targets
from evsynth.prisma.run import workflow_targets as prisma_targets
from evsynth.screening.stage import workflow_targets as screening_targets
from evsynth.synthesis.stage import workflow_targets as synthesis_targets
from evsynth.robustness.stage import workflow_targets as robustness_targets
from evsynth.measure.stage import workflow_targets as measure_targets

try:
    # Stop before any job runs when the searches are wrong (dates, files missing or listed twice).
    check_searches(config["searches"], Path("."), "config/config.yaml")
except InputError as error:
    raise WorkflowError(str(error)) from None


# Passed to each stage as a parameter, so that a change in evsynth reruns what it computes.
EVSYNTH_CODE = code_fingerprint()


def settings_of(*sections):
    """The config sections a stage reads, as canonical text: a changed setting reruns the stage."""
    import json

    return json.dumps({name: config.get(name) for name in sections}, sort_keys=True, default=str)


def search_files(wildcards=None):
    return [search["file"] for search in config["searches"]]


def input_tables(wildcards=None):
    return [path for _, path in configured_tables(config)]


def dedup_verdicts(wildcards=None):
    # The verdicts file is optional: a review starts without one.
    path = (config.get("dedup") or {}).get("verdicts")
    return [path] if path and Path(path).is_file() else []


def configured(section, *keys):
    """Whether config names every one of `keys` in `section` (a review grows stage by stage)."""
    values = config.get(section) or {}
    return all(values.get(key) for key in keys)


def stage_outputs(wildcards=None):
    """The targets of the default rule: every stage whose inputs the config names."""
    outputs = [
        "data/processed/records.parquet",
        "results/ingest/identification_counts.csv",
        "results/dedup/clusters.csv",
        "data/processed/unique.parquet",
        "results/inputs/validation.csv",
    ]
    if configured("screening", "full_text") and configured("studies", "extraction"):
        outputs.append(INCLUDED_STUDIES)
    outputs += screening_targets(config)
    outputs += prisma_targets(config)
    outputs += quality_targets(config)
    outputs += synthesis_targets(config)
    outputs += robustness_targets(config)
    outputs += measure_targets(config)
    return outputs

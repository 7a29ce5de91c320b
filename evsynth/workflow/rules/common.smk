# What every rule takes from the stage table (evsynth/stages.py). Logic lives in the package.
from pathlib import Path

from evsynth.fingerprint import stage_fingerprint
from evsynth.stages import STAGES, log_path, output_specs, run_stage, stage_inputs, stage_settings, targets


def inputs_of(name):
    return stage_inputs(config, name)


CAPTIONS = Path(workflow.main_snakefile).resolve().parent / "report"


def outputs_of(name):
    """The stage's outputs, its directories marked as such, those with a caption shown in
    Snakemake's own report (`snakemake --report report.zip`)."""
    captions = STAGES[name].captions
    outputs = {}
    for key, path, is_directory in output_specs(config, name):
        if is_directory:
            outputs[key] = directory(path)
        elif key in captions:
            outputs[key] = report(path, caption=str(CAPTIONS / captions[key]), category=name)
        else:
            outputs[key] = path
    return outputs


def settings_of(name):
    return stage_settings(config, name)


def code_of(name):
    """Fingerprint of the modules and data files the stage runs: their change reruns it."""
    return stage_fingerprint(name)

# What every rule takes from the stage table (evsynth/stages.py). Logic lives in the package.
from evsynth.fingerprint import stage_fingerprint
from evsynth.stages import STAGES, log_path, output_specs, run_stage, stage_inputs, stage_settings, targets


def inputs_of(name):
    return stage_inputs(config, name)


def outputs_of(name):
    """The stage's outputs, its directories marked as such."""
    return {key: directory(path) if is_directory else path for key, path, is_directory in output_specs(config, name)}


def settings_of(name):
    return stage_settings(config, name)


def code_of(name):
    """Fingerprint of the modules and data files the stage runs: their change reruns it."""
    return stage_fingerprint(name)

# The Implementation Measure: items from the themes at or above the threshold, site ratings, validity.
from evsynth.measure.stage import OUT_DIR as MEASURE_DIR
from evsynth.measure.stage import OUTPUTS as MEASURE_OUTPUTS
from evsynth.measure.stage import STRENGTH as MEASURE_STRENGTH
from evsynth.measure.stage import workflow_inputs as measure_inputs


rule measure:
    """Sum scores per site, item means and ranges with floor/ceiling flags, group means, heat map."""
    input:
        lambda wildcards: measure_inputs(config),
    output:
        [f"{MEASURE_DIR}/{name}" for name in MEASURE_OUTPUTS],
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("measure", "synthesis"),
    log:
        "logs/measure.log",
    run:
        from evsynth.measure import run_measure

        run_measure(config, MEASURE_STRENGTH, MEASURE_DIR, log[0])

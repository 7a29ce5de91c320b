# CASP quality appraisal: scores, grades, agreement between appraisers, figures.
from evsynth.quality.run import OUT_DIR as QUALITY_DIR
from evsynth.quality.run import OUTPUTS as QUALITY_OUTPUTS
from evsynth.quality.run import workflow_inputs as quality_inputs


rule quality:
    """CASP scores and grades, counts by grade and design, appraisers' agreement, figures."""
    input:
        lambda wildcards: quality_inputs(config),
    output:
        [f"{QUALITY_DIR}/{name}" for name in QUALITY_OUTPUTS],
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("quality", "studies"),
    log:
        "logs/quality.log",
    run:
        from evsynth.quality import run_quality

        run_quality(config, INCLUDED_STUDIES, QUALITY_DIR, log[0])

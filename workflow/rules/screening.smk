# Screening: the double-screening sample, worksheets, reviewers' decisions and their agreement,
# disagreements and their resolutions, full-text decisions.
from evsynth.screening.stage import OUT_DIR as SCREENING_DIR
from evsynth.screening.stage import OUTPUTS as SCREENING_OUTPUTS
from evsynth.screening.stage import WORKSHEETS as SCREENING_WORKSHEETS
from evsynth.screening.stage import workflow_inputs as screening_inputs


rule screening:
    """Worksheets, the double-screening sample, agreement, disagreements, full-text decisions."""
    input:
        unique="data/processed/unique.parquet",
        tables=lambda wildcards: screening_inputs(config),
    output:
        [f"{SCREENING_DIR}/{name}" for name in SCREENING_OUTPUTS],
        directory(SCREENING_WORKSHEETS),
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("screening"),
    log:
        "logs/screening.log",
    run:
        from evsynth.screening import run_screening

        run_screening(config, input.unique, SCREENING_DIR, log[0])

# Does the ranking hold? Subgroup and sensitivity analyses, leave-one-study-out, bootstrap over studies.
from evsynth.robustness.stage import OUT_DIR as ROBUSTNESS_DIR
from evsynth.robustness.stage import OUTPUTS as ROBUSTNESS_OUTPUTS
from evsynth.robustness.stage import QUALITY_SCORES, quality_configured
from evsynth.robustness.stage import workflow_inputs as robustness_inputs


rule robustness:
    """Each analysis's ranking against the full synthesis: dropped themes, top k, tau-b, rho, verdicts, bump chart."""
    input:
        lambda wildcards: robustness_inputs(config),
    output:
        [f"{ROBUSTNESS_DIR}/{name}" for name in ROBUSTNESS_OUTPUTS],
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("robustness", "synthesis", "studies", "quality"),
    log:
        "logs/robustness.log",
    run:
        from evsynth.robustness import run_robustness

        run_robustness(config, INCLUDED_STUDIES, QUALITY_SCORES if quality_configured(config) else None,
                       ROBUSTNESS_DIR, log[0])

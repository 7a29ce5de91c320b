# PRISMA 2020: the flow counts in the PRISMA2020 R package's CSV format, and the flow diagram.
from evsynth.prisma.run import OUT_DIR as PRISMA_DIR
from evsynth.prisma.run import OUTPUTS as PRISMA_OUTPUTS


rule prisma:
    """Count every box of the flow from the stage outputs; draw the diagram."""
    input:
        identification="results/ingest/identification_counts.csv",
        dedup_summary="results/dedup/summary.csv",
        outcome=f"{SCREENING_DIR}/title_abstract_outcome.csv",
        reports=f"{SCREENING_DIR}/reports.csv",
    output:
        [f"{PRISMA_DIR}/{name}" for name in PRISMA_OUTPUTS],
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("screening"),
    log:
        "logs/prisma.log",
    run:
        from evsynth.prisma import run_prisma

        run_prisma(
            input.identification,
            input.dedup_summary,
            input.outcome,
            input.reports,
            PRISMA_DIR,
            log[0],
        )

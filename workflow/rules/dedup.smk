rule dedup:
    """Link duplicate records into clusters; one unique record per cluster; pairs left to a person."""
    input:
        records="data/processed/records.parquet",
        verdicts=dedup_verdicts,
    output:
        clusters="results/dedup/clusters.csv",
        unique_csv="results/dedup/unique.csv",
        uncertain="results/dedup/uncertain_pairs.csv",
        uncertain_xlsx="results/dedup/uncertain_pairs.xlsx",
        pairs="results/dedup/pairs.csv",
        summary="results/dedup/summary.csv",
        unique="data/processed/unique.parquet",
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("dedup"),
    log:
        "logs/dedup.log",
    run:
        from evsynth.dedup.cli import run_review

        run_review(
            input.records,
            input.verdicts[0] if input.verdicts else None,
            "results/dedup",
            output.unique,
            log[0],
        )

rule ingest:
    """Read every search export into one records table (one row per exported record)."""
    input:
        search_files,
    output:
        records="data/processed/records.parquet",
        counts="results/ingest/identification_counts.csv",
        blank="results/ingest/records_without_title_or_id.csv",
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("searches"),
    log:
        "logs/ingest.log",
    run:
        from evsynth.ingest import run_ingest

        run_ingest(config["searches"], ".", output.records, output.counts, log[0], output.blank)

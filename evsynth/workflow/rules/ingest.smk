rule ingest:
    """Read every search export into one records table (one row per exported record)."""
    input:
        **inputs_of("ingest"),
    output:
        **outputs_of("ingest"),
    log:
        log_path("ingest"),
    threads: STAGES["ingest"].threads
    resources:
        mem_mb=STAGES["ingest"].mem_mb,
        runtime=STAGES["ingest"].runtime,
    params:
        settings=settings_of("ingest"),
        code=code_of("ingest"),
    run:
        run_stage("ingest", input, output, params.settings, log[0])

rule dedup:
    """Link duplicate records into clusters; one unique record per cluster; pairs left to a person."""
    input:
        **inputs_of("dedup"),
    output:
        **outputs_of("dedup"),
    log:
        log_path("dedup"),
    threads: STAGES["dedup"].threads
    resources:
        mem_mb=STAGES["dedup"].mem_mb,
        runtime=STAGES["dedup"].runtime,
    params:
        settings=settings_of("dedup"),
        code=code_of("dedup"),
    run:
        run_stage("dedup", input, output, params.settings, log[0])

rule screening:
    """Worksheets, the double-screening sample, agreement, disagreements, full-text decisions."""
    input:
        **inputs_of("screening"),
    output:
        **outputs_of("screening"),
    log:
        log_path("screening"),
    threads: STAGES["screening"].threads
    resources:
        mem_mb=STAGES["screening"].mem_mb,
        runtime=STAGES["screening"].runtime,
    params:
        settings=settings_of("screening"),
        code=code_of("screening"),
    run:
        run_stage("screening", input, output, params.settings, log[0])

rule report:
    """The report: one offline page, supplementary tables, characteristics of included studies, a snapshot."""
    input:
        **inputs_of("report"),
    output:
        **outputs_of("report"),
    log:
        log_path("report"),
    threads: STAGES["report"].threads
    resources:
        mem_mb=STAGES["report"].mem_mb,
        runtime=STAGES["report"].runtime,
    params:
        settings=settings_of("report"),
        code=code_of("report"),
    run:
        run_stage("report", input, output, params.settings, log[0])

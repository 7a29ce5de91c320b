rule measure:
    """Sum scores per site, item means and ranges with floor/ceiling flags, group means, heat map."""
    input:
        **inputs_of("measure"),
    output:
        **outputs_of("measure"),
    log:
        log_path("measure"),
    threads: STAGES["measure"].threads
    resources:
        mem_mb=STAGES["measure"].mem_mb,
        runtime=STAGES["measure"].runtime,
    params:
        settings=settings_of("measure"),
        code=code_of("measure"),
    run:
        run_stage("measure", input, output, params.settings, log[0])

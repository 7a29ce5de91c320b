rule quality:
    """Appraisal scores and grades, counts by grade and design, appraisers' agreement, figures."""
    input:
        **inputs_of("quality"),
    output:
        **outputs_of("quality"),
    log:
        log_path("quality"),
    threads: STAGES["quality"].threads
    resources:
        mem_mb=STAGES["quality"].mem_mb,
        runtime=STAGES["quality"].runtime,
    params:
        settings=settings_of("quality"),
        code=code_of("quality"),
    run:
        run_stage("quality", input, output, params.settings, log[0])

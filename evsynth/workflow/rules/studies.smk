rule included_studies:
    """The included studies: full-text inclusions joined to the extraction sheet."""
    input:
        **inputs_of("included_studies"),
    output:
        **outputs_of("included_studies"),
    log:
        log_path("included_studies"),
    threads: STAGES["included_studies"].threads
    resources:
        mem_mb=STAGES["included_studies"].mem_mb,
        runtime=STAGES["included_studies"].runtime,
    params:
        settings=settings_of("included_studies"),
        code=code_of("included_studies"),
    run:
        run_stage("included_studies", input, output, params.settings, log[0])

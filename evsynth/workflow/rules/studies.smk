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


rule study_sources:
    """The records behind each included study; the included reports as RIS; typed citations checked."""
    input:
        **inputs_of("study_sources"),
    output:
        **outputs_of("study_sources"),
    log:
        log_path("study_sources"),
    threads: STAGES["study_sources"].threads
    resources:
        mem_mb=STAGES["study_sources"].mem_mb,
        runtime=STAGES["study_sources"].runtime,
    params:
        settings=settings_of("study_sources"),
        code=code_of("study_sources"),
    run:
        run_stage("study_sources", input, output, params.settings, log[0])

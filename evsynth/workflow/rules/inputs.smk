rule validate_inputs:
    """Fingerprint every table a person filled in (SHA-256, rows, formula cells), for the audit."""
    input:
        **inputs_of("validate_inputs"),
    output:
        **outputs_of("validate_inputs"),
    log:
        log_path("validate_inputs"),
    threads: STAGES["validate_inputs"].threads
    resources:
        mem_mb=STAGES["validate_inputs"].mem_mb,
        runtime=STAGES["validate_inputs"].runtime,
    params:
        settings=settings_of("validate_inputs"),
        code=code_of("validate_inputs"),
    run:
        run_stage("validate_inputs", input, output, params.settings, log[0])

rule robustness:
    """Each analysis's ranking against the full synthesis: dropped themes, top k, tau-b, rho, verdicts."""
    input:
        **inputs_of("robustness"),
    output:
        **outputs_of("robustness"),
    log:
        log_path("robustness"),
    threads: STAGES["robustness"].threads
    resources:
        mem_mb=STAGES["robustness"].mem_mb,
        runtime=STAGES["robustness"].runtime,
    params:
        settings=settings_of("robustness"),
        code=code_of("robustness"),
    run:
        run_stage("robustness", input, output, params.settings, log[0])

rule prisma:
    """Count every box of the PRISMA 2020 flow from the stage outputs; draw the diagram."""
    input:
        **inputs_of("prisma"),
    output:
        **outputs_of("prisma"),
    log:
        log_path("prisma"),
    threads: STAGES["prisma"].threads
    resources:
        mem_mb=STAGES["prisma"].mem_mb,
        runtime=STAGES["prisma"].runtime,
    params:
        settings=settings_of("prisma"),
        code=code_of("prisma"),
    run:
        run_stage("prisma", input, output, params.settings, log[0])

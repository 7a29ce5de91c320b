rule theme_strength:
    """Unit x theme matrix and vote counts: n, N, percent, Wilson interval, rank, direction, flag."""
    input:
        **inputs_of("theme_strength"),
    output:
        **outputs_of("theme_strength"),
    log:
        log_path("theme_strength"),
    threads: STAGES["theme_strength"].threads
    resources:
        mem_mb=STAGES["theme_strength"].mem_mb,
        runtime=STAGES["theme_strength"].runtime,
    params:
        settings=settings_of("theme_strength"),
        code=code_of("theme_strength"),
    run:
        run_stage("theme_strength", input, output, params.settings, log[0])


rule synthesis_audit:
    """One Markdown page and JSON record per theme and subtheme (`evsynth explain THEME` prints it)."""
    input:
        **inputs_of("synthesis_audit"),
    output:
        **outputs_of("synthesis_audit"),
    log:
        log_path("synthesis_audit"),
    threads: STAGES["synthesis_audit"].threads
    resources:
        mem_mb=STAGES["synthesis_audit"].mem_mb,
        runtime=STAGES["synthesis_audit"].runtime,
    params:
        settings=settings_of("synthesis_audit"),
        code=code_of("synthesis_audit"),
    run:
        run_stage("synthesis_audit", input, output, params.settings, log[0])


rule synthesis_tables:
    """Themes with subthemes and n/N; influences by CFIR domain with facilitators, barriers, references."""
    input:
        **inputs_of("synthesis_tables"),
    output:
        **outputs_of("synthesis_tables"),
    log:
        log_path("synthesis_tables"),
    threads: STAGES["synthesis_tables"].threads
    resources:
        mem_mb=STAGES["synthesis_tables"].mem_mb,
        runtime=STAGES["synthesis_tables"].runtime,
    params:
        settings=settings_of("synthesis_tables"),
        code=code_of("synthesis_tables"),
    run:
        run_stage("synthesis_tables", input, output, params.settings, log[0])


rule theme_network:
    """Theme co-occurrence (units coding both themes) as a table and a network figure."""
    input:
        **inputs_of("theme_network"),
    output:
        **outputs_of("theme_network"),
    log:
        log_path("theme_network"),
    threads: STAGES["theme_network"].threads
    resources:
        mem_mb=STAGES["theme_network"].mem_mb,
        runtime=STAGES["theme_network"].runtime,
    params:
        settings=settings_of("theme_network"),
        code=code_of("theme_network"),
    run:
        run_stage("theme_network", input, output, params.settings, log[0])

# Thematic synthesis: vote counts of theme strength, the audit trail, published tables, co-occurrence.
from evsynth.synthesis.stage import workflow_inputs


rule theme_strength:
    """Unit x theme matrix and vote counts: n, N, percent, Wilson interval, rank, direction, flag."""
    input:
        lambda wildcards: workflow_inputs(config),
    output:
        strength="results/synthesis/theme_strength.csv",
        themes="results/synthesis/study_theme_matrix.csv",
        subthemes="results/synthesis/study_subtheme_matrix.csv",
        directions="results/synthesis/unit_directions.csv",
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("synthesis", "studies"),
    log:
        "logs/synthesis/theme_strength.log",
    run:
        from evsynth.synthesis.stage import run_vote_counts

        run_vote_counts(config, INCLUDED_STUDIES, "results/synthesis", log[0])


rule synthesis_audit:
    """One Markdown page and JSON record per theme and subtheme (`evsynth explain THEME` prints it)."""
    input:
        lambda wildcards: workflow_inputs(config),
    output:
        directory("results/synthesis/audit"),
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("synthesis", "studies"),
    log:
        "logs/synthesis/audit.log",
    run:
        from evsynth.synthesis.stage import run_audit

        run_audit(config, INCLUDED_STUDIES, output[0], log[0])


rule synthesis_tables:
    """Themes with subthemes and n/N; influences by CFIR domain with facilitators, barriers, references."""
    input:
        lambda wildcards: workflow_inputs(config),
    output:
        "results/synthesis/tables/themes_subthemes.csv",
        "results/synthesis/tables/themes_subthemes.md",
        "results/synthesis/tables/influences_by_cfir.csv",
        "results/synthesis/tables/influences_by_cfir.md",
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("synthesis", "studies"),
    log:
        "logs/synthesis/tables.log",
    run:
        from evsynth.synthesis.stage import run_tables

        run_tables(config, INCLUDED_STUDIES, "results/synthesis/tables", log[0])


rule theme_network:
    """Theme co-occurrence (units coding both themes) as a table and a network figure."""
    input:
        lambda wildcards: workflow_inputs(config),
    output:
        table="results/synthesis/theme_cooccurrence.csv",
        svg="results/synthesis/figures/theme_network.svg",
        png="results/synthesis/figures/theme_network.png",
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("synthesis", "studies"),
    log:
        "logs/synthesis/theme_network.log",
    run:
        from evsynth.synthesis.stage import run_network

        run_network(config, INCLUDED_STUDIES, output.table, output.svg, output.png, log[0])

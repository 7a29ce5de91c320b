rule included_studies:
    """The included studies: full-text inclusions joined to the extraction sheet."""
    input:
        lambda wildcards: config["screening"]["full_text"],
        lambda wildcards: config["studies"]["extraction"],
        # every stage after this one waits until all tables are valid
        "results/inputs/validation.csv",
    output:
        INCLUDED_STUDIES,
    params:
        code=EVSYNTH_CODE,
        settings=settings_of("screening", "studies"),
    log:
        "logs/included_studies.log",
    run:
        from evsynth.studies import run_included_studies

        run_included_studies(config, output[0], log[0])

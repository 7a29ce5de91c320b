rule validate_inputs:
    """Check every table a person filled in against its schema, and fingerprint it for the audit."""
    input:
        tables=input_tables,
        # after ingest: a bad export stops the run before any later result is written
        records="data/processed/records.parquet",
    output:
        "results/inputs/validation.csv",
    params:
        code=EVSYNTH_CODE,
    log:
        "logs/validate_inputs.log",
    run:
        from evsynth.inputs import run_validation

        run_validation(config, output[0], log[0])

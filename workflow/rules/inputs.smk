rule validate_inputs:
    """Check every table a person filled in against its schema, and fingerprint it for the audit."""
    input:
        input_tables,
    output:
        "results/inputs/validation.csv",
    log:
        "logs/validate_inputs.log",
    run:
        from evsynth.inputs import run_validation

        run_validation(config, output[0], log[0])

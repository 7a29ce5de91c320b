# evsynth: the whole synthesis of one review, from search exports to the report.
# Run from a review directory (config/ and data/raw/), e.g.
#   snakemake --cores 2 --snakefile PATH/TO/evsynth/Snakefile --directory REVIEW
from snakemake.utils import min_version, validate

min_version("9.0")


configfile: "config/config.yaml"


validate(config, "workflow/schemas/config.schema.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/ingest.smk"
include: "workflow/rules/dedup.smk"
include: "workflow/rules/inputs.smk"
include: "workflow/rules/screening.smk"
include: "workflow/rules/prisma.smk"
include: "workflow/rules/studies.smk"
include: "workflow/rules/quality.smk"
include: "workflow/rules/synthesis.smk"
include: "workflow/rules/robustness.smk"
include: "workflow/rules/measure.smk"


rule all:
    input:
        stage_outputs,
    default_target: True

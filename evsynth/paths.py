"""Where the installation's own files are: the workflow (Snakefile, rules, schemas) ships inside
the package, so an installed evsynth runs a review without the source tree."""

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
WORKFLOW = PACKAGE / "workflow"
SNAKEFILE = WORKFLOW / "Snakefile"
SCHEMAS = WORKFLOW / "schemas"

"""Where the installation's own files are (the Snakefile and the schemas beside the package)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAKEFILE = ROOT / "Snakefile"
SCHEMAS = ROOT / "workflow" / "schemas"

"""Where the installation's own files are (the Snakefile and the schemas beside the package)."""

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SNAKEFILE = ROOT / "Snakefile"
SCHEMAS = ROOT / "workflow" / "schemas"


def code_fingerprint() -> str:
    """SHA-256 (first 16 hex digits) of the package's source, checklists, report templates and schemas.

    The rules pass it as a parameter, so Snakemake reruns a stage when evsynth itself changed,
    not only when its input files did: results always come from the code that is installed.
    """
    digest = hashlib.sha256()
    package = ROOT / "evsynth"
    files = sorted([*package.rglob("*.py"), *package.rglob("*.yaml"), *package.glob("report/templates/*"),
                    *SCHEMAS.glob("*.yaml")])
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

"""Which code a stage runs, as a fingerprint: a stage reruns when that code changes, and only then.

The modules a stage's function imports are found by reading the source (every ``import`` of an
``evsynth`` module, those inside functions included), transitively; their bytes, the package data
files the stage declares and the schemas of the tables it reads are hashed together.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def module_path(name: str) -> Path | None:
    parts = name.split(".")
    if parts[0] != "evsynth":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@lru_cache(maxsize=None)
def _imports(name: str) -> frozenset[str]:
    """The evsynth modules one module imports (anywhere in its source), and its parent packages."""
    path = module_path(name)
    if path is None:
        return frozenset()
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    parts = name.split(".")
    found.update(".".join(parts[:k]) for k in range(1, len(parts)))  # importing a.b.c runs a and a.b
    return frozenset(m for m in found if module_path(m) is not None)


def imported_modules(name: str) -> list[str]:
    """``name`` and every evsynth module it imports, transitively, sorted."""
    seen, todo = set(), [name]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(_imports(module) - seen)
    return sorted(m for m in seen if module_path(m) is not None)


def stage_files(name: str) -> list[Path]:
    """Every file whose content the stage's results depend on, besides its inputs."""
    from evsynth.paths import SCHEMAS
    from evsynth.stages import STAGES, Table

    stage = STAGES[name]
    files = {module_path(m) for m in imported_modules(stage.module)}
    for pattern in stage.data:
        files.update(p for p in PACKAGE.glob(pattern) if p.is_file())
    for spec in stage.inputs.values():
        if isinstance(spec, Table):
            files.add(SCHEMAS / f"{spec.schema}.schema.yaml")
    if name == "validate_inputs":  # it reads every table, with its schema
        files.update(SCHEMAS.glob("*.schema.yaml"))
    return sorted(f for f in files if f is not None)


@lru_cache(maxsize=None)
def stage_fingerprint(name: str) -> str:
    """SHA-256 (16 hex digits) of the stage's code and data files, by their paths in the package."""
    digest = hashlib.sha256()
    for path in stage_files(name):
        digest.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]

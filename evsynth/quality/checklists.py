"""Appraisal checklists as data: one YAML file each (id, tool, type, version, title, source, items).

The CASP checklists ship in ``evsynth/data/checklists/``; a review may add its own files (config
``quality.checklist_files``) and choose which checklists it uses (``quality.checklists``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from evsynth.errors import InputError

SHIPPED = resources.files("evsynth") / "data" / "checklists"


@dataclass(frozen=True)
class Checklist:
    id: str
    type: str
    version: str
    title: str
    source: str
    questions: tuple[str, ...]  # questions[n - 1] is item n
    tool: str = ""  # the appraisal tool it belongs to (CASP, MMAT, ...), named in the outputs' titles

    @property
    def n_items(self) -> int:
        return len(self.questions)

    def question(self, number: int) -> str:
        return self.questions[number - 1]


def _text(data: dict, key: str, path: object, required: bool = True) -> str:
    value = data.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, (str, int, float)) or not str(value).strip():
        raise InputError(path, f"'{key}' is missing or empty", field=key, expected="a non-empty text")
    return str(value).strip()


def parse_checklist(data: object, path: object) -> Checklist:
    """A checklist from the YAML mapping of one file; items must be numbered 1, 2, ... n."""
    if not isinstance(data, dict):
        raise InputError(path, "is not a mapping",
                         expected="keys id, type, version, title and items (each with number and question), "
                                  "optionally tool and source")
    items = data.get("items")
    if not isinstance(items, list) or not items:
        raise InputError(path, "'items' is missing or empty", field="items",
                         expected="a list of items, each with number and question")
    questions = []
    for position, item in enumerate(items, start=1):
        if not isinstance(item, dict) or item.get("number") != position:
            found = item.get("number") if isinstance(item, dict) else item
            raise InputError(path, f"item {position} of the list has number {found!r}", field="items",
                             expected=f"items numbered 1 to {len(items)} in order")
        question = item.get("question")
        if not isinstance(question, str) or not question.strip():
            raise InputError(path, f"item {position} has no question", field="items",
                             expected="the question's wording as text")
        questions.append(question.strip())
    return Checklist(id=_text(data, "id", path), type=_text(data, "type", path),
                     version=_text(data, "version", path), title=_text(data, "title", path),
                     source=_text(data, "source", path, required=False), questions=tuple(questions),
                     tool=_text(data, "tool", path, required=False))


def load_checklist(path) -> Checklist:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(path, "file does not exist", expected="a checklist YAML file") from None
    except yaml.YAMLError as error:
        raise InputError(path, f"is not valid YAML ({error})", expected="a checklist YAML file") from None
    return parse_checklist(data, path)


def shipped_checklists() -> dict[str, Checklist]:
    found = {}
    for entry in sorted(SHIPPED.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            checklist = load_checklist(entry)
            found[checklist.id] = checklist
    return found


def review_checklists(selected: Sequence[str] | None = None, extra_files: Iterable[str | Path] = (),
                      config_name: str = "config/config.yaml") -> dict[str, Checklist]:
    """The checklists a review uses: the shipped ones plus its own files, limited to ``selected``."""
    available = shipped_checklists()
    for file in extra_files:
        checklist = load_checklist(Path(file))
        if checklist.id in available:
            raise InputError(file, f"checklist id '{checklist.id}' is already taken", field="id",
                             expected=f"an id not among {', '.join(sorted(available))}")
        available[checklist.id] = checklist
    if not selected:
        return available
    unknown = [cid for cid in selected if cid not in available]
    if unknown:
        raise InputError(config_name, f"unknown checklist(s) {', '.join(unknown)}", field="quality.checklists",
                         expected=f"ids among {', '.join(sorted(available))} or of quality.checklist_files")
    return {cid: available[cid] for cid in selected}


def appraisal_name(checklists: Iterable[Checklist]) -> str:
    """What the outputs call the appraisal: its tools ("CASP", "CASP and MMAT"), or "Quality" when a
    checklist names no tool."""
    checklists = list(checklists)
    tools = sorted({c.tool for c in checklists})
    if not checklists or "" in tools:
        return "Quality"
    return tools[0] if len(tools) == 1 else ", ".join(tools[:-1]) + " and " + tools[-1]

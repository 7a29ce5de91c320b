"""The one config loader: read ``config/config.yaml``, refuse what YAML lets slip, validate it against
the schema and fill in the schema's defaults. The workflow and every CLI command use it, so a
setting means the same thing whichever way a stage is run.

Errors name the file and the line: ``config/config.yaml, line 12, field 'screening.sample_fractoin':
unknown key; expected one of ... (did you mean 'sample_fraction'?)``, in one line, never the schema.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path

import yaml

from evsynth.errors import InputError

CONFIG_FILE = "config/config.yaml"


class _ConfigLoader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors and aliases (nine nested aliases expand to billions of
    nodes: the 'billion laughs'), and with duplicate keys refused instead of the last one winning."""

    name = CONFIG_FILE

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise InputError(self.name, f"an alias (*{event.anchor}) is not allowed in the config",
                             line=event.start_mark.line + 1,
                             expected="each value written out (anchors & and aliases * are refused)")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise InputError(self.name, f"an anchor (&{event.anchor}) is not allowed in the config",
                             line=event.start_mark.line + 1,
                             expected="each value written out (anchors & and aliases * are refused)")
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise InputError(self.name, f"key '{key}' is given twice (first on line {seen[key]})",
                                 line=line, field=str(key), expected="each key once in its section")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


# A date written without quotes stays the text written (the schema checks YYYY-MM-DD), not a datetime.
_ConfigLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def _compose(text: str, name: str):
    loader = _ConfigLoader(text)
    loader.name = name
    try:
        return loader.get_single_node(), loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise InputError(name, f"not valid YAML ({error.problem or error.context})",
                         line=mark.line + 1 if mark else None,
                         expected="YAML as in the example review's config/config.yaml") from None
    except yaml.YAMLError as error:
        raise InputError(name, f"not valid YAML ({error})", expected="a YAML mapping of sections") from None


def read_config_file(path: str | Path, name: str | None = None) -> tuple[dict, object]:
    """The config's mapping as written (no defaults) and its YAML node tree (for line numbers)."""
    name = name or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(path, "no config file", expected="a review directory holding config/config.yaml "
                         "(see the README's 'Running your own review')") from None
    except UnicodeDecodeError as error:
        raise InputError(name, f"not UTF-8 text ({error.reason} at byte {error.start})",
                         expected="a UTF-8 YAML file") from None
    node, loader = _compose(text, name)
    if node is None:
        raise InputError(name, "the config is empty", expected="a YAML mapping with at least 'searches'")
    data = loader.construct_document(node)
    if not isinstance(data, Mapping):
        raise InputError(name, f"the config is a {type(data).__name__}, not a mapping of sections",
                         line=node.start_mark.line + 1, expected="'searches:', 'screening:', ... at the top level")
    return dict(data), node


def node_line(node, path: Sequence) -> int | None:
    """The line of the deepest node of ``path`` (keys and list indices) the file holds; the
    document's first line when not even the first key is there."""
    line = _path_line(node, path)
    if line is None and node is not None:
        return node.start_mark.line + 1
    return line


def _path_line(node, path: Sequence) -> int | None:
    """The line of the deepest node of ``path`` found under ``node``, or None when none is."""
    line = None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if k.value == key]
            if not match:
                break
            line, node = match[0][0].start_mark.line + 1, match[0][1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def dotted(path: Sequence) -> str:
    """robustness.subgroups[1].attribute"""
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text


def config_schema() -> dict:
    from evsynth.tables import load_schema

    return load_schema("config")


def _spec_at(schema: Mapping, path: Sequence) -> Mapping:
    spec = schema
    for key in path:
        if not isinstance(spec, Mapping):
            return {}
        if isinstance(key, int):
            spec = spec.get("items", {})
        else:
            props = spec.get("properties", {})
            spec = props[key] if key in props else (spec.get("additionalProperties") or {})
    return spec if isinstance(spec, Mapping) else {}


def _expected(spec: Mapping) -> str:
    if spec.get("enum"):
        return "one of " + ", ".join(str(v) for v in spec["enum"])
    kind = spec.get("type")
    bounds = [f"{word} {spec[key]}" for key, word in (("minimum", ">="), ("exclusiveMinimum", ">"),
                                                      ("maximum", "<="), ("exclusiveMaximum", "<"))
              if key in spec]
    text = " ".join(str(part) for part in ([kind if isinstance(kind, str) else " or ".join(kind or [])]
                                           if kind else []) + bounds)
    if spec.get("pattern"):
        text += f" matching {spec['pattern']}"
    description = spec.get("description")
    if description:
        text = f"{text} ({description})" if text else description
    return text or "a value the config schema allows"


def _schema_error(error, schema: Mapping, node, name: str) -> InputError:
    path = list(error.absolute_path)
    if error.validator == "additionalProperties":
        spec = _spec_at(schema, path)
        allowed = sorted(spec.get("properties", {}))
        extra = [key for key in error.instance if key not in allowed]
        key = extra[0]
        close = difflib.get_close_matches(str(key), allowed, n=2, cutoff=0.6)
        hint = f" (did you mean {' or '.join(repr(c) for c in close)}?)" if close else ""
        return InputError(name, f"unknown key '{key}'{hint}", line=node_line(node, [*path, key]),
                          field=dotted([*path, key]), expected="one of " + ", ".join(allowed))
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return InputError(name, f"'{missing}' is missing", line=node_line(node, path),
                          field=dotted([*path, missing]),
                          expected=_expected(_spec_at(schema, [*path, missing])) or "that key")
    spec = _spec_at(schema, path)
    value = error.instance
    shown = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__
    if error.validator in ("minItems", "minProperties"):
        problem = f"{shown} has too few entries"
    else:
        problem = f"{shown} is not allowed"
    return InputError(name, problem, line=node_line(node, path), field=dotted(path) or "(top level)",
                      expected=_expected(spec))


def with_defaults(value, spec: Mapping):
    """``value`` with the schema's defaults filled in, nested objects and arrays of objects included."""
    if spec.get("type") == "object" and "properties" in spec:
        filled = dict(value) if isinstance(value, Mapping) else {}
        for key, sub in spec["properties"].items():
            if key in filled:
                filled[key] = with_defaults(filled[key], sub)
            elif "default" in sub:
                filled[key] = with_defaults(copy.deepcopy(sub["default"]), sub)
        return filled
    if spec.get("type") == "array" and isinstance(value, list) and isinstance(spec.get("items"), Mapping):
        return [with_defaults(item, spec["items"]) for item in value]
    return value


def _merge(base: dict, overrides: Mapping) -> dict:
    merged = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def validate_config(data: Mapping, node=None, name: str = CONFIG_FILE) -> dict:
    """Check ``data`` against the config schema (one error, with its line) and fill in the defaults."""
    import jsonschema

    schema = config_schema()
    validator = jsonschema.Draft202012Validator(schema)
    error = jsonschema.exceptions.best_match(validator.iter_errors(dict(data)),
                                             key=lambda e: (-len(e.absolute_path), e.validator != "additionalProperties"))
    if error is not None:
        raise _schema_error(error, schema, node, name)
    config = with_defaults(dict(data), schema)
    reviewers = config.get("screening", {}).get("reviewers") or []
    for index, reviewer in enumerate(reviewers):
        if reviewer in reviewers[:index]:
            raise InputError(name, f"reviewer '{reviewer}' is listed twice",
                             line=node_line(node, ["screening", "reviewers", index]),
                             field=f"screening.reviewers[{index}]", expected="each reviewer's initials once")
    check_rounds(config.get("searches") or [], node, name)
    return config


def check_rounds(searches: Sequence[Mapping], node=None, name: str = CONFIG_FILE) -> None:
    """An update's searches are run after the version it updates began: a search of a later round
    dated before the first search of an earlier round is an error at its date's line (a round's
    searches may span days, so a later round may overlap the end of an earlier one)."""
    first_of: dict[int, tuple[str, int]] = {}
    for index, search in enumerate(searches):
        number = int(search.get("round", 1))
        if number not in first_of or str(search["date"]) < first_of[number][0]:
            first_of[number] = (str(search["date"]), index)
    for index, search in enumerate(searches):
        later = int(search.get("round", 1))
        for earlier, (date, other) in sorted(first_of.items()):
            if earlier < later and str(search["date"]) < date:
                raise InputError(name, f"searches[{index + 1}] of round {later} is dated {search['date']}, before "
                                 f"round {earlier} began (searches[{other + 1}], {date})",
                                 line=node_line(node, ["searches", index, "date"]), field=f"searches[{index + 1}].date",
                                 expected="a later round's searches dated on or after the first search of every earlier round")


def load_config(review: str | Path = ".", path: str | Path | None = None,
                overrides: Mapping | None = None, check_files: bool = True) -> dict:
    """The validated config of a review, defaults filled in.

    ``path`` defaults to ``REVIEW/config/config.yaml``; ``overrides`` (Snakemake's ``--config``) are
    merged in before validation; with ``check_files`` the searches are checked too (dates, files
    missing or listed twice), so a run stops before any stage starts.
    """
    review = Path(review)
    path = Path(path) if path is not None else review / CONFIG_FILE
    name = CONFIG_FILE if path == review / CONFIG_FILE else str(path)
    data, node = read_config_file(path, name)
    if overrides:
        # directories allowed on the command line (evsynth run --allow-outside) add to the config's
        extra = list(overrides.get("allow_outside") or [])
        data = _merge(data, overrides)
        if extra:
            data["allow_outside"] = [*(read_config_file(path, name)[0].get("allow_outside") or []), *extra]
    config = validate_config(data, node, name)
    check_paths_inside(config, review, node, name)
    if check_files:
        check_searches(config["searches"], review, name)
    return config


# --- one section of a config (the CLI on one's own files) -------------------------------------------

def section_settings(config: Mapping, section: str) -> dict:
    """A config section with the schema's defaults filled in for keys left out."""
    spec = config_schema()["properties"][section]["properties"]
    given = dict(config.get(section) or {})
    return {key: given.get(key, value.get("default")) for key, value in spec.items()}


def _defaults(spec: Mapping) -> dict:
    """Every default of an object schema, nested objects included."""
    values = {}
    for key, sub in spec.get("properties", {}).items():
        if sub.get("type") == "object" and "properties" in sub:
            values[key] = {**_defaults(sub), **dict(sub.get("default") or {})}
        elif "default" in sub:
            values[key] = sub["default"]
    return values


def section_schema(section: str) -> dict:
    return config_schema()["properties"][section]


def checked_section(config: Mapping, section: str, config_name: str = CONFIG_FILE) -> dict:
    """A config section validated against the config schema, with every default filled in."""
    import jsonschema

    schema = section_schema(section)
    given = dict(config.get(section) or {})
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(given))
    if error is not None:
        path = [section, *error.absolute_path]
        raise InputError(config_name, error.message, line=config_line(config_name, path),
                         field=dotted(path), expected=_describe(schema, list(error.absolute_path)))
    settings = _defaults(schema)
    for key, value in given.items():
        if isinstance(value, Mapping) and isinstance(settings.get(key), Mapping):
            settings[key] = {**settings[key], **value}
        else:
            settings[key] = value
    return settings


def _describe(schema: Mapping, path: list) -> str:
    spec = schema
    for key in path:
        if isinstance(key, int):
            spec = spec.get("items", {})
        else:
            spec = spec.get("properties", {}).get(key, spec.get("additionalProperties") or {})
        if not isinstance(spec, Mapping):
            break
    if isinstance(spec, Mapping) and spec.get("description"):
        return spec["description"]
    return "a value the config schema allows (evsynth/workflow/schemas/config.schema.yaml)"


def config_line(config_name: str | Path, path: Sequence) -> int | None:
    """The line of the config file holding ``path`` (keys and list indices), if the file can tell."""
    try:
        with open(config_name, encoding="utf-8") as handle:
            node = yaml.compose(handle)
    except (OSError, yaml.YAMLError):
        return None
    return _path_line(node, path)


def review_config(review: str | Path = ".", config_path: str | Path | None = None, required: bool = True) -> dict:
    """The config of the review a command works on (``--review DIR``, default here; ``--config FILE``
    only to point elsewhere), validated as the workflow validates it. Without ``required``, a
    directory with no config gives {} (a command run on one's own files takes the schema's defaults)."""
    review = Path(review)
    if not required and config_path is None and not (review / CONFIG_FILE).is_file():
        return {}
    return load_config(review, path=config_path, check_files=False)


def add_review_arguments(parser) -> None:
    """How every stage command finds a review: --review DIR (default here), --config only to point elsewhere."""
    parser.add_argument("--review", default=".", help="review directory (config/ and data/raw/); default: here")
    parser.add_argument("--config", help="a config file other than REVIEW/config/config.yaml")


# --- the searches: checked before any file is read ----------------------------------------------

SOURCE_TYPES = ("database", "register", "other")


def check_searches(searches: Sequence[Mapping], base_dir: Path, config_name: str = "config") -> None:
    """Validate the ``searches`` list before reading any file: dates, duplicates, missing files."""
    if not searches:
        raise InputError(config_name, "no searches listed", field="searches",
                         expected="at least one {database, date, file} entry")
    seen: dict[str, int] = {}
    for index, search in enumerate(searches, start=1):
        where = f"searches[{index}]"
        for key in ("database", "date", "file"):
            if not str(search.get(key) or "").strip():
                raise InputError(config_name, f"{where} has no {key}", field=f"{where}.{key}",
                                 expected="a non-empty value")
        date = str(search["date"])
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise InputError(config_name, f"{where} has search date '{date}'", field=f"{where}.date",
                             expected="a real date written YYYY-MM-DD, e.g. 2018-07-16") from None
        source_type = search.get("source_type", "database")
        if source_type not in SOURCE_TYPES:
            raise InputError(config_name, f"{where} has source_type '{source_type}'",
                             field=f"{where}.source_type", expected=" or ".join(SOURCE_TYPES))
        path = (base_dir / str(search["file"])).resolve()
        key = str(path)
        if key in seen:
            raise InputError(config_name, f"{where} lists file '{search['file']}' again "
                             f"(already listed as searches[{seen[key]}])", field=f"{where}.file",
                             expected="each export file listed once")
        seen[key] = index
        if not path.is_file():
            raise InputError(config_name, f"{where} names file '{search['file']}', which does not exist",
                             field=f"{where}.file", expected=f"a file relative to {base_dir}")


# --- paths stay inside the review ------------------------------------------------------------------

def config_paths(config: Mapping) -> list[tuple[list, str]]:
    """(config path as keys and indices, the path written) of every file the config names."""
    from evsynth.stages import STAGES, Files, Table

    found = [(["searches", i, "file"], str(search["file"])) for i, search in enumerate(config.get("searches") or [])]
    seen = set()
    for stage in STAGES.values():
        for spec in stage.inputs.values():
            if isinstance(spec, (Table, Files)) and spec.key not in seen:
                seen.add(spec.key)
                section, key = spec.key.split(".")
                value = (config.get(section) or {}).get(key)
                if isinstance(value, list):
                    found += [([section, key, i], str(v)) for i, v in enumerate(value)]
                elif value:
                    found.append(([section, key], str(value)))
    return found


def check_paths_inside(config: Mapping, review: str | Path, node=None, name: str = CONFIG_FILE) -> None:
    """Every file the config names must resolve (symlinks followed) inside the review directory or
    inside a directory the config lists under ``allow_outside``: a config cannot make evsynth read,
    or quote in an error, a file elsewhere on the machine unless the person says so."""
    root = Path(review).resolve()
    allowed = [root, *((root / str(p)).resolve() for p in config.get("allow_outside") or [])]
    for keys, written in config_paths(config):
        resolved = (root / written).resolve()
        if not any(resolved == base or resolved.is_relative_to(base) for base in allowed):
            raise InputError(name, f"'{written}' is outside the review directory {root}",
                             line=node_line(node, keys), field=dotted(keys),
                             expected="a path inside the review (symlinks are followed), or its directory listed "
                                      "under allow_outside in the config (`evsynth run --allow-outside DIR`)")

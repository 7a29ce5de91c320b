"""How CASP answers become a percentage score and a grade.

CASP itself gives no overall score; reviews that grade studies (e.g. 'yes' = 1, 'no' = 0, the
percentage of the checklist's items, good >= 60%, fair 45-59%, poor < 45%) choose how to count
'can't tell' and 'not applicable'. All of that comes from config ``quality``; the defaults are in
``workflow/schemas/config.schema.yaml``. Scores are compared with thresholds as exact fractions, so
6 of 10 is 60% (good) and 4 of 9 is 44.4% (below 45), however a percentage would be rounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import jsonschema

from evsynth.errors import InputError
from evsynth.tables import load_schema

ANSWERS = ("yes", "no", "can't tell", "not applicable")
# Accepted spellings of each answer, after case folding and collapsing spaces.
SPELLINGS = {
    "yes": "yes", "y": "yes",
    "no": "no", "n": "no",
    "can't tell": "can't tell", "cant tell": "can't tell", "cannot tell": "can't tell",
    "can not tell": "can't tell",
    "not applicable": "not applicable", "n/a": "not applicable", "na": "not applicable",
}
SPELLINGS_TEXT = ", ".join(SPELLINGS) + " (in any case, with any spacing)"
EXCLUDED = "exclude"


def normalise_answer(text: str) -> str | None:
    """The canonical answer for a spelling, or None when it is not one of ours."""
    key = " ".join(str(text).replace("\u2019", "'").replace("\u2018", "'").casefold().split())
    return SPELLINGS.get(key)


def quality_defaults() -> dict:
    """The ``quality`` config keys' defaults, read from the config schema (their one home)."""
    properties = load_schema("config")["properties"]["quality"]["properties"]
    return {key: spec["default"] for key, spec in properties.items() if "default" in spec}


def quality_settings(quality: Mapping | None, config_name: str = "config/config.yaml") -> dict:
    """The ``quality`` section checked against the config schema, with its defaults filled in."""
    schema = load_schema("config")["properties"]["quality"]
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(dict(quality or {})))
    if error is not None:
        where = ".".join(str(p) for p in error.absolute_path)
        spec = schema["properties"].get(str(error.absolute_path[0]), {}) if error.absolute_path else {}
        raise InputError(config_name, error.message, field="quality" + (f".{where}" if where else ""),
                         expected=spec.get("description", "a key the config schema lists under quality"))
    return {**quality_defaults(), **(quality or {})}


@dataclass(frozen=True)
class ScoringRule:
    cant_tell: int | None  # points for "can't tell"; None: left out of the denominator
    not_applicable: int | None
    grades: tuple[tuple[str, Fraction], ...]  # (grade, lowest percent), highest grade first

    @classmethod
    def from_config(cls, quality: Mapping | None, config_name: str = "config/config.yaml") -> ScoringRule:
        settings = quality_settings(quality, config_name)

        def points(key: str) -> int | None:
            value = settings[key]
            if value == EXCLUDED:
                return None
            if value in (0, 1) and not isinstance(value, bool):
                return int(value)
            raise InputError(config_name, f"quality.{key} is {value!r}", field=f"quality.{key}",
                             expected=f"0, 1 or {EXCLUDED}")

        grades = []
        for entry in settings["grades"]:
            grades.append((str(entry["grade"]), Fraction(str(entry["min_percent"]))))
        names = [name for name, _ in grades]
        lows = [low for _, low in grades]
        if len(set(names)) != len(names) or any(a <= b for a, b in zip(lows, lows[1:])) or lows[-1] != 0:
            raise InputError(config_name, f"grade thresholds {settings['grades']} do not grade every score once",
                             field="quality.grades",
                             expected="distinct grades, highest first, min_percent strictly decreasing to 0")
        return cls(points("cant_tell"), points("not_applicable"), tuple(grades))

    @property
    def grade_names(self) -> list[str]:
        return [name for name, _ in self.grades]

    def points(self, answer: str) -> int | None:
        """Points of one canonical answer; None when the item leaves the denominator."""
        return {"yes": 1, "no": 0, "can't tell": self.cant_tell, "not applicable": self.not_applicable}[answer]

    def grade(self, points: int, scored_items: int) -> str:
        percent = Fraction(100 * points, scored_items)
        for name, low in self.grades:
            if percent >= low:
                return name
        raise AssertionError("the lowest threshold is 0")

    def describe(self) -> list[str]:
        """The rule in words, for the outputs."""
        def counted(value: int | None) -> str:
            return "excluded from the denominator" if value is None else f"{value} (counted in the denominator)"

        lines = ["yes = 1, no = 0, can't tell = " + counted(self.cant_tell)
                 + ", not applicable = " + counted(self.not_applicable) + ".",
                 "percent = 100 x points / scored items, compared exactly (unrounded) with the thresholds:"]
        upper = None
        for name, low in self.grades:
            low_text, upper_text = _number(low), _number(upper) if upper is not None else None
            if upper is None:
                lines.append(f"  {name}: percent >= {low_text}")
            elif low == 0:
                lines.append(f"  {name}: percent < {upper_text}")
            else:
                lines.append(f"  {name}: {low_text} <= percent < {upper_text}")
            upper = low
        return lines


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))


def percent_text(points: int, scored_items: int) -> str:
    """The percentage for reading, two decimals rounded half up (grades never use it)."""
    value = Decimal(100 * points) / Decimal(scored_items)
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

"""The ``robustness`` section of the config: which analyses to run, checked, with the schema's defaults.

An analysis is a named selection of studies from the included ones:

- a subgroup keeps the studies whose ``attribute`` (a column of the extraction sheet, or ``grade``
  from the CASP scores) takes one of the listed values (one subgroup per entry of ``values``; an
  entry may itself be a list, grouping several values);
- a sensitivity analysis drops the studies matching any of its ``exclude`` filters and keeps only
  those matching all of its ``include`` filters (each filter: attribute -> accepted values).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from evsynth.config import checked_section, config_line, dotted  # noqa: F401 - the config's sections, in one place
from evsynth.errors import InputError

CONFIG = "config/config.yaml"
GRADE = "grade"  # the attribute the CASP scores add to every study


def _text(value) -> str:
    return str(value).strip().casefold()


@dataclass(frozen=True)
class Analysis:
    """One subset of the included studies, named and described for the verdict."""

    name: str
    kind: str  # subgroup | sensitivity
    lead: str  # the start of its verdict, given the number of studies: "Including only the {n} ..."
    filters: dict = field(default_factory=dict)  # for the record: attribute -> values, per include/exclude
    config_path: tuple = ()

    def phrase(self, n_studies: int, n_excluded: int) -> str:
        return self.lead.format(n=n_studies, excluded=n_excluded)


def _values_text(values: Sequence[str]) -> str:
    values = [str(v) for v in values]
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


def _studies_with(attribute: str, values: Sequence[str]) -> str:
    # CASP grades read as adjectives ("the 6 poor or fair studies"); other attributes are named.
    if attribute == GRADE:
        return f"{_values_text(values)} studies"
    return f"studies with {attribute} {_values_text(values)}"


def configured_analyses(settings: Mapping) -> list[Analysis]:
    """The subgroup and sensitivity analyses of the ``robustness`` section, in config order."""
    analyses = []
    for i, subgroup in enumerate(settings.get("subgroups") or []):
        attribute = subgroup["attribute"]
        for entry in subgroup.get("values") or []:
            values = [str(v) for v in (entry if isinstance(entry, list) else [entry])]
            name = f"{attribute}: {' + '.join(values)}"
            analyses.append(Analysis(name=name, kind="subgroup",
                                     lead="Including only the {n} " + _studies_with(attribute, values),
                                     filters={"include": {attribute: values}},
                                     config_path=("robustness", "subgroups", i)))
    for i, analysis in enumerate(settings.get("sensitivity") or []):
        exclude = {a: [str(v) for v in vs] for a, vs in (analysis.get("exclude") or {}).items()}
        include = {a: [str(v) for v in vs] for a, vs in (analysis.get("include") or {}).items()}
        parts = [("without " if kind == "exclude" else "only ") + f"{a} {', '.join(vs)}"
                 for kind, filters in (("exclude", exclude), ("include", include)) for a, vs in filters.items()]
        name = analysis.get("name") or "; ".join(parts)
        if analysis.get("label"):
            lead = analysis["label"]
        elif exclude and not include:
            lead = "Excluding the {excluded} " + " and ".join(_studies_with(a, vs) for a, vs in exclude.items())
        elif include and not exclude:
            lead = "Including only the {n} " + " and ".join(_studies_with(a, vs) for a, vs in include.items())
        else:
            lead = f"Keeping the {{n}} studies left {' and '.join(parts)}"
        analyses.append(Analysis(name=name, kind="sensitivity", lead=lead,
                                 filters={"exclude": exclude, "include": include},
                                 config_path=("robustness", "sensitivity", i)))
    names = [a.name for a in analyses]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise InputError(CONFIG, f"two analyses are named '{name}'", field="robustness",
                             expected="a distinct name for each analysis (give a sensitivity analysis a 'name')")
    return analyses


def check_attributes(analyses: Sequence[Analysis], studies: pd.DataFrame, extraction_name: str,
                     has_grades: bool, config_name: str = CONFIG) -> None:
    """Every attribute an analysis filters on is a column of the extraction sheet (or the CASP grade)."""
    columns = [c for c in studies.columns if c not in ("study_id", "citation", "reports", "n_reports", GRADE)]
    for analysis in analyses:
        for kind, filters in analysis.filters.items():
            for attribute in filters:
                if attribute == GRADE and has_grades:
                    continue
                if attribute in studies.columns:
                    continue
                path = list(analysis.config_path)
                path += ["attribute"] if analysis.kind == "subgroup" else [kind, attribute]
                if attribute == GRADE:
                    raise InputError(config_name, f"analysis '{analysis.name}' filters on the CASP grade but "
                                     "the review has no quality scores", line=config_line(config_name, path),
                                     field=dotted(path), expected="quality.answers set in the config (the "
                                     "quality stage writes results/quality/casp_scores.csv)")
                raise InputError(config_name, f"attribute '{attribute}' of analysis '{analysis.name}' is not a "
                                 f"column of the extraction sheet {extraction_name}",
                                 line=config_line(config_name, path), field=dotted(path),
                                 expected=f"one of its columns ({', '.join(columns)})"
                                          + (f" or {GRADE} (from the CASP scores)" if has_grades else ""))


def select_studies(studies: pd.DataFrame, analysis: Analysis) -> list[str]:
    """The study_ids an analysis keeps (values compared as text, ignoring case)."""
    keep = pd.Series(True, index=studies.index)
    for attribute, values in analysis.filters.get("include", {}).items():
        keep &= studies[attribute].map(_text).isin({_text(v) for v in values})
    for attribute, values in analysis.filters.get("exclude", {}).items():
        keep &= ~studies[attribute].map(_text).isin({_text(v) for v in values})
    return list(studies.loc[keep, "study_id"])

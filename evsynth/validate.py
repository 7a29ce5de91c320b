"""``evsynth validate TABLE --kind KIND``: the checks the stage that reads the table makes, not only
its schema's. A table the run would refuse is refused here, with the same message.

Without ``--review`` a table is checked on its own (its schema, and what the stage checks with the
config's defaults: an appraisal answer outside the checklists' scale, a code that is not in the
codebook given beside it). With ``--review DIR`` the review's config and files join in: the designs its
config maps to checklists, its included studies, codebook and unique records.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from evsynth.errors import InputError
from evsynth.tables import read_table


def _existing(review: Path | None, relative: str | None) -> Path | None:
    if review is None or not relative:
        return None
    path = review / relative
    return path if path.exists() else None


def check_table(path: str | Path, kind: str, config: Mapping | None = None,
                review: str | Path | None = None) -> tuple[pd.DataFrame, list[str]]:
    """Read ``path`` as the stage reading a ``kind`` table does; the table and what else was checked."""
    from evsynth.config import section_settings
    from evsynth.stages import INCLUDED_STUDIES, STAGES

    config = config or {}
    review = Path(review) if review is not None else None
    frame = read_table(path, kind)
    checked: list[str] = []
    if kind == "casp_answers":
        from evsynth.quality.run import appraise, read_studies

        quality = {key: value for key, value in section_settings(config, "quality").items()
                   if key != "answers" and value is not None}
        quality["checklist_files"] = [str(review / f) if review else f for f in quality.get("checklist_files") or []]
        studies_path = _existing(review, INCLUDED_STUDIES)
        appraise(path, quality, read_studies(studies_path) if studies_path else None,
                 studies_name=f"the included studies ({INCLUDED_STUDIES})")
        checked.append("answers on the checklists' scales" + (", every included study appraised" if studies_path else ""))
    elif kind == "extraction":
        duplicated = frame[frame["study_id"].duplicated(keep="first")]
        if len(duplicated):  # as the included_studies stage refuses it
            raise InputError(path, f"study '{duplicated['study_id'].iloc[0]}' is listed twice",
                             row=int(duplicated.index[0]) + 2, field="study_id", expected="one row per included study")
        designs = section_settings(config, "quality").get("designs") or {}
        if designs and "design" in frame.columns:  # as the quality stage refuses it
            for index, design in frame["design"].items():
                if design not in designs:
                    raise InputError(path, f"design '{design}' of study {frame.loc[index, 'study_id']} has no "
                                     "checklist in quality.designs", row=int(index) + 2, field="design",
                                     expected=f"one of the designs the config maps: {', '.join(designs)}")
            checked.append("every design mapped to a checklist")
        checked.append("one row per study")
    elif kind in ("codebook", "cfir_domains"):
        from evsynth.synthesis.codebook import read_codebook

        synthesis = section_settings(config, "synthesis")
        if kind == "codebook":
            read_codebook(path, _existing(review, synthesis.get("cfir_domains")))
        elif _existing(review, synthesis.get("codebook")):
            read_codebook(review / synthesis["codebook"], path)
        checked.append("the codebook's tree" + (" and its CFIR domains" if review else ""))
    elif kind == "extracts":
        synthesis = section_settings(config, "synthesis")
        codebook_path, studies_path = _existing(review, synthesis.get("codebook")), _existing(review, INCLUDED_STUDIES)
        if codebook_path and studies_path:
            from evsynth.synthesis.codebook import read_codebook
            from evsynth.synthesis.extracts import analysis_units, read_extracts
            from evsynth.tables import read_stage_table

            studies = read_stage_table(studies_path, ("study_id", "citation"), "the included studies")
            units = analysis_units(studies, section_settings(config, "studies")["unit"])
            read_extracts(path, read_codebook(codebook_path, _existing(review, synthesis.get("cfir_domains"))),
                          units, studies_path=INCLUDED_STUDIES)
            checked.append("codes in the codebook, units among the included studies")
    elif kind == "screening_decisions":
        unique_path = _existing(review, STAGES["dedup"].outputs["unique"])
        if unique_path:
            from evsynth.identity import cluster_aliases
            from evsynth.screening.decisions import read_decisions

            unique = pd.read_parquet(unique_path, columns=["cluster_id", "record_ids"])
            aliases = cluster_aliases(zip(unique["cluster_id"], unique["record_ids"].str.split("; ")))
            read_decisions([path], set(unique["cluster_id"]), aliases)
            checked.append("every record among the review's unique records")
    return frame, checked

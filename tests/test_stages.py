"""The stage table: each stage's function gets exactly its declared settings, and the rules, the CLI
and the rerun tests take their inputs, outputs and settings from this one table."""

from __future__ import annotations

import pytest

from evsynth.config import validate_config
from evsynth.fingerprint import imported_modules, stage_fingerprint, stage_files
from evsynth.stages import STAGES, DeclaredSettings, active_stages, stage_inputs, stage_settings

CONFIG = validate_config({
    "searches": [{"database": "MEDLINE", "date": "2018-07-16", "file": "a.ris"}],
    "screening": {"decisions": ["d.csv"], "full_text": "ft.csv", "seed": 3},
    "studies": {"extraction": "s.csv"},
    "synthesis": {"codebook": "c.csv", "extracts": "e.csv"},
})


def test_a_stage_gets_only_the_settings_it_declares():
    assert stage_settings(CONFIG, "screening") == {
        "screening": {"maybe_counts_as": "include", "reviewers": [], "sample_fraction": 0.05, "seed": 3,
                      "order": "priority", "target_recall": 0.95,
                      "model": {"C": 1.0, "class_weight": "balanced", "classifier": "logistic", "include_weight": 10.0,
                                "keywords": True, "known_relevant": [], "min_df": 1, "ngram_max": 2,
                                "sublinear_tf": True, "fields": "separate", "title_weight": 1.0,
                                "abstract_weight": 1.0, "keywords_weight": 1.0}},
        "review": {"question": "", "inclusion_criteria": ""}}
    assert stage_settings(CONFIG, "quality") == {
        "quality": {"cant_tell": 0, "checklists": None, "designs": {}, "not_applicable": "exclude",
                    "grades": [{"grade": "good", "min_percent": 60}, {"grade": "fair", "min_percent": 45},
                               {"grade": "poor", "min_percent": 0}]},
        "review": {"synthetic": False}}


def test_reading_an_undeclared_setting_is_an_error():
    settings = DeclaredSettings(stage_settings(CONFIG, "theme_strength"), "theme_strength")
    assert settings["synthesis"]["threshold"] == 0.10
    with pytest.raises(KeyError, match="the theme_strength stage reads setting 'synthesis.network_min_units', "
                                       "which its rule does not declare"):
        settings["synthesis"].get("network_min_units", 1)
    with pytest.raises(KeyError, match="setting 'review'"):
        settings["review"]


def test_a_review_grows_stage_by_stage():
    searches_only = validate_config({"searches": CONFIG["searches"]})
    assert active_stages(searches_only) == ["ingest", "dedup", "validate_inputs", "report"]
    # screening starts from the reviewers alone: the first worksheets need no decision
    with_reviewers = validate_config({"searches": CONFIG["searches"], "screening": {"reviewers": ["AB"]}})
    assert active_stages(with_reviewers) == ["ingest", "dedup", "validate_inputs", "screening", "prisma", "report"]
    assert stage_inputs(with_reviewers, "screening") == {"unique": "data/processed/unique.parquet", "decisions": []}
    assert active_stages(CONFIG) == ["ingest", "dedup", "validate_inputs", "screening", "prisma", "included_studies",
                                     "study_sources", "theme_strength", "synthesis_audit", "synthesis_tables", "theme_network",
                                     "robustness", "report"]
    # robustness reads the quality scores only when the review grades its studies
    assert "quality_scores" not in stage_inputs(CONFIG, "robustness")
    graded = validate_config({**CONFIG, "quality": {"answers": "q.csv"}})
    assert stage_inputs(graded, "robustness")["quality_scores"] == "results/quality/casp_scores.csv"


def test_the_inputs_are_the_files_the_config_names():
    assert stage_inputs(CONFIG, "screening") == {"unique": "data/processed/unique.parquet", "decisions": ["d.csv"],
                                                 "full_text": "ft.csv"}
    assert stage_inputs(CONFIG, "validate_inputs") == {"screening_decisions": ["d.csv"], "full_text": ["ft.csv"],
                                                       "extraction": ["s.csv"], "codebook": ["c.csv"],
                                                       "extracts": ["e.csv"], "records": "data/processed/records.parquet"}


def test_a_stage_fingerprint_covers_the_code_it_imports_and_no_other():
    modules = imported_modules("evsynth.quality.run")
    assert {"evsynth.quality.run", "evsynth.quality.scoring", "evsynth.quality.figures", "evsynth.figures",
            "evsynth.tables"} <= set(modules)
    assert not any(m.startswith(("evsynth.readers", "evsynth.dedup", "evsynth.report")) for m in modules)
    names = {p.name for p in stage_files("quality")}
    assert {"casp-qualitative-2018.yaml", "casp_answers.schema.yaml"} <= names
    assert "column_aliases.yaml" not in names
    assert "column_aliases.yaml" in {p.name for p in stage_files("ingest")}
    assert len(stage_fingerprint("quality")) == 16 and stage_fingerprint("quality") != stage_fingerprint("ingest")


def test_a_reader_is_in_the_fingerprint_of_ingest_alone():
    """A docstring edit in the RIS reader reruns ingest (and what reads its records) and screening (which reads
    decisions exported from ASReview, Rayyan or Covidence as RIS), no other stage's code."""
    with_reader = {name for name in STAGES if any(p.name == "ris.py" and p.parent.name == "readers"
                                                  for p in stage_files(name))}
    assert with_reader == {"ingest", "screening"}

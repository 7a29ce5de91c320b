"""From an included study back to the search exports: its reports, their records' databases and export
files (study_sources.csv, the audit pages, the report), the included reports and the unique records as
RIS, and the typed citation checked against the records."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import rispy

from evsynth.citations import check_citations, cited_author_year, same_surname, surname, summary_lines
from evsynth.stages import run_in_review
from evsynth.study_sources import missing_reports, report_records, sources_by_study, study_sources
from evsynth.study_sources_stage import included_ris

# Two studies, three reports (clusters), five exported records.
RECORDS = pd.DataFrame([
    {"record_id": "medline-1", "database": "MEDLINE", "source_file": "data/raw/m.nbib", "position": 1,
     "source_id": "111", "doi": "10.1/a", "pmid": "111", "authors": ["Albers B"], "year": 2014},
    {"record_id": "embase-1", "database": "EMBASE", "source_file": "data/raw/e.ris", "position": 4,
     "source_id": "E9", "doi": "10.1/a", "pmid": None, "authors": ["Albers, B."], "year": 2013},
    {"record_id": "embase-2", "database": "EMBASE", "source_file": "data/raw/e.ris", "position": 2,
     "source_id": "E7", "doi": None, "pmid": None, "authors": ["van Dijk, Jan", "Lee, K"], "year": 2016},
    {"record_id": "scopus-1", "database": "Scopus", "source_file": "data/raw/s.csv", "position": 1,
     "source_id": "2-s2.0-1", "doi": "10.1/b", "pmid": None, "authors": ["Jan van Dijk"], "year": 2016},
    {"record_id": "embase-3", "database": "EMBASE", "source_file": "data/raw/e.ris", "position": 3,
     "source_id": "E8", "doi": "10.1/c", "pmid": None, "authors": ["Dijk, J van"], "year": 2017},
])
UNIQUE = pd.DataFrame([
    # the EMBASE online-first year won the merge; the citation names the MEDLINE (print) year
    {"cluster_id": "C-embase-1", "record_ids": "embase-1; medline-1", "title": "Peer support A",
     "authors": ["Albers, B."], "year": 2013, "doi": "10.1/a", "pmid": "111"},
    {"cluster_id": "C-embase-2", "record_ids": "embase-2; scopus-1", "title": "Peer support B",
     "authors": ["van Dijk, Jan", "Lee, K"], "year": 2016, "doi": "10.1/b", "pmid": None},
    {"cluster_id": "C-embase-3", "record_ids": "embase-3", "title": "Peer support B, the follow-up",
     "authors": ["Dijk, J van"], "year": 2017, "doi": "10.1/c", "pmid": None},
])
STUDIES = pd.DataFrame([
    {"study_id": "S1", "citation": "Albers et al. (2014)", "reports": "C-embase-1"},
    {"study_id": "S2", "citation": "Van Dijk & Lee 2016a", "reports": "C-embase-2;C-embase-3"},
])


def test_each_study_lists_its_reports_and_the_export_records_behind_them():
    sources = study_sources(STUDIES, UNIQUE, RECORDS)
    assert list(zip(sources["study_id"], sources["cluster_id"], sources["database"], sources["source_file"],
                    sources["source_id"])) == [
        ("S1", "C-embase-1", "EMBASE", "data/raw/e.ris", "E9"),
        ("S1", "C-embase-1", "MEDLINE", "data/raw/m.nbib", "111"),
        ("S2", "C-embase-2", "EMBASE", "data/raw/e.ris", "E7"),
        ("S2", "C-embase-2", "Scopus", "data/raw/s.csv", "2-s2.0-1"),
        ("S2", "C-embase-3", "EMBASE", "data/raw/e.ris", "E8")]
    by_study = sources_by_study(sources)
    assert [(r["cluster_id"], r["doi"], r["pmid"], len(r["records"])) for r in by_study["S1"]] == [
        ("C-embase-1", "10.1/a", "111", 2)]
    assert [r["cluster_id"] for r in by_study["S2"]] == ["C-embase-2", "C-embase-3"]


def test_a_report_whose_cluster_was_renamed_is_found_by_its_records():
    # the full-text decision was keyed to C-medline-1, before an earlier-dated export made embase-1 the anchor
    studies = STUDIES.assign(reports=["C-medline-1", "C-embase-2;C-embase-3"])
    assert list(report_records(studies, UNIQUE, RECORDS)["cluster_id"][:2]) == ["C-embase-1", "C-embase-1"]


def test_a_report_that_is_no_cluster_of_the_searches_is_listed_without_records():
    studies = STUDIES.assign(reports=["C-nowhere", "C-embase-3"])
    sources = study_sources(studies, UNIQUE, RECORDS)
    assert list(zip(sources["study_id"], sources["cluster_id"], sources["record_id"])) == [
        ("S1", "C-nowhere", ""), ("S2", "C-embase-3", "embase-3")]
    assert missing_reports(sources) == ["C-nowhere"]
    assert [e["id"] for e in rispy.loads(included_ris(studies, UNIQUE))] == ["C-embase-3"]
    # nothing to check S1's citation against; S2's 'Van Dijk & Lee 2016a' differs from the 2017 follow-up
    checks = check_citations(studies, UNIQUE, report_records(studies, UNIQUE, RECORDS))
    assert list(zip(checks["study_id"], checks["differs"])) == [("S2", "year: cited 2016, record 2017")]


def test_included_ris_has_each_report_with_its_study_in_a_note():
    entries = rispy.loads(included_ris(STUDIES, UNIQUE))
    assert [(e["id"], e["title"], e["year"], e["notes"]) for e in entries] == [
        ("C-embase-1", "Peer support A", "2013", ["PMID: 111", "evsynth study: S1"]),
        ("C-embase-2", "Peer support B", "2016", ["evsynth study: S2"]),
        ("C-embase-3", "Peer support B, the follow-up", "2017", ["evsynth study: S2"])]
    assert entries[1]["authors"] == ["van Dijk, Jan", "Lee, K"]


@pytest.mark.parametrize("citation, author, year", [
    ("Albers et al. (2014)", "Albers", 2014), ("Bauer & Lee 2009", "Bauer", 2009),
    ("van Dijk, 2016a", "van Dijk", 2016), ("O'Brien and Chu (2001)", "O'Brien", 2001),
    ("Smith et al., in press", "Smith", None), ("(2004)", "", 2004)])
def test_the_author_and_year_a_citation_names(citation, author, year):
    assert cited_author_year(citation) == (author, year)


@pytest.mark.parametrize("exported, name", [("Albers, Bianca", "Albers"), ("Albers B", "Albers"),
                                             ("Iyer S.J.", "Iyer"), ("Bianca Albers", "Albers"),
                                             ("Jan van Dijk", "van Dijk"), ("Sánchez H.R.", "Sánchez")])
def test_the_surname_of_an_exported_author(exported, name):
    assert surname(exported) == name


def test_surnames_compare_without_accents_case_or_particles():
    assert same_surname("Sanchez", "Sánchez") and same_surname("OBrien", "O'Brien")
    assert same_surname("Van Dijk", "van Dijk") and same_surname("Dijk", "van Dijk")
    assert not same_surname("Albers", "Alberts") and not same_surname("", "Albers")


def test_a_citation_agreeing_with_any_record_of_its_reports_passes():
    # S1 cites 2014: the unique record says 2013 (online first), the MEDLINE record 2014
    behind = report_records(STUDIES, UNIQUE, RECORDS)
    checks = check_citations(STUDIES, UNIQUE, behind)
    assert checks.empty
    assert summary_lines(checks) == ["citations: every typed citation agrees with its study's records "
                                     "(first author, year)"]


def test_a_mismatched_citation_is_a_warning_row_saying_what_differs():
    studies = STUDIES.assign(citation=["Albers et al. (2012)", "Lee et al. (2016)"])
    checks = check_citations(studies, UNIQUE, report_records(studies, UNIQUE, RECORDS))
    assert checks.to_dict("records") == [
        {"study_id": "S1", "citation": "Albers et al. (2012)", "cited_author": "Albers", "cited_year": "2012",
         "record_cluster_id": "C-embase-1", "record_first_author": "Albers, B.", "record_year": "2013",
         "differs": "year: cited 2012, record 2013"},
        {"study_id": "S2", "citation": "Lee et al. (2016)", "cited_author": "Lee", "cited_year": "2016",
         "record_cluster_id": "C-embase-2", "record_first_author": "van Dijk, Jan", "record_year": "2016",
         "differs": "first author: cited 'Lee', record 'van Dijk'"}]
    lines = summary_lines(checks, "results/studies/citation_checks.csv")
    assert lines[0] == ("WARNING: 2 typed citation(s) disagree with their study's records "
                        "(results/studies/citation_checks.csv):")
    assert lines[2] == ("  S2 'Lee et al. (2016)' vs C-embase-2 (van Dijk, Jan, 2016): "
                        "first author: cited 'Lee', record 'van Dijk'")


# --- the example review after a complete run -------------------------------------------------------

def test_unique_ris_opens_in_rispy_with_every_unique_record(example_run):
    unique = pd.read_parquet(example_run / "data/processed/unique.parquet")
    entries = rispy.load(example_run / "results/dedup/unique.ris", encoding="utf-8")
    assert len(entries) == len(unique) == 5813
    assert [e["id"] for e in entries] == list(unique["cluster_id"])
    for entry, record in zip(entries, unique.to_dict("records")):
        assert entry["title"] == record["title"]
        assert entry.get("authors", []) == list(record["authors"] if record["authors"] is not None else [])
        assert entry.get("year") == (None if pd.isna(record["year"]) else str(int(record["year"])))
        assert entry.get("doi") == record["doi"]


def test_included_ris_has_every_included_report_with_its_study(example_run):
    full_text = pd.read_csv(example_run / "data/raw/screening/full_text.csv", dtype=str, keep_default_na=False)
    included = full_text[full_text["decision"] == "include"]
    entries = rispy.load(example_run / "results/studies/included.ris", encoding="utf-8")
    assert len(entries) == len(included) == 53
    notes = {e["id"]: [n for n in e["notes"] if n.startswith("evsynth study: ")] for e in entries}
    assert notes == {c: [f"evsynth study: {s}"] for c, s in zip(included["cluster_id"], included["study_id"])}
    unique = pd.read_parquet(example_run / "data/processed/unique.parquet").set_index("cluster_id")
    for entry in entries:
        assert entry["title"] == unique.at[entry["id"], "title"]
        assert entry["authors"] == list(unique.at[entry["id"], "authors"])


def test_the_example_gives_every_study_its_export_records_and_no_citation_mismatch(example_run):
    sources = pd.read_csv(example_run / "results/studies/study_sources.csv", dtype=str, keep_default_na=False)
    clusters = pd.read_csv(example_run / "results/dedup/clusters.csv", dtype=str, keep_default_na=False)
    studies = pd.read_csv(example_run / "results/studies/included_studies.csv", dtype=str, keep_default_na=False)
    # every record of every included report's cluster, once: the same rows as clusters.csv holds for them
    reports = set(";".join(studies["reports"]).split(";"))
    members = clusters[clusters["cluster_id"].isin(reports)]
    assert len(sources) == len(members) == 237
    assert sorted(zip(sources["cluster_id"], sources["source_file"], sources["source_id"])) == sorted(
        zip(members["cluster_id"], members["source_file"], members["source_id"]))
    assert set(sources["study_id"]) == set(studies["study_id"])
    checks = pd.read_csv(example_run / "results/studies/citation_checks.csv", dtype=str)
    assert len(checks) == 0
    assert "every typed citation agrees" in (example_run / "logs/study_sources.log").read_text(encoding="utf-8")


def test_the_audit_page_and_the_report_name_the_export_files_behind_each_study(example_run):
    sources = pd.read_csv(example_run / "results/studies/study_sources.csv", dtype=str, keep_default_na=False)
    s01 = sources[sources["study_id"] == "S01"]
    audit = Path(example_run / "results/synthesis/audit")
    pages = [p for p in audit.glob("*.md") if p.name != "index.md" and "| S01 |" in p.read_text(encoding="utf-8")]
    assert pages
    page = pages[0].read_text(encoding="utf-8")
    for row in s01.to_dict("records"):
        assert (f"| S01 | {row['cluster_id']} | {row['doi']} | {row['pmid']} | {row['database']} | "
                f"{row['source_file']} | {row['source_id']} |") in page
    html = (example_run / "results/report/index.html").read_text(encoding="utf-8")
    row = html[html.index('<th scope="row">S01</th>'):]
    row = row[:row.index("</tr>")]
    for record in s01.to_dict("records"):
        assert f"{record['database']} (<code>{record['source_file']}</code> {record['source_id']})" in row


def test_a_typed_citation_that_differs_from_its_records_is_reported(example_run, tmp_path, capfd):
    review = tmp_path / "review"
    shutil.copytree(example_run, review, ignore=shutil.ignore_patterns(".snakemake"))
    extraction = review / "data/raw/extraction/studies.csv"
    text = extraction.read_text(encoding="utf-8")
    assert "S01,Albers et al. (2014)," in text
    extraction.write_text(text.replace("S01,Albers et al. (2014),", "S01,Alberts et al. (2013),"), encoding="utf-8")
    run_in_review("included_studies", review)
    run_in_review("study_sources", review)
    checks = pd.read_csv(review / "results/studies/citation_checks.csv", dtype=str)
    assert checks[["study_id", "citation", "record_first_author", "record_year", "differs"]].to_dict("records") == [
        {"study_id": "S01", "citation": "Alberts et al. (2013)", "record_first_author": "Albers, Bjørn",
         "record_year": "2014", "differs": "first author: cited 'Alberts', record 'Albers'; year: cited 2013, "
                                           "record 2014"}]
    assert "WARNING: 1 typed citation(s) disagree" in capfd.readouterr().err
    assert "WARNING: 1 typed citation(s) disagree" in (review / "logs/study_sources.log").read_text(encoding="utf-8")

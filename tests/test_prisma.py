"""PRISMA 2020 flow counts, the PRISMA2020 package's CSV, and the diagram."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from evsynth.ingest import identification_counts, read_searches
from evsynth.prisma import flow_checks_table, flow_counts, prisma2020_table
from evsynth.prisma.diagram import save_flow
from evsynth.prisma.run import run_prisma
from evsynth.screening import screen

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw" / "screening"

IDENTIFICATION = pd.DataFrame({
    "database": ["MEDLINE", "Embase", "MEDLINE", "Hand search", "ClinicalTrials.gov"],
    "source_type": ["database", "database", "database", "other", "register"],
    "records": [60, 50, 10, 5, 3],
})


def small_flow():
    # 128 records, 28 duplicates: 100 unique; 90 excluded, 8 passed, 2 awaiting a decision.
    outcome = pd.DataFrame({"cluster_id": [f"C-{i}" for i in range(98)],
                            "decision": ["exclude"] * 90 + ["include"] * 7 + ["pending"]})
    full_text = pd.DataFrame({
        "cluster_id": [f"C-{i}" for i in range(90, 97)],
        "decision": ["include", "include", "include", "exclude", "exclude", "exclude", "not_retrieved"],
        "exclusion_reason": ["", "", "", "Wrong population", "Not primary research", "Wrong population", ""],
        "study_id": ["S1", "S1", "S2", "", "", "", ""],
    })
    return flow_counts(IDENTIFICATION, 28, outcome, full_text)


def test_counts_by_hand():
    flow = small_flow()
    assert flow.databases == [("MEDLINE", 70), ("Embase", 50), ("Hand search", 5)]
    assert flow.registers == [("ClinicalTrials.gov", 3)]
    assert flow.identified == 128
    assert (flow.records_screened, flow.records_excluded, flow.records_awaiting) == (97, 90, 3)
    assert (flow.reports_sought, flow.reports_not_retrieved, flow.reports_assessed) == (7, 1, 6)
    assert flow.exclusion_reasons == [("Wrong population", 2), ("Not primary research", 1)]
    assert (flow.new_studies, flow.new_reports) == (2, 3)  # S1 has two reports
    assert flow_checks_table(flow)["holds"].all()


def test_prisma2020_csv_format():
    table = prisma2020_table(small_flow())
    assert list(table.columns) == ["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"]
    n = dict(zip(table["data"], table["n"]))
    assert n["database_results"] == 125 and n["register_results"] == 3
    assert n["database_specific_results"] == "MEDLINE, 70; Embase, 50; Hand search, 5"
    assert n["duplicates"] == 28 and n["records_screened"] == 97 and n["records_excluded"] == 90
    assert n["dbr_sought_reports"] == 7 and n["dbr_notretrieved_reports"] == 1 and n["dbr_assessed"] == 6
    assert n["dbr_excluded"] == "Wrong population, 2; Not primary research, 1"
    assert n["new_studies"] == 2 and n["new_reports"] == 3 and n["total_studies"] == 2
    assert table.loc[table["data"] == "records_screened", "node"].item() == "node9"


@pytest.fixture(scope="module")
def example_flow(tmp_path_factory):
    with open(REPO / "config" / "config.yaml", encoding="utf-8") as handle:
        config = yaml.safe_load(handle)
    identification = identification_counts(read_searches(config["searches"], REPO))
    dt = pd.read_csv(RAW / "title_abstract_DT.csv", dtype=str)
    unique = pd.DataFrame({"cluster_id": sorted(dt["cluster_id"]), "title": "", "abstract": "",
                           "authors": [[]] * len(dt), "year": pd.array([2016] * len(dt), dtype="Int64"),
                           "journal": "", "doi": ""})
    result = screen(unique, [RAW / "title_abstract_DT.csv", RAW / "title_abstract_RN.csv"], fraction=0.05,
                    seed=20180724, resolutions_path=RAW / "resolutions.csv", full_text_path=RAW / "full_text.csv")
    # Deduplication leaves one record per unique publication: the generator's (DT decided each).
    duplicates = int(identification["records"].sum()) - len(unique)
    return flow_counts(identification, duplicates, result.outcome, result.full_text)


def test_example_flow_reproduces_the_seed_and_adds_up(example_flow, tmp_path, seed_figures):
    flow = example_flow
    publications, included = seed_figures["publications"], seed_figures["included"]
    assert flow.identified == 9541 and flow.duplicates == 9541 - publications
    assert flow.records_screened == publications  # the publications the seed's search identified
    assert flow.new_studies == included and flow.new_reports == included  # ... of which met inclusion criteria
    assert (flow.records_excluded, flow.reports_sought, flow.reports_not_retrieved) == (5541, 272, 7)
    assert (flow.reports_assessed, flow.reports_excluded) == (265, 212)
    assert flow_checks_table(flow)["holds"].all()

    save_flow(flow, tmp_path / "a.svg", tmp_path / "a.png")
    save_flow(flow, tmp_path / "b.svg", tmp_path / "b.png")
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()
    assert (tmp_path / "a.png").read_bytes() == (tmp_path / "b.png").read_bytes()
    svg = (tmp_path / "a.svg").read_text(encoding="utf-8")
    for text in (f"Records screened (n = {publications})", f"Studies included in review (n = {included})",
                 "Duplicate records removed (n = 3728)", "Reports not retrieved (n = 7)"):
        assert text in svg


def test_run_prisma_reads_stage_outputs(tmp_path):
    identification = IDENTIFICATION.assign(search_date="2018-07-16", source_file="x")
    identification.to_csv(tmp_path / "identification.csv", index=False)
    pd.DataFrame({"section": ["totals", "totals"], "key": ["records_in", "duplicates_removed"],
                  "value": [128, 28]}).to_csv(tmp_path / "summary.csv", index=False)
    pd.DataFrame({"cluster_id": ["C-1", "C-2"], "decision": ["include", "exclude"]}).to_csv(
        tmp_path / "outcome.csv", index=False)
    pd.DataFrame({"cluster_id": ["C-1"], "decision": ["include"], "exclusion_reason": [""],
                  "study_id": ["S1"]}).to_csv(tmp_path / "reports.csv", index=False)
    flow = run_prisma(tmp_path / "identification.csv", tmp_path / "summary.csv", tmp_path / "outcome.csv",
                      tmp_path / "reports.csv", tmp_path / "out")
    assert flow.records_awaiting == 98
    table = pd.read_csv(tmp_path / "out" / "prisma2020.csv", keep_default_na=False)
    assert dict(zip(table["data"], table["n"]))["records_screened"] == "2"
    checks = pd.read_csv(tmp_path / "out" / "checks.csv")
    assert checks["holds"].all()

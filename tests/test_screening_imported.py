"""Decisions exported from ASReview, Rayyan and Covidence, read as screening decisions.

The fixtures (tests/fixtures/screening_exports/, see its README) are written as each tool exports;
every expected value below is read by hand from the fixture and the unique records here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from evsynth.errors import InputError
from evsynth.screening import screen
from evsynth.screening.imported import covidence_list, detect_tool, import_decisions
from evsynth.config import validate_config
from evsynth.stages import run_in_review

FIXTURES = Path(__file__).parent / "fixtures" / "screening_exports"
RAYYAN = FIXTURES / "articles.csv"
ASREVIEW_LAB1 = FIXTURES / "asreview_lab1" / "Cleo.csv"
ASREVIEW_LAB2 = FIXTURES / "asreview_lab2.csv"
COVIDENCE_CSV = FIXTURES / "review_123456_irrelevant_csv_20240301101500.csv"
COVIDENCE_RIS = FIXTURES / "review_123456_select_ris_20240301101600.ris"


def unique_records() -> pd.DataFrame:
    rows = [
        ("C-pubmed-a1", "pubmed-a1", "Peer support workers in community mental health teams: a qualitative study",
         "10.5555/ps.001", "31000001"),
        ("C-pubmed-a2", "pubmed-a2", "Implementing peer support in acute inpatient wards", "10.5555/ps.002", "31000002"),
        ("C-pubmed-a3", "pubmed-a3", "Organisational readiness for employing peer workers: a national survey",
         "10.5555/ps.003", None),
        ("C-pubmed-a4", "pubmed-a4", "Training needs of peer support workers in England", None, "31000004"),
        ("C-pubmed-a5", "pubmed-a5", "Recovery colleges and peer trainers: an ethnography", "10.5555/ps.005", None),
        ("C-pubmed-a6", "pubmed-a6", "Antibiotic prophylaxis before dental extraction: a randomised trial",
         "10.5555/ab.006", None),
        ("C-pubmed-a7", "pubmed-a7", "Peer support for adults with type 2 diabetes: a systematic review",
         "10.5555/ps.007", None),
        ("C-embase-b8", "embase-b8; scopus-c8",
         "Role clarity of peer workers and team culture in mental health services", None, None),
    ]
    frame = pd.DataFrame(rows, columns=["cluster_id", "record_ids", "title", "doi", "pmid"])
    frame["abstract"] = ""
    frame["authors"] = [["Okafor, C.A."]] * len(frame)
    frame["year"] = pd.array([2019] * len(frame), dtype="Int64")
    frame["journal"] = "Psychiatric Services"
    return frame


def triples(result) -> list[tuple[str, str, str]]:
    return list(zip(result.decisions["cluster_id"], result.decisions["reviewer"], result.decisions["decision"]))


# --- detection ---------------------------------------------------------------------------------

def test_each_export_is_told_by_its_content(tmp_path):
    assert detect_tool(RAYYAN) == "rayyan"
    assert detect_tool(FIXTURES / "rayyan.ris") == "rayyan"
    assert detect_tool(ASREVIEW_LAB1) == "asreview"
    assert detect_tool(ASREVIEW_LAB2) == "asreview"
    assert detect_tool(FIXTURES / "asreview.ris") == "asreview"
    assert detect_tool(COVIDENCE_CSV) == "covidence"
    assert detect_tool(COVIDENCE_RIS) == "covidence"
    # evsynth's own worksheet, and a search export, are not another tool's decisions
    worksheet = tmp_path / "DT.csv"
    worksheet.write_text("cluster_id,reviewer,stage,decision,note\nC-pubmed-a1,DT,title_abstract,include,\n")
    assert detect_tool(worksheet) is None
    assert detect_tool(Path(__file__).parent / "fixtures" / "exports" / "ebsco_l3_doi.ris") is None


# --- Rayyan ------------------------------------------------------------------------------------

def test_rayyan_csv_one_decision_per_reviewer_matched_by_doi_pmid_and_title():
    result = import_decisions(RAYYAN, unique_records())
    assert result.tool == "rayyan"
    assert triples(result) == [
        ("C-pubmed-a1", "Ana", "include"), ("C-pubmed-a1", "Ben", "include"),
        ("C-pubmed-a2", "Ana", "include"), ("C-pubmed-a2", "Ben", "exclude"),
        ("C-pubmed-a3", "Ana", "exclude"), ("C-pubmed-a3", "Ben", "exclude"),
        ("C-pubmed-a4", "Ana", "maybe"), ("C-pubmed-a4", "Ben", "include"),
        ("C-embase-b8", "Ana", "include"),
    ]
    # rayyan-502's doi cell carries Embase's 'LK  - ' link after the DOI, in capitals; rayyan-504 has
    # only a PubMed id; rayyan-505's title differs in punctuation and a hyphen only.
    assert list(result.matched_by) == ["doi"] * 6 + ["pmid", "pmid", "title"]
    assert list(result.decisions["row"]) == [2, 2, 3, 3, 4, 4, 5, 5, 6]
    assert list(result.decisions["given_id"].unique()) == [f"rayyan-50{i}" for i in range(1, 6)]
    assert result.decisions["stage"].unique().tolist() == ["title_abstract"]
    assert result.decisions.loc[2, "note"] == "exclusion reasons: wrong setting"
    assert result.decisions.loc[4, "note"] == \
        "labels: survey,USA; exclusion reasons: wrong population,background article"
    # rayyan-506 is a record this review never read: both reviewers' decisions are listed
    assert result.unmatched[["row", "reviewer", "decision", "given_id", "doi"]].values.tolist() == [
        [7, "Ana", "exclude", "rayyan-506", "10.5555/none.506"],
        [7, "Ben", "exclude", "rayyan-506", "10.5555/none.506"]]
    assert result.unmatched["reason"].unique().tolist() == ["no unique record has its id, DOI, PMID or title"]
    # rayyan-507 has no RAYYAN-INCLUSION: not yet screened, neither a decision nor unmatched
    assert "C-pubmed-a7" not in set(result.decisions["cluster_id"])


def test_rayyan_ris_reads_the_notes_in_n1():
    result = import_decisions(FIXTURES / "rayyan.ris", unique_records())
    assert triples(result) == [("C-pubmed-a1", "Ana", "exclude"), ("C-pubmed-a1", "Ben", "maybe"),
                               ("C-pubmed-a4", "Ana", "include")]
    assert list(result.decisions["row"]) == [1, 1, 9]  # the line of each record's TY tag
    assert list(result.matched_by) == ["doi", "doi", "title"]


def test_a_decision_rayyan_does_not_write_names_row_and_field(tmp_path):
    bad = tmp_path / "articles.csv"
    text = RAYYAN.read_text(encoding="utf-8").replace('"Ben""=>""Excluded"', '"Ben""=>""Rejected"', 1)
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_decisions(bad, unique_records())
    assert caught.value.row == 3 and caught.value.field == "notes"
    assert "'Rejected'" in str(caught.value) and "reviewer 'Ben'" in str(caught.value)


# --- ASReview ----------------------------------------------------------------------------------

def test_asreview_lab1_export_included_column_reviewer_from_file_name():
    result = import_decisions(ASREVIEW_LAB1, unique_records())
    assert triples(result) == [("C-pubmed-a5", "Cleo", "include"), ("C-pubmed-a7", "Cleo", "include"),
                               ("C-pubmed-a6", "Cleo", "exclude")]
    assert list(result.decisions["row"]) == [2, 3, 6]
    assert list(result.decisions["given_id"]) == ["4", "6", "5"]  # ASReview's record_id
    assert result.decisions.loc[1, "note"] == "check the setting"  # exported_notes_1
    # row 4 (record_id 7) is a record of another search; row 5 (empty label) is not screened
    assert result.unmatched[["row", "given_id", "decision", "doi"]].values.tolist() == \
        [[4, "7", "include", "10.5555/chw.008"]]


def test_asreview_lab2_export_asreview_label_and_a_given_reviewer():
    result = import_decisions(ASREVIEW_LAB2, unique_records(), reviewer="DT")
    assert triples(result) == [("C-pubmed-a1", "DT", "include"), ("C-pubmed-a6", "DT", "exclude")]
    assert list(result.matched_by) == ["pmid", "doi"]
    assert list(result.decisions["note"]) == ["core study", ""]
    assert result.unmatched.empty


def test_asreview_xlsx_export(tmp_path):
    # ASReview LAB exports the same dataset as XLSX: the same decisions, rows numbered as the sheet's
    path = tmp_path / "DT.xlsx"
    pd.read_csv(ASREVIEW_LAB2, dtype=str, keep_default_na=False).to_excel(path, index=False)
    assert detect_tool(path) == "asreview"
    result = import_decisions(path, unique_records())
    assert triples(result) == [("C-pubmed-a1", "DT", "include"), ("C-pubmed-a6", "DT", "exclude")]
    assert list(result.decisions["row"]) == [2, 3]


def test_asreview_ris_labels_in_n1():
    result = import_decisions(FIXTURES / "asreview.ris", unique_records(), reviewer="RN")
    assert triples(result) == [("C-pubmed-a1", "RN", "include"), ("C-pubmed-a6", "RN", "exclude")]
    assert list(result.decisions["row"]) == [1, 9]


def test_an_asreview_label_it_does_not_write_names_row_and_field(tmp_path):
    bad = tmp_path / "Cleo.csv"
    bad.write_text(ASREVIEW_LAB1.read_text(encoding="utf-8").replace(",10.5555/ps.007,1,", ",10.5555/ps.007,yes,"),
                   encoding="utf-8")
    with pytest.raises(InputError) as caught:
        import_decisions(bad, unique_records())
    assert (caught.value.row, caught.value.field) == (3, "included")


# --- Covidence ---------------------------------------------------------------------------------

def test_covidence_list_is_read_from_the_name_covidence_gives_the_file(tmp_path):
    assert covidence_list(COVIDENCE_CSV) == "irrelevant"
    assert covidence_list(COVIDENCE_RIS) == "select"
    assert covidence_list(Path("review_98765_excluded_csv_20240101.csv")) == "excluded"
    renamed = tmp_path / "covidence_export.csv"
    shutil.copy(COVIDENCE_CSV, renamed)
    with pytest.raises(InputError) as caught:
        import_decisions(renamed, unique_records())
    assert caught.value.field == "file name" and "irrelevant" in caught.value.expected


def test_covidence_irrelevant_csv_is_excluded_at_title_abstract():
    result = import_decisions(COVIDENCE_CSV, unique_records())
    assert triples(result) == [("C-pubmed-a6", "Covidence", "exclude"), ("C-pubmed-a7", "Covidence", "exclude")]
    assert list(result.decisions["given_id"]) == ["#21", "#22"]
    assert list(result.decisions["note"]) == ["Covidence list: irrelevant"] * 2


def test_covidence_full_text_lists_passed_title_abstract(tmp_path):
    result = import_decisions(COVIDENCE_RIS, unique_records())
    assert triples(result) == [("C-pubmed-a5", "Covidence", "include")]
    assert result.decisions.loc[0, "note"] == \
        "Covidence list: full text review; Dana Reyes (2024-02-28 10:01:12)(Screen): peer trainers;"
    assert result.unmatched[["row", "doi"]].values.tolist() == [[22, "10.5555/none.506"]]
    excluded = tmp_path / "review_123456_excluded_csv_20240301101700.csv"
    excluded.write_text(COVIDENCE_CSV.read_text(encoding="utf-8").replace(',"",""\n', ',"Exclusion reason: Wrong '
                                                                        'setting; ",""\n'), encoding="utf-8")
    full_text = import_decisions(excluded, unique_records())
    assert triples(full_text) == [("C-pubmed-a6", "Covidence", "include"), ("C-pubmed-a7", "Covidence", "include")]
    assert full_text.decisions.loc[0, "note"] == \
        "Covidence list: excluded at full text; Exclusion reason: Wrong setting;"


def test_a_title_shared_by_two_records_is_unmatched_with_both_named(tmp_path):
    unique = unique_records()
    unique.loc[len(unique)] = unique.loc[4].copy()
    unique.loc[len(unique) - 1, ["cluster_id", "record_ids", "doi"]] = ["C-wos-d9", "wos-d9", None]
    unique.loc[4, "doi"] = None
    result = import_decisions(COVIDENCE_RIS, unique)
    assert result.decisions.empty
    assert result.unmatched["reason"].tolist()[0] == \
        "its title matches 2 unique records (C-pubmed-a5, C-wos-d9)"


def test_an_evsynth_id_in_the_export_is_matched_first(tmp_path):
    # A dataset evsynth wrote (cluster_id column) screened in ASReview: the id decides, not the title.
    path = tmp_path / "R2.csv"
    path.write_text("cluster_id,title,doi,asreview_label\n"
                    "C-pubmed-a3,Implementing peer support in acute inpatient wards,,1\n"
                    "C-scopus-c8,,,0\n", encoding="utf-8")
    result = import_decisions(path, unique_records())
    assert triples(result) == [("C-pubmed-a3", "R2", "include"), ("C-embase-b8", "R2", "exclude")]
    assert list(result.matched_by) == ["id", "id"]  # C-scopus-c8 names a member record of C-embase-b8


# --- the screening stage -----------------------------------------------------------------------

def test_screening_stage_with_asreview_rayyan_and_covidence_exports(tmp_path):
    review = tmp_path / "review"
    raw = review / "data" / "raw" / "screening"
    raw.mkdir(parents=True)
    for source in (RAYYAN, ASREVIEW_LAB1, COVIDENCE_CSV, COVIDENCE_RIS):
        shutil.copy(source, raw / source.name)
    unique_path = review / "data" / "processed" / "unique.parquet"
    unique_path.parent.mkdir(parents=True)
    unique_records().to_parquet(unique_path)
    config = {"searches": [{"database": "MEDLINE", "date": "2024-03-01", "file": "data/raw/medline.ris"}],
              "screening": {"sample_fraction": 0.5, "seed": 7, "reviewers": ["Ana", "Ben", "Cleo", "Covidence"],
                            "decisions": [f"data/raw/screening/{p.name}" for p in
                                          (RAYYAN, ASREVIEW_LAB1, COVIDENCE_CSV, COVIDENCE_RIS)]}}
    out = review / "results" / "screening"
    result = run_in_review("screening", review, validate_config(config))

    assert sorted(zip(result.pairs["cluster_id"], result.pairs["reviewer_a"], result.pairs["binary_a"],
                      result.pairs["reviewer_b"], result.pairs["binary_b"])) == [
        ("C-pubmed-a1", "Ana", "include", "Ben", "include"),
        ("C-pubmed-a2", "Ana", "include", "Ben", "exclude"),
        ("C-pubmed-a3", "Ana", "exclude", "Ben", "exclude"),
        ("C-pubmed-a4", "Ana", "include", "Ben", "include"),  # Ana's maybe counts as include
        ("C-pubmed-a5", "Cleo", "include", "Covidence", "include"),
        ("C-pubmed-a6", "Cleo", "exclude", "Covidence", "exclude"),
        ("C-pubmed-a7", "Cleo", "include", "Covidence", "exclude"),
    ]
    # 7 pairs, 5 agree; reviewer_a includes 5 of 7, reviewer_b 3 of 7:
    # kappa = (5/7 - (5/7*3/7 + 2/7*4/7)) / (1 - 23/49) = 12/26; AC1 with q = 8/14: (35-24)/(49-24) = 11/25
    agreement = pd.read_csv(out / "agreement.csv")
    value = dict(zip(agreement["statistic"], agreement["value"]))
    assert int(agreement["n"].iloc[0]) == 7
    assert value["percent_agreement"] == pytest.approx(5 / 7, abs=1e-6)
    assert value["cohen_kappa"] == pytest.approx(12 / 26, abs=1e-6)
    assert value["gwet_ac1"] == pytest.approx(11 / 25, abs=1e-6)
    disagreements = pd.read_csv(out / "disagreements.csv")
    assert disagreements["cluster_id"].tolist() == ["C-pubmed-a2", "C-pubmed-a7"]

    outcome = pd.read_csv(out / "title_abstract_outcome.csv")
    decided = dict(zip(outcome["cluster_id"], zip(outcome["decision"], outcome["basis"])))
    assert decided == {
        "C-embase-b8": ("include", "one reviewer"),
        "C-pubmed-a1": ("include", "two reviewers agreed"),
        "C-pubmed-a2": ("pending", "disagreement awaiting resolution"),
        "C-pubmed-a3": ("exclude", "two reviewers agreed"),
        "C-pubmed-a4": ("include", "two reviewers agreed"),
        "C-pubmed-a5": ("include", "two reviewers agreed"),
        "C-pubmed-a6": ("exclude", "two reviewers agreed"),
        "C-pubmed-a7": ("pending", "disagreement awaiting resolution"),
    }
    unmatched = pd.read_csv(out / "imported_unmatched.csv", dtype=str, keep_default_na=False)
    assert unmatched[["tool", "reviewer", "given_id", "doi"]].values.tolist() == [
        ["rayyan", "Ana", "rayyan-506", "10.5555/none.506"],
        ["rayyan", "Ben", "rayyan-506", "10.5555/none.506"],
        ["asreview", "Cleo", "7", "10.5555/chw.008"],
        ["covidence", "Covidence", "", "10.5555/none.506"],
    ]
    status = pd.read_csv(out / "status.csv", dtype=str).set_index("key")["value"]
    assert status["imported_rows_unmatched"] == "4"
    assert status["records_decided"] == "6" and status["disagreements"] == "2"


def test_two_records_of_one_cluster_decided_differently_by_one_reviewer_stops_the_run(tmp_path):
    # evsynth holds both Rayyan records in one cluster: the reviewer's two answers cannot both stand.
    unique = unique_records()
    path = tmp_path / "articles.csv"
    path.write_text("key,title,notes,doi\n"
                    'rayyan-1,A,"RAYYAN-INCLUSION: {""Ana""=>""Included""}",10.5555/ps.001\n'
                    'rayyan-2,B,"RAYYAN-INCLUSION: {""Ana""=>""Excluded""}",https://doi.org/10.5555/PS.001\n',
                    encoding="utf-8")
    with pytest.raises(InputError) as caught:
        screen(unique, [path], fraction=0.5, seed=1)
    assert caught.value.row == 3 and "reviewer Ana decided record 'C-pubmed-a1' twice" in str(caught.value)

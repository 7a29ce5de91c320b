"""Screening: the sample, worksheets, decisions (and bad ones), agreement on the example review."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import yaml

from evsynth.cli import main
from evsynth.errors import InputError
from evsynth.identity import in_sample
from evsynth.screening import double_screening_sample, screen
from evsynth.screening.stage import write_screening
from evsynth.fileio import csv_safe
from evsynth.screening.worksheets import worksheet_frame, write_worksheet

REPO = Path(__file__).resolve().parents[1]
RAW = REPO / "data" / "raw" / "screening"
IDS = [f"C-medline-{i:04d}" for i in range(1, 9)]


def unique_records(ids=IDS) -> pd.DataFrame:
    return pd.DataFrame({
        "cluster_id": ids,
        "title": [f"Peer support record {i}" for i in range(len(ids))],
        "abstract": ["An abstract."] * len(ids),
        "authors": [["Smith, Jane", "Brown, Tom"]] * len(ids),
        "year": pd.array([2016] * len(ids), dtype="Int64"),
        "journal": ["Psychiatric Services"] * len(ids),
        "doi": [f"10.5555/x{i}" for i in range(len(ids))],
    })


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


DECISION_HEADER = ["cluster_id", "reviewer", "stage", "decision", "note"]


def reviewer_file(tmp_path: Path, name: str, decisions: dict[str, str]) -> Path:
    return write(tmp_path / f"{name}.csv", DECISION_HEADER,
                 [[cid, name, "title_abstract", decision, ""] for cid, decision in decisions.items()])


# --- the double-screening sample ---------------------------------------------------------------

def test_sample_is_stable_and_only_grows_when_records_are_added():
    ids = [f"C-embase-{i:05d}" for i in range(4000)]
    sample = double_screening_sample(ids, 20180724, 0.05)
    assert sample == double_screening_sample(list(reversed(ids)), 20180724, 0.05)
    assert 0.04 < len(sample) / len(ids) < 0.06
    more = double_screening_sample(ids + [f"C-update-{i:05d}" for i in range(1000)], 20180724, 0.05)
    assert set(sample) <= set(more)
    assert all(in_sample(20180724, cid, 0.05) for cid in sample)
    assert double_screening_sample(ids, 1, 0.05) != sample  # the seed matters


# --- worksheets ----------------------------------------------------------------------------------

def test_worksheet_keeps_formula_like_text_as_text_with_dropdown_and_doi_link(tmp_path):
    unique = unique_records(IDS[:3])
    unique.loc[0, "title"] = "=HYPERLINK(\"http://evil.example\",\"click\")"
    unique.loc[1, "title"] = "+1 peer workers"
    unique.loc[2, "title"] = "@SUM(A1)"
    frame = worksheet_frame(unique, IDS[:3], "DT", "title_abstract")
    write_worksheet(frame, tmp_path / "ws.xlsx", tmp_path / "ws.csv", "title_abstract")
    book = openpyxl.load_workbook(tmp_path / "ws.xlsx")
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == DECISION_HEADER
    title = sheet.cell(row=2, column=header.index("title") + 1)
    assert title.data_type == "s" and title.value.startswith("=HYPERLINK")
    with zipfile.ZipFile(tmp_path / "ws.xlsx") as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()
    validation = sheet.data_validations.dataValidation[0]
    assert validation.formula1 == '"include,exclude,maybe"'
    assert f"{openpyxl.utils.get_column_letter(header.index('decision') + 1)}2" in str(validation.sqref)
    doi = sheet.cell(row=2, column=header.index("doi") + 1)
    assert doi.hyperlink.target == "https://doi.org/10.5555/x0"
    rows = list(csv.DictReader(open(tmp_path / "ws.csv", encoding="utf-8")))
    assert [row["title"] for row in rows] == ["'=HYPERLINK(\"http://evil.example\",\"click\")", "'+1 peer workers",
                                              "'@SUM(A1)"]
    assert rows[0]["authors"] == "Smith, Jane; Brown, Tom" and rows[0]["decision"] == ""
    assert csv_safe("-2 trials") == "'-2 trials" and csv_safe("Peer - support") == "Peer - support"
    write_worksheet(frame, tmp_path / "again.xlsx", tmp_path / "again.csv", "title_abstract")
    assert (tmp_path / "again.xlsx").read_bytes() == (tmp_path / "ws.xlsx").read_bytes()  # same bytes each run


def test_filled_worksheet_is_read_back_and_only_undecided_records_remain(tmp_path):
    unique = unique_records()
    result = screen(unique, [reviewer_file(tmp_path, "DT", {IDS[0]: "include"})], fraction=0.5, seed=3,
                    reviewers=["DT", "RN"])
    sheet = result.worksheets["title_abstract_DT"]
    assert list(sheet["cluster_id"]) == IDS[1:]
    write_worksheet(sheet, tmp_path / "ws.xlsx", tmp_path / "ws.csv", "title_abstract")
    book = openpyxl.load_workbook(tmp_path / "ws.xlsx")
    book.active["D2"] = "exclude"  # the reviewer fills in one decision and leaves the rest empty
    book.save(tmp_path / "ws.xlsx")
    again = screen(unique, [tmp_path / "DT.csv", tmp_path / "ws.xlsx"], fraction=0.5, seed=3, reviewers=["DT", "RN"])
    assert list(again.worksheets["title_abstract_DT"]["cluster_id"]) == IDS[2:]
    sample = double_screening_sample(IDS, 3, 0.5)
    assert list(again.worksheets["title_abstract_RN"]["cluster_id"]) == sample


# --- decisions, disagreements, resolutions ----------------------------------------------------------

def test_agreement_disagreements_and_resolution(tmp_path):
    unique = unique_records()
    dt = reviewer_file(tmp_path, "DT", {cid: "exclude" for cid in IDS} | {IDS[0]: "include", IDS[1]: "maybe"})
    rn = reviewer_file(tmp_path, "RN", {IDS[0]: "include", IDS[1]: "exclude", IDS[2]: "exclude",
                                        IDS[3]: "maybe"})
    result = screen(unique, [dt, rn], fraction=0.5, seed=3, reviewers=["DT", "RN"])
    # maybe counts as include: DT/RN pairs are (in, in), (in, out), (out, out), (out, in).
    cells = result.agreement_table.set_index(["decision_a", "decision_b"])["n"]
    assert (cells[("include", "include")], cells[("include", "exclude")], cells[("exclude", "include")],
            cells[("exclude", "exclude")]) == (1, 1, 1, 1)
    values = result.agreement.set_index("statistic")["value"]
    assert values["percent_agreement"] == pytest.approx(0.5)
    assert values["cohen_kappa"] == pytest.approx(0.0)
    assert list(result.disagreements["cluster_id"]) == [IDS[1], IDS[3]]
    assert set(result.outcome.loc[result.outcome["decision"] == "pending", "cluster_id"]) == {IDS[1], IDS[3]}

    resolutions = write(tmp_path / "res.csv", ["cluster_id", "stage", "decision", "resolved_by"],
                        [[IDS[1], "title_abstract", "include", "DT and RN"],
                         [IDS[3], "title_abstract", "exclude", "DT and RN"]])
    resolved = screen(unique, [dt, rn], fraction=0.5, seed=3, resolutions_path=resolutions)
    outcome = resolved.outcome.set_index("cluster_id")["decision"]
    assert outcome[IDS[1]] == "include" and outcome[IDS[3]] == "exclude" and outcome[IDS[0]] == "include"
    assert (outcome == "pending").sum() == 0
    # maybe_counts_as exclude turns DT's maybe on IDS[1] into an agreement with RN
    strict = screen(unique, [dt, rn], fraction=0.5, seed=3, maybe_counts_as="exclude")
    assert list(strict.disagreements["cluster_id"]) == []


def _error(callable_, *args, **kwargs) -> str:
    with pytest.raises(InputError) as error:
        callable_(*args, **kwargs)
    return str(error.value)


def test_decision_outside_vocabulary_lists_the_spellings(tmp_path):
    path = reviewer_file(tmp_path, "DT", {IDS[0]: "include", IDS[1]: "excluded"})
    message = _error(screen, unique_records(), [path], fraction=0.05, seed=1)
    assert "DT.csv, row 3, field 'decision'" in message
    assert "'excluded' is not allowed" in message and "include, exclude or maybe" in message


def test_decision_for_a_record_that_does_not_exist(tmp_path):
    path = reviewer_file(tmp_path, "DT", {IDS[0]: "include", "C-medline-9999": "exclude"})
    message = _error(screen, unique_records(), [path], fraction=0.05, seed=1)
    assert "DT.csv, row 3, field 'cluster_id'" in message and "'C-medline-9999' is not a unique record" in message


def test_same_record_decided_twice_differently_by_one_reviewer(tmp_path):
    path = write(tmp_path / "DT.csv", DECISION_HEADER, [[IDS[0], "DT", "title_abstract", "include", ""],
                                                        [IDS[1], "DT", "title_abstract", "exclude", ""],
                                                        [IDS[0], "DT", "title_abstract", "exclude", ""]])
    message = _error(screen, unique_records(), [path], fraction=0.05, seed=1)
    assert "DT.csv, row 4, field 'decision'" in message
    assert "'include' (" in message and "row 2) and 'exclude'" in message
    # the same answer twice is not a conflict
    same = write(tmp_path / "same.csv", DECISION_HEADER, [[IDS[0], "DT", "title_abstract", "include", ""]] * 2)
    assert len(screen(unique_records(), [same], fraction=0.05, seed=1).decisions) == 1


def test_decisions_follow_their_record_when_clusters_are_merged(tmp_path):
    # Screening started on two clusters; a person's verdict (or an update search) then linked them.
    dt = reviewer_file(tmp_path, "DT", {"C-medline-0001": "include", "C-medline-0002": "include",
                                         "C-medline-0003": "exclude"})
    full_text = write(tmp_path / "ft.csv", ["cluster_id", "reviewer", "decision", "study_id"],
                      [["C-medline-0002", "DT", "include", "S01"]])
    merged = unique_records(["C-medline-0001", "C-medline-0003"]).assign(
        record_ids=["medline-0001; medline-0002", "medline-0003"])
    result = screen(merged, [dt], fraction=0.01, seed=1, full_text_path=full_text)
    assert sorted(zip(result.decisions["cluster_id"], result.decisions["decision"])) == [
        ("C-medline-0001", "include"), ("C-medline-0003", "exclude")]
    assert list(result.full_text["cluster_id"]) == ["C-medline-0001"]
    # the same reviewer had decided the two differently: say so, naming both ids
    reviewer_file(tmp_path, "DT", {"C-medline-0001": "include", "C-medline-0002": "exclude"})
    with pytest.raises(InputError, match="given for 'C-medline-0001' and 'C-medline-0002', records since linked"):
        screen(merged, [dt], fraction=0.01, seed=1)


def test_reviewer_file_with_no_decisions(tmp_path):
    path = write(tmp_path / "RN.csv", DECISION_HEADER, [[IDS[0], "RN", "title_abstract", "", ""]])
    message = _error(screen, unique_records(), [path], fraction=0.05, seed=1)
    assert "RN.csv, row 2, field 'decision': the file holds no decisions" in message


def _full_text(tmp_path, rows):
    return write(tmp_path / "ft.csv", ["cluster_id", "reviewer", "decision", "exclusion_reason", "study_id"], rows)


def test_full_text_exclusion_without_reason_and_inclusion_without_study(tmp_path):
    dt = reviewer_file(tmp_path, "DT", {IDS[0]: "include", IDS[1]: "include"})
    no_reason = _full_text(tmp_path, [[IDS[0], "DT", "include", "", "S01"], [IDS[1], "DT", "exclude", "", ""]])
    message = _error(screen, unique_records(), [dt], fraction=0.05, seed=1, full_text_path=no_reason)
    assert "ft.csv, row 3, field 'exclusion_reason': 'exclusion_reason' is empty" in message
    assert "why the report was excluded" in message
    no_study = _full_text(tmp_path, [[IDS[0], "DT", "include", "", ""]])
    message = _error(screen, unique_records(), [dt], fraction=0.05, seed=1, full_text_path=no_study)
    assert "ft.csv, row 2, field 'study_id': 'study_id' is empty" in message


def test_full_text_decision_on_a_record_excluded_at_title_abstract(tmp_path):
    dt = reviewer_file(tmp_path, "DT", {IDS[0]: "include", IDS[1]: "exclude"})
    path = _full_text(tmp_path, [[IDS[0], "DT", "include", "", "S01"], [IDS[1], "DT", "include", "", "S02"]])
    message = _error(screen, unique_records(), [dt], fraction=0.05, seed=1, full_text_path=path)
    assert "ft.csv, row 3, field 'cluster_id'" in message and "was not passed to full text" in message


def test_resolution_of_a_record_without_disagreement(tmp_path):
    dt = reviewer_file(tmp_path, "DT", {IDS[0]: "include"})
    path = write(tmp_path / "res.csv", ["cluster_id", "stage", "decision"], [[IDS[0], "title_abstract", "exclude"]])
    message = _error(screen, unique_records(), [dt], fraction=0.05, seed=1, resolutions_path=path)
    assert "res.csv, row 2, field 'cluster_id'" in message and "no disagreement" in message


# --- the example review -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def example():
    dt = pd.read_csv(RAW / "title_abstract_DT.csv", dtype=str)
    # DT decided every unique record, so DT's cluster_ids are the example's unique records.
    unique = unique_records(sorted(dt["cluster_id"]))
    settings = yaml.safe_load((REPO / "config" / "config.yaml").read_text(encoding="utf-8"))["screening"]
    config = {"fraction": settings["sample_fraction"], "seed": settings["seed"], "reviewers": settings["reviewers"]}
    return unique, screen(unique, [RAW / "title_abstract_DT.csv", RAW / "title_abstract_RN.csv"],
                          resolutions_path=RAW / "resolutions.csv", full_text_path=RAW / "full_text.csv", **config)


def test_example_sample_is_five_percent_and_concordance_93(example, seed_figures):
    unique, result = example
    assert len(unique) == seed_figures["publications"]
    assert len(result.sample) == 305 and round(100 * len(result.sample) / len(unique)) == seed_figures["sample_percent"]
    assert set(result.pairs["cluster_id"]) == set(result.sample["cluster_id"])
    values = result.agreement.set_index("statistic")
    assert values.loc["percent_agreement", "value"] == pytest.approx(284 / 305)
    assert round(100 * values.loc["percent_agreement", "value"]) == seed_figures["concordance_percent"]
    assert values.loc["percent_agreement", "n"] == 305
    assert len(result.disagreements) == 21 and (result.disagreements["resolution"] != "").all()


def test_example_full_text_and_status(example, tmp_path, seed_figures):
    unique, result = example
    status = dict(zip(result.status["key"], result.status["value"]))
    assert status["passed_to_full_text"] == 272 and status["excluded_at_title_abstract"] == 5541
    assert status["reports_included"] == status["studies_included"] == seed_figures["included"]
    assert status["records_awaiting_decision"] == 0 and status["full_text_awaiting"] == 0
    write_screening(result, unique, tmp_path)
    text = (tmp_path / "agreement.md").read_text(encoding="utf-8")
    assert "Inclusions were rare" in text and "93.1%" in text
    assert len(pd.read_csv(tmp_path / "worksheets" / "title_abstract_RN.csv")) == 0


def test_agreement_command(tmp_path, capsys):
    path = write(tmp_path / "d.csv", ["record_id", "reviewer", "decision"],
                 [["r1", "A", "include"], ["r1", "B", "include"], ["r2", "A", "exclude"], ["r2", "B", "maybe"],
                  ["r3", "A", "exclude"], ["r3", "B", "exclude"], ["r4", "A", "Exclude"], ["r4", "B", "exclude"]])
    assert main(["agreement", str(path), "--out", str(tmp_path / "out")]) == 0
    agreement = pd.read_csv(tmp_path / "out" / "agreement.csv")
    assert list(agreement.columns) == ["stage", "statistic", "value", "ci_low", "ci_high", "n"]
    values = agreement.set_index("statistic")["value"]
    assert values["percent_agreement"] == pytest.approx(0.75)  # 'maybe' counts as include
    assert values["cohen_kappa"] == pytest.approx((0.75 - 0.5) / 0.5)
    assert main(["agreement", str(path), "--out", str(tmp_path / "strict"), "--maybe-as", "exclude"]) == 0
    assert pd.read_csv(tmp_path / "strict" / "agreement.csv").set_index("statistic")["value"]["percent_agreement"] == 1
    bad = write(tmp_path / "bad.csv", ["record_id", "reviewer", "decision"], [["r1", "A", "yes"], ["r1", "B", "no"]])
    assert main(["agreement", str(bad), "--out", str(tmp_path / "x")]) == 2
    assert "bad.csv, row 2, field 'decision': value 'yes' is not allowed; expected include, exclude or maybe" \
        in capsys.readouterr().err
    assert not (tmp_path / "x").exists()

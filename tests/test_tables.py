"""Validation of the tables people fill in: good tables read, bad ones name row, column, expectation."""

import pytest

from evsynth.errors import InputError
from evsynth.tables import read_table


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_decisions_read_with_case_tolerant_headers_and_values(tmp_path):
    path = write(tmp_path, "ta.csv", "Cluster_ID,Reviewer,Stage,Decision,Note\n"
                 "C-a,DT,title_abstract,Include,\nC-b,DT,title_abstract, exclude ,off topic\n")
    frame = read_table(path, "screening_decisions")
    assert list(frame["decision"]) == ["include", "exclude"]
    assert list(frame["note"]) == ["", "off topic"]


def test_decision_outside_vocabulary_names_row_field_and_spellings(tmp_path):
    path = write(tmp_path, "ta.csv", "cluster_id,reviewer,stage,decision\n"
                 "C-a,DT,title_abstract,include\nC-b,DT,title_abstract,perhaps\n")
    with pytest.raises(InputError) as caught:
        read_table(path, "screening_decisions")
    message = str(caught.value)
    assert "ta.csv" in message and "row 3" in message and "field 'decision'" in message
    assert "'perhaps'" in message and "include, exclude or maybe" in message


def test_missing_column_lists_what_was_found(tmp_path):
    path = write(tmp_path, "casp.csv", "study,appraiser,checklist,item,answer\nS01,DT,x,1,yes\n")
    with pytest.raises(InputError, match=r"casp\.csv, row 1: missing column\(s\) study_id \(found: study, "):
        read_table(path, "casp_answers")


def test_full_text_exclusion_needs_a_reason_and_inclusion_a_study(tmp_path):
    path = write(tmp_path, "ft.csv", "cluster_id,reviewer,decision,exclusion_reason,study_id\n"
                 "C-a,DT,exclude,,\n")
    with pytest.raises(InputError, match=r"row 2, field 'exclusion_reason': 'exclusion_reason' is empty; "
                                         r"expected why the report was excluded"):
        read_table(path, "full_text")
    path = write(tmp_path, "ft.csv", "cluster_id,reviewer,decision,exclusion_reason,study_id\n"
                 "C-a,DT,include,,\n")
    with pytest.raises(InputError, match=r"row 2, field 'study_id'.*the study the included report belongs to"):
        read_table(path, "full_text")


def test_rating_must_be_an_integer_from_0_to_3(tmp_path):
    path = write(tmp_path, "ratings.csv", "site,item,rating\nUlm,T01,2\nUlm,T02,4\n")
    with pytest.raises(InputError, match=r"row 3, field 'rating': value '4' is not allowed; "
                                         r"expected an integer from 0 to 3"):
        read_table(path, "measure_ratings")
    path = write(tmp_path, "ratings.csv", "site,item,rating\nUlm,T01,2\nUlm,T02,1.0\n")
    assert list(read_table(path, "measure_ratings")["rating"]) == [2, 1]


def test_extraction_keeps_extra_attribute_columns(tmp_path):
    path = write(tmp_path, "studies.csv", "study_id,citation,design,modality,setting\n"
                 "S01,Smith et al. (2016),qualitative,Group,inpatient\n")
    frame = read_table(path, "extraction")
    # attribute values are the review's own, kept as entered (analyses compare them ignoring case)
    assert frame.loc[0, "setting"] == "inpatient" and frame.loc[0, "modality"] == "Group"


def test_xlsx_tables_are_read_like_csv(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["site", "item", "rating"])
    sheet.append(["Kampala", "T01", 2])
    sheet.append(["Ulm", "T01", 4])
    book.save(tmp_path / "ratings.xlsx")
    with pytest.raises(InputError, match=r"ratings\.xlsx, row 3, field 'rating'.*an integer from 0 to 3"):
        read_table(tmp_path / "ratings.xlsx", "measure_ratings")


def test_empty_and_absent_files(tmp_path):
    with pytest.raises(InputError, match="the file is empty"):
        read_table(write(tmp_path, "e.csv", ""), "codebook")
    with pytest.raises(InputError, match="does not exist"):
        read_table(tmp_path / "nope.csv", "codebook")


def test_a_table_from_an_earlier_stage_must_exist_and_have_its_columns(tmp_path):
    from evsynth.tables import read_stage_table

    made_by = "the CASP scores of the quality stage"
    with pytest.raises(InputError, match=r"scores\.csv: file does not exist; expected the CASP scores"):
        read_stage_table(tmp_path / "scores.csv", ("study_id", "grade"), made_by)
    (tmp_path / "scores.csv").write_text("study_id,percent\nS01,60.00\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1, field 'grade': missing column\(s\) grade; expected the CASP "
                                         r"scores of the quality stage, with columns study_id, grade"):
        read_stage_table(tmp_path / "scores.csv", ("study_id", "grade"), made_by)
    (tmp_path / "scores.csv").write_text("study_id,grade\nS01,\n", encoding="utf-8")
    assert read_stage_table(tmp_path / "scores.csv", ("study_id", "grade"), made_by).to_dict("records") == [
        {"study_id": "S01", "grade": ""}]

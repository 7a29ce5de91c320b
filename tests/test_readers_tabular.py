"""Generic CSV/TSV/XLSX reader with ASReview-style column names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook

from evsynth.errors import InputError
from evsynth.readers import detect_format, read_export
from evsynth.readers.tabular import COLUMN_ALIASES, column_map

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def test_asreview_style_columns_case_and_spaces_ignored():
    first, second, third = read_export(FIXTURES / "asreview_dataset.csv")  # the blank row is skipped
    assert first["source_id"] == "17"  # " Record_ID "
    assert first["title"] == ("Peer support workers in community mental health teams: "
                              "a qualitative study of role clarity")  # "Title "
    assert first["authors"] == ["Okafor, C.A.", "Lindqvist, B.", "Reyes-Garcia, M."]
    assert first["year"] == 2019
    assert first["doi"] == "10.5555/s12888-019-2101-5"
    assert first["keywords"] == ["implementation", "peer support"]
    assert first["url"] == "https://example.org/a/17"
    assert second["year"] == 2018  # "2018.0" as a spreadsheet writes it
    assert second["abstract"] is None
    assert second["keywords"] == ["wards", "inpatients"]
    assert second["authors"] == ["Nakamura, Hiroshi"]  # one "Surname, Given" author
    assert third["abstract"] == "Text, with a comma"
    assert third["authors"] == [] and third["year"] is None


def test_pubmed_csv_export():
    first, second = read_export(FIXTURES / "pubmed_csv_export.csv")
    assert first["authors"] == ["Okafor CA", "Lindqvist B", "Reyes-Garcia M"]
    assert first["pmid"] == first["source_id"] == "31234567"  # no id column: the PMID
    assert first["journal"] == "BMC Psychiatry"  # Journal/Book
    assert first["year"] == 2019  # Publication Year
    assert second["doi"] == "10.5555/inm.12456"


def test_semicolon_csv_in_windows_1252():
    first, second = read_export(FIXTURES / "excel_semicolon_cp1252.csv")
    assert first["title"] == "Gestaltete Genesungsbegleitung: Erfahrungen aus München"
    assert first["authors"] == ["Müller, Jürgen", "François, Élodie"]
    assert first["pages"] == "260-266"  # en dash in cp1252
    assert first["year"] == 2016
    assert second["title"] == "Second record; with a semicolon"
    assert second["journal"] is None


def test_wos_tab_delimited_utf16():
    assert detect_format(FIXTURES / "wos_tab_utf16.txt") == "wos_tab"
    first, second = read_export(FIXTURES / "wos_tab_utf16.txt")
    assert first["source_id"] == first["wos_ut"] == "WOS:000512345600003"  # UT, not ID
    assert first["authors"] == ["Byrne, Siobhan", "Nakamura, Hiroshi"]  # AF before AU
    assert first["keywords"] == ["peer support", "stigma", "MENTAL-ILLNESS", "RECOVERY"]  # DE, ID
    assert first["issn"] == "0963-8237; 1360-0567"
    assert (first["pages"], second["pages"]) == ("512-519", "733")
    assert first["pmid"] == "30912345"
    assert first["publication_type"] == "Article"  # DT


def test_wos_excel_workbook():
    assert detect_format(FIXTURES / "wos_excel.xlsx") == "xlsx"
    first, second = read_export(FIXTURES / "wos_excel.xlsx")
    assert first["title"] == "Peer workers' experiences of stigma within multidisciplinary mental health teams"
    assert first["authors"] == ["Byrne, Siobhan", "Nakamura, Hiroshi"]  # Author Full Names
    assert (first["year"], first["volume"], first["issue"], first["pages"]) == (2020, "29", "5", "512-519")
    assert first["pmid"] == "30912345"  # a number cell
    assert second["pmid"] == "34301234"  # a float cell, 34301234.0
    assert first["source_id"] == "WOS:000512345600003"
    assert first["publication_type"] == "Article"  # Document Type before Publication Type
    assert first["journal_abbrev"] == "J. Ment. Health"
    assert second["pages"] == "733"


def test_tsv_and_columns_with_spaces(tmp_path):
    path = tmp_path / "records.tsv"
    path.write_text("  PRIMARY_TITLE \tNotes_Abstract\tFirst_Authors\tPY\tT2\tKey\n"
                    "A title\tAn abstract\tSmith, J; Doe, A\t2001\tA Journal\tk1\n", encoding="utf-8")
    (record,) = read_export(path)
    assert (record["title"], record["abstract"], record["authors"], record["year"], record["journal"],
            record["source_id"]) == ("A title", "An abstract", ["Smith, J", "Doe, A"], 2001, "A Journal", "k1")


def test_no_title_column_lists_columns_and_accepted_names(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("Name,Abstract,Year\nSomething,Text,2020\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    message = str(error.value)
    assert message.startswith(f"{path}, row 1: no title column among the columns found ('Name', 'Abstract', "
                              "'Year'); expected a header row with a title column named one of: title, "
                              "primary_title, ti, t1")
    assert error.value.row == 1


def test_xlsx_without_title_column(tmp_path):
    path = tmp_path / "sheet.xlsx"
    workbook = Workbook()
    workbook.active.append(["Name", "Year"])
    workbook.active.append(["x", 2020])
    workbook.save(path)
    with pytest.raises(InputError, match=r"row 1: no title column among the columns found \('Name', 'Year'\)"):
        read_export(path)


def test_ragged_row_names_its_row(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("title,year\nA,2001\nB,2002,unexpected,values\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(error.value) == (f"{path}, row 3: the row has 4 values but the header has 2 columns; expected "
                                "one value per header column; quote values that contain the delimiter")


def test_header_without_records(tmp_path):
    path = tmp_path / "only_header.csv"
    path.write_text("title,abstract\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 2: the CSV has a header but no records"):
        read_export(path)


def test_damaged_xlsx(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(InputError, match=r"broken\.xlsx: not a readable \.xlsx workbook"):
        read_export(path)


def test_asreview_names_are_accepted():
    # ASReview's COLUMN_DEFINITIONS (title, authors, abstract, keywords, doi) are all recognised.
    header = ["primary_title", "author names", "abstract note", "keywords", "doi"]
    found = column_map(header)
    assert {field: indices[0] for field, indices in found.items()} == {
        "title": 0, "authors": 1, "abstract": 2, "keywords": 3, "doi": 4}
    for name in ("title", "primary_title", "ti", "t1"):
        assert name in COLUMN_ALIASES["title"]


def test_bib_dedupe_style_csv_with_id_and_entrytype(tmp_path):
    # the layout of bib-dedupe's and ASySD's benchmark files: ID, ENTRYTYPE, BibTeX field names
    path = tmp_path / "records_pre_merged.csv"
    path.write_text("ID,ENTRYTYPE,title,author,year,journal,volume,number,pages,doi\n"
                    "id_0001,article,Empyema thoracis,\"Ahmed, A. E. and Yacoub, T. E.\",2010,"
                    "Clin Med Insights Circ Respir Pulm Med,4,585,1-8,\n", encoding="utf-8")
    (record,) = read_export(path)
    assert record["source_id"] == "id_0001"
    assert record["publication_type"] == "article"
    assert record["authors"] == ["Ahmed, A. E.", "Yacoub, T. E."]
    assert (record["volume"], record["issue"], record["pages"]) == ("4", "585", "1-8")


@pytest.mark.parametrize("header", ["id,title,Title,year", "id,title,year,TITLE ", "id,title,title,year"])
def test_a_column_read_twice_names_the_file_and_the_columns(tmp_path, header):
    path = tmp_path / "export.csv"
    path.write_text(header + "\nA1,Peer support workers,Peer workers,2016\n", encoding="utf-8")
    names = header.split(",")
    first, second = [i for i, name in enumerate(names) if name.strip().lower() == "title"]
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(error.value) == (
        f"{path}, row 1, field 'title': columns {'ABCD'[first]} ('{names[first]}') and {'ABCD'[second]} "
        f"('{names[second]}') both name 'title' (column names are matched ignoring case and surrounding spaces); "
        "expected each column once")


def test_a_scopus_column_read_twice_names_the_file_and_the_columns(tmp_path):
    path = tmp_path / "scopus.csv"
    path.write_text("Authors,Title,Year,Source title,Title,EID\nSmith J.,Peer support,2016,J,Other,2-s2.0-1\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"scopus\.csv, row 1, field 'title': columns B \('Title'\) and E "
                                         r"\('Title'\) both name 'title'"):
        read_export(path)


def test_a_column_named_twice_that_is_not_read_is_no_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("title,notes,Notes\nPeer support workers,a,b\n", encoding="utf-8")
    assert [record["title"] for record in read_export(path)] == ["Peer support workers"]


def test_booktitle_is_the_venue_of_a_conference_paper_as_in_bibtex(tmp_path):
    path = tmp_path / "records_pre_merged.csv"
    path.write_text("ID,ENTRYTYPE,title,journal,booktitle,year\n"
                    "p1,inproceedings,Remote work and trust,,Proceedings of the 2021 CHI Conference,2021\n"
                    "a1,article,Remote work and trust,Journal of Work,Ignored Book,2021\n", encoding="utf-8")
    paper, article = read_export(path)
    assert paper["journal"] == "Proceedings of the 2021 CHI Conference"
    assert article["journal"] == "Journal of Work"  # a journal, when there is one, wins


def test_the_readme_lists_every_column_name_of_the_alias_table():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("| field | column names |"):]
    for field, names in COLUMN_ALIASES.items():
        row = next(line for line in table.splitlines() if line.startswith(f"| `{field}` |"))
        assert [name.strip("`") for name in re.findall(r"`[^`]+`", row.split("|")[2])] == list(names), field

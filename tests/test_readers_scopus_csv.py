"""Scopus CSV reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from evsynth.errors import InputError
from evsynth.readers import detect_format, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def test_scopus_csv_2023_header_with_bom():
    assert detect_format(FIXTURES / "scopus.csv") == "scopus_csv"
    article, conference, editorial = read_export(FIXTURES / "scopus.csv")
    assert article["source_id"] == article["scopus_eid"] == "2-s2.0-85064512345"
    assert article["title"] == ("Peer support workers in community mental health teams: "
                                "A qualitative study of role clarity")
    # "Author full names" without the Scopus author ids in brackets
    assert article["authors"] == ["Okafor, Chinwe A.", "Lindqvist, Björn", "Reyes-Garcia, María"]
    assert article["year"] == 2019
    assert article["journal"] == "BMC Psychiatry"
    assert article["journal_abbrev"] == "BMC Psychiatry"
    assert (article["volume"], article["issue"], article["pages"]) == ("19", "1", "112")  # Art. No.
    assert article["doi"] == "10.5555/s12888-019-2101-5"
    assert article["pmid"] == "31234567"
    assert article["issn"] == "1471-244X"  # 1471244X
    assert article["language"] == "English"
    assert article["publication_type"] == "Article"
    assert article["keywords"] == ["implementation", "peer support", "qualitative research", "adult", "article",
                                   "human"]
    assert article["abstract"].endswith('"often without a clear role". © 2019 The Author(s).')
    assert article["url"].startswith("https://www.scopus.com/inward/record.uri?eid=2-s2.0-85064512345")
    assert article["wos_ut"] is None
    assert conference["abstract"] is None  # [No abstract available]
    assert conference["pages"] == "S112-S113"
    assert conference["issn"] == "0924-9338"
    assert editorial["authors"] == []  # [No author name available]
    assert editorial["isbn"] == "9780123456789"
    assert editorial["year"] == 2022


def test_scopus_csv_before_2023_crlf_comma_separated_authors():
    first, second = read_export(FIXTURES / "scopus_2019_crlf.csv")
    assert first["authors"] == ["Thompson R.", "O'Neill P."]
    assert first["source_id"] == "2-s2.0-84950000001"
    assert first["pmid"] == "26800001"
    assert first["pages"] == "101-112"
    assert first["journal_abbrev"] == "J. Psychiatr. Ment. Health Nurs."
    assert second["authors"] == ["Álvarez L."]
    assert second["issn"] == "1095-158X"


def test_scopus_format_requires_the_eid_column(tmp_path):
    path = tmp_path / "scopus.csv"
    path.write_text('"Authors","Title","Year","Source title"\n"Smith J.","A title","2020","J"\n', encoding="utf-8")
    assert detect_format(path) == "csv"  # no EID: read as a generic CSV
    assert read_export(path)[0]["title"] == "A title"
    with pytest.raises(InputError) as error:
        read_export(path, fmt="scopus_csv")
    assert str(error.value) == (f"{path}, row 1: no 'eid' column among the columns found ('Authors', 'Title', "
                                "'Year', 'Source title'); expected the header of a Scopus CSV export ('Authors', "
                                "'Title', 'Year', 'Source title', ..., 'EID')")


def test_scopus_row_with_extra_values(tmp_path):
    path = tmp_path / "scopus.csv"
    path.write_text("Title,Source title,EID\nA,B,2-s2.0-1\nC,D,2-s2.0-2,surplus\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"row 3: the row has 4 values but the header has 3 columns"):
        read_export(path)

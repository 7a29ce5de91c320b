"""Format detection from content, dispatch, and the contract: a list of records or InputError."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evsynth.errors import InputError
from evsynth.readers import FORMATS, detect_format, read_export
from evsynth.records import FIELDS

FIXTURES = Path(__file__).parent / "fixtures" / "exports"

EXPECTED_FORMATS = {
    "abstrackr.csv": "csv",
    "ais_endnote.enl": "endnote",
    "cinahl.csv": "csv",
    "cochrane_central.csv": "csv",
    "covidence.csv": "csv",
    "ebsco_l3_doi.ris": "ris",
    "embase_search_query.csv": "csv",
    "endnote.xml": "endnote_xml",
    "ieee_xplore.csv": "csv",
    "lens.csv": "csv",
    "medline_ovid_aid_url.nbib": "medline",
    "openalex.csv": "csv",
    "ovid_psycinfo_nl.ris": "ris",
    "proquest.txt": "proquest",
    "publish_or_perish.csv": "csv",
    "refworks.tsv": "csv",
    "revtools_na.csv": "csv",
    "springerlink.csv": "csv",
    "wiley_url_doi.ris": "ris",
    "wos_savedrecs.xls": "xlsx",
    "wos_tab_quotes.txt": "wos_tab",
    "zotero_jats.ris": "ris",
    "asreview_dataset.csv": "csv",
    "ebsco_cinahl.ris": "ris",
    "excel_semicolon_cp1252.csv": "csv",
    "ovid_embase.ris": "ris",
    "ovid_medline_crlf.ris": "ris",
    "ovid_psycinfo_latin1.ris": "ris",
    "pubmed.nbib": "medline",
    "pubmed_csv_export.csv": "csv",
    "pubmed_export.txt": "medline",
    "savedrecs.txt": "wos",
    "scopus.bib": "bibtex",
    "scopus.csv": "scopus_csv",
    "scopus.ris": "ris",
    "scopus_2019_crlf.csv": "scopus_csv",
    "wos.bib": "bibtex",
    "wos.ris": "ris",
    "wos_excel.xlsx": "xlsx",
    "wos_tab_utf16.txt": "wos_tab",
    "zotero_latex.bib": "bibtex",
}


def test_every_fixture_is_listed():
    assert sorted(path.name for path in FIXTURES.iterdir() if path.name != "README.md") == sorted(EXPECTED_FORMATS)


@pytest.mark.parametrize(("name", "fmt"), sorted(EXPECTED_FORMATS.items()))
def test_detected_from_content_not_extension(tmp_path, name, fmt):
    assert detect_format(FIXTURES / name) == fmt
    disguised = tmp_path / "download.dat"
    shutil.copy(FIXTURES / name, disguised)
    assert detect_format(disguised) == fmt
    assert read_export(disguised) == read_export(FIXTURES / name)


def test_every_reader_fills_every_field_with_the_right_types():
    for name in EXPECTED_FORMATS:
        for record in read_export(FIXTURES / name):
            assert list(record) == FIELDS
            assert record["title"], name
            assert isinstance(record["authors"], list) and all(isinstance(a, str) for a in record["authors"])
            assert isinstance(record["keywords"], list)
            assert record["year"] is None or isinstance(record["year"], int)
            assert record["authors_raw"] is None or all(isinstance(a, str) for a in record["authors_raw"])
            for field in FIELDS:
                if field not in ("authors", "keywords", "year", "authors_raw"):
                    assert record[field] is None or isinstance(record[field], str), (name, field)


def test_explicit_format_overrides_detection():
    records = read_export(FIXTURES / "pubmed_csv_export.csv", fmt="csv")
    assert len(records) == 2


def test_unknown_format_name():
    with pytest.raises(InputError) as error:
        read_export(FIXTURES / "scopus.ris", fmt="refer")
    assert str(error.value) == (f"{FIXTURES / 'scopus.ris'}, field 'format': unknown export format 'refer'; "
                                "expected one of: auto, ris, bibtex, medline, wos, wos_tab, scopus_csv, csv, xlsx, "
                                "endnote_xml, endnote, proquest")


def test_unrecognised_content_lists_supported_formats(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Dear colleague\nplease find the references attached\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    message = str(error.value)
    assert message.startswith(f"{path}: the export format could not be recognised from the content "
                              "(its first lines open no format evsynth reads; the text is not shown)")
    assert "colleague" not in message  # what is not an export is never printed
    for fmt in FORMATS:
        assert fmt in message


def test_extension_breaks_the_tie(tmp_path):
    path = tmp_path / "odd.ris"
    path.write_text("nothing that looks like RIS\n", encoding="utf-8")
    assert detect_format(path) == "ris"
    with pytest.raises(InputError, match="no RIS records found"):
        read_export(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match=r"nope\.ris: the file does not exist"):
        read_export(tmp_path / "nope.ris")


_PREFIXES = [b"", b"TY  - JOUR\n", b"TY  - JOUR\nTI  - x\nER  - \n", b"PMID- 1\n", b"PMID- 1\nTI  - a\n\n",
             b"FN Clarivate Analytics Web of Science\nPT J\n", b"PT J\nTI x\nER\n", b"@article{k,\n title = {",
             b"@article{k, title={x}}\n", b"title,abstract\n", b"EID,Source title,Title\n",
             b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"Title\tAuthors\n"]
_TEXT = st.text(alphabet=st.sampled_from(list("TYERPMIDAU -\n\t ,;\"{}@=\\\r\x00x1é")), max_size=200)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(_PREFIXES), body=st.one_of(st.binary(max_size=300), _TEXT.map(str.encode)),
       suffix=st.sampled_from([".ris", ".txt", ".bib", ".csv", ".xlsx", ".nbib", ""]))
def test_any_bytes_give_records_or_input_error(prefix, body, suffix):
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"export{suffix}"
        path.write_bytes(prefix + body)
        try:
            records = read_export(path)
        except InputError as error:
            assert str(path) in str(error)
            return
        assert isinstance(records, list)
        for record in records:
            assert list(record) == FIELDS
            assert isinstance(record["authors"], list) and isinstance(record["keywords"], list)
            assert record["year"] is None or isinstance(record["year"], int)

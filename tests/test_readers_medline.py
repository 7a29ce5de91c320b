"""PubMed MEDLINE reader (.nbib and PubMed-format .txt)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evsynth.errors import InputError
from evsynth.readers import detect_format, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def test_nbib_fields():
    first, second = read_export(FIXTURES / "pubmed.nbib")
    assert first["source_id"] == first["pmid"] == "31234567"
    # TI continues on a line indented by six spaces.
    assert first["title"] == ("Peer support workers in community mental health teams: "
                              "a qualitative study of role clarity.")
    assert first["abstract"].startswith("BACKGROUND: Peer support workers (PSWs) are increasingly employed "
                                        "in community mental health teams. METHODS:")
    assert first["abstract"].endswith("RESULTS: Role clarity was the main influence on implementation.")
    assert first["authors"] == ["Okafor, Chinwe A", "Lindqvist, Bjorn", "Reyes-Garcia, Maria"]  # FAU
    assert first["year"] == 2019  # DP  - 2019 Apr 15
    assert first["journal"] == "BMC psychiatry"  # JT
    assert first["journal_abbrev"] == "BMC Psychiatry"  # TA
    assert (first["volume"], first["issue"], first["pages"]) == ("19", "1", "112")
    assert first["doi"] == "10.5555/s12888-019-2101-5"  # LID ... [doi]
    assert first["issn"] == "1471-244X"  # electronic and linking ISSN are the same
    assert first["language"] == "eng"
    assert first["publication_type"] == "Journal Article; Research Support, Non-U.S. Gov't"
    assert first["keywords"] == ["Adult", "*Community Mental Health Services/organization & administration",
                                 "Humans", "*Peer Group", "implementation", "peer support"]  # MH then OT
    assert first["url"] is None and first["wos_ut"] is None and first["scopus_eid"] is None
    assert second["pages"] == "1231-1240"  # PG  - 1231-40
    assert second["issn"] == "1447-0349; 1445-8330"
    assert second["doi"] == "10.5555/inm.12456"
    assert second["authors"] == ["Nakamura, Hiroshi", "Byrne, Siobhan"]


def test_pubmed_txt_detected_from_content(tmp_path):
    assert detect_format(FIXTURES / "pubmed_export.txt") == "medline"
    (record,) = read_export(FIXTURES / "pubmed_export.txt")
    assert record["pmid"] == "35550001"
    assert record["title"] == "Genesungsbegleitung in der Akutpsychiatrie: eine Mixed-Methods-Studie."
    assert record["authors"] == ["Müller, Jürgen", "Schäfer, Anna-Lena"]
    assert record["doi"] == "10.5555/a-1803-1234"
    assert record["volume"] is None and record["pages"] is None  # ahead of print
    nbib_as_txt = tmp_path / "pubmed-peersuppor-set.txt"
    shutil.copy(FIXTURES / "pubmed.nbib", nbib_as_txt)
    assert detect_format(nbib_as_txt) == "medline"


def test_doi_from_aid_when_lid_is_a_pii(tmp_path):
    path = tmp_path / "x.nbib"
    path.write_text("PMID- 1\nTI  - A title.\nLID - S0001 [pii]\nAID - S0001 [pii]\nAID - 10.5555/ABC.1 [doi]\n"
                    "BTI - ignored when TI exists\n", encoding="utf-8")
    (record,) = read_export(path)
    assert record["doi"] == "10.5555/abc.1"
    assert record["title"] == "A title."


def test_book_title_and_records_without_blank_line(tmp_path):
    path = tmp_path / "books.nbib"
    path.write_text("PMID- 11\nBTI - A whole book.\nDP  - 2005\nISBN- 978-0-12-345678-9\nPMID- 12\nTI  - Next.\n",
                    encoding="utf-8")
    book, article = read_export(path)
    assert (book["pmid"], book["title"], book["year"], book["isbn"]) == ("11", "A whole book.", 2005,
                                                                         "9780123456789")
    assert (article["pmid"], article["title"]) == ("12", "Next.")


def test_line_outside_a_record(tmp_path):
    path = tmp_path / "bad.nbib"
    path.write_text("PMID- 1\nTI  - A\n\n      stray continuation\nPMID- 2\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(error.value).startswith(f"{path}, line 4: indented line outside a record")
    assert error.value.line == 4
    assert "expected PubMed MEDLINE lines" in str(error.value)

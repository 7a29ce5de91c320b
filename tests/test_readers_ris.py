"""RIS reader: Ovid, Embase, PsycINFO, EBSCO/CINAHL, Scopus and Web of Science flavours."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rispy

from evsynth.errors import InputError
from evsynth.readers import detect_format, read_export, ris
from evsynth.readers.text import read_text
from evsynth.records import FIELDS

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def read(name: str) -> list[dict]:
    records = read_export(FIXTURES / name)
    for record in records:
        assert list(record) == FIELDS
    return records


def test_ovid_medline_crlf():
    first, second = read("ovid_medline_crlf.ris")
    assert first["source_id"] == "31234567"
    assert first["pmid"] == "31234567"  # AN of an Ovid MEDLINE database is the PMID
    assert first["title"] == ("Peer support workers in community mental health teams: "
                              "a qualitative study of role clarity.")
    assert first["authors"] == ["Okafor, Chinwe A", "Lindqvist, Bjorn", "Reyes-Garcia, Maria"]
    assert first["year"] == 2019  # Y1  - 2019//
    # N2 continues over three lines (continuation lines without a tag).
    assert first["abstract"] == (
        "BACKGROUND: Peer support workers (PSWs) are increasingly employed in community mental health "
        "teams. METHODS: We interviewed 24 PSWs and 18 managers. RESULTS: Role clarity was the main "
        "influence on implementation.")
    assert first["journal"] == "BMC psychiatry"
    assert first["journal_abbrev"] == "BMC Psychiatry"
    assert (first["volume"], first["issue"], first["pages"]) == ("19", "1", "112")
    assert first["doi"] == "10.5555/s12888-019-2101-5"  # from the dx.doi.org UR line
    assert first["url"].startswith("http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference")
    assert first["issn"] == "1471-244X"
    assert "*Peer Group" in first["keywords"]
    assert first["publication_type"] == "JOUR"
    assert first["wos_ut"] is None and first["scopus_eid"] is None
    assert second["pages"] == "1231-1240"  # SP 1231, EP 40
    assert second["issn"] == "1447-0349; 1445-8330"
    assert second["doi"] is None


def test_ovid_embase_ti_at_the_end_and_doi_url():
    first, second = read("ovid_embase.ris")
    assert first["source_id"] == "2031394640"  # the empty ID line does not count
    assert first["pmid"] is None  # Embase accession numbers are not PMIDs
    assert first["title"] == ("Integrating peer specialists into assertive community treatment: "
                              "a mixed-methods evaluation")
    assert first["authors"] == ["Mendes, Ana Paula", "Walker, T."]
    assert first["abstract"] == ("Objective: To describe how peer specialists were integrated into "
                                 "assertive community treatment teams.")
    assert first["doi"] == "10.5555/appi.ps.2020.00123"
    assert first["journal"] == "Psychiatric Services"
    assert first["journal_abbrev"] == "Psychiatr. Serv."
    assert (first["volume"], first["issue"], first["pages"]) == ("71", "8", "845-852")
    assert first["issn"] == "1075-2730; 1557-9700"
    assert first["language"] == "English"
    assert first["publication_type"] == "Journal: Article"
    assert second["publication_type"] == "Conference Abstract"
    assert (second["issue"], second["pages"], second["year"]) == ("Supplement 1", "S112", 2019)


def test_ovid_psycinfo_latin1_and_doi_in_m3():
    (record,) = read("ovid_psycinfo_latin1.ris")
    assert record["title"] == "Gestältete Genesungsbegleitung: Erfahrungen aus München."
    assert record["authors"] == ["Müller, Jürgen", "François, Élodie"]
    assert record["abstract"] == "Peer support («Genesungsbegleitung») was evaluated in 5 clinics – a summary."
    assert record["year"] == 2016  # Y1  - 2016///
    assert record["doi"] == "10.5555/s-0035-1552698"  # M3 carries the DOI in Ovid exports
    assert record["publication_type"] == "Journal Article"  # M3 was a DOI, so PT
    assert record["source_id"] == "2016-12345-001"
    assert record["language"] == "German"
    assert record["pages"] == "260-266"


def test_ebsco_cinahl_and_psycinfo_with_bom():
    cinahl, psycinfo = read("ebsco_cinahl.ris")
    assert cinahl["source_id"] == "112345678"  # no AN line: "Accession Number:" in N1
    assert cinahl["title"] == ("Organisational culture and the implementation of peer support work: "
                               "a realist review.")
    assert cinahl["authors"] == ["Thompson, Rachel", "O'Neill, Padraig"]
    assert cinahl["year"] == 2016  # Y1  - 2016/03//Mar2016
    assert cinahl["journal"] == "Journal of Psychiatric & Mental Health Nursing"
    assert (cinahl["volume"], cinahl["issue"], cinahl["pages"]) == ("23", "2", "101-112")
    assert cinahl["doi"] == "10.5555/jpm.12290"
    assert cinahl["abstract"] == "Accessible summary: Peer support workers draw on lived experience."
    assert cinahl["keywords"] == ["Peer Counseling", "Organizational Culture", "Mental Health Services"]
    assert psycinfo["source_id"] == "2017-25543-007"
    assert psycinfo["authors"] == ["Álvarez, Lucía"]
    assert psycinfo["issn"] == "1095-158X; 1559-3126"
    assert psycinfo["pmid"] is None


def test_scopus_ris():
    article, chapter = read("scopus.ris")
    assert article["source_id"] is None  # Scopus RIS has no ID/AN: the caller numbers it
    assert article["scopus_eid"] == "2-s2.0-85064512345"  # from the UR link
    assert article["pmid"] == "31234567"  # C2 of a Scopus record
    assert article["title"].startswith("Peer support workers in community mental health teams")
    assert article["authors"] == ["Okafor, C.A.", "Lindqvist, B.", "Reyes-Garcia, M."]
    assert article["journal"] == "BMC Psychiatry"  # T2
    assert article["journal_abbrev"] == "BMC Psychiatry"  # J2
    assert article["pages"] == "112"  # C7 article number
    assert article["issn"] == "1471-244X"  # written 1471244X
    assert article["doi"] == "10.5555/s12888-019-2101-5"
    assert article["publication_type"] == "Article"
    assert article["keywords"][:2] == ["implementation", "peer support"]
    assert chapter["isbn"] == "9783030123456; 9783030123463"
    assert chapter["issn"] is None
    assert chapter["pages"] == "55-71"
    assert chapter["publication_type"] == "Book Chapter"


def test_wos_ris():
    first, second = read("wos.ris")
    assert first["source_id"] == "WOS:000512345600003"
    assert first["wos_ut"] == "WOS:000512345600003"
    assert first["journal"] == "JOURNAL OF MENTAL HEALTH"
    assert first["journal_abbrev"] == "J. Ment. Health"
    assert first["year"] == 2020  # PY wins over DA "OCT 2"
    assert first["pages"] == "512-519"
    assert first["issn"] == "0963-8237; 1360-0567"
    assert second["pages"] == "733"  # no SP: the article number
    assert second["doi"] == "10.5555/s12913-021-06745-2"


def test_ris_detected_from_content_whatever_the_name(tmp_path):
    target = tmp_path / "export.txt"
    shutil.copy(FIXTURES / "ovid_embase.ris", target)
    assert detect_format(target) == "ris"
    assert [r["source_id"] for r in read_export(target)] == ["2031394640", "631876543"]


def _rispy_tags(text: str) -> list[dict[str, list[str]]]:
    """rispy's own reading of the file, every tag raw (its parse_line grammar)."""

    class Raw(dict):
        def __missing__(self, key):
            return key

    entries = rispy.loads(text, mapping=Raw(), list_tags=[], delimiter_tags_mapping={},
                          enforce_list_tags=False)
    out = []
    for entry in entries:
        out.append({tag: [" ".join(v.split()) for v in (value if isinstance(value, list) else [value])]
                    for tag, value in entry.items()})
    return out


@pytest.mark.parametrize("name", ["ovid_medline_crlf.ris", "ovid_embase.ris", "ovid_psycinfo_latin1.ris",
                                  "ebsco_cinahl.ris", "scopus.ris", "wos.ris"])
def test_tokenizer_agrees_with_rispy(name):
    text = read_text(FIXTURES / name)
    ours = [{tag: [" ".join(v.split()) for v in values] for tag, values in record.items()}
            for record in ris.tokenize(text, name)]
    assert ours == _rispy_tags(text)


def test_record_without_er_at_the_end_names_its_first_line(tmp_path):
    path = tmp_path / "cut.ris"
    path.write_text("TY  - JOUR\nTI  - One\nER  - \n\nTY  - JOUR\nTI  - Two\nPY  - 2020\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    message = str(error.value)
    assert "cut.ris" in message and "line 5" in message and "no 'ER' line" in message
    assert "expected records that start with 'TY  - ' and end with 'ER  - '" in message
    assert error.value.line == 5


def test_record_without_er_before_the_next_record(tmp_path):
    path = tmp_path / "merged.ris"
    path.write_text("TY  - JOUR\nTI  - One\n\nTY  - JOUR\nTI  - Two\nER  - \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"merged\.ris, line 1: the record starting at line 1 has no 'ER' "
                                         r"line before the next record starts at line 4"):
        read_export(path)


def test_tag_outside_a_record(tmp_path):
    path = tmp_path / "stray.ris"
    path.write_text("TY  - JOUR\nTI  - One\nER  - \nAU  - Lost, A\nTY  - JOUR\nTI  - Two\nER  - \n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"stray\.ris, line 4: tag 'AU' outside a record; expected 'TY  - '"):
        read_export(path)


def test_ris_without_records(tmp_path):
    path = tmp_path / "none.ris"
    path.write_text("Provider: Example\nContent: text/plain\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"none\.ris: no RIS records found; expected records that start"):
        read_export(path, fmt="ris")

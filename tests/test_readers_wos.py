"""Web of Science plain-text reader (savedrecs.txt)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evsynth.errors import InputError
from evsynth.readers import detect_format, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def test_savedrecs_fields():
    article, second, chapter = read_export(FIXTURES / "savedrecs.txt")
    assert article["source_id"] == article["wos_ut"] == "WOS:000512345600003"
    assert article["title"] == "Peer workers' experiences of stigma within multidisciplinary mental health teams"
    assert article["authors"] == ["Byrne, Siobhan", "Nakamura, Hiroshi"]  # AF, one per line
    assert article["abstract"] == ("Background Peer workers report stigma from colleagues. Aims To explore "
                                   "how stigma shapes peer work.")
    assert article["year"] == 2020
    assert article["journal"] == "JOURNAL OF MENTAL HEALTH"
    assert article["journal_abbrev"] == "J. Ment. Health"
    assert (article["volume"], article["issue"], article["pages"]) == ("29", "5", "512-519")
    assert article["doi"] == "10.5555/09638237.2019.1581342"
    assert article["pmid"] == "30912345"
    assert article["issn"] == "0963-8237; 1360-0567"  # SN and EI
    assert article["language"] == "English"
    assert article["publication_type"] == "Article"
    # DE then ID (Keywords Plus), the ID value wrapped onto a continuation line.
    assert article["keywords"] == ["peer support", "stigma", "multidisciplinary teams", "qualitative",
                                   "MENTAL-ILLNESS", "RECOVERY", "SERVICE USERS", "EMPLOYMENT", "WORKFORCE",
                                   "INTEGRATION"]
    assert second["pages"] == "733"  # AR: article number
    assert second["authors"] == ["Haddad, Omar"]
    assert chapter["isbn"] == "9783030123456"
    assert chapter["publication_type"] == "Article; Book Chapter"
    assert chapter["volume"] is None and chapter["issn"] is None


def test_detected_without_header_and_under_another_name(tmp_path):
    text = (FIXTURES / "savedrecs.txt").read_text(encoding="utf-8-sig")
    body = text.split("VR 1.0\n", 1)[1]
    path = tmp_path / "records.csv"
    path.write_text(body, encoding="utf-8")
    assert detect_format(path) == "wos"
    assert len(read_export(path)) == 3
    copy = tmp_path / "wos_export.dat"
    shutil.copy(FIXTURES / "savedrecs.txt", copy)
    assert detect_format(copy) == "wos"


def test_record_without_er_names_its_first_line(tmp_path):
    path = tmp_path / "savedrecs.txt"
    path.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\nPT J\nTI One\nER\n\nPT J\nTI Two\nPY 2020\n\nEF\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(error.value) == ("savedrecs.txt, line 7: the record starting at line 7 has no 'ER' line before "
                                "the end of the file ('EF'); expected Web of Science records that start with "
                                "'PT ' and end with 'ER'").replace("savedrecs.txt", str(path))


def test_tag_outside_a_record(tmp_path):
    path = tmp_path / "savedrecs.txt"
    path.write_text("FN Clarivate Analytics Web of Science\nVR 1.0\nTI Orphan title\nPT J\nTI One\nER\nEF\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"line 3: tag 'TI' outside a record; expected 'PT ' before it"):
        read_export(path)

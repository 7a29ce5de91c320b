"""Bytes to text: encodings, line endings, empty and binary files."""

from __future__ import annotations

from pathlib import Path

import pytest

from evsynth.errors import InputError
from evsynth.readers import read_export
from evsynth.readers.text import decode_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
RIS = "TY  - JOUR\nTI  - Genesungsbegleitung in München – ein Überblick\nAU  - Müller, Jürgen\nPY  - 2016\nER  - \n"


@pytest.mark.parametrize(("name", "data"), [
    ("utf8", RIS.encode("utf-8")),
    ("utf8-bom", b"\xef\xbb\xbf" + RIS.encode("utf-8")),
    ("utf16-le-bom", b"\xff\xfe" + RIS.encode("utf-16-le")),
    ("utf16-be-bom", b"\xfe\xff" + RIS.encode("utf-16-be")),
    ("utf16-le-no-bom", RIS.encode("utf-16-le")),
    ("cp1252", RIS.encode("cp1252")),
    ("crlf", RIS.replace("\n", "\r\n").encode("utf-8")),
    ("cr", RIS.replace("\n", "\r").encode("utf-8")),
])
def test_encodings_and_line_endings(tmp_path, name, data):
    path = tmp_path / f"{name}.ris"
    path.write_bytes(data)
    (record,) = read_export(path)
    assert record["title"] == "Genesungsbegleitung in München – ein Überblick"
    assert record["authors"] == ["Müller, Jürgen"]
    assert record["year"] == 2016


def test_latin1_bytes_are_windows_1252():
    assert decode_bytes(b"caf\xe9 \x93quoted\x94 \x96 dash", "x") == "café “quoted” – dash"


def test_mixed_file_keeps_its_utf8_parts():
    data = "Müller ".encode("utf-8") + "Müller".encode("latin-1")
    assert decode_bytes(data, "x") == "Müller Müller"


def test_concatenated_exports_lose_inner_boms():
    text = decode_bytes(b"\xef\xbb\xbfTY  - JOUR\nER  - \n\xef\xbb\xbfTY  - JOUR\nER  - \n", "x")
    assert "\ufeff" not in text


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_line_endings_inner_boms_and_the_dos_end_mark_go_in_either_encoding(encoding):
    # UTF-8 is searched for them as bytes, UTF-16 as text: the same text either way
    data = "TY  - JOUR\r\nTI  - Caf\u00e9\r\nER  - \r\n\ufeffTY  - JOUR\rER  - \r\n\x1a".encode(encoding)
    assert decode_bytes(data, "x") == "TY  - JOUR\nTI  - Caf\u00e9\nER  - \nTY  - JOUR\nER  - \n"


def test_a_nul_character_in_utf16_text_is_binary():
    with pytest.raises(InputError, match="NUL characters in the decoded text"):
        decode_bytes("TY  - JOUR\x00\nER  - \n".encode("utf-16"), "x")


def test_fixture_encodings_are_what_the_tests_claim():
    assert (FIXTURES / "ebsco_cinahl.ris").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (FIXTURES / "savedrecs.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (FIXTURES / "scopus.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (FIXTURES / "wos_tab_utf16.txt").read_bytes().startswith(b"\xff\xfe")
    assert b"\r\n" in (FIXTURES / "ovid_medline_crlf.ris").read_bytes()
    latin1 = (FIXTURES / "ovid_psycinfo_latin1.ris").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        latin1.decode("utf-8")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t "])
def test_empty_file(tmp_path, data):
    path = tmp_path / "empty.ris"
    path.write_bytes(data)
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(error.value).startswith(f"{path}: the file is empty")
    assert "expected a search export with at least one record" in str(error.value)


@pytest.mark.parametrize(("data", "what"), [
    (b"TY  - JOUR\x00\x01\x02\x03binary", "NUL byte at offset 10"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
    (bytes(range(1, 32)) * 20, "control characters"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "old-style .xls"),
])
def test_binary_file(tmp_path, data, what):
    path = tmp_path / "export.ris"
    path.write_bytes(data)
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(path) in str(error.value)
    assert what in str(error.value)
    if what != "old-style .xls":
        assert "binary file" in str(error.value)

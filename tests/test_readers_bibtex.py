"""BibTeX reader (bibtexparser v2): Scopus, Web of Science and reference-manager exports."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
import pytest

from evsynth.errors import InputError
from evsynth.readers import detect_format, read_export
from evsynth.readers import bibtex
from evsynth.readers.bibtex import latex_to_unicode, split_authors
from evsynth.readers.text import read_text

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def test_scopus_bibtex():
    article, conference = read_export(FIXTURES / "scopus.bib")
    assert article["source_id"] == "Okafor2019"
    assert article["title"] == ("Peer support workers in community mental health teams: "
                                "A qualitative study of role clarity")
    assert article["authors"] == ["Okafor, C.A.", "Lindqvist, B.", "Reyes-Garcia, M."]
    assert article["year"] == 2019
    assert article["journal"] == "BMC Psychiatry"
    assert article["journal_abbrev"] == "BMC Psychiatry"
    assert (article["volume"], article["issue"], article["pages"]) == ("19", "1", "112")  # art_number
    assert article["doi"] == "10.5555/s12888-019-2101-5"
    assert article["pmid"] == "31234567"  # pubmed_id
    assert article["scopus_eid"] == "2-s2.0-85064512345"  # from the url
    assert article["issn"] == "1471-244X"
    assert article["publication_type"] == "Article"  # document_type
    # author_keywords, then keywords (Scopus' index keywords)
    assert article["keywords"] == ["implementation", "peer support", "qualitative research", "adult", "article"]
    assert conference["pages"] == "S112-S113"
    assert conference["title"] == "Pair-aidance en psychiatrie: Retour d'expérience"
    assert conference["issn"] == "0924-9338"


def test_wos_bibtex_double_braces_and_unique_id():
    first, second = read_export(FIXTURES / "wos.bib")
    assert first["source_id"] == "WOS:000512345600003"  # '@article{ WOS:...' with a space
    assert first["wos_ut"] == "WOS:000512345600003"
    assert first["title"] == "Peer workers' experiences of stigma within multidisciplinary mental health teams"
    assert first["authors"] == ["Byrne, Siobhan", "Nakamura, Hiroshi"]
    assert first["journal"] == "JOURNAL OF MENTAL HEALTH"
    assert first["journal_abbrev"] == "J. Ment. Health"  # Journal-ISO
    assert (first["year"], first["volume"], first["issue"], first["pages"]) == (2020, "29", "5", "512-519")
    assert first["issn"] == "0963-8237; 1360-0567"
    assert first["keywords"] == ["peer support", "stigma", "multidisciplinary teams", "qualitative",
                                 "MENTAL-ILLNESS", "RECOVERY", "SERVICE USERS"]
    assert first["abstract"] == "Background Peer workers report stigma from colleagues."
    assert second["pages"] == "733"  # Article-Number
    assert second["doi"] == "10.5555/s12913-021-06745-2"


def test_latex_accents_names_and_string_macros():
    first, second = read_export(FIXTURES / "zotero_latex.bib")
    assert first["title"] == "Gestältete Genesungsbegleitung: Erfahrungen aus München"
    assert first["authors"] == ["Müller, Jürgen", "François, Élodie"]  # "and others" dropped
    assert first["doi"] == "10.5555/s-0035-1552698"  # https://doi.org/ prefix removed, lower case
    assert first["pages"] == "260-266"  # 260--266
    assert first["keywords"] == ["peer support", "recovery", "Genesungsbegleitung"]
    assert first["publication_type"] == "article"
    assert second["authors"] == ["García, José", "World Health Organization"]  # braced name kept whole
    assert second["title"] == "Peer support & recovery: a review of Østergaard's model – 2nd ed."
    assert second["journal"] == "Journal of Mental Health Supplement"  # @string jmh # " Supplement"
    assert second["year"] == 2020


@pytest.mark.parametrize(("latex", "text"), [
    (r'{\"u}ber', "über"), (r'\"{u}', "ü"), (r"\'e", "é"), (r"\c{c}", "ç"), (r"\v s", "š"),
    (r"{\ss}", "ß"), (r"{\o}", "ø"), (r"\AA{}ngstr{\"o}m", "Ångström"), (r"\~{n}", "ñ"), (r"\i", "ı"),
    (r"\'{\i}", "í"), (r"50\% \& more", "50% & more"), (r"\textit{in vivo}", "in vivo"),
    (r"$\alpha$-synuclein", "α-synuclein"), ("plain text", "plain text"),
])
def test_latex_to_unicode(latex, text):
    assert latex_to_unicode(latex) == text


def test_authors_split_on_and_outside_braces():
    assert split_authors("Smith, J. and {Barnes and Noble} and Doe, A. AND Roe, B.") == [
        "Smith, J.", "Barnes and Noble", "Doe, A.", "Roe, B."]


def test_unbalanced_braces_name_the_entry_line(tmp_path):
    path = tmp_path / "broken.bib"
    path.write_text("@article{ok1,\n  title = {Fine},\n  year = {2018}\n}\n\n"
                    "@article{bad2,\n  title = {Unbalanced {braces},\n  year = {2019}\n}\n\n"
                    "@article{ok3, title = {Fine too}}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    message = str(error.value)
    assert message.startswith(f"{path}, line 6: unbalanced braces or quotes in the entry starting here")
    assert "expected BibTeX entries like" in message and "balanced braces" in message
    assert error.value.line == 6


def test_missing_comma_names_the_field(tmp_path):
    path = tmp_path / "comma.bib"
    path.write_text("@article{k,\n  title = {A title}\n  year = {2019}\n}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    assert str(error.value) == (f"{path}, line 2, field 'title': the value of field 'title' in entry 'k' runs into "
                                "the next field; expected a comma after each field value, e.g. 'title = {...},'")


def test_duplicate_keys_are_still_records(tmp_path):
    path = tmp_path / "dupes.bib"
    path.write_text("@article{same, title={First}, year={2018}}\n@article{same, title={Second}, year={2019}}\n"
                    "@article{f, title={Twice}, title={Again}, year={2020}}\n", encoding="utf-8")
    records = read_export(path)
    assert [(r["source_id"], r["title"], r["year"]) for r in records] == [
        ("same", "First", 2018), ("same", "Second", 2019), ("f", "Twice", 2020)]


def test_detection_after_a_preamble(tmp_path):
    assert detect_format(FIXTURES / "scopus.bib") == "bibtex"  # starts "Scopus\nEXPORT DATE: ..."
    path = tmp_path / "export.txt"
    path.write_text("This file was created with JabRef 2.10.\nEncoding: UTF8\n\n@Article{a, title={T}}\n",
                    encoding="utf-8")
    assert detect_format(path) == "bibtex"
    assert read_export(path)[0]["title"] == "T"


def test_bibtex_without_entries(tmp_path):
    path = tmp_path / "empty.bib"
    path.write_text("% nothing here\n@comment{just a comment}\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"empty\.bib: no BibTeX entries found; expected BibTeX entries"):
        read_export(path)


EXPORTS = Path(__file__).parents[2] / "shared" / "benchmarks" / "exports" / "files"


def _whole_file_through_bibtexparser(path: Path) -> list[dict]:
    """The records as bibtexparser alone splits the file (the reader before its fast splitter)."""
    text = read_text(path)
    library = bibtexparser.parse_string(text)
    macros = {string.key.lower(): str(string.value) for string in library.strings}
    return bibtex._library_records(path, library, text, 0, macros, None)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.bib")) + sorted(EXPORTS.glob("*.bib"))
                         + [Path(__file__).parents[1] / "data" / "raw" / "searches" / "proquest.bib"],
                         ids=lambda path: path.name)
def test_fast_splitter_agrees_with_bibtexparser(path):
    assert bibtex.parse(read_text(path), path) == _whole_file_through_bibtexparser(path)


def test_unusual_entries_go_to_bibtexparser(tmp_path):
    """Parentheses, # concatenations, @string macros and deep braces are split by bibtexparser."""
    path = tmp_path / "unusual.bib"
    path.write_text('@string{jmh = "J. Ment. Health"}\n'
                    '@article(paren, title = {In parentheses}, year = 2001)\n'
                    '@article{cat, title = {Concatenated}, journal = jmh # " Suppl", year = {2002}}\n'
                    '@article{deep, title = {{{{{Five}}}} levels}, journal = jmh, year = {2003}}\n'
                    '@comment{ignored @article{not, title = {an entry}} }\n'
                    '@article{plain, title = {Plain}, year = {2004}}\n', encoding="utf-8")
    records = read_export(path)
    assert [(r["source_id"], r["title"], r["journal"], r["year"]) for r in records] == [
        ("paren", "In parentheses", None, 2001), ("cat", "Concatenated", "J. Ment. Health Suppl", 2002),
        ("deep", "Five levels", "J. Ment. Health", 2003), ("plain", "Plain", None, 2004)]
    assert records == _whole_file_through_bibtexparser(path)


def test_a_large_file_read_in_two_processes_gives_the_same_records(monkeypatch):
    path = EXPORTS / "asysd__zotero_export.bib"
    text = read_text(path)
    one_process = bibtex.parse(text, path)
    monkeypatch.setattr(bibtex, "PARALLEL_BYTES", 100_000)
    assert bibtex.parse(text, path) == one_process
    assert len(one_process) == 1000


def test_a_broken_entry_in_the_second_half_names_its_line_in_the_file(monkeypatch, tmp_path):
    path = tmp_path / "large.bib"
    entries = [f"@article{{k{i},\n  title = {{Title {i}}},\n  year = {{2019}}\n}}\n" for i in range(400)]
    entries[300] = "@article{bad300,\n  title = {Unbalanced {braces},\n  year = {2019}\n}\n"
    path.write_text("".join(entries), encoding="utf-8")
    monkeypatch.setattr(bibtex, "PARALLEL_BYTES", 1_000)
    broken: list[InputError] = []
    records = bibtex.parse(read_text(path), path, broken=broken)
    assert len(records) == 399 and [error.line for error in broken] == [1201]  # 300 entries of 4 lines above
    with pytest.raises(InputError, match=r"line 1201: unbalanced braces .*bad300"):
        bibtex.parse(read_text(path), path)

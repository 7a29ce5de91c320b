"""What reviewers really export: one test per pattern the readers once lost or refused.

Each fixture in tests/fixtures/exports/ is written in the layout of the named tool's export; its
README says which real sample (repository, path) or documentation the layout follows. The
records themselves are synthetic (no real abstract is copied).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from evsynth.errors import InputError
from evsynth.readers import detect_format, read_export

FIXTURES = Path(__file__).parent / "fixtures" / "exports"


def read(name: str) -> list[dict]:
    return read_export(FIXTURES / name)


# --- refused whole files ---------------------------------------------------------------------


def test_ovid_psycinfo_nl_lines_after_er_and_no_pagination():
    """Ovid writes '1.' before TY, 'NL  - ' and link lines after ER (asreview tests/demo_data/ovid_psycinfo.ris)."""
    first, second = read("ovid_psycinfo_nl.ris")
    assert first["title"].startswith("Peer workers and self-criticism")
    assert first["pages"] is None  # SP "No", EP "Specified": Ovid's "No Pagination Specified"
    assert second["pages"] == "847-856"
    assert first["publication_type"] == second["publication_type"] == "JOUR"  # M3 is the PsycINFO classification
    assert first["doi"] == "10.5555/cpp.2398"
    assert first["authors"] == ["Okafor, Chinwe A", "Lindqvist, Birgitta", "Okafor, Chinwe A"]  # repeated: kept


def test_a_record_that_lost_its_ty_line_still_stops_the_read(tmp_path):
    path = tmp_path / "lost.ris"
    path.write_text("TY  - JOUR\nTI  - One\nER  - \nNL  - J Abbrev\nTI  - Two\nER  - \n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lost\.ris, line 5: tag 'TI' outside a record"):
        read_export(path)


def test_embase_csv_with_a_search_query_block_above_the_header():
    """Embase.com writes 'SEARCH QUERY', the query and a blank line above the header."""
    assert detect_format(FIXTURES / "embase_search_query.csv") == "csv"
    first, second = read("embase_search_query.csv")
    assert (first["title"], first["authors"], first["year"]) == (
        "Peer support workers in community mental health teams: a qualitative study", ["Okafor C.A.", "Lindqvist B."],
        2019)
    assert (first["journal"], first["volume"], first["issue"], first["pages"]) == ("BMC Psychiatry", "19", "1",
                                                                                  "101-110")
    assert (first["pmid"], first["source_id"], first["issn"]) == ("31234567", "L2001234567", "1471-244X")
    assert second["pmid"] is None and second["source_id"] == "L2001234568"


def test_embase_xlsx_with_a_search_query_block(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["SEARCH QUERY"])
    sheet.append(["('peer support'/exp) AND [2010-2018]/py"])
    sheet.append([])
    sheet.append(["TITLE", "AUTHOR NAMES", "SOURCE TITLE", "PUBLICATION YEAR", "DOI"])
    sheet.append(["Peer support on acute wards", "Nakamura H.", "Int J Ment Health Nurs", 2018, "10.5555/inm.1"])
    path = tmp_path / "embase.xlsx"
    workbook.save(path)
    (record,) = read_export(path)
    assert (record["title"], record["authors"], record["year"], record["doi"]) == (
        "Peer support on acute wards", ["Nakamura H."], 2018, "10.5555/inm.1")


def test_an_error_below_a_preamble_names_the_files_own_row(tmp_path):
    path = tmp_path / "embase.csv"
    path.write_text("SEARCH QUERY\nquery\n\nTitle,Authors\nA title,Smith J\nB,C,D,E\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"embase\.csv, row 6: the row has 4 values but the header has 2 columns"):
        read_export(path)


def test_refworks_tab_delimited_title_primary():
    first, second = read("refworks.tsv")
    assert first["title"] == "Peer support workers in community mental health teams: a qualitative study"
    assert first["authors"] == ["Okafor, C. A.", "Lindqvist, B."]
    assert (first["journal"], first["year"], first["pages"], first["issn"]) == ("BMC Psychiatry", 2019, "101-110",
                                                                                 "1471-244X")
    assert second["isbn"] == "9780191234567" and second["pages"] == "45-60"


def test_springerlink_item_title_and_run_together_authors():
    """SpringerLink's CSV writes its authors with no separator ('Datong WeiCan Liu')."""
    first, second = read("springerlink.csv")
    assert first["title"] == "Peer support workers in community mental health teams"
    assert first["authors"] == ["Chinwe Okafor", "Birgitta Lindqvist", "Marta Reyes-Garcia"]
    assert second["authors"] == ["Ronald McDonald", "Jean-Luc LeBlanc"]  # Mc, Le: not split
    assert (first["journal"], first["volume"], first["issue"], first["doi"]) == (
        "Community Mental Health Journal", "55", "4", "10.5555/s10597-019-00001-1")


def test_broken_bibtex_entry_stops_by_default_and_is_reported_on_request(tmp_path, capsys):
    path = tmp_path / "broken.bib"
    path.write_text("@article{ok1,\n  title = {Fine},\n  year = {2018}\n}\n\n"
                    "@article{bad2,\n  title = {Unbalanced {braces},\n  year = {2019}\n}\n\n"
                    "@article{ok3, title = {Fine too}, year = {2020}}\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_export(path)
    assert error.value.line == 6 and "bad2" in str(error.value)
    broken: list[InputError] = []
    records = read_export(path, broken=broken)
    assert [record["source_id"] for record in records] == ["ok1", "ok3"]
    assert len(broken) == 1 and broken[0].line == 6 and "@article{bad2" in broken[0].problem


# --- formats ---------------------------------------------------------------------------------


def test_endnote_xml_with_style_runs():
    assert detect_format(FIXTURES / "endnote.xml") == "endnote_xml"
    article, chapter = read("endnote.xml")
    assert article["title"] == "Peer support workers in community mental health teams: a qualitative study"
    assert article["authors"] == ["Okafor, C. A.", "Lindqvist, B."]
    assert (article["year"], article["journal"], article["volume"], article["issue"], article["pages"]) == (
        2019, "BMC Psychiatry", "19", "1", "101-110")
    assert (article["doi"], article["pmid"], article["source_id"], article["issn"]) == (
        "10.5555/s12888-019-2101-5", "31234567", "17", "1471-244X")
    assert article["keywords"] == ["Peer Group", "Mental Health Services"]
    assert chapter["publication_type"] == "Book Section" and chapter["isbn"] == "9780191234567"
    assert chapter["pmid"] is None  # its accession number is a PsycINFO one


def test_endnote_xml_refuses_entities(tmp_path):
    path = tmp_path / "bomb.xml"
    path.write_text('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaa">]><xml><records><record>'
                    "<titles><title>&a;</title></titles></record></records></xml>", encoding="utf-8")
    with pytest.raises(InputError, match=r"bomb\.xml: the XML declares a DTD"):
        read_export(path)


def test_endnote_tagged_records_starting_with_t():
    """The AIS eLibrary's export starts a record with %T (colrev tests/3_search_sources/data/ais_enl.txt)."""
    assert detect_format(FIXTURES / "ais_endnote.enl") == "endnote"
    first, toc, third = read("ais_endnote.enl")
    assert first["authors"] == ["Okafor, Chinwe", "Lindqvist, Birgitta"]
    assert (first["journal"], first["year"], first["volume"], first["issue"], first["pages"]) == (
        "Management Information Systems Quarterly", 2021, "45", "3", "1309-1348")
    assert first["abstract"].endswith("which continues on a second line.")
    assert toc["pages"] == "i-ii" and toc["authors"] == []
    assert (third["doi"], third["issn"], third["keywords"]) == ("10.5555/s12888-019-2101-5", "1471-244X",
                                                               ["peer support", "implementation"])


def test_proquest_text():
    """Layout of ProQuest's 'Save > Text' (a newspaper export: sjkiss/importProquest inst/extdata/spectator.txt)."""
    assert detect_format(FIXTURES / "proquest.txt") == "proquest"
    article, short = read("proquest.txt")
    assert article["title"] == "Peer support workers in community mental health teams: a qualitative study"
    assert article["abstract"].endswith("Results: it has a colon inside.")  # not a label of its own
    assert article["authors"] == ["Okafor, Chinwe A", "Lindqvist, Birgitta"]
    assert (article["journal"], article["volume"], article["issue"], article["pages"], article["year"]) == (
        "BMC Psychiatry", "19", "1", "101-110", 2019)  # "; London" is the place of publication
    assert (article["doi"], article["source_id"], article["issn"]) == ("10.5555/s12888-019-2101-5", "2230000001",
                                                                       "1471-244X")
    assert short["abstract"] is None  # "None available."
    assert (short["journal"], short["volume"], short["issue"], short["pages"], short["year"]) == (
        "Journal of Psychiatric Nursing", "27", "3", "900-909", 2018)  # from "Publication info"


def test_wos_tab_delimited_quotes_and_page_count():
    """Tab-delimited: no quoting (a title may start with a double quote), PG is the page count."""
    assert detect_format(FIXTURES / "wos_tab_quotes.txt") == "wos_tab"
    first, second = read("wos_tab_quotes.txt")
    assert first["title"] == '"Nothing about us without us": peer workers in multidisciplinary teams'
    assert first["pages"] == "512-519" and second["pages"] == "733"  # BP-EP, or AR; never PG (8, 12)
    assert first["source_id"] == "WOS:000512345600009" and first["pmid"] == "30912399"


def test_wos_excel_xls():
    """Web of Science's 'Excel' export is an old .xls workbook (fixture written with xlwt 1.3.0)."""
    assert detect_format(FIXTURES / "wos_savedrecs.xls") == "xlsx"
    first, second = read("wos_savedrecs.xls")
    assert first["title"] == "Peer workers' experiences of stigma within multidisciplinary mental health teams"
    assert (first["authors"], first["year"], first["pages"], first["pmid"]) == (
        ["Byrne, Siobhan", "Nakamura, Hiroshi"], 2020, "512-519", "30912345")
    assert second["pages"] == "733" and second["source_id"] == "WOS:000612345600010"


# --- fields lost where the file is read ------------------------------------------------------


def test_ebsco_bare_doi_in_l3():
    """EBSCO (CINAHL, Academic Search) writes the DOI bare in L3 (synthesisr testdata/ASP_ris_example.ris)."""
    assert [record["doi"] for record in read("ebsco_l3_doi.ris")] == ["10.5555/j.hex.2016.06.041",
                                                                      "10.5555/08039488.2016.1242159"]


def test_csv_column_names_of_other_tools():
    cochrane, embase_only = read("cochrane_central.csv")
    assert cochrane["authors"] == ["Okafor CA", "Lindqvist B"]  # Author(s)
    assert (cochrane["journal"], cochrane["pmid"], cochrane["source_id"]) == (
        "Schizophrenia Research", "31234567", "CN-01234567")  # Source; "PUBMED 31234567"
    assert embase_only["pmid"] is None  # "EMBASE 620123456" is not a PMID
    covidence = read("covidence.csv")[0]
    assert (covidence["year"], covidence["authors"], covidence["source_id"]) == (
        2019, ["Okafor, C. A.", "Lindqvist, B."], "#12")  # "Covidence #"
    lens = read("lens.csv")[0]
    assert (lens["authors"], lens["source_id"], lens["pages"]) == (
        ["Chinwe A. Okafor", "Birgitta Lindqvist"], "000-123-456-789-01X", "101-110")
    openalex = read("openalex.csv")[0]
    assert openalex["authors"] == ["Chinwe A. Okafor", "Birgitta Lindqvist", "Marta Reyes‐Garcia"]
    assert (openalex["journal"], openalex["pmid"], openalex["doi"], openalex["issn"], openalex["pages"]) == (
        "BMC Psychiatry", "31234567", "10.5555/s12888-019-2101-5", "1471-244X", "101-110")
    ieee = read("ieee_xplore.csv")[0]  # layout of colrev tests/3_search_sources/data/ieee_csv.csv
    assert (ieee["journal"], ieee["authors"]) == ("Computer", ["Joseph Rottman", "Erran Carmel", "Mary Lacity"])
    scholar = read("publish_or_perish.csv")[0]
    assert (scholar["journal"], scholar["pages"], scholar["authors"]) == (
        "BMC Psychiatry", "101-110", ["C Okafor", "B Lindqvist", "M Reyes-Garcia"])
    cinahl = read("cinahl.csv")[0]
    assert (cinahl["issn"], cinahl["pages"], cinahl["journal"]) == ("1932-6203", "e0215000", "PLoS ONE")


def test_embase_source_packs_year_journal_volume_issue_pages():
    """asreview tests/demo_data/embase.csv (in the shared benchmarks): 'Cancer (2004) 102:4 (253-258). Date ...'."""
    from evsynth.readers.tabular import column_map, row_to_record

    columns = column_map(["Title", "Author Names", "Source"])
    record = row_to_record(["T", "Liu R., Adler D.G.",
                            "Endoscopic Ultrasound (2014) 3:3 (152-160). Date of Publication: 2014"], columns)
    assert (record["journal"], record["year"], record["volume"], record["issue"], record["pages"]) == (
        "Endoscopic Ultrasound", 2014, "3", "3", "152-160")
    assert record["authors"] == ["Liu R.", "Adler D.G."]  # every name ends with a full stop: kept
    record = row_to_record(["T", "A B.", "International Journal of Surgery Case Reports (2019) 54 (83-86)."],
                           columns)
    assert (record["journal"], record["year"], record["volume"], record["issue"], record["pages"]) == (
        "International Journal of Surgery Case Reports", 2019, "54", None, "83-86")


def test_a_source_column_naming_where_a_record_came_from_is_not_a_journal(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("id,title,journal,source\n1,A title,,Expert suggestion\n", encoding="utf-8")
    assert read_export(path)[0]["journal"] is None


def test_doi_from_a_publisher_url_without_the_page():
    assert [record["doi"] for record in read("wiley_url_doi.ris")] == ["10.5555/ajim.22183",
                                                                       "10.5555/09638237.2018.1437601"]


def test_doi_in_an_untagged_medline_aid_line():
    first, second = read("medline_ovid_aid_url.nbib")
    assert first["doi"] == "10.5555/eip.12741"  # AID - http://dx.doi.org/... (no [doi])
    assert second["doi"] == "10.5555/s12888-020-0001-1"
    assert first["authors"] == ["Okafor, Chinwe A", "Okafor, Chinwe A"]  # two authors of one name


def test_abstrackr_separator_row_and_zero_ids():
    """Abstrackr's labels export (bwallace/abstrackr-web, CsvBuilder.write_labels) writes a caption row
    before the unlabelled citations, and 0 for a missing PubMed or source id."""
    records = read("abstrackr.csv")
    assert [record["source_id"] for record in records] == ["4101", "4102", "4103"]  # (internal) id
    assert [record["pmid"] for record in records] == [None, "31234567", None]  # 0 and "none" are no PMID


def test_markup_entities_na_and_emails_are_cleaned_and_the_raw_text_kept():
    jats, plain = read("zotero_jats.ris")
    assert jats["title"] == "Peer support for Staphylococcus aureus carriers & their families"
    assert jats["title_raw"] == "Peer support for <i>Staphylococcus aureus</i> carriers &amp; their families"
    assert jats["abstract"] == "Abstract Background Carriers of H2S-producing strains <5% of cases."
    assert jats["abstract_raw"].startswith("<jats:title>Abstract</jats:title>")
    assert jats["authors"] == ["Okafor, Chinwe A.", "Okafor, Chinwe A."] and jats["authors_raw"] is None
    assert plain["abstract"] is None and plain["abstract_raw"] == "NA"
    assert plain["authors"] == ["Stillman, Andrew N.", "Lindqvist, Birgitta"]
    assert plain["authors_raw"] == ["Stillman, Andrew N. (a.stillman@example.org)",
                                    "Lindqvist, Birgitta; Email: b.lindqvist@example.org"]
    assert plain["title_raw"] is None  # nothing to clean: nothing kept twice
    ieee = read("ieee_xplore.csv")[1]
    assert ieee["abstract"] == "Solvers' sustained participation level remains low; H2O & other terms."
    assert [record["abstract"] for record in read("revtools_na.csv")] == [None, None]  # "NA" quoted or not


def test_record_id_is_computed_from_the_title_as_exported(tmp_path):
    from evsynth.ingest import read_search
    from evsynth.records import make_record_id

    frame = read_search({"database": "Zotero", "date": "2020-01-01", "file": "zotero_jats.ris"}, FIXTURES)
    raw = "Peer support for <i>Staphylococcus aureus</i> carriers &amp; their families"
    assert frame.loc[0, "record_id"] == make_record_id("Zotero", "2020-01-01", "1", raw)


def test_evsynth_ingest_skip_broken_entries_as_a_user_runs_it(tmp_path):
    import subprocess
    import sys

    import pandas as pd

    path = tmp_path / "broken.bib"
    path.write_text("@article{ok1, title = {Fine}, year = {2018}}\n"
                    "@article{bad2,\n  title = {Unbalanced {braces},\n  year = {2019}\n}\n"
                    "@article{ok3, title = {Fine too}, year = {2020}}\n", encoding="utf-8")
    evsynth = str(Path(sys.executable).with_name("evsynth"))
    stopped = subprocess.run([evsynth, "ingest", str(path), "--out", str(tmp_path / "a")], capture_output=True,
                             text=True)
    assert stopped.returncode != 0
    assert f"{path}, line 2: unbalanced braces or quotes in the entry starting here (@article{{bad2)" in stopped.stderr
    assert not (tmp_path / "a" / "records.parquet").exists()
    kept = subprocess.run([evsynth, "ingest", str(path), "--out", str(tmp_path / "b"), "--skip-broken-entries"],
                          capture_output=True, text=True)
    assert kept.returncode == 0, kept.stderr
    assert f"skipped a broken entry (not counted): {path}, line 2: unbalanced braces" in kept.stderr
    assert "2 records from 1 export(s)" in kept.stderr and "1 broken entries skipped" in kept.stderr
    assert list(pd.read_parquet(tmp_path / "b" / "records.parquet")["source_id"]) == ["ok1", "ok3"]


def test_endnote_xml_error_in_the_second_process_names_the_files_line(monkeypatch):
    from evsynth.readers import endnote_xml

    records = [f"<record><rec-number>{n}</rec-number><titles><title>Title {n} \u00e9t\u00e9</title></titles></record>\n"
               for n in range(1, 401)]
    records[300] = "<record><titles><title>Broken</titles></record>\n"  # the title is never closed
    text = '<?xml version="1.0" encoding="UTF-8"?>\n<xml><records>\n' + "".join(records) + "</records></xml>\n"
    with pytest.raises(InputError) as one_process:
        endnote_xml.parse(text, "lib.xml")
    monkeypatch.setattr(endnote_xml, "PARALLEL_BYTES", 1_000)
    with pytest.raises(InputError) as two_processes:
        endnote_xml.parse(text, "lib.xml")
    # line 1 is the declaration, line 2 the opening tags, then one record a line: record 301 on line 303
    assert one_process.value.line == two_processes.value.line == 303
    assert "Opening and ending tag mismatch: title" in str(two_processes.value)


def test_endnote_xml_read_in_two_processes_gives_the_same_records(monkeypatch):
    from evsynth.readers import endnote_xml
    from evsynth.readers.text import read_text

    path = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "exports" / "files" / \
        "asysd__mendeley_export.xml"
    text = read_text(path)
    one_process = endnote_xml.parse(text, path)
    monkeypatch.setattr(endnote_xml, "PARALLEL_BYTES", 100_000)
    assert endnote_xml.parse(text, path) == one_process and len(one_process) == 1233

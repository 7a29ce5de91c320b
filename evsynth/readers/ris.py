"""RIS exports: Ovid (MEDLINE, Embase, PsycINFO), Embase.com, EBSCOhost (CINAHL, PsycINFO,
MEDLINE), Scopus, Web of Science, ProQuest and reference managers.

A line is a tag line when it reads ``XX  - value`` with ``XX`` an upper-case letter and a letter
or digit, exactly rispy's rule (``RisParser.parse_line``); any other line continues the value of
the tag above it. rispy's own loop calls ``parse_line`` once per line, which costs about 6 s per
100,000 records here, so the file is tokenised with regular expressions implementing the same
rule (``tests/test_readers_ris.py`` checks the two agree on every fixture). Tags are kept raw,
because the flavours disagree on what a tag means:

=============  ==============================================================
field          tags, in order of preference
=============  ==============================================================
title          TI, T1 (Ovid, EBSCO, Embase.com), CT, BT
abstract       AB, N2 (Ovid, Embase.com, EBSCO)
authors        AU, A1 (Ovid, Embase.com)
year           PY, Y1 (``2016///``, ``2016/03//Mar2016``), DA
journal        JF, T2 (Scopus, WoS), JO, then the abbreviation
abbreviation   JA (Ovid), J2 (Scopus), JI/J9 (WoS), J1
pages          SP-EP (or a range in SP); Scopus/WoS article number C7
doi            DO, DI, then M3 (Ovid, Embase.com), then a doi.org URL in UR/L2/L3, then a bare DOI
               in L3 (EBSCO CINAHL and Academic Search write it there)
publication    PT (Ovid), then M3 unless it is a DOI or a classification (Ovid PsycINFO writes
type           ``Cognitive Therapy [3311]`` there), then TY
source_id      ID, AN, else ``Accession Number:`` in N1 (EBSCO)
pmid           AN of a MEDLINE/PubMed database, C2 of Scopus, ``PMID:`` in N1/C2/C5/AN
wos_ut         ``WOS:...`` in AN or UR;  scopus_eid: ``eid=2-s2.0-...`` in UR
=============  ==============================================================

Lines between one record's ``ER`` and the next ``TY`` are skipped, as rispy does: Ovid writes a
record number before ``TY`` and an ``NL`` (NLM abbreviation) line and links after ``ER``. Only
tags that carry a record's content (title, authors, abstract, year) there stop the read: they are
a record whose ``TY`` line is missing.
"""

from __future__ import annotations

import re

from evsynth.errors import InputError
from evsynth.readers.common import (
    bare_doi,
    doi_from,
    first_of,
    doi_from_url,
    issn_isbn,
    join_unique,
    name_list,
    new_record,
    pages,
    parse_year,
    pmid_from,
    scopus_eid_from,
    split_list,
    wos_ut_from,
)

EXPECTED_RECORD = "records that start with 'TY  - ' and end with 'ER  - '"

# rispy: line[2:5] == "  -" and line[:2].isupper() and line[0].isalpha(). The patterns start with
# the newline before the line (the text gets one in front), which lets the regex engine skip ahead.
_TAG = r"[A-Z][A-Z0-9]  -"
_BOUNDARY = re.compile(r"\n(TY|ER)  -")
_TAG_LINE = re.compile(r"\n" + _TAG)
# A tag line and the lines continuing it.
_FIELD = re.compile(r"\n([A-Z][A-Z0-9])  -[ \t]?([^\n]*(?:\n(?!" + _TAG + r")[^\n]*)*)")
_CLASSIFICATION = re.compile(r"\[\d{3,5}\]\s*$")  # "Cognitive Therapy [3311]" (PsycINFO classification)
_ACCESSION = re.compile(r"Accession Number:\s*([^\s;]+?)\.?(?=\s|;|$)", re.IGNORECASE)


def _line(text: str, position: int) -> int:
    """Line number of the line after the newline at ``position`` (text has a leading newline)."""
    return text.count("\n", 0, position + 1)


# Tags whose presence between records means a record lost its TY line (anything else there is
# skipped, as rispy skips it).
_CONTENT_TAGS = frozenset({"TI", "T1", "AU", "A1", "AB", "N2", "PY", "Y1"})


def _stray_tag(text: str, path: object, start: int, end: int) -> None:
    for found in _TAG_LINE.finditer(text, start, end):
        tag = text[found.start() + 1:found.start() + 3]
        if tag in _CONTENT_TAGS:
            raise InputError(path, f"tag '{tag}' outside a record", line=_line(text, found.start()),
                             expected=f"'TY  - ' before it; {EXPECTED_RECORD}")


def record_blocks(text: str, path: object) -> list[tuple[int, int]]:
    """(start, end) offsets of each record in ``text`` (which starts with a newline): from the
    newline before its TY line to the newline before its ER line."""
    blocks: list[tuple[int, int]] = []
    opened: int | None = None
    previous_end = 0
    for match in _BOUNDARY.finditer(text):
        position = match.start()
        if match.group(1) == "TY":
            if opened is not None:
                raise InputError(path, f"the record starting at line {_line(text, opened)} has no 'ER' line "
                                 f"before the next record starts at line {_line(text, position)}",
                                 line=_line(text, opened), expected=EXPECTED_RECORD)
            _stray_tag(text, path, previous_end, position)
            opened = position
        elif opened is not None:
            blocks.append((opened, position))
            opened = None
            end_of_line = text.find("\n", position + 1)
            previous_end = len(text) if end_of_line < 0 else end_of_line
    if opened is not None:
        raise InputError(path, f"the record starting at line {_line(text, opened)} has no 'ER' line "
                         "(the file ends inside it)", line=_line(text, opened), expected=EXPECTED_RECORD)
    _stray_tag(text, path, previous_end, len(text))
    return blocks


def tokenize(text: str, path: object = "<text>") -> list[dict[str, list[str]]]:
    """Each record's tags, every tag a list of its values (continuation lines joined by newlines)."""
    text = "\n" + text
    records = []
    findall = _FIELD.findall
    for start, end in record_blocks(text, path):
        tags: dict[str, list[str]] = {}
        get = tags.get
        for tag, value in findall(text, start, end):
            values = get(tag)
            if values is None:
                tags[tag] = [value]
            else:
                values.append(value)
        records.append(tags)
    return records


def to_record(tags: dict[str, list[str]]) -> dict:
    """A records row from one RIS record's raw tags."""
    get = tags.get

    def one(name: str) -> str | None:
        return first_of(get(name))

    def every(*names: str) -> list[str]:
        out: list[str] = []
        for name in names:
            values = get(name)
            if values:
                out.extend(values)
        return out

    rec = new_record()
    database = get("DB")
    database = database[0].lower() if database else ""
    accession = one("AN")
    is_scopus = "scopus" in database
    is_wos = "web of science" in database or (accession is not None and accession[:4].upper() == "WOS:")

    rec["title"] = one("TI") or one("T1") or one("CT") or one("BT")
    rec["abstract"] = one("AB") or one("N2")
    rec["authors"] = name_list(get("AU"), get("A1"))
    rec["year"] = parse_year(one("PY")) or parse_year(one("Y1")) or parse_year(one("DA"))
    abbrev = one("JA") or one("J2") or one("JI") or one("J9") or one("J1")
    rec["journal"] = one("JF") or one("T2") or one("JO") or abbrev
    rec["journal_abbrev"] = abbrev
    rec["volume"] = one("VL")
    rec["issue"] = one("IS")
    rec["pages"] = pages(one("SP"), one("EP")) or (one("C7") if is_scopus or is_wos else None)

    url_values = get("UR")
    if url_values:
        urls = [part.strip() for value in url_values for part in value.replace("\n", ";").split(";")
                if part.strip()]
    else:
        urls = []
    rec["url"] = urls[0] if urls else None
    work_type = one("M3")
    rec["doi"] = (doi_from(one("DO"), one("DI"), work_type) or doi_from_url(urls, every("L2", "L3", "LK"))
                  or bare_doi(get("L3")))

    identifier = one("ID")
    source_id = identifier or accession
    notes = get("N1")
    if source_id is None and notes:
        for note in notes:
            found = _ACCESSION.search(note)
            if found:
                source_id = found.group(1)
                break
    rec["source_id"] = source_id

    pmid = None
    if accession and ("medline" in database or "pubmed" in database):
        pmid = pmid_from(accession)
    if pmid is None and is_scopus:
        pmid = pmid_from(one("C2"))
    if pmid is None:
        for value in every("C2", "C5", "AN", "N1", "M1"):
            pmid = pmid_from(value, labelled=True)
            if pmid:
                break
    rec["pmid"] = pmid
    if is_wos or (urls and "WOS:" in " ".join(urls).upper()):
        rec["wos_ut"] = wos_ut_from(accession, *urls)
    rec["scopus_eid"] = scopus_eid_from(*urls, accession, identifier)

    rec["issn"], rec["isbn"] = issn_isbn(every("SN", "BN", "IB"))
    languages = get("LA")
    rec["language"] = join_unique(languages) if languages else None
    if work_type and (doi_from(work_type) or _CLASSIFICATION.search(work_type)):
        work_type = None
    rec["publication_type"] = one("PT") or work_type or one("TY")
    rec["keywords"] = split_list(every("KW", "DE"), ";")
    return rec


def parse(text: str, path: object = "<text>") -> list[dict]:
    """Records of a RIS export (already decoded)."""
    raw = tokenize(text, path)
    if not raw:
        raise InputError(path, "no RIS records found", expected=EXPECTED_RECORD)
    # in place: each record's raw tags are freed as soon as its row is made
    for k, tags in enumerate(raw):
        raw[k] = to_record(tags)
    return raw

"""How each database writes a record: the exports' formats and quirks, one renderer per database.

The RIS exports (Ovid's Embase and PsycINFO, EBSCOhost's CINAHL) are written by evsynth's RIS writer
(``evsynth.writers.ris.format_ris``) and ProQuest's BibTeX by evsynth's BibTeX writer
(``evsynth.writers.bibtex``); what stays here is only what a database does its own way: which tags
and fields it fills and how (``Y1  - 2016//``, ``DO  - http://dx.doi.org/...``, ``M3`` work types,
ProQuest's thesis fields). PubMed's MEDLINE format, Web of Science's plain text, the Scopus CSV
and a reviewer's own CSV of other sources are formats evsynth reads but does not write (or, for the
CSVs, column layouts of their own), so they are rendered here in full.
"""

from __future__ import annotations

import hashlib
import random
import urllib.parse

from evsynth.writers.bibtex import escape as bibtex_escape

from .common import SYNTHETIC_NOTE
from .duplicates import Variant
from .publications import Publication
from .text import ascii_fold, capitalise, title_case
from .vocabulary import Person

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
def abstract_text(abstract: list | None, style: str) -> str:
    """Structured abstracts with labels ('BACKGROUND:' in PubMed, 'Background:' elsewhere) or plain."""
    if not abstract:
        return ""
    if style == "plain" or len(abstract) == 1:
        return " ".join(text for _, text in abstract)
    if style == "upper":
        return " ".join(f"{label.upper()}: {text}" for label, text in abstract)
    return " ".join(f"{label}: {text}" for label, text in abstract)


def medline_pages(start: int, end: int) -> str:
    """MEDLINE abbreviates page ranges: 1004-1010 -> 1004-10."""
    a, b = str(start), str(end)
    if start == end:
        return a
    if len(a) == len(b):
        i = 0
        while i < len(a) - 1 and a[i] == b[i]:
            i += 1
        b = b[i:]
    return f"{a}-{b}"


def wrap(prefix: str, value: str, width: int = 82, continuation: str = " " * 6) -> list:
    """A tagged field wrapped as PubMed (six-space continuation) or WoS (three spaces) write it."""
    lines, current, first = [], prefix, True
    for word in value.split():
        if first:
            current, first = current + word, False
        elif len(current) + 1 + len(word) > width:
            lines.append(current)
            current = continuation + word
        else:
            current += " " + word
    lines.append(current)
    return lines


LANGUAGE_NAMES = {"eng": "English", "ger": "German", "dut": "Dutch", "ita": "Italian", "por": "Portuguese",
                  "jpn": "Japanese"}
WOS_CATEGORIES = {"psychiatry": "Psychiatry", "psychology": "Psychology, Multidisciplinary", "nursing": "Nursing",
                  "services": "Health Policy & Services; Psychiatry", "social": "Social Sciences, Biomedical",
                  "medicine": "Medicine, General & Internal"}


def dotted(person: Person) -> str:
    return "".join(f"{letter}." for letter in person.initials())


def medline_type(pub: Publication) -> list:
    kind = {"article": "Journal Article", "editorial": "Editorial", "letter": "Letter",
            "erratum": "Published Erratum"}[pub.kind]
    types = [kind]
    if pub.kind == "article" and "review" in pub.title.lower():
        types.append("Review")
    return types


def medline_record(pub: Publication, v: Variant, rng: random.Random, pubs_by_id: dict) -> list:
    """The lines of a PubMed MEDLINE record (.nbib): four-character tags, six-space continuations."""
    j = pub.journal_obj
    y = v.year
    lines = [f"PMID- {pub.ids['pmid']}", "OWN - NLM",
             f"STAT- {'MEDLINE' if pub.year < 2018 else 'In-Process'}"]
    if pub.year < 2018:
        lines.append(f"DCOM- {min(2018, pub.year + 1)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}")
    lines.append(f"LR  - 2018{rng.randint(1, 7):02d}{rng.randint(1, 28):02d}")
    lines += [f"IS  - {j.issn} (Print)", f"IS  - {j.issn} (Linking)"]
    if pub.volume:
        lines.append(f"VI  - {pub.volume}")
    if pub.issue:
        lines.append(f"IP  - {pub.issue}")
    day = f" {rng.randint(1, 28)}" if rng.random() < 0.3 else ""
    dp = f"{y} {MONTHS[pub.month - 1]}{day}"
    lines.append(f"DP  - {dp}")
    lines += wrap("TI  - ", v.title)
    pg = medline_pages(*pub.pages) if pub.pages else pub.article_number
    if pg:
        lines.append(f"PG  - {pg}")
    if v.doi:
        lines.append(f"LID - {v.doi} [doi]")
    if v.abstract:
        lines += wrap("AB  - ", abstract_text(v.abstract, "upper"))
    for person in v.people:
        middle = f" {person.middle}" if person.middle else ""
        lines.append(f"FAU - {person.surname}, {person.given}{middle}")
        lines.append(f"AU  - {person.surname} {person.initials()}")
    lines.append(f"LA  - {pub.language}")
    lines += [f"PT  - {t}" for t in medline_type(pub)]
    if pub.kind == "erratum":
        parent = pubs_by_id[pub.extra["parent"]]
        pages = medline_pages(*parent.pages) if parent.pages else parent.article_number
        lines.append(f"EFR - {j.nlm}. {parent.year};{parent.volume}({parent.issue}):{pages}. PMID: "
                     f"{parent.ids.get('pmid', '')}")
    lines += [f"TA  - {j.nlm}", f"JT  - {j.jt}", "SB  - IM"]
    if pub.keywords and rng.random() < 0.4:
        lines.append("OTO - NOTNLM")
        lines += [f"OT  - {k}" for k in pub.keywords]
    lines.append(f"GN  - {SYNTHETIC_NOTE}")
    stamp = f"{pub.year}/{pub.month:02d}/{rng.randint(1, 28):02d}"
    lines += [f"EDAT- {stamp} 06:00", f"MHDA- {stamp} 06:01", f"CRDT- {stamp} 06:00"]
    if v.doi:
        lines.append(f"AID - {v.doi} [doi]")
    lines.append("PST - ppublish")
    issue = f"({pub.issue})" if pub.issue else ""
    source = f"{j.nlm}. {dp};{pub.volume}{issue}:{pg}." + (f" doi: {v.doi}." if v.doi else "")
    lines += wrap("SO  - ", source)
    return lines


def ris(tag: str, value) -> tuple:
    return tag, value


def tag_entry(pairs: list) -> dict:
    """A record's (tag, value) pairs as ``format_ris`` takes them: a repeated tag's values in a list
    (a database writes a tag's lines together)."""
    entry: dict = {}
    previous = None
    for tag, value in pairs:
        if tag in entry:
            assert tag == previous, f"tag {tag} written apart from its other lines"
            if not isinstance(entry[tag], list):
                entry[tag] = [entry[tag]]
            entry[tag].append(value)
        else:
            entry[tag] = value
        previous = tag
    return entry


def embase_record(pub: Publication, v: Variant, rng: random.Random, an: str, medline_sourced: bool) -> list:
    """(tag, value) pairs of an Ovid Embase record (a MEDLINE-sourced one writes authors as MEDLINE does)."""
    j = pub.journal_obj
    kind = {"article": "Article", "conference_abstract": "Conference Abstract", "editorial": "Editorial",
            "letter": "Letter", "erratum": "Erratum"}[pub.kind]
    if kind == "Article" and "review" in pub.title.lower():
        kind = "Review"
    lines = [ris("TY", "CONF" if pub.kind == "conference_abstract" else "JOUR"), ris("DB", "Embase"),
             ris("AN", an), ris("T1", v.title)]
    for person in v.people:
        if medline_sourced:
            middle = f" {person.middle}" if person.middle else ""
            lines.append(ris("A1", f"{person.surname}, {person.given}{middle}"))
        else:
            lines.append(ris("A1", f"{person.surname} {dotted(person)}"))
    lines.append(ris("Y1", f"{v.year}//"))
    if v.abstract:
        lines.append(ris("N2", abstract_text(v.abstract, "label")))
    for keyword in pub.keywords + (["human", kind.lower()] if rng.random() < 0.5 else []):
        lines.append(ris("KW", keyword))
    full = j.full.replace(" & ", " and ") if rng.random() < 0.5 else j.full
    lines += [ris("JF", full), ris("JA", j.nlm if medline_sourced and j.nlm else j.iso),
              ris("LA", LANGUAGE_NAMES[pub.language])]
    if pub.volume:
        lines.append(ris("VL", pub.volume))
    if pub.issue:
        lines.append(ris("IS", pub.issue))
    if pub.pages:
        prefix = pub.extra.get("page_prefix", "")
        lines.append(ris("SP", f"{prefix}{pub.pages[0]}"))
        if pub.pages[1] != pub.pages[0]:
            lines.append(ris("EP", f"{prefix}{pub.pages[1]}"))
    elif pub.article_number:
        lines.append(ris("SP", pub.article_number))
    lines += [ris("SN", f"{j.issn}"), ris("M3", kind)]
    if v.doi:
        lines.append(ris("DO", f"http://dx.doi.org/{v.doi}"))
    lines.append(ris("UR", f"http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=emed{(pub.year % 100) or 18:02d}"
                           f"&NEWS=N&AN={an}"))
    note = SYNTHETIC_NOTE
    if pub.kind == "conference_abstract":
        note = f"Conference: {pub.extra['conference']}. {note}"
    lines.append(ris("N1", note))
    return lines


DAI = {"B": ("Dissertation Abstracts International: Section B: The Sciences and Engineering", "0419-4217"),
       "A": ("Dissertation Abstracts International Section A: Humanities and Social Sciences", "0419-4209")}


def psycinfo_record(pub: Publication, v: Variant, rng: random.Random) -> list:
    """(tag, value) pairs of an Ovid PsycINFO record: articles, dissertations (DAI) and chapters."""
    j = pub.journal_obj
    ty = {"article": "JOUR", "editorial": "JOUR", "letter": "JOUR", "erratum": "JOUR", "dissertation": "THES",
          "chapter": "CHAP"}[pub.kind]
    lines = [ris("TY", ty), ris("DB", "PsycINFO"), ris("AN", pub.ids["psycinfo"]), ris("T1", v.title)]
    for person in v.people:
        middle = f" {person.middle}" if person.middle else ""
        lines.append(ris("A1", f"{person.surname}, {person.given}{middle}"))
    year = pub.ids["psycinfo_year"] if pub.kind == "dissertation" else v.year
    lines.append(ris("Y1", str(year)))
    if v.abstract:
        lines.append(ris("N2", abstract_text(v.abstract, "plain")))
    for keyword in pub.keywords:
        lines.append(ris("KW", capitalise(keyword)))
    if pub.kind == "dissertation":
        section = "A" if pub.extra["degree"] in ("M.S.W.", "Ed.D.", "M.A.", "D.S.W.") else "B"
        name, issn = DAI[section]
        lines += [ris("JF", name), ris("VL", str(year - 1939)), ris("IS", f"{pub.month}-{section}(E)"),
                  ris("SN", pub.extra["isbn"] or issn), ris("M3", "Dissertation Abstract")]
    elif pub.kind == "chapter":
        lines += [ris("T2", pub.extra["book"])]
        lines += [ris("A2", f"{e.surname}, {e.given}") for e in pub.extra["editors"]]
        lines += [ris("PB", pub.extra["publisher"]), ris("CY", pub.extra["city"]),
                  ris("SP", f"{pub.pages[0]}-{pub.pages[1]}"), ris("SN", pub.extra["isbn"]), ris("M3", "Chapter")]
    else:
        lines += [ris("JF", j.full), ris("JA", j.nlm or j.iso.replace(".", ""))]
        if pub.volume:
            lines.append(ris("VL", pub.volume))
        if pub.issue:
            lines.append(ris("IS", pub.issue))
        if pub.pages:
            pages = f"{pub.pages[0]}-{pub.pages[1]}" if pub.pages[1] != pub.pages[0] else str(pub.pages[0])
            lines.append(ris("SP", pages))
        elif pub.article_number:
            lines.append(ris("SP", pub.article_number))
        lines += [ris("SN", j.issn), ris("M3", "Erratum/Correction" if pub.kind == "erratum"
                                          else "Journal; Peer Reviewed Journal")]
    if v.doi:
        lines.append(ris("DO", f"https://dx.doi.org/{v.doi}"))
    lines += [ris("UR", f"http://ovidsp.ovid.com/ovidweb.cgi?T=JS&PAGE=reference&D=psyc{rng.randint(3, 16)}"
                        f"&NEWS=N&AN={pub.ids['psycinfo']}"),
              ris("N1", SYNTHETIC_NOTE)]
    return lines


def cinahl_record(pub: Publication, v: Variant, rng: random.Random) -> list:
    """(tag, value) pairs of an EBSCOhost CINAHL record (its accession number in ID and again in N1)."""
    j = pub.journal_obj
    an = pub.ids["cinahl"]
    lines = [ris("TY", "JOUR"), ris("ID", an), ris("T1", v.title)]
    for person in v.people:
        lines.append(ris("AU", person.full(period=True)))
    lines.append(ris("Y1", f"{v.year}/{pub.month:02d}//"))
    entry = f"{min(2018, pub.year + (1 if pub.month > 9 else 0))}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    ptype = {"article": "Article", "editorial": "Editorial", "letter": "Letter", "erratum": "Erratum"}[pub.kind]
    lines.append(ris("N1", f"Accession Number: {an}. Language: {LANGUAGE_NAMES[pub.language]}. Entry Date: {entry}. "
                           f"Revision Date: 2018{rng.randint(1, 7):02d}{rng.randint(1, 28):02d}. "
                           f"Publication Type: {ptype}. {SYNTHETIC_NOTE}"))
    for keyword in pub.keywords:
        lines.append(ris("KW", title_case(keyword)))
    if v.abstract:
        lines.append(ris("N2", abstract_text(v.abstract, "label")))
    if pub.pages:
        lines.append(ris("SP", str(pub.pages[0])))
        if pub.pages[1] != pub.pages[0]:
            lines.append(ris("EP", str(pub.pages[1])))
    elif pub.article_number:
        lines.append(ris("SP", pub.article_number))
    full = j.full.replace("&", "&amp;") if "&" in j.full and rng.random() < 0.5 else j.full
    lines += [ris("JF", full), ris("JA", (j.j9 or j.iso.replace(".", "")).upper())]
    if pub.volume:
        lines.append(ris("VL", pub.volume))
    if pub.issue:
        lines.append(ris("IS", pub.issue))
    lines.append(ris("SN", j.issn))
    if pub.ids.get("pmid") and rng.random() < 0.8:
        lines.append(ris("U2", f"PMID: {pub.ids['pmid']}."))
    if v.doi:
        lines.append(ris("DO", v.doi))
    lines += [ris("UR", f"https://search.ebscohost.com/login.aspx?direct=true&db=rzh&AN={an}&site=ehost-live"),
              ris("DP", "EBSCOhost"), ris("DB", "rzh")]
    return lines


SCOPUS_COLUMNS = ["Authors", "Author(s) ID", "Title", "Year", "Source title", "Volume", "Issue", "Art. No.",
                  "Page start", "Page end", "Page count", "Cited by", "DOI", "Link", "Abstract", "Author Keywords",
                  "Index Keywords", "ISSN", "ISBN", "PubMed ID", "Language of Original Document",
                  "Abbreviated Source Title", "Document Type", "Publication Stage", "Access Type", "Source", "EID"]


def scopus_row(pub: Publication, v: Variant, rng: random.Random) -> list:
    """The cells of a Scopus CSV row (SCOPUS_COLUMNS)."""
    j = pub.journal_obj
    eid = pub.ids["scopus"]
    authors = ", ".join(f"{p.surname} {dotted(p)}" for p in v.people) or "[No author name available]"
    author_ids = "".join(f"{i};" for i in pub.ids["scopus_authors"][: len(v.people)]) or "[No author id available]"
    doc_type = {"article": "Article", "editorial": "Editorial", "letter": "Letter", "erratum": "Erratum",
                "chapter": "Book Chapter"}[pub.kind]
    if doc_type == "Article" and "review" in pub.title.lower():
        doc_type = "Review"
    if pub.kind == "chapter":
        source, abbrev, issn, isbn = pub.extra["book"], "", "", pub.extra["isbn"]
    else:
        source, abbrev, issn, isbn = j.full, j.iso, j.issn.replace("-", ""), ""
    start = end = count = ""
    if pub.pages:
        start, end = str(pub.pages[0]), str(pub.pages[1])
        count = str(pub.pages[1] - pub.pages[0] + 1)
    doi_param = f"&doi={urllib.parse.quote(v.doi.lower(), safe='')}" if v.doi else ""
    md5 = hashlib.md5(eid.encode()).hexdigest()
    link = f"https://www.scopus.com/inward/record.uri?eid={eid}{doi_param}&partnerID=40&md5={md5}"
    return [authors, author_ids, v.title, str(v.year), source, pub.volume, pub.issue, pub.article_number, start, end,
            count, str(pub.ids["cited_by"]) if pub.ids["cited_by"] else "", v.doi or "", link,
            abstract_text(v.abstract, "label") or "[No abstract available]", "; ".join(pub.keywords), "", issn, isbn,
            pub.ids.get("pmid", ""), LANGUAGE_NAMES[pub.language], abbrev, doc_type, "Final", "", "Scopus", eid]


def wos_record(pub: Publication, v: Variant, rng: random.Random) -> list:
    """The lines of a Web of Science plain-text record (savedrecs.txt)."""
    j = pub.journal_obj
    doc_type = {"article": "Article", "conference_abstract": "Meeting Abstract", "editorial": "Editorial Material",
                "letter": "Letter", "erratum": "Correction"}[pub.kind]
    if doc_type == "Article" and "review" in pub.title.lower():
        doc_type = "Review"
    lines = ["PT J"]
    people = v.people
    if people:
        lines += [("AU " if i == 0 else "   ") + f"{p.surname}, {p.initials()}" for i, p in enumerate(people)]
        lines += [("AF " if i == 0 else "   ") + p.full(period=True) for i, p in enumerate(people)]
    lines += wrap("TI ", v.title, width=80, continuation="   ")
    lines += [f"SO {ascii_fold(j.full).upper()}", f"LA {LANGUAGE_NAMES[pub.language]}", f"DT {doc_type}"]
    if pub.kind == "conference_abstract":
        lines.append(f"CT {pub.extra['conference']}")
    if pub.keywords and pub.year >= 1991:
        lines += wrap("DE ", "; ".join(pub.keywords), width=80, continuation="   ")
    if v.abstract:
        lines.append(f"AB {ascii_fold(abstract_text(v.abstract, 'label'))}")
    cited = pub.ids.get("cited_by", rng.randint(0, 40))
    lines += [f"TC {cited}", f"Z9 {cited}", f"U1 {rng.randint(0, 9)}", f"U2 {rng.randint(0, 40)}",
              f"SN {j.issn}", f"J9 {j.j9}", f"JI {j.iso}", f"PD {MONTHS[pub.month - 1].upper()}", f"PY {v.year}"]
    if pub.volume:
        lines.append(f"VL {pub.volume}")
    if pub.kind == "conference_abstract":
        lines.append("SU 1")
    elif pub.issue:
        lines.append(f"IS {pub.issue}")
    if pub.pages:
        prefix = pub.extra.get("page_prefix", "")
        lines += [f"BP {prefix}{pub.pages[0]}", f"EP {prefix}{pub.pages[1]}"]
    elif pub.article_number:
        lines.append(f"AR {pub.article_number}")
    if v.doi:
        doi = v.doi
        if rng.random() < 0.15:
            prefix, suffix = doi.split("/", 1)
            doi = f"{prefix}/{suffix.upper()}"
        lines.append(f"DI {doi}")
    if pub.pages:
        lines.append(f"PG {pub.pages[1] - pub.pages[0] + 1}")
    category = WOS_CATEGORIES[j.field]
    lines += [f"WC {category}", f"SC {category.split(';')[0].replace(', Multidisciplinary', '').replace(', General & Internal', '')}",
              f"GA {pub.ids['wos_ga']}", f"UT {pub.ids['wos']}"]
    if pub.ids.get("pmid"):
        lines.append(f"PM {pub.ids['pmid']}")
    lines += ["ER", ""]
    return lines


def proquest_entry(pub: Publication, v: Variant) -> tuple:
    """(entry type, key, fields) of a thesis as ProQuest's BibTeX export has it, for ``format_bibtex``."""
    kind = "mastersthesis" if pub.extra["degree"].startswith("M.") else "phdthesis"
    pid = pub.ids["proquest"]
    fields = [("author", " and ".join(p.full(period=True) for p in v.people)), ("title", v.title),
              ("school", pub.extra["school"]), ("year", str(v.year)), ("type", f"{pub.extra['degree']} thesis"),
              ("address", "Ann Arbor"), ("publisher", "ProQuest Dissertations & Theses"),
              ("pages", str(pub.extra["pages"]))] + ([("isbn", pub.extra["isbn"])] if pub.extra["isbn"] else [])
    if v.abstract:
        fields.append(("abstract", abstract_text(v.abstract, "plain")))
    if pub.keywords:
        fields.append(("keywords", ", ".join(pub.keywords)))
    fields += [("language", "English"), ("url", f"https://search.proquest.com/docview/{pid}"),
               ("note", SYNTHETIC_NOTE)]
    return kind, f"pq{pid}", [(name, bibtex_escape(value)) for name, value in fields]


def other_row(pub: Publication, v: Variant, rng: random.Random, record_id: str, source: str) -> list:
    """The cells of a reviewer's own list of records found elsewhere (initials, et al., DOI as URL or not)."""
    j = pub.journal_obj
    if rng.random() < 0.5:
        authors = [f"{p.surname} {p.initials()}" for p in v.people]
    else:
        authors = [f"{p.surname} {p.initials()[0]}" for p in v.people]
    if len(authors) > 3 and rng.random() < 0.3:
        authors = authors[:3] + ["et al."]
    if j is not None:
        journal = rng.choices([j.full, j.iso, j.nlm or j.iso], weights=[6, 3, 1])[0]
    elif pub.kind == "report":
        journal = pub.extra["publisher"]
    elif pub.kind == "dissertation":
        journal = pub.extra["school"]
    else:
        journal = pub.extra.get("book", "")
    doi = ""
    if v.doi:
        doi = f"https://doi.org/{v.doi}" if rng.random() < 0.5 else v.doi
    note = {"Expert suggestion": "suggested by an expert", "Reference list of included study":
            "found in a reference list", "Forward citation tracking (Scopus)": "found by citation tracking"}.get(
        source, "found by hand search")
    return [record_id, v.title, "; ".join(authors), str(v.year), journal, doi,
            abstract_text(v.abstract, "plain"), source, f"SYNTHETIC example record, {note}"]


# --------------------------------------------------------------------------------------------------
# The truth and the exports

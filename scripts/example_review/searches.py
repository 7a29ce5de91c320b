"""Searches: which database indexes and exports each publication, under which identifiers, and the
eight export files of the review's ``searches`` (``config/config.yaml``).

Every exported record is remembered with its file, position and true publication (``ExportRecord``):
that is the truth the deduplication tests compare evsynth's clusters with.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from evsynth.writers.bibtex import format_bibtex
from evsynth.writers.ris import format_ris

from .common import rng_for
from .duplicates import make_variant
from .exports import (
    SCOPUS_COLUMNS,
    cinahl_record,
    embase_record,
    medline_record,
    other_row,
    proquest_entry,
    psycinfo_record,
    scopus_row,
    tag_entry,
    wos_record,
)
from .publications import Publication

# The eight searches of config/config.yaml: (database, date, file, renderer).
SEARCHES = [
    ("MEDLINE (PubMed)", "2018-07-16", "data/raw/searches/medline_pubmed.nbib", "medline"),
    ("EMBASE (Ovid)", "2018-07-16", "data/raw/searches/embase_ovid.ris", "embase"),
    ("PsycINFO (Ovid)", "2018-07-16", "data/raw/searches/psycinfo_ovid.ris", "psycinfo"),
    ("CINAHL (EBSCO)", "2018-07-17", "data/raw/searches/cinahl_ebsco.ris", "cinahl"),
    ("Scopus", "2018-07-17", "data/raw/searches/scopus.csv", "scopus"),
    ("Web of Science", "2018-07-18", "data/raw/searches/wos_savedrecs.txt", "wos"),
    ("ProQuest Dissertations & Theses", "2018-07-18", "data/raw/searches/proquest.bib", "proquest"),
    ("Other sources", "2018-07-31", "data/raw/searches/other_sources.csv", "other"),
]
DB_FILE = {fmt: path for _, _, path, fmt in SEARCHES}
DB_NAME = {fmt: name for name, _, _, fmt in SEARCHES}
SENSITIVITY = {"medline": 0.26, "embase": 0.30, "psycinfo": 0.28, "cinahl": 0.25, "scopus": 0.26, "wos": 0.22}


def coverage(pub: Publication) -> list:
    """Databases that index the publication at all."""
    j = pub.journal_obj
    if pub.kind == "dissertation":
        return ["psycinfo", "proquest"]
    if pub.kind == "report":
        return []
    if pub.kind == "chapter":
        return ["psycinfo", "scopus"]
    if pub.kind == "conference_abstract":
        return ["embase", "wos"]
    dbs = []
    if j.nlm:
        dbs.append("medline")
    if j.nlm or j.field in ("psychiatry", "medicine", "services"):
        dbs.append("embase")
    if j.psycinfo:
        dbs.append("psycinfo")
    if (j.cinahl or j.field == "nursing") and pub.year >= 1982:
        dbs.append("cinahl")
    if pub.year >= 1996 or j.nlm:
        dbs.append("scopus")
    if j.j9 and pub.year >= 1988:
        dbs.append("wos")
    return dbs


def assign_databases(pubs: list, seed: int) -> None:
    rng = rng_for(seed, "coverage")
    other_only = {p.pub_id for p in pubs if p.fate == "included"}
    other_only = sorted(other_only)[-2:]  # two included studies were found only by hand search / experts
    for pub in pubs:
        indexed = coverage(pub)
        chosen = []
        if pub.pub_id in other_only or pub.kind == "report":
            pub.databases = ["other"]
            continue
        if pub.kind == "erratum":  # notices are indexed with their article's title, so searches find them
            pub.databases = [db for db in indexed if db in ("medline", "embase")] + (
                ["scopus"] if rng.random() < 0.5 else [])
            continue
        for db in indexed:
            if db == "proquest":
                p = 1.0
            elif pub.kind == "dissertation":
                p = 0.3
            elif pub.kind == "conference_abstract":
                p = 1.0 if db == "embase" else 0.25
            elif pub.kind == "chapter":
                p = 0.85 if db == "psycinfo" else 0.35
            elif pub.relevant():
                p = 0.85
            elif pub.peerish:
                p = 0.55
            else:
                p = SENSITIVITY[db] * (0.6 if pub.kind in ("editorial", "letter") else 1.0)
            if rng.random() < p:
                chosen.append(db)
        if not chosen:
            chosen = [rng.choice(indexed)]
        pub.databases = chosen


def pmid_base(year: int) -> int:
    return 3_900_000 + int((year - 1985) ** 1.55 * 112_000)


def assign_identifiers(pubs: list, seed: int) -> None:
    """Accession numbers of each publication in each database that exports it (unique, year-shaped)."""
    rng = rng_for(seed, "identifiers")
    used: set = set()

    def unique(make):
        while True:
            value = make()
            if value not in used:
                used.add(value)
                return value

    for pub in pubs:
        y = pub.year
        j = pub.journal_obj
        if j is not None and j.nlm and pub.kind in ("article", "editorial", "letter", "erratum"):
            pub.ids["pmid"] = unique(lambda: str(rng.randint(pmid_base(y), pmid_base(y + 1) - 1)))
        if "embase" in pub.databases:
            pub.ids["embase"] = unique(lambda: str(350_000_000 + (y - 1985) * 8_500_000 + rng.randint(0, 8_499_999)))
        if "psycinfo" in pub.databases:
            ay = y + (1 if pub.kind == "dissertation" and rng.random() < 0.6 else 0)
            pub.ids["psycinfo_year"] = ay
            pub.ids["psycinfo"] = unique(lambda: f"{ay}-{rng.randint(10000, 99999)}-{rng.randint(1, 20):03d}")
        if "cinahl" in pub.databases:
            pub.ids["cinahl"] = unique(lambda: f"{y}{rng.randint(100000, 999999)}" if y < 2010
                                       else str(104_000_000 + (y - 2010) * 3_500_000 + rng.randint(0, 3_499_999)))
        if "scopus" in pub.databases:
            lead = "00" if y < 2004 else "33" if y < 2009 else "84" if y < 2017 else "85"
            pub.ids["scopus"] = unique(lambda: f"2-s2.0-{lead}{rng.randint(0, 999_999_999):09d}")
            pub.ids["scopus_authors"] = [str(rng.choice([rng.randint(6_500_000_000, 7_499_999_999),
                                                         rng.randint(55_000_000_000, 57_199_999_999)]))
                                         for _ in pub.authors]
            pub.ids["cited_by"] = max(0, int(rng.expovariate(1 / max(1, (2018 - y) * 2.5))))
        if "wos" in pub.databases:
            if y < 1991:
                letters = "".join(rng.choice("ABCDEFGHJKLMNPRTUVWXY") for _ in range(2))
                pub.ids["wos"] = unique(lambda: f"WOS:A{y}{letters}{rng.randint(0, 99_999_999):08d}")
            else:
                lead = 100 + (y - 1991) * 12
                pub.ids["wos"] = unique(lambda: f"WOS:000{lead:03d}{rng.randint(0, 999_999_999):09d}")
            pub.ids["wos_ga"] = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
        if "proquest" in pub.databases:
            pub.ids["proquest"] = unique(lambda: str(rng.randint(303_000_000, 305_999_999)) if y < 2007
                                         else str(1_000_000_000 + (y - 2007) * 100_000_000 + rng.randint(0, 99_999_999)))



@dataclass
class ExportRecord:
    file: str  # path relative to the review directory, as in config
    position: int  # 1-based position of the record in its file
    pub_id: str  # the true unique publication (cluster key)
    database: str  # database name as in config
    source_id: str  # the record's own id in the export
    note: str = ""

def build_exports(pubs: list, seed: int, other_sources: list) -> tuple:
    """Render every export; return (files: path -> bytes, records: [ExportRecord])."""
    by_id = {p.pub_id: p for p in pubs}
    files, records = {}, []

    def variant(pub, db, k=0):
        return make_variant(pub, db, rng_for(seed, f"render:{db}:{pub.pub_id}:{k}"))

    def detail_rng(pub, db, k=0):
        return rng_for(seed, f"detail:{db}:{pub.pub_id}:{k}")

    def add(fmt, items):
        path = DB_FILE[fmt]
        for position, (pub_id, source_id, note) in enumerate(items, start=1):
            records.append(ExportRecord(path, position, pub_id, DB_NAME[fmt], source_id, note))

    # MEDLINE (PubMed): most recent first (PMID descending).
    medline = sorted((p for p in pubs if "medline" in p.databases), key=lambda p: -int(p.ids["pmid"]))
    blocks = ["\n".join(medline_record(p, variant(p, "medline"), detail_rng(p, "medline"), by_id)) for p in medline]
    files[DB_FILE["medline"]] = ("\n\n".join(blocks) + "\n").encode("utf-8")
    add("medline", [(p.pub_id, p.ids["pmid"], "") for p in medline])

    # EMBASE (Ovid): by year (newest first) then accession number; a few MEDLINE-sourced duplicates.
    embase = [(p, p.ids["embase"], False) for p in pubs if "embase" in p.databases]
    embase += [(p, p.ids["embase2"], True) for p in pubs if "embase2" in p.ids]
    embase.sort(key=lambda item: (-item[0].year, item[1]))
    # Ovid ends the file with a blank line after the last record.
    entries = [tag_entry(embase_record(p, variant(p, "embase", int(dup)), detail_rng(p, "embase", int(dup)), an, dup))
               for p, an, dup in embase]
    files[DB_FILE["embase"]] = (format_ris(entries) + "\n").encode("utf-8")
    add("embase", [(p.pub_id, an, "second Embase record of the same article (MEDLINE-sourced)" if dup else "")
                   for p, an, dup in embase])

    # PsycINFO (Ovid).
    psyc = sorted((p for p in pubs if "psycinfo" in p.databases), key=lambda p: (-p.ids["psycinfo_year"], p.ids["psycinfo"]))
    entries = [tag_entry(psycinfo_record(p, variant(p, "psycinfo"), detail_rng(p, "psycinfo"))) for p in psyc]
    files[DB_FILE["psycinfo"]] = (format_ris(entries) + "\n").encode("utf-8")
    add("psycinfo", [(p.pub_id, p.ids["psycinfo"], "") for p in psyc])

    # CINAHL (EBSCO): UTF-8 with BOM and CRLF line ends, as EBSCOhost writes it.
    cinahl = sorted((p for p in pubs if "cinahl" in p.databases), key=lambda p: (-p.year, -p.month, p.ids["cinahl"]))
    entries = [tag_entry(cinahl_record(p, variant(p, "cinahl"), detail_rng(p, "cinahl"))) for p in cinahl]
    files[DB_FILE["cinahl"]] = (format_ris(entries, newline="\r\n") + "\r\n").encode("utf-8-sig")
    add("cinahl", [(p.pub_id, p.ids["cinahl"], "") for p in cinahl])

    # Scopus CSV: every field quoted, as Scopus exports.
    scopus = sorted((p for p in pubs if "scopus" in p.databases), key=lambda p: (-p.year, -p.ids["cited_by"], p.ids["scopus"]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(SCOPUS_COLUMNS)
    for p in scopus:
        writer.writerow(scopus_row(p, variant(p, "scopus"), detail_rng(p, "scopus")))
    files[DB_FILE["scopus"]] = buffer.getvalue().encode("utf-8")
    add("scopus", [(p.pub_id, p.ids["scopus"], "") for p in scopus])

    # Web of Science plain text (savedrecs.txt).
    wos = sorted((p for p in pubs if "wos" in p.databases), key=lambda p: (-p.year, p.ids["wos"]))
    lines = ["FN Clarivate Analytics Web of Science", "VR 1.0"]
    for p in wos:
        lines += wos_record(p, variant(p, "wos"), detail_rng(p, "wos"))
    lines.append("EF")
    files[DB_FILE["wos"]] = ("\n".join(lines) + "\n").encode("utf-8")
    add("wos", [(p.pub_id, p.ids["wos"], "") for p in wos])

    # ProQuest Dissertations & Theses (BibTeX), in relevance order.
    proquest = [p for p in pubs if "proquest" in p.databases]
    rng_for(seed, "proquest-order").shuffle(proquest)
    comment = ("SYNTHETIC DATA: generated by scripts/make_example_review.py for the evsynth example\n"
               "review. No entry is a real dissertation; titles, authors and identifiers are invented.")
    text = format_bibtex((proquest_entry(p, variant(p, "proquest")) for p in proquest), comments=[comment])
    files[DB_FILE["proquest"]] = text.encode("utf-8")
    add("proquest", [(p.pub_id, f"pq{p.ids['proquest']}", "") for p in proquest])

    # Other sources (experts, hand searching): a reviewer's own CSV.
    rows = []
    for pub_id, source in other_sources:
        pub = by_id[pub_id]
        rows.append((source, pub.year, pub.title, pub))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "title", "authors", "year", "journal", "doi", "abstract", "source", "note"])
    items = []
    for index, (source, _, _, pub) in enumerate(rows, start=1):
        record_id = f"OS-{index:03d}"
        writer.writerow(other_row(pub, variant(pub, "other"), detail_rng(pub, "other"), record_id, source))
        items.append((pub.pub_id, record_id, source))
    files[DB_FILE["other"]] = buffer.getvalue().encode("utf-8")
    add("other", items)
    return files, records




def choose_other_sources(pubs: list, seed: int) -> list:
    rng = rng_for(seed, "other-sources")
    included = [p for p in pubs if p.fate == "included"]
    chosen = []
    for p in included:
        if p.databases == ["other"]:
            chosen.append((p.pub_id, rng.choice(["Expert suggestion", "Reference list of included study"])))
    found = rng.sample([p for p in included if p.databases != ["other"]], 23)
    for p in sorted(found, key=lambda p: p.pub_id):
        chosen.append((p.pub_id, rng.choices(["Reference list of included study", "Expert suggestion",
                                              "Forward citation tracking (Scopus)"], weights=[6, 3, 1])[0]))
    suggested = ("No implementation findings", "Peer-run organisation", "Online peer support only",
                 "Not primary research", "Peer navigation intervention", "")
    ft = rng.sample([p for p in pubs if p.fate in ("ft_excluded", "not_retrieved") and p.kind == "article"
                     and p.reason in suggested], 6)
    for p in sorted(ft, key=lambda p: p.pub_id):
        chosen.append((p.pub_id, rng.choice(["Expert suggestion", "Website: cpr.bu.edu"])))
    toc = rng.sample([p for p in pubs if p.fate == "ta_excluded" and p.kind == "article" and p.journal in ("ps", "prj")
                      and p.year >= 2000 and p.databases], 10)
    for p in sorted(toc, key=lambda p: p.pub_id):
        chosen.append((p.pub_id, f"Hand search: {p.journal_obj.full} table of contents"))
    for p in pubs:
        if p.kind == "report":
            chosen.append((p.pub_id, "Expert suggestion"))
    for pub_id, _ in chosen:
        pub = next(p for p in pubs if p.pub_id == pub_id)
        if "other" not in pub.databases:
            pub.databases.append("other")
    return chosen


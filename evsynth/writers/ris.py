"""RIS, as rispy writes it: one ``XX  - value`` line per value, ``ER  - `` and a blank line after each
record. EndNote, Zotero, Mendeley, Rayyan, Covidence and ASReview import it.

Tags, chosen so that evsynth's RIS reader and the reference managers read each field back:

=============  =====================================================================
field          tag
=============  =====================================================================
source_id      ID
title          TI
authors        AU, one line per author
year           PY
journal        T2 (EndNote's and Zotero's secondary title); abbreviation J2
volume, issue  VL, IS
pages          SP and EP (an article number in SP alone)
doi, url       DO, UR
abstract       AB
keywords       KW, one line each
issn, isbn     SN ("; "-joined)
language       LA
type           TY (the RIS type the publication type names), M3 (the type as exported)
pmid           N1 ``PMID: 123``
wos_ut         AN (Web of Science calls the UT its accession number); else scopus_eid
=============  =====================================================================

A record with both a Web of Science UT and a Scopus EID keeps the UT: evsynth's RIS reader takes the
EID only from AN, UR or ID, which hold the UT, the record's URL and its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rispy.writer import RisWriter

from evsynth.writers.common import plain_records, record_type, split_pages

# RIS reference types of the kinds of work (``common.record_type``).
_TYPES = {"article": "JOUR", "thesis": "THES", "chapter": "CHAP", "conference": "CONF", "book": "BOOK",
          "report": "RPRT"}


class _TagWriter(RisWriter):
    """rispy's RIS writer for entries keyed by tag, without its ``1.``, ``2.`` reference numbers
    (they are not RIS, and not every importer skips them)."""

    def set_header(self, count: int) -> str:
        return ""


def format_ris(entries: Iterable[Mapping[str, str | list[str]]], newline: str = "\n") -> str:
    """RIS text of entries that map each tag to its value, or to a list of values written one line
    each, in the order given (``TY`` first: it is the entry's type, ``JOUR`` if absent)."""
    references, mapping = [], {"TY": "type_of_reference"}
    for entry in entries:
        reference = {}
        for tag, value in entry.items():
            label = "type_of_reference" if tag == "TY" else tag.lower()
            mapping.setdefault(tag, label)
            reference[label] = value
        references.append(reference)
    writer = _TagWriter(mapping=mapping, list_tags=[], delimiter_tags_mapping={}, enforce_list_tags=False)
    writer.NEWLINE = newline
    return writer.formats(references)


def ris_entry(record: Mapping) -> dict:
    """The RIS tags of one record (a ``plain_record``)."""
    first, last = split_pages(record["pages"])
    entry: dict = {"TY": _TYPES[record_type(record["publication_type"])]}
    for tag, value in (
        ("ID", record["source_id"]), ("TI", record["title"]), ("AU", record["authors"]),
        ("PY", None if record["year"] is None else str(record["year"])), ("T2", record["journal"]),
        ("J2", record["journal_abbrev"]), ("VL", record["volume"]), ("IS", record["issue"]), ("SP", first),
        ("EP", last), ("SN", "; ".join(v for v in (record["issn"], record["isbn"]) if v) or None),
        ("DO", record["doi"]), ("UR", [record["url"]] if record["url"] else []), ("AB", record["abstract"]),
        ("KW", record["keywords"]), ("LA", record["language"]), ("M3", record["publication_type"]),
        ("AN", record["wos_ut"] or record["scopus_eid"]),
        ("N1", [f"PMID: {record['pmid']}"] if record["pmid"] else []),
    ):
        if value:
            entry[tag] = value
    return entry


def records_ris(records) -> str:
    """RIS text of a records table (a DataFrame or the readers' dicts)."""
    return format_ris(ris_entry(record) for record in plain_records(records))

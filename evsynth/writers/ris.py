"""RIS, as rispy writes it (the same bytes): one ``XX  - value`` line per value, ``ER  - `` and a blank line after each
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

from collections.abc import Iterable, Iterator, Mapping

import pandas as pd

from evsynth.writers.common import plain_columns, plain_records, record_type, split_pages

# RIS reference types of the kinds of work (``common.record_type``).
_TYPES = {"article": "JOUR", "thesis": "THES", "chapter": "CHAP", "conference": "CONF", "book": "BOOK",
          "report": "RPRT"}
# Records formatted at a time: a whole table's text (and its Python values) never exists at once.
SLICE_RECORDS = 20_000


def format_ris(entries: Iterable[Mapping[str, str | list[str]]], newline: str = "\n") -> str:
    """RIS text of entries that map each tag to its value, or to a list of values written one line
    each, in the order given (``TY`` first: it is the entry's type, ``JOUR`` if absent).

    The bytes rispy's writer gives (``rispy.dumps`` without its reference numbers): written here
    because going through rispy costs a dict per entry and a generator step per line.
    """
    texts = []
    for entry in entries:
        lines = [f"TY  - {entry.get('TY', 'JOUR')}"]
        for tag, value in entry.items():
            if tag == "TY":
                continue
            if isinstance(value, list):
                lines += [f"{tag}  - {item}" for item in value]
            else:
                lines.append(f"{tag}  - {value}")
        lines.append("ER  - ")
        texts.append(newline.join(lines) + newline)
    return newline.join(texts)


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


def _lines(tag: str, values: list) -> list[str]:
    """Each record's ``TAG  - value`` line (with its line end), '' where it has no value."""
    return [f"{tag}  - {value}\n" if value else "" for value in values]


def _list_lines(tag: str, values: list[list[str]]) -> list[str]:
    return ["".join(f"{tag}  - {item}\n" for item in items) if items else "" for items in values]


def _table_texts(records: pd.DataFrame) -> list[str]:
    """The RIS text of each row of a records table: ``ris_entry``'s tags in its order, a column at a
    time (the same text as ``format_ris(ris_entry(...))`` of each record)."""
    c = plain_columns(records)
    types: dict = {}
    kind = [types[t] if t in types else types.setdefault(t, _TYPES[record_type(t)]) for t in c["publication_type"]]
    pages = [split_pages(p) for p in c["pages"]]
    columns = [
        [f"TY  - {k}\n" for k in kind],
        _lines("ID", c["source_id"]), _lines("TI", c["title"]), _list_lines("AU", c["authors"]),
        _lines("PY", [None if y is None else str(y) for y in c["year"]]), _lines("T2", c["journal"]),
        _lines("J2", c["journal_abbrev"]), _lines("VL", c["volume"]), _lines("IS", c["issue"]),
        _lines("SP", [first for first, _ in pages]), _lines("EP", [last for _, last in pages]),
        _lines("SN", ["; ".join(v for v in pair if v) if pair[0] or pair[1] else None
                      for pair in zip(c["issn"], c["isbn"])]),
        _lines("DO", c["doi"]), _lines("UR", c["url"]), _lines("AB", c["abstract"]),
        _list_lines("KW", c["keywords"]), _lines("LA", c["language"]), _lines("M3", c["publication_type"]),
        _lines("AN", [ut or eid for ut, eid in zip(c["wos_ut"], c["scopus_eid"])]),
        _lines("N1", [f"PMID: {pmid}" if pmid else None for pmid in c["pmid"]]),
    ]
    del c, pages
    return ["".join(parts) + "ER  - \n" for parts in zip(*columns)]


def ris_pieces(records) -> Iterator[str]:
    """RIS text of a records table (a DataFrame or the readers' dicts), a slice of records at a time."""
    if not isinstance(records, pd.DataFrame):
        yield format_ris(ris_entry(record) for record in plain_records(records))
        return
    for start in range(0, len(records), SLICE_RECORDS):
        # records are separated by a blank line: the slices after the first start with it
        yield ("\n" if start else "") + "\n".join(_table_texts(records.iloc[start:start + SLICE_RECORDS]))


def records_ris(records) -> str:
    """RIS text of a records table (a DataFrame or the readers' dicts)."""
    return "".join(ris_pieces(records))

"""PubMed exports in MEDLINE format (``Save > PubMed format`` as .txt, ``Cite > Download .nbib``).

A record is a block of ``TAG - value`` lines (the tag left-justified in four columns) separated
from the next by a blank line; long values continue on lines indented by six spaces.
"""

from __future__ import annotations

import re

from evsynth.errors import InputError
from evsynth.readers.common import (
    doi_from,
    first_of,
    issn_isbn,
    join_unique,
    name_list,
    new_record,
    pages,
    parse_year,
    pmid_from,
    split_list,
)

# The patterns start with the newline before the line (the text gets one in front), which lets
# the regex engine skip ahead; any line that is not a tag line continues the value above it.
_TAG = r"[A-Z][A-Z0-9]{1,3} {0,3}-"
_SEPARATOR = re.compile(r"\n(?:[ \t]*\n)+")
_START = re.compile(r"\n" + _TAG)
# Only the tags read below are captured: a PubMed record has 40-80 tag lines, most not needed.
_USED = ("PMID", "TI", "BTI", "TT", "AB", "FAU", "AU", "DP", "DEP", "TA", "JT", "VI", "IP", "PG", "LID",
         "AID", "IS", "ISBN", "LA", "PT", "MH", "OT")
_FIELD = re.compile(r"\n(" + "|".join(_USED) + r") {0,3}- ?([^\n]*(?:\n(?!" + _TAG + r")[^\n]*)*)")
EXPECTED = "PubMed MEDLINE lines 'TAG - value' (e.g. 'PMID- 29377890'), records separated by a blank line"


def _records(text: str, path: object) -> list[dict[str, list[str]]]:
    text = "\n" + text
    bounds = []
    previous = 0
    for separator in _SEPARATOR.finditer(text):
        bounds.append((previous, separator.start()))
        previous = separator.end() - 1
    bounds.append((previous, len(text)))
    records: list[dict[str, list[str]]] = []
    findall = _FIELD.findall
    starts = _START.match
    for start, end in bounds:
        if start + 1 >= end:
            continue
        if not starts(text, start):
            if not text[start:end].strip():
                continue
            line = text.count("\n", 0, start + 1)
            first = text[start + 1:end].split("\n", 1)[0]
            problem = ("indented line outside a record" if first[:1].isspace()
                       else f"line does not start with a MEDLINE tag: {first.strip()[:40]!r}")
            raise InputError(path, problem, line=line, expected=EXPECTED)
        record: dict[str, list[str]] = {}
        for tag, value in findall(text, start, end):
            if tag == "PMID" and "PMID" in record:  # no blank line between two records
                records.append(record)
                record = {}
            values = record.get(tag)
            if values is None:
                record[tag] = [value]
            else:
                values.append(value)
        records.append(record)
    return records


def _tagged(values: list[str], kind: str) -> str | None:
    """The value of an LID/AID line carrying ``[kind]``."""
    suffix = f"[{kind}]"
    for value in values:
        if value.rstrip().endswith(suffix):
            return value.rstrip()[: -len(suffix)].strip()
    return None


_KIND_SUFFIX = re.compile(r"\[[a-z-]+\]\s*$")


def _untagged_doi(values: list[str]) -> str | None:
    """A DOI on an LID/AID line without a ``[kind]`` (Ovid writes ``AID - http://dx.doi.org/...``)."""
    for value in values:
        if not _KIND_SUFFIX.search(value):
            text = value.strip()
            lowered = text.lower()
            if lowered.startswith("10.") or "doi.org/" in lowered or lowered.startswith("doi:"):
                found = doi_from(text)
                if found:
                    return found
    return None


def to_record(tags: dict[str, list[str]]) -> dict:
    get = tags.get

    def one(name: str) -> str | None:
        return first_of(get(name))

    rec = new_record()
    pmid = pmid_from(one("PMID"))
    rec["source_id"] = pmid
    rec["pmid"] = pmid
    rec["title"] = one("TI") or one("BTI") or one("TT")
    rec["abstract"] = one("AB")
    rec["authors"] = name_list(get("FAU") or get("AU"))
    rec["year"] = parse_year(one("DP")) or parse_year(one("DEP"))
    abbrev = one("TA")
    rec["journal"] = one("JT") or abbrev
    rec["journal_abbrev"] = abbrev
    rec["volume"] = one("VI")
    rec["issue"] = one("IP")
    rec["pages"] = pages(one("PG"))
    lid, aid = get("LID"), get("AID")
    rec["doi"] = (doi_from((lid and _tagged(lid, "doi")) or (aid and _tagged(aid, "doi")))
                  or _untagged_doi((lid or []) + (aid or [])))
    issn, isbn = get("IS"), get("ISBN")
    rec["issn"], rec["isbn"] = issn_isbn(issn + isbn if issn and isbn else issn or isbn)
    languages, types = get("LA"), get("PT")
    rec["language"] = join_unique(languages) if languages else None
    rec["publication_type"] = join_unique(types) if types else None
    mesh, other = get("MH"), get("OT")
    rec["keywords"] = split_list(mesh + other if mesh and other else mesh or other, ";")
    return rec


def parse(text: str, path: object = "<text>") -> list[dict]:
    """Records of a PubMed MEDLINE export (already decoded)."""
    raw = _records(text, path)
    if not raw:
        raise InputError(path, "no MEDLINE records found", expected=EXPECTED)
    return [to_record(tags) for tags in raw]

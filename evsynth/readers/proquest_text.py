"""ProQuest plain-text exports (``Save > Text``, also via ProQuest Central, PsycINFO and Dissertations).

Records are separated by a line of underscores; each starts ``Document N of M``, then the title,
the document link, and ``Label: value`` fields (``Abstract:``, ``Full text:``, ``Title:``,
``Author:``, ``Publication title:``, ``Volume:``, ``Issue:``, ``Pages:``, ``Publication year:``,
``ISSN:``, ``DOI:``, ``Document type:``, ``ProQuest document ID:``, ``Document URL:``, ...).
A line that does not start with a known label continues the field above it (full texts run over
many lines and contain colons of their own), so only ProQuest's own labels are recognised.
"""

from __future__ import annotations

import re

from evsynth.errors import InputError
from evsynth.readers.common import (
    clean,
    doi_from,
    first_text,
    issn_isbn,
    name_list,
    new_record,
    pages,
    parse_year,
    pmid_from,
    split_list,
)

EXPECTED = "ProQuest text: records starting 'Document 1 of N', separated by a line of underscores"
_SEPARATOR = re.compile(r"\n_{20,}[ \t]*(?=\n|$)")
_DOCUMENT = re.compile(r"^Document (\d+) of (\d+)\s*$")
# ProQuest's field labels (its text exports across databases); compared case-insensitively.
_LABELS = frozenset(label.lower() for label in (
    "Author", "Authors", "Editor", "Publication info", "Abstract", "Translated abstract", "Links", "Full text",
    "Subject", "Subject heading", "Location", "People", "Company / organization", "Identifier / keyword",
    "Business indexing term", "MeSH subject", "MeSH", "Classification", "Title", "Alternate title",
    "Publication title", "Volume", "Issue", "Pages", "First page", "Number of pages", "Publication year",
    "Publication date", "Year", "Section", "Publisher", "Place of publication", "Country of publication",
    "Publication subject", "ISSN", "e-ISSN", "eISSN", "ISBN", "e-ISBN", "Source type", "Language of publication",
    "Language", "Document type", "Document feature", "DOI", "ProQuest document ID", "Document URL", "Copyright",
    "Last updated", "Database", "Accession number", "PubMed ID", "Peer reviewed", "Number of references",
    "Supplement", "Conference title", "Advisor", "Committee member", "University/institution", "Department",
    "School code", "Degree", "Source", "Dissertation/thesis number", "Update", "Methodology", "Population",
    "Age group", "Tests and measures", "Grant information", "Affiliation", "Correspondence author",
    "Caption", "Illustration", "Credit", "Dateline", "Notes", "Contact", "Digital Object Identifier",
))
_FIELD = re.compile(r"^([A-Za-z][A-Za-z /()&.\-]{0,40}):(?: (.*))?$")
_INFO = re.compile(r"Vol\.\s*([^,\s]+)(?:,\s*Iss\.\s*([^,\s]+))?.*?(?:\(([^)]*)\))?:\s*([\w\-\u2013]+)")
_NONE = {"none available.", "none available", "not available"}


def looks_like(lines: list[str]) -> bool:
    """Whether the first non-empty lines of a text are a ProQuest text export."""
    for line in lines[:4]:
        if _DOCUMENT.match(line.strip()):
            return True
    return False


def _fields(chunk: str) -> tuple[list[str], dict[str, list[str]]]:
    """(lines before the first label, label -> values) of one record."""
    head: list[str] = []
    fields: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in chunk.split("\n"):
        match = _FIELD.match(line)
        if match and match.group(1).strip().lower() in _LABELS:
            current = fields.setdefault(match.group(1).strip().lower(), [])
            current.append(match.group(2) or "")
        elif current is not None:
            current[-1] += "\n" + line
        elif line.strip():
            head.append(line.strip())
    return head, fields


def to_record(head: list[str], fields: dict[str, list[str]]) -> dict:
    def one(*labels: str) -> str | None:
        for label in labels:
            value = first_text(*fields.get(label, ()))
            if value:
                return value
        return None

    rec = new_record()
    rec["source_id"] = one("proquest document id")
    # The line after "Document N of M" is the title; a "Title:" field, when present, is the same.
    rec["title"] = one("title") or (clean(head[1]) if len(head) > 1 else None)
    authors = one("author", "authors")
    rec["authors"] = name_list(part.strip().rstrip(".") for part in authors.split(";")) if authors else []
    abstract = one("abstract")
    rec["abstract"] = None if abstract and abstract.lower() in _NONE else abstract
    journal = one("publication title")
    place = one("place of publication")
    if journal and place and journal.endswith("; " + place):  # "The Hamilton Spectator; Hamilton"
        journal = journal[: -len(place) - 2]
    rec["journal"] = journal
    rec["volume"], rec["issue"] = one("volume"), one("issue")
    rec["pages"] = pages(one("pages")) or pages(one("first page"))
    rec["year"] = parse_year(one("publication year", "year")) or parse_year(one("publication date"))
    info = one("publication info")
    if info:
        found = _INFO.search(info)
        if found:
            rec["volume"] = rec["volume"] or found.group(1)
            rec["issue"] = rec["issue"] or found.group(2)
            rec["year"] = rec["year"] or parse_year(found.group(3))
            rec["pages"] = rec["pages"] or pages(found.group(4))
        if not rec["journal"]:
            rec["journal"] = clean(re.split(r"[;.]| Vol\.", info, maxsplit=1)[0])
    rec["doi"] = doi_from(one("doi", "digital object identifier"))
    rec["pmid"] = pmid_from(one("pubmed id"))
    rec["issn"], rec["isbn"] = issn_isbn([one("issn"), one("e-issn", "eissn"), one("isbn"), one("e-isbn")])
    rec["language"] = one("language of publication", "language")
    rec["publication_type"] = one("document type", "source type")
    rec["url"] = one("document url")
    rec["keywords"] = split_list([one("subject", "subject heading"), one("identifier / keyword"),
                                  one("mesh subject", "mesh")], ";")
    return rec


def parse(text: str, path: object = "<text>") -> list[dict]:
    """Records of a ProQuest text export (already decoded)."""
    records: list[dict] = []
    text = "\n" + text
    separators = list(_SEPARATOR.finditer(text))
    starts = [0] + [match.end() for match in separators]
    ends = [match.start() for match in separators] + [len(text)]
    for start, end in zip(starts, ends):
        chunk = text[start:end]
        if not chunk.strip():
            continue
        head, fields = _fields(chunk)
        if not fields and not (head and _DOCUMENT.match(head[0])):
            continue  # the export's own header or trailer ("Contact ProQuest", copyright)
        if not head or not _DOCUMENT.match(head[0]):
            line = text.count("\n", 0, start) + chunk[: len(chunk) - len(chunk.lstrip())].count("\n")
            raise InputError(path, f"a block that does not start 'Document N of M': {(head or [''])[0][:40]!r}",
                             line=max(line, 1), expected=EXPECTED)
        records.append(to_record(head, fields))
    if not records:
        raise InputError(path, "no ProQuest documents found", expected=EXPECTED)
    return records

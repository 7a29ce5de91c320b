"""EndNote tagged exports (the Refer/BibIX-style ``%T``/``%A`` format; ``.enw``, ``.enl``, ``.txt``).

A line ``%X value`` gives field X (a letter, digit or punctuation mark); a line that does not start
with ``%`` continues the value above it; records are separated by blank lines. The record usually
starts ``%0 Journal Article`` (the type), but exports such as the AIS eLibrary's start a record with
``%T``. The tags read here are EndNote's documented ones:

``%0`` type, ``%T`` title, ``%A`` author (one per line), ``%J`` journal, ``%B`` secondary title
(journal or book), ``%D`` year, ``%8`` date, ``%V`` volume, ``%N`` issue, ``%P`` pages, ``%@``
ISSN/ISBN, ``%R`` DOI, ``%U`` URL, ``%X`` abstract, ``%K`` keywords, ``%M`` accession number,
``%G`` language, ``%F`` label, ``%9`` type of work, ``%O`` alternate journal, ``%!`` short title.
"""

from __future__ import annotations

import re

from evsynth.errors import InputError
from evsynth.readers.common import (
    doi_from,
    doi_from_url,
    first_of,
    issn_isbn,
    join_unique,
    name_list,
    new_record,
    pages,
    parse_year,
    pmid_from,
    split_list,
    wos_ut_from,
)

EXPECTED = "EndNote tagged lines '%T Title', '%A Author', ... with a blank line between records"
# "%T value": % and one character that is not a space; the value follows one space (or nothing).
_TAG_LINE = re.compile(r"^%(\S)(?: (.*))?$")


def looks_like(lines: list[str]) -> bool:
    """Whether the first non-empty lines of a text are EndNote tagged lines."""
    tagged = [line for line in lines[:10] if _TAG_LINE.match(line)]
    return len(tagged) >= 2 and all(_TAG_LINE.match(line) for line in lines[:3])


def _records(text: str, path: object) -> list[tuple[int, dict[str, list[str]]]]:
    records: list[tuple[int, dict[str, list[str]]]] = []
    current: dict[str, list[str]] | None = None
    last: list[str] | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            current = last = None
            continue
        match = _TAG_LINE.match(line)
        if match:
            if current is None:
                current = {}
                records.append((number, current))
            tag, value = match.group(1), match.group(2) or ""
            last = current.setdefault(tag, [])
            last.append(value)
        elif last is not None:
            last[-1] += "\n" + line
        else:
            raise InputError(path, f"line does not start with an EndNote tag: {line.strip()[:40]!r}", line=number,
                             expected=EXPECTED)
    return records


def to_record(tags: dict[str, list[str]]) -> dict:
    get = tags.get

    def one(tag: str) -> str | None:
        return first_of(get(tag))

    rec = new_record()
    rec["publication_type"] = one("0") or one("9")
    rec["title"] = one("T") or one("!")
    rec["authors"] = name_list(get("A"))
    rec["abstract"] = one("X")
    rec["year"] = parse_year(one("D")) or parse_year(one("8"))
    rec["journal"] = one("J") or one("B") or one("O")
    rec["journal_abbrev"] = one("O") if one("J") or one("B") else None
    rec["volume"] = one("V")
    rec["issue"] = one("N")
    rec["pages"] = pages(one("P"))
    urls = [value.strip() for value in get("U", ()) if value.strip()]
    rec["url"] = urls[0] if urls else None
    rec["doi"] = doi_from(one("R")) or doi_from_url(urls)
    accession = one("M")
    rec["source_id"] = accession or one("F")
    if accession:
        rec["wos_ut"] = wos_ut_from(accession)
        rec["pmid"] = pmid_from(accession, labelled=True)
    rec["issn"], rec["isbn"] = issn_isbn(get("@"))
    languages = get("G")
    rec["language"] = join_unique(languages) if languages else None
    rec["keywords"] = split_list(get("K"), ";\n")
    return rec


def parse(text: str, path: object = "<text>") -> list[dict]:
    """Records of an EndNote tagged export (already decoded)."""
    raw = _records(text, path)
    if not raw:
        raise InputError(path, "no EndNote records found", expected=EXPECTED)
    return [to_record(tags) for _, tags in raw]

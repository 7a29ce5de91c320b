"""BibTeX, written with bibtexparser v2: ``@type{key,`` then one ``  field = {value},`` line per field.
JabRef, Zotero, BibDesk and LaTeX read it; text stays UTF-8 (biber and modern BibTeX read it), with
LaTeX's special characters escaped so that a value reads back as written.

=============  =====================================================================
field          BibTeX field
=============  =====================================================================
source_id      the entry key (characters a key cannot hold become ``_``)
type           the entry type (article, phdthesis, incollection, inproceedings, book,
               techreport) and ``type`` when the publication type says more
authors        author, `` and ``-joined (a name holding " and " is braced)
journal        journal; its abbreviation shortjournal (biblatex)
issue, pages   number; pages with ``--``
ids            doi, url, pmid, unique-id (the Web of Science UT, as WoS writes it),
               eid (the Scopus EID; evsynth reads an eid that is not a Scopus EID as the
               article number, as biblatex means it)
other          title, year, volume, abstract, keywords ("; "-joined; a lone keyword holding
               a comma ends with ";" so that it reads back whole), issn, isbn, language
=============  =====================================================================
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import bibtexparser
from bibtexparser.library import Library
from bibtexparser.model import Entry, ExplicitComment, Field

from evsynth.writers.common import plain_records, record_type, split_pages

_ENTRY_TYPES = {"article": "article", "thesis": "phdthesis", "chapter": "incollection", "conference": "inproceedings",
                "book": "book", "report": "techreport"}
# LaTeX's specials, written so that LaTeX gives back the character.
_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
             "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
# TeX makes dashes and curly quotes of a doubled - ` or ': an empty group after each but the last keeps
# them as typed.
_SPECIAL = re.compile(r"-(?=-)|`(?=`)|'(?=')|[" + re.escape("".join(_SPECIALS)) + "]")
_KEY_UNSAFE = re.compile(r"[\s,{}()=#%\"'\\@~]")
_AND = re.compile(r"\sand\s", re.IGNORECASE)


def escape(value: str) -> str:
    """``value`` with LaTeX's special characters escaped (``&`` -> ``\\&``); everything else as it is."""
    return _SPECIAL.sub(lambda match: _SPECIALS.get(match.group(0)) or match.group(0) + "{}", value)


def bibtex_key(source_id: str | None, number: int) -> str:
    """An entry key: the record's id where a key can hold it, else with ``_`` for what it cannot."""
    return _KEY_UNSAFE.sub("_", source_id) if source_id else f"record{number}"


def format_bibtex(entries: Iterable[tuple[str, str, list[tuple[str, str]]]], comments: Iterable[str] = ()) -> str:
    """BibTeX text: ``@comment{...}`` blocks, then one entry per (entry type, key, [(field, value)]),
    values already escaped, a blank line between blocks, two-space indent."""
    library = Library()
    for comment in comments:
        library.add(ExplicitComment(comment))
    for entry_type, key, fields in entries:
        library.add(Entry(entry_type, key, [Field(name, "{" + value + "}") for name, value in fields]))
    layout = bibtexparser.BibtexFormat()
    layout.indent = "  "
    layout.block_separator = "\n"
    # No unparse middleware: the values above are enclosed already (the default stack would brace them
    # again, and copies the library to do it).
    return bibtexparser.write_string(library, unparse_stack=[], bibtex_format=layout)


def bibtex_entry(record: Mapping, number: int) -> tuple[str, str, list[tuple[str, str]]]:
    """(entry type, key, fields) of one record (a ``plain_record``)."""
    entry_type = _ENTRY_TYPES[record_type(record["publication_type"])]
    authors = [f"{{{escape(name)}}}" if _AND.search(name) else escape(name) for name in record["authors"]]
    first, last = split_pages(record["pages"])
    pages = f"{escape(first)}--{escape(last)}" if last else (escape(first) if first else None)
    fields = [("author", " and ".join(authors) or None)]
    for name, value in (
        ("title", record["title"]), ("journal", record["journal"]), ("shortjournal", record["journal_abbrev"]),
        ("year", None if record["year"] is None else str(record["year"])), ("volume", record["volume"]),
        ("number", record["issue"]),
    ):
        fields.append((name, escape(value) if value else None))
    fields.append(("pages", pages))
    # doi and url are verbatim fields (biblatex): written as they are.
    fields += [("doi", record["doi"]), ("url", record["url"])]
    for name, value in (
        ("abstract", record["abstract"]),
        # a lone keyword holding a comma gets a closing ';' so that it reads back whole
        ("keywords", ("; ".join(record["keywords"]) + (";" if len(record["keywords"]) == 1
                                                        and "," in record["keywords"][0] else "")) or None),
        ("issn", record["issn"]), ("isbn", record["isbn"]), ("language", record["language"]),
        ("type", record["publication_type"] if record["publication_type"] != entry_type else None),
        ("pmid", record["pmid"]), ("unique-id", record["wos_ut"]),
        ("eid", record["scopus_eid"]),
    ):
        fields.append((name, escape(value) if value else None))
    return entry_type, bibtex_key(record["source_id"], number), [(n, v) for n, v in fields if v]


def records_bibtex(records) -> str:
    """BibTeX text of a records table (a DataFrame or the readers' dicts)."""
    return format_bibtex(bibtex_entry(record, number) for number, record in enumerate(plain_records(records), 1))

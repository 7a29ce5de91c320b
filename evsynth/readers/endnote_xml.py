"""EndNote XML (``File > Export > XML`` in EndNote; Mendeley and Zotero write the same layout).

``<xml><records><record>...</record></records></xml>``; each record holds ``ref-type`` (its
``name`` attribute is the type), ``contributors/authors/author``, ``titles/title``,
``titles/secondary-title`` and ``periodical/full-title`` (the journal), ``periodical/abbr-1``,
``pages``, ``volume``, ``number`` (EndNote) or ``issue`` (Mendeley), ``keywords/keyword``,
``dates/year``, ``isbn`` (ISSN or ISBN), ``accession-num``, ``electronic-resource-num`` (the DOI),
``urls/related-urls/url``, ``abstract``, ``language`` and ``rec-number``. EndNote wraps every text
in ``<style face=... font=... size=...>`` pieces, which are joined.

Parsed with defusedxml (entity declarations and external references refused), record by record
so that a large library is never held as one tree.
"""

from __future__ import annotations

import io
import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from evsynth.errors import InputError
from evsynth.readers.common import (
    clean,
    doi_from,
    doi_from_url,
    issn_isbn,
    name_list,
    new_record,
    pages,
    parse_year,
    pmid_from,
    split_list,
    wos_ut_from,
)

EXPECTED = "an EndNote XML export: <xml><records><record>...</record></records></xml>"
_PMID_SHAPE = re.compile(r"^\d{1,8}$")


def looks_like(head: str) -> bool:
    """Whether the start of a text is an EndNote XML export."""
    start = head.lstrip()[:4000]
    return start.startswith("<") and "<records>" in start and "<record>" in start


def _text(element: Element | None) -> str | None:
    if element is None:
        return None
    return clean("".join(element.itertext()))


def _texts(elements: list[Element]) -> list[str]:
    return [text for text in (_text(element) for element in elements) if text]


def to_record(element: Element) -> dict:
    find = element.find
    rec = new_record()
    ref_type = find("ref-type")
    rec["publication_type"] = clean(ref_type.get("name")) if ref_type is not None else None
    rec["title"] = _text(find("titles/title"))
    rec["authors"] = name_list(_texts(element.findall("contributors/authors/author")))
    rec["abstract"] = _text(find("abstract"))
    rec["year"] = parse_year(_text(find("dates/year"))) or parse_year(_text(find("dates/pub-dates/date")))
    abbrev = _text(find("periodical/abbr-1")) or _text(find("titles/alt-title"))
    rec["journal"] = _text(find("periodical/full-title")) or _text(find("titles/secondary-title")) or abbrev
    rec["journal_abbrev"] = abbrev
    rec["volume"] = _text(find("volume"))
    rec["issue"] = _text(find("number")) or _text(find("issue"))
    rec["pages"] = pages(_text(find("pages")))
    urls = _texts(element.findall("urls/related-urls/url")) + _texts(element.findall("urls/web-urls/url"))
    rec["url"] = urls[0] if urls else None
    rec["doi"] = doi_from(_text(find("electronic-resource-num"))) or doi_from_url(urls)
    accession = _text(find("accession-num"))
    database = (_text(find("remote-database-name")) or _text(find("remote-database-provider")) or "").lower()
    if accession:
        rec["wos_ut"] = wos_ut_from(accession)
        # The accession number is a PMID when the record came from PubMed/MEDLINE (or names no
        # database and has a PMID's shape: other databases' numbers are longer or not all digits).
        from_pubmed = not database or any(name in database for name in ("pubmed", "medline", "nlm"))
        if _PMID_SHAPE.match(accession) and from_pubmed:
            rec["pmid"] = pmid_from(accession)
    rec["source_id"] = _text(find("rec-number")) or accession
    rec["issn"], rec["isbn"] = issn_isbn(_text(find("isbn")))
    rec["language"] = _text(find("language"))
    rec["keywords"] = split_list(_texts(element.findall("keywords/keyword")), ";")
    return rec


def parse(text: str, path: object = "<text>") -> list[dict]:
    """Records of an EndNote XML export (already decoded)."""
    records: list[dict] = []
    try:
        for _, element in iterparse(io.StringIO(text), events=("end",), forbid_dtd=False,
                                    forbid_entities=True, forbid_external=True):
            if element.tag == "record":
                records.append(to_record(element))
                element.clear()
    except ParseError as error:
        line = getattr(error, "position", (None, None))[0]
        reason = str(error).split(":")[0]
        raise InputError(path, f"the XML cannot be read ({reason})", line=line, expected=EXPECTED) from None
    except DefusedXmlException as error:
        raise InputError(path, f"the XML declares entities or external references ({type(error).__name__})",
                         expected=EXPECTED + " without a DTD") from None
    if not records:
        raise InputError(path, "no <record> elements found", expected=EXPECTED)
    return records

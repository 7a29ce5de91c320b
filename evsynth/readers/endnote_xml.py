"""EndNote XML (``File > Export > XML`` in EndNote; Mendeley and Zotero write the same layout).

``<xml><records><record>...</record></records></xml>``; each record holds ``ref-type`` (its
``name`` attribute is the type), ``contributors/authors/author``, ``titles/title``,
``titles/secondary-title`` and ``periodical/full-title`` (the journal), ``periodical/abbr-1``,
``pages``, ``volume``, ``number`` (EndNote) or ``issue`` (Mendeley), ``keywords/keyword``,
``dates/year``, ``isbn`` (ISSN or ISBN), ``accession-num``, ``electronic-resource-num`` (the DOI),
``urls/related-urls/url``, ``abstract``, ``language`` and ``rec-number``. EndNote wraps every text
in ``<style face=... font=... size=...>`` pieces, which are joined.

Parsed with lxml, record by record so that a large library is never held as one tree, with
entities off: no DTD is loaded, no entity is expanded, nothing is fetched from the network, and a
file that declares a DTD (the only place entities can be declared) is refused before parsing.
"""

from __future__ import annotations

import gc
import os
import re
from collections.abc import Callable

from lxml import etree

from evsynth.errors import InputError
from evsynth.readers.parallel import beside, error_fields, error_from, handed_back, split_point
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
from evsynth.records import Records

EXPECTED = "an EndNote XML export: <xml><records><record>...</record></records></xml>"
_PMID_SHAPE = re.compile(r"^\d{1,8}$")


def looks_like(head: str) -> bool:
    """Whether the start of a text is an EndNote XML export."""
    start = head.lstrip()[:4000]
    return start.startswith("<") and "<records>" in start and "<record>" in start


# The elements read, by tag (parents that tell two of the same tag apart are checked below).
_FIELDS = frozenset({
    "ref-type", "author", "title", "secondary-title", "alt-title", "full-title", "abbr-1", "abstract", "year",
    "date", "volume", "number", "issue", "pages", "url", "electronic-resource-num", "accession-num",
    "remote-database-name", "remote-database-provider", "rec-number", "isbn", "language", "keyword",
})
_URL_LISTS = frozenset({"related-urls", "web-urls"})
_PARENT_CHECKED = frozenset({"author", "url", "title"})


def _fields(record: etree._Element) -> dict[str, list[str]]:
    """Tag -> texts of the elements read, in document order (one pass over the record)."""
    fields: dict[str, list[str]] = {}
    for element in record.iter(_FIELDS):
        tag = element.tag
        if tag in _PARENT_CHECKED:
            parent = element.getparent().tag
            if tag == "author":
                if parent != "authors":
                    continue  # secondary, tertiary authors (editors, series editors)
            elif tag == "url":
                if parent not in _URL_LISTS:
                    continue  # pdf-urls, image-urls: attachments
            elif parent != "titles":
                continue
        if tag == "ref-type":
            value = element.get("name")
        else:
            value = element.text
            if len(element):
                # Each child is a Python object made on access (the cost of this loop): the one
                # <style> run EndNote wraps most values in is taken once.
                first = element[0]
                if value or len(element) > 1 or len(first) or first.tail:
                    value = "".join(element.itertext())  # several runs (italics in a title)
                else:
                    value = first.text
        if value:
            value = clean(value)
            if value:
                values = fields.get(tag)
                if values is None:
                    fields[tag] = [value]
                else:
                    values.append(value)
    return fields


def to_record(element: etree._Element) -> dict:
    fields = _fields(element)
    get = fields.get

    def one(tag: str) -> str | None:
        values = get(tag)
        return values[0] if values else None

    rec = new_record()
    rec["publication_type"] = one("ref-type")
    rec["title"] = one("title")
    rec["authors"] = name_list(get("author"))
    rec["abstract"] = one("abstract")
    rec["year"] = parse_year(one("year")) or parse_year(one("date"))
    abbrev = one("abbr-1") or one("alt-title")
    rec["journal"] = one("full-title") or one("secondary-title") or abbrev
    rec["journal_abbrev"] = abbrev
    rec["volume"] = one("volume")
    rec["issue"] = one("number") or one("issue")
    rec["pages"] = pages(one("pages"))
    urls = get("url") or []
    rec["url"] = urls[0] if urls else None
    rec["doi"] = doi_from(one("electronic-resource-num")) or doi_from_url(urls)
    accession = one("accession-num")
    database = (one("remote-database-name") or one("remote-database-provider") or "").lower()
    if accession:
        rec["wos_ut"] = wos_ut_from(accession)
        # The accession number is a PMID when the record came from PubMed/MEDLINE (or names no
        # database and has a PMID's shape: other databases' numbers are longer or not all digits).
        from_pubmed = not database or any(name in database for name in ("pubmed", "medline", "nlm"))
        if _PMID_SHAPE.match(accession) and from_pubmed:
            rec["pmid"] = pmid_from(accession)
    rec["source_id"] = one("rec-number") or accession
    rec["issn"], rec["isbn"] = issn_isbn(one("isbn"))
    rec["language"] = one("language")
    rec["keywords"] = split_list(get("keyword"), ";")
    return rec


class _Utf8Pieces:
    """A file the parser reads: the UTF-8 bytes of ``(text or bytes, start, end)`` pieces, a block at
    a time, so that no encoded copy of a whole half (100 MB and more) is made."""

    def __init__(self, *pieces: tuple[str | bytes, int, int]) -> None:
        self._pieces = [list(piece) for piece in pieces if piece[2] > piece[1]]

    def read(self, size: int) -> bytes:
        if not self._pieces:
            return b""
        piece = self._pieces[0]
        value, start, end = piece
        stop = min(start + size, end)
        if stop == end:
            self._pieces.pop(0)
        else:
            piece[1] = stop
        block = value[start:stop]
        return block.encode("utf-8") if isinstance(block, str) else block


def _whole(text: str) -> _Utf8Pieces:
    return _Utf8Pieces((text, 0, len(text)))


def _utf8(text: str, start: int) -> bytes:
    """``text[start:]`` in UTF-8, encoded a block at a time (no copy of the text first)."""
    return b"".join(text[at:at + _BLOCK].encode("utf-8") for at in range(start, len(text), _BLOCK))


_BLOCK = 1 << 20


def _records(source: str | _Utf8Pieces, path: object) -> list[dict]:
    """The records of an XML text (or of its pieces)."""
    data = source if isinstance(source, _Utf8Pieces) else _whole(source)
    records: list[dict] = []
    try:
        for _, element in etree.iterparse(data, events=("end",), tag="record", encoding="utf-8",
                                          resolve_entities=False, load_dtd=False, no_network=True,
                                          huge_tree=True):
            records.append(to_record(element))
            # Free what has been read: the record and the siblings before it.
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        line = error.position[0] if error.position else None
        raise InputError(path, f"the XML cannot be read ({error.msg})", line=line, expected=EXPECTED) from None
    return records


def _second_half(data: bytes, path: str, display: Callable[[dict], dict] | None) -> tuple:
    """Worker: (columns of the records, error fields or None) of ``<xml><records>`` + the rest of a
    file (``data``: its UTF-8 bytes, sent as bytes: a text would be encoded to be sent, decoded
    on arrival and encoded again for the parser)."""
    gc.disable()  # as read_export does: the parse allocates and frees nothing cyclic
    try:
        return handed_back(_records(_Utf8Pieces((_OPEN, 0, len(_OPEN)), (data, 0, len(data))), path), display), None
    except InputError as error:
        return None, error_fields(error)


# Above this size the second half of the records is read in a second process.
PARALLEL_BYTES = 20_000_000
# The second process's part: a record costs several times what it costs in the tagged formats, so
# the second process's start is a small part of its work (with 45%, this one read about 4 s of CPU
# longer than it per 100,000 records).
SECOND_SHARE = 0.5
_OPEN = "<xml><records>"
_CLOSE = "</records></xml>"


def read(text: str, path: object = "<text>", *, display: Callable[[dict], dict] | None = None) -> Records:
    """Records of an EndNote XML export (already decoded), each passed through ``display`` when
    given (in the process that read it)."""
    root = text.find("<records")
    if "<!DOCTYPE" in text[: root if root >= 0 else len(text)] or "<!ENTITY" in text[: max(root, 0)]:
        raise InputError(path, "the XML declares a DTD (entities or external references)",
                         expected=EXPECTED + " without a DTD")
    cut = text.find("</record>", split_point(len(text), SECOND_SHARE)) if len(text) > PARALLEL_BYTES and (os.cpu_count() or 1) > 1 else -1
    other = None
    if cut < 0:
        records = _records(text, path)
    else:
        cut += len("</record>")
        # The halves are each a document: the first closed, the second given the opening tags
        # (on the first line, so that its line numbers are the file's counted from the cut).
        rest = _utf8(text, cut)
        with beside(_second_half, rest, str(path), display) as second:
            records = _records(_Utf8Pieces((text, 0, cut), (_CLOSE, 0, len(_CLOSE))), path)
            result = second.result()
        if result is None:  # no second process here
            result = _second_half(rest, str(path), display)
        del rest
        other, stopped = result
        if stopped is not None:
            raise error_from(stopped, text.count("\n", 0, cut))
    if not len(Records(records, other)):
        raise InputError(path, "no <record> elements found", expected=EXPECTED)
    return Records([display(record) for record in records] if display else records, other)


def parse(text: str, path: object = "<text>") -> list[dict]:
    """Records of an EndNote XML export (already decoded), as ``read`` gives them, without ``display``."""
    return read(text, path).rows()

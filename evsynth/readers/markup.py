"""Text as exported, and as shown and matched.

Exports carry markup in their text: HTML and JATS/MathML tags in titles and abstracts (Crossref,
Zotero, IEEE, OpenAlex: ``<jats:p>``, ``<i>Staphylococcus</i>``, ``H<sub>2</sub>O``), HTML
entities (``&amp;``, ``&#x0027;``), the text ``NA`` where R tools wrote a missing abstract, and
e-mail addresses after author names (``Stillman, Andrew N. (andrew.stillman@uconn.edu)``, Zoological
Record). ``title``, ``abstract`` and ``authors`` are the text without them, for display and
matching; the exported text is kept in ``title_raw``, ``abstract_raw`` and ``authors_raw`` wherever
it differs, so nothing is lost, and a record's id is computed from the title as exported.
"""

from __future__ import annotations

import html
import re

# A tag: "<" then a name (or "/" and a name), attributes, ">". "p < 0.05" and "a<3" are not tags.
_TAG = re.compile(r"</?([A-Za-z][\w.-]*(?::[\w.-]+)?)(?:\s[^<>]{0,500})?/?>")
# The tags removed: HTML's text tags and JATS/MathML's (any name with a namespace prefix, jats:p,
# mml:mi, is one). A name from this list counts as a tag only where its closing tag is in the text
# too (or it is <br>/<hr>): a title "<A>" or "<Title>" is text.
_INLINE = frozenset({
    "i", "b", "em", "strong", "u", "sup", "sub", "sc", "span", "a", "font", "small", "tt", "mark", "inf",
    "italic", "bold", "scp", "underline", "monospace", "inline-formula",
})
_BLOCK = frozenset({"p", "div", "sec", "title", "list", "list-item", "li", "ul", "ol", "abstract", "h1", "h2", "h3",
                    "h4", "h5", "h6", "disp-formula", "label", "caption", "table", "tr", "td", "th", "blockquote"})
_VOID = frozenset({"br", "hr"})
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_EMAIL = re.compile(r"\s*[(\[<{]?\s*(?:e-?mail(?: address)?\s*:?\s*)?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\s*[)\]>}]?",
                    re.IGNORECASE)
# What tools write where there is no abstract.
_NO_ABSTRACT = frozenset({"na", "n/a", "n.a.", "nan", "null", "none", "-", "[no abstract available]",
                          "no abstract available", "no abstract available.", "no abstract", "abstract not available",
                          "none available.", "none available"})
_TEXT_FIELDS = ("title", "abstract")


def plain_text(value: str) -> str:
    """Text without HTML/JATS tags and entities, spaces collapsed."""
    if "&" in value:
        value = _ENTITY.sub(lambda match: html.unescape(match.group(0)), value)
    if "<" in value:
        lowered = value.lower()

        def replacement(match: re.Match) -> str:
            name = match.group(1).lower()
            local = name.rsplit(":", 1)[-1]
            if ":" not in name and name not in _VOID and not (
                    (name in _INLINE or name in _BLOCK) and f"</{name}" in lowered):
                return match.group(0)  # not markup: kept as text
            return "" if local in _INLINE or local in ("mi", "mo", "mn", "msub", "msup", "mrow", "math", "mtext") \
                else " "

        value = _TAG.sub(replacement, value)
    return " ".join(value.split())


def author_name(value: str) -> str:
    """An author's name without an e-mail address after it."""
    if "@" not in value:
        return value
    return " ".join(_EMAIL.sub(" ", value).split()).rstrip(",;")


def for_display(record: dict) -> dict:
    """The record with its text for display and matching; the exported text kept where it differs."""
    for field in _TEXT_FIELDS:
        value = record[field]
        if not value:
            continue
        shown = plain_text(value) if ("<" in value or "&" in value) else value
        if field == "abstract" and len(shown) < 40 and shown.lower() in _NO_ABSTRACT:
            shown = ""
        elif not shown:
            shown = value  # nothing but markup: keep the text as it is rather than lose it
        if shown != value:
            record[field + "_raw"] = value
            record[field] = shown or None
    authors = record["authors"]
    if authors and any("@" in name or "&" in name or "<" in name for name in authors):
        shown = [plain_text(author_name(name)) for name in authors]
        shown = [name for name in shown if name]
        if shown != authors:
            record["authors_raw"] = authors
            record["authors"] = shown
    return record

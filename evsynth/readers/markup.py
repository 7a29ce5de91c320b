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
# Tags inside a word or sentence ("H<sub>2</sub>O", "<i>in vivo</i>"): removed without a space.
_INLINE = frozenset({
    "i", "b", "em", "strong", "u", "sup", "sub", "sc", "span", "a", "font", "small", "tt", "mark", "inf",
    "jats:italic", "jats:bold", "jats:sup", "jats:sub", "jats:sc", "jats:underline", "jats:monospace",
    "italic", "bold", "scp", "mml:mi", "mml:mo", "mml:mn", "mml:msub", "mml:msup", "mml:mrow", "mml:math",
    "mml:mtext", "inline-formula", "jats:inline-formula",
})
_EMAIL = re.compile(r"\s*[(\[<{]?\s*(?:e-?mail(?: address)?\s*:?\s*)?[\w.+'-]+@[\w-]+(?:\.[\w-]+)+\s*[)\]>}]?",
                    re.IGNORECASE)
# What tools write where there is no abstract.
_NO_ABSTRACT = frozenset({"na", "n/a", "n.a.", "nan", "null", "none", "-", "[no abstract available]",
                          "no abstract available", "no abstract available.", "no abstract", "abstract not available",
                          "none available.", "none available"})
_TEXT_FIELDS = ("title", "abstract")


def _tag_replacement(match: re.Match) -> str:
    return "" if match.group(1).lower() in _INLINE else " "


def plain_text(value: str) -> str:
    """Text without HTML/JATS tags and entities, spaces collapsed."""
    if "&" in value:
        value = html.unescape(value)
    if "<" in value:
        value = _TAG.sub(_tag_replacement, value)
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

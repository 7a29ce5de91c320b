"""Field helpers shared by the readers: one normalisation for every format."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import unquote

from evsynth.records import FIELDS, normalise_doi, normalise_text, parse_year

__all__ = [
    "new_record", "clean", "text", "first_text", "first_of", "text_list", "name_list", "split_list", "pages", "issn_isbn",
    "doi_from", "doi_from_url", "bare_doi", "scopus_eid_from", "wos_ut_from", "pmid_from", "normalise_doi",
    "parse_year", "join_unique",
]

_LIST_FIELDS = ("authors", "keywords")


def new_record() -> dict:
    """A record with every field present: None, or [] for the list fields."""
    record = dict.fromkeys(FIELDS)
    record["authors"] = []
    record["keywords"] = []
    return record


def clean(value: object) -> str | None:
    """``records.normalise_text`` with a fast path for strings (the readers' hot loop)."""
    if value is None:
        return None
    if not isinstance(value, str):
        return normalise_text(value)
    if value.isascii():
        value = value.strip()
        # Tabs, newlines and the other ASCII whitespace but the space are not printable.
        if "  " in value or not value.isprintable():
            value = " ".join(value.split())
        return value or None
    value = " ".join(value.split())
    if not value:
        return None
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return value


text = clean


def first_text(*values: object) -> str | None:
    """The first value that is not empty after normalisation."""
    for value in values:
        if value:
            result = clean(value)
            if result:
                return result
    return None


def first_of(values: list | None) -> str | None:
    """``first_text`` of a list of values (a tag's values), without unpacking it: the readers' hot loop."""
    if values:
        for value in values:
            if value:
                result = clean(value)
                if result:
                    return result
    return None


def text_list(values: Iterable[object] | None) -> list[str]:
    """Normalised, non-empty values, duplicates dropped, order kept."""
    out: list[str] = []
    seen: set[str] = set()
    for value in values or ():
        item = clean(value)
        if item and item not in seen:
            seen.add(item)
            out.append(item)
    return out


def name_list(*lists: Iterable[object] | None) -> list[str]:
    """Author names, normalised, in order: a name repeated within one list is kept (two authors
    can share a name); a list that repeats an earlier one (RIS ``AU`` and ``A1``) adds nothing."""
    out: list[str] = []
    for values in lists:
        names = [name for name in (clean(value) for value in values or ()) if name]
        if not out:
            out = names
        else:
            seen = set(out)
            out.extend(name for name in names if name not in seen)
    return out


def split_list(values: Iterable[object] | object | None, separators: str = ";") -> list[str]:
    """Split each value on any of ``separators`` (characters) and normalise the parts."""
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    parts: list[str] = []
    if len(separators) == 1:
        for value in values:
            if value:
                parts.extend(str(value).split(separators))
    else:
        pattern = _splitter(separators)
        for value in values:
            if value:
                parts.extend(pattern.split(str(value)))
    return text_list(parts)


_SPLITTERS: dict[str, re.Pattern] = {}


def _splitter(separators: str) -> re.Pattern:
    pattern = _SPLITTERS.get(separators)
    if pattern is None:
        pattern = _SPLITTERS[separators] = re.compile("[" + re.escape(separators) + "]")
    return pattern


def join_unique(values: Iterable[object] | None, sep: str = "; ") -> str | None:
    if not values:
        return None
    if isinstance(values, list) and len(values) == 1:
        return clean(values[0])
    items = text_list(values)
    return sep.join(items) if items else None


_DASH = re.compile(r"\s*(?:--+|[-\u2010\u2011\u2012\u2013\u2014\u2212])\s*")


# What Ovid and others write where a record has no page numbers (Ovid splits "No Pagination
# Specified" over SP and EP: "No", "Specified").
_NO_PAGES = frozenset({"no", "pagination", "specified", "not", "available", "unknown", "none", "n/a", "na",
                       "page", "pages", "pp", "unpaginated", "without"})


def _no_page_numbers(*values: str | None) -> bool:
    words = " ".join(value for value in values if value).lower().replace(".", " ").split()
    return bool(words) and all(word in _NO_PAGES for word in words)


def pages(start: object, end: object = None) -> str | None:
    """``"123-130"`` from a start and an end page (or a range in ``start``).

    En dashes and BibTeX ``--`` become ``-``; an abbreviated end page as MEDLINE writes it
    (``1032-9``) is written out (``1032-1039``).
    """
    if end is None and start and start.isascii():  # the common cases: "112", "1231-40"
        if start.isdigit():
            return start
        first, dash, last = start.partition("-")
        if dash and first.isdigit() and last.isdigit():
            if len(last) < len(first) and int(last) < int(first):
                expanded = first[: len(first) - len(last)] + last
                if int(expanded) >= int(first):
                    last = expanded
            return f"{first}-{last}"
    first = clean(start)
    last = clean(end)
    if (first or last) and not any(char.isdigit() for char in (first or "") + (last or "")) \
            and _no_page_numbers(first, last):
        return None
    if first and not first.isalnum():
        first = _DASH.sub("-", first)
    if last and not last.isalnum():
        last = _DASH.sub("-", last)
    if first and not last and "-" in first:
        first, _, last = first.partition("-")
        first, last = first.strip() or None, last.strip() or None
    if not first:
        return last or None
    if not last or last == first:
        return first
    if first.isdigit() and last.isdigit() and len(last) < len(first) and int(last) < int(first):
        expanded = first[: len(first) - len(last)] + last
        if int(expanded) >= int(first):
            last = expanded
    return f"{first}-{last}"


_ISSN = re.compile(r"^\d{7}[\dX]$")
_ISBN = re.compile(r"^(?:\d{9}[\dX]|97[89]\d{10})$")
_ID_SPLIT = re.compile(r"[;,/|\s]+")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")


def _canonical_issn(value: str) -> bool:
    return (len(value) == 9 and value[4] == "-" and value[:4].isdigit() and value[5:8].isdigit()
            and (value[8].isdigit() or value[8] in "Xx"))


def issn_isbn(values: Iterable[object] | object | None) -> tuple[str | None, str | None]:
    """ISSNs (``1234-567X``) and ISBNs (digits only), each ``"; "``-joined, from mixed values.

    RIS ``SN`` carries either; Scopus writes ISSNs without the hyphen; MEDLINE adds
    ``(Electronic)``/``(Linking)``.
    """
    if not values:
        return None, None
    if isinstance(values, str):
        values = [values]
    issns: list[str] = []
    isbns: list[str] = []
    for value in values:
        if not value:
            continue
        value = str(value)
        if len(value) > 9 and value[9] == " " and value.endswith(")"):  # "1471-244X (Electronic)"
            head = value[:9]
            if value[10:11] == "(" and "(" not in value[11:] and _canonical_issn(head):
                value = head
        if _canonical_issn(value):
            value = value.upper()
            if value not in issns:
                issns.append(value)
            continue
        for token in _ID_SPLIT.split(_PARENS.sub(" ", value)):
            compact = token.replace("-", "").replace("\u2010", "").upper()
            if _ISSN.match(compact):
                issn = f"{compact[:4]}-{compact[4:]}"
                if issn not in issns:
                    issns.append(issn)
            elif _ISBN.match(compact):
                if compact not in isbns:
                    isbns.append(compact)
    return ("; ".join(issns) or None), ("; ".join(isbns) or None)


def doi_from(*values: object) -> str | None:
    """The first DOI found in the values (plain, ``doi:`` or a doi.org URL)."""
    for value in values:
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            found = doi_from(*value)
        else:
            found = normalise_doi(str(value))
        if found:
            return found
    return None


def doi_from_url(*urls: object) -> str | None:
    """A DOI from URLs that carry one in their path (doi.org/..., .../doi/...)."""
    for url in urls:
        if url is None:
            continue
        if isinstance(url, (list, tuple)):
            found = doi_from_url(*url)
            if found:
                return found
            continue
        lowered = str(url).lower()
        if "doi.org/" in lowered or "/doi/" in lowered:
            found = normalise_doi(unquote(str(url)).split("?", 1)[0].split("#", 1)[0])
            if found:
                return _without_page_suffix(found)
    return None


# Publisher sites put the page after the DOI (".../doi/10.1002/ajim.22183/abstract"); a DOI's own
# suffix may contain "/", so only these known page names are cut off.
_PAGE_SUFFIX = re.compile(r"(?:/(?:abstract|abs|full|fulltext|pdf|epdf|pdfdirect|pdfplus|summary|references|"
                          r"citedby|suppinfo|supplemental|figures|tables|html|meta|epub|issuetoc|info|"
                          r"full-text|text))+/?$")


def _without_page_suffix(doi: str) -> str:
    return _PAGE_SUFFIX.sub("", doi)


def bare_doi(values: Iterable[object] | None) -> str | None:
    """A DOI written bare (``10.1016/j.x.2016.06.041``), as EBSCO writes it in RIS ``L3``."""
    for value in values or ():
        text = str(value).strip()
        if text.startswith("10.") or text.lower().startswith("doi:"):
            found = normalise_doi(text)
            if found:
                return found
    return None


_EID = re.compile(r"\b(2-s2\.0-\d+)")
_UT = re.compile(r"\b(WOS:[0-9A-Z]{15})\b", re.IGNORECASE)
_PMID_LABELLED = re.compile(r"\b(?:PMID|PubMed ID|PUBMED|MEDLINE)\s*[:=]?\s*(\d{1,9})\b", re.IGNORECASE)
_PMID_URL = re.compile(r"pubmed(?:\.ncbi\.nlm\.nih\.gov)?/(\d{1,9})/?$", re.IGNORECASE)
_DIGITS = re.compile(r"^\d{1,9}$")


def scopus_eid_from(*values: object) -> str | None:
    for value in values:
        if value is None:
            continue
        value = str(value)
        if "2-s2.0-" not in value:
            continue
        match = _EID.search(value)
        if match:
            return match.group(1)
    return None


def wos_ut_from(*values: object) -> str | None:
    for value in values:
        if value is None:
            continue
        match = _UT.search(str(value))
        if match:
            return match.group(1).upper()
    return None


def pmid_from(value: object, *, labelled: bool = False) -> str | None:
    """A PMID: the bare digits, or (``labelled``) the digits after ``PMID:``."""
    if value is None:
        return None
    raw = str(value).strip()
    if labelled:
        match = _PMID_LABELLED.search(raw)
        return match.group(1) if match else None
    if raw.endswith(".0"):  # a number that went through a spreadsheet
        raw = raw[:-2]
    if not _DIGITS.match(raw):
        match = _PMID_URL.search(raw)  # OpenAlex: https://pubmed.ncbi.nlm.nih.gov/12345678
        if not match:
            return None
        raw = match.group(1)
    # Abstrackr and others write 0 where a record has no PMID; a PMID is a positive number.
    return raw if raw.strip("0") else None

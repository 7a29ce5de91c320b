"""Comparison keys of each record: the fields as the matcher sees them.

Everything here is per record and independent of the other records, so it runs once in a single
pass (plain Python over lists: regular expressions have no vectorised form that would be faster).
The result is a :class:`Prepared` table of numpy arrays, one element per record, with '' (or 0 for
numbers) where a field is missing.

What normalisation absorbs:
- case, diacritics, punctuation, HTML entities and tags, Greek letters spelled out or not;
- a translated title in brackets (``[Title]`` from MEDLINE), and a trailing original-language
  title or ``LA: xxx`` tag;
- erratum / retraction / comment notices, conference abstracts and preprints are *recognised*
  (``kind``) rather than normalised away, so that a notice never merges with its article;
- a journal name prefixed to the title field is removed;
- authors as ``Surname, Given``, ``Given Surname`` or ``Surname GH`` become ``surname`` keys
  with name particles (van, de, ...) dropped, and Cyrillic / Greek names are transliterated;
- journal names become a normalised string (abbreviations are matched later, in
  :mod:`evsynth.dedup.journals`);
- pages become first and last page (``742-8; discussion 748-9`` -> 742, 748).
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from evsynth.columns import python_values
from evsynth.records import normalise_doi, parse_year

# --- text -------------------------------------------------------------------------------------

# Hand-written because no library in the stack does it: Cyrillic and Greek to Latin, enough to
# compare author surnames that one database exports in the original script and another
# transliterated (scholarly / ISO 9 simplified). CJK is left as is.
_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh",
    "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
    "α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i",
    "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s",
    "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}
_TRANSLIT_TABLE = str.maketrans(_TRANSLIT)
_OTHER_SCRIPT = re.compile("[\u0370-\u03ff\u0400-\u04ff]")  # Greek, Cyrillic: the scripts transliterated
# Greek letters inside Latin titles are usually spelled out by one database and not another.
_GREEK_WORDS = {
    "α": " alpha ", "β": " beta ", "γ": " gamma ", "δ": " delta ", "ε": " epsilon ", "κ": " kappa ",
    "λ": " lambda ", "μ": " mu ", "τ": " tau ", "ω": " omega ", "µ": " mu ",
}
_GREEK_TABLE = str.maketrans(_GREEK_WORDS)
_SPECIAL = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ð": "d", "þ": "th", "ł": "l",
                          "đ": "d", "ı": "i", "&": " and ", "+": " plus "})
_TAG = re.compile(r"</?[a-zA-Z][^>]{0,40}>")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower case, HTML entities decoded, Latin diacritics removed; other scripts kept."""
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if text.isascii():
        return text.lower().translate(_SPECIAL)
    text = text.casefold().translate(_SPECIAL)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


# ASCII fast path of `words`: upper case to lower, every other non-alphanumeric byte to a space.
_ASCII_WORDS = bytes(
    (c + 32 if 65 <= c <= 90 else c) if (48 <= c <= 57 or 65 <= c <= 90 or 97 <= c <= 122) else 32
    for c in range(256))


def words(text: str) -> str:
    """Folded text reduced to words separated by single spaces."""
    if text.isascii() and "&" not in text and "<" not in text and "+" not in text:
        return " ".join(text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split())
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


_NON_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff\u2000-\u206f\W\d_]")


def _is_latin(text: str) -> bool:
    if text.isascii():
        return True
    other = len(_NON_LATIN.findall(text))
    letters = sum(1 for ch in text if ch.isalpha())
    return other <= 0.5 * letters


# --- titles -----------------------------------------------------------------------------------

_ERRATUM = re.compile(
    r"^(?:erratum|errata|corrigend(?:um|a)|published erratum|author correction|publisher correction"
    r"|correction(?:s)?(?=\s*(?:to|for|on|of article|notice|$|[:\-\[(]))|addendum(?=\s*(?:to|$|[:\-]))"
    r"|notice of (?:correction|erratum))\b",
)
_ERRATUM_ANYWHERE = re.compile(r"\b(?:erratum|errata|corrigendum)\s+(?:to|for|on|in)\b")
_RETRACTION = re.compile(
    r"^(?:retraction(?:\s+(?:note|notice|statement))?|notice of retraction|retraction of|"
    r"expression of concern|withdrawal notice|removal notice)\b")
_RETRACTED_MARK = re.compile(r"^\W*(?:retracted(?: article)?|withdrawn|reprint|proceedings)\s*[:.\-\]]\s*")
_COMMENT = re.compile(
    r"^(?:comments?\s+(?:on|to|about|regarding)|commentary\s+(?:on|to)|commentary\s*:|comment\s*:|re\s*:|"
    r"reply\b|replies\b|response\s+to|responses\s+to|in\s+response|in\s+reply|authors?'?s?\s+reply|"
    r"reply\s+to|a\s+reply|rebuttal|letter\s+to\s+the\s+editor|letter\s*:|author\s+response|"
    r"authors?'?\s+response|editorial\s+comment|invited\s+commentary)")
_COMMENT_TAIL = re.compile(r"[\[(](?:comment|letter|reply|editorial)s?[\])]\s*$")
# Publication types (RIS TY / MEDLINE PT / Scopus document type / BibTeX entry type).
_PT_ERRATUM = re.compile(r"errat|correction|corrigend")
_PT_RETRACTION = re.compile(r"retraction(?! of publication)|expression of concern|^retracted publication$(?!)")
_PT_COMMENT = re.compile(r"comment|letter|reply|editorial|news")
_PT_CONFERENCE = re.compile(r"conference|congress|meeting|proceeding|abstract|symposium|poster|"
                            r"^conf$|^cpaper$|^abst$|inproceedings|^proceedings$")
_PT_PREPRINT = re.compile(r"preprint|working paper|posted content")
_JOURNAL_CONFERENCE = re.compile(r"\b(?:abstracts?|congress|conference|meeting|symposium|workshop|"
                                 r"annual (?:scientific )?sessions?|poster)\b")
_PREPRINT_SOURCE = re.compile(r"\b(?:medrxiv|biorxiv|arxiv|chemrxiv|psyarxiv|socarxiv|ssrn|research square|"
                              r"preprints|osf preprints|authorea|techrxiv|eartharxiv|sportrxiv|jmir preprints)\b")
_PREPRINT_DOI = re.compile(r"^10\.(?:1101|21203|2139|48550|20944|31234|31219|31235|36227|22541|26434|31730)/")

_BRACKETED = re.compile(r"^\s*\[(?P<inner>.+)\]\s*(?P<tail>.*)$", re.S)
# Languages a database names in a tag after the title ("[Chinese]", "[Article in German]").
_LANGUAGES = ("chinese|german|french|spanish|japanese|russian|italian|portuguese|polish|dutch|czech|hungarian|"
              "korean|turkish|danish|swedish|norwegian|finnish|hebrew|greek|croatian|serbian|slovak|slovene|"
              "slovenian|persian|arabic|romanian|bulgarian|ukrainian|lithuanian|estonian|latvian|icelandic|"
              "catalan|thai|vietnamese|indonesian|malay|afrikaans")
# Database tags after a title ("[Review] [45 refs]", "(Structured abstract)", "[Article in German]",
# "[abstract]"): added by one database and not another, so they are no part of the title. The
# last one may be cut short by the export ("(Structured a").
_TAIL_NOISE = re.compile(
    r"(?:\s*[\[(](?:review|comments?|letter|editorial|abstract|article in [a-z ]+|in [a-z]+|"
    r"author'?s? transl|[a-z]+ abstract(?: available)?|see comments?|\d+ ref(?:erence)?s?|structured|"
    r"provisional|in process citation|e-?pub ahead of print|" + _LANGUAGES + r")[^\])]*(?:[\])]|$))+\s*$"
    r"|\s*\.?\s*(?:la:\s*\w+|review \d+ refs|\d+ refs)\s*$"
    r"|\s*\[?(?:erratum appears in|erratum in|comment in|update in|update of|retraction in|"
    r"republished in|expression of concern in)\b.*$", re.I | re.S)
_TAIL_TRIGGER = re.compile(r"[\[(]|la:|refs\b|erratum|comment in|update (?:in|of)|retraction in|republished|"
                           r"expression of concern")
_TRAILING_BRACKET = re.compile(r"^(?P<head>.{20,}?)\s*\[(?P<inner>[^\[\]]{20,})\]\s*\.?$", re.S)
_ORIGINAL = re.compile(r"\s*<original>.*$", re.I | re.S)
_THOUSANDS = re.compile(r"(?<!\S)\d{1,3}(?: \d{3})+(?!\S)")
_DIGIT_SPACE_DIGIT = re.compile(r"\d \d")


_ENGLISH_WORDS = frozenset("the of and in for with on to a an from by as at is are its their between among after "
                           "during versus into using under how why what does do can".split())
_OTHER_WORDS = frozenset(
    "der die das und zum zur fur mit von im eine ein des den dem bei auf uber als aus nach wie zu "
    "le la les du et une dans sur pour par avec au aux chez est "
    "el los las del y con para por una em na com uma sobre entre "
    "il lo gli della delle dei nel nella per "
    "het een van bij voor met op".split())


def title_language(key: str) -> str:
    """'en', 'other' or '' (cannot tell) from the function words of a normalised title."""
    if not key:
        return ""
    if not _is_latin(key):
        return "other"
    tokens = key.split()
    english = sum(t in _ENGLISH_WORDS for t in tokens)
    other = sum(t in _OTHER_WORDS for t in tokens)
    if english > other:
        return "en"
    if other > english:
        return "other"
    return ""


@functools.lru_cache(maxsize=64)
def _separated_prefix(n_words: int) -> re.Pattern:
    return re.compile(r"^\W*(?:\w+\W+){%d}\w+\s*[:.\-\u2013|]" % (n_words - 1))


@dataclass(frozen=True)
class TitleInfo:
    key: str  # normalised words
    alt: str  # a second title found in the field (original-language title), '' if none
    kind: str  # article / erratum / retraction / comment
    translated: bool = False  # a translated title in brackets, a second title, or a non-Latin script


def parse_title(raw: str | None, journal_keys: tuple[str, ...] = ()) -> TitleInfo:
    """Normalised title, any second title in the field, and the notice kind it reveals."""
    if not raw:
        return TitleInfo("", "", "article")
    text = html.unescape(str(raw)).strip().strip('"').strip()
    text = _TAG.sub("", text)
    lowered = fold(text).strip()
    lowered = _RETRACTED_MARK.sub("", lowered)
    kind = "article"
    if _ERRATUM.match(lowered) or _ERRATUM_ANYWHERE.search(lowered[:60]):
        kind = "erratum"
    elif _RETRACTION.match(lowered):
        kind = "retraction"
    elif _COMMENT.match(lowered) or _COMMENT_TAIL.search(lowered):
        kind = "comment"
    alt = ""
    lowered = _ORIGINAL.sub("", lowered)
    match = _BRACKETED.match(lowered)
    if match:
        # MEDLINE puts a translated title in brackets; whatever follows is a language tag or the
        # original title.
        lowered = match.group("inner")
        tail = match.group("tail").strip(" .")
        if len(tail.split()) > 3:
            alt = tail
    if _TAIL_TRIGGER.search(lowered):
        lowered = _TAIL_NOISE.sub("", lowered).strip()
    # "Original title [English title]" / "English title [Original title]"
    trailing = _TRAILING_BRACKET.match(lowered) if lowered.endswith(("]", "].")) else None
    if trailing:
        lowered, alt = trailing.group("head"), trailing.group("inner")
    # Two titles separated by ' = ' or '; ' where both are long (translated + original).
    if not alt:
        for sep in (" = ", "; ", " / "):
            if sep in lowered:
                head, _, tail = lowered.partition(sep)
                if len(head.split()) >= 4 and len(tail.split()) >= 4:
                    lowered, alt = head, tail
                    break
    latin = _is_latin(lowered)
    translated = bool(match) or bool(alt) or not latin
    key = words(lowered.translate(_GREEK_TABLE)) if latin else words(lowered)
    if _DIGIT_SPACE_DIGIT.search(key):
        key = _THOUSANDS.sub(lambda m: m.group(0).replace(" ", ""), key)  # '10 000' / '10,000' -> '10000'
    alt_key = words(alt.translate(_GREEK_TABLE)) if alt else ""
    # A journal name stuck in front of the title ("Lancet Oncology: Title"), set off by a colon,
    # full stop or dash: a title may also start with the journal's name ('Stroke and aphasia' in
    # Stroke).
    for journal in journal_keys:
        if (journal and len(journal) >= 5 and key.startswith(journal + " ") and len(key) - len(journal) > 15
                and _separated_prefix(len(journal.split())).match(lowered)):
            key = key[len(journal) + 1:]
            break
    # A title field holding only the journal's name is no title.
    if key and key in journal_keys:
        key = ""
    return TitleInfo(key, alt_key, kind, translated)


# --- authors ----------------------------------------------------------------------------------

_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "dos", "das", "du", "la",
              "le", "st", "ten", "ter", "vander", "al", "el", "bin", "ben", "mac"}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "2nd", "3rd"}
_ETAL = re.compile(r"\bet\.?\s*al\.?|\band others\b|\[?anonymous\]?", re.I)
_INITIALS = re.compile(r"^[A-Z]{1,3}$")


def _name_words(text: str) -> list[str]:
    """Words of a name, ASCII (diacritics dropped, Cyrillic and Greek transliterated)."""
    if text.isascii():
        return text.encode("ascii").translate(_ASCII_WORDS).decode("ascii").split()
    folded = fold(text).translate(_TRANSLIT_TABLE).replace("?", "")  # '?': a character lost in export
    return _NON_WORD.sub(" ", folded).split()


_INITIALS_ONLY = re.compile(r"^(?:[A-Za-z]\.\s*-?\s*)+[A-Za-z]?\.?$|^[A-Z]{1,3}$")


def parse_author(name: str) -> tuple[str, str]:
    """(surname key, first given name or initial) of one author in any of the usual layouts.

    'Carignani, Andrea' -> ('carignani', 'andrea'); 'Smith JA' -> ('smith', 'j');
    'van Schalkwyk, E. M.' -> ('schalkwyk', 'e'); 'АЗЬМУК, Н. А.' -> ('azmuk', 'n').
    """
    name = str(name)
    low = name.lower()
    if "al" in low or "others" in low or "anonym" in low:
        name = _ETAL.sub("", name)
    name = name.strip(" ,;.")
    if not name:
        return "", ""
    if "," in name:
        surname, _, given = name.partition(",")
        given = given.strip()
        if given.strip(". ").lower() in _SUFFIXES and "," in given:
            given = given.split(",", 1)[1]
    else:
        parts = name.split()
        if len(parts) == 1:
            surname, given = parts[0], ""
        elif _INITIALS.match(parts[-1].replace(".", "")) and not _INITIALS.match(parts[0].replace(".", "")):
            surname, given = " ".join(parts[:-1]), parts[-1]  # MEDLINE "Smith JA"
        else:
            surname, given = parts[-1], " ".join(parts[:-1])
    tokens = [t for t in _name_words(surname.replace("?", "")) if t not in _SUFFIXES]
    while len(tokens) > 1 and tokens[0] in _PARTICLES:
        tokens = tokens[1:]
    given = given.strip()
    given_tokens = [t for t in _name_words(given) if t not in _SUFFIXES]
    first_given = given_tokens[0] if given_tokens else ""
    if first_given and _INITIALS_ONLY.match(given):
        first_given = first_given[0]  # "J. C. H." / "JCH"
    return "".join(tokens), first_given


_author_cache: dict[str, tuple[str, str]] = {}


def _author(name: str) -> tuple[str, str]:
    hit = _author_cache.get(name)
    if hit is None:
        hit = parse_author(name)
        if len(_author_cache) < 500_000:
            _author_cache[name] = hit
    return hit


def parse_authors(authors: object) -> list[tuple[str, str]]:
    """(surname key, first given name) of each author in a list or an 'A and B' string."""
    if authors is None or (isinstance(authors, float) and np.isnan(authors)):
        return []
    if isinstance(authors, str):
        items = re.split(r"\s+and\s+|;\s*", authors)
    else:
        items = list(authors)
    out = []
    for item in items:
        if item is None:
            continue
        parsed = _author(str(item))
        if parsed[0]:
            out.append(parsed)
    return out


# --- numbers ----------------------------------------------------------------------------------

_PAGE_RANGE = re.compile(r"^\s*([a-z]*)(\d+)([a-z]*)\s*(?:-+|–|—|to)\s*([a-z]*)(\d+)([a-z]*)", re.I)
_PAGE_SINGLE = re.compile(r"^\s*([a-z]*)(\d+)(\.?[a-z]\d*)?", re.I)
# A page range a spreadsheet took for a date: '1-8' shown as '01-Aug' (day-month), '7-23' as
# '23-Jul', '9-17' as 'Sep-17' (month-year). The two numbers are the range, smaller first.
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_PAGES = re.compile(r"^\s*(?:(\d{1,2})-([a-z]{3})|([a-z]{3})-(\d{1,2}))\s*$", re.I)
_MONTH_START = re.compile(r"^(?:\d{1,2}-(?:%s)|(?:%s)-\d)" % ("|".join(_MONTHS), "|".join(_MONTHS)), re.I)


def _month_pages(text: str) -> tuple[str, str] | None:
    match = _MONTH_PAGES.match(text)
    if not match:
        return None
    day, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    if month.lower() not in _MONTHS or int(day) == 0:
        return None
    low, high = sorted((int(day), _MONTHS.index(month.lower()) + 1))
    return str(low), str(high)


def _parse_range(text: str) -> tuple[str, str]:
    match = _PAGE_RANGE.match(text)
    if match:
        pre1, first, suf1, pre2, last, _ = match.groups()
        first = first.lstrip("0") or "0"
        last = last.lstrip("0") or "0"
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        prefix = (pre1 or pre2).lower()
        return prefix + first + suf1.lower(), prefix + last
    match = _PAGE_SINGLE.match(text)
    if match:
        prefix, number, suffix = match.groups()
        number = number.lstrip("0") or "0"
        if suffix and not suffix.startswith("."):
            # '811a' (abstract number) keeps its letter; 'e1234' keeps its prefix
            return prefix.lower() + number + suffix.lower(), ""
        return prefix.lower() + number, ""
    return "", ""


def _page_number(page: str) -> int:
    digits = re.sub(r"\D", "", page)
    return int(digits) if digits else 1 << 40


def parse_pages(value: object) -> tuple[str, str]:
    """(first, last) page as text without leading zeros; last expanded ('742-8' -> '748').

    An article printed in several parts ('233-8, 230-5, 246-51') starts at its lowest page.
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "", ""
    text = str(value).strip().strip('"')
    if not text:
        return "", ""
    if _MONTH_START.match(text):
        return _month_pages(text) or ("", "")
    parts = [_parse_range(piece) for piece in re.split(r"[;,+]", text)]
    parts = [part for part in parts if part[0]]
    if not parts:
        return "", ""
    if len(parts) > 1 and all(re.fullmatch(r"\d+", part[0]) for part in parts):
        return min(parts, key=lambda part: _page_number(part[0]))
    return parts[0]


_FIRST_NUMBER = re.compile(r"\d+")


def parse_number(value: object) -> str:
    """First run of digits of a volume or issue ('35 ( Pt 1)' -> '35', '29A' -> '29')."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    match = _FIRST_NUMBER.search(str(value))
    return match.group(0).lstrip("0") if match else ""


_SUPPLEMENT = re.compile(r"suppl|supplement|\bs\d|abstract", re.I)


# --- journals ---------------------------------------------------------------------------------

_JOURNAL_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_JOURNAL_STOP = {"the", "of", "and", "for", "in", "on", "de", "la", "le", "des", "du", "der", "und",
                 "fur", "et", "y", "i", "a", "an", "da", "do", "e", "di", "del", "della", "zur", "d", "l"}


def journal_names(*values: object) -> tuple[str, ...]:
    """All normalised forms of a journal field: the whole, and each part of 'A = B' / 'A: B'."""
    out: list[str] = []

    def add(key: str) -> None:
        if key and key not in out:
            out.append(key)

    for value in values:
        if value is None or (isinstance(value, float) and np.isnan(value)):
            continue
        text = fold(str(value)).strip().strip('"')
        if not text:
            continue
        inner = [m.strip("()[] ") for m in _JOURNAL_PAREN.findall(text)]
        text = _JOURNAL_PAREN.sub(" ", text)
        pieces = [text]
        for sep in ("=", ":", " - ", ". "):
            pieces += [part for piece in pieces if sep in piece for part in piece.split(sep)]
        # '[Japanese journal of ...]' names the journal; '(Amsterdam, Netherlands)' does not
        pieces += [m for m in inner if "," not in m and len(m.split()) >= 3]
        seen: set[str] = set()
        for piece in pieces:
            piece = piece.strip()
            if not piece or piece in seen:
                continue
            seen.add(piece)
            key = journal_key(piece)
            add(key)
            if "-" in piece:
                add(journal_key(piece.replace("-", " ")))  # 'Pathologie-biologie' ~ 'Pathol Biol'
            # 'AMCIS 2017 Proceedings', 'Proceedings of the 2016 CHI Conference': the name without
            # years, ordinals and 'proceedings' is the series' name or acronym
            tokens = key.split()
            bare = [t for t in tokens if t not in _CONFERENCE_NOISE and not t[0].isdigit()]
            if bare and len(bare) < len(tokens):
                add(" ".join(bare))
    return tuple(out)


_CONFERENCE_NOISE = {"proceedings", "proc", "first", "second", "third", "fourth", "fifth", "sixth",
                     "seventh", "eighth", "ninth", "tenth", "twentieth", "thirtieth", "fortieth",
                     "fiftieth", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty",
                     "ninety", "th", "st", "nd", "rd"}


def journal_key(text: str) -> str:
    """Lower-case words of a journal name with hyphens joined and stop words dropped."""
    text = fold(text).replace("-", "").replace("'", "")
    tokens = [t for t in _NON_WORD.sub(" ", text).split() if t not in _JOURNAL_STOP]
    return " ".join(tokens)


def _with_aliases(names_list: list[tuple], raw: list[tuple[str, str]]) -> list[tuple]:
    """Each journal's names plus the aliases the exports themselves give: a field such as
    'Ai zheng = Aizheng = Chinese journal of cancer' says that a record giving only 'Aizheng' and
    one giving only 'Chinese Journal of Cancer' are in the same journal."""
    groups: list[set[str]] = []
    for journal, _ in raw:
        if "=" not in journal:
            continue
        keys = {names[0] for piece in journal.split("=") if (names := journal_names(piece))}
        if len(keys) < 2:
            continue
        overlapping = [g for g in groups if g & keys]
        for g in overlapping:
            keys |= g
            groups.remove(g)
        groups.append(keys)
    if not groups:
        return names_list
    alias_of = {key: group for group in groups for key in group}
    out = []
    for names in names_list:
        extra = [a for name in names if name in alias_of for a in sorted(alias_of[name]) if a not in names]
        out.append(tuple(names) + tuple(dict.fromkeys(extra)) if extra else names)
    return out


# --- the prepared table -----------------------------------------------------------------------

@dataclass
class Prepared:
    """Comparison keys of every record, aligned with the input rows."""

    record_id: np.ndarray
    title: np.ndarray  # normalised words
    title_alt: np.ndarray  # second title in the same field ('' if none)
    translated: np.ndarray  # bool: the title is a translation or in another script
    language: np.ndarray  # 'en' / 'other' / '' from the title's function words
    kind: np.ndarray  # article / erratum / retraction / comment / conference / preprint / thesis
    kind_strong: np.ndarray  # bool: the kind is certain (said by the title, or a notice/preprint type)
    authors: np.ndarray  # surnames joined by spaces (first 12 authors)
    authors_given: np.ndarray  # first given names joined by spaces (names exported swapped)
    first_author: np.ndarray
    n_authors: np.ndarray
    year: np.ndarray  # int32, 0 when missing
    journal: np.ndarray  # main normalised journal name
    journal_code: np.ndarray  # int: index of the record's journal *names* tuple in `journal_names`
    journal_names: list  # distinct tuples of normalised names
    issn: np.ndarray  # normalised ISSNs joined by ' '
    volume: np.ndarray
    issue: np.ndarray
    page_first: np.ndarray
    page_last: np.ndarray
    supplement: np.ndarray  # bool: volume/issue/pages say supplement or abstract number
    doi: np.ndarray
    pmid: np.ndarray
    wos_ut: np.ndarray
    scopus_eid: np.ndarray
    abstract: np.ndarray  # normalised words, first 400 characters
    authors_other_script: np.ndarray | None = None  # bool: names in Cyrillic or Greek as exported

    def __len__(self) -> int:
        return len(self.record_id)

    def take(self, index: np.ndarray) -> "Prepared":
        """Rows `index` (used by tests and for inspection)."""
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            values[f.name] = value if f.name == "journal_names" or value is None else value[index]
        return Prepared(**values)


_ISSN = re.compile(r"\b(\d{4})-?(\d{3}[\dxX])\b")
_PMID = re.compile(r"\d{1,9}")


def _texts(records: pd.DataFrame, name: str) -> list[str]:
    """A column as stripped strings, '' for missing (None, NaN, NA)."""
    if name not in records.columns:
        return [""] * len(records)
    # text (most values) stripped without a call; anything else through _text
    return [value.strip() if type(value) is str else _text(value) for value in python_values(records[name])]


def _text(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value).strip()


def _texts_in_slices(records: pd.DataFrame, name: str, size: int = 20_000):
    """The column's values as `_texts` gives them, made a slice at a time: a column held in Arrow
    (:mod:`evsynth.dedup.storage`) never exists whole as Python strings."""
    if name not in records.columns:
        yield from [""] * len(records)
        return
    column = records[name]
    for start in range(0, len(column), size):
        yield from _texts(column.iloc[start:start + size].to_frame(), name)


def _distinct_texts(records: pd.DataFrame, name: str) -> tuple[list[str], np.ndarray]:
    """The column's distinct values as `_texts` gives them, and each row's index into them.

    For a column held in Arrow (:mod:`evsynth.dedup.storage`) Arrow finds the distinct values, so
    the rows never exist as Python strings and a value several databases exported is parsed once.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(records)
    if name not in records.columns:
        return [""], np.zeros(n, dtype=np.int64)
    column = records[name]
    kind = column.dtype.pyarrow_dtype if isinstance(column.dtype, pd.ArrowDtype) else None
    if kind is not None and (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        chunked = column.array.__arrow_array__()
        uniques = pc.unique(chunked)
        codes = pc.index_in(chunked, value_set=uniques)
        codes = np.concatenate([np.asarray(c.to_numpy(zero_copy_only=False), dtype=np.int64) for c in codes.chunks]) \
            if codes.num_chunks else np.zeros(0, dtype=np.int64)
        values = [v.strip() if type(v) is str else _text(v) for v in uniques.to_numpy(zero_copy_only=False).tolist()]
        return values, codes
    codes, uniques = pd.factorize(_obj(_texts(records, name)))
    return list(uniques), codes.astype(np.int64)


def _per_unique(values: list[str], function) -> list:
    """`function` of each value, computed once per distinct value."""
    cache: dict = {}
    out = []
    for value in values:
        hit = cache.get(value)
        if hit is None:
            hit = cache[value] = function(value)
        out.append(hit)
    return out


def _author_keys_arrow(column: pd.Series, max_authors: int) -> tuple | None:
    """``_author_keys`` for an Arrow list-of-text column (:mod:`evsynth.dedup.storage`), or None
    for any other column.

    Each distinct name is parsed once and the per-record keys are assembled by Arrow (offsets,
    ``take`` and ``binary_join``), so no Python list is made per record: at a million records
    the per-record loop cost more than parsing the names.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(column.dtype, pd.ArrowDtype):
        return None
    kind = column.dtype.pyarrow_dtype
    if not (pa.types.is_list(kind) and pa.types.is_string(kind.value_type)):
        return None
    flats, rows, start = [], [], 0
    for chunk in column.array.__arrow_array__().chunks:
        offsets = chunk.offsets.to_numpy()
        flats.append(chunk.values.slice(int(offsets[0]), int(offsets[-1] - offsets[0])))
        row = np.repeat(np.arange(start, start + len(chunk), dtype=np.int64), np.diff(offsets))
        if chunk.null_count:  # a missing list has no names, whatever its offsets say
            row[chunk.is_null().to_numpy(zero_copy_only=False)[row - start]] = -1
        rows.append(row)
        start += len(chunk)
    n = start
    row = np.concatenate(rows) if rows else np.empty(0, np.int64)
    encoded = pc.dictionary_encode(pa.concat_arrays(flats) if flats else pa.array([], pa.string()))
    del flats, rows
    code = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    names = encoded.dictionary.to_pylist()
    del encoded
    parsed = [parse_author(name) for name in names]
    surname = pa.array([s for s, _ in parsed], pa.string())
    given = pa.array([g for _, g in parsed], pa.string())
    script = np.array([bool(_OTHER_SCRIPT.search(name)) for name in names] + [False], dtype=bool)
    del parsed, names
    named = (code >= 0) & (row >= 0)
    # names in another script, as exported (also those that give no surname)
    other_script = np.bincount(row[named & script[code]], minlength=n) > 0
    # the first `max_authors` names with a surname, in order
    keep = named & (pc.binary_length(surname).to_numpy(zero_copy_only=False) > 0)[np.maximum(code, 0)]
    counts = np.bincount(row[keep], minlength=n)
    before = np.concatenate([[0], np.cumsum(counts)[:-1]])
    rank = np.cumsum(keep) - 1 - before[np.maximum(row, 0)]
    keep &= rank < max_authors
    n_authors = np.minimum(counts, max_authors)
    kept = pa.array(code[keep], pa.int64())
    offsets = pa.array(np.concatenate([[0], np.cumsum(n_authors)]), pa.int64())

    def joined(keys: pa.Array) -> np.ndarray:
        lists = pa.LargeListArray.from_arrays(offsets, keys.take(kept))
        return pc.binary_join(lists, " ").to_numpy(zero_copy_only=False)

    authors, authors_given = joined(surname), joined(given)
    first = np.full(n, "", dtype=object)
    has = n_authors > 0
    first[has] = surname.take(kept.take(pa.array(np.cumsum(n_authors)[has] - n_authors[has]))).to_numpy(
        zero_copy_only=False)
    return _obj(authors), _obj(authors_given), first, n_authors.astype(np.int16), other_script


def _author_keys(records: pd.DataFrame, max_authors: int) -> tuple:
    """Per record: surnames joined by spaces, first given names likewise, the first surname, the
    number of names (first `max_authors` with a surname) and whether any name is in Cyrillic or Greek."""
    n = len(records)
    if "authors" in records.columns:
        fast = _author_keys_arrow(records["authors"], max_authors)
        if fast is not None:
            return fast
    authors_raw = python_values(records["authors"]) if "authors" in records.columns else [None] * n
    people_all = [parse_authors(value)[:max_authors] for value in authors_raw]
    authors = _obj([" ".join(s for s, _ in people) for people in people_all])
    other_script = np.array([bool(_OTHER_SCRIPT.search(" ".join(map(str, v))))
                             if isinstance(v, (list, tuple, np.ndarray)) else bool(_OTHER_SCRIPT.search(str(v or "")))
                             for v in authors_raw], dtype=bool)
    del authors_raw
    given = _obj([" ".join(g for _, g in people) for people in people_all])
    first = _obj([people[0][0] if people else "" for people in people_all])
    n_authors = np.array([len(people) for people in people_all], dtype=np.int16)
    return authors, given, first, n_authors, other_script


_THESIS = re.compile(r"thesis|dissertation", re.I)
# A degree where the volume should be ("Ph.D.", "MSc"): a thesis exported as if it were an article.
_DEGREE = re.compile(r"^\s*(?:ph\.?\s?d|m\.?\s?sc|m\.?\s?phil|d\.?\s?phil|ed\.?\s?d|psy\.?\s?d|"
                     r"dr\.?\s?med|doctoral|master'?s?)\b", re.I)
# Trial registers: a registration is a report of its own, never the article about the trial.
_REGISTRY = re.compile(r"clinicaltrials\W?gov|\bictrp\b|isrctn|who international clinical trials|"
                       r"clinicaltrialsregister|clinical trials? regist|trials? regist(?:er|ry|ration)|anzctr|"
                       r"\bchictr\b|\bdrks\b|\bctri\b|\beuctr\b|\bjprn\b|\bumin-ctr\b|\bntr\b", re.I)


def _kind_from_type(publication_type: str, journal: str, doi: str, volume: str = "", url: str = "") -> str:
    pt = publication_type.lower()
    if _REGISTRY.search(pt) or (journal and _REGISTRY.search(journal)) or (url and _REGISTRY.search(url)):
        return "registry"
    # A thesis and its Dissertation Abstracts International entry are one work; "Dissertation
    # Abstract" must not read as a conference abstract.
    if (_THESIS.search(pt) or (journal and journal.lower().startswith("dissertation abstracts"))
            or (volume and _DEGREE.match(volume))):
        return "thesis"
    if pt:
        if _PT_ERRATUM.search(pt):
            return "erratum"
        if _PT_RETRACTION.search(pt) and "retracted" not in pt:
            return "retraction"
        if _PT_PREPRINT.search(pt):
            return "preprint"
        if _PT_CONFERENCE.search(pt):
            return "conference"
        if _PT_COMMENT.search(pt) and not re.search(r"article|review|journal", pt):
            return "comment"
    if doi and _PREPRINT_DOI.match(doi):
        return "preprint"
    if journal and _PREPRINT_SOURCE.search(journal):
        return "preprint"
    if journal and _JOURNAL_CONFERENCE.search(journal):
        return "conference"
    return "article"


_SUPPLEMENT_PAGES = re.compile(r"^\s*(?:s\d|\d+\s*[a-z]\s*$|[a-df-z]\d+\s*$)", re.I)


# The number of pages of a book or thesis ("215 p", "xii, 215 pp"), not where it starts.
_PAGE_COUNT = re.compile(r"^\s*(?:[ivxlc]+\s*,\s*)?\d+\s*(?:p|pp|pages?|leaves)\.?\s*$", re.I)


def _pages_info(raw: str) -> tuple[str, str, bool]:
    if _PAGE_COUNT.match(raw):
        return "", "", False
    first, last = parse_pages(raw)
    return first, last, bool(_SUPPLEMENT_PAGES.match(raw))


# A volume or issue field holding only a supplement ("Suppl 1", "S2"): its number is the
# supplement's, not the volume's.
_SUPPLEMENT_ONLY = re.compile(r"^\W*(?:suppl|supplement|s\d)", re.I)


def _number_info(raw: str) -> tuple[str, bool]:
    if _SUPPLEMENT_ONLY.match(raw):
        return "", True
    return parse_number(raw), bool(_SUPPLEMENT.search(raw))


def _drop_shared(values: np.ndarray, title: np.ndarray, most: int = 3) -> None:
    """Blank an identifier that more than `most` clearly different titles share.

    Some exports put one DOI on every paper of a proceedings volume or book, or copy a wrong
    one; such a value identifies nothing and must neither link nor separate records.
    """
    present = np.flatnonzero(values != "")
    if len(present) < 2:
        return
    frame = pd.DataFrame({"value": values[present], "title": [t[:30] for t in title[present]]})
    counts = frame[frame["title"] != ""].groupby("value")["title"].nunique()
    shared = counts.index[counts > most]
    if len(shared):
        values[present[frame["value"].isin(shared).to_numpy()]] = ""


def _obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def prepare(records: pd.DataFrame, max_authors: int = 12, abstract_chars: int = 400) -> Prepared:
    """Comparison keys of every row of a records table (columns of :mod:`evsynth.records`).

    Field by field, each distinct value parsed once (journals, volumes, pages and publication
    types repeat a lot).
    """
    n = len(records)
    record_id = _obj(_texts(records, "record_id"))
    # journals: a code per distinct (journal, abbreviation)
    journals_raw = list(zip(_texts(records, "journal"), _texts(records, "journal_abbrev")))
    name_index: dict[tuple, int] = {}
    names_list: list[tuple] = []
    journal_code = np.empty(n, dtype=np.int64)
    for i, pair in enumerate(journals_raw):
        code = name_index.get(pair)
        if code is None:
            code = name_index[pair] = len(names_list)
            names_list.append(journal_names(*pair))
        journal_code[i] = code
    del journals_raw
    names_list = _with_aliases(names_list, list(name_index))
    journal = _obj([names[0] if names else "" for names in names_list])[journal_code] if n else _obj([])
    # titles
    # each distinct title parsed once (most duplicates carry their title as another database
    # exported it, character for character), then the journal names checked record by record
    raw_titles, title_code = _distinct_texts(records, "title")
    infos = [parse_title(raw) for raw in raw_titles]
    title = _obj([info.key for info in infos])[title_code]
    title_alt = _obj([info.alt for info in infos])[title_code]
    translated = np.array([info.translated for info in infos], dtype=bool)[title_code]
    title_kind = _obj([info.kind for info in infos])[title_code]
    del infos
    # what parse_title does with the journal's names needs the title to start with one of them
    # or to be one of them; only those records are parsed again with their journal's names
    starts = [tuple(name + " " for name in names) for names in names_list]
    for k in range(n):
        code = journal_code[k]
        key = title[k]
        if key and starts[code] and (key.startswith(starts[code]) or key in names_list[code]):
            title[k] = parse_title(raw_titles[title_code[k]], names_list[code]).key
    del raw_titles, title_code, starts
    language = _obj(_per_unique(list(title), title_language)) if n else _obj([])
    # authors
    authors, given, first, n_authors, other_script = _author_keys(records, max_authors)
    # numbers
    year = np.array(_per_unique(_texts(records, "year"), lambda v: parse_year(v) or 0 if v else 0), dtype=np.int32)
    volumes = _texts(records, "volume")
    vol_info = _per_unique(volumes, _number_info)
    iss_info = _per_unique(_texts(records, "issue"), _number_info)
    page_info = _per_unique(_texts(records, "pages"), _pages_info)
    volume = _obj([v for v, _ in vol_info])
    year_text = year.astype(str)
    volume[(volume == year_text) & (year > 0)] = ""  # the year exported as the volume (magazines)
    issue = _obj([v for v, _ in iss_info])
    page_first = _obj([f for f, _, _ in page_info])
    page_last = _obj([last for _, last, _ in page_info])
    supplement = np.array([a or b or c for (_, a), (_, b), (_, _, c) in zip(vol_info, iss_info, page_info)],
                          dtype=bool)
    del vol_info, iss_info, page_info
    # identifiers
    doi = _obj([normalise_doi(v) or "" if v else "" for v in _texts(records, "doi")])
    pmid = _obj(["" if not v else (m.group(0).lstrip("0") if (m := _PMID.search(v)) else "")
                 for v in _texts(records, "pmid")])
    wos = _obj([re.sub(r"^(?:wos|isi):", "", v.lower()) if v else "" for v in _texts(records, "wos_ut")])
    eid = _obj([v.lower() for v in _texts(records, "scopus_eid")])
    issn = _obj(_per_unique(_texts(records, "issn"), lambda v: " ".join(
        sorted({a + b.lower() for a, b in _ISSN.findall(v)})) if v else ""))
    # kinds: from the title, else from the publication type, DOI prefix or journal
    types = _texts(records, "publication_type")
    volumes_raw = volumes
    urls = _texts(records, "url")
    type_cache: dict = {}
    kind = np.empty(n, dtype=object)
    kind_strong = np.zeros(n, dtype=bool)
    for i in range(n):
        k = title_kind[i]
        if k == "article":
            degree = bool(volumes_raw[i]) and bool(_DEGREE.match(volumes_raw[i]))
            registry_url = bool(urls[i]) and bool(_REGISTRY.search(urls[i]))
            key = (types[i], journal[i], doi[i].partition("/")[0], degree, registry_url)
            k = type_cache.get(key)
            if k is None:
                k = type_cache[key] = _kind_from_type(types[i], journal[i], doi[i], "phd" if degree else "",
                                                      "clinicaltrials.gov" if registry_url else "")
        kind[i] = k
        kind_strong[i] = title_kind[i] != "article" or k in ("erratum", "retraction", "preprint", "registry")
    _author_cache.clear()  # its names are in the arrays now; kept, it would hold them to the end
    for values in (doi, pmid, wos, eid):
        _drop_shared(values, title)
    cut = int(abstract_chars * 1.3)
    # the longest field of all: read a slice of records at a time
    abstract = _obj([words(a[:cut])[:abstract_chars] if a else "" for a in _texts_in_slices(records, "abstract")])
    return Prepared(record_id=record_id, title=title, title_alt=title_alt, translated=translated,
                    language=language, kind=kind, kind_strong=kind_strong, authors=authors,
                    authors_given=given, first_author=first, n_authors=n_authors, year=year,
                    journal=journal, journal_code=journal_code, journal_names=names_list, issn=issn,
                    volume=volume, issue=issue, page_first=page_first, page_last=page_last,
                    supplement=supplement, doi=doi, pmid=pmid, wos_ut=wos, scopus_eid=eid,
                    abstract=abstract, authors_other_script=other_script)

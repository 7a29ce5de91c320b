"""BibTeX exports (Scopus, Web of Science, EBSCO, ProQuest, reference managers), via bibtexparser v2.

bibtexparser splits the file into entries and removes the enclosing braces/quotes; a block it
cannot parse (unbalanced braces, a missing comma) stops the read with the line where the block
starts. LaTeX in values is decoded here by a table of the accents and letters that occur in
bibliographic data (``{\\"u}`` -> ``ü``, ``\\'{e}`` -> ``é``, ``\\ss`` -> ``ß``, ``\\&`` -> ``&``)
because bibtexparser's ``LatexDecodingMiddleware`` (pylatexenc) is about twenty times slower
than the parse itself (290 s for 100,000 entries here); pylatexenc is still used for the rare
value whose LaTeX the table does not cover (math, unknown macros).

Speed: bibtexparser's ``parse_string`` alone takes about 15 s for 100,000 entries on this
machine, well over the other readers; there is no faster mode in v2.
"""

from __future__ import annotations

import re
import unicodedata

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from evsynth.errors import InputError
from evsynth.readers.common import (
    doi_from,
    doi_from_url,
    first_text,
    issn_isbn,
    new_record,
    pages,
    parse_year,
    pmid_from,
    scopus_eid_from,
    split_list,
    text_list,
    wos_ut_from,
)

EXPECTED = "BibTeX entries like '@article{key, title = {...}, year = {2018}}' with balanced braces"

# --- LaTeX to Unicode ---------------------------------------------------------------------------

_ACCENT_MARKS = {
    "'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "=": "\u0304",
    ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328",
    "r": "\u030a", "d": "\u0323", "b": "\u0331", "t": "\u0361",
}
_LETTERS = {
    "ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å",
    "l": "ł", "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ",
    "NG": "Ŋ", "dj": "đ", "DJ": "Đ", "P": "¶", "S": "§", "copyright": "©", "textregistered": "®",
    "texttrademark": "™", "pounds": "£", "euro": "€", "textendash": "–", "textemdash": "—",
    "textquoteright": "’", "textquoteleft": "‘", "textquotedblleft": "“", "textquotedblright": "”",
    "textdegree": "°", "textmu": "µ", "textpm": "±", "pm": "±", "times": "×", "textbullet": "•",
    "ldots": "…", "dots": "…", "textellipsis": "…", "textasciitilde": "~", "textbackslash": "\\",
    "textless": "<", "textgreater": ">", "textbar": "|", "LaTeX": "LaTeX", "TeX": "TeX",
}
# Escaped specials become private-use placeholders so that pylatexenc, when it runs, leaves them.
_ESCAPES = {"&": "\ue000", "%": "\ue001", "$": "\ue002", "#": "\ue003", "_": "\ue004", "{": "\ue005",
            "}": "\ue006", " ": " ", ",": " ", ";": " ", "!": "", "/": "", "-": ""}
_RESTORE = str.maketrans({"\ue000": "&", "\ue001": "%", "\ue002": "$", "\ue003": "#", "\ue004": "_",
                          "\ue005": "{", "\ue006": "}"})
_SYMBOL_ACCENT = re.compile(r"\\([\'`^\"~=.])\s*(?:\{\s*(\\[ij]|[A-Za-z])\s*\}|(\\[ij]|[A-Za-z]))")
_LETTER_ACCENT = re.compile(r"\\([uvHckrdbt])(?:\s*\{\s*(\\[ij]|[A-Za-z]{1,2})\s*\}|\s+(\\[ij]|[A-Za-z]))")
_BRACED_ACCENT = re.compile(r"\{(\\[\'`^\"~=.uvHckrdbt]\s*[A-Za-z{}\\]{1,4})\}")
_NAMED = re.compile(r"\\([A-Za-z]+)(?![A-Za-z])\s*(?:\{\})?")
_ESCAPE = re.compile(r"\\([&%$#_{} ,;!/\-])")
_STYLE = re.compile(r"\\(?:textit|textbf|textsc|textrm|textsf|texttt|textup|textsl|emph|mathrm|mathit|"
                    r"mathbf|mathsf|mathtt|mathcal|mbox|text|url|uppercase|lowercase|MakeUppercase|"
                    r"MakeLowercase|ensuremath|textnormal|bf|it|em|sc|rm|tt|sl|sf|small|scriptsize|"
                    r"footnotesize|large|Large|normalsize)(?![A-Za-z])\s*")

_latex_to_text = None


def _accent(match: re.Match) -> str:
    mark = _ACCENT_MARKS[match.group(1)]
    base = match.group(2) or match.group(3)
    base = {"\\i": "i", "\\j": "j"}.get(base, base)
    return base[0] + mark + base[1:]


def _named(match: re.Match) -> str:
    name = match.group(1)
    return _LETTERS.get(name, match.group(0))


def _pylatexenc(value: str) -> str:
    global _latex_to_text
    try:
        if _latex_to_text is None:
            from pylatexenc.latex2text import LatexNodes2Text

            _latex_to_text = LatexNodes2Text(math_mode="text", strict_latex_spaces=True).latex_to_text
        return _latex_to_text(value)
    except Exception:  # noqa: BLE001 - pylatexenc on odd input: keep our best effort
        return value


_NEEDS_WORK = re.compile(r"[\\{}$~]|--|``|''")


def latex_to_unicode(value: str) -> str:
    """Decode the LaTeX found in bibliographic values and drop grouping braces."""
    if not _NEEDS_WORK.search(value):
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if "\\" in value:
        value = _ESCAPE.sub(lambda m: _ESCAPES[m.group(1)], value)
        value = _BRACED_ACCENT.sub(r"\1", value)
        value = _SYMBOL_ACCENT.sub(_accent, value)
        value = _LETTER_ACCENT.sub(_accent, value)
        value = _STYLE.sub("", value)
        value = _NAMED.sub(_named, value)
        if "\\" in value or "$" in value:
            value = _pylatexenc(value)
        value = value.translate(_RESTORE)
    elif "$" in value and value.count("$") >= 2:
        value = _pylatexenc(value)
    if "{" in value or "}" in value:
        value = value.replace("{", "").replace("}", "")
    if "--" in value:
        value = value.replace("---", "\u2014").replace("--", "\u2013")
    if "~" in value:
        value = value.replace("~", " ")
    if "``" in value or "''" in value:
        value = value.replace("``", "\u201c").replace("''", "\u201d")
    return unicodedata.normalize("NFC", value)


# --- names --------------------------------------------------------------------------------------

_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def split_authors(value: str) -> list[str]:
    """Authors of a BibTeX name list: split on `` and `` outside braces."""
    if not value:
        return []
    if "{" not in value:
        parts = _AND.split(value)
    else:
        parts, depth, last = [], 0, 0
        for match in re.finditer(r"[{}]|\s+and\s+", value, re.IGNORECASE):
            token = match.group(0)
            if token == "{":
                depth += 1
            elif token == "}":
                depth = max(depth - 1, 0)
            elif depth == 0:
                parts.append(value[last:match.start()])
                last = match.end()
        parts.append(value[last:])
    return [part for part in (latex_to_unicode(p).strip() for p in parts) if part and part.lower() != "others"]


# --- entries ------------------------------------------------------------------------------------


def _strip_enclosing(value: object) -> str:
    text = str(value).strip()
    if len(text) >= 2 and ((text[0] == "{" and text[-1] == "}") or (text[0] == '"' and text[-1] == '"')):
        return text[1:-1]
    return text


_MONTHS = {name[:3]: name for name in ("january", "february", "march", "april", "may", "june", "july",
                                        "august", "september", "october", "november", "december")}


def _concatenation(value: str, macros: dict[str, str]) -> str:
    """Resolve ``jmh # " Supplement"``: bibtexparser resolves a lone macro, not a concatenation."""
    parts, depth, quoted, last = [], 0, False, 0
    for index, char in enumerate(value):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == "#" and depth == 0 and not quoted:
            parts.append(value[last:index])
            last = index + 1
    parts.append(value[last:])
    out = []
    for part in parts:
        part = part.strip()
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        else:
            out.append(macros.get(part.lower(), _MONTHS.get(part.lower(), part)))
    return "".join(out)


def _fields(entry: Entry, enclosed: bool, macros: dict[str, str] | None = None) -> dict[str, str]:
    fields: dict[str, str] = {}
    for field in entry.fields:
        key = field.key.strip().lower()
        value = field.value
        if not isinstance(value, str):
            value = str(value)
        if "#" in value and (enclosed or field.enclosing == "no-enclosing"):
            value = _concatenation(value, macros or {})
        elif enclosed:
            value = _strip_enclosing(value)
        if key not in fields:
            fields[key] = value
    return fields


def _keywords(fields: dict[str, str]) -> list[str]:
    values = [fields.get(name) for name in ("author_keywords", "author-keywords", "keywords", "keywords-plus",
                                            "keywords_plus", "mesh", "mesh-headings")]
    values = [latex_to_unicode(value) for value in values if value]
    separators = ";" if any(";" in value for value in values) else ","
    return split_list(values, separators)


def to_record(key: str, fields: dict[str, str], entry_type: str) -> dict:
    def get(*names: str) -> str | None:
        for name in names:
            value = fields.get(name)
            if value is not None and value.strip():
                return first_text(latex_to_unicode(value))
        return None

    rec = new_record()
    key = key.strip()
    rec["source_id"] = key or None
    title = get("title")
    rec["title"] = title or get("booktitle")
    rec["abstract"] = get("abstract")
    rec["authors"] = text_list(split_authors(fields.get("author", "")))
    rec["year"] = parse_year(get("year")) or parse_year(get("date"))
    rec["journal"] = get("journal", "journaltitle") or (get("booktitle") if title else None)
    rec["journal_abbrev"] = get("abbrev_source_title", "journal-iso", "journal_abbreviation", "shortjournal")
    rec["volume"] = get("volume")
    rec["issue"] = get("number", "issue")
    rec["pages"] = pages(get("pages")) or get("art_number", "article-number", "eid")
    url = get("url")
    rec["url"] = url
    rec["doi"] = doi_from(get("doi")) or doi_from_url(url)
    unique_id = get("unique-id", "unique_id")
    rec["wos_ut"] = wos_ut_from(unique_id, key)
    rec["scopus_eid"] = scopus_eid_from(url, get("eid"), key)
    rec["pmid"] = pmid_from(get("pmid", "pubmed-id", "pubmed_id", "pubmedid"))
    rec["issn"], rec["isbn"] = issn_isbn([get("issn"), get("eissn"), get("isbn")])
    rec["language"] = get("language", "langid")
    rec["publication_type"] = get("type", "type-of-work", "document_type") or entry_type.lower()
    rec["keywords"] = _keywords(fields)
    return rec


def _failure(path: object, block: ParsingFailedBlock, text: str) -> InputError:
    line = (block.start_line or 0) + 1
    error = block.error
    reason = " ".join(str(getattr(error, "abort_reason", "") or error or "").split())
    problem = "this BibTeX block could not be parsed"
    if "closing" in reason.lower() or "unterminated" in reason.lower() or "end of file" in reason.lower():
        problem = "unbalanced braces or quotes in the entry starting here"
        end = getattr(error, "end_index", None)
        if isinstance(end, int) and 0 <= end <= len(text):
            problem += f" (a brace or quote was still open at line {text.count(chr(10), 0, end) + 1})"
    if reason:
        problem += f" [{reason[:200]}]"
    return InputError(path, problem, line=line, expected=EXPECTED)


_RUN_ON = re.compile(r"\n\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]")


def _check_commas(path: object, entry: Entry) -> None:
    """A missing comma makes bibtexparser swallow the next field into an unenclosed value."""
    for field in entry.fields:
        value = field.value
        if field.enclosing == "no-enclosing" and isinstance(value, str) and "\n" in value \
                and _RUN_ON.search(value):
            raise InputError(path, f"the value of field '{field.key}' runs into the next field",
                             line=(field.start_line or 0) + 1, field=field.key,
                             expected="a comma after each field value, e.g. 'title = {...},'")


def parse(text: str, path: object = "<text>") -> list[dict]:
    """Records of a BibTeX export (already decoded)."""
    try:
        library = bibtexparser.parse_string(text)
    except Exception as error:  # noqa: BLE001 - bibtexparser raising on malformed input
        raise InputError(path, f"BibTeX could not be parsed ({error})", expected=EXPECTED) from None
    records: list[dict] = []
    macros = {string.key.lower(): str(string.value) for string in library.strings}
    for block in library.blocks:
        if isinstance(block, Entry):
            _check_commas(path, block)
            records.append(to_record(block.key, _fields(block, False, macros), block.entry_type))
        elif isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)) and \
                isinstance(block.ignore_error_block, Entry):
            # A repeated key or field is still one exported record; keep it (first field wins).
            # Duplicate fields are found before the middleware ran: the braces are still there.
            entry = block.ignore_error_block
            enclosed = isinstance(block, DuplicateFieldKeyBlock)
            records.append(to_record(entry.key, _fields(entry, enclosed, macros), entry.entry_type))
        elif isinstance(block, ParsingFailedBlock):
            raise _failure(path, block, text)
    if not records:
        raise InputError(path, "no BibTeX entries found", expected=EXPECTED)
    return records

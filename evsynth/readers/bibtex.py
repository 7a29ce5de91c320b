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

import gc
import os
import re
import unicodedata
from collections.abc import Callable

import bibtexparser
from bibtexparser.model import DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry, ParsingFailedBlock

from evsynth.errors import InputError
from evsynth.readers.parallel import beside, error_fields, error_from, handed_back, split_point
from evsynth.readers.common import (
    doi_from,
    doi_from_url,
    first_text,
    issn_isbn,
    name_list,
    new_record,
    pages,
    parse_year,
    pmid_from,
    scopus_eid_from,
    split_list,
    wos_ut_from,
)
from evsynth.records import Records

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
    "ldots": "…", "dots": "…", "textellipsis": "…", "textasciitilde": "\ue007", "textbackslash": "\ue008",
    "textasciicircum": "\ue009",
    "textless": "<", "textgreater": ">", "textbar": "|", "LaTeX": "LaTeX", "TeX": "TeX",
}
# Escaped specials become private-use placeholders so that pylatexenc, when it runs, leaves them.
_ESCAPES = {"&": "\ue000", "%": "\ue001", "$": "\ue002", "#": "\ue003", "_": "\ue004", "{": "\ue005",
            "}": "\ue006", " ": " ", ",": " ", ";": " ", "!": "", "/": "", "-": ""}
_RESTORE = str.maketrans({"\ue000": "&", "\ue001": "%", "\ue002": "$", "\ue003": "#", "\ue004": "_",
                          "\ue005": "{", "\ue006": "}", "\ue007": "~", "\ue008": "\\", "\ue009": "^",
                          "\ue00a": ""})
# An empty group ("-{}-", "`{}`") keeps TeX from making a ligature: it becomes this mark until the
# ligatures are read, then goes.
_LIGATURE_BREAK = "\ue00a"
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
    elif "$" in value and value.count("$") >= 2:
        value = _pylatexenc(value)
    if "{" in value or "}" in value:
        value = value.replace("{}", _LIGATURE_BREAK).replace("{", "").replace("}", "")
    if "--" in value:
        value = value.replace("---", "\u2014").replace("--", "\u2013")
    if "~" in value:
        value = value.replace("~", " ")
    if "``" in value or "''" in value:
        value = value.replace("``", "\u201c").replace("''", "\u201d")
    # Escaped specials come back only now, so that no step above reads them as LaTeX.
    return unicodedata.normalize("NFC", value.translate(_RESTORE))


_VERBATIM_ESCAPE = re.compile(r"\\([&%$#_~{}])")


_GROUPING = re.compile(r"(?<!\\)[{}]")


def verbatim(value: str) -> str:
    """A doi or url field (verbatim in biblatex): as written, without grouping braces ('{{10.1/x}}',
    Web of Science) and the backslash some exporters put before a special ('a\\_b')."""
    if "{" in value or "}" in value:
        value = _GROUPING.sub("", value)
    if "\\" in value:
        value = _VERBATIM_ESCAPE.sub(r"\1", value)
    return value.strip()


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
        elif field.enclosing == "no-enclosing" and macros and value.lower() in macros:
            value = macros[value.lower()]  # a macro @string-defined outside the block bibtexparser saw
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


# The fields read below (authors and keywords are read from the raw values).
_USED = frozenset({
    "title", "booktitle", "abstract", "year", "date", "journal", "journaltitle", "abbrev_source_title",
    "journal-iso", "journal_abbreviation", "shortjournal", "volume", "number", "issue", "pages", "art_number",
    "article-number", "eid", "url", "doi", "unique-id", "unique_id", "pmid", "pubmed-id", "pubmed_id", "pubmedid",
    "issn", "eissn", "isbn", "language", "langid", "type", "type-of-work", "document_type",
})


_VERBATIM = frozenset({"url", "doi"})


def to_record(key: str, fields: dict[str, str], entry_type: str) -> dict:
    # Each field read is decoded once (the reader's hot loop: most named fields are absent).
    decoded: dict[str, str] = {}
    for name, value in fields.items():
        if name in _USED and value and not value.isspace():
            text = first_text(verbatim(value) if name in _VERBATIM else latex_to_unicode(value))
            if text:
                decoded[name] = text
    one = decoded.get

    rec = new_record()
    key = key.strip()
    rec["source_id"] = key or None
    title = one("title")
    rec["title"] = title or one("booktitle")
    rec["abstract"] = one("abstract")
    author = fields.get("author")
    rec["authors"] = name_list(split_authors(author)) if author else []
    rec["year"] = parse_year(one("year")) or parse_year(one("date"))
    rec["journal"] = one("journal") or one("journaltitle") or (one("booktitle") if title else None)
    rec["journal_abbrev"] = (one("abbrev_source_title") or one("journal-iso") or one("journal_abbreviation")
                             or one("shortjournal"))
    rec["volume"] = one("volume")
    rec["issue"] = one("number") or one("issue")
    eid = one("eid")
    # biblatex's eid is an article number; Scopus writes its EID there ("2-s2.0-...", read below).
    article_number = eid if eid and "2-s2.0-" not in eid else None
    rec["pages"] = pages(one("pages")) or one("art_number") or one("article-number") or article_number
    url = one("url")
    rec["url"] = url
    rec["doi"] = doi_from(one("doi")) or doi_from_url(url)
    unique_id = one("unique-id") or one("unique_id")
    rec["wos_ut"] = wos_ut_from(unique_id, key)
    rec["scopus_eid"] = scopus_eid_from(url, eid, key)
    rec["pmid"] = pmid_from(one("pmid") or one("pubmed-id") or one("pubmed_id") or one("pubmedid"))
    rec["issn"], rec["isbn"] = issn_isbn([one("issn"), one("eissn"), one("isbn")])
    rec["language"] = one("language") or one("langid")
    rec["publication_type"] = one("type") or one("type-of-work") or one("document_type") or entry_type.lower()
    rec["keywords"] = _keywords(fields)
    return rec


_ENTRY_KEY = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]\s*([^,\s{}()]*)")


def _failure(path: object, block: ParsingFailedBlock, text: str, offset: int = 0) -> InputError:
    line = (block.start_line or 0) + 1 + offset
    error = block.error
    reason = " ".join(str(getattr(error, "abort_reason", "") or error or "").split())
    head = _ENTRY_KEY.match(str(getattr(block, "raw", "") or "").lstrip())
    entry = f" @{head.group(1)}{{{head.group(2)}" if head and head.group(2) else ""
    problem = f"this BibTeX block{entry} could not be parsed"
    if "closing" in reason.lower() or "unterminated" in reason.lower() or "end of file" in reason.lower():
        problem = "unbalanced braces or quotes in the entry starting here" + (f" ({entry.strip()})" if entry else "")
        end = getattr(error, "end_index", None)
        if isinstance(end, int) and 0 <= end <= len(text):
            problem += f" (a brace or quote was still open at line {text.count(chr(10), 0, end) + 1 + offset})"
    if reason:
        problem += f" [{reason[:200]}]"
    return InputError(path, problem, line=line, expected=EXPECTED)


_RUN_ON = re.compile(r"\n\s*[A-Za-z][\w-]*\s*=\s*[{\"\d]")


def _check_commas(path: object, entry: Entry, offset: int = 0) -> None:
    """A missing comma makes bibtexparser swallow the next field into an unenclosed value."""
    for field in entry.fields:
        value = field.value
        if field.enclosing == "no-enclosing" and isinstance(value, str) and "\n" in value \
                and _RUN_ON.search(value):
            raise InputError(path, f"the value of field '{field.key}' in entry '{entry.key}' runs into the next "
                             "field", line=(field.start_line or 0) + 1 + offset, field=field.key,
                             expected="a comma after each field value, e.g. 'title = {...},'")


# --- splitting -------------------------------------------------------------------------------
#
# bibtexparser's splitter walks the text mark by mark in Python (about 13 s per 100,000 entries
# here). Entries as exports write them -- ``@type{key, name = {value}, ...}`` with braces nested
# at most four deep, quoted values or bare numbers and macros -- are split by one regular
# expression instead; every other block (``@string``, ``#`` concatenations, parentheses, broken
# entries) is handed to bibtexparser on its own, so it stays the judge of anything unusual and of
# the error messages. ``tests/test_readers_bibtex.py`` checks that both give the same records.

_L0 = r"\{[^{}]*+\}"
_L1 = r"\{(?:[^{}]++|" + _L0 + r")*+\}"
_L2 = r"\{(?:[^{}]++|" + _L1 + r")*+\}"
_BRACED = r"\{(?:[^{}]++|" + _L2 + r")*+\}"
_QUOTED = r'"(?:[^"{}\\]++|\\.|' + _BRACED + r')*+"'
_BARE = r"[A-Za-z0-9_.:+/-]++"
_VALUE = "(?:" + _BRACED + "|" + _QUOTED + "|" + _BARE + ")"
_NAME = r"[A-Za-z_][\w.:+/-]*+"
_ONE = r"\s*+" + _NAME + r"\s*+=\s*+" + _VALUE + r"\s*+"
_SIMPLE_ENTRY = re.compile(r"@[ \t]*+([A-Za-z][\w-]*+)[ \t]*+\{\s*+([^,\s{}()\"#%'=\\]*+)\s*+,((?:" + _ONE
                           + r",)*+(?:" + _ONE + r")?)\s*+\}")
_SIMPLE_FIELD = re.compile(r"\s*+(" + _NAME + r")\s*+=\s*+(" + _VALUE + r")\s*+,?")
_BLOCK_START = re.compile(r"@[ \t]*([A-Za-z][\w-]*)[ \t]*[{(]")
_LINE_BLOCK_START = re.compile(r"\n[ \t]*@[ \t]*[A-Za-z][\w-]*[ \t]*[{(]")
_NOT_ENTRIES = {"comment", "preamble", "string"}
_STRING_START = re.compile(r"@[ \t]*string[ \t]*[{(]", re.IGNORECASE)


def _simple_value(raw: str, macros: dict[str, str]) -> str:
    if raw[0] == "{" or raw[0] == '"':
        return raw[1:-1]
    return macros.get(raw.lower(), raw)


def _region_end(text: str, start: int) -> int:
    """Where the block starting at ``start`` ends at the latest: the next block starting a line."""
    found = _LINE_BLOCK_START.search(text, start + 1)
    return found.start() + 1 if found else len(text)


def _line_of(text: str, position: int) -> int:
    return text.count("\n", 0, position)


def _library_records(path: object, library, region: str, offset: int, macros: dict[str, str],
                     broken: list[InputError] | None) -> list[dict]:
    """Records of a bibtexparser library parsed from ``region`` (which starts at line ``offset``+1)."""
    records: list[dict] = []
    for block in library.blocks:
        try:
            if isinstance(block, Entry):
                _check_commas(path, block, offset)
                records.append(to_record(block.key, _fields(block, False, macros), block.entry_type))
            elif isinstance(block, (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock)) and \
                    isinstance(block.ignore_error_block, Entry):
                # A repeated key or field is still one exported record; keep it (first field wins).
                # Duplicate fields are found before the middleware ran: the braces are still there.
                entry = block.ignore_error_block
                enclosed = isinstance(block, DuplicateFieldKeyBlock)
                records.append(to_record(entry.key, _fields(entry, enclosed, macros), entry.entry_type))
            elif isinstance(block, ParsingFailedBlock):
                raise _failure(path, block, region, offset)
        except InputError as error:
            if broken is None:
                raise
            broken.append(error)
    return records


def _strings(text: str, path: object) -> dict[str, str]:
    """The ``@string`` macros of the file (rare: read by bibtexparser, block by block)."""
    macros: dict[str, str] = {}
    for found in _STRING_START.finditer(text):
        region = text[found.start():_region_end(text, found.start())]
        library = bibtexparser.parse_string(region)
        for string in library.strings:
            macros[string.key] = str(string.value)
    return macros


def _parse_range(text: str, position: int, path: object, macros: dict[str, str],
                 broken: list[InputError] | None) -> tuple[list[dict], int]:
    """(records, end of the last block read) of the blocks from ``position`` on."""
    records: list[dict] = []
    search = _BLOCK_START.search
    simple = _SIMPLE_ENTRY.match
    fields_of = _SIMPLE_FIELD.findall
    end = position
    try:
        while True:
            found = search(text, position)
            if found is None:
                break
            start = found.start()
            entry_type = found.group(1)
            if entry_type.lower() in _NOT_ENTRIES:
                position = end = _region_end(text, start)
                continue
            entry = simple(text, start)
            if entry is not None:
                fields: dict[str, str] = {}
                for name, raw in fields_of(entry.group(3)):
                    name = name.lower()
                    if name not in fields:
                        fields[name] = _simple_value(raw, macros)
                records.append(to_record(entry.group(2), fields, entry.group(1)))
                position = end = entry.end()
                continue
            end = _region_end(text, start)
            region = text[start:end]
            library = bibtexparser.parse_string(region)
            for string in library.strings:  # defined inside the region (already in macros)
                macros.setdefault(string.key.lower(), str(string.value))
            records.extend(_library_records(path, library, region, _line_of(text, start), macros, broken))
            position = end
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - bibtexparser raising on malformed input
        raise InputError(path, f"BibTeX could not be parsed ({error})", expected=EXPECTED) from None
    return records, end


# Above this size the second half of the file is read in a second process (2 cores: the reading
# is about 1 s per 20,000 entries here, most of it decoding the fields).
PARALLEL_BYTES = 8_000_000
# The second process's part: with 45% this one was still reading about a second (CPU) after it
# had finished, per 100,000 entries.
SECOND_SHARE = 0.48


def _parse_second_half(text: str, path: str, macros: dict[str, str], keep_going: bool,
                       display: Callable[[dict], dict] | None) -> tuple:
    """Worker: (columns of the records, end, broken errors, error that stopped the read) of a text."""
    gc.disable()  # as read_export does: the parse allocates and frees nothing cyclic
    broken: list[InputError] | None = [] if keep_going else None
    try:
        records, end = _parse_range(text, 0, path, macros, broken)
    except InputError as error:
        return None, 0, [], error_fields(error)
    return handed_back(records, display), end, [error_fields(error) for error in broken or []], None


def _parse_in_two(text: str, path: object, macros: dict[str, str], broken: list[InputError] | None,
                  display: Callable[[dict], dict] | None) -> tuple[list[dict], dict[str, list] | None]:
    """(records of the first half, columns of the second's or None) of a large file."""
    half = text.find("\n@", split_point(len(text), SECOND_SHARE))
    if half < 0:
        return _parse_range(text, 0, path, macros, broken)[0], None
    split = half + 1
    with beside(_parse_second_half, text[split:], str(path), dict(macros), broken is not None, display) as second:
        records, end = _parse_range(text[:split], 0, path, macros, broken)
        if end > split:  # an entry ran over the cut (a value with '@' starting a line): read on from it
            second.cancel()
            more, _ = _parse_range(text, end, path, macros, broken)
            return records + more, None
        result = second.result()
    if result is None:  # no second process here: read the second half in this one
        return records + _parse_range(text, split, path, macros, broken)[0], None
    other, _, other_broken, stopped = result
    offset = text.count("\n", 0, split)
    if stopped is not None:
        raise error_from(stopped, offset)
    if broken is not None:
        broken.extend(error_from(fields, offset) for fields in other_broken)
    return records, other


def read(text: str, path: object = "<text>", *, broken: list[InputError] | None = None,
         display: Callable[[dict], dict] | None = None) -> Records:
    """Records of a BibTeX export (already decoded), each passed through ``display`` when given
    (in the process that read it).

    An entry that cannot be read stops the read with its line and key; when ``broken`` is a list,
    the entry's error is added to it instead and the other entries are read.
    """
    macros = _strings(text, path) if "@" in text and _STRING_START.search(text) else {}
    macros = {key.lower(): value for key, value in macros.items()}
    other = None
    if len(text) > PARALLEL_BYTES and (os.cpu_count() or 1) > 1:
        records, other = _parse_in_two(text, path, macros, broken, display)
    else:
        records = _parse_range(text, 0, path, macros, broken)[0]
    if not len(Records(records, other)):
        if broken:
            raise InputError(path, f"no BibTeX entry could be read ({len(broken)} broken)", expected=EXPECTED)
        raise InputError(path, "no BibTeX entries found", expected=EXPECTED)
    return Records([display(record) for record in records] if display else records, other)


def parse(text: str, path: object = "<text>", *, broken: list[InputError] | None = None) -> list[dict]:
    """Records of a BibTeX export (already decoded), as ``read`` gives them, without ``display``."""
    return read(text, path, broken=broken).rows()

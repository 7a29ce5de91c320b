"""Candidate pairs: which records are worth comparing at all.

Comparing every record with every other is quadratic; instead each record gets a few *blocking
keys* and only records sharing a key are compared. Several keys, each catching what the others
miss:

- exact identifiers: DOI, PMID, WoS UT, Scopus EID;
- the start and the end of the title (a typo or a prefix such as 'Retracted:' spoils one of
  them, rarely both), also for a second (original-language) title in the field;
- first author + year + first page, and year + volume + first page (titles in another language,
  a journal name in the title field);
- first author + first title word (a year off by one *and* a changed title);
- a notice's title without its notice words ('Erratum to: ...'), against its article's title start;
- first author + year + journal + volume, for records without a title;
- sorted neighbourhood: records sorted by title, each compared with the next few.

Within a key's block the records are sorted and each is paired with its next ``window``
neighbours, so a huge block (a DOI shared by a whole proceedings volume, a common surname) costs
``window`` pairs per record instead of quadratic many; transitive links still join the members of
a large true cluster. All of it is numpy sorting, so the cost grows as n log n.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from evsynth.dedup.normalise import Prepared

TITLE_KEY_CHARS = 36


def _codes(values: np.ndarray) -> np.ndarray:
    """Integer code per value; -1 for ''."""
    codes, uniques = pd.factorize(values)
    if len(uniques):
        empty = np.flatnonzero(uniques == "")
        if len(empty):
            codes = np.where(codes == empty[0], -1, codes)
    return codes.astype(np.int64)


def window_pairs(key: np.ndarray, records: np.ndarray, order: np.ndarray | None,
                 window: int) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of `records` sharing `key` (int codes, -1 = none), each with its next `window`."""
    keep = key >= 0
    key, records = key[keep], records[keep]
    if order is not None:
        order = order[keep]
        if order.dtype == object:
            order = pd.factorize(order, sort=True)[0]
        idx = np.lexsort((records, order, key))
    else:
        idx = np.lexsort((records, key))
    key, records = key[idx], records[idx]
    firsts, seconds = [], []
    for d in range(1, window + 1):
        if d >= len(key):
            break
        same = key[d:] == key[:-d]
        if not same.any():
            break
        firsts.append(records[:-d][same])
        seconds.append(records[d:][same])
    if not firsts:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(firsts), np.concatenate(seconds)


# The words a notice puts before its article's title ("Erratum to:", "Correction to", "Retraction
# note to", "Comment on", "Reply to"); its end is often a citation of the article, so without
# this neither title key of the notice matches the article's.
_NOTICE_PREFIX = re.compile(
    r"^(?:(?:published |author |publisher )?(?:erratum|errata|corrigendum|corrigenda|correction|corrections|"
    r"addendum|retraction|retracted|notice of (?:retraction|correction)|expression of concern|withdrawal|"
    r"comments?|commentary|reply|response|re)(?: (?:note|notice|statement|to|on|of|for|in|regarding|about|"
    r"the|article|paper|study|an|a))*) ")


def notice_core(title: str) -> str:
    """A notice's title without its notice words ('' when it has none)."""
    match = _NOTICE_PREFIX.match(title)
    return title[match.end():] if match else ""


def _title_codes(p: Prepared) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Records, prefix codes and suffix codes of every title, alternative title and notice core."""
    n = len(p)
    compact = np.array([t.replace(" ", "") for t in p.title], dtype=object)
    alt = np.array([t.replace(" ", "") for t in p.title_alt], dtype=object)
    has_alt = np.flatnonzero(alt != "")
    notices = np.flatnonzero(np.isin(p.kind, ("erratum", "retraction", "comment")))
    core = np.array([notice_core(p.title[k]).replace(" ", "") for k in notices], dtype=object)
    notices, core = notices[core != ""], core[core != ""]
    records = np.concatenate([np.arange(n), has_alt, notices])
    texts = np.concatenate([compact, alt[has_alt], core])
    short = np.array([len(t) < 12 for t in texts], dtype=bool)
    prefix = np.array([t[:TITLE_KEY_CHARS] for t in texts], dtype=object)
    suffix = np.array([t[-TITLE_KEY_CHARS:] for t in texts], dtype=object)
    prefix[short] = ""
    suffix[short] = ""
    return records, _codes(prefix), _codes(suffix)


def _join(*parts: np.ndarray) -> np.ndarray:
    """Element-wise key from several arrays; '' when any part is empty."""
    out = parts[0].astype(object)
    empty = (parts[0] == "") | (parts[0] == "0")
    for values in parts[1:]:
        out = out + "\x1f" + values
        empty |= (values == "") | (values == "0")
    out[empty] = ""
    return out


def candidate_pairs(p: Prepared, window: int = 8, neighbourhood: int = 3) -> tuple[np.ndarray, np.ndarray, dict]:
    """Distinct candidate pairs (i < j) and how many each key produced."""
    n = len(p)
    rows = np.arange(n, dtype=np.int64)
    years = np.where(p.year > 0, p.year.astype(str), "")
    length = np.array([len(t) for t in p.title])
    pairs: list[tuple[np.ndarray, np.ndarray]] = []
    counts: dict[str, int] = {}

    def add(name: str, key_codes: np.ndarray, records: np.ndarray, order=None, w=window) -> None:
        a, b = window_pairs(key_codes, records, order, w)
        counts[name] = len(a)
        pairs.append((a, b))

    for name in ("doi", "pmid", "wos_ut", "scopus_eid"):
        values = getattr(p, name)
        if (values != "").any():
            add(name, _codes(values), rows, order=length, w=window * 2)
    title_records, prefix, suffix = _title_codes(p)
    add("title_start", prefix, title_records)
    add("title_end", suffix, title_records)
    add("author_year_page", _codes(_join(p.first_author, years, p.page_first)), rows)
    add("year_volume_page", _codes(_join(years, p.volume, p.page_first)), rows)
    # A record without a title (lost in the export) with the same first author, year, journal
    # and volume as another.
    untitled = length == 0
    if untitled.any():
        key = _codes(_join(p.first_author, years, p.journal, p.volume))
        a, b = window_pairs(key, rows, length, window)
        keep = untitled[a] | untitled[b]
        counts["untitled"] = int(keep.sum())
        pairs.append((a[keep], b[keep]))
    title_rank = pd.factorize(p.title, sort=True)[0] if n else np.empty(0, np.int64)
    first_word = np.array([t.split(" ", 1)[0] if t else "" for t in p.title], dtype=object)
    author_word = _codes(_join(p.first_author, first_word))
    del first_word  # keys as strings cost more than the pairs: each is dropped once coded
    add("author_title_word", author_word, rows, order=title_rank, w=neighbourhood)
    # Sorted neighbourhood over whole titles, forwards and backwards.
    has_title = np.where(length > 0, 0, -1).astype(np.int64)
    add("title_sorted", has_title, rows, order=title_rank, w=neighbourhood)
    del title_rank
    reversed_titles = np.array([t[::-1] for t in p.title], dtype=object)
    reversed_rank = pd.factorize(reversed_titles, sort=True)[0] if n else np.empty(0, np.int64)
    del reversed_titles
    add("title_sorted_reversed", has_title, rows, order=reversed_rank, w=neighbourhood)

    first = np.concatenate([a for a, _ in pairs]) if pairs else np.empty(0, np.int64)
    second = np.concatenate([b for _, b in pairs]) if pairs else np.empty(0, np.int64)
    keep = first != second
    lo = np.minimum(first[keep], second[keep])
    hi = np.maximum(first[keep], second[keep])
    code = np.unique(lo * n + hi)
    return code // n, code % n, counts

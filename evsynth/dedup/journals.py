"""Do two journal names denote the same journal? Full names, ISO 4 abbreviations and acronyms.

ISO 4 abbreviates each word to a prefix and drops articles and prepositions ("European Journal of
Cardio-Thoracic Surgery" -> "Eur J Cardiothorac Surg"); some exports squeeze it further
("Jthoraccardiovascsurg") or use an acronym ("JPEN", "AMCIS"). All of these are the full name's
words, in order, each cut to a non-empty prefix. :func:`abbreviates` tests exactly that, so no
list of abbreviations is needed (written by hand: none of the project's libraries does this).
"""

from __future__ import annotations

import functools

import numpy as np
from rapidfuzz import fuzz


_VOWELS = set("aeiouy")


def _pieces(word: str, s: str, pos: int) -> list[int]:
    """End positions in `s` of abbreviations of `word` starting at `pos`.

    An abbreviation keeps the word's first letter, then letters of the word in order where only
    vowels may be left out ('Dtsch' for 'Deutsche', 'Revargent' for 'Revista Argentina'), and may
    end on the word's last letter ('Natl' for 'National').
    """
    if pos >= len(s) or s[pos] != word[0]:
        return []
    ends = [pos + 1]
    w = 1
    for end in range(pos + 1, len(s)):
        ch = s[end]
        while w < len(word) and word[w] != ch and word[w] in _VOWELS:
            w += 1
        if w < len(word) and word[w] == ch:
            w += 1
            ends.append(end + 1)
        elif ch == word[-1] and w < len(word):
            ends.append(end + 1)
            break
        else:
            break
    return ends


@functools.lru_cache(maxsize=200_000)
def abbreviates(short: str, long: str) -> bool:
    """Whether `short` (spaces ignored) is the words of `long`, in order, each abbreviated."""
    s = short.replace(" ", "")
    words = long.split()
    if not s or len(words) < 2 or len(s) >= len(long.replace(" ", "")):
        return False
    if s[0] != words[0][0]:
        return False
    # every word's first letter must appear in `short`, in order
    pos = 0
    for word in words:
        pos = s.find(word[0], pos)
        if pos < 0:
            return False
        pos += 1
    n, k = len(s), len(words)
    reach = {0}
    for i, word in enumerate(words):
        nxt = set()
        for pos in reach:
            nxt.update(end for end in _pieces(word, s, pos) if n - end >= k - i - 1)
        if not nxt:
            return False
        reach = nxt
    return n in reach


def name_similarity(a: str, b: str) -> float:
    """0..1 similarity of two normalised journal names."""
    if not a or not b:
        return float("nan")
    if a == b:
        return 1.0
    if abbreviates(a, b) or abbreviates(b, a):
        return 0.95
    ta, tb = a.split(), b.split()
    shorter, longer = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(shorter) >= 4 and set(shorter) <= set(longer):
        return 0.9  # 'Chinese journal of X' inside 'Zhonghua ... Chinese journal of X'
    return fuzz.token_sort_ratio(a, b) / 100.0


def names_similarity(names_a: tuple[str, ...], names_b: tuple[str, ...]) -> float:
    """Best similarity between any name of one record's journal and any of the other's."""
    if not names_a or not names_b:
        return float("nan")
    best = 0.0
    for a in names_a:
        for b in names_b:
            sim = name_similarity(a, b)
            if sim > best:
                best = sim
                if best >= 1.0:
                    return best
    return best


def journal_similarity(codes_1: np.ndarray, codes_2: np.ndarray, names: list) -> np.ndarray:
    """Similarity per pair of journal codes, computed once per distinct pair of codes."""
    out = np.full(len(codes_1), np.nan)
    if len(codes_1) == 0:
        return out
    lo = np.minimum(codes_1, codes_2).astype(np.int64)
    hi = np.maximum(codes_1, codes_2).astype(np.int64)
    key = lo * (len(names) + 1) + hi
    uniq, inverse = np.unique(key, return_inverse=True)
    values = np.empty(len(uniq))
    for idx, k in enumerate(uniq):
        a, b = divmod(int(k), len(names) + 1)
        values[idx] = names_similarity(names[a], names[b])
    return values[inverse]

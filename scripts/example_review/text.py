"""Text helpers: spelling, case, ASCII folding, typing errors, and keeping titles distinct."""

from __future__ import annotations

import random
import re
import unicodedata

import numpy as np

from .vocabulary import AMERICAN, SMALL_WORDS, STOPWORDS

_TRANSLIT = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss", "ł": "l", "Ł": "L",
                           "đ": "d", "ı": "i", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-",
                           "—": "-"})


def ascii_fold(text: str) -> str:
    """Drop diacritics as older Web of Science records and hand-typed lists do (Müller -> Muller)."""
    text = text.translate(_TRANSLIT)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")

def american(text: str) -> str:
    for british, us in AMERICAN:
        text = text.replace(british, us).replace(british.capitalize(), us.capitalize())
    return text


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def title_case(sentence: str) -> str:
    """'Peer support in the NHS: a qualitative study' -> 'Peer Support in the NHS: A Qualitative Study'."""
    words = sentence.split(" ")
    out = []
    start = True
    for word in words:
        core = word.strip("‘’'\"(")
        if start or (core.lower() not in SMALL_WORDS):
            if word[:1].isalpha():
                word = word[:1].upper() + word[1:]
            elif len(word) > 1 and word[0] in "‘'\"(" and word[1].isalpha():
                word = word[0] + word[1].upper() + word[2:]
        out.append(word)
        start = word.endswith(":") or word.endswith("?")
    # Hyphenated words: capitalise each part (Peer-Led), as journals using title case do.
    return " ".join("-".join(capitalise(part) if i and part[:1].isalpha() and part.lower() not in SMALL_WORDS
                              else part for i, part in enumerate(w.split("-"))) if "-" in w and w[:1].isupper()
                    else w for w in out)


def content_tokens(title: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", ascii_fold(title).lower())
    return frozenset(w for w in words if w not in STOPWORDS and len(w) > 1)


class TitleRegistry:
    """Keeps unique publications clearly distinct: a new title may share less than 60% of its content
    words (Jaccard) with every earlier one, except the hard cases that are built on purpose.

    Titles are columns of a 0/1 word x title matrix so that comparing a title with all earlier ones is
    one numpy sum over a few contiguous rows (a set comparison per title in Python took seconds)."""

    def __init__(self) -> None:
        self.matrix = np.zeros((512, 8192), dtype=np.uint8)  # word x title
        self.sizes = np.zeros(8192, dtype=np.int32)
        self.words: dict = {}
        self.count = 0
        self.normalised: set = set()

    def _rows(self, tokens, create: bool) -> list:
        rows = []
        for token in sorted(tokens):
            if token not in self.words:
                if not create:
                    continue
                if len(self.words) == self.matrix.shape[0]:
                    self.matrix = np.vstack([self.matrix, np.zeros_like(self.matrix)])
                self.words[token] = len(self.words)
            rows.append(self.words[token])
        return rows

    def acceptable(self, title: str, limit: float = 0.6) -> bool:
        norm = " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))
        if norm in self.normalised:
            return False
        tokens = content_tokens(title)
        rows = self._rows(tokens, create=False)
        if len(tokens) < 2 or not rows or not self.count:
            return True
        shared = self.matrix[rows, : self.count].sum(axis=0, dtype=np.int32)
        union = self.sizes[: self.count] + len(tokens) - shared
        return not bool((shared >= limit * union).any())

    def add(self, title: str) -> None:
        norm = " ".join(re.findall(r"[a-z0-9]+", ascii_fold(title).lower()))
        self.normalised.add(norm)
        tokens = content_tokens(title)
        rows = self._rows(tokens, create=True)
        if self.count == self.matrix.shape[1]:
            self.matrix = np.hstack([self.matrix, np.zeros_like(self.matrix)])
            self.sizes = np.concatenate([self.sizes, np.zeros_like(self.sizes)])
        self.matrix[rows, self.count] = 1
        self.sizes[self.count] = len(tokens)
        self.count += 1


def word_count(text: str) -> int:
    return len(text.split())


# Keys a typing error lands on instead (a near neighbour on the keyboard).
_NEIGHBOURS = {"a": "s", "e": "r", "i": "o", "o": "i", "n": "m", "r": "t", "t": "r", "s": "a", "l": "k",
               "c": "v", "u": "y", "m": "n", "d": "s", "p": "o", "h": "g", "g": "h", "y": "t"}


def typo(text: str, rng: random.Random) -> str:
    """One-character edit inside a word of five or more letters."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[A-Za-z]{5,}", text)]
    if not words:
        return text
    start, end = rng.choice(words)
    i = rng.randint(start + 1, end - 2)
    op = rng.choice(["swap", "drop", "double", "substitute"])
    if op == "swap" and text[i] != text[i + 1]:
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    if op == "drop":
        return text[:i] + text[i + 1:]
    if op == "double":
        return text[:i] + text[i] + text[i:]
    return text[:i] + _NEIGHBOURS.get(text[i].lower(), "e") + text[i + 1:]

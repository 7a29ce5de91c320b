"""Scoring candidate pairs: per-field similarities, then the decision of the named rules (:mod:`rules`).

Similarities are computed for all pairs at once (rapidfuzz ``process.cpdist`` compares the i-th
string of one list with the i-th of the other, in C, on all cores); the decision is numpy boolean
algebra over those arrays, so nothing here loops over pairs in Python.

Similarities (0..1, NaN when a side lacks the field):

=============  ==================================================================================
title          normalised Levenshtein ratio of the titles (best over any second title in a field)
title_set      token-set ratio (one title containing the other: a subtitle dropped)
authors        ratio of the surname lists, or of their first 1-3 names where one list is cut short
first_author   ratio of the first authors' surnames
year_diff      absolute difference of the years
journal        journal names, ISO abbreviations and acronyms (:mod:`journals`); 1 on a shared ISSN
volume/issue   1 equal, 0 different
pages          first page equal (digits only), or one page within the other's range; NaN for an
               e-locator against printed pages (:func:`page_similarity`); ``last_page``: last pages equal
doi            1 equal, 0 different (``pmid``, ``wos_ut``, ``scopus_eid`` likewise)
abstract       ratio of the first 400 characters
=============  ==================================================================================

Decisions: ``same`` (linked automatically), ``uncertain`` (a person decides) or ``different``.
The ``rule`` column says which rule decided, and ``score`` is a weighted mean of the evidence used
to order links (the chain guard cuts the weakest first) and to show a person how close a pair is.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from evsynth.dedup.journals import abbreviates, journal_similarity
from evsynth.dedup.normalise import Prepared
from evsynth.dedup.rules import Evidence
from evsynth.dedup.rules import decide as apply_rules

SIMILARITY_COLUMNS = ["title", "title_set", "authors", "first_author", "year_diff", "journal", "volume",
                      "issue", "pages", "last_page", "doi", "pmid", "wos_ut", "scopus_eid", "abstract"]

_GENERIC = re.compile(
    r"^(?:editorial|guest editorial|introduction|preface|foreword|letter|letters|correspondence|reply|"
    r"response|commentary|comment|book reviews?|index|contents|table of contents|in this issue|news|"
    r"abstracts?|editors? note|message from|welcome|acknowledg|reviewers|corrigendum|erratum|overview|"
    r"conference report|meeting report|summary|highlights|announcement|obituary|in memoriam|"
    r"introduction to the (?:mini)?track|introduction to the special|special issue|"
    r"retraction|notice of retraction|expression of concern)\b"
    r"|\beditor'?s'? (?:comments?|notes?|remarks?|introduction|letter|message|corner|choice)\b"
    r"|\bremarks from\b|\bfrom the editors?\b")
# "Overview of ...", "Introduction of ...", "Summary of ..." followed by a subject of some length
# name what the paper is about (a review, a study): a descriptive title, not a section heading.
_DESCRIPTIVE = re.compile(r"^(?:overview|introduction|summary) (?:of|on) ")
_DESCRIPTIVE_WORDS = 8


def _ratio(a: np.ndarray, b: np.ndarray, scorer=fuzz.ratio, workers: int = -1) -> np.ndarray:
    """Element-wise similarity 0..1; NaN where either string is empty."""
    out = np.full(len(a), np.nan)
    present = (a != "") & (b != "")
    if present.any():
        out[present] = process.cpdist(a[present], b[present], scorer=scorer, workers=workers,
                                      dtype=np.float64) / 100.0
    return out


def _equal(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.full(len(a), np.nan)
    present = (a != "") & (b != "")
    out[present] = (a[present] == b[present]).astype(float)
    return out


def _digits(values: np.ndarray) -> np.ndarray:
    code, distinct = pd.factorize(values)  # pages repeat: each distinct one once
    return np.array([re.sub(r"\D", "", v).lstrip("0") if v else "" for v in distinct], dtype=object)[code]


_ELOCATOR = re.compile(r"^[a-rt-z]+\d")


def _as_int(digits: np.ndarray) -> np.ndarray:
    code, distinct = pd.factorize(digits)
    return np.array([int(v) if v and len(v) < 12 else -1 for v in distinct], dtype=np.int64)[code]


def page_similarity(flags: dict, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """1 when the first pages agree, or a single page lies within the other record's range
    ('569' and '567-569'); 0 when they clash; NaN when a side has no page or only one side
    gives an electronic article number (which says nothing about printed pages)."""
    sim = _equal(flags["page_digits"][i], flags["page_digits"][j])
    f1, f2 = flags["first_number"][i], flags["first_number"][j]
    l1, l2 = flags["last_number"][i], flags["last_number"][j]
    e1, e2 = flags["elocator"][i], flags["elocator"][j]
    within = (((l1 < 0) & (f1 >= 0) & (f2 >= 0) & (l2 >= f2) & (f1 >= f2) & (f1 <= l2))
              | ((l2 < 0) & (f2 >= 0) & (f1 >= 0) & (l1 >= f1) & (f2 >= f1) & (f2 <= l1)))
    sim = np.where((sim == 0) & within & (e1 == e2), 1.0, sim)
    return np.where(~np.isnan(sim) & (e1 != e2), np.nan, sim)


def _first_names(authors: np.ndarray, k: int) -> np.ndarray:
    return np.array([" ".join(a.split(" ")[:k]) for a in authors], dtype=object)


_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8",
          "ix": "9", "x": "10"}
_PART_WORDS = {"part", "parts", "pt", "volume", "vol", "chapter", "section", "paper", "report"}
_NUMBERED = _PART_WORDS | {"phase", "stage", "type", "grade", "study", "trial", "focus", "series", "no",
                           "number", "wave", "round", "issue"}
_TITLE_NUMBER = re.compile(r"\d+")


def title_numbers(title: str) -> tuple[str, bool]:
    """The numbers a title states, sorted, as text; and whether it names a numbered part.

    'Part II' and 'Part 2' both give 'p2'. Two titles that state different numbers, or where only
    one names a part ('..., Part 2'), are different works.
    """
    tokens = title.split()
    found = set(_TITLE_NUMBER.findall(title))
    part = False
    for before, token in zip(tokens, tokens[1:]):
        number = _ROMAN.get(token, token if token.isdigit() else None)
        if before in _NUMBERED and number:
            found.add(number)
            if before in _PART_WORDS:
                found.add("p" + number)
                part = True
    # a number closing the title ('..., 2', '... II') numbers a part as well
    if len(tokens) > 3 and (tokens[-1].isdigit() and len(tokens[-1]) == 1 or tokens[-1] in _ROMAN and tokens[-1] != "i"):
        found.add("p" + _ROMAN.get(tokens[-1], tokens[-1]))
        part = True
    return " ".join(sorted(found)), part


def record_flags(p: Prepared) -> dict[str, np.ndarray]:
    """Per-record facts the rules use: generic titles, title length and numbers, page digits."""
    # each distinct title (and first page) looked at once: duplicates mostly share them
    code, titles = pd.factorize(p.title)
    n_words = np.array([len(t.split()) for t in titles], dtype=np.int32)
    generic = np.array([bool(_GENERIC.match(t)) and not (n >= _DESCRIPTIVE_WORDS and _DESCRIPTIVE.match(t))
                        for t, n in zip(titles, n_words)], dtype=bool) | (n_words < 4)
    numbers = [title_numbers(t) for t in titles]
    first_digits, last_digits = _digits(p.page_first), _digits(p.page_last)
    page_code, pages = pd.factorize(p.page_first)
    return {"n_words": n_words[code], "generic": generic[code], "page_digits": first_digits,
            "last_digits": last_digits,
            # an electronic article number ('e12724', 'c1804'): not comparable with printed pages
            "elocator": np.array([bool(_ELOCATOR.match(v)) for v in pages], dtype=bool)[page_code],
            "first_number": _as_int(first_digits), "last_number": _as_int(last_digits),
            "title_numbers": np.array([x for x, _ in numbers], dtype=object)[code],
            "title_part": np.array([y for _, y in numbers], dtype=bool)[code]}


def compare(p: Prepared, i: np.ndarray, j: np.ndarray, flags: dict | None = None,
            workers: int = -1) -> pd.DataFrame:
    """Per-field similarities of the pairs (i[k], j[k])."""
    flags = flags or record_flags(p)
    sims: dict[str, np.ndarray] = {}
    t1, t2 = p.title[i], p.title[j]
    title = _ratio(t1, t2, workers=workers)
    # A second title in either field (original language, or translated) may be the one that matches.
    alt_pairs = (p.title_alt[i] != "") | (p.title_alt[j] != "")
    if alt_pairs.any():
        k = np.flatnonzero(alt_pairs)
        a1, a2 = p.title_alt[i[k]], p.title_alt[j[k]]
        best = np.fmax(title[k], _ratio(a1, t2[k], workers=workers))
        best = np.fmax(best, _ratio(t1[k], a2, workers=workers))
        best = np.fmax(best, _ratio(a1, a2, workers=workers))
        title[k] = best
    sims["title"] = title
    sims["title_set"] = _ratio(t1, t2, scorer=fuzz.token_set_ratio, workers=workers)
    # Authors: whole lists in any order, the first k names where one export cuts the list short,
    # and surnames against given names where one export swapped them.
    au1, au2 = p.authors[i], p.authors[j]
    authors = np.fmax(_ratio(au1, au2, workers=workers),
                      _ratio(au1, au2, scorer=fuzz.token_sort_ratio, workers=workers))
    k_min = np.minimum(p.n_authors[i], p.n_authors[j])
    for k in (1, 2, 3):
        sel = np.flatnonzero((np.minimum(k_min, 3) == k) & (p.n_authors[i] != p.n_authors[j]))
        if len(sel):
            f1 = _first_names(au1[sel], k)
            f2 = _first_names(au2[sel], k)
            authors[sel] = np.fmax(authors[sel], _ratio(f1, f2, workers=workers))
    swapped = np.flatnonzero(np.nan_to_num(authors, nan=1.0) < 0.75)
    if len(swapped):
        g1, g2 = p.authors_given[i[swapped]], p.authors_given[j[swapped]]
        best = np.fmax(_ratio(au1[swapped], g2, scorer=fuzz.token_sort_ratio, workers=workers),
                       _ratio(g1, au2[swapped], scorer=fuzz.token_sort_ratio, workers=workers))
        authors[swapped] = np.fmax(authors[swapped], best)
    sims["authors"] = authors
    sims["first_author"] = _ratio(p.first_author[i], p.first_author[j], workers=workers)
    y1, y2 = p.year[i], p.year[j]
    sims["year_diff"] = np.where((y1 > 0) & (y2 > 0), np.abs(y1 - y2), np.nan)
    journal = journal_similarity(p.journal_code[i], p.journal_code[j], p.journal_names)
    issn_shared = _shares_token(p.issn[i], p.issn[j])
    sims["journal"] = np.where(issn_shared, 1.0, journal)
    sims["volume"] = _equal(p.volume[i], p.volume[j])
    sims["issue"] = _equal(p.issue[i], p.issue[j])
    sims["pages"] = page_similarity(flags, i, j)
    sims["last_page"] = _equal(flags["last_digits"][i], flags["last_digits"][j])
    for name in ("doi", "pmid", "wos_ut", "scopus_eid"):
        sims[name] = _equal(getattr(p, name)[i], getattr(p, name)[j])
    sims["abstract"] = _ratio(p.abstract[i], p.abstract[j], workers=workers)
    return pd.DataFrame(sims)


def _shares_token(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = np.zeros(len(a), dtype=bool)
    present = np.flatnonzero((a != "") & (b != ""))
    for k in present:
        out[k] = bool(set(a[k].split()) & set(b[k].split()))
    return out


# Weights of the evidence score (a weighted mean over the fields both records have).
WEIGHTS = {"title": 3.0, "authors": 2.0, "journal": 1.0, "year": 1.0, "volume": 1.0, "pages": 1.5,
           "issue": 0.5, "doi": 3.0, "abstract": 2.0}


def evidence_score(s: pd.DataFrame) -> np.ndarray:
    year = np.where(s["year_diff"] == 0, 1.0, np.where(s["year_diff"] == 1, 0.5, 0.0))
    year = np.where(np.isnan(s["year_diff"]), np.nan, year)
    parts = {"title": s["title"].to_numpy(), "authors": s["authors"].to_numpy(),
             "journal": s["journal"].to_numpy(), "year": year, "volume": s["volume"].to_numpy(),
             "pages": s["pages"].to_numpy(), "issue": s["issue"].to_numpy(), "doi": s["doi"].to_numpy(),
             "abstract": s["abstract"].to_numpy()}
    total = np.zeros(len(s))
    weight = np.zeros(len(s))
    for name, values in parts.items():
        present = ~np.isnan(values)
        total += np.where(present, values, 0.0) * WEIGHTS[name]
        weight += present * WEIGHTS[name]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, 0.0)


def issue_reliability(s: pd.DataFrame, minimum: int = 20) -> bool:
    """Whether the issue field means anything in this data set.

    Some exports put a record number in the issue field. Among pairs that are surely the same
    article (same title, authors, year, volume and first page) the issues then disagree; if they
    disagree more often than they agree, a different issue is no evidence of a different record.
    """
    anchor = ((s["title"] >= 0.98) & (s["authors"] >= 0.9) & (s["volume"] == 1) & (s["pages"] == 1)
              & (s["year_diff"] == 0) & s["issue"].notna())
    if anchor.sum() < minimum:
        return True
    return bool(s["issue"][anchor].mean() >= 0.5)


def decide(p: Prepared, i: np.ndarray, j: np.ndarray, s: pd.DataFrame,
           flags: dict | None = None, issue_reliable: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Decision ('same' / 'uncertain' / 'different'), the rule behind it (:mod:`evsynth.dedup.rules`)
    and the fields that disagree."""
    evidence = Evidence(p, i, j, s, flags or record_flags(p), issue_reliable)
    decision, rule = apply_rules(evidence)
    return decision, rule, evidence.reasons()


def prescreen(p: Prepared, i: np.ndarray, j: np.ndarray, workers: int = -1) -> np.ndarray:
    """Pairs worth scoring: titles not clearly different, or a shared identifier or first page.

    The pairs dropped here are 'different' under every rule of :func:`decide` (which needs a
    title ratio of 0.6, a token-set ratio of 0.8, or a shared identifier or page).
    """
    t1, t2 = p.title[i], p.title[j]
    keep = np.nan_to_num(_ratio(t1, t2, scorer=fuzz.token_set_ratio, workers=workers), nan=1.0) >= 0.75
    rest = np.flatnonzero(~keep)
    if len(rest):
        keep[rest] = _ratio(t1[rest], t2[rest], workers=workers) >= 0.6
    rest = np.flatnonzero(~keep)
    if len(rest):
        a, b = i[rest], j[rest]
        shared = (p.title_alt[a] != "") | (p.title_alt[b] != "")
        shared |= (p.page_first[a] != "") & (p.page_first[a] == p.page_first[b])
        for name in ("doi", "pmid", "wos_ut", "scopus_eid"):
            values = getattr(p, name)
            shared |= (values[a] != "") & (values[a] == values[b])
        keep[rest] = shared
    return keep


def score_pairs(p: Prepared, i: np.ndarray, j: np.ndarray, workers: int = -1,
                batch: int = 1_000_000) -> pd.DataFrame:
    """Similarities, score, decision and rule of the candidate pairs (row numbers i, j).

    Pairs whose titles are clearly different and that share no identifier or page are dropped
    first: they are 'different' by any rule, and most of them come from the sorted neighbourhood.
    """
    flags = record_flags(p)
    frames = []
    for start in range(0, len(i), batch):
        bi, bj = i[start:start + batch], j[start:start + batch]
        keep = prescreen(p, bi, bj, workers)
        bi, bj = bi[keep], bj[keep]
        sims = compare(p, bi, bj, flags, workers=workers)
        sims.insert(0, "j", bj)
        sims.insert(0, "i", bi)
        frames.append(sims)
    if not frames:
        sims = compare(p, i[:0], j[:0], flags, workers=workers)
        sims.insert(0, "j", j[:0])
        sims.insert(0, "i", i[:0])
        frames.append(sims)
    sims = pd.concat(frames, ignore_index=True)
    del frames
    abbreviates.cache_clear()  # journal pairs are decided; the cache would hold its names to the end
    reliable = issue_reliability(sims)
    decision, rule, reasons = decide(p, sims["i"].to_numpy(), sims["j"].to_numpy(), sims, flags, reliable)
    sims["score"] = evidence_score(sims).round(4)
    sims["decision"] = decision
    sims["rule"] = rule
    sims["conflicts"] = reasons
    # decided in double precision; kept in single to halve the memory of millions of pairs
    for name in SIMILARITY_COLUMNS:
        sims[name] = sims[name].astype(np.float32).round(4)
    sims.attrs["issue_reliable"] = reliable
    return sims

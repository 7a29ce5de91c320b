"""The matching rules: which candidate pairs are the same record, which a person decides.

Each rule is a named predicate over the evidence of all pairs at once (:class:`Evidence`, numpy
boolean arrays), with a docstring saying what it accepts and why; :data:`RULES` lists them in the
order they are tried (as bib-dedupe's ``match_conditions.py`` does) and :func:`decide` applies them:

1. **vetoes** keep a pair apart whatever else agrees (a trial registration and an article);
2. **link rules** (decision ``same``): the first that accepts a pair names its link;
3. **demotions** send a link to a person when its evidence rests on something we made up
   (names transliterated from another script);
4. **person rules** (decision ``uncertain``): close, but something disagrees or is thin;
5. everything else is ``different`` (rule ``score``).

A volume or page clash is *soft* when the title (of some length), the authors, the journal and the
abstract (where both have one) agree: exports put supplement and issue numbers in the volume
field, electronic article numbers in the pages, a last page for the first. It stays *hard* for
notices, short or generic titles and different DOIs, and two clashes are never soft.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evsynth.dedup.normalise import Prepared

IDENTIFIERS = ("doi", "pmid", "wos_ut", "scopus_eid")


def _eq(x: np.ndarray, value: float = 1.0) -> np.ndarray:
    return np.nan_to_num(x, nan=-1.0) == value


def _ge(x: np.ndarray, value: float) -> np.ndarray:
    return np.nan_to_num(x, nan=-1.0) >= value


def _lt(x: np.ndarray, value: float) -> np.ndarray:
    return np.nan_to_num(x, nan=2.0) < value


class Evidence:
    """What the rules look at, for every pair (i[k], j[k]): similarities and derived facts."""

    def __init__(self, p: Prepared, i: np.ndarray, j: np.ndarray, s: pd.DataFrame, flags: dict,
                 issue_reliable: bool = True):
        col = {name: s[name].to_numpy(dtype=np.float64) for name in s.columns if name not in ("i", "j")}
        nan = np.isnan
        n = self.n = len(i)
        T, TS, A, F, Y = col["title"], col["title_set"], col["authors"], col["first_author"], col["year_diff"]
        J, V, I, P, PL, AB = col["journal"], col["volume"], col["issue"], col["pages"], col["last_page"], col["abstract"]
        D = col["doi"]
        self.T, self.TS, self.A, self.F, self.Y, self.J = T, TS, A, F, Y, J
        self.V, self.I, self.P, self.PL, self.AB, self.D = V, I, P, PL, AB, D
        kind_1, kind_2 = p.kind[i], p.kind[j]
        self.kind_1, self.kind_2 = kind_1, kind_2
        self.same_kind = kind_1 == kind_2
        self.strong_mismatch = ~self.same_kind & (p.kind_strong[i] | p.kind_strong[j])
        self.weak_mismatch = ~self.same_kind & ~self.strong_mismatch
        self.registry_apart = (kind_1 == "registry") != (kind_2 == "registry")
        self.generic = flags["generic"][i] | flags["generic"][j]
        self.min_words = np.minimum(flags["n_words"][i], flags["n_words"][j])
        self.supplement = p.supplement[i] | p.supplement[j]
        self.supplement_one_side = p.supplement[i] != p.supplement[j]
        lang_1, lang_2 = p.language[i], p.language[j]
        self.translated = (p.translated[i] | p.translated[j]
                           | ((lang_1 != lang_2) & (lang_1 != "") & (lang_2 != "")))
        self.no_title = (p.title[i] == "") | (p.title[j] == "")
        tn_1, tn_2 = flags["title_numbers"][i], flags["title_numbers"][j]
        parts = flags["title_part"][i] | flags["title_part"][j]
        self.number_conflict = (tn_1 != tn_2) & (((tn_1 != "") & (tn_2 != "")) | parts) & ~self.translated
        self.shared = {name: _eq(col[name]) for name in IDENTIFIERS}
        self.identifier = self.shared["doi"] | self.shared["pmid"] | self.shared["wos_ut"] | self.shared["scopus_eid"]
        self.doi_conflict = _eq(D, 0.0)
        self.vol_conflict = _eq(V, 0.0)
        self.page_conflict = _eq(P, 0.0)
        self.issue_conflict = _eq(I, 0.0) if issue_reliable else np.zeros(n, dtype=bool)
        self.issue_agree = _eq(I) if issue_reliable else np.zeros(n, dtype=bool)
        self.journal_conflict = _lt(J, 0.5)
        self.year_same = _eq(Y, 0.0) | nan(Y)
        self.year_off1 = _eq(Y, 1.0)
        self.year_far = _ge(Y, 2.0)
        self.numbers_agree = _eq(V) & _eq(P)
        # everything but the title agrees: year, volume, first page, issue, journal
        self.all_numbers = _eq(Y, 0.0) & self.numbers_agree & ~self.issue_conflict & _ge(J, 0.8)
        self.title_strong = _ge(T, 0.95)
        # one title containing the other (a subtitle dropped): for titles of some length, or where
        # the pages agree as well
        self.title_contained = _ge(TS, 0.97) & _ge(T, 0.3) & (
            (self.min_words >= 5) | ((self.min_words >= 3) & _eq(P) & _ge(J, 0.8)))
        self.title_good = _ge(T, 0.88) | self.title_contained
        self.title_weak = _ge(T, 0.6) | _ge(TS, 0.8)
        self.long_title = self.title_strong & (self.min_words >= 6) & ~self.generic
        self.authors_missing = nan(A)
        self.authors_ok = _ge(A, 0.75) | self.authors_missing | (self.all_numbers & self.title_strong & _ge(A, 0.5))
        self.authors_strong = _ge(A, 0.9)
        self.authors_bad = _lt(A, 0.5) & _lt(F, 0.8)
        self.abstract_agrees = _ge(AB, 0.85)
        self.abstract_not_against = nan(AB) | _ge(AB, 0.9)
        self.corroborated = ((_ge(J, 0.8) | _eq(V) | _eq(P) | self.abstract_agrees)
                             & ~(self.journal_conflict & ~self.numbers_agree & ~(_eq(V) & self.issue_agree)
                                 & ~self.abstract_agrees))
        # A clash of volume or pages that the rest of the evidence outweighs (see the module).
        self.one_clash = self.vol_conflict != self.page_conflict
        self.soft_clash = (self.one_clash & self.long_title & self.authors_strong & _ge(J, 0.8)
                           & self.abstract_not_against & self.same_kind & ~self.doi_conflict
                           & ~self.number_conflict & ~self.supplement_one_side)
        self.hard_clash = (self.vol_conflict | self.page_conflict) & ~self.soft_clash
        self.other_script = (np.zeros(n, dtype=bool) if p.authors_other_script is None
                             else p.authors_other_script[i] != p.authors_other_script[j])
        # Title, authors, year and another field agree and nothing but (perhaps) one number disagrees.
        agree = (self.title_good & self.authors_ok & ~self.authors_bad & ~self.doi_conflict
                 & ~self.number_conflict & ~(self.issue_conflict & ~_eq(P)) & ~self.strong_mismatch
                 & (~self.weak_mismatch | self.numbers_agree | self.identifier | _ge(AB, 0.95)))
        agree &= self.corroborated | (self.title_strong & self.authors_strong & (self.min_words >= 6)
                                      & ~self.journal_conflict)
        agree &= ~self.authors_missing | (self.title_strong & (self.numbers_agree | (_ge(J, 0.8) & (_eq(V) | _eq(P)))
                                                                | self.abstract_agrees))
        agree &= ~self.generic | (self.numbers_agree & _eq(Y, 0.0) & _ge(J, 0.8)) | _ge(AB, 0.9)
        self.agree = agree
        # soft clashes are not counted: with one more conflict the pair still goes to a person
        self.conflict_count = (self.doi_conflict.astype(int) * 2 + self.hard_clash * (self.vol_conflict.astype(int)
                                                                                     + self.page_conflict)
                               + self.strong_mismatch + self.weak_mismatch + self.year_off1 + self.year_far * 2
                               + (self.issue_conflict & ~_eq(P)) + self.journal_conflict)

    def reasons(self) -> np.ndarray:
        """What disagrees, per pair ('doi;pages(soft)'): for a person and for the chain guard,
        which treats the plain names in :data:`evsynth.dedup.clusters.HARD_CONFLICTS` as hard."""
        soft = self.soft_clash
        out = np.full(self.n, "", dtype=object)
        for mask, name in ((self.doi_conflict, "doi"), (self.year_far, "year"), (self.year_off1, "year_by_one"),
                           (self.vol_conflict & ~soft, "volume"), (self.vol_conflict & soft, "volume(soft)"),
                           (self.page_conflict & ~soft, "pages"), (self.page_conflict & soft, "pages(soft)"),
                           (self.issue_conflict, "issue"), (self.journal_conflict, "journal"),
                           (self.number_conflict, "title_numbers"), (self.strong_mismatch, "notice"),
                           (self.weak_mismatch, "kind"), (self.authors_bad, "authors")):
            if mask.any():
                out[mask] = out[mask] + (";" + name)
        return np.array([r[1:] for r in out], dtype=object)


@dataclass(frozen=True)
class Rule:
    """A named matching rule: its decision and the predicate over :class:`Evidence`."""

    name: str
    stage: str  # veto / link / demote / person
    test: Callable[[Evidence], np.ndarray]

    @property
    def decision(self) -> str:
        return {"veto": "different", "link": "same", "demote": "uncertain", "person": "uncertain"}[self.stage]

    @property
    def doc(self) -> str:
        return inspect.getdoc(self.test) or ""


RULES: list[Rule] = []


def rule(name: str, stage: str):
    def register(test: Callable[[Evidence], np.ndarray]) -> Callable[[Evidence], np.ndarray]:
        RULES.append(Rule(name, stage, test))
        return test
    return register


# --- vetoes -------------------------------------------------------------------------------------

@rule("registry", "veto")
def registry_entry_and_publication(e: Evidence) -> np.ndarray:
    """A trial-registry entry and anything that is not one stay apart: a registration is a report
    of its own (PRISMA 2020 counts registers as a source of their own), never a copy of the
    article about the trial. Two registry records of one trial link by the other rules."""
    return e.registry_apart


# --- link rules -----------------------------------------------------------------------------------

def _identifier_rule(name: str) -> Callable[[Evidence], np.ndarray]:
    def shared_identifier(e: Evidence) -> np.ndarray:
        return (e.shared[name] & ~e.strong_mismatch
                & (e.title_weak | e.no_title | (e.authors_strong & ~e.year_far)))
    shared_identifier.__doc__ = (
        f"Both records carry the same {name}: the same record, unless the titles say otherwise "
        "(a notice carrying its article's identifier, or titles clearly different and a wrong identifier).")
    shared_identifier.__name__ = f"shared_{name}"
    return shared_identifier


for _name in IDENTIFIERS:
    rule(_name, "link")(_identifier_rule(_name))


@rule("metadata", "link")
def metadata(e: Evidence) -> np.ndarray:
    """Title, authors and year agree, and so does at least one more field (journal, volume, first
    page or abstract); nothing contradicts: no clash of DOI, volume, pages, title numbers or kind."""
    return e.agree & ~e.vol_conflict & ~e.page_conflict & e.year_same


@rule("metadata_year_by_one", "link")
def metadata_year_by_one(e: Evidence) -> np.ndarray:
    """As ``metadata`` with the years one apart (online first and print, a meeting and its
    proceedings, a thesis and its Dissertation Abstracts entry): a long title, the authors and more
    must agree (volume and page, volume and issue, the abstract, or the conference or thesis kind).
    The volume alone is enough in the same journal when one record has no pages: an online-first
    record, dated the year it went online, has its volume but not yet its pages."""
    return (e.agree & ~e.vol_conflict & ~e.page_conflict & e.year_off1 & e.long_title & e.authors_strong
            & (e.numbers_agree | (_eq(e.V) & e.issue_agree) | _ge(e.AB, 0.9)
               | (_eq(e.V) & np.isnan(e.P) & _ge(e.J, 0.9) & ~e.supplement)
               | ((e.kind_1 == "conference") & e.same_kind & _ge(e.J, 0.9))
               | ((e.kind_1 == "thesis") & e.same_kind)))


@rule("numbers", "link")
def translated_title_numbers(e: Evidence) -> np.ndarray:
    """A title in another language (or a translated title): the authors and every number agree
    (year, journal, volume, issue, first and last page), outside supplements and conferences."""
    return (e.all_numbers & (_eq(e.PL) | np.isnan(e.PL)) & ~e.supplement & (e.translated | e.issue_agree)
            & (_ge(e.A, 0.8) | (e.authors_missing & _ge(e.TS, 0.5))) & e.same_kind
            & (e.kind_1 != "conference") & ~e.doi_conflict & ~e.generic)


@rule("soft_clash", "link")
def one_soft_clash(e: Evidence) -> np.ndarray:
    """As ``metadata`` but the volume *or* the pages disagree, the clash being soft: a long title,
    the authors (0.9) and the journal agree, the abstracts do not disagree, and neither record is a
    notice, a supplement or has another DOI. Exports put supplement or issue numbers in the
    volume, article numbers or the last page in the pages."""
    return e.agree & e.soft_clash & e.year_same


@rule("location", "link")
def same_printed_location(e: Evidence) -> np.ndarray:
    """A long title, and the same year, journal, volume, first and last page: one printed article,
    whatever its author field says (a group author in one export, the chair in another, names
    cut short). A number in the title may differ only when the authors agree (a typo)."""
    return (e.long_title & _eq(e.Y, 0.0) & e.numbers_agree & _eq(e.PL) & _ge(e.J, 0.8) & ~e.issue_conflict
            & e.same_kind & ~e.strong_mismatch & ~e.doi_conflict & ~e.supplement
            & (~e.number_conflict | e.authors_strong))


@rule("thesis", "link")
def thesis_and_its_abstract(e: Evidence) -> np.ndarray:
    """A thesis and its Dissertation Abstracts entry: same title and author, years at most one
    apart (the degree and the abstract's volume are dated differently), no other DOI."""
    return ((e.kind_1 == "thesis") & e.same_kind & e.title_strong & (e.authors_strong | _ge(e.F, 0.95))
            & ~e.year_far & ~e.doi_conflict & ~e.number_conflict)


@rule("untitled", "link")
def untitled_numbers(e: Evidence) -> np.ndarray:
    """A record without a title (lost in the export): the authors, year, journal, volume and first
    page all agree, and the last page and issue where both have one."""
    return (e.no_title & _ge(e.A, 0.95) & _eq(e.Y, 0.0) & e.numbers_agree & _ge(e.J, 0.9)
            & (_eq(e.PL) | np.isnan(e.PL)) & ~e.issue_conflict & ~e.doi_conflict & ~e.strong_mismatch)


# --- demotions ----------------------------------------------------------------------------------

@rule("other_script", "demote")
def authors_from_another_script(e: Evidence) -> np.ndarray:
    """A link that rests on our transliteration of the authors' names from another script (one
    record in Cyrillic or Greek, the other in Latin letters), with no shared identifier and titles
    that are not identical: too thin to link without a person."""
    return e.other_script & ~e.identifier & _lt(e.T, 1.0)


# --- person rules -------------------------------------------------------------------------------

def _plausible(e: Evidence) -> np.ndarray:
    plausible = ((e.title_good & e.authors_ok & ~e.authors_bad & ~e.year_far)
                 | (e.identifier & (e.title_weak | e.no_title))
                 | (_eq(e.Y, 0.0) & e.numbers_agree & e.title_weak & e.authors_ok))
    # a numbered part or volume, or a recurring editorial in another issue, is simply different
    return plausible & ~e.number_conflict & ~(e.generic & e.issue_conflict)


@rule("notice", "person")
def notice_with_its_articles_title(e: Evidence) -> np.ndarray:
    """An erratum, correction, retraction, comment or preprint with its article's title (or
    containing it, as 'Erratum to: TITLE [citation]' does) and authors: never linked automatically (a notice is a record of another document), shown to a
    person, who may attach it to the article."""
    return e.strong_mismatch & (e.title_strong | e.title_contained) & e.authors_ok


@rule("different_dois", "person")
def same_paper_different_dois(e: Evidence) -> np.ndarray:
    """Clearly the same paper (title, authors, and year with volume and page, or the abstract)
    but with different DOIs: a wrong DOI or a republication, for a person to tell."""
    return (e.doi_conflict & e.title_strong & e.authors_strong & ~e.strong_mismatch & ~e.generic
            & ~e.number_conflict & ((_eq(e.Y, 0.0) & e.numbers_agree) | _ge(e.AB, 0.95)))


@rule("same_title_elsewhere", "person")
def identical_title_other_venue(e: Evidence) -> np.ndarray:
    """An identical long title (8 words or more) with the same first author within a year, but
    another journal or volume or other co-authors: a meeting abstract and its paper, a paper
    indexed under two venues, or a wrong field; a person decides (see the README's policy). Not
    when both give another volume *and* other pages: that is a co-publication (a guideline printed
    in several journals), a report of its own."""
    return (_ge(e.T, 0.98) & (e.min_words >= 8) & ~e.generic & _ge(e.F, 0.9) & ~e.year_far
            & ~e.number_conflict & ~(e.vol_conflict & e.page_conflict))


@rule("later_version", "person")
def same_title_years_apart(e: Evidence) -> np.ndarray:
    """The same long title, authors and journal two or more years apart, with no other DOI: an
    updated review (a new version of a Cochrane review keeps its title and number) or a reprint.
    A new version is a report of its own, so it is never linked automatically."""
    return (e.long_title & _ge(e.T, 0.98) & e.authors_strong & _ge(e.J, 0.8) & e.year_far & ~e.doi_conflict
            & ~e.number_conflict)


@rule("conflict", "person")
def close_with_one_conflict(e: Evidence) -> np.ndarray:
    """Title and authors agree, but one thing disagrees (year by one, volume, pages, issue,
    journal, the kind of record)."""
    return _plausible(e) & (e.conflict_count == 1)


@rule("weak", "person")
def close_but_thin(e: Evidence) -> np.ndarray:
    """Nothing disagrees, but the evidence is too thin to link (a short title, missing fields)."""
    return _plausible(e) & (e.conflict_count == 0)


def decide(e: Evidence) -> tuple[np.ndarray, np.ndarray]:
    """Decision ('same' / 'uncertain' / 'different') and the rule behind it, for every pair."""
    decision = np.full(e.n, "different", dtype=object)
    rule_name = np.full(e.n, "score", dtype=object)
    open_ = np.ones(e.n, dtype=bool)
    for r in RULES:
        if r.stage == "veto":
            hit = r.test(e) & open_
            rule_name[hit] = r.name
            open_ &= ~hit
    for r in RULES:
        if r.stage == "link":
            hit = r.test(e) & open_
            decision[hit] = "same"
            rule_name[hit] = r.name
            open_ &= ~hit
    linked = decision == "same"
    for r in RULES:
        if r.stage == "demote":
            hit = r.test(e) & linked & ~np.isin(rule_name, IDENTIFIERS)
            decision[hit] = "uncertain"
            rule_name[hit] = r.name
    for r in RULES:
        if r.stage == "person":
            hit = r.test(e) & open_
            decision[hit] = "uncertain"
            rule_name[hit] = r.name
            open_ &= ~hit
    return decision, rule_name

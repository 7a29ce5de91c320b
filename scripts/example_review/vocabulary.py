"""The words the example is made of, read from ``data/``: people, journals, and the phrases of titles,
abstracts and notes (``data/README.md`` describes each file).

Names are loaded once, at import, into module constants: the generator draws from them in a fixed
order, so their order in the files is part of what makes two runs write the same bytes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).with_name("data")


def _yaml(name: str) -> dict:
    with open(DATA / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# --- people ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    surname: str
    given: str  # first given name
    middle: str  # middle initial or ""

    def initials(self) -> str:
        first = self.given.split("-")
        letters = "".join(part[0].upper() for part in first)
        return letters + self.middle

    def full(self, period: bool = True) -> str:
        """'Surname, Given M.' (CINAHL, ProQuest, WoS AF) or 'Surname, Given M' (PubMed FAU)."""
        middle = f" {self.middle}{'.' if period else ''}" if self.middle else ""
        return f"{self.surname}, {self.given}{middle}"


_PEOPLE = _yaml("people.yaml")
_AVOID = set(_PEOPLE["avoid_surnames"])
SURNAMES: list[str] = [name for name in _PEOPLE["surnames"] if name not in _AVOID]
GIVEN_NAMES: list[str] = _PEOPLE["given_names"]
MIDDLE_INITIALS: list[str] = list(_PEOPLE["middle_initials"])


# --- journals (real names, ISO abbreviations and ISSNs; the articles in them are invented) -------
@dataclass(frozen=True)
class Journal:
    key: str
    full: str
    iso: str  # ISO 4 abbreviation, with periods (Ovid JA, Scopus, WoS JI)
    nlm: str | None  # NLM title abbreviation (PubMed TA); None if not indexed for MEDLINE
    jt: str | None  # PubMed JT
    j9: str | None  # WoS 29-character abbreviation; None if not in Web of Science
    issn: str
    field: str  # psychiatry | psychology | nursing | services | medicine | social
    founded: int
    doi: str  # DOI suffix pattern
    title_case: bool = False
    language: str = "eng"
    cinahl: bool = False
    psycinfo: bool = False


def _journal(row: dict) -> Journal:
    def optional(name: str) -> str | None:
        return row[name] or None

    return Journal(row["key"], row["full"], row["iso"], optional("nlm"), optional("jt"), optional("j9"), row["issn"],
                   row["field"], int(row["founded"]), row["doi"], row["title_case"] == "yes", row["language"],
                   row["cinahl"] == "yes", row["psycinfo"] == "yes")


with open(DATA / "journals.csv", encoding="utf-8", newline="") as _handle:
    JOURNALS: list[Journal] = [_journal(row) for row in csv.DictReader(_handle)]
JOURNAL_BY_KEY = {journal.key: journal for journal in JOURNALS}
ENGLISH_JOURNALS = [j.key for j in JOURNALS if j.language == "eng"]
# Journals of the non-English reports a reviewer can read (German, Dutch) and cannot (the rest).
FOREIGN_JOURNALS = ["pprax", "tvp"]
INELIGIBLE_LANGUAGE_JOURNALS = ["rivpsi", "jbp", "ssz"]
# Journals that carry conference abstracts (Embase and Web of Science index their supplements).
CONFERENCE_JOURNALS = ["eurpsy", "eip", "schbul", "anzjp", "aps"]
ONLINE_ONLY = {"bmcpsy", "bmchsr", "impsci", "bmjopen", "fpsyt"}


# --- phrases --------------------------------------------------------------------------------------
_WORDS = _yaml("vocabulary.yaml")
# Titles and abstracts of mental health services research.
TOPICS: list[str] = _WORDS["topics"]
POPULATIONS: list[str] = _WORDS["populations"]
SETTINGS: list[str] = _WORDS["settings"]
OUTCOMES: list[str] = _WORDS["outcomes"]
CONCEPTS: list[str] = _WORDS["concepts"]
STAKEHOLDERS: list[str] = _WORDS["stakeholders"]
DESIGN_SUFFIXES: list[str] = _WORDS["design_suffixes"]
GENERAL_FRAMES: list[str] = _WORDS["general_frames"]
EDITORIAL_FRAMES: list[str] = _WORDS["editorial_frames"]
DISSERTATION_FRAMES: list[str] = _WORDS["dissertation_frames"]
UNIVERSITIES: list[str] = _WORDS["universities"]
BOOKS: list[tuple] = [tuple(book) for book in _WORDS["books"]]
# Peer support work, the topic of the review.
PEER_TERMS_US: list[str] = _WORDS["peer_terms_us"]
PEER_TERMS_OTHER: list[str] = _WORDS["peer_terms_other"]
COUNTRY_SETTINGS: dict[str, list[str]] = _WORDS["country_settings"]
COUNTRY_JOURNALS: dict[str, list[str]] = _WORDS["country_journals"]
COUNTRY_STAKEHOLDERS: list[str] = _WORDS["country_stakeholders"]
CLINICAL_POPULATIONS: list[str] = _WORDS["clinical_populations"]
WARDS: list[str] = _WORDS["wards"]
TRIAL_INTERVENTIONS: list[str] = _WORDS["trial_interventions"]
QUAL_QUOTES: list[str] = _WORDS["qualitative_quotes"]
CSERVICES: list[str] = _WORDS["services"]
OTHER_CONDITIONS: list[str] = _WORDS["other_conditions"]
# Title frames of the reports excluded at full text (by reason), not retrieved and included (by design).
REASON_FRAMES: dict[str, list[str]] = _WORDS["reason_frames"]
NOT_RETRIEVED_FRAMES: list[str] = _WORDS["not_retrieved_frames"]
INCLUDED_FRAMES: dict[str, list[str]] = _WORDS["included_frames"]
PEERISH_FRAMES: list[str] = (REASON_FRAMES["Wrong population"] + REASON_FRAMES["Not peer support work"]
                             + _WORDS["peerish_frames"])
WRONG_POPULATIONS: list[tuple] = [tuple(pair) for pair in _WORDS["wrong_populations"]]
ABSTRACT_BACKGROUND: list[str] = _WORDS["abstract_background"]
ABSTRACT_AIM: list[str] = _WORDS["abstract_aim"]
ABSTRACT_METHODS: dict[str, list[str]] = _WORDS["abstract_methods"]
ABSTRACT_RESULTS: dict[str, list[str]] = _WORDS["abstract_results"]
ABSTRACT_CONCLUSIONS: list[str] = _WORDS["abstract_conclusions"]
ABSTRACT_LABELS: list[str] = _WORDS["abstract_labels"]
NUMBER_WORDS: dict[int, str] = _WORDS["number_words"]
CONFERENCES: dict[str, str] = _WORDS["conferences"]
DEGREES: list[tuple] = [tuple(degree) for degree in _WORDS["degrees"]]
REPORT_PUBLISHERS: list[str] = _WORDS["report_publishers"]
# Spelling and case.
AMERICAN: list[tuple] = [tuple(pair) for pair in _WORDS["american_spellings"]]
SMALL_WORDS: set[str] = set(_WORDS["small_words"])
STOPWORDS: set[str] = SMALL_WORDS | set(_WORDS["stopwords"])
# Notes people write: CASP appraisers (checklist -> item -> note), coders, screeners.
CASP_NOTES: dict[str, dict[int, str]] = _WORDS["casp_notes"]
EXTRACT_CONTEXTS: dict[str, list[str]] = _WORDS["extract_contexts"]
MAYBE_NOTES: list[str] = _WORDS["maybe_notes"]
EXCLUDE_NOTES: dict[str, str] = _WORDS["exclude_notes"]

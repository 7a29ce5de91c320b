"""The true unique publications of the example (as many as the seed's search found), drawn in a fixed
order from one stream.

They include the included studies' publications, the reports excluded at full text (for the
reasons of ``full_text.FT_REASONS``), and the bulk of what a broad search returns (dissertations,
conference abstracts, chapters, editorials, letters), plus the hard cases a deduplication must get
right (an erratum and its article, a conference abstract and the later article, two papers sharing
a short title). Titles and abstracts are filled in from the frames of ``data/vocabulary.yaml``.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field

from .coding import THEMES
from .extraction import StudySlot
from .full_text import FT_REASONS, N_NOT_RETRIEVED
from .seed import figures
from .text import TitleRegistry, american, capitalise, title_case, word_count
from .common import rng_for
from .vocabulary import (
    ABSTRACT_AIM,
    ABSTRACT_BACKGROUND,
    ABSTRACT_CONCLUSIONS,
    ABSTRACT_LABELS,
    ABSTRACT_METHODS,
    ABSTRACT_RESULTS,
    BOOKS,
    CLINICAL_POPULATIONS,
    CONCEPTS,
    CONFERENCE_JOURNALS,
    CONFERENCES,
    COUNTRY_JOURNALS,
    COUNTRY_SETTINGS,
    COUNTRY_STAKEHOLDERS,
    CSERVICES,
    DEGREES,
    DESIGN_SUFFIXES,
    DISSERTATION_FRAMES,
    EDITORIAL_FRAMES,
    ENGLISH_JOURNALS,
    FOREIGN_JOURNALS,
    GENERAL_FRAMES,
    GIVEN_NAMES,
    INCLUDED_FRAMES,
    INELIGIBLE_LANGUAGE_JOURNALS,
    JOURNAL_BY_KEY,
    MIDDLE_INITIALS,
    NOT_RETRIEVED_FRAMES,
    NUMBER_WORDS,
    ONLINE_ONLY,
    OTHER_CONDITIONS,
    OUTCOMES,
    PEER_TERMS_OTHER,
    PEER_TERMS_US,
    PEERISH_FRAMES,
    POPULATIONS,
    QUAL_QUOTES,
    REASON_FRAMES,
    REPORT_PUBLISHERS,
    SETTINGS,
    STAKEHOLDERS,
    SURNAMES,
    TOPICS,
    TRIAL_INTERVENTIONS,
    UNIVERSITIES,
    WARDS,
    WRONG_POPULATIONS,
    Journal,
    Person,
)

N_UNIQUE = figures()["publications"]
# Every slot a title frame may have ({Topic}, {pop}, ...; a capital fills it capitalised).
SLOTS = ["topic", "topic2", "conc", "conc2", "pop", "set", "out", "stake", "cpop", "cservice", "cond", "ward",
         "tinterv", "stakeq", "quote", "dsuf", "y1", "y2", "nyears", "csetting", "peer"]


@dataclass
class Publication:
    pub_id: str
    kind: str  # article | conference_abstract | dissertation | chapter | editorial | letter | erratum | report
    title: str  # as published, sentence case (journals using title case are rendered in title case)
    authors: list
    year: int
    month: int
    journal: str | None = None
    volume: str = ""
    issue: str = ""
    pages: tuple | None = None  # (start, end) as ints
    article_number: str = ""
    doi: str | None = None
    abstract: list | None = None  # [(label, text)], label '' when unstructured
    keywords: list = field(default_factory=list)
    language: str = "eng"
    fate: str = "ta_excluded"  # included | ft_excluded | not_retrieved | ta_excluded
    reason: str = ""
    slot: int | None = None  # study slot of an included publication
    ids: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)  # school, degree, book, conference, erratum parent...
    peerish: bool = False
    hard_case: str = ""
    databases: list = field(default_factory=list)  # formats it is exported by, in SEARCHES order

    @property
    def journal_obj(self):
        return JOURNAL_BY_KEY[self.journal] if self.journal else None

    def published_title(self) -> str:
        j = self.journal_obj
        if j is not None and j.title_case and self.kind in ("article", "editorial", "letter", "erratum"):
            return title_case(self.title)
        return self.title

    def relevant(self) -> bool:
        return self.fate != "ta_excluded"

def abstract_values(values: dict, reason: str) -> dict:
    """Slot values for the abstract of a full-text-excluded report, consistent with its title."""
    frame = values.get("frame", "")
    values = dict(values)
    if reason != "Not peer support work":
        values["topic"] = "peer support"
    elif "{topic}" not in frame.lower():
        head = re.split(r" (?:for|among|in|and|of|on|about)(?= )", frame)[0]
        if head in ("Family-to-family education", "Clinician-led support groups", "Volunteer befriending",
                    "Peer education", "Peer consultation"):  # interventions, unlike 'peer victimisation'
            values["topic"] = head[:1].lower() + head[1:]
    if "{cpop}" in frame:
        values["pop"] = values["cpop"]
    elif "{cond}" in frame:
        values["pop"] = ("parents of children with " if "parents" in frame else "people with ") + values["cond"]
    elif reason == "Wrong population":
        values["pop"] = next((pop for key, pop in WRONG_POPULATIONS if key in frame), "the target population")
    if "{csetting}" in frame:
        values["set"] = values["csetting"]
    return values


def design_of_title(title: str) -> str:
    low = title.lower()
    if "randomi" in low or "trial" in low:
        return "rct"
    if any(k in low for k in ("qualitative", "interpretative", "focus group", "interviews", "ethnographic",
                              "phenomenolog", "experiences", "views", "perspectives")):
        return "qualitative"
    if re.search(r"(?<!peer )review|meta-analysis", low):
        return "review"
    if "survey" in low or "delphi" in low:
        return "survey"
    if any(k in low for k in ("cohort", "follow-up", "routine data", "longitudinal", "trends")):
        return "cohort"
    return "other"


def build_abstract(rng: random.Random, design: str, values: dict, extra_results: list | None = None) -> list:
    """A 40-90 word synthetic abstract, structured (labels) or not."""
    v = {
        "topic": rng.choice(TOPICS), "pop": rng.choice(POPULATIONS), "set": rng.choice(SETTINGS),
        "out": rng.choice(OUTCOMES), "conc": rng.choice(CONCEPTS), "conc2": rng.choice(CONCEPTS),
        "stake": rng.choice(STAKEHOLDERS), "n": str(rng.randint(40, 600)), "n2": str(rng.randint(8, 40)),
        "m": str(rng.choice([3, 6, 9, 12, 18, 24])), "k": str(rng.randint(3, 24)), "pct": str(rng.randint(18, 82)),
    }
    v.update(values)
    v["N"], v["K"], v["Pct"] = v["n"], capitalise(NUMBER_WORDS.get(int(v["k"]), v["k"])), v["pct"]

    def f(template: str) -> str:
        def replace(match):
            name = match.group(1)
            value = v[name] if name in v else v[name.lower()]
            return capitalise(value) if name[0].isupper() and name not in ("N", "K", "Pct") else value
        return re.sub(r"\{(\w+)\}", replace, template)

    background = f(rng.choice(ABSTRACT_BACKGROUND)) + " " + f(rng.choice(ABSTRACT_AIM))
    methods = f(rng.choice(ABSTRACT_METHODS[design]))
    results = " ".join(f(s) for s in (extra_results or [rng.choice(ABSTRACT_RESULTS[design])]))
    conclusions = f(rng.choice(ABSTRACT_CONCLUSIONS))
    parts = [background, methods, results, conclusions]
    words = sum(word_count(p) for p in parts)
    if words < 40:
        parts[2] += " " + f(rng.choice([s for s in ABSTRACT_RESULTS[design] if f(s) not in parts[2]]))
    while sum(word_count(p) for p in parts) > 90:
        sentences = parts[0].split(". ")
        if len(sentences) > 1:
            parts[0] = sentences[0] + "."
        else:
            parts[3] = ""
            break
    parts_labels = list(zip(ABSTRACT_LABELS, parts))
    parts_labels = [(label, text) for label, text in parts_labels if text]
    if rng.random() < 0.5:
        return [("", " ".join(text for _, text in parts_labels))]
    return parts_labels


def abstract_words(abstract) -> int:
    return sum(word_count(text) for _, text in abstract or [])


class PublicationFactory:
    """Draws the unique publications in a fixed order from one seeded stream."""

    def __init__(self, seed: int, slots: list):
        self.seed = seed
        self.rng = rng_for(seed, "publications")
        self.registry = TitleRegistry()
        self.slots = slots
        self.pubs: list = []
        self.dois: set = set()
        self.hard_cases: list = []

    # -- helpers -----------------------------------------------------------------------------------
    def new_pub(self, **kwargs) -> Publication:
        pub = Publication(pub_id=f"P{len(self.pubs) + 1:04d}", **kwargs)
        self.pubs.append(pub)
        return pub

    def person(self) -> Person:
        rng = self.rng
        return Person(rng.choice(SURNAMES), rng.choice(GIVEN_NAMES),
                      rng.choice(MIDDLE_INITIALS) if rng.random() < 0.55 else "")

    def authors(self, kind: str) -> list:
        rng = self.rng
        if kind in ("dissertation",):
            n = 1
        elif kind in ("editorial", "letter"):
            n = rng.choice([1, 1, 2, 3])
        elif kind == "conference_abstract":
            n = rng.choice([1, 2, 3, 3, 4, 5, 6])
        else:
            n = rng.choices([1, 2, 3, 4, 5, 6, 7, 8, 9, 12], weights=[6, 12, 16, 17, 14, 11, 8, 6, 5, 5])[0]
        people: list = []
        while len(people) < n:
            person = self.person()
            if all(p.surname != person.surname for p in people):
                people.append(person)
        return people

    def year(self, low: int = 1985, high: int = 2018) -> int:
        years = list(range(low, high + 1))
        weights = [(y - 1980) ** 1.6 * (0.55 if y == 2018 else 1.0) for y in years]
        return self.rng.choices(years, weights=weights)[0]

    def month(self, year: int) -> int:
        return self.rng.randint(1, 7 if year == 2018 else 12)

    def title(self, frames: list, extra=None, transform=None, limit: float = 0.6, all_slots: bool = False):
        for _ in range(500):
            frame = self.rng.choice(frames)
            needed = None if all_slots else {name.lower() for name in re.findall(r"\{(\w+)\}", frame)}
            values = self.slot_values(extra() if callable(extra) else extra, needed)
            text = self.fill(frame, values)
            if transform:
                text = transform(text)
            if self.registry.acceptable(text, limit):
                self.registry.add(text)
                values["frame"] = frame
                return text, values
        raise AssertionError(f"could not draw a distinct title from {frames[:2]}")

    def slot_values(self, extra: dict | None, needed: set | None = None) -> dict:
        """Values for a frame's slots (all slots when ``needed`` is None), drawn in a fixed order."""
        rng = self.rng
        keys = set(SLOTS) if needed is None else set(needed) | ({"csetting"} if "csetting_noun" in needed else set())
        keys -= set(extra or {})
        values: dict = {}
        if keys & {"topic", "topic2"}:
            values["topic"], values["topic2"] = rng.sample(TOPICS, 2)
        if keys & {"conc", "conc2"}:
            values["conc"], values["conc2"] = rng.sample(CONCEPTS, 2)
        for key, pool in (("pop", POPULATIONS), ("set", SETTINGS), ("out", OUTCOMES), ("stake", STAKEHOLDERS),
                          ("cpop", CLINICAL_POPULATIONS), ("cservice", CSERVICES), ("cond", OTHER_CONDITIONS),
                          ("ward", WARDS), ("tinterv", TRIAL_INTERVENTIONS), ("stakeq", COUNTRY_STAKEHOLDERS),
                          ("quote", QUAL_QUOTES)):
            if key in keys:
                values[key] = rng.choice(pool)
        if "dsuf" in keys:
            values["dsuf"] = rng.choice(DESIGN_SUFFIXES) if rng.random() < 0.6 else ""
        if keys & {"y1", "y2"}:
            y1 = rng.randint(1990, 2008)
            values["y1"], values["y2"] = str(y1), str(y1 + rng.randint(5, 10))
        if "nyears" in keys:
            values["nyears"] = str(rng.randint(2, 10))
        if keys & {"csetting", "peer"}:
            country = rng.choice(sorted(COUNTRY_SETTINGS))
            values["csetting"] = rng.choice(COUNTRY_SETTINGS[country])
            values["peer"] = rng.choice(PEER_TERMS_US if country in ("USA", "Israel; USA", "Canada") else PEER_TERMS_OTHER)
        values.update(extra or {})
        if "csetting" in values:
            values["csetting_noun"] = re.sub(r"^(in|on) (the )?", "", values["csetting"])
        return values

    @staticmethod
    def fill(frame: str, values: dict) -> str:
        def replace(match):
            name = match.group(1)
            value = values[name.lower()]
            return capitalise(value) if name[0].isupper() else value
        return re.sub(r"\{(\w+)\}", replace, frame)

    def journal_for(self, year: int, keys: list | None = None) -> str:
        keys = keys or ENGLISH_JOURNALS
        candidates = [k for k in keys if JOURNAL_BY_KEY[k].founded <= year] or keys
        return self.rng.choice(candidates)

    def doi_for(self, journal: Journal | None, year: int, pattern: str | None = None) -> str:
        rng = self.rng
        pattern = pattern or journal.doi
        for _ in range(100):
            def digits(match):
                spec = match.group(1)
                if spec == "year":
                    return str(year)
                if spec == "yy":
                    return f"{year % 100:02d}"
                if spec == "m2":
                    return f"{rng.randint(1, 12):02d}"
                if spec == "d1":
                    return str(rng.randint(0, 9))
                if spec == "c1":
                    return rng.choice("mnpqrstuvw")
                if spec == "n7z":
                    return f"000{rng.randint(0, 9999):04d}"
                width = int(spec[1:])
                return "".join(str(rng.randint(0, 9)) for _ in range(width))
            suffix = re.sub(r"\{(\w+)\}", digits, pattern)
            doi = f"10.5555/{suffix}"
            if doi.lower() not in self.dois:
                self.dois.add(doi.lower())
                return doi
        raise AssertionError("DOI space exhausted")

    def place(self, pub: Publication, doi_rate: float | None = None) -> None:
        """Volume, issue, pages or article number, and DOI of a journal item."""
        rng = self.rng
        j = pub.journal_obj
        pub.volume = str(max(1, pub.year - j.founded + 1))
        per_year = (4, 6, 12)[len(j.key) % 3]
        issue = 1 + (pub.month - 1) * per_year // 12
        pub.issue = str(issue)
        if pub.kind == "conference_abstract":
            pub.issue = rng.choice(["Supplement 1", "Suppl 1", "Supplement 2"])
            start = rng.randint(1, 900)
            pub.pages = (start, start)
            pub.extra["page_prefix"] = "S"
        elif j.key in ONLINE_ONLY:
            pub.article_number = (f"e0{rng.randint(10000, 99999)}" if j.key == "bmjopen"
                                  else str(rng.randint(1, 700)))
            pub.issue = "" if j.key != "bmjopen" else str(issue)
        else:
            span = {"erratum": (0, 0), "editorial": (1, 3), "letter": (0, 2)}.get(pub.kind, (5, 14))
            start = (issue - 1) * (1200 // per_year) + rng.randint(1, 1200 // per_year - 20)
            pub.pages = (start, start + rng.randint(*span))
        if doi_rate is None:
            doi_rate = 0.97 if pub.year >= 2005 else 0.85 if pub.year >= 2000 else 0.45 if pub.year >= 1995 else 0.12
        if pub.kind == "conference_abstract":
            doi_rate = 0.45 if pub.year >= 2012 else 0.0
        if rng.random() < doi_rate:
            pub.doi = self.doi_for(j, pub.year)

    def keywords(self, values: dict) -> list:
        words = [values.get("topic"), values.get("conc"), values.get("out")]
        words = [w for w in words if w and w != "peer support"]
        return words[: self.rng.randint(2, 3)]

    # -- the groups of publications ----------------------------------------------------------------
    def included(self) -> None:
        rng = self.rng
        surnames_used: set = set()
        single = next(s.slot for s in self.slots if s.design == "qualitative")
        double = next(s.slot for s in self.slots if s.design == "qualitative" and s.slot != single)
        for slot in self.slots:
            country = slot.country
            us = country in ("USA", "Israel; USA")
            year = rng.choices(range(2000, 2019), weights=[1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 7, 4])[0]
            journal = self.journal_for(year, COUNTRY_JOURNALS[country])
            extra = {"csetting": rng.choice(COUNTRY_SETTINGS[country]),
                     "peer": rng.choice(PEER_TERMS_US if country in ("USA", "Israel; USA", "Canada") else PEER_TERMS_OTHER)}
            transform = american if us else None
            title, values = self.title(INCLUDED_FRAMES[slot.design], extra, transform, all_slots=True)
            n_authors = 1 if slot.slot == single else 2 if slot.slot == double else rng.choice([3, 3, 4, 4, 5, 5, 6, 7, 8])
            while True:
                authors = self.authors("article")[:1]
                if authors[0].surname not in surnames_used and " " not in authors[0].surname:
                    break
            while len(authors) < n_authors:
                person = self.person()
                if all(p.surname != person.surname for p in authors):
                    authors.append(person)
            surnames_used.add(authors[0].surname)
            pub = self.new_pub(kind="article", title=title, authors=authors, year=year, month=self.month(year),
                               journal=journal, fate="included", slot=slot.slot,
                               language=JOURNAL_BY_KEY[journal].language)
            self.place(pub, doi_rate=0.95 if year >= 2004 else 0.7)
            pub.abstract = self.included_abstract(slot, values, us)
            pub.keywords = ["peer support", "implementation", rng.choice(["mental health services", "recovery",
                                                                          "workforce", "barriers and facilitators"])]
            slot.pub_id = pub.pub_id

    def included_abstract(self, slot: StudySlot, values: dict, us: bool) -> list:
        rng = self.rng
        themes = [THEMES[t] for t in slot.themes]
        facilitators = [t.facilitator_phrase for t in themes if t.directional][:2]
        barriers = [t.barrier_phrase for t in themes if t.directional][-2:]
        n = rng.randint(12, 40) if slot.design == "qualitative" else rng.randint(60, 400)
        background = rng.choice([
            f"Peer support workers are increasingly employed in {values['cservice']}, yet their integration "
            "into teams is often difficult.",
            "Formal peer support work is expanding, but little is known about what helps or hinders its "
            "implementation.",
            f"Services {values['csetting']} have begun to employ people with lived experience as peer workers.",
        ])
        aim = f"This study examined influences on the implementation of peer support work {values['csetting']}."
        methods = {
            "qualitative": f"We conducted semi-structured interviews with {n} participants, including "
                           f"{values['peer']}, clinicians and managers, and analysed them thematically.",
            "rct": f"{capitalise(NUMBER_WORDS.get(n, str(n)))} {values['cpop']} were randomised to peer support "
                   "or usual care; a process evaluation recorded influences on implementation.",
            "cohort": f"We followed {n} {values['cpop']} offered peer support and recorded influences on "
                      "implementation from programme records.",
            "case-control": f"We compared {n} readmitted patients with {n * 2} controls and documented how the "
                            "peer support service was implemented.",
        }[slot.design]
        modality = {"individual": "Peer workers met service users one-to-one.",
                    "group": "Peer workers facilitated groups.",
                    "both": "Peer workers offered both one-to-one and group support.",
                    "not stated": ""}[slot.modality]
        if facilitators and barriers:
            results = (f"Facilitators included {', as well as '.join(facilitators)}; barriers included "
                       f"{', as well as '.join(barriers)}.")
        else:
            results = f"Participants described {themes[0].facilitator_phrase} as an influence whose direction varied."
        conclusion = rng.choice([
            "Attention to these influences may support the sustainable implementation of peer support roles.",
            "Organisations employing peer workers should plan for these influences before posts start.",
        ])
        parts = [background + " " + aim, (methods + " " + modality).strip(), results, conclusion]
        for shorten in (lambda: parts.__setitem__(0, aim), lambda: parts.__setitem__(3, ""),
                        lambda: parts.__setitem__(1, methods)):
            if sum(word_count(p) for p in parts) > 90:
                shorten()
        parts = [p for p in parts if p]
        if us:
            parts = [american(p) for p in parts]
        if rng.random() < 0.5 or len(parts) < 4:
            return [("", " ".join(parts))]
        return list(zip(ABSTRACT_LABELS, parts))

    def reason_pub(self, reason: str) -> Publication:
        rng = self.rng
        kind = "conference_abstract" if reason == "Conference abstract" else "article"
        if reason == "Not primary research" and rng.random() < 0.3:
            kind = "editorial"
        year = self.year(1995 if kind == "article" else 2008, 2018)
        title, values = self.title(REASON_FRAMES[reason])
        if reason == "Language not eligible":
            journal = INELIGIBLE_LANGUAGE_JOURNALS[len([p for p in self.pubs if p.reason == reason]) % 3]
        elif kind == "conference_abstract":
            journal = rng.choice(CONFERENCE_JOURNALS)
        else:
            journal = self.journal_for(year)
        year = max(year, JOURNAL_BY_KEY[journal].founded)
        pub = self.new_pub(kind=kind, title=title, authors=self.authors(kind), year=year, month=self.month(year),
                           journal=journal, fate="ft_excluded", reason=reason, peerish=True,
                           language=JOURNAL_BY_KEY[journal].language)
        self.place(pub)
        values = abstract_values(values, reason)
        if kind != "editorial":
            pub.abstract = build_abstract(rng, design_of_title(title), values)
        pub.keywords = ["peer support"] + self.keywords(values)[:2]
        if kind == "conference_abstract":
            pub.extra["conference"] = CONFERENCES[journal]
        return pub

    def not_retrieved(self) -> None:
        rng = self.rng
        for index in range(N_NOT_RETRIEVED):
            title, values = self.title(NOT_RETRIEVED_FRAMES)
            if index < 3:
                year = rng.randint(1987, 1997)
                pub = self.new_pub(kind="dissertation", title=title, authors=self.authors("dissertation"),
                                   year=year, month=self.month(year), fate="not_retrieved", peerish=True)
                self.dissertation_details(pub)
            else:
                year = rng.randint(1986, 1998)
                journal = self.journal_for(year, ["psyq", "jpnmhs", "cjcmh", "ajcp", "jcp", "ijsp"])
                pub = self.new_pub(kind="article", title=title, authors=self.authors("article"), year=year,
                                   month=self.month(year), journal=journal, fate="not_retrieved", peerish=True)
                self.place(pub)
                if rng.random() < 0.5:
                    pub.abstract = build_abstract(rng, "other", dict(values, topic="peer support"))

    def dissertation_details(self, pub: Publication) -> None:
        rng = self.rng
        pub.extra["school"] = rng.choice(UNIVERSITIES)
        pub.extra["degree"] = rng.choices([d for d, _ in DEGREES], weights=[w for _, w in DEGREES])[0]
        pub.extra["pages"] = rng.randint(90, 320)
        pub.extra["isbn"] = isbn13(rng, "978-1-" + str(rng.randint(100, 499))) if pub.year >= 2004 else ""
        if pub.abstract is None:
            pub.abstract = build_abstract(rng, design_of_title(pub.title), {})

    def dissertation(self, fate: str = "ta_excluded", title: str | None = None, year: int | None = None,
                     author: Person | None = None) -> Publication:
        year = year or self.year(1990, 2018)
        values = {}
        if title is None:
            title, values = self.title(DISSERTATION_FRAMES)
        pub = self.new_pub(kind="dissertation", title=title, authors=[author] if author else self.authors("dissertation"),
                           year=year, month=self.month(year), fate=fate)
        pub.abstract = build_abstract(self.rng, design_of_title(title), values)
        self.dissertation_details(pub)
        pub.keywords = self.keywords(values) if values else []
        return pub

    def conference_abstract(self, title: str | None = None, year: int | None = None, authors=None,
                            fate: str = "ta_excluded", reason: str = "") -> Publication:
        rng = self.rng
        values = {}
        if title is None:
            title, values = self.title(GENERAL_FRAMES)
        year = year or self.year(2006, 2018)
        journal = rng.choice(CONFERENCE_JOURNALS)
        year = max(year, JOURNAL_BY_KEY[journal].founded)
        pub = self.new_pub(kind="conference_abstract", title=title, authors=authors if authors is not None else self.authors("conference_abstract"),
                           year=year, month=self.month(year), journal=journal, fate=fate, reason=reason,
                           language="eng")
        self.place(pub)
        pub.abstract = build_abstract(rng, design_of_title(title), values)
        pub.extra["conference"] = CONFERENCES[journal]
        pub.keywords = self.keywords(values) if values else []
        return pub

    def article(self, frames=None, fate: str = "ta_excluded", peerish: bool = False, kind: str = "article",
                title: str | None = None, year: int | None = None, authors=None, journal: str | None = None,
                reason: str = "") -> Publication:
        rng = self.rng
        values = {}
        if title is None:
            title, values = self.title(frames or GENERAL_FRAMES)
        year = year or self.year()
        if journal is None:
            keys = ENGLISH_JOURNALS
            if rng.random() < 0.012:
                keys = FOREIGN_JOURNALS + INELIGIBLE_LANGUAGE_JOURNALS
            journal = self.journal_for(year, keys)
        year = max(year, JOURNAL_BY_KEY[journal].founded)
        pub = self.new_pub(kind=kind, title=title, authors=authors if authors is not None else self.authors(kind), year=year,
                           month=self.month(year), journal=journal, fate=fate, reason=reason, peerish=peerish,
                           language=JOURNAL_BY_KEY[journal].language)
        self.place(pub)
        no_abstract = kind in ("editorial", "letter", "erratum") or (year < 1992 and rng.random() < 0.5)
        if not no_abstract:
            pub.abstract = build_abstract(rng, design_of_title(title), values)
        pub.keywords = self.keywords(values) if values else []
        return pub

    def chapter(self) -> Publication:
        rng = self.rng
        title, values = self.title(GENERAL_FRAMES, {"dsuf": ""})
        book, publisher, city = rng.choice(BOOKS)
        year = self.year(1998, 2018)
        pub = self.new_pub(kind="chapter", title=title, authors=self.authors("chapter"), year=year, month=1)
        start = rng.randint(1, 500)
        pub.pages = (start, start + rng.randint(10, 25))
        pub.extra.update(book=book, publisher=publisher, city=city, editors=[self.person() for _ in range(2)],
                         isbn=isbn13(rng, "978-0-" + str(rng.randint(100, 899))))
        if year >= 2008 and rng.random() < 0.6:
            pub.doi = self.doi_for(None, year, "978-0-{n3}-{n5}-{d1}_{n2}")
        pub.abstract = build_abstract(rng, "other", values)
        pub.keywords = self.keywords(values)
        return pub

    def report(self) -> Publication:
        rng = self.rng
        title, values = self.title(["Evaluation of {topic} {csetting}: final report",
                                    "{Topic} {csetting}: a service evaluation report"])
        year = rng.randint(2009, 2017)
        pub = self.new_pub(kind="report", title=title, authors=self.authors("editorial"), year=year, month=6)
        pub.extra["publisher"] = rng.choice(REPORT_PUBLISHERS)
        return pub

    # -- everything, in a fixed order ---------------------------------------------------------------
    def generate(self) -> list:
        self.included()
        by_slot = {p.slot: p for p in self.pubs if p.fate == "included"}

        # Hard case: a conference abstract and the later full article (an included study).
        target = next(p for p in sorted(by_slot.values(), key=lambda p: p.pub_id)
                      if self.slots[p.slot].design == "qualitative" and p.year >= 2010 and ":" in p.title)
        conf_title = target.title.split(":")[0] + ": preliminary findings"
        self.registry.add(conf_title)
        conf = self.conference_abstract(title=conf_title, year=target.year - 1, authors=target.authors[:3],
                                        fate="ft_excluded", reason="Conference abstract")
        self.hard(conf, target, "conference abstract and the later full article (an included study)")

        # Hard case: two different papers with the same short title in different years.
        short = "Peer support in mental health care"
        self.registry.add(short)
        first = self.article(title=short, year=2009, journal="jmh", kind="editorial", fate="ft_excluded",
                             reason="Not primary research", peerish=True)
        second = self.article(title=short, year=2015, journal="mhp", fate="ft_excluded",
                              reason="Not primary research", peerish=True)
        self.hard(first, second, "different papers with the same short title in different years")

        made = Counter(p.reason for p in self.pubs if p.fate == "ft_excluded")
        for reason, n in FT_REASONS:
            for _ in range(n - made[reason]):
                self.reason_pub(reason)
        self.not_retrieved()

        # Hard case: an erratum notice to an included article, and one to an excluded article.
        parent = next(p for p in sorted(by_slot.values(), key=lambda p: p.pub_id)
                      if p.journal_obj.nlm and p.doi and p.year >= 2008 and p is not target)
        erratum = self.article(title=f"Correction to: {parent.title}", year=parent.year, journal=parent.journal,
                               kind="erratum", authors=list(parent.authors), peerish=True)
        erratum.extra["parent"] = parent.pub_id
        self.hard(erratum, parent, "erratum notice to an included article")
        year = self.year(2005, 2017)
        general = self.article(year=year, journal=self.journal_for(year, [k for k in ENGLISH_JOURNALS
                                                                          if JOURNAL_BY_KEY[k].nlm]))
        erratum = self.article(title=f"Erratum: {general.title}", year=min(2018, general.year + 1),
                               journal=general.journal, kind="erratum", authors=[])
        erratum.extra["parent"] = general.pub_id
        self.hard(erratum, general, "erratum notice (no authors) to an excluded article")

        # Hard cases: conference abstracts and their later articles; dissertations and later articles.
        for _ in range(2):
            article = self.article(year=self.year(2008, 2018))
            title = article.title.split(":")[0].rstrip("?") + ": preliminary results"
            self.registry.add(title)
            conf = self.conference_abstract(title=title, year=article.year - 1, authors=article.authors[:2])
            self.hard(conf, article, "conference abstract and the later full article")
        for _ in range(2):
            diss = self.dissertation(year=self.year(2000, 2015))
            title = diss.title.split(":")[0] + ": findings from a doctoral study"
            self.registry.add(title)
            article = self.article(title=title, year=diss.year + 2, authors=diss.authors + self.authors("article")[:2])
            self.hard(diss, article, "dissertation and the later journal article by the same author")
        short = "Shared decision making in psychiatry"
        self.registry.add(short)
        first = self.article(title=short, year=2006, kind="editorial", journal="bjp")
        second = self.article(title=short, year=2013, journal="cmhj")
        self.hard(first, second, "different papers with the same short title in different years")

        # The bulk of what a broad search returns.
        for _ in range(225):
            self.dissertation()
        for _ in range(150):
            self.conference_abstract()
        for _ in range(40):
            self.chapter()
        for _ in range(45):
            self.article(EDITORIAL_FRAMES, kind="editorial")
        for _ in range(25):
            self.article(["Concerns about {topic} {set}", "More evidence is needed on {topic} for {pop}",
                          "In reply: {conc} and {topic}", "{Topic} and {conc}: a response"], kind="letter")
        for _ in range(3):
            self.report()
        for _ in range(120):
            self.article(PEERISH_FRAMES, peerish=True)
        while len(self.pubs) < N_UNIQUE:
            self.article()
        return self.pubs

    def hard(self, a: Publication, b: Publication, kind: str) -> None:
        a.hard_case = b.hard_case = kind
        self.hard_cases.append({"kind": kind, "pub_ids": [a.pub_id, b.pub_id],
                                "titles": [a.title, b.title], "years": [a.year, b.year]})


def isbn13(rng: random.Random, prefix: str) -> str:
    digits = re.sub(r"\D", "", prefix)
    body = digits + "".join(str(rng.randint(0, 9)) for _ in range(12 - len(digits)))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


# --------------------------------------------------------------------------------------------------

"""Duplicates: how each database renders the same publication differently (the noise a deduplication
must see through), and the second Embase record some articles get.

Each export record is a ``Variant`` of its true publication: a title in the database's case and
punctuation (a typing error now and then), authors with or without the middle initial, folded to
ASCII where the database does, the online-first year, a DOI or an abstract a database drops.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .common import rng_for
from .publications import Publication
from .text import ascii_fold, title_case, typo
from .vocabulary import Person


@dataclass
class Variant:
    """One database's rendering of a publication."""
    title: str
    people: list
    year: int
    doi: str | None
    abstract: list | None
    folded: bool


def make_variant(pub: Publication, db: str, rng: random.Random) -> Variant:
    r = rng.random
    t = pub.published_title()
    if db != "other":
        if r() < 0.05 and pub.kind != "dissertation":
            t = pub.title if t != pub.title else title_case(pub.title)
        if ": " in t and r() < 0.04:
            t = t.replace(": ", rng.choice([" - ", ". ", " -- "]), 1)
        if "-" in t and r() < 0.03:
            t = t.replace("-", " ", 1)
        if r() < 0.012:
            t = typo(t, rng)
    if "‘" in t or "’" in t:
        if db == "medline":
            t = t.replace("‘", '"').replace("’", '"')
        elif db == "cinahl":
            t = t.replace("‘", "&quot;").replace("’", "&quot;") if r() < 0.5 else t.replace("‘", '"').replace("’", '"')
        elif db in ("psycinfo", "wos", "other", "proquest"):
            t = t.replace("‘", "'").replace("’", "'")
    if "&" in t and ((db == "cinahl" and r() < 0.6) or (db == "scopus" and r() < 0.2)):
        t = t.replace("&", "&amp;")
    folded = db in ("wos", "other") or (db == "cinahl" and r() < 0.25)
    if db in ("wos", "other"):
        t = ascii_fold(t)
    if db == "wos" and pub.year < 1991:
        t = t.upper()
    if db == "other":
        if ": " in t and r() < 0.3:
            t = t.split(": ")[0]
        if r() < 0.1:
            t = t.lower()
    if db == "medline":
        t = t.rstrip(".")
        if pub.language != "eng":
            t = f"[{t}]"
        if not t.endswith(("?", "!")):
            t += "."
    elif db in ("embase", "psycinfo", "scopus") and r() < 0.02:
        t += "."
    people = []
    for person in pub.authors:
        if person.middle and r() < 0.06:
            person = Person(person.surname, person.given, "")
        if folded:
            person = Person(ascii_fold(person.surname), ascii_fold(person.given), person.middle)
        people.append(person)
    year = pub.year
    if db in ("embase", "scopus") and pub.kind == "article" and year > 1996 and pub.month <= 2 and r() < 0.25:
        year -= 1  # the online-first year
    doi_rate = {"medline": 0.95 if pub.year >= 2000 else 0.5, "embase": 0.85, "psycinfo": 0.9, "cinahl": 0.72,
                "scopus": 0.97, "wos": 0.9, "other": 0.4, "proquest": 1.0}[db]
    doi = pub.doi if pub.doi and r() < doi_rate else None
    abstract = pub.abstract
    drop = {"medline": 0.0, "embase": 0.01, "psycinfo": 0.03, "cinahl": 0.12, "scopus": 0.05,
            "wos": 0.03, "other": 0.7, "proquest": 0.0}[db]
    if abstract and (r() < drop or (db == "wos" and pub.year < 1991)):
        abstract = None
    return Variant(t, people, year, doi, abstract, folded)



def choose_embase_duplicates(pubs: list, seed: int, n: int = 6) -> None:
    rng = rng_for(seed, "embase-duplicates")
    candidates = [p for p in pubs if "embase" in p.databases and p.journal_obj is not None and p.journal_obj.nlm
                  and p.kind == "article" and p.fate == "ta_excluded"]
    taken = {p.ids["embase"] for p in pubs if "embase" in p.ids}
    for pub in rng.sample(candidates, n):
        while True:
            an = str(350_000_000 + (pub.year - 1985) * 8_500_000 + rng.randint(0, 8_499_999))
            if an not in taken:
                taken.add(an)
                pub.ids["embase2"] = an
                break


"""The citation a person typed in the extraction sheet, checked against the records it stands for.

A study's citation (``Albers et al. (2014)``, ``Bauer & Lee 2009``, ``van Dijk, 2016a``) names a
first author's surname and a year. It agrees with its study when one of the study's reports (the
unique record of each cluster) has that first author and that year. A disagreement is a warning, a
row of ``citation_checks.csv``, never an error: the sheet may be right and the export wrong.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

CHECK_COLUMNS = ["study_id", "citation", "cited_author", "cited_year", "record_cluster_id", "record_first_author",
                 "record_year", "differs"]

_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)[a-z]?(?!\d)")
# Where the first author's name ends in a citation: "et al", a second author, a comma, the year.
_AUTHOR_END = re.compile(r"\s+et\.?\s+al\b|\s+(?:and|&)\s+|,|\(|\s+(?=(?:1[5-9]|20)\d\d)", re.IGNORECASE)
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")
_PARTICLES = {"van", "von", "de", "der", "den", "del", "della", "di", "da", "du", "la", "le", "ter", "ten", "dos"}


def cited_author_year(citation: str) -> tuple[str, int | None]:
    """The first author's surname and the year a typed citation names ('' / None when it has none)."""
    text = " ".join(str(citation).split())
    year = _YEAR.search(text)
    author = _AUTHOR_END.split(text, maxsplit=1)[0].strip(" .;")
    return author, int(year.group(1)) if year else None


def surname(author: str) -> str:
    """The surname of an author as exported: 'Albers, Bianca', 'Albers B' (MEDLINE), 'Bianca Albers'."""
    name = " ".join(str(author).split())
    if "," in name:
        return name.split(",", 1)[0].strip()
    tokens = name.split(" ")
    if len(tokens) > 1 and _INITIALS.match(tokens[-1]):
        return " ".join(tokens[:-1])
    # 'Given Surname': the surname is the last word and any particles before it ('Jan van Dijk')
    start = len(tokens) - 1
    while start > 1 and tokens[start - 1].casefold() in _PARTICLES:
        start -= 1
    return " ".join(tokens[start:])


def name_key(name: str) -> str:
    """A surname for comparison: without accents, case, punctuation or spaces ('O'Brien' = 'OBrien')."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if c.isalnum() and not unicodedata.combining(c))


def same_surname(cited: str, recorded: str) -> bool:
    """Equal, or equal once the particles are dropped ('Dijk' cites 'van Dijk', 'Van Dijk' cites 'Dijk')."""
    def bare(name: str) -> str:
        words = name.split()
        while len(words) > 1 and words[0].casefold() in _PARTICLES:
            words = words[1:]
        return name_key(" ".join(words))

    return bool(name_key(cited)) and (name_key(cited) == name_key(recorded) or bare(cited) == bare(recorded))


def _first_author(record: dict) -> str:
    authors = record.get("authors")
    if authors is None or isinstance(authors, float):
        return ""
    authors = list(authors) if isinstance(authors, (list, tuple, np.ndarray)) else [authors]
    return str(authors[0]) if authors else ""


def _year(record: dict) -> int | None:
    year = record.get("year")
    return None if year is None or pd.isna(year) else int(year)


def _differences(author: str, year: int | None, first: str, recorded_year: int | None) -> list[str]:
    problems = []
    if not author:
        problems.append("the citation names no author")
    elif not first:
        problems.append("the record has no authors")
    elif not same_surname(author, surname(first)):
        problems.append(f"first author: cited '{author}', record '{surname(first)}'")
    if year is None:
        problems.append("the citation names no year")
    elif recorded_year is None:
        problems.append("the record has no year")
    elif year != recorded_year:
        problems.append(f"year: cited {year}, record {recorded_year}")
    return problems


def check_citations(studies: pd.DataFrame, unique: pd.DataFrame, behind: pd.DataFrame) -> pd.DataFrame:
    """One row per study whose typed citation agrees with none of the records of its reports
    (``CHECK_COLUMNS``); ``differs`` says what: the surname, the year, or what either lacks.

    ``behind`` holds every exported record of the included reports (``study_sources.report_records``)
    and each report's unique record is checked too: the databases of one report may give different
    years (EMBASE and Scopus give the online-first year), and the citation may name either.
    """
    by_cluster = unique.set_index("cluster_id")
    rows = []
    behind = behind[behind["cluster_id"].isin(set(unique["cluster_id"]))]  # reports with records
    for study_id, records in behind.groupby("study_id", sort=False):
        citation = str(records["citation"].iloc[0])
        author, year = cited_author_year(citation)
        candidates = []  # (cluster, first author, year) of each unique record, then each exported one
        for cluster in dict.fromkeys(records["cluster_id"]):
            merged = by_cluster.loc[cluster].to_dict()
            candidates.append((cluster, _first_author(merged), _year(merged)))
        candidates += [(r["cluster_id"], _first_author(r), _year(r)) for r in records.to_dict("records")]
        problems = [_differences(author, year, first, recorded_year) for _, first, recorded_year in candidates]
        if any(not p for p in problems):
            continue
        best = min(range(len(candidates)), key=lambda i: len(problems[i]))  # the first that differs least
        cluster, first, recorded_year = candidates[best]
        rows.append({"study_id": study_id, "citation": citation, "cited_author": author,
                     "cited_year": "" if year is None else str(year), "record_cluster_id": cluster,
                     "record_first_author": first, "record_year": "" if recorded_year is None else str(recorded_year),
                     "differs": "; ".join(problems[best])})
    return pd.DataFrame(rows, columns=CHECK_COLUMNS)


def summary_lines(checks: pd.DataFrame, path: str = "citation_checks.csv") -> list[str]:
    """The stage summary's lines: how many citations disagree with their records, and each one."""
    if checks.empty:
        return ["citations: every typed citation agrees with its study's records (first author, year)"]
    return [f"WARNING: {len(checks)} typed citation(s) disagree with their study's records "
            f"({path}):",
            *[f"  {row['study_id']} '{row['citation']}' vs {row['record_cluster_id']} "
              f"({row['record_first_author'] or 'no author'}, {row['record_year'] or 'no year'}): {row['differs']}"
              for row in checks.to_dict("records")]]

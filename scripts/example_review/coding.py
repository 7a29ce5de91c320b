"""Coding: the codebook (``data/codebook.yaml``), which studies code which theme, and the coded extracts.

The themes are the seed's fourteen influences in its order (T01 to T14); which of them have no clear
direction, how many studies code each, and what the subgroups keep or drop come from
``seed_figures.yaml``. The generator only plans which study codes which theme; rolling extracts up to
themes and counting them is evsynth's synthesis, which the tests compare with the seed's figures.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import yaml

from .common import csv_bytes, rng_for
from .seed import figures
from .vocabulary import DATA, EXTRACT_CONTEXTS

FIGURES = figures()


@dataclass(frozen=True)
class Code:
    label: str
    description: str
    facilitator: str  # a passage reporting the code as a facilitator
    barrier: str  # ... and as a barrier


@dataclass(frozen=True)
class Subtheme:
    label: str
    description: str
    codes: tuple


@dataclass(frozen=True)
class Theme:
    code_id: str
    label: str
    description: str
    directional: bool  # False for the influences whose direction the seed found unclear
    subthemes: tuple
    facilitator_phrase: str
    barrier_phrase: str
    cfir: tuple  # (CFIR domain, qualifier) pairs


def _load_themes() -> list[Theme]:
    with open(DATA / "codebook.yaml", encoding="utf-8") as handle:
        themes = yaml.safe_load(handle)["themes"]
    ids = [theme["code_id"] for theme in FIGURES.all_themes()]
    unclear = {theme["code_id"] for theme in FIGURES["unclear_themes"]}
    assert len(themes) == len(ids), "codebook.yaml has one theme per theme of seed_figures.yaml"
    return [Theme(code_id, theme["label"], theme["description"], code_id not in unclear,
                  tuple(Subtheme(sub["label"], sub["description"],
                                 tuple(Code(**code) for code in sub["codes"])) for sub in theme["subthemes"]),
                  theme["facilitator_phrase"], theme["barrier_phrase"],
                  tuple(tuple(pair) for pair in theme["cfir"]))
            for code_id, theme in zip(ids, themes)]


THEMES = _load_themes()
THEME_IDS = [theme.code_id for theme in THEMES]
# Research design needs is a trial's concern: the study coding it is an RCT.
TRIAL_THEME = "T12"


def codebook_nodes() -> list[dict]:
    """Rows of codebook.csv in hierarchy order: theme, its subthemes, each with its codes."""
    rows = []
    for theme_id, theme in zip(THEME_IDS, THEMES):
        rows.append({"code_id": theme_id, "label": theme.label, "level": "theme", "parent_id": "",
                     "description": theme.description})
        for s_index, sub in enumerate(theme.subthemes, start=1):
            sub_id = f"{theme_id}.{s_index}"
            rows.append({"code_id": sub_id, "label": sub.label, "level": "subtheme", "parent_id": theme_id,
                         "description": sub.description})
            for c_index, code in enumerate(sub.codes, start=1):
                rows.append({"code_id": f"{sub_id}.c{c_index}", "label": code.label, "level": "code",
                             "parent_id": sub_id, "description": code.description})
    return rows


def codebook_table() -> bytes:
    return csv_bytes(["code_id", "label", "level", "parent_id", "description"],
                     [[n["code_id"], n["label"], n["level"], n["parent_id"], n["description"]] for n in codebook_nodes()])


def cfir_table() -> bytes:
    return csv_bytes(["code_id", "cfir_domain", "qualifier"],
                     [[theme.code_id, domain, qualifier] for theme in THEMES for domain, qualifier in theme.cfir])


# --------------------------------------------------------------------------------------------------
# Which studies code which theme
# --------------------------------------------------------------------------------------------------
def _order_signs(counts) -> list:
    n = len(counts)
    return [[(counts[a] > counts[b]) - (counts[a] < counts[b]) for b in range(n)] for a in range(n)]


_INDEX = {code_id: t for t, code_id in enumerate(THEME_IDS)}
_COUNTS = FIGURES.theme_studies()
_STRONGEST = [_INDEX[c] for c in FIGURES["measure_items"]]
_INDIVIDUAL_TOP = [_INDEX[c] for c in FIGURES["individual_subgroup"]["strongest"]]
_GROUP_DROPPED = [_INDEX[c] for c in FIGURES["group_subgroup"]["dropped"]]
(_GROUP_TOP,) = [_INDEX[c] for c in FIGURES["group_subgroup"]["strongest"]]
assert not FIGURES["individual_subgroup"]["dropped"], "the individual studies keep every strong theme"


def incidence_violations(slots, incidence) -> int:
    """How far a study x theme incidence is from every constraint of the seed (0 = all hold)."""
    n_themes = len(_COUNTS)
    individual = [sum(1 for s in members if slots[s].modality == "individual") for members in incidence]
    group = [sum(1 for s in members if slots[s].modality == "group") for members in incidence]
    good = [sum(1 for s in members if slots[s].grade == "good") for members in incidence]
    per_study = Counter(s for members in incidence for s in members)
    v = 2 * sum(1 for slot in slots if per_study[slot.slot] == 0)
    v += sum(max(0, k - 6) for k in per_study.values())
    # Individual studies: their three strongest themes in the seed's order above all the rest, and
    # each of the strongest themes (the measure's items) coded by at least one.
    v += sum(max(0, individual[b] - individual[a] + 1) for a, b in zip(_INDIVIDUAL_TOP, _INDIVIDUAL_TOP[1:]))
    v += sum(max(0, individual[t] - individual[_INDIVIDUAL_TOP[-1]] + 1) for t in range(n_themes)
             if t not in _INDIVIDUAL_TOP)
    v += sum(1 for t in _STRONGEST if individual[t] == 0)
    # Group studies: none codes the themes the seed says they drop; their strongest theme above the rest.
    v += sum(group[t] for t in _GROUP_DROPPED)
    v += sum(max(0, group[t] - group[_GROUP_TOP] + 1) for t in range(n_themes) if t != _GROUP_TOP)
    # Good studies: every theme present, same order and ties as in all the included studies.
    full_signs = _order_signs(_COUNTS)
    good_signs = _order_signs(good)
    v += sum(1 for a in range(n_themes) for b in range(a + 1, n_themes) if full_signs[a][b] != good_signs[a][b])
    v += sum(1 for t in range(n_themes) if good[t] == 0)
    v += sum(1 for s in incidence[_INDEX[TRIAL_THEME]] if slots[s].design != "rct")
    return v


def solve_incidence(slots, seed: int) -> list:
    """Which studies code which theme: a seeded local search over sets of the published sizes."""
    rng = rng_for(seed, "incidence")
    everyone = list(range(len(slots)))
    for restart in range(50):
        incidence = [set(rng.sample(everyone, count)) for count in _COUNTS]
        current = incidence_violations(slots, incidence)
        for _ in range(20000):
            if current == 0:
                return [sorted(members) for members in incidence]
            t = rng.randrange(len(incidence))
            out = rng.choice(sorted(incidence[t]))
            into = rng.choice([s for s in everyone if s not in incidence[t]])
            incidence[t].remove(out)
            incidence[t].add(into)
            candidate = incidence_violations(slots, incidence)
            if candidate <= current or rng.random() < 0.002:
                current = candidate
            else:
                incidence[t].remove(into)
                incidence[t].add(out)
    raise AssertionError("no study x theme incidence satisfies the seed's constraints")


# --------------------------------------------------------------------------------------------------
# Coded extracts
# --------------------------------------------------------------------------------------------------
EXTRACT_COLUMNS = ["extract_id", "study_id", "code_id", "direction", "quote", "coder", "page"]


def make_extracts(studies: list, seed: int, double: list) -> list:
    """Coded extracts: each study-theme incidence gives 1-3 extracts at code, subtheme or theme level."""
    rng = rng_for(seed, "extracts")
    # Direction of each study's evidence for each theme.
    direction: dict = {}
    for t, theme in enumerate(THEMES):
        members = [s.study_id for s in studies if t in s.themes]
        if theme.directional:
            if len(members) == 1:
                direction[(members[0], t)] = "both"
                continue
            fac, bar = rng.sample(members, 2)
            for sid in members:
                direction[(sid, t)] = ("facilitator" if sid == fac else "barrier" if sid == bar else
                                       rng.choices(["facilitator", "barrier", "both"], weights=[5, 4, 2])[0])
        else:
            conflicting = rng.choice(members) if len(members) > 1 else None
            for sid in members:
                direction[(sid, t)] = "both" if sid == conflicting else "unclear"
    rows = []
    for slot in studies:
        for t in sorted(slot.themes):
            theme = THEMES[t]
            kind = direction[(slot.study_id, t)]
            if kind == "both":
                directions = ["facilitator", "barrier"] + (["facilitator"] if rng.random() < 0.2 else [])
            else:
                n_codes = sum(len(sub.codes) for sub in theme.subthemes)
                directions = [kind] * min(n_codes, rng.choices([1, 2, 3], weights=[55, 35, 10])[0])
            pairs = [(si, ci) for si, sub in enumerate(theme.subthemes) for ci in range(len(sub.codes))]
            chosen = rng.sample(pairs, min(len(pairs), len(directions)))
            while len(chosen) < len(directions):
                chosen.append(rng.choice(pairs))
            for d, (s_index, c_index) in zip(directions, chosen):
                code = theme.subthemes[s_index].codes[c_index]
                level = rng.choices(["code", "subtheme", "theme"], weights=[70, 22, 8])[0]
                code_id = {"code": f"{THEME_IDS[t]}.{s_index + 1}.c{c_index + 1}",
                           "subtheme": f"{THEME_IDS[t]}.{s_index + 1}", "theme": THEME_IDS[t]}[level]
                if d == "unclear":
                    quote = f"{code.facilitator} {code.barrier}"
                elif level == "theme":
                    phrase = theme.facilitator_phrase if d == "facilitator" else theme.barrier_phrase
                    quote = f"The authors identified {phrase} as a {d} of implementation."
                else:
                    quote = code.facilitator if d == "facilitator" else code.barrier
                quote = f"{quote} ({rng.choice(EXTRACT_CONTEXTS[slot.design])})"
                page = str(rng.randint(3, 16))
                rows.append([slot.study_id, code_id, d, quote, "DT", page])
                if slot.study_id in double and rng.random() < 0.6:
                    rows.append([slot.study_id, code_id, d, quote, "RN", page])
    return [[f"X{i:04d}"] + row for i, row in enumerate(rows, start=1)]


def check_codebook(extracts: list) -> None:
    """Each theme has 1-3 subthemes, each subtheme codes, and every extract names a node of the codebook."""
    nodes = codebook_nodes()
    for tid in THEME_IDS:
        subs = [n for n in nodes if n["parent_id"] == tid]
        assert 1 <= len(subs) <= 3 and all(any(c["parent_id"] == s["code_id"] for c in nodes) for s in subs)
    assert {n["code_id"] for n in nodes} >= {row[2] for row in extracts}
    assert {row[5] for row in extracts} == {"DT", "RN"}
    assert len({row[0] for row in extracts}) == len(extracts)

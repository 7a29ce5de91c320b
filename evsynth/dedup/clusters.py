"""Clusters of duplicate records: connected components of the 'same' links, guarded against chaining.

Plain connected components chain: A~B and B~C put A and C together even when A and C are clearly
different (two versions of an article, an article and its erratum, a preprint and the paper).
So links are added one at a time, strongest first (a person's 'same' verdict, then shared
identifiers, then by score), and a link is refused when the two groups it would join
*cannot* be together:

- they hold two different DOIs;
- their years lie two or more apart (unless the link itself is a shared identifier, or one group
  already spans those years and the link does not widen the span);
- any record of one was judged different from, or left uncertain with, a record of the other
  because something hard disagrees (a person's 'different' verdict, or a pair whose DOIs,
  title numbers, notice kinds or years disagree, or whose volume or pages clash hard: a soft clash,
  see :mod:`evsynth.dedup.rules`, keeps nothing apart).

A refused link becomes an 'uncertain' pair (rule ``chain-guard``) for a person to look at.
The groups are then checked with scipy's connected components: every cluster is a connected
component of the accepted links (so a cluster is never held together by a refused link).

A person's 'same' verdict is never refused, even across different DOIs: the clusters it merged are
reported so that the person can see what they did.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from evsynth.dedup.normalise import Prepared
from evsynth.identity import cluster_id_for

IDENTIFIER_RULES = ("doi", "pmid", "wos_ut", "scopus_eid")
# A pair judged 'different' or 'uncertain' with one of these conflicts is a cannot-link for the
# chain guard: links through other records must not join it silently.
HARD_CONFLICTS = ("doi", "title_numbers", "notice", "year", "pages", "volume")


@dataclass
class Groups:
    """Union-find over record rows with the facts the chain guard checks.

    Written by hand: library union-finds (networkx's, scipy's DisjointSet) have no notion of
    pairs that must stay apart, which is what the chain guard needs.
    """

    parent: np.ndarray
    dois: dict = field(default_factory=dict)  # root -> set of DOIs
    years: dict = field(default_factory=dict)  # root -> (min, max)
    members: dict = field(default_factory=dict)  # root -> list of rows

    @classmethod
    def of(cls, p: Prepared) -> "Groups":
        return cls(parent=np.arange(len(p)))

    def find(self, x: int) -> int:
        parent = self.parent
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return int(root)

    def facts(self, root: int, p: Prepared):
        if root not in self.members:
            self.members[root] = [root]
            self.dois[root] = {p.doi[root]} if p.doi[root] else set()
            y = int(p.year[root])
            self.years[root] = (y, y) if y else None
        return self.members[root], self.dois[root], self.years[root]

    def conflict(self, a: int, b: int, p: Prepared, cannot: dict, identifier_link: bool) -> str:
        """Why the groups of roots a and b cannot be joined ('' when they can)."""
        members_a, dois_a, years_a = self.facts(a, p)
        members_b, dois_b, years_b = self.facts(b, p)
        if dois_a and dois_b and dois_a != dois_b:
            return "doi"
        if years_a and years_b and not identifier_link:
            # two or more years apart, unless a group already spans them (through a shared
            # identifier or a person's verdict) and the link does not widen the span
            span = max(years_a[1], years_b[1]) - min(years_a[0], years_b[0])
            if span >= 2 and span > max(years_a[1] - years_a[0], years_b[1] - years_b[0]):
                return "year"
        if cannot:
            small, large = (members_a, members_b) if len(members_a) <= len(members_b) else (members_b, members_a)
            large_set = set(large)
            for row in small:
                partners = cannot.get(row)
                if partners and not partners.isdisjoint(large_set):
                    return "different"
        return ""

    def union(self, a: int, b: int, p: Prepared) -> None:
        members_a, dois_a, years_a = self.facts(a, p)
        members_b, dois_b, years_b = self.facts(b, p)
        if len(members_a) < len(members_b):
            a, b = b, a
            members_a, members_b = members_b, members_a
            dois_a, dois_b = dois_b, dois_a
            years_a, years_b = years_b, years_a
        self.parent[b] = a
        members_a.extend(members_b)
        dois_a |= dois_b
        if years_a and years_b:
            self.years[a] = (min(years_a[0], years_b[0]), max(years_a[1], years_b[1]))
        elif years_b:
            self.years[a] = years_b
        for store in (self.members, self.dois, self.years):
            store.pop(b, None)


def _cannot_links(pairs: pd.DataFrame, verdict_different: list[tuple[int, int]],
                  waived: np.ndarray | None = None) -> dict[int, set[int]]:
    cannot: dict[int, set[int]] = {}
    hard_set = set(HARD_CONFLICTS)
    # a few distinct conflict lists among millions of pairs: each looked at once
    code, distinct = pd.factorize(pairs["conflicts"].to_numpy(dtype=object))
    is_hard = np.array([bool(text) and not hard_set.isdisjoint(text.split(";")) for text in distinct]
                       + [False], dtype=bool)  # the last for a missing one (code -1)
    hard = pairs["decision"].isin(("different", "uncertain")) & is_hard[code]
    if waived is not None:
        hard &= ~waived
    rows = list(zip(pairs.loc[hard, "i"].tolist(), pairs.loc[hard, "j"].tolist())) + list(verdict_different)
    for a, b in rows:
        cannot.setdefault(int(a), set()).add(int(b))
        cannot.setdefault(int(b), set()).add(int(a))
    return cannot


def waived_by_verdicts(p: Prepared, pairs: pd.DataFrame, verdict_same: list[tuple[int, int]],
                       verdict_different: list[tuple[int, int]]) -> np.ndarray | None:
    """Pairs whose hard conflict no longer separates their records: a person said 'same' to a
    pair joining the two clusters they were in without the person's 'same' verdicts.

    A person sees one pair per two clusters (the uncertain pairs list), so their verdict is on
    the clusters: the other conflicting pairs between the same two clusters must not undo it.
    """
    if not verdict_same:
        return None
    root, _, _ = build_clusters(p, pairs, [], verdict_different)
    joined = Groups.of(p)
    for a, b in verdict_same:
        ra, rb = joined.find(int(root[a])), joined.find(int(root[b]))
        if ra != rb:
            joined.parent[rb] = ra
    component = np.array([joined.find(int(r)) for r in root])
    i, j = pairs["i"].to_numpy(dtype=np.int64), pairs["j"].to_numpy(dtype=np.int64)
    return (component[i] == component[j]) & (root[i] != root[j])


def build_clusters(p: Prepared, pairs: pd.DataFrame, verdict_same: list[tuple[int, int]],
                   verdict_different: list[tuple[int, int]],
                   waived: np.ndarray | None = None) -> tuple[np.ndarray, pd.DataFrame, list]:
    """Group rows into clusters.

    Returns the root row of each record's cluster, the accepted links (i, j, rule, score) and the
    row indices (in `pairs`) of automatic links the chain guard refused. ``waived`` marks pairs
    whose conflict is not a cannot-link (:func:`waived_by_verdicts`).
    """
    groups = Groups.of(p)
    cannot = _cannot_links(pairs, verdict_different, waived)
    accepted: list[tuple[int, int, str, float]] = []
    refused: list[int] = []
    doi_merges: list[tuple[int, int]] = []
    for a, b in verdict_same:
        ra, rb = groups.find(a), groups.find(b)
        if ra != rb:
            if groups.conflict(ra, rb, p, {}, True) == "doi":
                doi_merges.append((a, b))
            groups.union(ra, rb, p)
        accepted.append((a, b, "verdict", np.nan))
    same = pairs.index[pairs["decision"].eq("same")]
    if len(same):
        sub = pairs.loc[same, ["i", "j", "rule", "score"]]
        priority = np.where(sub["rule"].isin(IDENTIFIER_RULES), 0, 1)
        order = np.lexsort((sub["j"].to_numpy(), sub["i"].to_numpy(), -sub["score"].to_numpy(), priority))
        rows = sub.index.to_numpy()[order]
        ii, jj = sub["i"].to_numpy()[order], sub["j"].to_numpy()[order]
        rules, scores = sub["rule"].to_numpy()[order], sub["score"].to_numpy()[order]
        for k in range(len(rows)):
            a, b = int(ii[k]), int(jj[k])
            ra, rb = groups.find(a), groups.find(b)
            if ra == rb:
                accepted.append((a, b, rules[k], scores[k]))
                continue
            if groups.conflict(ra, rb, p, cannot, rules[k] in IDENTIFIER_RULES):
                refused.append(rows[k])
                continue
            groups.union(ra, rb, p)
            accepted.append((a, b, rules[k], scores[k]))
    links = pd.DataFrame(accepted, columns=["i", "j", "rule", "score"])
    root = component_roots(len(p), links["i"].to_numpy(dtype=np.int64), links["j"].to_numpy(dtype=np.int64))
    links.attrs["doi_merges"] = doi_merges
    return root, links, refused


def component_roots(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The lowest row of each row's connected component in the graph of edges (i[k], j[k]).

    scipy's sparse-graph components: arrays, not a dict per node (networkx needs about a kilobyte
    per record, a gigabyte at a million records).
    """
    if n == 0:
        return np.arange(0)
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    lowest = np.full(label.max() + 1, n, dtype=np.int64)
    np.minimum.at(lowest, label, np.arange(n, dtype=np.int64))
    return lowest[label]


def cluster_ids(root: np.ndarray, record_ids: np.ndarray, search_dates: np.ndarray) -> np.ndarray:
    """cluster_id of every record: 'C-' + the record_id of its cluster's earliest member."""
    frame = pd.DataFrame({"root": root, "date": search_dates, "rid": record_ids})
    anchor = frame.sort_values(["date", "rid"]).drop_duplicates("root")
    name = {r: cluster_id_for([(d, rid)]) for r, d, rid in zip(anchor["root"], anchor["date"], anchor["rid"])}
    return np.array([name[r] for r in root], dtype=object)


def best_links(root: np.ndarray, links: pd.DataFrame, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Per record, the rule and score of its strongest accepted link ('single' when none)."""
    rule = np.full(n, "single", dtype=object)
    score = np.full(n, np.nan)
    if links.empty:
        return rule, score
    both = pd.concat([links[["i", "rule", "score"]].rename(columns={"i": "row"}),
                      links[["j", "rule", "score"]].rename(columns={"j": "row"})], ignore_index=True)
    rank = np.select([both["rule"].eq("verdict"), both["rule"].isin(IDENTIFIER_RULES)], [0, 1], 2)
    both = both.assign(rank=rank, neg=-both["score"].fillna(2.0))
    best = both.sort_values(["row", "rank", "neg"]).drop_duplicates("row")
    rows = best["row"].to_numpy(dtype=np.int64)
    rule[rows] = best["rule"].to_numpy()
    score[rows] = np.where(best["rule"].isin(IDENTIFIER_RULES + ("verdict",)), np.nan, best["score"])
    return rule, score

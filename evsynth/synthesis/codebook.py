"""The codebook: a hierarchy theme > subtheme > code, held as a networkx graph and validated on read.

Edges run from parent to child. Every node keeps its row of the codebook (label, level,
description), its position in the file (tables list nodes in the order the reviewers wrote them)
and its CFIR domains.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from evsynth.errors import InputError
from evsynth.tables import read_table

LEVELS = ("theme", "subtheme", "code")
# A node's parent must sit on a higher level; a code may hang directly under a theme.
ALLOWED_PARENTS = {"theme": (), "subtheme": ("theme",), "code": ("theme", "subtheme")}
# Levels that are counted (a code is evidence for its subtheme and theme, not a result of its own).
COUNTED_LEVELS = ("theme", "subtheme")


@dataclass(frozen=True)
class Codebook:
    graph: nx.DiGraph
    path: Path
    cfir_path: Path | None = None

    def nodes(self, level: str | None = None) -> list[str]:
        """code_ids in file order, optionally of one level."""
        ordered = sorted(self.graph.nodes, key=lambda node: self.graph.nodes[node]["order"])
        return [node for node in ordered if level is None or self.graph.nodes[node]["level"] == level]

    def counted_nodes(self) -> list[str]:
        return [node for node in self.nodes() if self.level(node) in COUNTED_LEVELS]

    def label(self, code_id: str) -> str:
        return self.graph.nodes[code_id]["label"]

    def level(self, code_id: str) -> str:
        return self.graph.nodes[code_id]["level"]

    def description(self, code_id: str) -> str:
        return self.graph.nodes[code_id]["description"]

    def parent(self, code_id: str) -> str | None:
        parents = list(self.graph.predecessors(code_id))
        return parents[0] if parents else None

    def theme_of(self, code_id: str) -> str:
        node = code_id
        while (parent := self.parent(node)) is not None:
            node = parent
        return node

    def lineage(self, code_id: str) -> list[str]:
        """The node and its ancestors, nearest first."""
        chain = [code_id]
        while (parent := self.parent(chain[-1])) is not None:
            chain.append(parent)
        return chain

    def beneath(self, code_id: str) -> list[str]:
        """The node and every node under it, in file order."""
        members = nx.descendants(self.graph, code_id) | {code_id}
        return [node for node in self.nodes() if node in members]

    def cfir(self, code_id: str) -> list[tuple[str, str]]:
        """(domain, qualifier) pairs of the node, in the order of the CFIR table."""
        return list(self.graph.nodes[code_id]["cfir"])

    def cfir_text(self, code_id: str) -> str:
        return "; ".join(f"{domain} ({qualifier})" if qualifier else domain
                         for domain, qualifier in self.cfir(code_id))

    def frame(self) -> pd.DataFrame:
        rows = [{"code_id": node, "label": self.label(node), "level": self.level(node),
                 "parent_id": self.parent(node) or "", "description": self.description(node),
                 "cfir_domains": self.cfir_text(node)} for node in self.nodes()]
        return pd.DataFrame(rows, columns=["code_id", "label", "level", "parent_id", "description",
                                           "cfir_domains"])


def read_codebook(path: str | Path, cfir_path: str | Path | None = None) -> Codebook:
    """Read and validate codebook.csv (and the CFIR domains of its nodes, when given)."""
    path = Path(path)
    table = read_table(path, "codebook")
    if table.empty:
        raise InputError(path, "the codebook has no rows", row=2,
                         expected="one row per theme, subtheme and code under the header")
    for column in ("parent_id", "description"):
        if column not in table.columns:
            table[column] = ""

    graph = nx.DiGraph()
    first_row: dict[str, int] = {}
    for order, record in enumerate(table.to_dict("records")):
        row = order + 2
        code_id = record["code_id"]
        if code_id in first_row:
            raise InputError(path, f"code_id '{code_id}' is used twice (first at row {first_row[code_id]})",
                             row=row, field="code_id", expected="a unique id for every node of the codebook")
        first_row[code_id] = row
        graph.add_node(code_id, label=record["label"], level=record["level"],
                       description=record["description"], order=order, row=row, cfir=[])

    for record in table.to_dict("records"):
        code_id, parent = record["code_id"], record["parent_id"]
        if parent and parent not in graph:
            raise InputError(path, f"parent '{parent}' of '{code_id}' is not a code_id of the codebook",
                             row=first_row[code_id], field="parent_id",
                             expected="the code_id of a theme or subtheme listed in the codebook")
        if parent:
            graph.add_edge(parent, code_id)

    try:
        cycle = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        cycle = []
    if cycle:
        chain = [edge[0] for edge in cycle] + [cycle[0][0]]
        closing = cycle[-1][1]
        raise InputError(path, f"the parents form a cycle: {' -> '.join(chain)} (each the parent of the next)",
                         row=first_row[closing], field="parent_id",
                         expected="a hierarchy theme > subtheme > code without cycles")

    for node in graph.nodes:
        level, parent = graph.nodes[node]["level"], next(iter(graph.predecessors(node)), None)
        row = first_row[node]
        if level == "theme" and parent is not None:
            raise InputError(path, f"theme '{node}' has parent '{parent}'", row=row, field="parent_id",
                             expected="an empty parent_id for a theme (or level subtheme or code)")
        if level != "theme" and parent is None:
            raise InputError(path, f"{level} '{node}' has no parent (an orphan)", row=row, field="parent_id",
                             expected=f"the code_id of its {' or '.join(ALLOWED_PARENTS[level])}")
        if parent is not None and graph.nodes[parent]["level"] not in ALLOWED_PARENTS[level]:
            raise InputError(path, f"{level} '{node}' sits under {graph.nodes[parent]['level']} '{parent}'",
                             row=row, field="parent_id",
                             expected=f"a parent of level {' or '.join(ALLOWED_PARENTS[level])}")

    codebook = Codebook(graph=graph, path=path, cfir_path=Path(cfir_path) if cfir_path else None)
    if cfir_path:
        _attach_cfir(codebook, Path(cfir_path))
    return codebook


def _attach_cfir(codebook: Codebook, cfir_path: Path) -> None:
    table = read_table(cfir_path, "cfir_domains")
    if "qualifier" not in table.columns:
        table["qualifier"] = ""
    seen: dict[tuple[str, str], int] = {}
    for index, record in enumerate(table.to_dict("records")):
        row, code_id = index + 2, record["code_id"]
        if code_id not in codebook.graph:
            raise InputError(cfir_path, f"code_id '{code_id}' is not in the codebook {codebook.path}",
                             row=row, field="code_id", expected="a code_id of the codebook")
        key = (code_id, record["cfir_domain"])
        if key in seen:
            raise InputError(cfir_path, f"'{code_id}' is mapped to '{record['cfir_domain']}' twice "
                             f"(first at row {seen[key]})", row=row, field="cfir_domain",
                             expected="each domain once per code_id (put conditions in 'qualifier')")
        seen[key] = row
        codebook.graph.nodes[code_id]["cfir"].append((record["cfir_domain"], record["qualifier"]))

"""The tables reviews publish: themes with subthemes and n/N, and influences by CFIR domain.

Both come as a CSV (for further work) and Markdown (to paste or to include in the report).
"""

from __future__ import annotations

import pandas as pd

from evsynth.markdown import escape
from evsynth.synthesis.codebook import Codebook
from evsynth.tables import load_schema

NOT_MAPPED = "not mapped"


def cfir_domain_order() -> list[str]:
    """CFIR domains in the framework's order, as the schema of cfir_domains lists them."""
    return list(load_schema("cfir_domains")["properties"]["cfir_domain"]["enum"])


def _percent(value) -> str:
    return "" if pd.isna(value) else f"{value}%"


def themes_subthemes_table(strength: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """A row per theme followed by its subthemes: description, n/N, percent, rank, direction."""
    rows = []
    for row in strength.to_dict("records"):
        is_theme = row["level"] == "theme"
        rows.append({
            "code_id": row["code_id"],
            "theme": row["theme"] if is_theme else row["parent"],
            "subtheme": "" if is_theme else row["theme"],
            "description": codebook.description(row["code_id"]),
            "n_of_N": f"{row['n']}/{row['N']}", "percent": _percent(row["percent"]),
            "rank": row["rank_label"], "direction": row["direction"],
        })
    return pd.DataFrame(rows, columns=["code_id", "theme", "subtheme", "description", "n_of_N", "percent",
                                       "rank", "direction"])


def _evidence_labels(supporting: pd.DataFrame, direction: str, codebook: Codebook, theme: str) -> str:
    """'Label (k)' for each node coded in this direction, k = units; most cited first."""
    chosen = supporting[supporting["direction"] == direction]
    if chosen.empty:
        return ""
    order = {node: i for i, node in enumerate(codebook.nodes())}
    units = chosen.groupby("code_id")["unit_id"].nunique()
    ranked = sorted(units.items(), key=lambda item: (-item[1], order[item[0]]))
    return "; ".join(f"{'the influence as a whole' if node == theme else codebook.label(node)} ({k})"
                     for node, k in ranked)


def influences_by_cfir_table(strength: pd.DataFrame, extracts: pd.DataFrame, codebook: Codebook,
                             units: pd.DataFrame) -> pd.DataFrame:
    """A row per (CFIR domain, theme): qualifier, n/N, facilitators, barriers and references.

    Facilitators and barriers are the codes (or subthemes) the extracts were coded to, each with the
    number of units citing it that way; references are the citations of the units coding the theme.
    """
    domain_rank = {d: i for i, d in enumerate(cfir_domain_order() + [NOT_MAPPED])}
    themes = strength[strength["level"] == "theme"]
    rows = []
    for row in themes.to_dict("records"):
        theme = row["code_id"]
        nodes = set(codebook.beneath(theme))
        supporting = extracts[extracts["code_id"].isin(nodes)]
        cited = [u for u in units.index if u in set(supporting["unit_id"])]
        for domain, qualifier in codebook.cfir(theme) or [(NOT_MAPPED, "")]:
            rows.append({
                "cfir_domain": domain, "theme": row["theme"], "code_id": theme, "qualifier": qualifier,
                "n_of_N": f"{row['n']}/{row['N']}", "percent": _percent(row["percent"]),
                "direction": row["direction"],
                "facilitators": _evidence_labels(supporting, "facilitator", codebook, theme),
                "barriers": _evidence_labels(supporting, "barrier", codebook, theme),
                "references": "; ".join(units.loc[cited, "citation"]),
                "unit_ids": ";".join(cited),
                "_domain": domain_rank.get(domain, len(domain_rank)), "_rank": row["rank"],
            })
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=["cfir_domain", "theme", "code_id", "qualifier", "n_of_N", "percent",
                                     "direction", "facilitators", "barriers", "references", "unit_ids"])
    table = table.sort_values(["_domain", "_rank"], kind="stable").drop(columns=["_domain", "_rank"])
    return table.reset_index(drop=True)


def themes_subthemes_markdown(table: pd.DataFrame, unit: str) -> str:
    lines = [f"| Theme | Subtheme | Description | n/N {unit}s | % |", "|---|---|---|---|---|"]
    for row in table.to_dict("records"):
        theme = f"**{escape(row['theme'])}**" if not row["subtheme"] else ""
        lines.append(f"| {theme} | {escape(row['subtheme'])} | {escape(row['description'])} | "
                     f"{row['n_of_N']} | {row['percent']} |")
    return "\n".join(lines) + "\n"


def influences_by_cfir_markdown(table: pd.DataFrame, units: pd.DataFrame) -> str:
    """Table 5 style: references as numbers into a list of the included units below the table."""
    number = {unit_id: i for i, unit_id in enumerate(units.index, start=1)}
    lines = ["| CFIR domain | Influence | n/N | Facilitators | Barriers | References |",
             "|---|---|---|---|---|---|"]
    previous = None
    for row in table.to_dict("records"):
        domain = row["cfir_domain"] if row["cfir_domain"] != previous else ""
        previous = row["cfir_domain"]
        influence = escape(row["theme"]) + (f" ({escape(row['qualifier'])})" if row["qualifier"] else "")
        refs = ", ".join(str(number[u]) for u in row["unit_ids"].split(";") if u)
        lines.append(f"| {escape(domain.capitalize())} | {influence} | {row['n_of_N']} | "
                     f"{escape(row['facilitators'])} | {escape(row['barriers'])} | [{refs}] |")
    lines += ["", "References:", ""]
    lines += [f"{i}. {escape(units.at[u, 'citation'])}" for u, i in number.items()]
    return "\n".join(lines) + "\n"

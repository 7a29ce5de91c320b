"""The audit trail: for every theme and subtheme, how its count was reached, from which inputs.

Each node gets ``<code_id>-<label>.json`` (a record a program can check) and ``.md`` (the page a
peer reviewer reads, later linked from the report); ``index.md`` lists them. ``find_audit`` looks
a node up by name for ``evsynth explain``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
from rapidfuzz import fuzz, process

from evsynth.errors import InputError
from evsynth.fileio import atomic_path
from evsynth.markdown import escape
from evsynth.synthesis.matrix import node_evidence


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:60] or "node"


def audit_name(code_id: str, label: str) -> str:
    return f"{slug(code_id)}-{slug(label)}"


def audit_records(inputs, strength: pd.DataFrame, filters: list[str] | None = None) -> list[dict]:
    """One JSON-ready record per row of ``strength`` (from ``theme_strength`` over ``inputs``)."""
    codebook, units, rules = inputs.codebook, inputs.units, inputs.rules
    evidence = node_evidence(inputs.extracts, codebook)
    directions = inputs.directions().set_index(["code_id", "unit_id"])
    fingerprints = inputs.fingerprints()
    coders = sorted(c for c in inputs.extracts["coder"].unique() if c)
    filters = filters or [
        f"denominator: every included {inputs.unit} ({len(units)})",
        f"extracts: every coded extract of an included {inputs.unit} ({len(inputs.extracts)}), "
        f"by any coder ({', '.join(coders) or 'none named'})",
    ]
    n_themes = int((strength["level"] == "theme").sum())
    denominator = [{"unit_id": unit_id, "study_id": row["study_id"], "citation": row["citation"]}
                   for unit_id, row in units.iterrows()]
    records = []
    for row in strength.to_dict("records"):
        node = row["code_id"]
        beneath = codebook.beneath(node)
        supporting = evidence[evidence["node"] == node]
        counted_units = [u for u in units.index if u in set(supporting["unit_id"])]
        siblings = (f"the {n_themes} themes" if row["level"] == "theme" else
                    f"the subthemes of '{row['parent']}'")
        records.append({
            "code_id": node, "label": row["theme"], "level": row["level"],
            "parent": {"code_id": row["parent_id"], "label": row["parent"]} if row["parent_id"] else None,
            "description": codebook.description(node),
            "cfir_domains": [{"domain": d, "qualifier": q} for d, q in codebook.cfir(node)],
            "audit_page": audit_name(node, row["theme"]) + ".md",
            "result": {
                "n": int(row["n"]), "N": int(row["N"]), "proportion": float(row["proportion"]),
                "percent": None if pd.isna(row["percent"]) else
                int(row["percent"]) if rules.percent_decimals == 0 else float(row["percent"]),
                "ci_low": float(row["ci_low"]), "ci_high": float(row["ci_high"]), "confidence": rules.confidence,
                "rank": int(row["rank"]), "rank_label": row["rank_label"], "ranked_among": siblings,
                "n_facilitator": int(row["n_facilitator"]), "n_barrier": int(row["n_barrier"]),
                "n_unclear": int(row["n_unclear"]), "direction": row["direction"],
                "flagged": bool(row["flagged"]), "threshold": rules.threshold,
            },
            "calculation": {
                "unit": inputs.unit,
                "n": f"included {inputs.unit}s with at least one extract coded to {node} or to a node "
                     f"beneath it; a {inputs.unit} counts once however many extracts it has",
                "nodes_counted": [{"code_id": c, "label": codebook.label(c), "level": codebook.level(c)}
                                  for c in beneath],
                "N": f"every included {inputs.unit}",
                "rounding": rules.describe_rounding(),
                "interval": f"Wilson score interval, {rules.confidence:.0%}",
                "rank": f"ranked by n among {siblings}; ties share the smallest rank (shown as '3=')",
                "direction": "facilitator or barrier when every unit giving a direction agrees, both when "
                             "units cite it both ways, unclear when at least "
                             f"{rules.unclear_share:.0%} of the units coding it give no direction",
                "flag": (f"flagged when n / N >= {rules.threshold:g}" if row["level"] == "theme"
                         else "subthemes are not flagged"),
            },
            "filters": list(filters),
            "studies_counted": [{
                "unit_id": unit_id, "study_id": units.at[unit_id, "study_id"],
                "citation": units.at[unit_id, "citation"],
                "direction": directions.at[(node, unit_id), "direction"],
                "extract_ids": directions.at[(node, unit_id), "extract_ids"].split(";"),
                **({"reports": inputs.sources.get(units.at[unit_id, "study_id"], [])} if inputs.sources else {}),
            } for unit_id in counted_units],
            "extracts": [{
                "extract_id": e["extract_id"], "unit_id": e["unit_id"], "study_id": e["study_id"],
                "code_id": e["code_id"], "code_label": codebook.label(e["code_id"]),
                "direction": e["direction"], "quote": e["quote"], "coder": e["coder"], "page": e["page"],
                "row": int(e["row"]),
            } for e in supporting.to_dict("records")],
            "denominator": denominator,
            "inputs": fingerprints,
        })
    return records


def audit_markdown(record: dict) -> str:
    e = escape  # every text from the review's tables passes through it
    result, calc = record["result"], record["calculation"]
    unit = calc["unit"]
    percent = "" if result["percent"] is None else f"{result['percent']}%"
    level = record["level"]
    lines = [f"# {e(record['label'])} ({e(record['code_id'])})", ""]
    if record["parent"]:
        lines += [f"A {level} of *{e(record['parent']['label'])}* ({e(record['parent']['code_id'])}).", ""]
    if record["description"]:
        lines += [e(record["description"]), ""]
    lines += [
        f"**Coded in {result['n']} of {result['N']} included {unit}s: {percent}** "
        f"({result['confidence']:.0%} Wilson interval {result['ci_low']}% to {result['ci_high']}%). "
        f"Rank {result['rank_label']} among {e(result['ranked_among'])}. "
        f"Direction: {result['direction'] or 'none'} ({result['n_facilitator']} citing it as a facilitator, "
        f"{result['n_barrier']} as a barrier, {result['n_unclear']} without a direction).", ""]
    if level == "theme":
        above = "at or above" if result["flagged"] else "below"
        lines += [f"{above.capitalize()} the threshold of {result['threshold']:.0%}.", ""]
    if record["cfir_domains"]:
        domains = "; ".join(e(d["domain"]) + (f" ({e(d['qualifier'])})" if d["qualifier"] else "")
                            for d in record["cfir_domains"])
        lines += [f"CFIR: {domains}.", ""]
    lines += ["## How it was calculated", "",
              f"- n: {e(calc['n'])}.",
              f"- Nodes counted: {', '.join(e(c['code_id'] + ' ' + c['label']) for c in calc['nodes_counted'])}.",
              f"- N: {e(calc['N'])}.", f"- {e(calc['rounding'][0].upper() + calc['rounding'][1:])}.",
              f"- Interval: {e(calc['interval'])}.", f"- Rank: {e(calc['rank'])}.",
              f"- Direction: {e(calc['direction'])}.", f"- Flag: {e(calc['flag'])}.", "",
              "## Filters applied", "", *[f"- {e(f)}" for f in record["filters"]], "",
              f"## {unit.capitalize()}s counted ({len(record['studies_counted'])})", "",
              f"| # | {unit} | citation | direction | extracts |", "|---|---|---|---|---|"]
    for i, study in enumerate(record["studies_counted"], start=1):
        lines.append(f"| {i} | {e(study['unit_id'])} | {e(study['citation'])} | {e(study['direction'])} | "
                     f"{e(', '.join(study['extract_ids']))} |")
    if any(study.get("reports") for study in record["studies_counted"]):
        lines += ["", f"## Where each {unit} counted came from", "",
                  "Its reports (duplicate clusters) and, for each, the records of the search exports behind it.", "",
                  f"| {unit} | report (cluster) | DOI | PMID | database | export file | record id in the file |",
                  "|---|---|---|---|---|---|---|"]
        for study in record["studies_counted"]:
            for report in study.get("reports", []):
                for r in report["records"]:
                    lines.append(f"| {e(study['unit_id'])} | {e(report['cluster_id'])} | {e(report['doi'])} | "
                                 f"{e(report['pmid'])} | {e(r['database'])} | {e(r['source_file'])} | "
                                 f"{e(r['source_id'])} |")
    lines += ["", f"## Supporting extracts ({len(record['extracts'])})", "",
              "| extract | study | code | direction | coder | page | quote |", "|---|---|---|---|---|---|---|"]
    for x in record["extracts"]:
        lines.append(f"| {e(x['extract_id'])} | {e(x['study_id'])} | {e(x['code_id'] + ' ' + x['code_label'])} | "
                     f"{e(x['direction'])} | {e(x['coder'])} | {e(x['page'])} | {e(x['quote'])} |")
    lines += ["", f"## Denominator: the {len(record['denominator'])} included {unit}s", "",
              e("; ".join(f"{d['unit_id']} {d['citation']}" for d in record["denominator"])) + ".", "",
              "## Input files", "", "| role | file | SHA-256 |", "|---|---|---|"]
    lines += [f"| {e(f['role'])} | {e(f['path'])} | `{f['sha256']}` |" for f in record["inputs"]]
    return "\n".join(lines) + "\n"


def index_markdown(records: list[dict]) -> str:
    lines = ["# Audit trail of the synthesis", "",
             "One page per theme and subtheme: the studies and extracts behind its count, the denominator, "
             "the calculation and the input files.", "",
             "| theme | level | n/N | percent | rank | direction |", "|---|---|---|---|---|---|"]
    for r in records:
        res = r["result"]
        name = escape(r["label"]) if r["level"] == "theme" else f"&nbsp;&nbsp;{escape(r['label'])}"
        lines.append(f"| [{name}]({r['audit_page']}) | {r['level']} | {res['n']}/{res['N']} | "
                     f"{res['percent']}% | {escape(res['rank_label'])} | {res['direction']} |")
    return "\n".join(lines) + "\n"


def write_audit(records: list[dict], out_dir: str | Path) -> list[Path]:
    """Write every page and record, then the index; returns the paths written."""
    out = Path(out_dir)
    pages = {"index.md": index_markdown(records)}
    for record in records:
        name = audit_name(record["code_id"], record["label"])
        pages[name + ".json"] = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        pages[name + ".md"] = audit_markdown(record)
    written = []
    for name, text in pages.items():
        with atomic_path(out / name) as tmp:
            tmp.write_text(text, encoding="utf-8")
        written.append(out / name)
    return written


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def load_audit_records(audit_dir: str | Path) -> list[dict]:
    audit_dir = Path(audit_dir)
    files = sorted(audit_dir.glob("*.json")) if audit_dir.is_dir() else []
    if not files:
        raise InputError(audit_dir, "no audit records found",
                         expected="the audit trail the workflow writes (run `evsynth run REVIEW` first)")
    return [json.loads(path.read_text(encoding="utf-8")) for path in files]


def find_audit(records: list[dict], name: str, where: str = "command line") -> dict:
    """The record whose label or code_id matches ``name`` (case and spacing ignored).

    When several nodes share a label the theme wins; an unknown name raises an InputError that lists
    the closest names.
    """
    wanted = _normalise(name)
    matches = [r for r in records if wanted in (_normalise(r["label"]), _normalise(r["code_id"]))]
    if len(matches) > 1:
        themes = [r for r in matches if r["level"] == "theme"]
        if len(themes) == 1:
            return themes[0]
        raise InputError(where, f"'{name}' names {len(matches)} nodes", field="THEME",
                         expected="one of their code_ids: " + ", ".join(f"{r['code_id']} ({r['label']})"
                                                                      for r in matches))
    if matches:
        return matches[0]
    choices = {i: _normalise(r["label"]) for i, r in enumerate(records)}
    # token_set_ratio scores a label containing every word asked for as a full match ('training').
    close = process.extract(wanted, choices, scorer=fuzz.token_set_ratio, limit=None, score_cutoff=55)
    close = sorted(close, key=lambda hit: (-round(hit[1], 6), records[hit[2]]["level"] != "theme", hit[2]))[:5]
    names = [f"'{records[key]['label']}' ({records[key]['code_id']})" for _, _, key in close]
    raise InputError(where, f"no theme or subtheme is named '{name}'", field="THEME",
                     expected=("one of the close matches: " + ", ".join(names)) if names else
                     "a theme's label or code_id (see results/synthesis/audit/index.md)")

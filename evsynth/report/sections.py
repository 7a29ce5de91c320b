"""Building each section's data from the loaded results: plain dicts and lists the templates show.

Numbers are shown as the stages wrote them (text from their CSVs); every count carries the
in-page anchor of the rows it counts (``{"text": "28", "href": "#node-t01-studies"}``), or, when
those rows are too many for the page, of the file that holds them in the provenance section.
"""

from __future__ import annotations

import base64
import platform
import re
from collections.abc import Mapping
from importlib import metadata

import pandas as pd
import yaml

import evsynth
from evsynth.errors import InputError
from evsynth.report.characteristics import characteristics_counts, characteristics_table, setting_attributes
from evsynth.study_sources import sources_by_study
from evsynth.report.load import Results

SOFTWARE = ("snakemake", "pandas", "numpy", "scipy", "matplotlib", "openpyxl", "jinja2", "rapidfuzz", "networkx",
            "pyyaml", "jsonschema", "rispy", "bibtexparser")
SECTION_TITLES = {"changes": "Changes since the last version", "glance": "The review at a glance",
                  "identification": "Identification and deduplication", "prisma": "PRISMA 2020 flow",
                  "screening": "Screening", "studies": "Characteristics of included studies",
                  "quality": "Quality appraisal", "synthesis": "Synthesis: strength of themes",
                  "robustness": "Does the ranking hold?", "measure": "Implementation Measure",
                  "provenance": "Provenance"}
STATUS_LABELS = {
    "unique_records": "unique records", "sample_records": "records in the double-screening sample",
    "double_screened": "records screened by two reviewers",
    "sample_not_double_screened": "sample records still awaiting the second reviewer",
    "records_decided": "records with a title/abstract outcome",
    "records_awaiting_decision": "records awaiting a title/abstract decision",
    "disagreements": "disagreements between reviewers", "disagreements_unresolved": "disagreements awaiting resolution",
    "passed_to_full_text": "records passed to full-text screening",
    "excluded_at_title_abstract": "records excluded at title/abstract",
    "full_text_decided": "full-text decisions made", "full_text_awaiting": "reports awaiting a full-text decision",
    "reports_included": "reports included", "studies_included": "studies included",
    "imported_rows_unmatched": "imported decisions not matched to a record",
}
# status.csv keys that say what still waits for a person.
OUTSTANDING = ("records_awaiting_decision", "sample_not_double_screened", "disagreements_unresolved",
               "full_text_awaiting", "imported_rows_unmatched")
STATISTICS = {"percent_agreement": "Percent agreement (concordance)", "cohen_kappa": "Cohen's kappa",
              "gwet_ac1": "Gwet's AC1", "pabak": "PABAK", "prevalence_index": "Prevalence index",
              "bias_index": "Bias index"}


def stopping_text(status: Mapping[str, str]) -> str:
    """In words: how far title/abstract screening has come and whether it may stop (status.csv's
    stopping rows; the test is Callaghan & Müller-Hansen's, evsynth.screening.stopping)."""
    if "records_screened" not in status:
        return ""
    screened, records = status["records_screened"], status.get("unique_records", "")
    found = status.get("includes_found", "")
    if status.get("records_awaiting_decision", "") in ("0", ""):
        return (f"All {records} records have a title/abstract decision ({found} included or passed on): "
                "recall is complete, no stopping rule is needed.")
    target = _pct(status.get("target_recall", ""))
    words = f"{screened} of {records} records screened, {found} includes found. "
    draws = status.get("stopping_draws_counted", "0")
    if draws in ("0", ""):
        return words + (f"The stopping test (Callaghan & Müller-Hansen 2020) for a recall of {target} needs records "
                        "drawn at random from those not yet screened: screen the stopping-sample worksheet from "
                        "its first row once the ranked worksheet stops giving includes.")
    estimate = status.get("includes_remaining_estimate", "")
    low, high = status.get("includes_remaining_low", ""), status.get("includes_remaining_high", "")
    met = _yes(status.get("stopping_criterion_met", ""))
    words += (f"{draws} records drawn at random from those not yet screened"
              + (f" ({status['stopping_draws_not_counted']} draws not counted: screened out of turn)"
                 if status.get("stopping_draws_not_counted", "0") not in ("0", "") else "")
              + f"; includes estimated still unscreened: {_num(estimate, 1)} (95% interval {low} to {high}). ")
    p_value = _num(status.get("stopping_p_value", ""), 4)
    return words + (f"The stopping criterion for a recall of {target} at 95% confidence is met (p = {p_value}): "
                    "screening may stop." if met else
                    f"The stopping criterion for a recall of {target} at 95% confidence is not met yet "
                    f"(p = {p_value}): go on drawing.")


def _flow_rows(counts: pd.DataFrame, hrefs: Mapping[str, str | None], empty: tuple[str, ...]) -> list[dict]:
    """The boxes of a PRISMA flow table with a count, each linked to its rows where it has them
    (a count in ``empty`` is left out)."""
    return [{"box": r["description"], "n": link(r["n"], hrefs.get(r["data"]))}
            for r in counts.to_dict("records") if r["data"] not in ("NA", "") and r["n"] not in empty]


def order_text(status: Mapping[str, str]) -> str:
    """How the worksheets awaiting decisions are ordered, in words."""
    order, basis = status.get("worksheet_order", ""), status.get("worksheet_basis", "")
    if not order or status.get("records_awaiting_decision", "") in ("0", ""):
        return ""
    words = "The worksheets list the records awaiting a decision "
    if order == "file":
        return words + "in file order (screening.order: file)."
    return words + "most likely relevant first (screening.order: priority)" + (f"; the ranking: {basis}." if basis else ".")


class Anchors:
    """Element ids: readable, unique, and the same on every run (given the same order of requests)."""

    def __init__(self) -> None:
        self._ids: dict[tuple[str, str], str] = {}
        self._used: set[str] = set()

    def __call__(self, kind: str, key: object = "") -> str:
        wanted = (kind, str(key))
        if wanted not in self._ids:
            base = "-".join(p for p in (kind, re.sub(r"[^a-z0-9]+", "-", str(key).casefold()).strip("-")) if p)
            candidate, n = base, 1
            while candidate in self._used:
                n += 1
                candidate = f"{base}-{n}"
            self._ids[wanted] = candidate
            self._used.add(candidate)
        return self._ids[wanted]

    def href(self, kind: str, key: object = "") -> str:
        return "#" + self(kind, key)


def link(text: object, href: str | None) -> dict:
    return {"text": str(text), "href": href}


def figure(svg: bytes, alt: str, caption: str) -> dict:
    """An SVG figure as an image in the page (its ids and styles stay inside it; no script runs)."""
    return {"src": "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii"), "alt": alt,
            "caption": caption}


def _int(value: object, where: str = "", field: str = "") -> int:
    try:
        return int(float(str(value)))
    except ValueError:
        raise InputError(where or "report input", f"'{value}' is not a number", field=field or None,
                         expected="a count written by the workflow") from None


def _pct(value: str) -> str:
    return f"{float(value) * 100:.1f}%" if value not in ("", None) else ""


def _num(value: str, places: int = 2) -> str:
    return f"{float(value):.{places}f}" if value not in ("", None) else ""


def _keyed(frame: pd.DataFrame, key: str = "key", value: str = "value") -> dict[str, str]:
    return dict(zip(frame[key], frame[value]))


def _summary(frame: pd.DataFrame) -> dict[tuple[str, str], str]:
    return {(s, k): v for s, k, v in zip(frame["section"], frame["key"], frame["value"])}


def _yes(value: str) -> bool:
    return str(value).strip().lower() in ("true", "1", "yes")


class Builder:
    def __init__(self, results: Results, settings: Mapping) -> None:
        self.r, self.settings = results, settings
        self.a = Anchors()
        self.unit = settings.get("unit", "publication")
        self.files = {f.name: f for f in results.files}
        self.has_studies = results.has("included_studies")
        self.has_nodes = results.has("theme_strength", "audit")
        for fixed in ("glance", "changes", "contents"):
            self.a(fixed)

    def file_href(self, name: str) -> str | None:
        return self.a.href("file", name) if name in self.files else None

    def study_href(self, study_id: str) -> str | None:
        return self.a.href("study", study_id) if self.has_studies else None

    # -- the review at a glance -------------------------------------------------------------
    def identification(self) -> dict:
        ident = self.r.tables["identification"]
        summary = _summary(self.r.tables["dedup_summary"])
        where = self.files["dedup_summary"].path
        searches = [{"database": row["database"], "source_type": row["source_type"], "date": row["search_date"],
                     "file": row["source_file"], "records": link(row["records"], self.a.href("search", i))}
                    for i, row in enumerate(ident.to_dict("records"), start=1)]
        databases = []
        for database in dict.fromkeys(ident["database"]):
            databases.append({"database": database,
                              "records": summary.get(("by_database", f"{database} / records"), ""),
                              "duplicates": summary.get(("by_database", f"{database} / duplicates"), ""),
                              "only_here": summary.get(("by_database", f"{database} / clusters_only_here"), "")})
        for key in ("records_in", "clusters", "duplicates_removed", "uncertain_pairs"):
            if ("totals", key) not in summary:
                raise InputError(where, f"no row section=totals, key={key}", field="key",
                                 expected="the summary written by rule dedup")
        pairs = self.r.tables["uncertain_pairs"]
        waiting = pairs[pairs["verdict"].eq("")] if "verdict" in pairs.columns else pairs
        sizes = [{"size": k, "clusters": v} for (s, k), v in summary.items() if s == "cluster_sizes"]
        return {
            "id": self.a("identification"),
            "searches": searches, "databases": databases, "cluster_sizes": sizes,
            "records_in": link(summary[("totals", "records_in")], self.file_href("clusters")),
            "unique": link(summary[("totals", "clusters")], self.file_href("clusters")),
            "duplicates": link(summary[("totals", "duplicates_removed")], self.file_href("clusters")),
            "decided": link(summary.get(("totals", "verdicts_applied"), "0"), self.file_href("validation")),
            "waiting": link(len(waiting), self.a.href("uncertain-pairs")),
            "uncertain_id": self.a("uncertain-pairs"),
            "uncertain": [{"record_1": p["record_id_1"], "record_2": p["record_id_2"],
                           "database_1": p["database_1"], "database_2": p["database_2"],
                           "title_1": p["title_1"], "title_2": p["title_2"], "year_1": p["year_1"],
                           "year_2": p["year_2"], "score": p["score"]} for p in waiting.to_dict("records")],
        }

    # -- screening ---------------------------------------------------------------------------
    def full_text(self) -> dict:
        reports = self.r.tables["reports"]
        groups = []
        order = {"include": 0, "not_retrieved": 1, "exclude": 2}
        keyed = reports.assign(_order=reports["decision"].map(order).fillna(3))
        for (decision, reason), rows in keyed.groupby(["_order", "exclusion_reason"], sort=True):
            first = rows.iloc[0]["decision"]
            label = {"include": "included", "not_retrieved": "not retrieved"}.get(first, f"excluded: {reason}")
            groups.append({"id": self.a("full-text", f"{first}-{reason}"), "label": label, "n": len(rows),
                           "rows": [{"cluster_id": r["cluster_id"], "decision": r["decision"],
                                     "reason": r["exclusion_reason"],
                                     "study": link(r["study_id"], self.study_href(r["study_id"]) if r["study_id"] else None),
                                     "title": r["title"]} for r in rows.to_dict("records")]})
        # excluded groups by size, as PRISMA lists the reasons
        head = [g for g in groups if not g["label"].startswith("excluded")]
        excluded = sorted((g for g in groups if g["label"].startswith("excluded")), key=lambda g: (-g["n"], g["label"]))
        return {"id": self.a("full-text"), "groups": head + excluded, "n": len(reports)}

    def screening(self) -> dict:
        status = _keyed(self.r.tables["screening_status"])
        table = self.r.tables["agreement_table"]
        stats = self.r.tables["agreement"]
        stages = []
        for stage, rows in table.groupby("stage", sort=True):
            first = rows.iloc[0]
            cells = {(a, b): n for a, b, n in zip(rows["decision_a"], rows["decision_b"], rows["n"])}
            values = stats[stats["stage"] == stage]
            stages.append({
                "stage": stage.replace("_", "/") if stage == "title_abstract" else stage,
                "reviewer_a": first["reviewer_a"], "reviewer_b": first["reviewer_b"],
                "cells": [[cells.get((a, b), "0") for b in ("include", "exclude")] for a in ("include", "exclude")],
                "statistics": [{"label": STATISTICS.get(s["statistic"], s["statistic"]),
                                "value": _pct(s["value"]) if s["statistic"] == "percent_agreement" else _num(s["value"]),
                                "interval": (f"{_pct(s['ci_low'])} to {_pct(s['ci_high'])}"
                                             if s["statistic"] == "percent_agreement" and s["ci_low"] else
                                             f"{_num(s['ci_low'])} to {_num(s['ci_high'])}" if s["ci_low"] else ""),
                                "n": s["n"]} for s in values.to_dict("records")],
            })
        text = self.r.texts["agreement_text"]
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text)
                      if p.strip() and not p.lstrip().startswith(("#", "- "))]
        disagreements = self.r.tables["disagreements"]
        hrefs = {"records_awaiting_decision": self.file_href("title_abstract_outcome"),
                 "records_decided": self.file_href("title_abstract_outcome"),
                 "excluded_at_title_abstract": self.file_href("title_abstract_outcome"),
                 "unique_records": self.file_href("title_abstract_outcome"),
                 "disagreements": self.a.href("disagreements"), "disagreements_unresolved": self.a.href("disagreements"),
                 "passed_to_full_text": self.a.href("full-text"), "full_text_decided": self.a.href("full-text"),
                 "reports_included": self.a.href("full-text", "include-"),
                 "studies_included": self.a.href("studies-table") if self.has_studies else self.a.href("full-text", "include-"),
                 "imported_rows_unmatched": self.file_href("imported_unmatched")}
        # a count of nothing links nowhere (its rows do not exist)
        shown = [{"key": key, "label": STATUS_LABELS[key],
                  "value": link(status[key], hrefs.get(key) if status[key] not in ("0", "") else None),
                  "outstanding": key in OUTSTANDING and status[key] not in ("0", "")}
                 for key in STATUS_LABELS if key in status]
        return {
            "id": self.a("screening"), "stages": stages, "paragraphs": paragraphs, "status": shown,
            "stopping": stopping_text(status), "order": order_text(status),
            "next_steps": [status[key] for key in sorted((k for k in status if k.startswith("next_step_")),
                                                         key=lambda k: int(k.rsplit("_", 1)[1]))],
            "outstanding": [s for s in shown if s["outstanding"]],
            "disagreements_id": self.a("disagreements"),
            "disagreements": [{"cluster_id": d["cluster_id"], "a": f"{d['reviewer_a']}: {d['decision_a']}",
                               "b": f"{d['reviewer_b']}: {d['decision_b']}", "resolution": d["resolution"],
                               "resolved_by": d["resolved_by"], "title": d["title"]}
                              for d in disagreements.to_dict("records")],
            "full_text": self.full_text(),
        }

    # -- PRISMA ------------------------------------------------------------------------------
    def prisma(self) -> dict:
        counts = self.r.tables["prisma_counts"]
        n = dict(zip(counts["data"], counts["n"]))
        included = self.a.href("studies-table") if self.has_studies else self.a.href("full-text", "include-")
        hrefs = {"database_results": self.a.href("searches"), "database_specific_results": self.a.href("searches"),
                 "register_results": self.a.href("searches"), "website_results": self.a.href("searches"),
                 "duplicates": self.file_href("clusters"),
                 "records_screened": self.file_href("title_abstract_outcome"),
                 "records_excluded": self.file_href("title_abstract_outcome"),
                 "dbr_sought_reports": self.a.href("full-text"), "dbr_assessed": self.a.href("full-text"),
                 "dbr_notretrieved_reports": self.a.href("full-text", "not_retrieved-"),
                 "dbr_excluded": self.a.href("full-text"),
                 "new_studies": included, "total_studies": included,
                 "new_reports": self.a.href("full-text", "include-"), "total_reports": self.a.href("full-text", "include-")}
        rows = _flow_rows(counts, hrefs, empty=("", "0"))
        checks = [{"check": c["check"], "left": c["left"], "right": c["right"], "holds": _yes(c["holds"])}
                  for c in self.r.tables["prisma_checks"].to_dict("records")]
        alt = (f"PRISMA 2020 flow diagram: {n.get('database_results', '')} records identified from databases, "
               f"{n.get('duplicates', '')} duplicates removed, {n.get('records_screened', '')} records screened, "
               f"{n.get('records_excluded', '')} excluded, {n.get('dbr_sought_reports', '')} reports sought, "
               f"{n.get('dbr_notretrieved_reports', '')} not retrieved, {n.get('dbr_assessed', '')} assessed, "
               f"{n.get('new_studies', '')} studies included.")
        update = None
        if "prisma_update_counts" in self.r.tables and "prisma_update_figure" in self.r.figures:
            flow = self.r.tables["prisma_update_counts"]
            u = dict(zip(flow["data"], flow["n"]))
            # the update's boxes keep their zeros: "0 new studies" is the update's finding
            update = {"rows": _flow_rows(flow, hrefs, empty=("",)),
                      "figure": figure(self.r.figures["prisma_update_figure"],
                                       f"PRISMA 2020 flow diagram for the updated review: {u.get('previous_studies', '')} "
                                       f"studies included in the previous version, {u.get('new_studies', '')} new "
                                       f"studies, {u.get('total_studies', '')} in total.",
                                       "PRISMA 2020 flow diagram for updated reviews "
                                       "(results/prisma/prisma2020_update.svg); the numbers are in the table.")}
        return {"id": self.a("prisma"), "rows": rows, "checks": checks, "update_flow": update,
                "all_hold": all(c["holds"] for c in checks),
                "figure": figure(self.r.figures["prisma_figure"], alt,
                                 "PRISMA 2020 flow diagram (results/prisma/prisma2020.svg); the numbers are in the table.")}

    # -- included studies --------------------------------------------------------------------
    def studies(self) -> dict:
        studies = self.r.tables["included_studies"]
        scores = self.r.tables.get("casp_scores")
        table = characteristics_table(studies, scores)
        counts = characteristics_counts(table)
        shown = [c for c in table.columns if c not in ("reports", "n_reports", "study_id")]
        # each report's cluster, DOI/PMID and the export files its records came from (rule study_sources)
        sources = sources_by_study(self.r.tables["study_sources"]) if "study_sources" in self.r.tables else {}
        checks = self.r.tables.get("citation_checks")
        rows = [{"id": self.a("study", r["study_id"]), "study_id": r["study_id"],
                 "cells": [r[c] for c in shown], "grade": r.get("grade", ""),
                 "reports": r.get("reports", "").replace(";", "; "),
                 "sources": sources.get(r["study_id"], [])} for r in table.to_dict("records")]
        by = [{"attribute": attribute, "rows": [{"value": v, "studies": link(s, self.a.href("studies-table"))}
                                                for v, s in zip(rows_["value"], rows_["studies"])]}
              for attribute, rows_ in counts.groupby("attribute", sort=False)]
        return {"id": self.a("studies"), "table_id": self.a("studies-table"), "columns": shown, "rows": rows,
                "table": table, "counts": by, "n": len(table), "attributes": setting_attributes(studies),
                "citation_checks": [] if checks is None else checks.to_dict("records")}

    # -- quality -----------------------------------------------------------------------------
    def quality(self) -> dict:
        scores = self.r.tables["casp_scores"]
        citations = (dict(zip(self.r.tables["included_studies"]["study_id"], self.r.tables["included_studies"]["citation"]))
                     if self.has_studies else {})
        grades = [g for g in self.r.tables["grade_counts"]["grade"] if g != "all"]
        counts = _keyed(self.r.tables["grade_counts"], "grade", "studies")
        by_grade = [{"grade": g, "id": self.a("grade", g), "n": link(counts.get(g, "0"), self.a.href("grade", g)),
                     "studies": [link(f"{s} {citations.get(s, '')}".strip(), self.study_href(s))
                                 for s in scores.loc[scores["grade"] == g, "study_id"]]} for g in grades]
        design = self.r.tables["grades_by_design"]
        grade_columns = [c for c in design.columns if c not in ("design", "studies")]
        rule_lines = [line.rstrip() for line in self.r.texts["scoring_rule"].splitlines()]
        double = self.r.tables["double_appraisals"]
        agreement = self.r.tables["quality_agreement"]
        # the appraisal's name as the quality stage gives it ("CASP", "CASP and MMAT", "Quality")
        name = rule_lines[0].split(" appraisal:")[0] if rule_lines and " appraisal:" in rule_lines[0] else "Quality"
        alt = (f"Traffic-light plot of the {name} answers of {len(scores)} studies, item by item, with each study's "
               f"score and grade ({', '.join(f'{g} {counts.get(g, 0)}' for g in grades)}).")
        return {
            "id": self.a("quality"), "name": name, "grades": by_grade, "total": counts.get("all", str(len(scores))),
            # best to worst: robvis's colour-blind palette runs light to dark
            "grade_class": {g: f"g{min(i, 3)}" for i, g in enumerate(grades, start=1)},
            "design_columns": ["design", "studies", *grade_columns],
            "design_rows": [[r[c] for c in ["design", "studies", *grade_columns]] for r in design.to_dict("records")],
            "rule": [line for line in rule_lines],
            "scores": [{"study": link(s["study_id"], self.study_href(s["study_id"])),
                        "citation": citations.get(s["study_id"], ""), "checklist": s["checklist"],
                        "yes": f"{s['yes']}/{s['scored_items']}", "percent": s["percent"], "grade": s["grade"]}
                       for s in scores.to_dict("records")],
            "double": [{"study": link(d["study_id"], self.study_href(d["study_id"])), "checklist": d["checklist"],
                        "appraisers": f"{d['appraiser_a']} and {d['appraiser_b']}", "agreed": f"{d['agreed']}/{d['items']}",
                        "disagreed": d["disagreed_items"].replace(";", ", "), "scored_on": d["scored_on"]}
                       for d in double.to_dict("records")],
            "agreement": [{"pair": f"{s['appraiser_a']} and {s['appraiser_b']}", "studies": s["studies"],
                           "label": STATISTICS.get(s["statistic"], s["statistic"]),
                           "value": _pct(s["value"]) if s["statistic"] == "percent_agreement" else _num(s["value"]),
                           "interval": (f"{_num(s['ci_low'])} to {_num(s['ci_high'])}" if s["ci_low"] else ""),
                           "n": s["n"]} for s in agreement.to_dict("records") if s["value"] != ""],
            "figure": figure(self.r.figures["traffic_light"], alt,
                             f"{name} answers per study and item, in robvis's traffic-light style "
                             "(results/quality/traffic_light.svg)."),
        }

    # -- synthesis ---------------------------------------------------------------------------
    def node(self, record: dict, strength: dict, children: dict) -> dict:
        code = record["code_id"]
        row = strength[code]
        result = record["result"]
        if str(result["n"]) != row["n"] or str(result["N"]) != row["N"]:
            raise InputError(self.files["audit"].path, f"the audit record of {code} counts {result['n']}/{result['N']} "
                             f"but theme_strength.csv says {row['n']}/{row['N']}", field=code,
                             expected="an audit trail and vote counts from the same run (rerun the workflow)")
        studies_id = self.a("node", f"{code} studies")
        extracts_id = self.a("node", f"{code} extracts")
        calc = record.get("calculation", {})
        return {
            "id": self.a("node", code), "code_id": code, "label": record["label"], "level": record["level"],
            "description": record.get("description", ""),
            "n": link(row["n"], "#" + studies_id), "N": link(row["N"], self.a.href("studies-table") if self.has_studies else None),
            "percent": row["percent"], "interval": f"{row['ci_low']} to {row['ci_high']}", "rank": row["rank_label"],
            "direction": row["direction"], "cfir": row["cfir_domains"], "flagged": _yes(row["flagged"]),
            "facilitator": row.get("n_facilitator", ""), "barrier": row.get("n_barrier", ""),
            "calculation": [(key, calc[key]) for key in ("n", "N", "rounding", "interval", "rank", "direction", "flag")
                            if key in calc],
            "nodes_counted": "; ".join(f"{c['code_id']} {c['label']}" for c in calc.get("nodes_counted", [])),
            "filters": record.get("filters", []),
            "studies_id": studies_id, "extracts_id": extracts_id,
            "studies": [{"study": link(s["study_id"], self.study_href(s["study_id"])), "citation": s["citation"],
                         "direction": s["direction"],
                         "extracts": [link(e, f"#{extracts_id}-{self.a('x', e)}") for e in s["extract_ids"]]}
                        for s in record["studies_counted"]],
            "extracts": [{"anchor": f"{extracts_id}-{self.a('x', e['extract_id'])}", "extract_id": e["extract_id"],
                          "study": link(e["study_id"], self.study_href(e["study_id"])),
                          "code": f"{e['code_id']} {e['code_label']}", "direction": e["direction"],
                          "coder": e["coder"], "page": e["page"], "quote": e["quote"]} for e in record["extracts"]],
            "children": [self.node(child, strength, children) for child in children.get(code, [])],
        }

    def synthesis(self) -> dict:
        strength_frame = self.r.tables["theme_strength"]
        strength = {row["code_id"]: row for row in strength_frame.to_dict("records")}
        records = {r["code_id"]: r for r in self.r.audit}
        missing = [code for code in strength if code not in records]
        if missing:
            raise InputError(self.files["audit"].path, f"no audit record for {', '.join(missing[:5])}",
                             expected="an audit record for every row of theme_strength.csv (rerun the workflow)")
        children: dict[str, list[dict]] = {}
        for code, row in strength.items():  # theme_strength's order: themes by rank, subthemes by rank
            if row["parent_id"]:
                children.setdefault(row["parent_id"], []).append(records[code])
        themes = [self.node(records[code], strength, children) for code, row in strength.items()
                  if row["level"] == "theme"]
        threshold = next((r["result"].get("threshold") for r in self.r.audit if r["level"] == "theme"), None)
        n_flagged = sum(t["flagged"] for t in themes)
        figures = []
        if "theme_network" in self.r.figures:
            figures.append(figure(self.r.figures["theme_network"],
                                  f"Network of the {len(themes)} themes: a node's size is the number of {self.unit}s "
                                  f"coding the theme, an edge's width the number coding both themes.",
                                  "Co-occurrence of themes (results/synthesis/figures/theme_network.svg)."))
        return {"id": self.a("synthesis"), "themes": themes, "n_flagged": n_flagged,
                "threshold": "" if threshold is None else f"{float(threshold) * 100:g}%", "figures": figures,
                "N": themes[0]["N"] if themes else link("0", None)}

    # -- robustness --------------------------------------------------------------------------
    def robustness(self) -> dict:
        summary = self.r.tables["robustness_summary"]
        analyses = {a["analysis"]: a for a in self.r.tables["robustness_analyses"].to_dict("records")}
        verdicts = []
        for row in summary.to_dict("records"):
            detail = analyses.get(row["analysis"])
            href = self.a.href("analysis", row["analysis"]) if detail else (
                self.a.href("leave-one-out") if row["analysis"] == "leave one study out" else
                self.a.href("bootstrap") if row["analysis"] == "bootstrap" else None)
            verdicts.append({"analysis": row["analysis"], "verdict": row["verdict"],
                             "n_studies": link(row["n_studies"], href), "tau": row["kendall_tau_b"],
                             "rho": row["spearman_rho"], "dropped": row["themes_dropped"],
                             "top_k_changed": row["top_k_changed"]})
        details = [{"id": self.a("analysis", name), "analysis": name, "kind": a["kind"], "filters": a["filters"],
                    "n": a["n_studies"],
                    "studies": [link(s, self.study_href(s)) for s in a["study_ids"].split(";") if s]}
                   for name, a in analyses.items()]
        loo = self.r.tables["leave_one_out"]
        boot = self.r.tables["bootstrap"]
        return {
            "id": self.a("robustness"), "verdicts": verdicts, "details": details,
            "loo_id": self.a("leave-one-out"), "boot_id": self.a("bootstrap"),
            "loo": [{"study": link(r["study_id"], self.study_href(r["study_id"])), "citation": r["citation"],
                     "dropped": r["themes_dropped"], "top_k_changed": r["top_k_changed"],
                     "shift": r["max_rank_shift"], "tau": r["kendall_tau_b"], "rho": r["spearman_rho"]}
                    for r in loo.to_dict("records")],
            "boot": [{"theme": link(r["theme"], self.a.href("node", r["code_id"]) if self.has_nodes else None),
                      "n": r["n"], "rank": r["rank"], "median": r["median_rank"],
                      "interval": f"{r['rank_low']} to {r['rank_high']}", "p_first": _pct(r["p_first"]),
                      "p_top_k": _pct(r["p_top_k"]), "p_flagged": _pct(r["p_flagged"])} for r in boot.to_dict("records")],
            "figure": figure(self.r.figures["rank_bump"],
                             "Bump chart: the rank of each theme in the full synthesis and in each subgroup and "
                             f"sensitivity analysis ({', '.join(a['analysis'] for a in details)}).",
                             "Each theme's rank in the full synthesis and in each analysis "
                             "(results/robustness/figures/rank_bump.svg)."),
        }

    # -- Implementation Measure --------------------------------------------------------------
    def measure(self) -> dict:
        items = self.r.tables["measure_items"]
        scores = self.r.tables["site_scores"]
        validity = self.r.tables["validity"]
        item_codes = list(items["code_id"])
        fixed = ["site", "sum_score", "max_score", "mean_item_score", "at_floor", "at_ceiling"]
        attributes = [c for c in scores.columns if c not in fixed and c not in item_codes]
        text = self.r.texts["measure_summary"]
        sentences = [line.strip() for line in text.splitlines()
                     if line.strip() and not line.lstrip().startswith(("#", "|"))]
        has_nodes = self.has_nodes
        return {
            "id": self.a("measure"),
            "items": [{"item": r["item"], "theme": link(r["theme"], self.a.href("node", r["code_id"]) if has_nodes else None),
                       "n_sites": r["n_sites"], "mean": r["mean"], "range": f"{r['min']} to {r['max']}",
                       "floor": _yes(r["floor"]), "ceiling": _yes(r["ceiling"]),
                       "narrow": _yes(r.get("narrow_range", ""))} for r in items.to_dict("records")],
            "site_columns": ["site", *attributes, "sum score", "mean item score",
                             *[f"item {i}" for i in items["item"]]],
            "sites": [[r["site"], *[r[a] for a in attributes], f"{r['sum_score']}/{r['max_score']}",
                       r["mean_item_score"], *[r.get(code, "") for code in item_codes]] for r in scores.to_dict("records")],
            "validity": [{"kind": v["kind"], "attribute": v["attribute"], "group": v["group"],
                          "sites": v["sites"].replace(";", ",") if "sites" in v else "", "n_sites": v["n_sites"],
                          "mean": v["mean_item_score"]} for v in validity.to_dict("records")],
            "sentences": sentences,
            "figure": figure(self.r.figures["heatmap"],
                             f"Heat map of the ratings of {len(items)} items at {len(scores)} sites, with each site's "
                             "sum score and each item's mean.",
                             "Ratings by site and item (results/measure/figures/site_item_heatmap.svg)."),
        }

    # -- provenance --------------------------------------------------------------------------
    def provenance(self, used_by: dict[str, list[str]]) -> dict:
        ident = self.r.tables["identification"]
        exports = {s.path: s for s in self.r.searches}
        searches = []
        for i, row in enumerate(ident.to_dict("records"), start=1):
            export = exports.get(row["source_file"])
            searches.append({"id": self.a("search", i), "database": row["database"], "date": row["search_date"],
                             "file": row["source_file"], "records": row["records"],
                             "sha256": export.sha256 if export else "not given to the report"})
        validation = self.r.tables["validation"]
        tables = [{"table": v["table"], "file": v["file"], "rows": v["rows"], "sha256": v["sha256"]}
                  for v in validation.to_dict("records")]
        sections_of: dict[str, list[str]] = {}
        for section, names in used_by.items():
            for name in names:
                sections_of.setdefault(name, []).append(SECTION_TITLES[section])
        results = [{"id": self.a("file", f.name), "name": f.name, "path": f.path, "rows": "" if f.rows is None else f.rows,
                    "sha256": f.sha256, "note": f.note, "sections": sections_of.get(f.name, [])} for f in self.r.files]
        built_from = [{"section": SECTION_TITLES[s], "files": [link(self.files[n].path, self.file_href(n))
                                                            for n in names if n in self.files]}
                      for s, names in used_by.items()]
        previous = [{"path": path, "date": snap["date"]} for path, snap in self.r.previous]
        config = yaml.safe_dump(dict(self.settings.get("config") or {}), sort_keys=False, allow_unicode=True,
                                default_flow_style=False)
        software = [("Python", platform.python_version()), ("evsynth", evsynth.__version__)]
        for name in SOFTWARE:
            try:
                software.append((name, metadata.version(name)))
            except metadata.PackageNotFoundError:
                continue
        return {"id": self.a("provenance"), "searches": searches, "searches_id": self.a("searches"),
                "tables": tables, "results": results, "built_from": built_from, "config": config,
                "software": software, "previous": previous}


# The inputs each section reads (for "which outputs each section was built from").
USED_BY = {
    "identification": ["identification", "dedup_summary", "clusters", "uncertain_pairs", "validation"],
    "prisma": ["prisma_counts", "prisma_checks", "prisma_figure"],
    "screening": ["screening_status", "agreement", "agreement_table", "agreement_text", "disagreements",
                  "title_abstract_outcome", "reports"],
    "studies": ["included_studies", "casp_scores", "study_sources", "citation_checks"],
    "quality": ["casp_scores", "casp_items", "grade_counts", "grades_by_design", "double_appraisals",
                "quality_agreement", "scoring_rule", "traffic_light"],
    "synthesis": ["theme_strength", "audit", "theme_network"],
    "robustness": ["robustness_summary", "robustness_analyses", "leave_one_out", "bootstrap", "rank_bump"],
    "measure": ["measure_items", "site_scores", "validity", "measure_summary", "heatmap"],
}
# What a section needs to be shown (its optional inputs are not listed).
REQUIRED = {
    "identification": ["identification", "dedup_summary", "uncertain_pairs", "validation"],
    "prisma": ["prisma_counts", "prisma_checks", "prisma_figure"],
    "screening": ["screening_status", "agreement", "agreement_table", "agreement_text", "disagreements", "reports"],
    "studies": ["included_studies"],
    "quality": ["casp_scores", "grade_counts", "grades_by_design", "double_appraisals", "quality_agreement",
                "scoring_rule", "traffic_light"],
    "synthesis": ["theme_strength", "audit"],
    "robustness": ["robustness_summary", "robustness_analyses", "leave_one_out", "bootstrap", "rank_bump"],
    "measure": ["measure_items", "site_scores", "validity", "measure_summary", "heatmap"],
}


def glance(sections: dict, results: Results, settings: Mapping) -> dict:
    ident = results.tables["identification"]
    dates = sorted(ident["search_date"])
    found = sections["identification"]
    figures = [("records identified", found["records_in"]), ("duplicates removed", found["duplicates"]),
               ("unique records", found["unique"])]
    if "screening" in sections:
        status = {s["key"]: s["value"] for s in sections["screening"]["status"]}
        for key, label in (("unique_records", "records screened"), ("passed_to_full_text", "reports sought"),
                           ("studies_included", "studies included")):
            if key in status:
                figures.append((label, status[key]))
    if "quality" in sections:
        grades = sections["quality"]["grades"]
        figures.append(("quality grades", link(", ".join(f"{g['grade']} {g['n']['text']}" for g in grades),
                                               "#" + sections["quality"]["id"])))
    if "synthesis" in sections:
        s = sections["synthesis"]
        figures.append((f"themes coded in at least {s['threshold']} of {settings.get('unit', 'publication')}s",
                        link(f"{s['n_flagged']} of {len(s['themes'])}", "#" + s["id"])))
    return {"id": "glance", "dates": f"{dates[0]} to {dates[-1]}" if dates[0] != dates[-1] else dates[0],
            "databases": list(dict.fromkeys(ident["database"])), "figures": figures}


def build_sections(results: Results, settings: Mapping) -> dict:
    """Every section the given results allow, in page order, with the snapshot and its changes."""
    from evsynth.report.snapshots import changes_since, snapshot_of

    builder = Builder(results, settings)
    if not results.has(*REQUIRED["identification"]):
        missing = [n for n in REQUIRED["identification"] if not results.has(n)]
        raise InputError("report inputs", f"missing {', '.join(missing)}",
                         expected="the identification and deduplication results every review has")
    sections: dict = {}
    # Built in this order so that anchors are requested in the same order on every run.
    order = ["identification", "prisma", "screening", "studies", "quality", "synthesis", "robustness", "measure"]
    present = [name for name in order if results.has(*REQUIRED[name])]
    if "prisma" in present and "screening" not in present:
        present.remove("prisma")  # its counts link to the screening rows
    for name in present:
        sections[name] = getattr(builder, name)()
    used_by = {name: USED_BY[name] for name in present}
    sections["provenance"] = builder.provenance(used_by)
    sections["glance"] = glance(sections, results, settings)
    dates = sorted(results.tables["identification"]["search_date"])
    meta = {"title": settings.get("title") or "Untitled review", "question": settings.get("question") or "",
            "synthetic": bool(settings.get("synthetic")), "unit": builder.unit,
            "run_date": dates[-1], "version": evsynth.__version__}
    sections["meta"] = meta
    snapshot = snapshot_of(sections, results)
    sections["snapshot"] = snapshot
    sections["changes"] = changes_since(results.previous, snapshot)
    page = (["changes"] if sections["changes"] else []) + ["glance", *present, "provenance"]
    sections["toc"] = [{"href": "#" + (sections[name]["id"] if name in present or name == "provenance" else name),
                        "title": (f"Changes since {sections['changes']['since']}" if name == "changes"
                                  else SECTION_TITLES[name])} for name in page]
    sections["order"] = page
    return sections

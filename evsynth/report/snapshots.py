"""Snapshots of a report's figures, and what changed since the last version of a living review.

Each build stores a small JSON snapshot (``results/report/versions/<date of latest search>.json``).
When a snapshot dated before the latest search is given, the page opens with the changes since
the newest of them: new searches, records added, studies newly included (or no longer), themes
whose n, percent, rank or flag changed, robustness verdicts that changed, and what still waits
for a person.
"""

from __future__ import annotations

import json

from evsynth.report.load import Results

FORMAT = 1
THEME_FIELDS = ("n", "N", "percent", "rank", "flagged")


def snapshot_of(sections: dict, results: Results) -> dict:
    ident = results.tables["identification"]
    found = sections["identification"]
    snapshot: dict = {
        "format": FORMAT,
        "date": sections["meta"]["run_date"],
        "searches": [{"database": r["database"], "date": r["search_date"], "file": r["source_file"],
                      "records": int(r["records"])} for r in ident.to_dict("records")],
        "records_identified": int(found["records_in"]["text"]),
        "unique_records": int(found["unique"]["text"]),
        "duplicate_pairs_waiting": int(found["waiting"]["text"]),
    }
    if "screening" in sections:
        snapshot["outstanding"] = {s["label"]: int(float(s["value"]["text"] or 0)) for s in sections["screening"]["status"]
                                   if s["key"] in ("records_awaiting_decision", "sample_not_double_screened",
                                                   "disagreements_unresolved", "full_text_awaiting")}
    if "studies" in sections:
        table = sections["studies"]["table"]
        snapshot["included_studies"] = dict(zip(table["study_id"], table["citation"]))
    if "synthesis" in sections:
        snapshot["themes"] = {t["code_id"]: {"label": t["label"], "n": int(t["n"]["text"]), "N": int(t["N"]["text"]),
                                             "percent": t["percent"], "rank": t["rank"], "flagged": t["flagged"]}
                              for t in sections["synthesis"]["themes"]}
    if "robustness" in sections:
        snapshot["robustness"] = {v["analysis"]: v["verdict"] for v in sections["robustness"]["verdicts"]}
    return snapshot


def dump_snapshot(snapshot: dict) -> str:
    return json.dumps(snapshot, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _search_key(search: dict) -> tuple:
    return search.get("database"), search.get("date"), search.get("file")


def changes_since(previous: list[tuple[str, dict]], current: dict) -> dict | None:
    """The changes from the newest earlier snapshot to ``current``; None when there is none."""
    earlier = [(snap["date"], path, snap) for path, snap in previous if str(snap["date"]) < current["date"]]
    if not earlier:
        return None
    date, path, before = max(earlier)
    known = {_search_key(s) for s in before.get("searches", [])}
    new_searches = [s for s in current["searches"] if _search_key(s) not in known]
    old_studies, new_studies = before.get("included_studies", {}), current.get("included_studies", {})
    themes = []
    old_themes, new_themes = before.get("themes", {}), current.get("themes", {})
    for code in [*new_themes, *(c for c in old_themes if c not in new_themes)]:
        was, now = old_themes.get(code), new_themes.get(code)
        if was is None or now is None:
            themes.append({"code_id": code, "label": (now or was)["label"], "status": "new" if was is None else "gone",
                           "fields": []})
            continue
        fields = [(f, was.get(f), now.get(f)) for f in THEME_FIELDS if was.get(f) != now.get(f)]
        if fields:
            themes.append({"code_id": code, "label": now["label"], "status": "changed", "fields": fields})
    verdicts = []
    old_verdicts, new_verdicts = before.get("robustness", {}), current.get("robustness", {})
    for analysis in [*new_verdicts, *(a for a in old_verdicts if a not in new_verdicts)]:
        if old_verdicts.get(analysis) != new_verdicts.get(analysis):
            verdicts.append({"analysis": analysis, "before": old_verdicts.get(analysis, ""),
                             "after": new_verdicts.get(analysis, "")})
    return {
        "since": date, "snapshot": path,
        "new_searches": new_searches,
        "records_added": current["records_identified"] - int(before.get("records_identified", 0)),
        "unique_added": current["unique_records"] - int(before.get("unique_records", 0)),
        "records_before": before.get("records_identified", 0), "unique_before": before.get("unique_records", 0),
        "records_now": current["records_identified"], "unique_now": current["unique_records"],
        "studies_added": [(s, new_studies[s]) for s in new_studies if s not in old_studies],
        "studies_removed": [(s, old_studies[s]) for s in old_studies if s not in new_studies],
        "themes": themes, "verdicts": verdicts,
        "outstanding": [(label, n) for label, n in current.get("outstanding", {}).items() if n]
                       + ([("duplicate pairs awaiting a person's verdict", current["duplicate_pairs_waiting"])]
                          if current.get("duplicate_pairs_waiting") else []),
    }

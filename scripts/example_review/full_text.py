"""Full text: the reports sought after title/abstract screening, and DT's decision on each.

The exclusion reasons and their counts are the example's own (the seed gives only the included
total); the reports they exclude are drawn among the publications (``publications.py``).
"""

from __future__ import annotations

from .common import csv_bytes
from .vocabulary import EXCLUDE_NOTES

FT_REASONS = [  # full-text exclusion reasons and how many reports each excludes
    ("Not peer support work", 48), ("Wrong population", 34), ("No implementation findings", 42),
    ("Peer-run organisation", 20), ("Online peer support only", 14), ("Conference abstract", 18),
    ("Not primary research", 16), ("Peer navigation intervention", 7), ("Language not eligible", 4),
    ("Mutual aid or naturally occurring peer support", 8),
]
N_NOT_RETRIEVED = 7
FULL_TEXT_COLUMNS = ["cluster_id", "reviewer", "decision", "exclusion_reason", "study_id", "note"]


def full_text_rows(pubs: list, cluster: dict, study_of: dict, passed) -> list:
    """One row per report whose final title/abstract decision passed it on (``passed(pub)``), in
    cluster order."""
    rows = []
    for pub in pubs:
        if not passed(pub):
            assert pub.fate == "ta_excluded"
            continue
        cid = cluster[pub.pub_id]
        if pub.fate == "included":
            rows.append([cid, "DT", "include", "", study_of[pub.pub_id], ""])
        elif pub.fate == "not_retrieved":
            rows.append([cid, "DT", "not_retrieved", "", "", "requested through interlibrary loan; not received"])
        elif pub.fate == "ft_excluded":
            rows.append([cid, "DT", "exclude", pub.reason, "", EXCLUDE_NOTES.get(pub.reason, "")])
        else:  # kept at title/abstract after discussion, excluded on reading
            rows.append([cid, "DT", "exclude", "Not peer support work", "", "kept at title/abstract after discussion"])
    assert sorted(row[4] for row in rows if row[2] == "include") == sorted(study_of.values())
    assert all(passed(p) for p in pubs if p.fate != "ta_excluded")
    return rows


def full_text_table(rows: list) -> bytes:
    return csv_bytes(FULL_TEXT_COLUMNS, rows)

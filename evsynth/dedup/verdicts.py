"""A person's verdicts on pairs of records: checked, then applied after the automatic decisions.

A verdicts table has the columns ``record_id_1``, ``record_id_2`` and ``verdict`` (``same`` or
``different``; an empty verdict is a pair not yet looked at and is skipped, so the uncertain-pairs
sheet can be saved back as it is, with the verdict column partly filled in).
"""

from __future__ import annotations

import pandas as pd

from evsynth.errors import InputError

VERDICTS = ("same", "different")
COLUMNS = ("record_id_1", "record_id_2", "verdict")


def check_verdicts(verdicts: pd.DataFrame | None, known_ids, source: str = "verdicts"
                   ) -> pd.DataFrame:
    """The verdicts as a clean table (record_id_1 < record_id_2, verdict) or an InputError.

    Errors list every unknown record id, every verdict that is neither 'same' nor 'different',
    and every pair given both verdicts.
    """
    empty = pd.DataFrame(columns=list(COLUMNS))
    if verdicts is None or len(verdicts) == 0:
        return empty
    source = str(verdicts.attrs.get("source", source))
    missing = [c for c in COLUMNS if c not in verdicts.columns]
    if missing:
        raise InputError(source, f"missing column(s) {', '.join(missing)}", row=1,
                         expected="columns record_id_1, record_id_2, verdict")
    frame = verdicts[list(COLUMNS)].copy()
    frame["row"] = range(2, len(frame) + 2)  # spreadsheet row (header is row 1)
    for column in COLUMNS:
        frame[column] = frame[column].fillna("").astype(str).str.strip()
    frame["verdict"] = frame["verdict"].str.lower()
    frame = frame[frame["verdict"] != ""]
    bad = frame[~frame["verdict"].isin(VERDICTS)]
    if len(bad):
        first = bad.iloc[0]
        raise InputError(source, f"verdict '{first['verdict']}' is not allowed "
                         f"({len(bad)} row(s): {', '.join(map(str, bad['row'].head(10)))})",
                         row=int(first["row"]), field="verdict", expected="same or different")
    known = set(known_ids)
    unknown = sorted({rid for rid in pd.concat([frame["record_id_1"], frame["record_id_2"]])
                      if rid not in known})
    if unknown:
        rows = frame[~frame["record_id_1"].isin(known) | ~frame["record_id_2"].isin(known)]["row"]
        shown = ", ".join(unknown[:20]) + (f" and {len(unknown) - 20} more" if len(unknown) > 20 else "")
        raise InputError(source, f"{len(unknown)} record id(s) not among the records: {shown} "
                         f"(rows {', '.join(map(str, rows.head(20)))})",
                         expected="record ids of the current records table")
    selfpairs = frame[frame["record_id_1"] == frame["record_id_2"]]
    if len(selfpairs):
        raise InputError(source, f"a record paired with itself ({selfpairs.iloc[0]['record_id_1']})",
                         row=int(selfpairs.iloc[0]["row"]), expected="two different record ids")
    lo = frame[["record_id_1", "record_id_2"]].min(axis=1)
    hi = frame[["record_id_1", "record_id_2"]].max(axis=1)
    frame = frame.assign(record_id_1=lo, record_id_2=hi)
    counts = frame.groupby(["record_id_1", "record_id_2"])["verdict"].nunique()
    contradictory = counts[counts > 1]
    if len(contradictory):
        listed = "; ".join(f"{a} / {b}" for a, b in contradictory.index[:10])
        raise InputError(source, f"{len(contradictory)} pair(s) given both 'same' and 'different': {listed}",
                         expected="one verdict per pair")
    return frame.drop_duplicates(["record_id_1", "record_id_2"])[list(COLUMNS)].reset_index(drop=True)

"""The numbers a reviewer reports: records in, duplicates removed, overlap of databases, cluster sizes."""

from __future__ import annotations

import pandas as pd


def summarise(records: pd.DataFrame, links: pd.DataFrame, uncertain: pd.DataFrame,
              extra: dict | None = None) -> dict:
    """Summary of a deduplication as plain numbers and small tables.

    - ``records_in``, ``clusters``, ``duplicates_removed`` (records in minus clusters),
      ``uncertain_pairs`` (left to a person);
    - ``by_database``: per database, its records, how many were duplicates of a record from an
      earlier search or another database (not their cluster's anchor), and how many of its
      clusters no other database found;
    - ``database_pairs``: per pair of databases, how many pairs of their records were linked
      (a database with itself: duplicates inside one export);
    - ``cluster_sizes``: how many clusters have 1, 2, 3, ... records.
    """
    extra = extra or {}
    n = len(records)
    frame = pd.DataFrame({"record_id": records["record_id"].to_numpy(),
                          "database": records["database"].astype(str).to_numpy(),
                          "cluster_id": links["cluster_id"].to_numpy()})
    anchor = frame["cluster_id"].str.slice(2) == frame["record_id"]
    per_db = frame.groupby("database").agg(records=("record_id", "size"))
    per_db["duplicates"] = frame[~anchor].groupby("database").size().reindex(per_db.index, fill_value=0)
    dbs_per_cluster = frame.groupby("cluster_id")["database"].nunique()
    only = frame[frame["cluster_id"].map(dbs_per_cluster) == 1].drop_duplicates("cluster_id")
    per_db["clusters_only_here"] = only.groupby("database").size().reindex(per_db.index, fill_value=0)
    by_database = per_db.reset_index()
    # Linked record pairs per pair of databases, from counts per cluster (no quadratic loop).
    counts = frame.groupby(["cluster_id", "database"]).size().rename("k").reset_index()
    counts = counts[counts["cluster_id"].map(frame["cluster_id"].value_counts()) > 1]
    pairs = []
    if len(counts):
        merged = counts.merge(counts, on="cluster_id", suffixes=("_1", "_2"))
        merged = merged[merged["database_1"] <= merged["database_2"]]
        same_db = merged["database_1"] == merged["database_2"]
        merged["pairs"] = (merged["k_1"] * merged["k_2"]).where(~same_db, merged["k_1"] * (merged["k_1"] - 1) // 2)
        pairs = merged[merged["pairs"] > 0].groupby(["database_1", "database_2"])["pairs"].sum().reset_index()
    database_pairs = (pairs if len(pairs) else
                      pd.DataFrame(columns=["database_1", "database_2", "pairs"]))
    sizes = frame["cluster_id"].value_counts().value_counts().sort_index()
    cluster_sizes = pd.DataFrame({"size": sizes.index.astype(int), "clusters": sizes.to_numpy()})
    clusters = int(frame["cluster_id"].nunique())
    out = {
        "records_in": n,
        "clusters": clusters,
        "duplicates_removed": n - clusters,
        "uncertain_pairs": int(len(uncertain)),
        "by_database": by_database,
        "database_pairs": database_pairs,
        "cluster_sizes": cluster_sizes,
    }
    out.update(extra)
    return out


def summary_table(summary: dict) -> pd.DataFrame:
    """The summary as one long table (section, key, value) that fits a CSV file."""
    rows = []
    for key, value in summary.items():
        if isinstance(value, pd.DataFrame):
            for record in value.to_dict("records"):
                items = list(record.items())
                label = " / ".join(str(v) for _, v in items[:-1]) if len(items) > 1 else ""
                if key == "by_database":
                    for col, val in items[1:]:
                        rows.append((key, f"{items[0][1]} / {col}", val))
                    continue
                rows.append((key, label, items[-1][1]))
        elif isinstance(value, (list, tuple)):
            rows.append((key, "", "; ".join(map(str, value))))
        elif isinstance(value, dict):
            for sub, val in value.items():
                rows.append((key, str(sub), val))
        else:
            rows.append(("totals", key, value))
    return pd.DataFrame(rows, columns=["section", "key", "value"])

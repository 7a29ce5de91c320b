#!/usr/bin/env python
"""Benchmark evsynth's deduplication against bib-dedupe on labelled exports, and its scaling.

    python scripts/bench_dedup.py                       # all benchmarks, both tools
    python scripts/bench_dedup.py --datasets respiratory --tools evsynth
    python scripts/bench_dedup.py --scaling 10000,100000,1000000 --tools evsynth

The labelled benchmarks live in ../shared/benchmarks/dedup/<name>/ (records_pre_merged.csv with an
``ID`` column, merged_record_ids.csv with duplicate groups joined by ';'). Each tool runs in its own
subprocess so that its peak memory (RSS) is measured on its own; seconds are the wall time of the
deduplication call, after the CSV has been read. Accuracy is pairwise: a pair of records is a true
pair when the gold groups put them together, and a tool's pairs are all pairs inside its clusters.
bib-dedupe (``pip install -e .[bench]``) runs prep, block, match and cluster as its documentation
shows; its 'maybe' pairs count as left to a person.

The scaling runs use a simple noisy-duplicate generator (below): unique synthetic records, a third
to a half of them exported again by other databases with the usual noise (author initials, title
case and punctuation, a typo, journal abbreviated, missing fields, DOI as URL).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT.parent / "shared" / "benchmarks" / "dedup"
sys.path.insert(0, str(ROOT))


# --- loading the benchmarks -------------------------------------------------------------------

def load_benchmark_records(folder: Path) -> pd.DataFrame:
    """A benchmark's records_pre_merged.csv as a records table (see evsynth.records)."""
    from evsynth.records import normalise_doi, parse_year

    raw = pd.read_csv(folder / "records_pre_merged.csv", dtype=str, keep_default_na=False)

    def col(name: str) -> pd.Series:
        return raw[name] if name in raw.columns else pd.Series([""] * len(raw))

    journal = col("journal").where(col("journal") != "", col("booktitle"))
    records = pd.DataFrame({
        "record_id": raw["ID"],
        "database": folder.name,
        "search_date": "1970-01-01",
        "source_file": "records_pre_merged.csv",
        "position": np.arange(1, len(raw) + 1),
        "source_id": raw["ID"],
        "title": col("title"),
        "abstract": col("abstract"),
        "authors": [[a.strip() for a in s.split(" and ") if a.strip()] if s else [] for s in col("author")],
        "year": pd.array([parse_year(y) for y in col("year")], dtype="Int64"),
        "journal": journal,
        "journal_abbrev": "",
        "volume": col("volume"),
        "issue": col("number"),
        "pages": col("pages"),
        "doi": [normalise_doi(d) for d in col("doi")],
        "pmid": "",
        "wos_ut": "",
        "scopus_eid": "",
        "issn": "",
        "isbn": col("isbn"),
        "language": "",
        "publication_type": col("ENTRYTYPE"),
        "keywords": [[] for _ in range(len(raw))],
        "url": "",
    })
    return records.replace({"": None})


def load_gold_groups(folder: Path) -> list[list[str]]:
    gold = pd.read_csv(folder / "merged_record_ids.csv", dtype=str)
    column = "merged_ids" if "merged_ids" in gold.columns else gold.columns[0]
    return [g.split(";") for g in gold[column].dropna()]


def pairs_of(groups) -> set[tuple[str, str]]:
    out = set()
    for group in groups:
        for a, b in itertools.combinations(sorted(set(group)), 2):
            out.add((a, b))
    return out


def pair_counts(labels_true: np.ndarray, labels_found: np.ndarray) -> tuple[int, int, int]:
    """(true, false, missed) pairs between two clusterings of the same records, without listing pairs."""
    frame = pd.DataFrame({"t": labels_true, "f": labels_found})

    def pairs(sizes: pd.Series) -> int:
        sizes = sizes.to_numpy(dtype=np.int64)
        return int((sizes * (sizes - 1) // 2).sum())

    gold = pairs(frame.groupby("t").size())
    found = pairs(frame.groupby("f").size())
    true = pairs(frame.groupby(["t", "f"]).size())
    return true, found - true, gold - true


def gold_labels(ids: list[str], groups: list[list[str]]) -> np.ndarray:
    label = {rid: rid for rid in ids}
    for group in groups:
        for rid in group:
            label[rid] = group[0]
    return np.array([label[rid] for rid in ids], dtype=object)


# --- a simple generator of noisy duplicates, for the scaling runs ------------------------------

_SYLLABLES = ["ka", "lo", "mi", "ne", "ra", "to", "vi", "sa", "de", "po", "lu", "te", "ri", "mo", "na",
              "ba", "ce", "di", "fo", "gu", "he", "ji", "ko", "le", "ma", "no", "pe", "qu", "ru", "si",
              "ta", "un", "ve", "wa", "xe", "yo", "ze", "an", "el", "is", "or", "ul", "ar", "en", "in"]
_FUNCTION = ["of", "in", "and", "the", "for", "with", "on", "a", "among", "after", "versus"]
_TYPES = ["randomised trial", "cohort study", "systematic review", "qualitative study",
          "case series", "cross-sectional survey", "pilot study", "meta-analysis"]


def _word(rng: random.Random, lo: int = 2, hi: int = 4) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(lo, hi)))


def _abbreviate_journal(name: str) -> str:
    skip = {"of", "and", "the", "for", "in"}
    return " ".join(w[:4].capitalize() if len(w) > 5 else w.capitalize()
                    for w in name.split() if w.lower() not in skip)


def generate_records(n: int, seed: int = 1, databases: int = 6) -> tuple[pd.DataFrame, np.ndarray]:
    """About `n` records: works exported by 1-4 of `databases` databases, with the usual noise.

    Returns the records table and the true work of each record. A few works are traps that are
    *not* duplicates: an update of a review (same title and authors, a later year, another DOI) and
    a numbered second part.
    """
    rng = random.Random(seed)
    vocabulary = [_word(rng) for _ in range(20000)]
    surnames = [_word(rng, 2, 3).capitalize() for _ in range(30000)]
    given = [_word(rng, 2, 3).capitalize() for _ in range(3000)]
    journals = [" ".join(["Journal", "of"] + [_word(rng, 2, 4).capitalize() for _ in range(rng.randint(1, 3))])
                for _ in range(3000)]
    db_names = [f"db{d}" for d in range(databases)]
    columns: dict[str, list] = {name: [] for name in (
        "database", "title", "abstract", "authors", "year", "journal", "volume", "issue", "pages", "doi")}
    truth: list[str] = []
    work = 0
    while len(truth) < n:
        work += 1
        words = [rng.choice(vocabulary) for _ in range(rng.randint(5, 12))]
        for k in range(1, len(words) - 1, 3):
            words[k] = rng.choice(_FUNCTION)
        title = " ".join(words).capitalize() + ": a " + rng.choice(_TYPES)
        authors = [(rng.choice(surnames), rng.choice(given), rng.choice(given)) for _ in range(rng.randint(1, 8))]
        year = rng.randint(1990, 2024)
        journal = rng.choice(journals)
        volume = str(rng.randint(1, 120))
        issue = str(rng.randint(1, 12))
        first = rng.randint(1, 2000)
        pages = f"{first}-{first + rng.randint(2, 20)}"
        doi = f"10.{rng.randint(1000, 9999)}/{_word(rng)}.{year}.{work}" if rng.random() < 0.8 else ""
        abstract = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(60, 150)))
        works = [(f"w{work}", title, authors, year, journal, volume, issue, pages, doi)]
        trap = rng.random()
        if trap < 0.01:  # an updated review: same title and authors, three years later, new DOI
            works.append((f"w{work}u", title, authors, year + 3, journal, str(int(volume) + 3), issue,
                          f"{first + 7}-{first + 30}", doi + ".pub2" if doi else ""))
        elif trap < 0.02:  # a second part
            works.append((f"w{work}p", title + " Part 2", authors, year, journal, volume, issue,
                          f"{first + 40}-{first + 55}", doi + "x" if doi else ""))
        for wid, title_w, authors_w, year_w, journal_w, volume_w, issue_w, pages_w, doi_w in works:
            copies = rng.choices([1, 2, 3, 4], weights=[55, 25, 14, 6])[0]
            for db in rng.sample(db_names, copies):
                t = title_w
                if rng.random() < 0.3:
                    t = t.upper() if rng.random() < 0.2 else t.title()
                if rng.random() < 0.2:
                    t = t.replace(": ", " - ").rstrip(".") + "."
                if rng.random() < 0.05:  # one typo
                    pos = rng.randrange(len(t) - 1)
                    t = t[:pos] + t[pos + 1] + t[pos] + t[pos + 2:]
                initials = rng.random() < 0.5
                names = [f"{s}, {g[0]}.{h[0]}." if initials else f"{s}, {g} {h}" for s, g, h in authors_w]
                if len(names) > 3 and rng.random() < 0.1:
                    names = names[:3]
                d = doi_w
                if d and rng.random() < 0.1:
                    d = "https://doi.org/" + d.upper()
                if rng.random() < 0.15:
                    d = ""
                columns["database"].append(db)
                columns["title"].append(t)
                columns["abstract"].append(abstract if rng.random() < 0.6 else None)
                columns["authors"].append(names)
                columns["year"].append(year_w + 1 if rng.random() < 0.03 else year_w)
                columns["journal"].append(_abbreviate_journal(journal_w) if rng.random() < 0.3 else journal_w)
                columns["volume"].append(volume_w if rng.random() < 0.95 else None)
                columns["issue"].append(issue_w if rng.random() < 0.8 else None)
                columns["pages"].append(pages_w if rng.random() < 0.9 else None)
                columns["doi"].append(d or None)
                truth.append(wid)
    # Exports arrive database by database, each in its own order.
    order = sorted(range(n), key=lambda k: (columns["database"][k], rng.random()))
    records = pd.DataFrame({name: [values[k] for k in order] for name, values in columns.items()})
    del columns
    records.insert(0, "record_id", [f"{db}-{k:08d}" for k, db in enumerate(records["database"])])
    records.insert(2, "search_date", "2024-01-01")
    records.insert(3, "source_file", records["database"] + ".ris")
    records.insert(4, "position", np.arange(1, n + 1))
    records.insert(5, "source_id", [str(k) for k in range(n)])
    for name in ("journal_abbrev", "pmid", "wos_ut", "scopus_eid", "issn", "isbn", "language", "url"):
        records[name] = None
    records["publication_type"] = "Journal Article"
    records["keywords"] = [[] for _ in range(n)]
    records["year"] = records["year"].astype("Int64")
    return records, np.array([truth[k] for k in order], dtype=object)


# --- workers (one per tool and data set, each in its own process) ------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _worker(tool: str, dataset: str, out: str, seed: int) -> None:
    if dataset.startswith("synthetic:"):
        records, truth = generate_records(int(dataset.split(":")[1]), seed=seed)
        ids = records["record_id"].tolist()
    else:
        folder = BENCHMARKS / dataset
        records = load_benchmark_records(folder)
        ids = records["record_id"].tolist()
        truth = gold_labels(ids, load_gold_groups(folder))
    if tool == "evsynth":
        from evsynth.dedup import deduplicate

        start = time.perf_counter()
        result = deduplicate(records, progress=True)
        seconds = time.perf_counter() - start
        label = dict(zip(result.links["record_id"], result.links["cluster_id"]))
        found = np.array([label[r] for r in ids], dtype=object)
        uncertain = len(result.uncertain)
    elif tool == "bib-dedupe":
        from bib_dedupe.bib_dedupe import block, cluster, match, prep

        frame = _bib_dedupe_frame(records, dataset)
        start = time.perf_counter()
        prepared = prep(frame, verbosity_level=0, cpu=2)
        blocked = block(prepared, verbosity_level=0, cpu=2)
        matched = match(blocked, verbosity_level=0, cpu=2)
        groups = cluster(matched, verbosity_level=0)
        seconds = time.perf_counter() - start
        label = {rid: rid for rid in ids}
        for group in groups:
            for rid in group:
                label[rid] = group[0]
        found = np.array([label[r] for r in ids], dtype=object)
        uncertain = int((matched["duplicate_label"] == "maybe").sum()) if len(matched) else 0
    else:
        raise SystemExit(f"unknown tool {tool}")
    true, false, missed = pair_counts(truth, found)
    Path(out).write_text(json.dumps({"records": len(ids), "true": true, "false": false, "missed": missed,
                                     "uncertain": uncertain, "seconds": seconds, "peak_mb": _peak_mb()}))


def _bib_dedupe_frame(records: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """bib-dedupe's input: the benchmark CSV as published, or the synthetic records in its fields."""
    if not dataset.startswith("synthetic:"):
        return pd.read_csv(BENCHMARKS / dataset / "records_pre_merged.csv", dtype=str, keep_default_na=False)
    return pd.DataFrame({
        "ID": records["record_id"], "ENTRYTYPE": "article", "title": records["title"].fillna(""),
        "author": [" and ".join(a) for a in records["authors"]], "year": records["year"].astype(str),
        "journal": records["journal"].fillna(""), "volume": records["volume"].fillna(""),
        "number": records["issue"].fillna(""), "pages": records["pages"].fillna(""),
        "doi": records["doi"].fillna(""), "abstract": records["abstract"].fillna(""),
    })


def run_one(tool: str, dataset: str, seed: int, timeout: float) -> dict:
    """Run one tool on one data set in a fresh process; its stderr (progress lines) passes through."""
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench_dedup_{os.getpid()}_{tool}_{dataset.replace(':', '_')}.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", tool, "--dataset", dataset,
               "--out", str(out), "--seed", str(seed)]
    try:
        done = subprocess.run(command, timeout=timeout, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    if done.returncode != 0 or not out.exists():
        return {"error": (done.stderr or "failed").strip().splitlines()[-1]}
    result = json.loads(out.read_text())
    out.unlink()
    result["log"] = [line for line in done.stderr.splitlines() if line.startswith("dedup:")]
    return result


def _row(dataset: str, tool: str, r: dict) -> dict:
    if "error" in r:
        return {"dataset": dataset, "tool": tool, "error": r["error"]}
    found = r["true"] + r["false"]
    gold = r["true"] + r["missed"]
    return {"dataset": dataset, "tool": tool, "records": r["records"], "true": r["true"], "false": r["false"],
            "missed": r["missed"], "sensitivity": round(r["true"] / gold, 4) if gold else float("nan"),
            "precision": round(r["true"] / found, 4) if found else float("nan"), "uncertain": r["uncertain"],
            "seconds": round(r["seconds"], 2), "peak_MB": round(r["peak_mb"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default="special_cases,respiratory,digital_work",
                        help="benchmark folders to run ('' for none)")
    parser.add_argument("--tools", default="evsynth,bib-dedupe")
    parser.add_argument("--scaling", default="", help="synthetic sizes, e.g. 10000,100000,1000000")
    parser.add_argument("--scaling-tools", default="evsynth", help="tools for the scaling runs")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--verbose", action="store_true", help="show evsynth's progress lines")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--dataset", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.dataset, args.out, args.seed)
        return 0
    pd.set_option("display.width", 200)
    pd.set_option("display.max_columns", 20)
    tools = [t for t in args.tools.split(",") if t]
    rows = []
    for dataset in [d for d in args.datasets.split(",") if d]:
        for tool in tools:
            result = run_one(tool, dataset, args.seed, args.timeout)
            if args.verbose:
                for line in result.get("log", []):
                    print("   ", line, file=sys.stderr)
            rows.append(_row(dataset, tool, result))
            print(f"{dataset} / {tool}: done", file=sys.stderr, flush=True)
    if rows:
        table = pd.DataFrame(rows)
        print("\nBenchmarks (pairwise; uncertain = pairs left to a person; seconds = the dedup call)")
        print(table.to_string(index=False))
        speed = table.pivot_table(index="dataset", columns="tool", values="seconds") if "seconds" in table else None
        if speed is not None and {"evsynth", "bib-dedupe"} <= set(speed.columns):
            print("\nbib-dedupe seconds / evsynth seconds:")
            print((speed["bib-dedupe"] / speed["evsynth"]).round(1).to_string())
    sizes = [int(x) for x in args.scaling.split(",") if x]
    if sizes:
        scaling = []
        for size in sizes:
            for tool in [t for t in args.scaling_tools.split(",") if t]:
                result = run_one(tool, f"synthetic:{size}", args.seed, args.timeout)
                for line in result.get("log", []):
                    print("   ", line, file=sys.stderr)
                row = _row(f"synthetic {size}", tool, result)
                if "seconds" in row:
                    row["us_per_record"] = round(1e6 * row["seconds"] / size)
                scaling.append(row)
                print(f"synthetic {size} / {tool}: done", file=sys.stderr, flush=True)
        print("\nScaling (synthetic noisy duplicates; peak_MB = peak RSS of the whole process)")
        print(pd.DataFrame(scaling).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

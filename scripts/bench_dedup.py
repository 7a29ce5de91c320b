#!/usr/bin/env python
"""Benchmark evsynth's deduplication against bib-dedupe on labelled exports, and its scaling.

    python scripts/bench_dedup.py                       # every shared set, both tools
    python scripts/bench_dedup.py --datasets stroke --tools evsynth
    python scripts/bench_dedup.py --datasets '' --scaling 10000,100000,1000000

The labelled sets live in ../shared/benchmarks/dedup/<name>/ (records_pre_merged.csv with an ``ID``
column, merged_record_ids.csv with duplicate groups joined by ';').

evsynth runs as a user runs it: ``evsynth dedup records_pre_merged.csv --out DIR``, so the CSV is
read by the same reader as any export, and the clusters come from DIR/clusters.csv (``source_id`` is
the file's ``ID``). Then a simulated person decides every pair in DIR/uncertain_pairs.csv from the
gold labels (``same`` when the gold groups put the two records together, else ``different``) and the
command runs again with ``--verdicts``: the sensitivity "with person" is that second run's.

bib-dedupe 0.11.0 (``pip install -e .[bench]``) has no command for deduplicating, so it runs as the
short script its documentation shows (read the CSV with pandas, then prep, block, match, cluster on
2 cores; its 'maybe' pairs, as its match step labels them, count as left to a person, and its merge
step is not timed).

Seconds are the wall time of the whole process, start-up included, the median of ``--runs`` runs
(the machine is shared: treat them as rough). Accuracy is pairwise: a true pair is two records the
gold groups put together, and a tool's pairs are all pairs inside its clusters.

Nothing in evsynth's deduplication is learned from data (its rules are written by hand, the person
queue is ordered by the hand-weighted evidence score), so there are no leave-one-set-out figures to
report; a learned component would have to add them here.

The scaling runs time the whole ``evsynth dedup db0.ris ... db5.ris --out DIR`` command (start-up,
reading the exports and writing the outputs included) on records from a simple noisy-duplicate
generator (below), written as one RIS export per database: unique synthetic records, a third to a
half of them exported again by other databases with the usual noise (author initials, title case
and punctuation, a typo, journal abbreviated, missing fields, DOI as URL). Wall seconds, CPU
seconds (user + sys) and peak RSS come from the rusage of that one process (``os.wait4``);
``--inputs DIR`` keeps the generated exports for the next run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT.parent / "shared" / "benchmarks" / "dedup"
DATASETS = ("respiratory", "digital_work", "special_cases", "stroke", "cytology_screening")
RECORDS_FILE = "records_pre_merged.csv"


# --- gold labels and pair counts ----------------------------------------------------------------

def load_gold_groups(folder: Path) -> list[list[str]]:
    gold = pd.read_csv(folder / "merged_record_ids.csv", dtype=str)
    column = "merged_ids" if "merged_ids" in gold.columns else gold.columns[0]
    return [g.split(";") for g in gold[column].dropna()]


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


# --- evsynth through its command line -------------------------------------------------------------

def evsynth_command() -> list[str]:
    """The ``evsynth`` a user would run: the script installed beside this Python."""
    script = Path(sys.executable).with_name("evsynth")
    return [str(script)] if script.exists() else [sys.executable, "-m", "evsynth"]


def run_evsynth(csv: Path, out: Path, verdicts: Path | None = None) -> float:
    """Wall seconds of ``evsynth dedup CSV --out OUT [--verdicts F]``; raises if it fails."""
    command = evsynth_command() + ["dedup", str(csv), "--out", str(out), "--quiet"]
    if verdicts is not None:
        command += ["--verdicts", str(verdicts)]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.strip()}")
    return seconds


def read_cli_clusters(out: Path) -> tuple[dict[str, str], dict[str, str], pd.DataFrame]:
    """source_id -> cluster_id, record_id -> source_id, and the uncertain pairs of an output folder."""
    clusters = pd.read_csv(out / "clusters.csv", dtype=str, keep_default_na=False)
    uncertain = pd.read_csv(out / "uncertain_pairs.csv", dtype=str, keep_default_na=False)
    return (dict(zip(clusters["source_id"], clusters["cluster_id"])),
            dict(zip(clusters["record_id"], clusters["source_id"])), uncertain)


def person_verdicts(uncertain: pd.DataFrame, source_of: dict[str, str], gold: dict[str, str]) -> pd.DataFrame:
    """What a person who knows the gold labels answers for each pair left to them."""
    same = [gold[source_of[a]] == gold[source_of[b]]
            for a, b in zip(uncertain["record_id_1"], uncertain["record_id_2"])]
    return pd.DataFrame({"record_id_1": uncertain["record_id_1"], "record_id_2": uncertain["record_id_2"],
                         "verdict": ["same" if s else "different" for s in same], "decided_by": "gold"})


def bench_evsynth(folder: Path, runs: int) -> dict:
    csv = folder / RECORDS_FILE
    ids = pd.read_csv(csv, dtype=str, usecols=["ID"])["ID"].tolist()
    truth = gold_labels(ids, load_gold_groups(folder))
    gold = dict(zip(ids, truth))
    work = Path(tempfile.mkdtemp(prefix="bench_dedup_"))
    try:
        seconds = [run_evsynth(csv, work / "auto") for _ in range(runs)]
        cluster_of, source_of, uncertain = read_cli_clusters(work / "auto")
        true, false, missed = pair_counts(truth, np.array([cluster_of[i] for i in ids], dtype=object))
        verdicts = person_verdicts(uncertain, source_of, gold)
        verdicts.to_csv(work / "verdicts.csv", index=False)
        run_evsynth(csv, work / "person", work / "verdicts.csv")
        after_of, _, left = read_cli_clusters(work / "person")
        true_p, false_p, missed_p = pair_counts(truth, np.array([after_of[i] for i in ids], dtype=object))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"records": len(ids), "true": true, "false": false, "missed": missed, "uncertain": len(uncertain),
            "uncertain_same": int(verdicts["verdict"].eq("same").sum()),
            "true_person": true_p, "false_person": false_p, "missed_person": missed_p,
            "left_after_person": len(left), "seconds": statistics.median(seconds)}


# --- bib-dedupe as its documentation shows ---------------------------------------------------------

def _bib_dedupe_worker(csv: str, out: str) -> None:
    from bib_dedupe.bib_dedupe import block, cluster, match, prep

    records = pd.read_csv(csv, dtype=str, keep_default_na=False)
    matched = match(block(prep(records, verbosity_level=0, cpu=2), verbosity_level=0, cpu=2),
                    verbosity_level=0, cpu=2)
    groups = cluster(matched, verbosity_level=0)
    maybe = int((matched["duplicate_label"] == "maybe").sum()) if len(matched) else 0
    Path(out).write_text(json.dumps({"groups": [list(g) for g in groups], "maybe": maybe}))


def bench_bib_dedupe(folder: Path, runs: int) -> dict:
    csv = folder / RECORDS_FILE
    ids = pd.read_csv(csv, dtype=str, usecols=["ID"])["ID"].tolist()
    truth = gold_labels(ids, load_gold_groups(folder))
    out = Path(tempfile.mkdtemp(prefix="bench_bib_dedupe_")) / "groups.json"
    seconds = []
    try:
        for _ in range(runs):
            start = time.perf_counter()
            done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--bib-dedupe-worker", str(csv),
                                   "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            seconds.append(time.perf_counter() - start)
            if done.returncode != 0:
                return {"error": (done.stderr or "failed").strip().splitlines()[-1]}
        result = json.loads(out.read_text())
    finally:
        shutil.rmtree(out.parent, ignore_errors=True)
    label = {rid: rid for rid in ids}
    for group in result["groups"]:
        for rid in group:
            label[rid] = group[0]
    true, false, missed = pair_counts(truth, np.array([label[i] for i in ids], dtype=object))
    return {"records": len(ids), "true": true, "false": false, "missed": missed, "uncertain": result["maybe"],
            "seconds": statistics.median(seconds)}


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
    databases = columns["database"]
    order = sorted(range(n), key=lambda k: (databases[k], rng.random()))
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


# --- scaling: the whole evsynth dedup command on generated exports -------------------------------

def write_scaling_inputs(size: int, seed: int, folder: Path) -> tuple[list[Path], Path]:
    """The generated records as one RIS export per database, and the true work of each record
    (truth.csv: database file, source_id, work). Reused when the folder already holds them."""
    truth_file = folder / "truth.csv"
    if truth_file.is_file():
        return sorted(folder.glob("db*.ris")), truth_file
    from evsynth.writers import write_records

    folder.mkdir(parents=True, exist_ok=True)
    records, truth = generate_records(size, seed=seed)
    records["work"] = truth
    files = []
    for database, part in records.groupby("database", sort=True):
        path = folder / f"{database}.ris"
        write_records(part, path)
        files.append(path)
    records[["source_file", "source_id", "work"]].assign(
        source_file=records["database"] + ".ris").to_csv(truth_file, index=False)
    return files, truth_file


def time_dedup_command(files: list[Path], out: Path) -> dict:
    """Wall seconds, CPU seconds (user + sys) and peak RSS (MB) of ``evsynth dedup FILES --out OUT``,
    start-up and reading the exports included, from the rusage of that one child process."""
    command = evsynth_command() + ["dedup", *map(str, files), "--out", str(out)]
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        return {"error": (stderr or "failed").strip().splitlines()[-1]}
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024.0,
            "log": [line for line in stderr.splitlines() if line.startswith("dedup:")]}


def run_scaling(size: int, seed: int, inputs: Path | None) -> dict:
    folder = (inputs / f"synthetic_{size}_seed{seed}") if inputs else Path(tempfile.mkdtemp(prefix="bench_scaling_"))
    out = Path(tempfile.mkdtemp(prefix="bench_scaling_out_"))
    try:
        files, truth_file = write_scaling_inputs(size, seed, folder)
        result = time_dedup_command(files, out)
        if "error" in result:
            return result
        truth = pd.read_csv(truth_file, dtype=str)
        clusters = pd.read_csv(out / "clusters.csv", dtype=str, usecols=["source_file", "source_id", "cluster_id"])
        clusters["source_file"] = clusters["source_file"].map(lambda f: Path(f).name)
        both = truth.merge(clusters, on=["source_file", "source_id"], how="left", validate="one_to_one")
        if both["cluster_id"].isna().any():
            return {"error": f"{int(both['cluster_id'].isna().sum())} generated records missing from clusters.csv"}
        true, false, missed = pair_counts(both["work"].to_numpy(dtype=object), both["cluster_id"].to_numpy(dtype=object))
        uncertain = sum(1 for _ in open(out / "uncertain_pairs.csv", encoding="utf-8")) - 1
        result.update({"records": len(truth), "true": true, "false": false, "missed": missed, "uncertain": uncertain})
        return result
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if inputs is None:
            shutil.rmtree(folder, ignore_errors=True)


# --- the tables ------------------------------------------------------------------------------------

def _sensitivity(true: int, missed: int) -> float:
    return round(true / (true + missed), 4) if true + missed else float("nan")


def _row(dataset: str, tool: str, r: dict) -> dict:
    if "error" in r:
        return {"dataset": dataset, "tool": tool, "error": r["error"]}
    row = {"dataset": dataset, "tool": tool, "records": r["records"], "gold_pairs": r["true"] + r["missed"],
           "true": r["true"], "false": r["false"], "missed": r["missed"],
           "sensitivity": _sensitivity(r["true"], r["missed"]), "to_person": r["uncertain"],
           "queue_pct": round(100 * r["uncertain"] / r["records"], 2) if r["records"] else 0.0}
    if "true_person" in r:
        row.update({"queue_same": r["uncertain_same"], "false_with_person": r["false_person"],
                    "missed_with_person": r["missed_person"],
                    "sensitivity_with_person": _sensitivity(r["true_person"], r["missed_person"]),
                    "left_after_person": r["left_after_person"]})
    row["seconds"] = round(r["seconds"], 2)
    if "cpu_seconds" in r:
        row["cpu_seconds"] = round(r["cpu_seconds"], 1)
    if "peak_mb" in r:
        row["peak_MB"] = round(r["peak_mb"])
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", default=",".join(DATASETS), help="benchmark folders to run ('' for none)")
    parser.add_argument("--tools", default="evsynth,bib-dedupe")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each command (the median is shown)")
    parser.add_argument("--scaling", default="", help="synthetic sizes, e.g. 10000,100000,1000000")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--inputs", help="folder keeping the generated exports of the scaling runs between runs")
    parser.add_argument("--bib-dedupe-worker", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.bib_dedupe_worker:
        _bib_dedupe_worker(args.bib_dedupe_worker, args.out)
        return 0
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    tools = [t for t in args.tools.split(",") if t]
    rows = []
    for dataset in [d for d in args.datasets.split(",") if d]:
        folder = BENCHMARKS / dataset
        if not (folder / RECORDS_FILE).is_file():
            raise SystemExit(f"{folder / RECORDS_FILE} is missing: the shared benchmarks must sit beside the repository")
        for tool in tools:
            if tool == "evsynth":
                result = bench_evsynth(folder, args.runs)
            elif tool == "bib-dedupe":
                result = bench_bib_dedupe(folder, args.runs)
            else:
                raise SystemExit(f"unknown tool {tool}")
            rows.append(_row(dataset, tool, result))
            print(f"{dataset} / {tool}: done", file=sys.stderr, flush=True)
    if rows:
        table = pd.DataFrame(rows)
        for column in ("queue_same", "false_with_person", "missed_with_person", "left_after_person"):
            if column in table:
                table[column] = table[column].astype("Int64")
        print("\nBenchmarks (pairwise; to_person = pairs left to a person, queue_pct = as % of records;"
              " *_with_person = after a simulated person decided them from the gold labels;"
              f" seconds = whole command, median of {args.runs})")
        print(table.to_string(index=False))
        if "seconds" in table and {"evsynth", "bib-dedupe"} <= set(table["tool"]):
            speed = table.pivot_table(index="dataset", columns="tool", values="seconds")
            if {"evsynth", "bib-dedupe"} <= set(speed.columns):
                print("\nbib-dedupe seconds / evsynth seconds (whole commands):")
                print((speed["bib-dedupe"] / speed["evsynth"]).round(1).to_string())
            else:  # a tool that failed on every set has no seconds: its error column says why
                print("\nno speed ratio: a tool ran on no set (see the error column; bib-dedupe installs with"
                      " `pip install -e .[bench]`)")
        print("\nLeave-one-set-out: nothing in evsynth's deduplication is learned or tuned from data.")
    sizes = [int(x) for x in args.scaling.split(",") if x]
    if sizes:
        scaling = []
        for size in sizes:
            result = run_scaling(size, args.seed, Path(args.inputs) if args.inputs else None)
            for line in result.get("log", []):
                print("   ", line, file=sys.stderr)
            row = _row(f"synthetic {size}", "evsynth", result)
            if "seconds" in row:
                row["us_per_record"] = round(1e6 * row["seconds"] / size)
            scaling.append(row)
            print(f"synthetic {size}: done", file=sys.stderr, flush=True)
        print("\nScaling (the whole evsynth dedup command on generated RIS exports, one per database: seconds ="
              " wall, cpu_seconds = user + sys, peak_MB = peak RSS of the command's process)")
        print(pd.DataFrame(scaling).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

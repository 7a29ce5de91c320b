"""Ingest speed: records per second for each export format on ~100,000 records.

The records are the example review's own exports, repeated until each file holds N records, so
every format is measured on text laid out as its database writes it. XLSX is made from the
Scopus CSV. Prints one line per format and the total; run with `--records 100000`.

    .venv/bin/python scripts/bench_ingest.py [--records 100000]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evsynth.ingest import read_searches  # noqa: E402

SEARCHES = ROOT / "data" / "raw" / "searches"
# (format, example file, how a record ends)
TAGGED = [
    ("ris", "embase_ovid.ris", re.compile(r"(?m)^ER  -.*\n")),
    ("medline", "medline_pubmed.nbib", re.compile(r"\n\n")),
    ("wos", "wos_savedrecs.txt", re.compile(r"(?m)^ER\s*\n")),
    ("bibtex", "proquest.bib", re.compile(r"(?m)^}\s*\n")),
]


def repeat_tagged(text: str, ends: re.Pattern, n: int) -> tuple[str, str, str]:
    """(head, body repeated to n records, tail) of a tagged export."""
    cuts = [m.end() for m in ends.finditer(text)]
    first = text.find("PMID-") if "PMID-" in text[:200] else 0
    head, records, tail = text[:first], [], text[cuts[-1]:]
    start = first
    for cut in cuts:
        records.append(text[start:cut])
        start = cut
    records = [r for r in records if r.strip() and not r.lstrip().startswith("@comment")]
    body = "".join(records[i % len(records)] for i in range(n))
    return head, body, tail


def make_files(out: Path, n: int) -> dict[str, Path]:
    files = {}
    for fmt, name, ends in TAGGED:
        text = (SEARCHES / name).read_text(encoding="utf-8-sig")
        if fmt == "wos":
            head = text[: text.index("PT ")]
            body_text = text[len(head):]
            _, body, _ = repeat_tagged(body_text, ends, n)
            content = head + body + "EF\n"
        else:
            head, body, tail = repeat_tagged(text, ends, n)
            # the text after the last cut is a record in MEDLINE (no blank line at the end): drop it
            content = head + body + (tail if fmt not in ("bibtex", "medline") else "")
        files[fmt] = out / f"{fmt}_{name}"
        files[fmt].write_text(content, encoding="utf-8")
    for fmt, name in (("scopus_csv", "scopus.csv"), ("csv", "other_sources.csv")):
        frame = pd.read_csv(SEARCHES / name, dtype=str, keep_default_na=False)
        frame = frame.iloc[[i % len(frame) for i in range(n)]]
        files[fmt] = out / f"{fmt}_{name}"
        frame.to_csv(files[fmt], index=False)
    frame = pd.read_csv(SEARCHES / "scopus.csv", dtype=str, keep_default_na=False)
    frame = frame.iloc[[i % len(frame) for i in range(n)]]
    files["xlsx"] = out / "scopus.xlsx"
    frame.to_excel(files["xlsx"], index=False)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"making {args.records:,} records per format ...", file=sys.stderr)
        files = make_files(Path(tmp), args.records)
        print(f"{'format':<12}{'records':>10}{'MB':>8}{'seconds':>10}{'records/s':>12}")
        for fmt, path in files.items():
            started = time.perf_counter()
            records = read_searches([{"database": fmt, "date": "2018-07-16", "file": str(path), "format": fmt}])
            seconds = time.perf_counter() - started
            size = path.stat().st_size / 1e6
            print(f"{fmt:<12}{len(records):>10,}{size:>8.1f}{seconds:>10.2f}{len(records) / seconds:>12,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

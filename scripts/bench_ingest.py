"""Ingest speed: the whole `evsynth ingest FILE --out DIR` command on ~100,000 records per format.

The records are the example review's own exports, repeated until each file holds N records, so
RIS, MEDLINE, Web of Science, BibTeX, Scopus CSV and CSV are measured on text laid out as their
databases write it. XLSX is made from the Scopus CSV; EndNote XML, EndNote tagged, ProQuest text
and Web of Science tab-delimited are written here from the Embase records, in the layout of those
exports (tests/fixtures/exports/README.md names the real samples each layout follows).

Each figure is one run of the command as a user types it (start-up, reading, writing Parquet):
wall seconds, and the CPU seconds of the command (user + system, both cores). Run with
`--records 100000`; the machine's load makes wall times noisy, so compare figures of one run.

    .venv/bin/python scripts/bench_ingest.py [--records 100000] [--formats bibtex ris ...]
"""

from __future__ import annotations

import argparse
import html
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evsynth.readers import read_export  # noqa: E402

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


# --- writers for the formats the example review has no export of ---------------------------------


def _endnote_xml(record: dict, number: int) -> str:
    def element(tag: str, value: object) -> str:
        if not value:
            return ""
        return f'<{tag}><style face="normal" font="default" size="100%">{html.escape(str(value))}</style></{tag}>'

    authors = "".join(element("author", name) for name in record["authors"])
    keywords = "".join(element("keyword", word) for word in record["keywords"])
    return ("<record><database name=\"bench.enl\" path=\"bench.enl\">bench.enl</database>"
            f"<source-app name=\"EndNote\" version=\"20.0\">EndNote</source-app><rec-number>{number}</rec-number>"
            "<ref-type name=\"Journal Article\">17</ref-type>"
            f"<contributors><authors>{authors}</authors></contributors>"
            f"<titles>{element('title', record['title'])}{element('secondary-title', record['journal'])}</titles>"
            f"<periodical>{element('full-title', record['journal'])}</periodical>"
            f"{element('pages', record['pages'])}{element('volume', record['volume'])}"
            f"{element('number', record['issue'])}<keywords>{keywords}</keywords>"
            f"<dates>{element('year', record['year'])}</dates>{element('isbn', record['issn'])}"
            f"{element('electronic-resource-num', record['doi'])}{element('abstract', record['abstract'])}"
            "</record>")


def _endnote_tagged(record: dict, number: int) -> str:
    lines = ["%0 Journal Article", f"%T {record['title']}"]
    lines += [f"%A {name}" for name in record["authors"]]
    for tag, field in (("J", "journal"), ("D", "year"), ("V", "volume"), ("N", "issue"), ("P", "pages"),
                       ("@", "issn"), ("R", "doi"), ("X", "abstract")):
        if record[field]:
            lines.append(f"%{tag} {record[field]}")
    lines += [f"%K {word}" for word in record["keywords"]]
    lines.append(f"%M {number}")
    return "\n".join(lines) + "\n\n"


def _proquest(record: dict, number: int, total: int) -> str:
    fields = [f"Document {number} of {total}", "", record["title"], "",
              f"https://www.proquest.com/docview/{number}", "",
              f"Abstract: {record['abstract'] or 'None available.'}", "",
              f"Author: {'; '.join(record['authors'])}", "", f"Title: {record['title']}", ""]
    for label, field in (("Publication title", "journal"), ("Volume", "volume"), ("Issue", "issue"),
                         ("Pages", "pages"), ("Publication year", "year"), ("ISSN", "issn"), ("DOI", "doi")):
        if record[field]:
            fields += [f"{label}: {record[field]}", ""]
    fields += ["Document type: Journal Article", "", f"ProQuest document ID: {number}", "",
               "Database: APA PsycInfo", ""]
    return "____________________________________________________________\n\n" + "\n".join(fields) + "\n"


_WOS_TAB_HEADER = ["PT", "AU", "AF", "TI", "SO", "LA", "DT", "DE", "ID", "AB", "SN", "EI", "PY", "VL", "IS", "BP",
                   "EP", "AR", "DI", "PG", "UT", "PM", "DA"]


def _wos_tab(record: dict, number: int) -> str:
    first, _, last = (record["pages"] or "").partition("-")
    values = {"PT": "J", "AU": "; ".join(record["authors"]), "AF": "; ".join(record["authors"]),
              "TI": record["title"], "SO": record["journal"], "LA": "English", "DT": "Article",
              "DE": "; ".join(record["keywords"]), "AB": record["abstract"], "SN": record["issn"],
              "PY": record["year"], "VL": record["volume"], "IS": record["issue"], "BP": first, "EP": last,
              "DI": record["doi"], "PG": "8", "UT": f"WOS:{number:015d}", "DA": "2018-07-16"}
    return "\t".join(str(values.get(tag) or "").replace("\t", " ").replace("\n", " ") for tag in _WOS_TAB_HEADER) \
        + "\t\n"


def make_files(out: Path, n: int, formats: list[str] | None = None) -> dict[str, Path]:
    files = {}
    wanted = set(formats or [])

    def want(fmt: str) -> bool:
        return not wanted or fmt in wanted

    for fmt, name, ends in TAGGED:
        if not want(fmt):
            continue
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
        if want(fmt):
            frame = pd.read_csv(SEARCHES / name, dtype=str, keep_default_na=False)
            frame = frame.iloc[[i % len(frame) for i in range(n)]]
            files[fmt] = out / f"{fmt}_{name}"
            frame.to_csv(files[fmt], index=False)
    if want("xlsx"):
        frame = pd.read_csv(SEARCHES / "scopus.csv", dtype=str, keep_default_na=False)
        frame = frame.iloc[[i % len(frame) for i in range(n)]]
        files["xlsx"] = out / "scopus.xlsx"
        frame.to_excel(files["xlsx"], index=False)
    records = read_export(SEARCHES / "embase_ovid.ris")
    picks = [records[i % len(records)] for i in range(n)]
    if want("endnote_xml"):
        files["endnote_xml"] = out / "endnote.xml"
        with open(files["endnote_xml"], "w", encoding="utf-8") as handle:
            handle.write('<?xml version="1.0" encoding="UTF-8" ?><xml><records>')
            handle.writelines(_endnote_xml(record, i + 1) for i, record in enumerate(picks))
            handle.write("</records></xml>\n")
    if want("endnote"):
        files["endnote"] = out / "endnote.enw"
        with open(files["endnote"], "w", encoding="utf-8") as handle:
            handle.writelines(_endnote_tagged(record, i + 1) for i, record in enumerate(picks))
    if want("proquest"):
        files["proquest"] = out / "proquest.txt"
        with open(files["proquest"], "w", encoding="utf-8") as handle:
            handle.writelines(_proquest(record, i + 1, n) for i, record in enumerate(picks))
            handle.write("____________________________________________________________\n")
    if want("wos_tab"):
        files["wos_tab"] = out / "savedrecs_tab.txt"
        with open(files["wos_tab"], "w", encoding="utf-8-sig") as handle:
            handle.write("\t".join(_WOS_TAB_HEADER) + "\n")
            handle.writelines(_wos_tab(record, i + 1) for i, record in enumerate(picks))
    return files


def time_command(path: Path, out: Path) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, records) of one `evsynth ingest` run."""
    evsynth = shutil.which("evsynth", path=str(Path(sys.executable).parent)) or "evsynth"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([evsynth, "ingest", str(path), "--out", str(out)], capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"evsynth ingest {path.name} failed:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    records = len(pd.read_parquet(out / "records.parquet", columns=["record_id"]))
    return wall, cpu, records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--formats", nargs="*", help="only these formats (default: all)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        print(f"making {args.records:,} records per format ...", file=sys.stderr)
        files = make_files(Path(tmp), args.records, args.formats)
        print(f"{'format':<12}{'records':>10}{'MB':>8}{'wall s':>9}{'cpu s':>8}{'records/s':>12}")
        for fmt, path in files.items():
            wall, cpu, records = time_command(path, Path(tmp) / f"out_{fmt}")
            size = path.stat().st_size / 1e6
            print(f"{fmt:<12}{records:>10,}{size:>8.1f}{wall:>9.2f}{cpu:>8.2f}{records / wall:>12,.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

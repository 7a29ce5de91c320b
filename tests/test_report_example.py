"""The report of the example review, built as a reviewer gets it: the workflow, then `evsynth report`.

The page is parsed with an HTML parser and checked against the result files and the seed's figures
(scripts/example_review/seed_figures.yaml: records screened, studies included, grades, the strongest
theme's count and percentage), and
rendered in headless Chromium. One run of the workflow serves every test of this module (they run on
one xdist worker: the group below).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
SNAKEMAKE = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile"), "--cores", "1"]
REPORT = "results/report"
OUTPUTS = ("index.html", "supplementary.xlsx", "characteristics_of_included_studies.csv",
           "characteristics_counts.csv", "versions/2018-07-31.json")
SCREENSHOT = REPO / "build" / "report_example.png"

pytestmark = pytest.mark.xdist_group("report_example")


def evsynth_report(review: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evsynth", "report", str(review)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def review(example_run) -> Path:
    """The example after a complete run of the workflow, whose last rule writes the report; then
    `evsynth report` writes it again, as a reviewer would after the run."""
    review = example_run
    assert (review / REPORT / "index.html").is_file()
    made = evsynth_report(review)
    assert made.returncode == 0, made.stderr[-3000:]
    return review


@pytest.fixture(scope="module")
def page(review) -> BeautifulSoup:
    return BeautifulSoup((review / REPORT / "index.html").read_text(encoding="utf-8"), "html.parser")


def text(element) -> str:
    return " ".join(element.get_text(" ", strip=True).split())


def table_rows(table) -> list[list[str]]:
    body = table.find("tbody")
    return [[text(cell) for cell in row.find_all(["th", "td"], recursive=False)] for row in body.find_all("tr")]


def key_figures(page) -> dict[str, str]:
    table = page.find(id="glance").find("table")
    return {row[0]: row[1] for row in table_rows(table)}


def test_the_seed_figures_are_on_the_page(page, review, seed_figures):
    figures = key_figures(page)
    assert figures["records screened"] == str(seed_figures["publications"])
    assert figures["studies included"] == str(seed_figures["included"])
    assert figures["quality grades"] == ", ".join(f"{g} {n}" for g, n in seed_figures["grades"].items())
    themes = seed_figures.all_themes()
    flagged = sum(theme["percent"] >= 10 for theme in themes)
    assert figures["themes coded in at least 10% of publications"] == f"{flagged} of {len(themes)}"
    first = table_rows(page.find(id="synthesis").find("table", class_="themes"))[0]
    top = themes[0]
    assert first[:4] == [top["name"].capitalize(), str(top["studies"]), str(seed_figures["included"]),
                         str(top["percent"])]
    # the subgroup and sensitivity verdicts, word for word as the robustness stage wrote them
    summary = pd.read_csv(review / "results/robustness/summary.csv", dtype=str, keep_default_na=False)
    verdicts = page.find(id="robustness").find("dl", class_="verdicts")
    shown = dict(zip([text(dt).split(" (")[0] for dt in verdicts.find_all("dt")],
                     [text(dd) for dd in verdicts.find_all("dd")]))
    assert shown == dict(zip(summary["analysis"], summary["verdict"]))
    assert shown["good quality only"] == ("Excluding the 6 poor or fair studies leaves the same 14 themes in the "
                                          "same order, tau-b 1.00.")


def test_the_themes_table_equals_theme_strength_csv(page, review):
    strength = pd.read_csv(review / "results/synthesis/theme_strength.csv", dtype=str, keep_default_na=False)
    themes = strength[strength["level"] == "theme"]
    expected = [[r.theme, r.n, r.N, r.percent, f"{r.ci_low} to {r.ci_high}", r.rank_label, r.direction,
                 r.cfir_domains, "✓ flagged" if r.flagged == "True" else "below"] for r in themes.itertuples()]
    assert table_rows(page.find(id="synthesis").find("table", class_="themes")) == expected
    # each theme's subthemes table, inside its audit, equals the subtheme rows
    for theme in themes.itertuples():
        details = page.find("details", id=f"node-{theme.code_id.lower()}")
        subs = strength[strength["parent_id"] == theme.code_id]
        table = details.find("div", class_="audit").find("table", class_="themes", recursive=False)
        assert table_rows(table) == [[r.theme, r.n, r.N, r.percent, f"{r.ci_low} to {r.ci_high}", r.rank_label,
                                      r.direction, r.cfir_domains] for r in subs.itertuples()]


def test_a_theme_opens_onto_its_papers_and_quotes(page, review, seed_figures):
    top, included = seed_figures.all_themes()[0], seed_figures["included"]
    record = json.loads((review / "results/synthesis/audit/t01-organisational-culture.json").read_text())
    details = page.find("details", id="node-t01")
    assert text(details.find("summary")) == (f"{top['name'].capitalize()} T01 : {top['studies']}/{included} "
                                             f"publications ({top['percent']}%), rank 1, both")
    studies = details.find(id="node-t01-studies").find_next_sibling("table")
    rows = table_rows(studies)
    assert len(rows) == top["studies"] == record["result"]["n"]
    assert [(r[1], r[2]) for r in rows] == [(s["study_id"], s["citation"]) for s in record["studies_counted"]]
    quotes = table_rows(details.find(id="node-t01-extracts").find_next_sibling("table"))
    assert [(q[0], q[1], q[-1]) for q in quotes] == [(e["extract_id"], e["study_id"], e["quote"])
                                                     for e in record["extracts"]]
    assert len(details.find_all("details", class_="node-subtheme")) == 3


def test_every_count_links_to_the_rows_it_counts(page, review, seed_figures):
    strength = pd.read_csv(review / "results/synthesis/theme_strength.csv", dtype=str, keep_default_na=False)
    table = page.find(id="synthesis").find("table", class_="themes")
    for row, theme in zip(table.find("tbody").find_all("tr"), strength[strength["level"] == "theme"].itertuples()):
        n_link = row.find_all("td")[0].find("a")
        target = page.find(id=n_link["href"][1:])
        assert len(table_rows(target.find_next_sibling("table"))) == int(theme.n) == int(text(n_link))
        n_total = row.find_all("td")[1].find("a")
        assert len(table_rows(page.find(id=n_total["href"][1:]))) == int(theme.N)
    # grades: each count opens onto the list of the studies with that grade
    quality = page.find(id="quality")
    for grade, n in seed_figures["grades"].items():
        link = next(a for a in quality.find("p").find_all("a") if a["href"] == f"#grade-{grade}")
        assert text(link) == str(n)
        assert len(page.find(id=f"grade-{grade}").find_all("a")) == n
    # PRISMA: reports not retrieved and excluded with a reason open onto their rows of the full-text decisions
    prisma = {row[0]: row[1] for row in table_rows(page.find(id="prisma").find("table"))}
    assert prisma["Reports not retrieved (databases and registers)"] == "7"
    not_retrieved = page.find("tbody", id="full-text-not-retrieved")
    assert len(not_retrieved.find_all("tr")) == 1 + 7  # its heading row and its reports
    reports = pd.read_csv(review / "results/screening/reports.csv", dtype=str, keep_default_na=False)
    reason = "Not peer support work"
    group = next(g for g in page.find(id="full-text").find_all("tbody") if text(g.find("tr")).startswith(f"excluded: {reason}"))
    assert len(group.find_all("tr")) - 1 == int((reports["exclusion_reason"] == reason).sum()) == 49


def test_every_link_stays_inside_the_page(page):
    ids = [element["id"] for element in page.find_all(id=True)]
    assert len(ids) == len(set(ids)), "element ids are unique"
    links = page.find_all(href=True)
    assert links and all(link["href"].startswith("#") for link in links)
    missing = sorted({link["href"] for link in links if link["href"][1:] not in set(ids)})
    assert missing == []
    sources = page.find_all(src=True)
    # the figures (PRISMA, traffic light, theme network, bump chart, heat map), inside the page, and nothing else
    assert [s.name for s in sources] == ["img"] * 5
    assert all(s["src"].startswith("data:image/svg+xml;base64,") for s in sources)
    scripts = page.find_all("script")
    assert len(scripts) == 1 and not scripts[0].get("src")
    assert page.find_all("link") == [] and page.find_all("iframe") == []
    policy = page.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert policy.startswith("default-src 'none'; img-src data:;")


def test_accessibility_basics(page):
    assert page.find("html")["lang"] == "en"
    levels = [int(h.name[1]) for h in page.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])]
    assert levels[0] == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:])), "headings never skip a level"
    assert all(img.get("alt", "").strip() for img in page.find_all("img"))
    for table in page.find_all("table"):
        assert table.find("th"), "every table has header cells"
    assert all(th.get("scope") in ("col", "row", "rowgroup") for th in page.find_all("th"))


def test_the_characteristics_table_and_the_workbook(review, seed_figures):
    out = review / REPORT
    table = pd.read_csv(out / "characteristics_of_included_studies.csv", dtype=str, keep_default_na=False)
    included = seed_figures["included"]
    assert len(table) == included
    assert list(table.columns) == ["study_id", "citation", "design", "country", "year", "modality", "income_group",
                                   "casp_percent", "grade", "n_reports", "reports"]
    assert table["grade"].value_counts().to_dict() == seed_figures["grades"]
    counts = pd.read_csv(out / "characteristics_counts.csv", dtype=str, keep_default_na=False)
    design = counts[counts["attribute"] == "design"]
    assert design[["value", "studies"]].values.tolist() == [[d, str(n)] for d, n in seed_figures["designs"].items()]
    assert counts.groupby("attribute")["studies"].apply(lambda s: s.astype(int).sum()).to_dict() == {
        "design": included, "country": included, "year": included}
    book = openpyxl.load_workbook(out / "supplementary.xlsx")
    assert book.sheetnames == ["Identification", "Included studies", "Study counts", "Quality", "Quality items",
                               "Themes", "Robustness", "Robustness analyses", "Leave one out", "Bootstrap"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
        assert all(sheet.column_dimensions[c.column_letter].width for c in sheet[1])
    themes = book["Themes"]
    header = [c.value for c in themes[1]]
    first = dict(zip(header, [c.value for c in themes[2]]))
    top = seed_figures.all_themes()[0]
    assert (first["theme"], first["n"], first["N"], first["percent"]) == (top["name"].capitalize(), top["studies"],
                                                                          included, top["percent"])
    assert len(first["study_ids"].split("; ")) == top["studies"]
    quality = book["Quality"]
    assert quality.max_row == 1 + included
    assert [c.value for c in quality[1]][:3] == ["study_id", "checklist", "item 1"]


def test_a_rerun_writes_the_same_bytes(review):
    out = review / REPORT
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    result = evsynth_report(review)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    # no earlier version: the page does not open with changes
    assert "Changes since" not in before["index.html"].decode("utf-8")


CHROMIUM_FLAGS = ["--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        message = "Debian's chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(message + ": under CI the browser test must run")
        pytest.skip(message)
    return found


def test_the_page_renders_in_chromium_without_errors(review, seed_figures):
    from playwright.sync_api import sync_playwright

    executable = chromium()
    problems, requests = [], []
    url = (review / REPORT / "index.html").as_uri()
    with sync_playwright() as playwright:
        # playwright starts the browser with a fresh profile (--user-data-dir) of its own
        browser = playwright.chromium.launch(executable_path=executable, chromium_sandbox=False, args=CHROMIUM_FLAGS)
        try:
            for javascript in (True, False):
                context = browser.new_context(java_script_enabled=javascript, viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
                        if m.type in ("error", "warning") else None)
                page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
                page.on("request", lambda r: requests.append(r.url))
                page.goto(url)
                # a reader opens the strongest theme: its publications and their quotes show
                page.click("#node-t01 > summary")
                studies = page.locator("#node-t01-studies + table tbody tr")
                assert studies.count() == seed_figures.all_themes()[0]["studies"] and studies.first.is_visible()
                assert page.locator("#node-t01-extracts + table tbody tr").first.is_visible()
                if javascript:
                    SCREENSHOT.parent.mkdir(exist_ok=True)
                    page.screenshot(path=str(SCREENSHOT), full_page=True)
                    # a link to rows inside a closed details element opens it
                    page.goto(url + "#full-text-not-retrieved")
                    assert page.locator("#full-text-not-retrieved").is_visible()
                    page.emulate_media(media="print")
                    assert page.locator("nav").is_hidden()  # the print stylesheet applies
                    assert page.pdf().startswith(b"%PDF")
                context.close()
        finally:
            browser.close()
    assert problems == []
    assert set(requests) == {url}, "the page asks for nothing but itself"
    assert SCREENSHOT.stat().st_size > 100_000


def test_snakemakes_own_report_holds_the_captioned_outputs(review, tmp_path):
    """`snakemake --report` gives an archive of the outputs a reader should see, with their captions."""
    import zipfile

    archive = tmp_path / "report.zip"
    result = subprocess.run(SNAKEMAKE + ["--directory", str(review), "--report", str(archive)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    names = zipfile.ZipFile(archive).namelist()
    for shown in ("prisma2020.svg", "traffic_light.svg", "theme_strength.csv", "theme_network.svg", "rank_bump.svg",
                  "site_item_heatmap.svg", "index.html"):
        assert any(name.endswith(shown) for name in names), shown
    page = next(n for n in names if n.endswith("report.html"))
    text = zipfile.ZipFile(archive).read(page).decode("utf-8", "replace")
    assert "Vote counts of theme strength" in text  # a caption from evsynth/workflow/report/

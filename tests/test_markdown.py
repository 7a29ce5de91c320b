"""Every Markdown page shows text from people's tables as text: no broken table, no live HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from evsynth.markdown import escape
from evsynth.synthesis.audit import audit_records, write_audit
from evsynth.synthesis.stage import read_synthesis_inputs, write_publication_tables
from evsynth.synthesis.votes import CountRules

SCRIPT = "<script>alert(1)</script>"
CODEBOOK = f"""code_id,label,level,parent_id,description
A,Culture | climate {SCRIPT},theme,,"Shared values <b>bold</b> | and norms."
A.1,Leaders [click](javascript:alert(1)),subtheme,A,*Support* from `managers`.
B,Training & support,theme,,Skills.
"""
CFIR = "code_id,cfir_domain,qualifier\nA,inner setting,if <i>internal</i> | formal\nB,individuals,\n"
STUDIES = """study_id,citation,reports
P1,"Ames | Bell (2001) <img src=x onerror=alert(1)>",C-1
P2,Cole (2002),C-2
"""
EXTRACTS = f"""extract_id,study_id,code_id,direction,quote,coder,page
E1,P1,A.1,facilitator,"They said | ""no"" {SCRIPT}",D|T,3
E2,P2,B,barrier,Line one,DT,
E3,P2,A,barrier,"two
lines",DT,
"""

# A '<' that opens an HTML tag, comment or declaration in a Markdown renderer.
RAW_HTML = re.compile(r"<[A-Za-z/!?]")


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


def assert_safe(name: str, text: str) -> None:
    assert not RAW_HTML.search(text), f"{name}: raw HTML in {RAW_HTML.search(text).group()!r}"
    assert not re.search(r"(?<!\\)\]\(javascript:", text), f"{name}: a live link"
    header = None
    for line in text.splitlines():
        if line.startswith("|"):
            header = header or unescaped_pipes(line)
            assert unescaped_pipes(line) == header, f"{name}: a cell breaks the table: {line}"
        else:
            header = None


def test_escape_keeps_text_literal_on_one_line():
    assert escape("a | b") == "a \\| b"
    assert escape(SCRIPT) == "&lt;script>alert(1)&lt;/script>"
    assert escape("[x](javascript:alert(1))") == "\\[x\\](javascript:alert(1))"
    assert escape("*bold* _it_ `code` back\\slash") == "\\*bold\\* \\_it\\_ \\`code\\` back\\\\slash"
    assert escape("data/raw/cfir_domains.csv, n / N >= 0.1") == "data/raw/cfir_domains.csv, n / N >= 0.1"
    assert escape("Training & support") == "Training & support"
    assert escape("&lt;b&gt; &#60;") == "&amp;lt;b&amp;gt; &amp;#60;"
    assert escape("two\r\n  lines\n") == "two lines "
    assert escape(None) == "" and escape(float("nan")) == "" and escape(pd.NA) == "" and escape(3) == "3"


@pytest.fixture()
def hostile_synthesis(tmp_path):
    root = tmp_path / "review"
    root.mkdir()
    for name, text in (("codebook.csv", CODEBOOK), ("cfir.csv", CFIR), ("studies.csv", STUDIES),
                       ("extracts.csv", EXTRACTS)):
        (root / name).write_text(text, encoding="utf-8")
    files = [("codebook", Path("codebook.csv")), ("cfir_domains", Path("cfir.csv")),
             ("extracts", Path("extracts.csv")), ("included studies", Path("studies.csv"))]
    return read_synthesis_inputs(root, files, "publication", CountRules())


def test_audit_pages_and_index_escape_labels_citations_and_quotes(hostile_synthesis, tmp_path):
    written = write_audit(audit_records(hostile_synthesis, hostile_synthesis.strength()), tmp_path / "audit")
    pages = [path for path in written if path.suffix == ".md"]
    assert len(pages) == 4  # the index and one page per theme and subtheme
    for path in pages:
        assert_safe(path.name, path.read_text(encoding="utf-8"))
    page = next(p for p in pages if p.name.startswith("a-")).read_text(encoding="utf-8")
    assert "# Culture \\| climate &lt;script>alert(1)&lt;/script> (A)" in page
    assert "Ames \\| Bell (2001) &lt;img src=x onerror=alert(1)>" in page
    assert "| E1 | P1 | A.1 Leaders \\[click\\](javascript:alert(1)) | facilitator | D\\|T | 3 | " \
           "They said \\| \"no\" &lt;script>alert(1)&lt;/script> |" in page
    assert "two lines" in page


def test_publication_tables_escape_every_cell(hostile_synthesis, tmp_path):
    write_publication_tables(hostile_synthesis, tmp_path)
    for name in ("themes_subthemes.md", "influences_by_cfir.md"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert_safe(name, text)
    cfir = (tmp_path / "influences_by_cfir.md").read_text(encoding="utf-8")
    assert "Culture \\| climate &lt;script>alert(1)&lt;/script> (if &lt;i>internal&lt;/i> \\| formal)" in cfir
    assert "1. Ames \\| Bell (2001) &lt;img src=x onerror=alert(1)>" in cfir


def test_measure_summary_escapes_theme_labels_and_site_names():
    from evsynth.measure.stage import Measure

    items = pd.DataFrame({"item": [1], "theme": [f"Culture | climate {SCRIPT}"], "mean": [1.5], "min": [0],
                          "max": [3], "range": [3]})
    measure = Measure(items=items, ratings=pd.DataFrame(), scores=pd.DataFrame(), validity=pd.DataFrame(),
                      lines=["Convergent validity (psw): sites yes (<b>Ulm</b>; mean item score 1.5)."],
                      scale=(0, 3), decimals=1, label_attributes=[])
    text = measure.markdown()
    assert_safe("summary.md", text)
    assert "| 1 | Culture \\| climate &lt;script>alert(1)&lt;/script> | 1.5 | 0 | 3 | 3 |" in text
    assert "sites yes (&lt;b>Ulm&lt;/b>; mean item score 1.5)." in text


def test_robustness_verdicts_escape_analysis_names_and_labels():
    from evsynth.robustness.stage import Robustness

    summary = pd.DataFrame({"analysis": [f"only {SCRIPT}"], "verdict": ["The top theme, 'A | <b>B</b>', holds."]})
    result = Robustness(summary=summary, analyses=pd.DataFrame(), rankings=pd.DataFrame(),
                        leave_one_out=pd.DataFrame(), bootstrap=pd.DataFrame(), settings={}, threshold=0.1, columns=[])
    text = result.verdicts_markdown()
    assert_safe("verdicts.md", text)
    assert "- **only &lt;script>alert(1)&lt;/script>**: The top theme, 'A \\| &lt;b>B&lt;/b>', holds." in text


def test_screening_agreement_page_escapes_reviewer_names():
    from evsynth.screening.agreement import agreement_summary, stage_agreement

    pairs = pd.DataFrame({"stage": "title_abstract", "cluster_id": [f"C-{i}" for i in range(4)],
                          "reviewer_a": "<b>DT</b>", "reviewer_b": "R|N",
                          "binary_a": ["include", "exclude", "exclude", "include"],
                          "binary_b": ["include", "exclude", "include", "include"]})
    agreement, table = stage_agreement(pairs)
    text = agreement_summary(agreement, table)
    assert_safe("agreement.md", text)
    assert "&lt;b>DT&lt;/b> and R\\|N both screened 4 records" in text

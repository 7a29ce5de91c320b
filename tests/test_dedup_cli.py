"""``run_cli``: export files in, DIR/clusters.csv and DIR/unique.csv out."""

from __future__ import annotations

import pandas as pd

from evsynth.dedup.cli import run_cli

CSV = """ID,title,author,year,journal,volume,number,pages,doi
a1,Peer support workers in community mental health teams: a qualitative study,"Gillard, Steve and Edwards, Christine",2013,BMC Health Services Research,13,1,188-196,10.1186/1472-6963-13-188
a2,A realist evaluation of peer support in acute inpatient wards,"Watson, Emma",2019,Journal of Mental Health,28,2,120-128,
"""
RIS = """TY  - JOUR
ID  - 77
TI  - Peer support workers in community mental health teams - a qualitative study
AU  - Gillard, S.
AU  - Edwards, C.
PY  - 2013
JO  - BMC Health Serv Res
VL  - 13
SP  - 188
EP  - 196
DO  - https://doi.org/10.1186/1472-6963-13-188
ER  - 
"""


def test_run_cli_writes_clusters_and_unique(tmp_path):
    (tmp_path / "scopus.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "medline.ris").write_text(RIS, encoding="utf-8")
    out = tmp_path / "out"
    run_cli([str(tmp_path / "scopus.csv"), str(tmp_path / "medline.ris")], out, progress=False)
    clusters = pd.read_csv(out / "clusters.csv", dtype=str)
    assert list(clusters.columns) == ["source_file", "source_id", "record_id", "cluster_id", "rule", "score"]
    assert set(clusters["source_id"]) == {"a1", "a2", "77"}
    by_source = clusters.set_index("source_id")
    assert by_source.loc["a1", "cluster_id"] == by_source.loc["77", "cluster_id"]
    assert by_source.loc["a2", "cluster_id"] != by_source.loc["a1", "cluster_id"]
    assert by_source.loc["77", "rule"] == "doi"
    unique = pd.read_csv(out / "unique.csv", dtype=str)
    assert len(unique) == 2
    merged = unique[unique["n_records"] == "2"].iloc[0]
    assert merged["databases"] == "medline; scopus"
    assert (out / "uncertain_pairs.csv").is_file() and (out / "summary.csv").is_file()


def test_write_outputs_with_the_sheet_for_a_person(tmp_path, make_records, ARTICLE):
    from evsynth.dedup import deduplicate, write_outputs

    records = make_records(dict(ARTICLE, doi=None, pages="188-196"), dict(ARTICLE, doi=None, pages="198-206", year=2014))
    result = deduplicate(records)
    write_outputs(records, result, tmp_path, xlsx=True)
    sheet = pd.read_excel(tmp_path / "uncertain_pairs.xlsx", dtype=str, keep_default_na=False)
    assert list(sheet[["record_id_1", "record_id_2", "verdict"]].iloc[0]) == ["r1", "r2", ""]
    # the filled-in sheet is accepted back as verdicts
    sheet.loc[0, "verdict"] = "same"
    again = deduplicate(records, sheet)
    assert again.links["cluster_id"].nunique() == 1


def test_evsynth_dedup_command(tmp_path, capsys):
    from evsynth.cli import main

    (tmp_path / "scopus.csv").write_text(CSV, encoding="utf-8")
    (tmp_path / "medline.ris").write_text(RIS, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["dedup", str(tmp_path / "scopus.csv"), str(tmp_path / "medline.ris"), "--out", str(out),
                 "--quiet"]) == 0
    clusters = pd.read_csv(out / "clusters.csv", dtype=str).set_index("source_id")
    assert clusters.loc["a1", "cluster_id"] == clusters.loc["77", "cluster_id"]
    assert main(["dedup", str(tmp_path / "absent.ris"), "--out", str(out)]) == 2
    assert "absent.ris: file does not exist" in capsys.readouterr().err

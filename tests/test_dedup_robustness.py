"""Bad and odd input: nothing crashes, nothing is dropped."""

from __future__ import annotations

import pandas as pd
import pytest

from evsynth.dedup import deduplicate
from evsynth.errors import InputError
from evsynth.records import COLUMNS


def check_complete(records, result):
    assert list(result.links["record_id"]) == list(records["record_id"])
    assert result.links["cluster_id"].notna().all()
    assert result.unique["n_records"].sum() == len(records)
    assert result.summary["records_in"] == len(records)


def test_empty_titles_and_all_empty_records_do_not_crash(make_records, ARTICLE):
    records = make_records(
        dict(ARTICLE, title=None),
        dict(ARTICLE, title=""),
        {},
        {},
        {"title": "   "},
        dict(ARTICLE),
    )
    result = deduplicate(records)
    check_complete(records, result)
    # empty records are never linked to each other on emptiness alone
    links = result.links.set_index("record_id")
    assert links.loc["r3", "cluster_id"] != links.loc["r4", "cluster_id"]


def test_no_records():
    records = pd.DataFrame(columns=COLUMNS)
    result = deduplicate(records)
    assert result.links.empty and result.unique.empty and result.pairs.empty
    assert result.summary["clusters"] == 0


def test_very_long_abstracts_and_mixed_scripts(make_records, ARTICLE):
    long_abstract = "Background. " + "Peer support workers lived experience recovery. " * 4000
    records = make_records(
        dict(ARTICLE, abstract=long_abstract),
        dict(ARTICLE, abstract=long_abstract[:5000], doi=None),
        dict(title="同伴支持工作者在社区精神卫生团队中的作用：质性研究", authors=["王, 伟", "李, 娜"], year=2013),
        dict(title="Роль равных консультантов в психиатрических службах", authors=["Иванов, И. И."], year=2013),
        dict(title="Ο ρόλος των εργαζομένων αλληλοϋποστήριξης", authors=["Παπαδόπουλος, Γ."], year=2013),
        dict(title="Rôle des pairs aidants en santé mentale : étude qualitative", authors=["Lévesque, Émilie"]),
    )
    result = deduplicate(records)
    check_complete(records, result)
    links = result.links.set_index("record_id")
    assert links.loc["r1", "cluster_id"] == links.loc["r2", "cluster_id"]
    assert links.loc[["r3", "r4", "r5", "r6"], "cluster_id"].nunique() == 4


def test_repeated_record_ids_are_refused(make_records, ARTICLE):
    records = make_records(dict(ARTICLE), dict(ARTICLE))
    records["record_id"] = ["same", "same"]
    with pytest.raises(InputError, match="record_id repeated"):
        deduplicate(records)


def test_output_tables_have_their_columns(make_records, ARTICLE):
    records = make_records(dict(ARTICLE), dict(ARTICLE, doi=None, pages="188"),
                           dict(ARTICLE, doi=None, pages="300-310"))
    result = deduplicate(records, progress=lambda message: None)
    assert list(result.links.columns) == ["record_id", "cluster_id", "rule", "score"]
    for column in ("record_id_1", "record_id_2", "score", "decision", "rule", "title", "authors", "journal",
                   "year_diff", "volume", "pages", "doi", "abstract"):
        assert column in result.pairs.columns
    for column in ("cluster_id", "n_records", "databases", "record_ids", "title", "doi"):
        assert column in result.unique.columns
    for key in ("records_in", "clusters", "duplicates_removed", "database_pairs", "cluster_sizes"):
        assert key in result.summary
    table = result.summary_table()
    assert {"section", "key", "value"} <= set(table.columns)


def test_uncertain_pairs_show_both_records_side_by_side(make_records, ARTICLE):
    records = make_records(dict(ARTICLE, doi=None, pages="188-196"),
                           dict(ARTICLE, doi=None, pages="198-206", year=2014))
    result = deduplicate(records)
    assert len(result.uncertain) == 1
    row = result.uncertain.iloc[0]
    for name in ("title", "authors", "year", "journal", "volume", "issue", "pages", "doi"):
        assert f"{name}_1" in result.uncertain.columns and f"{name}_2" in result.uncertain.columns
    assert row["pages_1"] != row["pages_2"] and row["verdict"] == ""
    assert "pages" in row["conflicts"]


def test_records_read_back_from_parquet(tmp_path, make_records, ARTICLE):
    records = make_records(dict(ARTICLE, keywords=["peer support", "mental health"]),
                           dict(ARTICLE, doi=None, keywords=["peer support"]))
    records.to_parquet(tmp_path / "records.parquet", index=False)
    again = pd.read_parquet(tmp_path / "records.parquet")
    result = deduplicate(again)
    assert result.links["cluster_id"].nunique() == 1
    unique = result.unique.iloc[0]
    assert list(unique["authors"]) == ARTICLE["authors"]
    assert list(unique["keywords"]) == ["peer support", "mental health"]

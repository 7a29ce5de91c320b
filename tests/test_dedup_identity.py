"""Stable identity: a cluster keeps its id when later searches add members to it."""

from __future__ import annotations

import pandas as pd

from evsynth.dedup import deduplicate


def test_cluster_is_named_after_its_earliest_member(make_records, ARTICLE):
    first = make_records(dict(ARTICLE, doi=None), database="medline", date="2020-01-01")
    later = make_records(dict(ARTICLE, doi=None, journal="BMC Health Serv Res"), database="embase", date="2019-06-01")
    later["record_id"] = ["embase-1"]
    result = deduplicate(pd.concat([first, later], ignore_index=True))
    assert set(result.links["cluster_id"]) == {"C-embase-1"}  # the 2019 search is the earliest


def test_cluster_keeps_its_id_when_a_later_search_joins(make_records, ARTICLE):
    other = dict(ARTICLE, title="A realist evaluation of peer support in inpatient wards", doi="10.1/x",
                 authors=["Watson, Emma"], pages="1-10", abstract=None)
    first = make_records(dict(ARTICLE), other, database="medline", date="2020-01-01")
    before = deduplicate(first).links.set_index("record_id")["cluster_id"]
    update = make_records(dict(ARTICLE, doi=None, authors=["Gillard S", "Edwards C"]),
                          database="psycinfo", date="2022-03-01")
    update["record_id"] = ["psycinfo-1"]
    after = deduplicate(pd.concat([first, update], ignore_index=True)).links.set_index("record_id")["cluster_id"]
    assert after["r1"] == before["r1"] == "C-r1"
    assert after["r2"] == before["r2"] == "C-r2"
    assert after["psycinfo-1"] == "C-r1"


def test_ids_do_not_depend_on_row_order(make_records, ARTICLE):
    records = make_records(dict(ARTICLE), dict(ARTICLE, doi=None), dict(ARTICLE, title="Something else entirely here"))
    forward = deduplicate(records).links.set_index("record_id")
    backward = deduplicate(records.iloc[::-1].reset_index(drop=True)).links.set_index("record_id")
    pd.testing.assert_series_equal(forward["cluster_id"].sort_index(), backward["cluster_id"].sort_index())

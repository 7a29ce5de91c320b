"""A person's verdicts: applied last, overriding the automatic decisions, checked on input."""

from __future__ import annotations

import pandas as pd
import pytest

from evsynth.dedup import deduplicate
from evsynth.errors import InputError


def verdicts(*rows):
    return pd.DataFrame(rows, columns=["record_id_1", "record_id_2", "verdict"])


@pytest.fixture()
def duplicates_and_other(make_records, ARTICLE):
    def records():
        other = dict(ARTICLE, title="Implementing peer support in acute inpatient wards: a realist evaluation",
                     doi=None, pages="300-310", authors=["Watson, Emma"], abstract=None)
        return make_records(dict(ARTICLE, doi=None), dict(ARTICLE, doi=None, pages="188"), other)
    return records


def test_different_verdict_splits_an_automatic_link(same_cluster, duplicates_and_other):
    records = duplicates_and_other()
    assert same_cluster(deduplicate(records), "r1", "r2")
    result = deduplicate(records, verdicts(("r1", "r2", "different")))
    assert not same_cluster(result, "r1", "r2")
    pair = result.pairs[(result.pairs["record_id_1"] == "r1") & (result.pairs["record_id_2"] == "r2")].iloc[0]
    assert (pair["decision"], pair["rule"]) == ("different", "verdict")
    assert result.uncertain.empty  # decided pairs are not asked again


def test_same_verdict_links_records_the_matcher_kept_apart(same_cluster, duplicates_and_other):
    records = duplicates_and_other()
    result = deduplicate(records, verdicts(("r3", "r1", "SAME ")))
    assert same_cluster(result, "r1", "r3") and same_cluster(result, "r2", "r3")
    assert result.links.set_index("record_id").loc["r3", "rule"] == "verdict"
    assert result.summary["verdicts_applied"] == 1


def test_empty_verdicts_are_skipped(same_cluster, duplicates_and_other):
    records = duplicates_and_other()
    result = deduplicate(records, verdicts(("r1", "r3", ""), ("r1", "r2", None)))
    assert result.summary["verdicts_applied"] == 0
    assert not same_cluster(result, "r1", "r3")


def test_unknown_record_ids_raise_and_are_listed(duplicates_and_other):
    records = duplicates_and_other()
    with pytest.raises(InputError) as error:
        deduplicate(records, verdicts(("r1", "ghost-1", "same"), ("ghost-2", "r2", "different")))
    message = str(error.value)
    assert "ghost-1" in message and "ghost-2" in message and "2 record id(s)" in message


def test_contradictory_verdicts_raise(duplicates_and_other):
    records = duplicates_and_other()
    with pytest.raises(InputError, match="both 'same' and 'different'.*r1 / r2"):
        deduplicate(records, verdicts(("r1", "r2", "same"), ("r2", "r1", "different")))


def test_invalid_verdict_value_raises_with_its_row(duplicates_and_other):
    records = duplicates_and_other()
    with pytest.raises(InputError, match="row 3.*verdict 'maybe'|verdict 'maybe'.*row 3"):
        deduplicate(records, verdicts(("r1", "r2", "same"), ("r1", "r3", "maybe")))


def test_same_verdict_across_different_dois_is_accepted_and_reported(make_records, same_cluster, ARTICLE):
    records = make_records(dict(ARTICLE, doi="10.1000/a"), dict(ARTICLE, doi="10.1000/b"))
    assert not same_cluster(deduplicate(records), "r1", "r2")
    result = deduplicate(records, verdicts(("r1", "r2", "same")))
    assert same_cluster(result, "r1", "r2")
    assert result.summary["verdicts_merging_different_dois"] == ["r1 / r2"]
    assert result.unique.iloc[0]["doi"] in {"10.1000/a", "10.1000/b"}


def test_a_same_verdict_joins_the_two_clusters_as_shown(make_records, same_cluster, ARTICLE):
    # r1 and r2 are one record; r3 (a later version, other volume and pages) is queued against
    # their cluster once. A person's 'same' on r1/r3 joins r3 to the cluster, and r2's own hard
    # conflict with r3 (the same conflict the person overruled) does not split r2 off again.
    records = make_records(dict(ARTICLE, doi=None), dict(ARTICLE, doi=None, title=ARTICLE["title"].upper()),
                           dict(ARTICLE, doi=None, year=2016, volume="16", pages="20-29"))
    first = deduplicate(records)
    assert same_cluster(first, "r1", "r2") and not same_cluster(first, "r1", "r3")
    assert len(first.uncertain) == 1  # one pair per two clusters
    verdicts = pd.DataFrame({"record_id_1": [first.uncertain["record_id_1"].iloc[0]],
                             "record_id_2": [first.uncertain["record_id_2"].iloc[0]], "verdict": ["same"]})
    again = deduplicate(records, verdicts)
    assert again.links["cluster_id"].nunique() == 1
    assert again.uncertain.empty

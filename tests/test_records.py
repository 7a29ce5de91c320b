from evsynth.identity import cluster_id_for, in_sample, sample_score
from evsynth.records import make_record_id, normalise_doi, parse_year, slug


def test_doi_is_lower_case_without_url_prefix():
    assert normalise_doi("https://doi.org/10.1176/APPI.PS.201600378") == "10.1176/appi.ps.201600378"
    assert normalise_doi("http://dx.doi.org/10.1037/PRJ0000119.") == "10.1037/prj0000119"
    assert normalise_doi("doi: 10.1002/jcop.21234") == "10.1002/jcop.21234"
    assert normalise_doi("10.1186/s12888-018-1786-x [doi]") == "10.1186/s12888-018-1786-x"
    assert normalise_doi("not a doi") is None
    assert normalise_doi("") is None


def test_year_is_the_first_plausible_four_digits():
    assert parse_year("2016///") == 2016
    assert parse_year("2018 Jul 12") == 2018
    assert parse_year("Jul-18") is None
    assert parse_year(None) is None


def test_slug_of_database_names():
    assert slug("MEDLINE (Ovid)") == "medline-ovid"
    assert slug("ProQuest Dissertations & Theses") == "proquest-dissertations-theses"


def test_record_id_depends_only_on_its_own_search_and_record():
    first = make_record_id("Scopus", "2018-07-17", "2-s2.0-850", "Peer support work")
    assert first == make_record_id("Scopus", "2018-07-17", "2-s2.0-850", "PEER SUPPORT WORK")
    assert first.startswith("scopus-") and len(first) == len("scopus-") + 10
    assert first != make_record_id("Scopus", "2019-01-10", "2-s2.0-850", "Peer support work")
    assert first != make_record_id("Scopus", "2018-07-17", "2-s2.0-851", "Peer support work")


def test_cluster_is_named_after_its_earliest_member():
    members = [("2019-02-01", "medline-aaa"), ("2018-07-16", "scopus-zzz"), ("2018-07-16", "wos-bbb")]
    assert cluster_id_for(members) == "C-scopus-zzz"
    # A member from a later update search does not rename the cluster.
    assert cluster_id_for(members + [("2020-01-01", "cinahl-000")]) == "C-scopus-zzz"


def test_sample_is_deterministic_and_about_the_fraction():
    ids = [f"C-db-{i:06d}" for i in range(20000)]
    chosen = [c for c in ids if in_sample(7, c, 0.05)]
    assert chosen == [c for c in ids if in_sample(7, c, 0.05)]
    assert 900 <= len(chosen) <= 1100  # 5% of 20000 = 1000, +/- 3.2 standard deviations
    # Adding records never removes anyone from the sample; a larger fraction extends it.
    assert set(chosen) <= {c for c in ids if in_sample(7, c, 0.10)}
    assert 0 <= sample_score(7, "C-x") < 1
    assert [c for c in ids if in_sample(8, c, 0.05)] != chosen


def test_outputs_are_written_with_the_usual_file_mode(tmp_path):
    import os

    import pandas as pd

    from evsynth.fileio import write_csv

    umask = os.umask(0o022)
    try:
        write_csv(pd.DataFrame({"a": [1]}), tmp_path / "out.csv")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.csv").stat().st_mode & 0o777 == 0o644

"""The compact records table of ``evsynth dedup`` (Arrow text) gives exactly the outputs of the
Python-object table, and the helpers behind it keep their values and order."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from evsynth.dedup import deduplicate, write_outputs
from evsynth.dedup.clusters import component_roots
from evsynth.dedup.storage import compact, take_in_slices
from evsynth.ingest import read_searches
from scripts import bench_dedup as bench

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dedup"


def test_component_roots_are_the_lowest_row_of_each_component():
    # components {0, 1, 2}, {3, 4}, {5}
    roots = component_roots(6, np.array([0, 1, 4]), np.array([1, 2, 3]))
    assert roots.tolist() == [0, 0, 0, 3, 3, 5]
    assert component_roots(3, np.array([], dtype=np.int64), np.array([], dtype=np.int64)).tolist() == [0, 1, 2]


def test_compact_keeps_every_value_in_arrow():
    frame = pd.DataFrame({"record_id": ["a", "b", "c"], "title": ["One", None, "Three"],
                          "authors": [["Smith, J"], [], None], "year": pd.array([2001, None, 2003], dtype="Int64")})
    out = compact(frame)
    assert str(out["title"].dtype) == "string[pyarrow]"
    assert isinstance(out["authors"].dtype, pd.ArrowDtype)
    assert out["record_id"].dtype == object  # provenance stays Python strings
    assert out["title"].tolist()[0] == "One" and out["title"].tolist()[2] == "Three" and pd.isna(out["title"][1])
    authors = out["authors"].tolist()
    assert authors[:2] == [["Smith, J"], []] and authors[2] is pd.NA
    assert out["year"].tolist()[0] == 2001
    assert frame["title"].dtype == object  # the caller's frame is untouched


def test_take_in_slices_takes_across_chunks_and_the_extra_rows():
    chunked = pa.chunked_array([pa.array(["r0", "r1", "r2"]), pa.array(["r3", None])])
    whole = pd.Series(pd.arrays.ArrowExtensionArray(chunked))
    extra = pd.Series(["m0", "m1"], dtype=object)
    # rows 0-4 are whole's, 5 and 6 the extra's; slices of two
    out = take_in_slices(whole, extra, np.array([6, 3, 0, 5, 4, 2]), size=2)
    values = out.tolist()
    assert values[:4] == ["m1", "r3", "r0", "m0"] and pd.isna(values[4]) and values[5] == "r2"


@pytest.mark.parametrize("dataset", ["special_cases", "stroke"])
def test_compact_records_give_the_same_outputs(dataset, tmp_path):
    search = [{"database": "export", "date": "1970-01-01", "file": str(BENCHMARKS / dataset / bench.RECORDS_FILE)}]
    plain = read_searches(search, ".", config_name="command line")
    small = read_searches(search, ".", config_name="command line", each=compact)
    assert str(small["abstract"].dtype) == "string[pyarrow]"
    for name, records in (("plain", plain), ("compact", small)):
        write_outputs(records, deduplicate(records), tmp_path / name)
    for name in ("clusters.csv", "pairs.csv", "uncertain_pairs.csv", "unique.csv", "summary.csv"):
        assert (tmp_path / "plain" / name).read_bytes() == (tmp_path / "compact" / name).read_bytes(), name


def test_lists_joined_for_the_csv_as_text_whether_held_in_arrow_or_not():
    from evsynth.dedup.stage import _joined

    lists = [["Smith, J.", "Jones, A."], None, [], ["Müller, J."]]
    arrow = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(lists, pa.list_(pa.string()))))
    expected = ["Smith, J.; Jones, A.", None, "", "Müller, J."]
    assert [None if v is pd.NA else v for v in _joined(arrow)] == expected
    assert list(_joined(pd.Series(lists, dtype=object))) == expected
    # a missing name inside a list is written as str() writes it, as before
    with_gap = pd.Series(pd.arrays.ArrowExtensionArray(pa.array([["A", None]], pa.list_(pa.string()))))
    assert list(_joined(with_gap)) == ["A; None"]

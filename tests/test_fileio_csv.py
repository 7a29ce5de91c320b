"""``write_csv`` writes pandas' bytes (``to_csv(index=False, lineterminator="\\n")``) by its own faster
path: the two are compared on tables of every column kind evsynth writes, with the cells that
decide quoting (commas, quotes, line ends, carriage returns, empty text) and floats that print
alike or not (NaN, -0.0, float32)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from evsynth.fileio import _plain_columns, _write_csv_rows, write_csv

TEXT = st.one_of(st.none(), st.text(alphabet='ab ,"\n\r\t;\'=é', max_size=6))
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32), st.sampled_from([0.0, -0.0, 0.1, 1e-05]))


def frame_of(draw, n: int) -> pd.DataFrame:
    kinds = draw(st.lists(st.sampled_from(["text", "float64", "float32", "int", "bool", "Int64", "arrow_text",
                                           "arrow_list", "mixed"]), min_size=1, max_size=5))
    columns = {}
    for k, kind in enumerate(kinds):
        name = f"c{k}"
        if kind == "text":
            columns[name] = pd.Series(draw(st.lists(TEXT, min_size=n, max_size=n)), dtype=object)
        elif kind in ("float64", "float32"):
            columns[name] = pd.Series(draw(st.lists(FLOATS, min_size=n, max_size=n)), dtype=kind)
        elif kind == "int":
            columns[name] = pd.Series(draw(st.lists(st.integers(-10**12, 10**12), min_size=n, max_size=n)),
                                      dtype=np.int64)
        elif kind == "bool":
            columns[name] = pd.Series(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
        elif kind == "Int64":
            columns[name] = pd.Series(draw(st.lists(st.one_of(st.none(), st.integers(0, 3000)), min_size=n,
                                                    max_size=n)), dtype="Int64")
        elif kind == "arrow_text":
            values = draw(st.lists(TEXT, min_size=n, max_size=n))
            columns[name] = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(values, type=pa.string())))
        elif kind == "arrow_list":
            values = draw(st.lists(st.one_of(st.none(), st.lists(st.text("ab,", max_size=3), max_size=2)),
                                   min_size=n, max_size=n))
            columns[name] = pd.Series(pd.arrays.ArrowExtensionArray(pa.array(values, type=pa.list_(pa.string()))))
        else:  # an object column of anything: numbers, floats (written by repr), lists
            columns[name] = pd.Series(draw(st.lists(st.one_of(TEXT, st.integers(), st.floats(), st.just(["x", "y"])),
                                                    min_size=n, max_size=n)), dtype=object)
    return pd.DataFrame(columns)


@st.composite
def frames(draw):
    return frame_of(draw, draw(st.integers(0, 6)))


@settings(max_examples=200, deadline=None)
@given(frame=frames(), slice_rows=st.sampled_from([1, 2, 50_000]))
# a one-column row whose number is missing is written "" (an empty line would be no row at all)
@example(frame=pd.DataFrame({"c0": [np.nan, 0.5]}), slice_rows=1)
@example(frame=pd.DataFrame({"c0": np.array([np.nan], dtype=np.float32)}), slice_rows=50_000)
def test_rows_are_pandas_bytes(frame, slice_rows):
    import evsynth.fileio as fileio

    assert _plain_columns(frame)
    buffer = io.StringIO()
    before = fileio.CSV_SLICE_ROWS
    try:
        fileio.CSV_SLICE_ROWS = slice_rows
        _write_csv_rows(frame, buffer)
    finally:
        fileio.CSV_SLICE_ROWS = before
    assert buffer.getvalue() == frame.to_csv(index=False, lineterminator="\n")


def test_the_cells_that_decide_quoting(tmp_path):
    frame = pd.DataFrame({"text": ["a,b", 'say "x"', "two\nlines", "cr\ronly", "", None, "plain"],
                          "score": np.array([0.5, np.nan, -0.0, 0.0, 1e-05, 0.1, 2.0], dtype=np.float32),
                          "n": [1, 2, 3, 4, 5, 6, 7]})
    write_csv(frame, tmp_path / "t.csv")
    # the carriage return is the spreadsheet policy's (csv_safe makes it a line feed, quoted)
    assert (tmp_path / "t.csv").read_bytes() == (
        b'text,score,n\n"a,b",0.5,1\n"say ""x""",,2\n"two\nlines",-0.0,3\n"cr\nonly",0.0,4\n,1e-05,5\n,0.1,6\n'
        b"plain,2.0,7\n")


def test_a_lone_empty_cell_is_quoted_and_dates_are_left_to_pandas(tmp_path):
    write_csv(pd.DataFrame({"only": ["", "x"]}), tmp_path / "one.csv")
    assert (tmp_path / "one.csv").read_bytes() == b'only\n""\nx\n'
    dates = pd.DataFrame({"when": pd.to_datetime(["2024-01-02", None]), "n": [1, 2]})
    assert not _plain_columns(dates)
    write_csv(dates, tmp_path / "dates.csv")
    assert (tmp_path / "dates.csv").read_bytes() == b"when,n\n2024-01-02,1\n,2\n"

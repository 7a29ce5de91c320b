"""``python_values``: a column as Python values, the same whether numpy objects or Arrow hold it."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from evsynth.columns import python_values


def arrow(*chunks, kind) -> pd.Series:
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.chunked_array([pa.array(c, type=kind) for c in chunks],
                                                                    type=kind)))


def test_text_columns_give_str_and_none():
    column = arrow(["x", None, ""], [], ["y"], kind=pa.string())
    assert python_values(column) == ["x", None, "", "y"]
    assert python_values(column.iloc[1:3]) == [None, ""]
    assert python_values(column.iloc[0:0]) == []
    assert python_values(pd.Series(["a", None], dtype=object)) == ["a", None]


def test_list_columns_give_lists_and_none_row_by_row():
    column = arrow([["a", None], None, []], [], [["b"], None, ["c", "", "d"]], kind=pa.list_(pa.string()))
    assert python_values(column) == [["a", None], None, [], ["b"], None, ["c", "", "d"]]
    # a slice starts and ends inside a chunk: its rows' own items, not the chunk's
    assert python_values(column.iloc[1:5]) == [None, [], ["b"], None]
    assert python_values(column.iloc[5:]) == [["c", "", "d"]]
    assert all(type(v) is list for v in python_values(column) if v is not None)


def test_other_arrow_types_keep_arrows_own_values():
    assert python_values(arrow([1, None, 3], kind=pa.int64())) == [1, None, 3]

"""A table's column as plain Python values, whatever holds it (numpy objects or Arrow buffers).

Used by the deduplication and by the writers alike, so it depends on neither.
"""

from __future__ import annotations

import pandas as pd


def python_values(values: pd.Series) -> list:
    """``values`` as a list of Python values, missing ones as None (text as str, a list of text as
    a list of str).

    pandas' ``tolist`` and iteration over an Arrow column make one pyarrow scalar per element, and
    so does Arrow's own ``to_pylist`` (a microsecond or more each, several for a list); text and
    lists of text are converted here by Arrow's numpy conversion in one pass instead.
    """
    if not isinstance(values.dtype, pd.ArrowDtype):
        return values.tolist()
    out: list = []
    for chunk in values.array.__arrow_array__().chunks:
        out += _chunk_values(chunk)
    return out


def _chunk_values(chunk) -> list:
    import numpy as np
    import pyarrow as pa

    kind = chunk.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return chunk.to_numpy(zero_copy_only=False).tolist()
    if (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and (
            pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
        # every item of the chunk at once, then each row's run of them (its offsets)
        offsets = chunk.offsets.to_numpy()
        first = int(offsets[0]) if len(offsets) else 0
        flat = chunk.values.slice(first, int(offsets[-1]) - first).to_numpy(zero_copy_only=False).tolist() \
            if len(offsets) else []
        bounds = (offsets - first).tolist()
        rows = [flat[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
        if chunk.null_count:
            for k in np.flatnonzero(chunk.is_null().to_numpy(zero_copy_only=False)).tolist():
                rows[k] = None
        return rows
    return chunk.to_pylist()

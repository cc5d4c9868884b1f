"""One row per post id: the one per-key selection every step that merges rows uses."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc


def first_per_id(keys: pa.Table, order: list[tuple[str, str]]) -> pa.Array:
    """Indices of one row per id of ``keys``: the first of each id in ``order``, ids ascending.

    ``order`` is a list of ``(column of keys, "ascending" | "descending")`` and should make a
    total order, so that the same rows give the same choice whatever their arrival.
    """
    indices = pc.sort_indices(keys, sort_keys=[("id", "ascending"), *order])
    ids = pc.take(keys["id"], indices).combine_chunks()
    if len(ids) < 2:
        return indices
    first = pa.concat_arrays([pa.array([True]), pc.not_equal(ids[1:], ids[:-1])])
    return pc.filter(indices, first)

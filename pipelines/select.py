"""One row per post id: the one per-key selection every step that merges rows uses."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from schemas.origins import Origin
from schemas.segment import ORIGIN


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


class SupersededListings:
    """Tells a listing row read after its post's permalink row: dead weight, since the shards always
    take the permalink's (:func:`first_per_id` over the origin), and blogs' zones are learnt from
    permalinks and feeds only (2 of 3 listing rows of a blog whose posts are on several listings).
    A crawl and a build of its WARC drop the same rows."""

    def __init__(self) -> None:
        self._permalinked: set[str] = set()  # ids of the posts whose permalink row was seen

    def superseded(self, row: dict[str, Any]) -> bool:
        if row[ORIGIN] == Origin.PERMALINK:
            self._permalinked.add(row["id"])
            return False
        return row[ORIGIN] == Origin.LISTING and row["id"] in self._permalinked

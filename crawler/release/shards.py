"""The snapshot's Parquet files: rows bucketed by id hash into ``train-K-of-N-<hash>.parquet``."""

from __future__ import annotations

import hashlib
import math
import os
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crawler.errors import UserError
from crawler.release.options import CDC_SUPPORTED, SnapshotOptions
from schemas.manifest import FileEntry, file_sha256

MAX_FILES_PER_FOLDER = 9_999  # the Hub wants fewer than 10k files per folder
_HEX8 = re.compile(r"^[0-9a-f]{8}")


def shard_count(rows: int, nbytes: int, options: SnapshotOptions) -> int:
    return max(1, math.ceil(rows / options.max_shard_rows), math.ceil(nbytes / options.max_shard_bytes))


def bucket_of(key: str, shards: int) -> int:
    """The shard of a row: a fixed range of the id hash space, so one new post touches one file."""
    prefix = key[:8] if _HEX8.match(key) else hashlib.sha256(key.encode()).hexdigest()[:8]
    return int(prefix, 16) * shards >> 32


def shard_name(number: int, total: int, sha256: str) -> str:
    """``train-K-of-N-<hash>.parquet``: the name changes with the bytes, so ``datasets`` never
    serves a stale cache of a snapshot rebuilt in place (see :mod:`pipelines.shards`)."""
    return f"train-{number:05d}-of-{total:05d}-{sha256[:16]}.parquet"


def row_group_rows(table: pa.Table, options: SnapshotOptions) -> int:
    by_bytes = options.row_group_bytes * table.num_rows // max(table.nbytes, 1)
    return max(1, min(options.row_group_rows, by_bytes))


def write_parquet(table: pa.Table, path: Path, options: SnapshotOptions) -> None:
    """zstd, bounded row groups, page index, and content-defined chunking where pyarrow has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cdc = {"use_content_defined_chunking": True} if CDC_SUPPORTED else {}
    pq.write_table(table, path, compression="zstd", row_group_size=row_group_rows(table, options),
                   write_page_index=True, **cdc)  # fmt: skip


def write_config(table: pa.Table, root: Path, folder: str, config: str, key: str,
                 options: SnapshotOptions) -> list[FileEntry]:  # fmt: skip
    """``folder/train-K-of-N-<hash>.parquet`` files of one config, rows bucketed by ``key``.

    Empty buckets get no file (datasets cannot read a Parquet file without rows), so N counts
    the files actually written; none at all for an empty table.
    """
    total = shard_count(table.num_rows, table.nbytes, options)
    if total > MAX_FILES_PER_FOLDER:
        raise UserError(
            f"{config}: {total} files would exceed the Hub's limit per folder; raise --max-shard-rows"
        )
    buckets = pa.array([bucket_of(k, total) for k in table[key].to_pylist()], pa.int32())
    parts = [table.filter(pc.equal(buckets, n)) if total > 1 else table for n in range(total)]
    parts = [part for part in parts if part.num_rows]
    entries = []
    for number, part in enumerate(parts):
        tmp = root / folder / f".part-{number}.tmp"
        write_parquet(part, tmp, options)
        sha256 = file_sha256(tmp)
        relative = f"{folder}/{shard_name(number, len(parts), sha256)}"
        size = tmp.stat().st_size
        os.replace(tmp, root / relative)
        entries.append(FileEntry(relative, config, sha256, size, part.num_rows))
    return entries

"""Defaults the library and the CLI share, in a module cheap to import (``--help`` reads them)."""

from __future__ import annotations

REDIS_PREFIX = "blogarchive"  # Redis key prefix of a distributed crawl: one per crawl
SNAPSHOT_SHARD_ROWS = 100_000  # rows per snapshot file (a target)
SNAPSHOT_SHARD_BYTES = 512 * 2**20  # uncompressed Arrow bytes a file; ~100-200 MB of zstd Parquet

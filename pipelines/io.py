"""Crash-safe files: written under a temp name, fsynced, renamed into place; named by their bytes."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


def atomic_write_table(table: pa.Table, path: Path, **options: Any) -> None:
    """Write a Parquet file under a temp name, fsync it, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = tmp_name(path)
    pq.write_table(table, tmp, compression="zstd", **options)
    commit(tmp, path)


def content_name(stem: str, path: Path) -> str:
    """``<stem>-<first 16 hex digits of the file's sha256>.parquet``: the name changes with the bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return f"{stem}-{digest.hexdigest()[:16]}.parquet"


def tmp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def commit(tmp: Path, path: Path) -> None:
    """fsync a finished temp file, then rename it into place."""
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

"""The media index: one record per fetched (or failed) file, and the post rows' ``media_files``.

A crawl records each media download in its ledger; a build reads the same facts back from
the WARC (the response record, or the metadata record of a download that gave none). Both
write ``OUT/media.parquet`` (sorted by URL) before the shards are finalized, and the
finalizer gives every post row, per media URL, what became of it and the sha256 of its
bytes: the same WARC gives the same shards whether crawled or built.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from pipelines.io import atomic_write_table
from schemas.media import FETCHED, NOT_CONTENT, NOT_FETCHED, MediaRef
from schemas.output import OutputDir

logger = logging.getLogger(__name__)

INDEX_SCHEMA = pa.schema(
    [
        pa.field("url", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("outcome", pa.string(), nullable=False),
        pa.field("sha256", pa.string()),
        pa.field("mime", pa.string()),
        pa.field("bytes", pa.int64()),
        pa.field("width", pa.int32()),
        pa.field("height", pa.int32()),
        pa.field("warc_file", pa.string()),  # relative to OUT when inside it
        pa.field("warc_offset", pa.int64()),
    ]
)


@dataclass(frozen=True)
class MediaRecord:
    url: str
    kind: str
    outcome: str
    sha256: str | None = None
    mime: str | None = None
    bytes: int | None = None
    width: int | None = None
    height: int | None = None
    warc_file: str | None = None
    warc_offset: int | None = None


def merge(old: MediaRecord | None, new: MediaRecord) -> MediaRecord:
    """Two downloads of one file (a retry, a re-crawl): a fetched one wins, else the latest."""
    return old if old is not None and old.outcome == FETCHED and new.outcome != FETCHED else new


def write_index(out: Path, records: Iterable[MediaRecord]) -> int:
    """``OUT/media.parquet``, sorted by URL; returns the record count (no file when none)."""
    rows = sorted((asdict(r) for r in records), key=lambda r: r["url"])
    path = OutputDir(out).media_index
    if not rows:
        path.unlink(missing_ok=True)
        return 0
    atomic_write_table(pa.Table.from_pylist(rows, schema=INDEX_SCHEMA), path)
    return len(rows)


def read_index(out: Path) -> dict[str, MediaRecord]:
    path = OutputDir(out).media_index
    if not path.exists():
        return {}
    return {row["url"]: MediaRecord(**row) for row in pq.read_table(path).to_pylist()}


def media_files(refs: list[MediaRef], index: dict[str, MediaRecord]) -> list[dict[str, Any]]:
    """The ``media_files`` cell of a post: per media URL (``refs``), the file fetched for it and its outcome."""
    cells = []
    for ref in refs:
        file_url, record = _file_of(ref, index)
        if ref.fetch_url is None:
            outcome = NOT_CONTENT
        else:
            outcome = record.outcome if record is not None else NOT_FETCHED
        cells.append({"url": ref.url, "file_url": file_url, "kind": ref.kind.value if ref.kind else None,
                      "outcome": outcome, "sha256": record.sha256 if record is not None else None})  # fmt: skip
    return cells


def _file_of(ref: MediaRef, index: dict[str, MediaRecord]) -> tuple[str | None, MediaRecord | None]:
    """The file a media URL has: its best size (what a crawl fetches), else the size the page showed,
    when an archive holds that one only (a browser's capture, built from another tool's WARC)."""
    if ref.fetch_url is None or ref.fetch_url in index or ref.shown_url not in index:
        return ref.fetch_url, index.get(ref.fetch_url) if ref.fetch_url else None
    return ref.shown_url, index[ref.shown_url]

"""The ``media`` config of a snapshot: one row per archived file of the published posts.

Each row names the post (the smallest id of the posts that show the file), the file's
URL, sha256, MIME type, size, width and height, and holds the image itself as a
``datasets`` ``Image`` feature (``{"bytes", "path"}`` in the Parquet; the feature is
declared in the file's ``huggingface`` metadata), so ``load_dataset(SNAP, "media")``
yields pictures. The bytes are read back from the crawl's WARC records, a file at a time,
and written in bounded row groups and files (memory holds one row group, never the
config). Files of posts left out (opt-out, noarchive) are left out too; with
``media_bytes=False`` the rows keep only the metadata.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.media_warc import read_payload
from pipelines.media import MediaRecord, read_index
from schemas.manifest import FileEntry, file_sha256
from schemas.media import FETCHED

logger = logging.getLogger(__name__)

MEDIA_CONFIG = "media"
IMAGE_TYPE = pa.struct([pa.field("bytes", pa.binary()), pa.field("path", pa.string())])
FEATURES = {
    "post_id": {"dtype": "string", "_type": "Value"},
    "url": {"dtype": "string", "_type": "Value"},
    "kind": {"dtype": "string", "_type": "Value"},
    "sha256": {"dtype": "string", "_type": "Value"},
    "mime": {"dtype": "string", "_type": "Value"},
    "bytes": {"dtype": "int64", "_type": "Value"},
    "width": {"dtype": "int32", "_type": "Value"},
    "height": {"dtype": "int32", "_type": "Value"},
    "image": {"_type": "Image"},
}
MEDIA_SCHEMA = pa.schema(
    [
        pa.field("post_id", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("sha256", pa.string(), nullable=False),
        pa.field("mime", pa.string()),
        pa.field("bytes", pa.int64()),
        pa.field("width", pa.int32()),
        pa.field("height", pa.int32()),
        pa.field("image", IMAGE_TYPE),
    ],
    metadata={b"huggingface": json.dumps({"info": {"features": FEATURES}}, sort_keys=True).encode()},
)
MEDIA_COLUMN_DOCS = {
    "post_id": "id of the post showing the file (the smallest, when several do)",
    "url": "the file's URL (its largest size)",
    "kind": "image, video or audio",
    "sha256": "sha256 of the bytes (as in the post's media_files)",
    "mime": "MIME type proven by the bytes",
    "bytes": "file size",
    "width": "image width in pixels",
    "height": "image height in pixels",
    "image": "the image (datasets Image feature); null without bytes (--no-media-bytes) or for video/audio",
}


class MediaFiles:
    """The fetched files of the posts a snapshot publishes, each with its first post id."""

    def __init__(self) -> None:
        self.post_of: dict[str, str] = {}
        self.sha_of: dict[str, str] = {}

    def add(self, posts: pa.Table) -> None:
        if "media_files" not in posts.column_names:
            return
        for post_id, cells in zip(posts["id"].to_pylist(), posts["media_files"].to_pylist(), strict=True):
            for cell in cells or []:
                url = cell["file_url"]
                if (
                    cell["outcome"] == FETCHED
                    and url
                    and (url not in self.post_of or post_id < self.post_of[url])
                ):
                    self.post_of[url] = post_id
                    self.sha_of[url] = cell["sha256"]

    def rows(self, outs: list[Path], with_bytes: bool) -> Iterator[dict[str, Any]]:
        """One row per file in URL order, its bytes read from the WARC of the crawl holding it."""
        indexes = [(out, read_index(out)) for out in outs]
        for url in sorted(self.post_of):
            found = next(((out, index[url]) for out, index in indexes
                          if url in index and index[url].sha256 == self.sha_of[url]), None)  # fmt: skip
            if found is None:
                logger.warning("media file %s is in no crawl's media index: left out", url)
                continue
            out, record = found
            image = None
            if with_bytes and record.kind == "image":
                payload = _payload(out, record)
                if payload is None:
                    continue
                image = {"bytes": payload, "path": None}
            yield {"post_id": self.post_of[url], "url": url, "kind": record.kind, "sha256": record.sha256,
                   "mime": record.mime, "bytes": record.bytes, "width": record.width, "height": record.height,
                   "image": image}  # fmt: skip


def _payload(out: Path, record: MediaRecord) -> bytes | None:
    try:
        payload = read_payload(out, record)
    except (OSError, ValueError) as exc:
        logger.warning("media file %s unreadable in its WARC (%s): left out", record.url, exc)
        return None
    if hashlib.sha256(payload).hexdigest() != record.sha256:
        logger.warning("media file %s: WARC bytes differ from the recorded sha256: left out", record.url)
        return None
    return payload


def write_media_config(rows: Iterator[dict[str, Any]], root: Path, max_file_bytes: int, max_file_rows: int,
                       group_bytes: int, name: Callable[[int, int, str], str]) -> tuple[list[FileEntry], int, int]:  # fmt: skip
    """``media/<name(K, N, sha256)>`` files streamed a row group at a time; (entries, files, bytes)."""
    folder = root / MEDIA_CONFIG
    written: list[tuple[Path, int]] = []
    writer: pq.ParquetWriter | None = None
    batch: list[dict[str, Any]] = []
    batch_bytes = file_bytes = file_rows = count = total = 0

    def flush() -> None:
        nonlocal batch, batch_bytes
        if batch and writer is not None:
            writer.write_table(pa.Table.from_pylist(batch, schema=MEDIA_SCHEMA))
        batch, batch_bytes = [], 0

    for row in rows:
        if writer is None:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f".part-{len(written):05d}.tmp"
            writer = pq.ParquetWriter(path, MEDIA_SCHEMA, compression="zstd")
            written.append((path, 0))
        batch.append(row)
        size = len(row["image"]["bytes"]) if row["image"] else 0
        batch_bytes, file_bytes, file_rows = batch_bytes + size, file_bytes + size, file_rows + 1
        count, total = count + 1, total + (row["bytes"] or 0)
        if batch_bytes >= group_bytes:
            flush()
        if file_bytes >= max_file_bytes or file_rows >= max_file_rows:
            flush()
            writer.close()
            written[-1] = (written[-1][0], file_rows)
            writer, file_bytes, file_rows = None, 0, 0
    if writer is not None:
        flush()
        writer.close()
        written[-1] = (written[-1][0], file_rows)
    entries = []
    for number, (tmp, file_count) in enumerate(written):
        digest = file_sha256(tmp)
        relative = f"{MEDIA_CONFIG}/{name(number, len(written), digest)}"
        os.replace(tmp, root / relative)
        entries.append(
            FileEntry(relative, MEDIA_CONFIG, digest, (root / relative).stat().st_size, file_count)
        )
    return entries, count, total

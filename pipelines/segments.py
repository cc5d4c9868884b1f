"""Segments: the crawl's durable record, ``OUT/.state/segments/seg-NNNNNN.parquet``.

During a crawl rows are buffered and flushed every ``BLOGARCHIVE_SEGMENT_ROWS`` rows
(temp file, fsync, atomic rename): a segment exists whole or not at all, and a resumed
crawl reads them to skip finished posts. A damaged one is moved aside, never read half.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.io import atomic_write_table
from schemas.origins import Origin
from schemas.output import OutputDir
from schemas.post import to_row
from schemas.segment import ORIGIN, SEGMENT_ONLY, SEGMENT_SCHEMA

logger = logging.getLogger(__name__)


class DamagedFile(Exception):
    """A file of ours that cannot be read back (cut by a crash or a full disk, bit rot)."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path} is damaged ({reason})")
        self.path = path
        self.reason = reason


def segment_table(rows: Iterable[dict[str, Any]]) -> pa.Table:
    records = []
    for row in rows:
        record = to_row(row)
        record[ORIGIN] = row[ORIGIN]
        record.update((name, row.get(name)) for name in SEGMENT_ONLY.names[1:])
        records.append(record)
    return pa.Table.from_pylist(records, schema=SEGMENT_SCHEMA)


class SegmentWriter:
    """Buffers rows and flushes them as whole segment files."""

    def __init__(
        self,
        out: Path,
        flush_rows: int,
        on_flush: Callable[[list[dict[str, Any]]], None] | None = None,
        flush_seconds: float = 0.0,
        write_later: Callable[[Path, list[dict[str, Any]]], None] | None = None,
    ) -> None:
        self.directory = OutputDir(out).segments
        self.directory.mkdir(parents=True, exist_ok=True)
        self.flush_rows = flush_rows
        # A slow crawl flushes by time too, so a kill loses at most that much work.
        self.flush_seconds = flush_seconds
        self.on_flush = on_flush  # told of the rows once they are durable
        # Given each segment to write (``write_segment``) instead of writing it here: whoever
        # writes it tells ``on_flush`` once it is renamed, or gives the rows back (``give_back``).
        self.write_later = write_later
        self._last_flush = time.monotonic()
        self.buffer: list[dict[str, Any]] = []
        self._next = _next_segment_number(self.directory)

    def add(self, row: dict[str, Any]) -> None:
        self.buffer.append(row)
        overdue = self.flush_seconds and time.monotonic() - self._last_flush >= self.flush_seconds
        if len(self.buffer) >= self.flush_rows or overdue:
            self.flush()

    def flush(self) -> Path | None:
        self._last_flush = time.monotonic()
        if not self.buffer:
            return None
        path = self.directory / f"seg-{self._next:06d}.parquet"
        if self.write_later is None:
            write_segment(path, self.buffer)
        self._next += 1
        rows, self.buffer = self.buffer, []
        if self.write_later is not None:
            self.write_later(path, rows)
        elif self.on_flush is not None:
            self.on_flush(rows)
        return path

    def give_back(self, rows: list[dict[str, Any]]) -> None:
        """Rows whose segment could not be written: first in the next one."""
        self.buffer[:0] = rows


def write_segment(path: Path, rows: list[dict[str, Any]]) -> None:
    """One segment file, whole or not at all (temp file, fsync, rename)."""
    atomic_write_table(segment_table(rows), path)


def _next_segment_number(directory: Path) -> int:
    numbers = [int(p.stem.split("-")[1]) for p in directory.glob("seg-*.parquet")]
    return max(numbers, default=-1) + 1


def read_segments(out: Path, columns: list[str] | None = None) -> pa.Table:
    """Every segment row of ``out`` (an empty table when there is none)."""
    files = sorted(OutputDir(out).segments.glob("seg-*.parquet"))
    schema = SEGMENT_SCHEMA if columns is None else pa.schema([SEGMENT_SCHEMA.field(c) for c in columns])
    if not files:
        return schema.empty_table()
    return pa.concat_tables([read_segment(f, columns) for f in files])


def read_segment(path: Path, columns: list[str] | None = None) -> pa.Table:
    """One segment file (an older one's missing columns as nulls).

    ``ParquetFile.read``, not ``pq.read_table``: the latter keeps ~40 KB for every file it
    has read (its dataset layer), and a crawl's finalize reads thousands of segments.
    """
    try:
        table = pq.ParquetFile(path).read(columns=columns, use_threads=False)
        if columns is None and not table.schema.equals(SEGMENT_SCHEMA):
            return pq.read_table(path, schema=SEGMENT_SCHEMA)
    except (pa.ArrowException, OSError) as exc:
        raise DamagedFile(path, str(exc).splitlines()[0]) from exc
    return table


def segment_rows(path: Path) -> int:
    """Rows of one segment, from its footer (a DamagedFile when it has none)."""
    try:
        return pq.read_metadata(path).num_rows
    except (pa.ArrowException, OSError) as exc:
        raise DamagedFile(path, str(exc).splitlines()[0]) from exc


def quarantine(path: Path, out: Path) -> Path:
    """Move a damaged file of ``OUT/.state`` aside, into ``OUT/.state/quarantine`` (kept for a look)."""
    directory = OutputDir(out).quarantine
    directory.mkdir(parents=True, exist_ok=True)
    moved = directory / f"{path.name}.{int(time.time())}"
    os.replace(path, moved)
    logger.warning("%s is damaged: moved to %s", path, moved)
    return moved


def quarantine_damaged_segments(out: Path) -> list[Path]:
    """Segments without a readable footer (a crash or full disk mid-write, bit rot), moved aside."""
    moved = []
    for path in sorted(OutputDir(out).segments.glob("seg-*.parquet")):
        try:
            segment_rows(path)
        except DamagedFile:
            moved.append(quarantine(path, out))
    return moved


def durable_post_ids(out: Path) -> set[str]:
    """Ids of the posts whose permalink row is in a segment."""
    return {row["id"] for row in permalink_rows(out, ["id"])}


def permalink_rows(out: Path, columns: list[str] | None = None) -> list[dict[str, Any]]:
    """The segments' permalink rows (``columns`` only; default: what the ledger keeps of them)."""
    columns = columns or ["url", "id", "blog_url", "updated", "content_hash"]
    table = read_segments(out, columns=[*columns, ORIGIN])
    return table.filter(pc.equal(table[ORIGIN], int(Origin.PERMALINK))).select(columns).to_pylist()

"""Shards and the output's card: ``OUT/data/<platform>/part-NNNNN-<hash>.parquet`` and ``OUT/README.md``.

A shard's name ends with a hash of its bytes and the card lists every file by name:
``datasets`` keys its cache on a local folder's name and its configs' ``data_files``
patterns, not on the files' content (huggingface/datasets#2956), so a glob or a reused
name would load a stale copy after a re-crawl; new content is a new name, hence a new
cache key, and the same content keeps its name.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipelines.io import commit, content_name, tmp_name
from schemas.output import OutputDir
from schemas.post import COLUMN_DOCS, POST_SCHEMA, SCHEMA_VERSION, to_row

ROW_GROUP_ROWS = 10_000

ARROW_CHUNK_ROWS = 1_000  # finished rows held as Python objects before becoming Arrow


class ShardWriter:
    """Rows in (platform, id) order to ``part-NNNNN-<hash>.parquet`` files of ``shard_rows`` rows.

    A row group (``ROW_GROUP_ROWS``) is built from small Arrow chunks then written whole,
    so the files are byte for byte what writing each shard's table at once gives.
    """

    def __init__(self, data: Path, shard_rows: int) -> None:
        self.data = data
        self.shard_rows = shard_rows
        self.counts: dict[str, int] = {}
        self.written: list[Path] = []
        self.platform: str | None = None
        self.file: pq.ParquetWriter | None = None
        self.path: Path | None = None
        self.chunks: list[pa.Table] = []
        self.pending: list[dict[str, Any]] = []

    def add(self, row: dict[str, Any]) -> None:
        if row["platform"] != self.platform:
            self._close_platform()
            self.platform = row["platform"]
            self.counts[self.platform] = 0
        self.pending.append(to_row(row))
        self.counts[self.platform] += 1
        if len(self.pending) >= ARROW_CHUNK_ROWS:
            self._chunk()
        if self.counts[self.platform] % self.shard_rows == 0:
            self._close_file()
        elif (self.counts[self.platform] % self.shard_rows) % ROW_GROUP_ROWS == 0:
            self._row_group()

    def close(self) -> dict[str, int]:
        self._close_platform()
        return self.counts

    def _chunk(self) -> None:
        if self.pending:
            self.chunks.append(pa.Table.from_pylist(self.pending, schema=POST_SCHEMA))
            self.pending = []

    def _row_group(self) -> None:
        self._chunk()
        if not self.chunks:
            return
        if self.file is None:
            number = (self.counts[self.platform] - 1) // self.shard_rows
            self.path = self.data / self.platform / f"part-{number:05d}"
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.file = pq.ParquetWriter(tmp_name(self.path), POST_SCHEMA, compression="zstd")
        self.file.write_table(pa.concat_tables(self.chunks).combine_chunks(), row_group_size=ROW_GROUP_ROWS)
        self.chunks = []

    def _close_file(self) -> None:
        self._row_group()
        if self.file is not None and self.path is not None:
            self.file.close()
            tmp = tmp_name(self.path)
            final = self.path.with_name(content_name(self.path.name, tmp))
            commit(tmp, final)
            self.written.append(final)
        self.file = self.path = None

    def _close_platform(self) -> None:
        self._close_file()
        if self.platform is not None:
            directory = self.data / self.platform
            for stale in set(directory.glob("part-*.parquet")) - set(self.written):
                stale.unlink()


def damaged_shards(out: Path) -> list[Path]:
    """Shards of ``out/data`` whose footer cannot be read (cut by a crash or a full disk)."""
    damaged = []
    for path in sorted(OutputDir(out).data.glob("*/part-*.parquet")):
        try:
            pq.read_metadata(path)
        except (pa.ArrowException, OSError):
            damaged.append(path)
    return damaged


def count_comments(out: Path) -> int:
    """Comments in the final shards (for the end-of-run summary)."""
    return sum(
        pc.sum(pc.list_value_length(pq.read_table(path, columns=["comments"])["comments"])).as_py() or 0
        for path in shard_files(out)
    )


def shard_files(out: Path, platform: str = "*") -> list[Path]:
    """The final shards of a crawl output (of one platform, or all), in order."""
    return sorted(OutputDir(out).data.glob(f"{platform}/part-*.parquet"))


def data_files_yaml(paths: list[str]) -> list[str]:
    """A config's ``data_files`` in the card: every file by name (no glob: see the module docstring)."""
    if not paths:
        return ["  data_files:", "  - split: train", "    path: []"]
    return ["  data_files:", "  - split: train", "    path:", *(f"    - {path}" for path in paths)]


def write_output_card(out: Path, counts: dict[str, int]) -> None:
    """A minimal dataset card so ``datasets.load_dataset(OUT)`` reads exactly the current shards."""
    files = {p: [f.relative_to(out).as_posix() for f in shard_files(out, p)] for p in sorted(counts)}
    lines = ["---", "configs:", "- config_name: default", "  default: true",
             *data_files_yaml([f for p in files for f in files[p]])]  # fmt: skip
    for platform in files:
        lines += [f"- config_name: {platform}", *data_files_yaml(files[platform])]
    lines += ["---", "", "# blogarchive crawl output", "",
              f"Posts by platform: {', '.join(f'{p} {n}' for p, n in sorted(counts.items())) or 'none'}.",
              f"Schema version {SCHEMA_VERSION}. Raw captures are in `warc/`; `blogarchive snapshot` makes a publishable dataset.",
              "", "| column | meaning |", "|---|---|"]  # fmt: skip
    lines += [f"| {name} | {doc} |" for name, doc in COLUMN_DOCS.items()]
    card = OutputDir(out).card
    tmp = card.with_name(f".{card.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, card)

"""``datasets.load_dataset`` on a large synthetic output directory with the real schema.

``python -m benchmarks.load DIR --rows 1000000`` writes ``DIR/data/<platform>/part-NNNNN.parquet``
(rows built by ``schemas.post.to_table``, shards and row groups as ``finalize`` writes
them, the output card of a crawl), then loads it with a cold cache and prints one JSON
line: rows, bytes on disk, seconds to write and seconds to load.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa

from pipelines.io import atomic_write_table
from pipelines.shards import ROW_GROUP_ROWS, write_output_card
from schemas.post import PLATFORMS, POST_SCHEMA, to_table
from tests.fixtureweb.base import FR_WORDS, paragraph, sentence

BLOCK_ROWS = 10_000
SHARD_ROWS = 50_000
START = datetime(2006, 1, 1, tzinfo=timezone.utc)


def synthetic_post(rng: random.Random, n: int) -> dict[str, Any]:
    """A plausible post row: ~1,500 characters of text, 0-4 comments, tags."""
    published = START + timedelta(hours=n * 7 + rng.randint(0, 6))
    text = "\n\n".join(paragraph(rng, FR_WORDS, rng.randint(2, 5)) for _ in range(rng.randint(2, 5)))
    comments = [
        {"id": f"c{n}-{i}", "author": rng.choice(FR_WORDS), "author_url": None,
         "published": published + timedelta(hours=i + 1), "text": sentence(rng, FR_WORDS, 15), "parent_id": None}
        for i in range(rng.randint(0, 4))
    ]  # fmt: skip
    return {
        "id": "", "url": "", "blog_url": "http://blog.example.org/", "blog_title": "Un blog",
        "platform": "canalblog", "title": sentence(rng, FR_WORDS, 5), "author": "Marie",
        "published": published, "updated": None, "text": text,
        "tags": rng.sample(FR_WORDS, rng.randint(0, 3)), "comments": comments,
        "comment_count": len(comments), "media_urls": [], "language": "fr", "language_score": 0.9999,
        "source": "live", "archived_at": None, "fetched_at": published + timedelta(days=3650),
        "content_hash": hashlib.sha256(text.encode()).hexdigest(), "warc_record_id": None,
        "robots": None, "extra": None,
    }  # fmt: skip


def _with_keys(block: pa.Table, platform: str, start: int) -> pa.Table:
    """The block with this platform and unique ids/URLs (sorted by id, as finalize writes)."""
    ids = [hashlib.sha256(f"{platform}{start + i}".encode()).hexdigest()[:32] for i in range(block.num_rows)]
    ids.sort()
    columns = {
        "id": pa.array(ids, pa.string()),
        "url": pa.array([f"http://blog.example.org/{i}.html" for i in ids], pa.string()),
        "platform": pa.array([platform] * block.num_rows, pa.string()),
    }
    for name, values in columns.items():
        block = block.set_column(POST_SCHEMA.get_field_index(name), POST_SCHEMA.field(name), values)
    return block


def write_output(out: Path, rows: int) -> int:
    """Write ``rows`` posts as a crawl's output; returns bytes on disk."""
    rng = random.Random(1)
    block = to_table(synthetic_post(rng, n) for n in range(BLOCK_ROWS))
    per_platform = rows // len(PLATFORMS)
    counts = {}
    for platform in PLATFORMS:
        for number, start in enumerate(range(0, per_platform, SHARD_ROWS)):
            size = min(SHARD_ROWS, per_platform - start)
            parts = [
                _with_keys(block.slice(0, min(BLOCK_ROWS, size - offset)), platform, start + offset)
                for offset in range(0, size, BLOCK_ROWS)
            ]
            path = out / "data" / platform / f"part-{number:05d}.parquet"
            atomic_write_table(pa.concat_tables(parts), path, row_group_size=ROW_GROUP_ROWS)
        counts[platform] = per_platform
    write_output_card(out, counts)
    return sum(p.stat().st_size for p in out.glob("data/*/*.parquet"))


def load_seconds(out: Path, cache: Path) -> tuple[int, float]:
    import datasets

    started = time.perf_counter()
    dataset = datasets.load_dataset(str(out), split="train", cache_dir=str(cache))
    return dataset.num_rows, time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
    started = time.perf_counter()
    size = write_output(args.directory / "snapshot", args.rows)
    written = time.perf_counter() - started
    rows, seconds = load_seconds(args.directory / "snapshot", args.directory / "hf-cache")
    print(
        json.dumps(
            {
                "rows": rows,
                "bytes": size,
                "write_seconds": round(written, 2),
                "load_seconds": round(seconds, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

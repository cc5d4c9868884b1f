"""Snapshot at scale: build time, sizes, datasets load times, and what a re-publish would upload.

    .venv/bin/python -m benchmarks.snapshot_scale --posts 10000 --dir /tmp/bench

Synthetic crawl (French-like text, 0-4 comments a post) -> snapshot v1 (wall and CPU time,
pool workers included), v1 rebuilt in place (--force: the comment languages come from its
cache); 2% new posts -> v2; 1% of the posts edited -> v3, each built with the one before as
previous. ``--first-only`` stops after v1 and its rebuild. The upload
estimate splits every Parquet file into content-defined chunks (a gear rolling hash, ~64 KiB
average, as Xet storage does) and counts the bytes of a version's chunks that the version
before does not have.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import shutil
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from crawler.release.options import SnapshotOptions
from crawler.release.publish import tree_digest
from crawler.release.snapshot import build_snapshot
from crawler.urls import post_id
from tests.crawl_outputs import write_crawl

WORDS = ("le", "la", "les", "un", "une", "des", "et", "est", "dans", "pour", "avec", "sur", "pas", "plus", "nous",
         "vous", "été", "faire", "jardin", "cuisine", "voyage", "photo", "soleil", "pluie", "marché", "recette",
         "tarte", "pommes", "beurre", "farine", "souvenir", "enfance", "village", "montagne", "mer", "plage", "livre",
         "lecture", "musique", "chanson", "ami", "famille")  # fmt: skip
PLATFORMS = ("blogspot", "canalblog", "typepad", "tumblr")
T0 = datetime(2024, 1, 1, tzinfo=timezone.utc)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def synthetic_post(rng: random.Random, number: int, fetched: datetime, edit: int = 0) -> dict:
    platform = PLATFORMS[number % 4]
    blog = f"https://blog{number % 500}.{platform}.com/"
    url = f"{blog}post/{number}.html"
    text = "\n\n".join(sentence(rng, rng.randint(40, 120)) for _ in range(rng.randint(2, 8)))
    if edit:
        text += f"\n\nMise à jour {edit}."
    comments = [{"id": f"{number}-{k}", "author": f"lecteur{k}", "author_url": None,
                 "published": T0 - timedelta(days=number % 3000), "text": sentence(rng, rng.randint(8, 40)),
                 "parent_id": None} for k in range(rng.randint(0, 4))]  # fmt: skip
    return {"id": post_id(url), "url": url, "blog_url": blog, "blog_title": f"Blog {number % 500}",
            "platform": platform, "title": sentence(rng, 5), "author": "auteur",
            "published": T0 - timedelta(days=number % 5000), "updated": None, "text": text, "tags": ["vie"],
            "comments": comments, "comment_count": len(comments), "media_urls": [], "language": "fr",
            "language_score": 0.99, "source": "live", "archived_at": None, "fetched_at": fetched,
            "content_hash": hashlib.sha256(text.encode()).hexdigest(), "warc_record_id": None,
            "robots": None, "extra": None}  # fmt: skip


def gear_chunks(data: bytes, mask_bits: int = 16) -> list[bytes]:
    """Content-defined chunks: cut where a 64-byte gear hash has its top ``mask_bits`` bits zero."""
    table = np.random.default_rng(0).integers(0, 2**63, 256, dtype=np.uint64)
    values = table[np.frombuffer(data, dtype=np.uint8)]
    rolling = np.zeros(len(values), dtype=np.uint64)
    for shift in range(64):
        rolling[shift:] += values[: len(values) - shift] << np.uint64(shift)
    cuts = np.flatnonzero((rolling >> np.uint64(64 - mask_bits)) == 0) + 1
    bounds = [0, *cuts.tolist(), len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def chunk_digests(snapshot: Path) -> dict[str, int]:
    digests = {}
    for path in snapshot.rglob("*.parquet"):
        for chunk in gear_chunks(path.read_bytes()):
            digests[hashlib.sha256(chunk).hexdigest()] = len(chunk)
    return digests


def cpu_seconds() -> float:
    """CPU time of this process and of its waited-for children (the language pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, results: dict, function, *args, **kwargs):
    start, cpu = time.perf_counter(), cpu_seconds()
    value = function(*args, **kwargs)
    results[label] = round(time.perf_counter() - start, 2)
    results[label.removesuffix("_s") + "_cpu_s"] = round(cpu_seconds() - cpu, 2)
    return value


def upload_estimate(old: Path, new: Path) -> dict[str, float]:
    """MiB of Parquet in ``new`` and MiB of its chunks that ``old`` does not have."""
    before, after = chunk_digests(old), chunk_digests(new)
    return {"parquet_mib": round(sum(after.values()) / 2**20, 2),
            "new_chunks_mib": round(sum(n for d, n in after.items() if d not in before) / 2**20, 2)}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/blogarchive-bench"))
    parser.add_argument("--first-only", action="store_true", help="only v1 and its rebuild from the cache")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    rng = random.Random(0)
    first = [synthetic_post(rng, n, T0) for n in range(args.posts)]
    added = [
        synthetic_post(rng, n, T0 + timedelta(days=30)) for n in range(args.posts, args.posts * 51 // 50)
    ]
    edited = [
        synthetic_post(random.Random(n), n, T0 + timedelta(days=60), edit=1)
        for n in range(0, args.posts, 100)
    ]
    crawls = [write_crawl(args.dir / f"crawl{i}", posts) for i, posts in enumerate((first, added, edited), 1)]
    results: dict = {"posts": args.posts, "comments": sum(len(p["comments"]) for p in first)}
    v1 = timed(
        "snapshot_v1_s",
        results,
        build_snapshot,
        crawls[:1],
        args.dir / "v1",
        SnapshotOptions(version="1.0.0"),
    )
    results["v1_files"] = len(v1.manifest.files)
    results["v1_mib"] = round(sum(f.bytes for f in v1.manifest.files) / 2**20, 2)
    digest = tree_digest(args.dir / "v1")
    timed("snapshot_v1_rebuild_cached_s", results, build_snapshot, crawls[:1], args.dir / "v1",
          SnapshotOptions(version="1.0.0"), force=True)  # fmt: skip
    results["v1_rebuild_identical"] = tree_digest(args.dir / "v1") == digest
    if args.first_only:
        report(results, args.json)
        return
    timed("snapshot_v2_append_2pct_s", results, build_snapshot, crawls[:2], args.dir / "v2",
          SnapshotOptions(version="2.0.0"), previous=args.dir / "v1")  # fmt: skip
    results["v2_upload"] = upload_estimate(args.dir / "v1", args.dir / "v2")
    timed("snapshot_v3_edit_1pct_s", results, build_snapshot, crawls, args.dir / "v3",
          SnapshotOptions(version="3.0.0"), previous=args.dir / "v2")  # fmt: skip
    results["v3_upload"] = upload_estimate(args.dir / "v2", args.dir / "v3")

    import datasets

    snapshot, cache = str(args.dir / "v3"), str(args.dir / "cache")
    train = timed("load_all_s", results, datasets.load_dataset, snapshot, cache_dir=cache)["train"]
    results["loaded_rows"] = train.num_rows
    timed("load_canalblog_s", results, datasets.load_dataset, snapshot, "canalblog", cache_dir=cache)
    timed("load_comments_s", results, datasets.load_dataset, snapshot, "comments", cache_dir=cache)
    stream = datasets.load_dataset(snapshot, streaming=True)["train"]
    timed("stream_first_1000_s", results, lambda: sum(1 for _ in stream.take(1000)))
    report(results, args.json)


def report(results: dict, path: Path | None) -> None:
    text = json.dumps(results, indent=2)
    print(text)
    if path is not None:
        path.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

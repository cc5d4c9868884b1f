"""Damage to a crawl output (a cut segment, a garbage ledger, a full disk): the next run mends it, loses nothing."""

from __future__ import annotations

import resource
import signal
import subprocess
import sys
from pathlib import Path

from crawler.failures import FAILURE_STAT
from pipelines.segments import read_segment
from schemas.segment import ORIGIN
from tests.helpers import ROOT, blogarchive, read_posts, read_stats

SITE = "canalblog:posts=12,seed=3"
FAST = ("--workers", "0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "BLOGARCHIVE_SEGMENT_ROWS=4",
        "-s", "BLOGARCHIVE_WAYBACK_FALLBACK=False")  # fmt: skip


def crawl(url: str, out: Path, *extra: str, check: bool = True) -> subprocess.CompletedProcess:
    return blogarchive("crawl", url, "-o", str(out), *FAST, *extra, check=check)


def post_ids(out: Path) -> list[str]:
    return sorted(row["id"] for row in read_posts(out))


def test_a_cut_segment_and_a_garbage_ledger_are_mended_by_the_next_crawl(fixture_web, tmp_path):
    url = fixture_web(SITE).urls[0]
    out = tmp_path / "out"
    crawl(url, out)
    expected = post_ids(out)
    assert len(expected) == 12
    segment = next(  # one holding post pages' rows (others hold listing and feed rows)
        path
        for path in sorted((out / ".state" / "segments").glob("seg-*.parquet"))
        if 0 in read_segment(path, [ORIGIN])[ORIGIN].to_pylist()
    )
    segment.write_bytes(segment.read_bytes()[: segment.stat().st_size // 2])
    crawl(url, out, "--resume")
    stats = read_stats(out)["scrapy"]
    assert stats["blogarchive/resume/quarantined_segments"] == 1
    assert stats["blogarchive/resume/refetched_posts"] >= 1
    assert post_ids(out) == expected

    ledger = out / ".state" / "ledger.sqlite"
    ledger.write_bytes(b"this is not a database" * 100)
    for extra in ("-wal", "-shm"):
        Path(f"{ledger}{extra}").unlink(missing_ok=True)
    crawl(url, out)
    stats = read_stats(out)["scrapy"]
    assert stats["blogarchive/resume/ledger_rebuilt_posts"] == 12
    assert stats.get("blogarchive/pages/post", 0) == 0  # every post was in the segments: none fetched again
    assert post_ids(out) == expected
    assert list((out / ".state").glob("ledger.sqlite.damaged-*"))


def limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_exits_non_zero_and_the_rerun_loses_nothing(fixture_web, tmp_path):
    url = fixture_web(SITE).urls[0]
    out = tmp_path / "out"
    command = [sys.executable, "-m", "crawler.cli", "crawl", url, "-o", str(out), *FAST,
               "-s", "BLOGARCHIVE_WARC_MAX_BYTES=100000000"]  # fmt: skip
    # 70 KB: the ledger's start (45 KB of WAL) fits, the crawl's WARC (83 KB) does not: the disk
    # fills mid-crawl (the ledger's WAL, one commit per segment, stays smaller)
    full = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          preexec_fn=limit_file_size(70_000))  # fmt: skip
    assert full.returncode == 1, full.stderr
    errors = [line for line in full.stderr.splitlines() if line.startswith("blogarchive crawl: error:")]
    assert len(errors) == 1 and "run the same command again" in errors[0], full.stderr
    assert read_stats(out)["scrapy"][FAILURE_STAT] in errors[0]
    crawl(url, out)
    assert len(post_ids(out)) == 12
    clean = tmp_path / "clean"
    crawl(url, clean)
    assert {r["id"]: r["content_hash"] for r in read_posts(out)} == {
        r["id"]: r["content_hash"] for r in read_posts(clean)
    }


def test_a_cut_shard_is_rebuilt_from_the_segments_by_stats_and_by_crawl(fixture_web, tmp_path):
    url = fixture_web("canalblog:posts=4,seed=5").urls[0]
    out = tmp_path / "out"
    crawl(url, out)
    (shard,) = out.glob("data/*/part-*.parquet")
    whole = shard.read_bytes()
    shard.write_bytes(whole[: len(whole) // 2])
    result = blogarchive("stats", str(out), "--json")
    assert '"posts": 4' in result.stdout
    assert shard.read_bytes() == whole  # the same bytes again
    shard.write_bytes(whole[:100])
    crawl(url, out)
    assert shard.read_bytes() == whole
    shard.write_bytes(whole[:100])
    for segment in (out / ".state" / "segments").iterdir():
        segment.unlink()
    result = blogarchive("stats", str(out), check=False)
    assert result.returncode == 2 and "rebuild the shards with `blogarchive build" in result.stderr

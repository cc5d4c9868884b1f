"""Archival guarantees: SIGKILL at random points, resume, and get exactly a clean crawl's data."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.blogs import read_blog_records
from crawler.warc import iter_captures, warc_files
from tests.helpers import ROOT, blogarchive, read_posts, read_stats

pytestmark = pytest.mark.slow

SITE = "canalblog:posts=500,seed=11"
FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16"]
# Small segments: writes are frequent, so kills land during them too.
SMALL_SEGMENTS = ["-s", "BLOGARCHIVE_SEGMENT_ROWS=25"]


def crawl_command(url: str, out: Path) -> list[str]:
    return [sys.executable, "-m", "crawler.cli", "crawl", url, "-o", str(out), "--workers", "0", "--loglevel", "WARNING",
            *FAST, *SMALL_SEGMENTS]  # fmt: skip


def segment_temp_exists(out: Path) -> bool:
    directory = out / ".state" / "segments"
    return directory.exists() and any(".tmp-" in p.name for p in directory.iterdir())


def kill_during_run(command: list[str], out: Path, delay: float, at_segment_write: bool) -> str:
    """Start the crawl, SIGKILL it after ``delay`` s (or as soon as a segment is being written)."""
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + delay
    moment = "timer"
    while time.monotonic() < deadline and proc.poll() is None:
        if at_segment_write and segment_temp_exists(out):
            moment = "segment write"
            break
        time.sleep(0.0005 if at_segment_write else 0.01)
    if proc.poll() is not None:
        return "finished before the kill"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    return moment


def by_id(rows: list[dict]) -> dict[str, dict]:
    return {row["id"]: row for row in rows}


def test_sigkill_anywhere_then_resume_equals_a_clean_crawl(fixture_web, tmp_path):
    web = fixture_web(SITE)
    url = web.urls[0]
    clean = tmp_path / "clean"
    blogarchive("crawl", url, "-o", str(clean), "--workers", "0", *FAST)
    expected = by_id(read_posts(clean))
    assert len(expected) == 500

    out = tmp_path / "crashed"
    rng = random.Random(2026)
    moments = []
    for attempt in range(6):
        at_write = attempt % 2 == 1
        moments.append(kill_during_run(crawl_command(url, out), out, rng.uniform(1.0, 6.0), at_write))
    assert sum(m != "finished before the kill" for m in moments) >= 5, moments
    started = time.monotonic()
    blogarchive(*crawl_command(url, out)[3:])  # resume to the end
    resume_seconds = time.monotonic() - started

    got = read_posts(out)
    assert len(got) == len({r["id"] for r in got}), "duplicate posts after resume"
    got_by_id = by_id(got)
    assert set(got_by_id) == set(expected)
    assert {i: r["content_hash"] for i, r in got_by_id.items()} == {
        i: r["content_hash"] for i, r in expected.items()
    }
    # Every WARC file was closed or recovered to whole records, and holds all posts.
    files = warc_files([out / "warc"])
    assert files and not [f for f in files if f.name.endswith(".open")]
    post_captures = {
        c.url for f in files for c in iter_captures(f) if c.status == 200 and "/archives/20" in c.url
    }
    assert len(post_captures) >= 500
    print(f"kills: {moments}; final resume run {resume_seconds:.1f} s")


def test_build_from_the_resumed_crawls_warc_equals_the_crawl(fixture_web, tmp_path):
    web = fixture_web("canalblog:posts=60,seed=3")
    out = tmp_path / "out"
    command = crawl_command(web.urls[0], out)
    kill_during_run(command, out, 1.5, at_segment_write=False)
    blogarchive(*command[3:])
    rebuilt = tmp_path / "rebuilt"
    blogarchive("build", str(out / "warc"), "-o", str(rebuilt), "--workers", "0")
    crawled = sorted((out / "data").glob("*/*.parquet"))
    built = sorted((rebuilt / "data").glob("*/*.parquet"))
    assert [p.relative_to(out) for p in crawled] == [p.relative_to(rebuilt) for p in built]
    assert [p.read_bytes() for p in crawled] == [p.read_bytes() for p in built]


def test_blog_counts_after_a_resume_are_those_of_the_output(fixture_web, tmp_path):
    web = fixture_web("canalblog:posts=30,seed=4")
    out = tmp_path / "out"
    command = crawl_command(web.urls[0], out)[3:]
    blogarchive(*command, "--max-pages", "12")  # stops part-way: the next run resumes
    first = read_blog_records(out / "blogs.jsonl")
    (blog,) = first
    assert 0 < first[blog]["posts"] < 30
    blogarchive(*command)
    record = read_blog_records(out / "blogs.jsonl")[blog]
    assert record["posts"] == len(read_posts(out)) == read_stats(out)["posts"] == 30
    assert 0 < record["run_posts"] < 30

"""Distributed crawl on a real redis-server: two workers, one SIGKILLed mid-crawl, every post exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crawler.urls import canonicalize
from pipelines.segments import read_segments
from schemas.origins import Origin
from schemas.segment import ORIGIN
from tests.helpers import ROOT, FixtureWeb, blogarchive, read_stats
from tests.redis_server import RedisServer

pytestmark = pytest.mark.slow

PLATFORMS = ("canalblog", "typepad", "tumblr", "blogspot")
SPECS = [f"{platform}:posts=8,seed={30 + n}" for n in range(5) for platform in PLATFORMS]
WORKER = ("--parse-processes", "0", "--linger", "1.5", "--loglevel", "INFO", "-s", "AUTOTHROTTLE_ENABLED=0",
          "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=4", "-s", "BLOGARCHIVE_WORKER_TTL=3",
          "-s", "BLOGARCHIVE_WORKER_TICK=0.3", "-s", "BLOGARCHIVE_SEGMENT_ROWS=10", "-s", "BLOGARCHIVE_SEGMENT_SECONDS=2",
          "-s", "BLOGARCHIVE_PROGRESS_INTERVAL=0")  # fmt: skip


def seed_url(web: FixtureWeb, index: int) -> str:
    return web.urls[index] + ("/blog/" if web.specs[index].startswith("typepad") else "/")


def start_worker(redis_url: str, out: Path, log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "crawler.cli", "worker", "--redis", redis_url, "-o", str(out), *WORKER]
    with open(log, "w") as handle:
        return subprocess.Popen(command, cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def leases_of(client, directory: str) -> int:
    workers = [w.decode() for w in client.smembers("blogarchive:workers") if f"-{directory}-" in w.decode()]
    return sum(client.hlen(f"blogarchive:leases:{w}") for w in workers)


def snapshot_rows(snapshot: Path) -> list[dict]:
    return [row for f in sorted(snapshot.glob("data/*/*.parquet")) for row in pq.read_table(f).to_pylist()]


@pytest.fixture(scope="module")
def crawl(tmp_path_factory):
    """Two workers; worker-0 is killed with leases in hand; worker-1 finishes; a third run adopts worker-0's dir."""
    tmp = tmp_path_factory.mktemp("workers")
    with RedisServer(tmp / "redis") as redis_server, FixtureWeb(*SPECS) as web:
        client = redis_server.client()
        seeds = tmp / "seeds.txt"
        seeds.write_text("\n".join(seed_url(web, i) for i in range(len(SPECS))) + "\n", encoding="utf-8")
        blogarchive("seed", "--redis", redis_server.url, str(seeds))
        out = tmp / "out"
        first = start_worker(redis_server.url, out, tmp / "worker-0.log")
        wait_for(lambda: leases_of(client, "worker-0") > 0, 60, "worker-0 to start")
        second = start_worker(redis_server.url, out, tmp / "worker-1.log")
        wait_for(lambda: leases_of(client, "worker-1") > 0, 60, "worker-1 to start")

        def mid_crawl() -> bool:
            if not leases_of(client, "worker-0"):
                return False
            origins = read_segments(out / "worker-0", columns=[ORIGIN])[ORIGIN].to_pylist()
            return origins.count(Origin.PERMALINK) >= 5

        wait_for(mid_crawl, 60, "worker-0 to have durable rows and requests in hand")
        killed_with = leases_of(client, "worker-0")
        finished_before = client.hlen("blogarchive:blogs")
        os.kill(first.pid, signal.SIGKILL)
        first.wait()
        assert second.wait(timeout=180) == 0, (tmp / "worker-1.log").read_text()[-3000:]
        # The sweep: a worker started later adopts the dead one's directory and finalizes its segments.
        blogarchive("worker", "--redis", redis_server.url, "-o", str(out), *WORKER, timeout=120)
        snapshot = tmp / "snapshot"
        blogarchive("snapshot", str(out / "worker-0"), str(out / "worker-1"), "--version", "1.0.0",
                    "--include-noarchive", "-o", str(snapshot))  # fmt: skip
        expected = sorted(
            canonicalize(web.site(i).url(p.path)) for i in range(len(SPECS)) for p in web.site(i).posts
        )
        records = {k.decode(): json.loads(v) for k, v in client.hgetall("blogarchive:blogs").items()}
        status = json.loads(blogarchive("seed", "--redis", redis_server.url, "--status").stdout)
        yield {"out": out, "snapshot": snapshot, "expected": expected, "records": records, "status": status,
               "killed_with": killed_with, "finished_before": finished_before,
               "blogs": {canonicalize(seed_url(web, i)) for i in range(len(SPECS))}}  # fmt: skip


def test_every_post_exactly_once_after_a_worker_was_killed(crawl):
    urls = [row["url"] for row in snapshot_rows(crawl["snapshot"])]
    assert len(urls) == len(set(urls)) == len(crawl["expected"])
    assert sorted(urls) == crawl["expected"]


def test_each_post_comes_from_its_own_page_as_in_a_single_crawl(crawl):
    origins = {}
    for name in ("worker-0", "worker-1"):
        for row in read_segments(crawl["out"] / name, columns=["id", ORIGIN, "warc_record_id"]).to_pylist():
            origins[(row["id"], row["warc_record_id"])] = row[ORIGIN]
    chosen = [origins[(row["id"], row["warc_record_id"])] for row in snapshot_rows(crawl["snapshot"])]
    assert set(chosen) == {Origin.PERMALINK}


def test_the_killed_worker_was_mid_crawl_and_its_work_was_redone(crawl):
    assert crawl["killed_with"] > 0 and crawl["finished_before"] < len(crawl["blogs"])
    survivor = read_stats(crawl["out"] / "worker-1")["scrapy"]
    assert survivor["blogarchive/worker/requeued"] >= 1
    both = [read_stats(crawl["out"] / name)["posts"] for name in ("worker-0", "worker-1")]
    assert all(count > 0 for count in both)  # each worker wrote its own shards


def test_each_blog_has_one_outcome_and_the_crawl_is_empty(crawl):
    assert set(crawl["records"]) == crawl["blogs"]
    assert {record["outcome"] for record in crawl["records"].values()} == {"done"}
    # Counted when durable, once: posts re-fetched after the kill are not counted again.
    assert {record["posts"] for record in crawl["records"].values()} == {8}
    status = crawl["status"]
    assert (status["seeds_waiting"], status["requests_queued"], status["requests_leased"]) == (0, 0, 0)
    assert (status["blogs_active"], status["blogs_finished"], status["workers"]) == (
        0,
        len(crawl["blogs"]),
        0,
    )


def test_no_two_workers_wrote_one_file(crawl):
    for name in ("worker-0", "worker-1"):
        warcs = list((crawl["out"] / name / "warc").glob("*.warc.gz"))
        assert warcs and not list((crawl["out"] / name / "warc").glob("*.open"))
    assert sorted(p.name for p in crawl["out"].iterdir()) == ["worker-0", "worker-1"]

"""Distributed crawl throughput: the same fixture web crawled by 1 worker, then by 2 (or more).

``python -m benchmarks.workers [--blogs 24] [--posts 15] [--workers 1 2]`` starts a
``redis-server`` and the fixture web (blogs of the four platforms) on 127.0.0.1, and for
each worker count: empties the crawl's Redis keys, seeds every blog, starts the workers
(``blogarchive worker``, inline parsing) and times the crawl until every blog is finished.
It checks that the merged worker outputs hold every post of the fixture web exactly once,
prints a table and writes the figures to ``benchmarks/results/<time>-workers.json``.

On a 2-core machine the fixture web and Redis share the cores with the workers: the
point there is correctness and no duplication, not a speed-up.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from crawler.distributed.frontier import Frontier
from crawler.urls import canonicalize
from tests.helpers import FixtureWeb
from tests.redis_server import RedisServer

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PLATFORMS = ("canalblog", "typepad", "tumblr", "blogspot")
WORKER_SETTINGS = ["AUTOTHROTTLE_ENABLED=0", "DOWNLOAD_DELAY=0", "CONCURRENT_REQUESTS_PER_DOMAIN=4",
                   "BLOGARCHIVE_WORKER_TICK=0.2", "BLOGARCHIVE_PROGRESS_INTERVAL=0"]  # fmt: skip


def specs(blogs: int, posts: int) -> list[str]:
    return [f"{PLATFORMS[n % len(PLATFORMS)]}:posts={posts},seed={100 + n}" for n in range(blogs)]


def seed_url(web: FixtureWeb, index: int) -> str:
    return web.urls[index] + ("/blog/" if web.specs[index].startswith("typepad") else "/")


def worker_command(redis_url: str, out: Path) -> list[str]:
    settings = [arg for pair in WORKER_SETTINGS for arg in ("-s", pair)]
    return [sys.executable, "-m", "crawler.cli", "worker", "--redis", redis_url, "-o", str(out),
            "--parse-processes", "0", "--linger", "1", "--loglevel", "WARNING", *settings]  # fmt: skip


def tails(logs: list[Path]) -> str:
    return "\n".join(log.read_text(errors="replace")[-2000:] for log in logs)


def crawl(redis_server: RedisServer, web: FixtureWeb, workers: int, out: Path) -> dict[str, Any]:
    """One distributed crawl of the whole fixture web; its time, pages and posts."""
    frontier = Frontier(redis_server.client())
    frontier.reset()
    frontier.push_seeds(seed_url(web, i) for i in range(len(web.urls)))
    out.mkdir(parents=True)
    logs = [out / f"process-{n}.log" for n in range(workers)]
    started = time.monotonic()
    procs = [subprocess.Popen(worker_command(redis_server.url, out), cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=log.open("w")) for log in logs]  # fmt: skip
    while frontier.status()["blogs_finished"] < len(web.urls):
        if all(proc.poll() is not None for proc in procs):
            raise RuntimeError(f"the workers stopped before every blog was finished:\n{tails(logs)}")
        time.sleep(0.05)
    seconds = time.monotonic() - started
    if any(proc.wait() != 0 for proc in procs):
        raise RuntimeError(f"a worker failed:\n{tails(logs)}")
    stats = [json.loads((d / "stats.json").read_text()) for d in sorted(out.glob("worker-*"))]
    urls = [row["url"] for f in sorted(out.glob("worker-*/data/*/*.parquet")) for row in pq.read_table(f, columns=["url"]).to_pylist()]  # fmt: skip
    expected = {
        canonicalize(web.site(i).url(p.path)) for i in range(len(web.urls)) for p in web.site(i).posts
    }
    pages = sum(s["scrapy"].get("response_received_count", 0) for s in stats)
    return {"workers": workers, "seconds": round(seconds, 2), "pages": pages, "posts": len(set(urls)),
            "rows_across_workers": len(urls), "every_post_once": set(urls) == expected,
            "pages_per_second": round(pages / seconds, 1), "posts_per_second": round(len(set(urls)) / seconds, 1)}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blogs", type=int, default=24)
    parser.add_argument("--posts", type=int, default=15, help="posts per blog")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    args = parser.parse_args(argv)
    runs = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        RedisServer(Path(tmp) / "redis") as redis_server,
        FixtureWeb(*specs(args.blogs, args.posts)) as web,
    ):
        for workers in args.workers:
            runs.append(crawl(redis_server, web, workers, Path(tmp) / f"out-{workers}"))
    print(f"{'workers':>7} {'seconds':>8} {'pages':>6} {'posts':>6} {'pages/s':>8} {'every post once':>16}")
    for run in runs:
        print(f"{run['workers']:>7} {run['seconds']:>8} {run['pages']:>6} {run['posts']:>6} "
              f"{run['pages_per_second']:>8} {run['every_post_once']!s:>16}")  # fmt: skip
    ratio = runs[-1]["pages_per_second"] / runs[0]["pages_per_second"]
    print(f"throughput {runs[-1]['workers']} vs {runs[0]['workers']} workers: x{ratio:.2f}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    document = {"blogs": args.blogs, "posts_per_blog": args.posts, "runs": runs, "ratio": round(ratio, 2)}
    (RESULTS / f"{stamp}-workers.json").write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0 if all(run["every_post_once"] for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())

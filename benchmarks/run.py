"""The benchmark: fetching, extraction, crawl, build, memory and loading, measured in one run.

``python -m benchmarks.run [--quick] [--platform canalblog]`` (``./dev bench``) serves a
synthetic blog of ``--posts`` posts (pages of ~100 KB, theme chrome, comments) on
127.0.0.1 and measures, on the same pages:

1. fetch-only: Scrapy with the crawl's settings replays the URLs the crawl fetched;
2. ``blogarchive crawl`` (same concurrency; AutoThrottle and delays off for both);
3. bare ``trafilatura.extract`` on post pages of the crawl's WARC: CPU, and wall time
   over a process pool of every core;
4. ``process_capture`` (our parse + pipelines) on the same pages: CPU;
5. ``blogarchive build`` from the crawl's WARC;
6. peak RSS of the whole process tree (pool workers included) crawling ``--posts`` posts and
   ``--scale-posts`` (3x by default);
7. ``datasets.load_dataset`` on a ``--rows``-row output directory.

It prints a table and writes every figure to ``benchmarks/results/<time>-<mode>.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from benchmarks import measure
from benchmarks.crawls import (
    CORES,
    FAIR_SETTINGS,
    MANY_SETTINGS,
    MEMORY_SCALE,
    ROOT,
    _seconds,
    bare_extract,
    compared_crawl,
    cpu_per_page,
    crawl,
    crawl_figures,
    fetch_only,
    light_blog,
    log,
    many_blogs,
    profile_text,
    python,
    reactor_line,
    read_warc,
    stage_ratios,
    trafilatura_figures,
)
from benchmarks.serve import BenchWeb
from benchmarks.site import SITES, BenchSite
from crawler.capture import Capture, process_capture
from crawler.parsers.base import LinkKind

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {
    "compared_vs_bound": 0.8,
    "first_row": 3.0,
    "crawl_vs_bound": 0.75,
    "parse_vs_trafilatura": 1.3,
    "rss_growth": 1.1,  # the whole process tree at 3x the posts
    "build_vs_crawl": 2.0,
}
GIB = 1024**3


@dataclass
class Mode:
    posts: int
    sample: int
    rows: int
    platform_sample: int
    light_posts: int
    blogs: int


MODES = {
    "quick": Mode(posts=300, sample=60, rows=50_000, platform_sample=15, light_posts=300, blogs=12),
    # What fits in 15 minutes on 2 cores; --posts 10000 --scale-posts 100000 takes about an hour.
    "full": Mode(
        posts=5_000,
        sample=500,
        rows=1_000_000,
        platform_sample=40,
        light_posts=1_500,
        blogs=200,
    ),
}


def build(out: Path, work: Path) -> tuple[measure.Usage, int, bool]:
    """``blogarchive build`` of the crawl's WARC: usage, posts, shards identical to the crawl's."""
    rebuilt = work / "rebuilt"
    usage = measure.run(python("crawler.cli", "build", str(out / "warc"), "-o", str(rebuilt)), work / "build.log",
                        set(), cwd=ROOT)  # fmt: skip
    counters = _counters((work / "build.log").read_text())
    posts = sum(v for k, v in counters.items() if k.startswith("posts/"))
    return usage, posts, _shard_digests(out) == _shard_digests(rebuilt)


def _counters(log: str) -> dict[str, int]:
    """The build's counters: the one JSON line it prints before its summary table."""
    lines = [line for line in log.splitlines() if line.startswith("{") and line.endswith("}")]
    if not lines:
        raise SystemExit(f"build printed no counters line; its log ends: {log[-500:]}")
    return json.loads(lines[-1])


def _shard_digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("data/*/*.parquet"))
    }


def platform_costs(platforms: list[str], pages: int) -> dict[str, dict[str, float]]:
    """Bare trafilatura vs process_capture, ms of CPU per post page, for each benchmark platform."""
    costs = {}
    fetched = datetime.now(timezone.utc)
    for platform in platforms:
        site = BenchSite(platform, posts=max(200, pages))
        site.base_url = "http://127.0.0.1:8000"
        captures = [
            Capture(
                site.url(p.path),
                site.handle(p.path, {}).body,
                "text/html; charset=utf-8",
                LinkKind.POST,
                fetched,
                platform,
            )  # fmt: skip
            for p in site.posts[:pages]
        ]
        bare = cpu_per_page(bare_extract, [c.body for c in captures])
        ours = cpu_per_page(process_capture, captures)
        costs[platform] = {"trafilatura_ms": bare * 1000, "ours_ms": ours * 1000, "ratio": ours / bare}
    return costs


def load(work: Path, rows: int) -> tuple[measure.Usage, dict[str, Any]]:
    usage = measure.run(python("benchmarks.load", str(work / "load"), "--rows", str(rows)), work / "load.log",
                        set(), cwd=ROOT)  # fmt: skip
    lines = (work / "load.log").read_text().strip().splitlines()
    return usage, json.loads(lines[-1])


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    mode = MODES["quick" if args.quick else "full"]
    posts = args.posts or mode.posts
    scale_posts = args.scale_posts or MEMORY_SCALE * posts
    spec = f"{args.platform}:posts={posts},pagesize={args.pagesize}"
    figures: dict[str, Any] = {"mode": "quick" if args.quick else "full", "platform": args.platform, "cores": CORES,
                               "pagesize": args.pagesize, "settings": FAIR_SETTINGS,
                               "load_average_start": os.getloadavg()[0]}  # fmt: skip
    started = time.perf_counter()
    log(f"serving {spec}")
    with BenchWeb(spec) as web:
        log(f"crawl of {posts} posts")
        figures["crawl"] = crawl_figures(*crawl(web, work / "crawl", work))
        urls, post_pages, captures = read_warc(work / "crawl", args.sample or mode.sample)
        log(f"fetch-only replay of {len(urls)} URLs ({post_pages} posts)")
        usage, server_cpu = fetch_only(web, urls, work)
        figures["fetch"] = {
            **usage.to_json(),
            "server_cpu": server_cpu,
            "posts": post_pages,
            "pages": len(urls),
        }
    log(f"bare trafilatura and process_capture on {len(captures)} post pages")
    figures["trafilatura"] = trafilatura_figures(captures)
    figures["ours"] = {"pages": len(captures), "cpu_per_page": cpu_per_page(process_capture, captures)}
    log("build from the WARC")
    usage, built_posts, identical = build(work / "crawl", work)
    figures["build"] = {**usage.to_json(), "posts": built_posts, "identical_shards": identical}
    shutil.rmtree(work / "rebuilt", ignore_errors=True)
    log(f"crawl of {scale_posts} posts (memory at scale)")
    with BenchWeb(f"{args.platform}:posts={scale_posts},pagesize={args.pagesize}") as web:
        figures["scale"] = crawl_figures(*crawl(web, work / "scale", work))
    shutil.rmtree(work / "scale", ignore_errors=True)
    log(f"light pages: {mode.light_posts}-post Blogger-like blog")
    figures["light"] = compared_crawl([light_blog(mode.light_posts)], FAIR_SETTINGS, work / "light", mode.sample,
                                      profile=args.profile)  # fmt: skip
    log(f"many blogs: {mode.blogs} blogs of 20-50 posts from a seed list, default per-host limits")
    figures["many"] = compared_crawl(many_blogs(mode.blogs), MANY_SETTINGS, work / "many", mode.sample)
    log("parse + pipelines by platform")
    figures["platforms"] = platform_costs(sorted(SITES), mode.platform_sample)
    log(f"datasets.load_dataset on {args.rows or mode.rows} rows")
    usage, loaded = load(work, args.rows or mode.rows)
    figures["load"] = {**usage.to_json(), **loaded}
    figures["seconds"] = time.perf_counter() - started
    figures["load_average_end"] = os.getloadavg()[0]
    figures["ratios"] = ratios(figures)
    return figures


def ratios(f: dict[str, Any]) -> dict[str, float]:
    """The targets of the issue, from the figures of one run."""
    crawl_rate = f["crawl"]["posts"] / f["crawl"]["wall"]
    return {
        **stage_ratios(f["crawl"], f["fetch"], f["trafilatura"]),
        "parse_vs_trafilatura": f["ours"]["cpu_per_page"] / f["trafilatura"]["cpu_per_page"],
        "build_posts_per_s": f["build"]["posts"] / f["build"]["wall"],
        "build_vs_crawl": (f["build"]["posts"] / f["build"]["wall"]) / crawl_rate,
        "rss_growth": f["scale"]["peak_rss"] / f["crawl"]["peak_rss"],
    }


def compared_rows(name: str, f: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """Table rows of a compared crawl (light pages, many blogs)."""
    r, crawl, fetch = f["ratios"], f["crawl"], f["fetch"]
    first = crawl["reactor"]["first_row"]
    first_ok = "ok" if first is not None and first <= TARGETS["first_row"] else "MISSED"
    return [
        (f"{name}: crawl", f"{r['crawl_posts_per_s']:.1f} posts/s", f"{crawl['posts']} posts, {crawl['pages']} pages; {r['crawl_vs_fetch']:.2f}× fetch-only ({r['fetch_posts_per_s']:.1f}/s, {fetch['pages']} pages)", ""),
        ("  bound · crawl / bound", f"{r['bound_posts_per_s']:.1f} posts/s", f"{r['crawl_vs_bound']:.2f}; extract pool {r['extract_pool_posts_per_s']:.1f} · CPU {r['cpu_bound_posts_per_s']:.1f}; stages CPU / crawl CPU {r['crawl_cpu_vs_stages_cpu']:.2f}", f"{'ok' if r['crawl_vs_bound'] >= TARGETS['compared_vs_bound'] else 'MISSED'} (≥ {TARGETS['compared_vs_bound']})"),
        ("  time to first row", _seconds(first), reactor_line(crawl["reactor"]), f"{first_ok} (≤ {TARGETS['first_row']} s)"),
    ]  # fmt: skip


def table(f: dict[str, Any]) -> str:
    r = f["ratios"]
    crawl, fetch, traf, ours, build, scale, load = (f[k] for k in ("crawl", "fetch", "trafilatura", "ours", "build", "scale", "load"))  # fmt: skip

    def check(name: str, higher: bool = True) -> str:
        ok = r[name] >= TARGETS[name] if higher else r[name] <= TARGETS[name]
        return f"{'ok' if ok else 'MISSED'} ({'≥' if higher else '≤'} {TARGETS[name]})"

    rss_ok = "ok" if scale["peak_rss"] < GIB else "MISSED"
    rows = [
        ("1 fetch-only (Scrapy, replay)", f"{r['fetch_posts_per_s']:.1f} posts/s", f"{fetch['pages']} pages, {fetch['cpu']:.1f} s CPU + server {fetch['server_cpu']:.1f} s", ""),
        ("2 blogarchive crawl", f"{r['crawl_posts_per_s']:.1f} posts/s", f"{r['crawl_vs_fetch']:.2f}× fetch-only; {crawl['cpu']:.1f} s CPU + server {crawl['server_cpu']:.1f} s", ""),
        ("  bound (slowest of 1, 3-pool, CPU)", f"{r['bound_posts_per_s']:.1f} posts/s", f"fetch {r['fetch_posts_per_s']:.1f} · extract pool {r['extract_pool_posts_per_s']:.1f} · CPU {r['cpu_bound_posts_per_s']:.1f}", ""),
        ("  crawl / bound", f"{r['crawl_vs_bound']:.2f}", f"CPU of the two stages / crawl CPU: {r['crawl_cpu_vs_stages_cpu']:.2f}", check("crawl_vs_bound")),
        ("3 bare trafilatura", f"{traf['cpu_per_page'] * 1000:.1f} s CPU/1000 posts", f"pool of {f['cores']}: {traf['pool_wall_per_page'] * 1000:.1f} s wall/1000", ""),
        ("4 our parse + pipelines", f"{ours['cpu_per_page'] * 1000:.1f} s CPU/1000 posts", f"{r['parse_vs_trafilatura']:.2f}× trafilatura", check("parse_vs_trafilatura", higher=False)),
        ("5 blogarchive build (WARC)", f"{r['build_posts_per_s']:.1f} posts/s", f"{r['build_vs_crawl']:.2f}× crawl; shards identical: {build['identical_shards']}", check("build_vs_crawl")),
        (f"6 peak RSS, crawl of {crawl['posts']}", f"{crawl['peak_rss'] / 2**20:.0f} MiB", f"largest process {crawl['peak_rss_process'] / 2**20:.0f} MiB", ""),
        (f"  peak RSS, crawl of {scale['posts']}", f"{scale['peak_rss'] / 2**20:.0f} MiB", f"{r['rss_growth']:.2f}× ; largest process {scale['peak_rss_process'] / 2**20:.0f} MiB", f"{check('rss_growth', higher=False)}; < 1 GiB {rss_ok}"),
        (f"7 load_dataset, {load['rows']} rows", f"{load['load_seconds']:.1f} s", f"{load['bytes'] / 2**20:.0f} MiB of shards", ""),
    ]  # fmt: skip
    first_row = f"; first row {_seconds(crawl['reactor']['first_row'])}"
    rows[3:4] = [rows[3], ("", "", reactor_line(crawl["reactor"]) + first_row, "")]
    rows += compared_rows("8 light pages (Blogger)", f["light"]) + compared_rows(
        f"9 {f['many']['blogs']} blogs, seed list", f["many"]
    )
    rows += [
        (f"  {name}: parse + pipelines", f"{c['ours_ms']:.1f} ms/post", f"trafilatura {c['trafilatura_ms']:.1f} ms/post; {c['ratio']:.2f}×", "")
        for name, c in f["platforms"].items()
    ]  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        f"blogarchive benchmark ({f['mode']}, {f['platform']}, {f['cores']} cores, {f['seconds']:.0f} s)"
    ]
    lines += ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    if "profile" in f["light"]:
        lines += ["", profile_text(f["light"]["profile"])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, about two minutes")
    parser.add_argument("--platform", default="canalblog", choices=sorted(SITES))
    parser.add_argument("--posts", type=int, help="posts of the main crawl (full: 5000)")
    parser.add_argument(
        "--scale-posts", type=int, help="posts of the memory-at-scale crawl (default: 3x --posts)"
    )
    parser.add_argument("--pagesize", type=int, default=100_000, help="bytes per HTML page (default 100000)")
    parser.add_argument("--sample", type=int, help="post pages for the extraction measures (full: 500)")
    parser.add_argument("--rows", type=int, help="rows of the load_dataset measure (full: 1000000)")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also crawl the light blog under cProfile and print where the reactor's time goes",
    )
    parser.add_argument("--keep", type=Path, help="keep the outputs in this directory")
    args = parser.parse_args(argv)
    measure.become_subreaper()
    work = args.keep or Path(tempfile.mkdtemp(prefix="blogarchive-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        figures = run(args, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(figures))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}-{figures['mode']}.json"
    path.write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    log(f"figures written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

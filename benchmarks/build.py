"""``blogarchive build`` against the crawl of the same blog, in one run: ``python -m benchmarks.build``.

Serves the main benchmark's blog (Canalblog-like, ~100 KB pages, ``--posts``), crawls it,
then builds shards from the crawl's WARC and prints the build's posts/s, its ratio to the
crawl's (issue 18: at least 2.5) and whether the shards are byte-identical to the crawl's.
``--baseline DIR`` crawls and builds with that checkout too, alternately with this one (a
machine shared with others drifts; each round flips the order), so before/after compare
like with like; ``--rounds N`` keeps the fastest of N crawls and N builds of each.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchmarks import measure
from benchmarks.crawls import ROOT, alternate, crawl, crawl_figures, log
from benchmarks.serve import BenchWeb


def build(warc: Path, out: Path, work: Path, code: Path) -> dict[str, Any]:
    """``blogarchive build`` of ``warc`` into ``out`` with the checkout in ``code``: usage and counters."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "crawler.cli", "build", str(warc), "-o", str(out)]
    env = {**os.environ, "PYTHONPATH": str(code)}
    usage = measure.run(command, work / "build.log", set(), cwd=code, env=env)
    text = (work / "build.log").read_text()
    if usage.returncode != 0:
        raise RuntimeError(f"the build failed (exit {usage.returncode}): {text[-500:]}")
    counters = json.loads(next(line for line in text.splitlines() if line.startswith("{")))
    posts = sum(v for k, v in counters.items() if k.startswith("posts/"))
    return {**usage.to_json(), "posts": posts}


def shard_digests(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("data/*/*.parquet"))
    }


def compare(spec: str, work: Path, rounds: int, baseline: Path | None) -> dict[str, Any]:
    """For each checkout: its fastest crawl and fastest build of that crawl's WARC, and their ratio."""
    codes = [ROOT] + ([baseline] if baseline else [])
    crawls: dict[Path, dict[str, Any]] = {}
    builds: dict[Path, dict[str, Any]] = {}
    identical: dict[Path, bool] = {}
    with BenchWeb(spec) as web:
        for code in alternate(codes, rounds):
            log(f"crawl with {code}")
            crawled = work / f"crawl-{codes.index(code)}"
            measured = crawl_figures(*crawl(web, crawled, work, code=code))
            if code not in crawls or measured["wall"] < crawls[code]["wall"]:
                crawls[code] = measured
    for code in alternate(codes, rounds):
        log(f"build with {code}")
        crawled, rebuilt = work / f"crawl-{codes.index(code)}", work / "rebuilt"
        measured = build(crawled / "warc", rebuilt, work, code)
        identical[code] = shard_digests(crawled) == shard_digests(rebuilt)
        if code not in builds or measured["wall"] < builds[code]["wall"]:
            builds[code] = measured
    figures = {}
    for code in codes:
        crawl_rate = crawls[code]["posts"] / crawls[code]["wall"]
        build_rate = builds[code]["posts"] / builds[code]["wall"]
        figures[str(code)] = {"crawl": crawls[code], "build": builds[code], "identical_shards": identical[code],
                              "crawl_posts_per_s": crawl_rate, "build_posts_per_s": build_rate,
                              "build_vs_crawl": build_rate / crawl_rate}  # fmt: skip
    return figures


def report(figures: dict[str, Any]) -> str:
    lines = []
    for code, f in figures.items():
        crawl, build = f["crawl"], f["build"]
        lines.append(
            f"{code}: build {f['build_posts_per_s']:.1f} posts/s ({build['posts']} posts, {build['wall']:.1f} s, "
            f"CPU {build['cpu']:.1f} s, peak RSS {build['peak_rss'] / 2**20:.0f} MiB) vs crawl "
            f"{f['crawl_posts_per_s']:.1f} posts/s ({crawl['wall']:.1f} s, CPU {crawl['cpu']:.1f} s): "
            f"{f['build_vs_crawl']:.2f}x; shards identical: {f['identical_shards']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=300, help="posts of the blog (default 300)")
    parser.add_argument("--platform", default="canalblog", help="benchmark blog (default canalblog)")
    parser.add_argument("--pagesize", type=int, default=100_000, help="bytes per page (default 100000)")
    parser.add_argument("--baseline", type=Path, help="another blogarchive checkout, run alternately")
    parser.add_argument(
        "--rounds", type=int, default=1, help="crawls and builds of each checkout (fastest kept)"
    )
    args = parser.parse_args(argv)
    measure.become_subreaper()
    work = Path(tempfile.mkdtemp(prefix="blogarchive-build-"))
    try:
        spec = f"{args.platform}:posts={args.posts},pagesize={args.pagesize}"
        figures = compare(spec, work, args.rounds, args.baseline)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report(figures))
    print(json.dumps(figures, sort_keys=True), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

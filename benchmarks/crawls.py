"""The crawl measures: a crawl against its bound, and the crawl-only runs to iterate on.

``benchmarks.run`` calls these for the full table. Alone, ``python -m benchmarks.crawls MEASURE``
runs one measure at a chosen (small) size, in one run, so ratios compare like with like:

- ``light``: a Blogger-like blog of ~20 KB pages (``--posts``), crawl vs its bound;
- ``many``: a seed list of ``--blogs`` small blogs over the four platforms, polite per-host limits;
- ``memory``: peak RSS of the whole process tree (pool workers included), ``--posts`` vs 3x
  (the main benchmark's blog: Canalblog-like, 100 KB pages, unless ``--platform``/``--pagesize``);
- ``workers``: the light blog crawled with each ``--workers`` count (the default's choice).

``--baseline DIR`` also runs every crawl with the blogarchive checkout in ``DIR`` (e.g. a
``git worktree`` of main), alternately with this one: before/after in the same conditions.
``--rounds N`` repeats each crawl N times (alternating) and keeps the fastest.
Every crawl reports the reactor thread's time split, the time to the first row and the
ledger's commits (``benchmarks.reactor``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import trafilatura

from benchmarks import measure
from benchmarks.serve import BenchWeb
from benchmarks.site import SITES
from crawler.build import to_capture
from crawler.capture import Capture
from crawler.parsers.base import LinkKind
from crawler.warc import iter_captures, warc_files
from schemas.output import OutputDir

ROOT = Path(__file__).resolve().parents[1]
REACTOR = Path(__file__).with_name("reactor.py")
CORES = os.cpu_count() or 1
# Like with like: the crawl and the fetch-only baseline get these, the polite defaults stay for users.
FAIR_SETTINGS = [
    "AUTOTHROTTLE_ENABLED=False",
    "DOWNLOAD_DELAY=0",
    "CONCURRENT_REQUESTS=16",
    "CONCURRENT_REQUESTS_PER_DOMAIN=16",
    "LOG_LEVEL=WARNING",
]
# The many-blog crawl keeps the polite per-host defaults (4 requests per host:port), delays aside (loopback).
MANY_SETTINGS = ["AUTOTHROTTLE_ENABLED=False", "DOWNLOAD_DELAY=0", "LOG_LEVEL=WARNING"]
LIGHT_PAGE = 20_000  # bytes: a Blogger page without heavy theme chrome
MEMORY_SCALE = 3  # the memory measure crawls N then 3N posts


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def python(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", module, *args]


def crawl(
    web: BenchWeb,
    out: Path,
    work: Path,
    settings: list[str] = FAIR_SETTINGS,
    seeds: Path | None = None,
    profile: bool = False,
    code: Path = ROOT,
) -> tuple[measure.Usage, float, dict[str, Any], dict[str, Any]]:
    """``blogarchive crawl`` of the served blog (or of ``seeds``) with the checkout in ``code``:
    usage, server CPU seconds, stats.json, and the reactor thread's figures (``benchmarks.reactor``)
    with the time to the first row written (the first segment renamed into place)."""
    shutil.rmtree(out, ignore_errors=True)
    target = ["--seeds", str(seeds)] if seeds else [web.url]
    reactor = work / f"{out.name}.reactor.json"
    args = ["crawl", *target, "-o", str(out)] + [f"-s{s}" for s in settings]
    # The script, not the module: the same measuring code whichever checkout is crawled.
    command = [sys.executable, str(REACTOR), str(reactor), *(["--profile"] if profile else []), "--", *args]
    env = {**os.environ, "PYTHONPATH": str(code)}
    server_before = measure.process_cpu(web.pid)
    watch = measure.FirstFile(OutputDir(out).segments, "seg-*.parquet")
    with watch:
        usage = measure.run(command, work / f"{out.name}.log", {web.pid}, cwd=code, env=env)
    server = measure.process_cpu(web.pid) - server_before
    if usage.returncode != 0:
        raise RuntimeError(f"the crawl failed (exit {usage.returncode}): see {work / f'{out.name}.log'}")
    figures = {**json.loads(reactor.read_text()), "first_row": watch.seconds}
    return usage, server, json.loads((out / "stats.json").read_text()), figures


def crawl_figures(
    usage: measure.Usage, server_cpu: float, stats: dict[str, Any], reactor: dict[str, Any]
) -> dict[str, Any]:
    return {**usage.to_json(), "server_cpu": server_cpu, "posts": stats["posts"],
            "pages": stats.get("downloader_response_count"), "stats_pages": stats.get("pages"),
            "reactor": reactor}  # fmt: skip


def read_warc(out: Path, sample: int) -> tuple[list[str], int, list[Capture]]:
    """The URLs the crawl fetched (in order), how many were posts, and ``sample`` post captures
    spread evenly over the crawl.

    Evenly, not the first ones: a seed list's first posts are those of the blogs enumerated
    fastest (Blogger's and Tumblr's feeds before Canalblog's and Typepad's archives), so the
    first pages alone priced the extraction of another mix of pages than the crawl's.
    """
    urls: list[str] = []
    posts: list[Capture] = []
    for path in warc_files([out / "warc"]):
        for record in iter_captures(path):
            if record.url.endswith("/robots.txt"):
                continue
            urls.append(record.url)
            capture = to_capture(record)
            if capture is not None and capture.kind is LinkKind.POST:
                posts.append(capture)
    return urls, len(posts), spread(posts, sample)


def spread(items: list[Any], count: int) -> list[Any]:
    """``count`` of ``items`` at even steps from the first (all of them if they are fewer)."""
    if len(items) <= count:
        return items
    return [items[i * len(items) // count] for i in range(count)]


def fetch_only(
    web: BenchWeb, urls: list[str], work: Path, settings: list[str] = FAIR_SETTINGS
) -> tuple[measure.Usage, float]:
    listing = work / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", encoding="utf-8")
    args = [str(listing)] + [f"-s{s}" for s in settings]
    server_before = measure.process_cpu(web.pid)
    usage = measure.run(python("benchmarks.fetch", *args), work / "fetch.log", {web.pid}, cwd=ROOT)
    return usage, measure.process_cpu(web.pid) - server_before


def bare_extract(body: bytes) -> int:
    return len(trafilatura.extract(body) or "")


def cpu_per_page(function: Any, items: list[Any]) -> float:
    """CPU seconds per item of ``function`` in this process (after a short warm-up)."""
    for item in items[:3]:
        function(item)
    started = time.process_time()
    for item in items:
        function(item)
    return (time.process_time() - started) / len(items)


def pool_wall_per_page(bodies: list[bytes]) -> float:
    """Wall seconds per page of bare trafilatura over a pool of every core."""
    context = get_context("forkserver")
    with ProcessPoolExecutor(CORES, mp_context=context) as pool:
        list(pool.map(bare_extract, bodies[: 2 * CORES]))
        started = time.perf_counter()
        list(pool.map(bare_extract, bodies, chunksize=4))
        return (time.perf_counter() - started) / len(bodies)


def trafilatura_figures(captures: list[Capture]) -> dict[str, Any]:
    bodies = [c.body for c in captures]
    return {"pages": len(bodies), "cpu_per_page": cpu_per_page(bare_extract, bodies),
            "pool_wall_per_page": pool_wall_per_page(bodies)}  # fmt: skip


def many_blogs(count: int) -> list[str]:
    """Specs of ``count`` small blogs over the four platforms, 20-50 posts each (fixed seed)."""
    rng = random.Random(18)
    platforms = sorted(SITES)
    return [f"{platforms[i % len(platforms)]}:posts={rng.randint(20, 50)},pagesize={LIGHT_PAGE},seed={i + 1}"
            for i in range(count)]  # fmt: skip


def light_blog(posts: int) -> str:
    return f"blogspot:posts={posts},pagesize={LIGHT_PAGE}"


def alternate(codes: list[Path], rounds: int) -> list[Path]:
    """Each checkout ``rounds`` times, the order flipped every round (ABBA...): load drifts even out."""
    order: list[Path] = []
    for n in range(rounds):
        order += codes if n % 2 == 0 else codes[::-1]
    return order


def compared_crawl(
    specs: list[str],
    settings: list[str],
    work: Path,
    sample: int,
    profile: bool = False,
    baseline: Path | None = None,
    rounds: int = 1,
) -> dict[str, Any]:
    """Crawl the served blogs (a seed list when there are several), replay the same URLs
    fetch-only under the same settings, time bare trafilatura on their post pages: the
    figures and the crawl's ratio to its bound. ``profile``: one more crawl under cProfile;
    ``baseline``: the same crawls with that checkout too (``figures["baseline"]``)."""
    work.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {"blogs": len(specs), "settings": settings, "rounds": rounds}
    codes = [ROOT] + ([baseline] if baseline else [])
    best: dict[Path, dict[str, Any]] = {}
    with BenchWeb(*specs) as web:
        seeds = None
        if len(specs) > 1:
            seeds = work / "seeds.txt"
            seeds.write_text("\n".join(web.urls) + "\n", encoding="utf-8")
        for code in alternate(codes, rounds):
            log(f"crawl with {code}")
            # A folder per checkout: the fetch-only replay is of this checkout's crawl (its URLs).
            out = work / f"crawl-{codes.index(code)}"
            measured = crawl_figures(*crawl(web, out, work, settings, seeds, code=code))
            if code not in best or measured["wall"] < best[code]["wall"]:
                best[code] = measured
        figures["crawl"] = best[ROOT]
        urls, post_pages, captures = read_warc(work / "crawl-0", sample)
        usage, server_cpu = fetch_only(web, urls, work, settings)
        figures["fetch"] = {
            **usage.to_json(),
            "server_cpu": server_cpu,
            "posts": post_pages,
            "pages": len(urls),
        }
        if profile:
            _, _, _, figures["profile"] = crawl(web, work / "profiled", work, settings, seeds, profile=True)
    figures["trafilatura"] = trafilatura_figures(captures)
    figures["ratios"] = stage_ratios(figures["crawl"], figures["fetch"], figures["trafilatura"])
    if baseline:
        base = best[baseline]
        figures["baseline"] = {"code": str(baseline), "crawl": base,
                               "ratios": stage_ratios(base, figures["fetch"], figures["trafilatura"])}  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    return figures


def stage_ratios(crawl: dict[str, Any], fetch: dict[str, Any], traf: dict[str, Any]) -> dict[str, float]:
    """The crawl's rate against its bound: the slowest of fetch-only, the extraction pool and
    the CPU both need shared over the cores."""
    posts = crawl["posts"]
    crawl_rate = posts / crawl["wall"]
    fetch_rate = fetch["posts"] / fetch["wall"]
    extract_rate = 1 / traf["pool_wall_per_page"]
    stages_cpu = fetch["cpu"] + fetch["server_cpu"] + traf["cpu_per_page"] * posts
    cpu_rate = posts / (stages_cpu / CORES)
    bound = min(fetch_rate, extract_rate, cpu_rate)
    return {
        "crawl_posts_per_s": crawl_rate,
        "fetch_posts_per_s": fetch_rate,
        "extract_pool_posts_per_s": extract_rate,
        "cpu_bound_posts_per_s": cpu_rate,
        "bound_posts_per_s": bound,
        "crawl_vs_fetch": crawl_rate / fetch_rate,
        "crawl_vs_bound": crawl_rate / bound,
        # CPU alone (less sensitive to other load on the machine): what the bound's two stages
        # need for these posts, over what the crawl spent.
        "crawl_cpu_vs_stages_cpu": stages_cpu / (crawl["cpu"] + crawl["server_cpu"]),
    }


def memory(spec: str, posts: int, work: Path, baseline: Path | None = None) -> dict[str, Any]:
    """Peak RSS of the whole process tree crawling ``posts`` then ``MEMORY_SCALE`` x ``posts``
    posts (same settings, same kind of blog), with each checkout: the growth ratio."""
    work.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {}
    for code in [ROOT] + ([baseline] if baseline else []):
        sizes = {}
        for count in (posts, MEMORY_SCALE * posts):
            with BenchWeb(f"{spec},posts={count}") as web:
                log(f"memory: crawl of {count} posts with {code}")
                measured = crawl_figures(*crawl(web, work / "crawl", work, code=code))
            sizes[count] = measured
        small, large = sizes[posts], sizes[MEMORY_SCALE * posts]
        figures[str(code)] = {
            "small": small,
            "large": large,
            "rss_growth": large["peak_rss"] / small["peak_rss"],
        }
    shutil.rmtree(work, ignore_errors=True)
    return figures


def workers_table(posts: int, counts: list[int], work: Path, rounds: int) -> dict[str, Any]:
    """The light blog crawled with each ``BLOGARCHIVE_WORKERS`` count, alternately, ``rounds`` times
    (the fastest kept): wall, CPU, reactor split."""
    work.mkdir(parents=True, exist_ok=True)
    best: dict[int, dict[str, Any]] = {}
    with BenchWeb(light_blog(posts)) as web:
        for n in range(rounds):
            for count in counts if n % 2 == 0 else counts[::-1]:
                log(f"workers={count}, round {n + 1}")
                settings = [*FAIR_SETTINGS, f"BLOGARCHIVE_WORKERS={count}"]
                measured = crawl_figures(*crawl(web, work / "crawl", work, settings))
                if count not in best or measured["wall"] < best[count]["wall"]:
                    best[count] = measured
    shutil.rmtree(work, ignore_errors=True)
    return {str(count): best[count] for count in counts}


def reactor_line(reactor: dict[str, Any]) -> str:
    """The reactor thread's wall time: on a core, waiting for one, asleep (epoll or blocking I/O)."""
    commits = f"; ledger commits {reactor['ledger_commits']}" if "ledger_commits" in reactor else ""
    return (f"reactor: {reactor['cpu']:.1f} s CPU, {reactor['runnable']:.1f} s waiting for a core, "
            f"{reactor['blocked']:.1f} s asleep{commits}")  # fmt: skip


def _seconds(value: float | None) -> str:
    return "none" if value is None else f"{value:.1f} s"


def crawl_line(name: str, crawl: dict[str, Any], ratios: dict[str, float] | None = None) -> str:
    versus = f", {ratios['crawl_vs_bound']:.2f} of the bound" if ratios else ""
    return (f"{name}: {crawl['posts']} posts in {crawl['wall']:.1f} s{versus}; CPU {crawl['cpu']:.1f} s; "
            f"first row {_seconds(crawl['reactor']['first_row'])}; {reactor_line(crawl['reactor'])}; "
            f"peak RSS {crawl['peak_rss'] / 2**20:.0f} MiB")  # fmt: skip


def profile_text(profile: dict[str, Any]) -> str:
    """The profiled crawl's reactor thread: where its wall time went, by function (own time)."""
    lines = [f"profile of the reactor thread (crawl under cProfile, {profile['wall']:.1f} s wall; "
             f"{reactor_line(profile)})", f"{'own s':>8} {'cum s':>8} {'calls':>9}  function"]  # fmt: skip
    lines += [
        f"{t['own']:8.2f} {t['cumulative']:8.2f} {t['calls']:9d}  {t['function']}" for t in profile["top"]
    ]
    return "\n".join(lines)


def report(measure_name: str, figures: dict[str, Any]) -> str:
    """The figures of one measure as lines of text."""
    if measure_name == "workers":
        lines = [f"{'workers':>7} {'wall s':>7} {'CPU s':>7} {'reactor CPU':>11} {'asleep':>7}  first row"]
        lines += [f"{count:>7} {c['wall']:7.1f} {c['cpu']:7.1f} {c['reactor']['cpu']:11.1f} "
                  f"{c['reactor']['blocked']:7.1f}  {_seconds(c['reactor']['first_row'])}"
                  for count, c in figures.items()]  # fmt: skip
        return "\n".join(lines)
    if measure_name == "memory":
        return "\n".join(f"{code}: peak RSS {f['small']['peak_rss'] / 2**20:.0f} -> {f['large']['peak_rss'] / 2**20:.0f} MiB "
                         f"({f['small']['posts']} -> {f['large']['posts']} posts): {f['rss_growth']:.2f}x"
                         for code, f in figures.items())  # fmt: skip
    r, fetch = figures["ratios"], figures["fetch"]
    lines = [
        f"bound {r['bound_posts_per_s']:.1f} posts/s (fetch-only {r['fetch_posts_per_s']:.1f}/s over "
        f"{fetch['pages']} pages, extract pool {r['extract_pool_posts_per_s']:.1f}/s, CPU {r['cpu_bound_posts_per_s']:.1f}/s)",
        crawl_line("this checkout", figures["crawl"], r),
    ]
    if "baseline" in figures:
        base = figures["baseline"]
        lines.append(crawl_line(f"baseline {base['code']}", base["crawl"], base["ratios"]))
        lines.append(f"this / baseline wall: {figures['crawl']['wall'] / base['crawl']['wall']:.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("measure", choices=("light", "many", "memory", "workers"))
    parser.add_argument(
        "--posts", type=int, default=300, help="posts of the light blog (memory: the smaller crawl)"
    )
    parser.add_argument("--blogs", type=int, default=40, help="blogs of the seed list (many)")
    parser.add_argument("--baseline", type=Path, help="another blogarchive checkout, crawled alternately")
    parser.add_argument("--rounds", type=int, default=1, help="crawls of each checkout (the fastest kept)")
    parser.add_argument("--workers", default="0,1,2,3", help="counts compared by the workers measure")
    parser.add_argument("--sample", type=int, default=60, help="post pages for the extraction measures")
    parser.add_argument(
        "--platform", default="canalblog", choices=sorted(SITES), help="blog of the memory measure"
    )
    parser.add_argument("--pagesize", type=int, default=100_000, help="bytes per page of the memory measure")
    parser.add_argument("--profile", action="store_true", help="one more crawl under cProfile (light, many)")
    args = parser.parse_args(argv)
    measure.become_subreaper()
    work = Path(tempfile.mkdtemp(prefix=f"blogarchive-{args.measure}-"))
    try:
        if args.measure == "light":
            figures = compared_crawl([light_blog(args.posts)], FAIR_SETTINGS, work, args.sample, args.profile,
                                     args.baseline, args.rounds)  # fmt: skip
        elif args.measure == "many":
            figures = compared_crawl(many_blogs(args.blogs), MANY_SETTINGS, work, args.sample, args.profile,
                                     args.baseline, args.rounds)  # fmt: skip
        elif args.measure == "memory":
            figures = memory(f"{args.platform}:pagesize={args.pagesize}", args.posts, work, args.baseline)
        else:
            counts = [int(c) for c in args.workers.split(",")]
            figures = workers_table(args.posts, counts, work, args.rounds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(report(args.measure, figures))
    if "profile" in figures:
        print(profile_text(figures["profile"]))
    print(json.dumps(figures, sort_keys=True), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

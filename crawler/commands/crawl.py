"""``blogarchive crawl URL... -o OUT``: crawl blogs into WARC files and Parquet shards."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from crawler.errors import UserError
from crawler.failures import failure_of
from crawler.outlock import lock_output
from crawler.parse_server import start_fork_server
from crawler.parsers import PLATFORMS
from crawler.seeds import check_seed_file
from schemas.output import OutputDir

NAME = "crawl"
SCRAPY_LOGGING = True  # Scrapy configures the log, from LOG_LEVEL and LOG_FILE
HELP = "crawl blogs into WARC files and Parquet shards (platform auto-detected)"
WAYBACK_OPTIONS = (
    ("source", "BLOGARCHIVE_SOURCE"),
    ("wayback_from", "BLOGARCHIVE_WAYBACK_FROM"),
    ("wayback_to", "BLOGARCHIVE_WAYBACK_TO"),
    ("wayback_prefer", "BLOGARCHIVE_WAYBACK_PREFER"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("urls", nargs="*", metavar="URL", help="blog URLs (home pages)")
    parser.add_argument(
        "--seeds",
        type=Path,
        metavar="FILE",
        help="more blog URLs: one a line (# comments), or CSV with a url column",
    )
    parser.add_argument("-o", "--output", default="output", help="output directory (default: ./output)")
    parser.add_argument("--platform", choices=PLATFORMS, help="force the platform instead of detecting it")
    parser.add_argument(
        "--source",
        choices=("live", "wayback"),
        help="read the blogs live (default; a gone blog falls back to the Wayback Machine) or from the Wayback Machine",
    )
    parser.add_argument(
        "--wayback-from",
        type=wayback_date,
        metavar="DATE",
        help="Wayback captures from DATE on (2009, 2009-05...)",
    )
    parser.add_argument(
        "--wayback-to", type=wayback_date, metavar="DATE", help="Wayback captures up to DATE (inclusive)"
    )
    parser.add_argument(
        "--wayback-prefer",
        choices=("latest", "earliest"),
        help="which capture of a URL to read (default: the latest)",
    )
    parser.add_argument(
        "--media",
        choices=("images", "all", "none"),
        help="post files archived: images (default), all (images, video, audio) or none",
    )
    parser.add_argument(
        "--max-posts", type=int, default=0, help="schedule at most N posts per blog (0: no limit)"
    )
    parser.add_argument(
        "--max-pages", type=int, default=0, metavar="N", help="stop after N pages fetched (0: no limit)"
    )
    parser.add_argument(
        "--max-time",
        type=parse_duration,
        default=0,
        metavar="DURATION",
        help="stop after this long: seconds, or 90m, 2h (0: no limit)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="insist on continuing the crawl in OUT (an error if there is none); "
        "without it a crawl in OUT is continued too",
    )
    add_parse_processes(parser)
    parser.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="override a Scrapy setting"
    )


def wayback_date(value: str) -> str:
    """argparse type: :func:`crawler.wayback.cdx.cdx_timestamp`, imported when an option uses it."""
    from crawler.wayback.cdx import cdx_timestamp

    return cdx_timestamp(value)


def add_parse_processes(parser: argparse.ArgumentParser, default: int | None = None) -> None:
    """--parse-processes N (the old name --workers still works, unlisted: workers are `blogarchive worker`)."""
    help_text = "parse processes (default: one per core; 0: inline)"
    parser.add_argument(
        "--parse-processes", dest="workers", type=int, default=default, metavar="N", help=help_text
    )
    parser.add_argument("--workers", dest="workers", type=int, default=default, help=argparse.SUPPRESS)


def scrapy_settings(args: argparse.Namespace):
    """Project settings + command-line options + ``-s`` overrides (highest priority)."""
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # Scrapy's remote control is off (REMOTE_CONTROL_ENABLED) and not even imported: its module
    # imports aiohttp, 0.3-0.5 s of the reactor's CPU before the first request (named in
    # EXTENSIONS, even as None, it would be imported to normalize the key).
    extensions = settings.getdict("EXTENSIONS_BASE")
    extensions.pop("scrapy.extensions.remote_control.RemoteControl", None)
    settings.set("EXTENSIONS_BASE", extensions, priority="project")
    settings.set("BLOGARCHIVE_OUTPUT", str(args.output), priority="cmdline")
    if getattr(args, "max_posts", 0):
        settings.set("BLOGARCHIVE_MAX_POSTS", args.max_posts, priority="cmdline")
    if getattr(args, "workers", None) is not None:
        settings.set("BLOGARCHIVE_WORKERS", args.workers, priority="cmdline")
    if getattr(args, "loglevel", None):
        settings.set("LOG_LEVEL", args.loglevel, priority="cmdline")
    if getattr(args, "logfile", None):
        settings.set("LOG_FILE", args.logfile, priority="cmdline")
    for option, name in WAYBACK_OPTIONS:
        if getattr(args, option, None):
            settings.set(name, getattr(args, option), priority="cmdline")
    if getattr(args, "media", None):
        settings.set("BLOGARCHIVE_MEDIA", args.media, priority="cmdline")
    if getattr(args, "max_pages", 0):
        settings.set("CLOSESPIDER_PAGECOUNT", args.max_pages, priority="cmdline")
    if getattr(args, "max_time", 0):
        settings.set("CLOSESPIDER_TIMEOUT", args.max_time, priority="cmdline")
    for pair in args.set:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UserError(f"-s takes NAME=VALUE, got {pair!r}")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def parse_duration(text: str) -> float:
    """``90`` or ``90s`` -> 90.0, ``10m`` -> 600.0, ``2h`` -> 7200.0 (argparse type)."""
    value, unit = text.strip().lower(), "s"
    if value[-1:] in ("s", "m", "h"):
        value, unit = value[:-1], value[-1]
    try:
        seconds = float(value) * {"s": 1, "m": 60, "h": 3600}[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 600, 10m, 2h)") from None
    if seconds < 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (e.g. 600, 10m, 2h)")
    return seconds


def check_output(path: Path) -> None:
    """The output directory exists (or is made) and takes files: tried, not guessed from modes."""
    if path.exists() and not path.is_dir():
        raise UserError(f"output {path} is not a directory")
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as exc:
        raise UserError(f"output directory {path} is not writable: {exc.strerror or exc}") from None


def check_schema(path: Path) -> None:
    """New shards cannot join shards of another major schema version in the same directory."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from schemas.post import SCHEMA_VERSION, compatible, schema_version_of

    for shard in sorted(path.glob("data/*/*.parquet")):
        try:
            version = schema_version_of(pq.read_schema(shard))
        except (OSError, pa.ArrowException):
            if any(OutputDir(path).segments.glob("seg-*.parquet")):
                continue  # rebuilt from the segments by rebuild_damaged_shards (run() calls it under the lock)
            raise UserError(f"{shard} is not a readable Parquet shard: crawl into a new directory") from None
        if not compatible(version):
            raise UserError(
                f"{path} holds shards of schema {version or 'unknown'} ({shard.relative_to(path)}) and this "
                f"blogarchive writes schema {SCHEMA_VERSION}: crawl into a new directory"
            )


def rebuild_shards(out: Path) -> None:
    """Damaged shards written again from the segments (under the output lock), or a UserError."""
    from crawler.parsers.media import select_media
    from pipelines.finalize import rebuild_damaged_shards
    from pipelines.segments import DamagedFile

    try:
        rebuild_damaged_shards(out, select_media=select_media)
    except DamagedFile as exc:
        raise UserError(
            f"{exc}: rebuild the shards with `blogarchive build {out / 'warc'} -o NEW_DIR`"
        ) from None


def pool_wanted(args: argparse.Namespace) -> bool:
    """Whether the crawl parses in worker processes (``BLOGARCHIVE_WORKERS`` not 0), told before
    Scrapy's settings are built: from ``--workers``, ``-s BLOGARCHIVE_WORKERS=N`` or the default."""
    from crawler import settings

    value: object = settings.BLOGARCHIVE_WORKERS
    if getattr(args, "workers", None) is not None:
        value = args.workers
    for pair in args.set:
        name, _, given = pair.partition("=")
        if name.strip() == "BLOGARCHIVE_WORKERS":
            value = given
    try:
        return int(str(value).strip()) != 0
    except ValueError:
        return True  # Scrapy's settings say what is wrong with it


def check_url(url: str) -> None:
    from crawler.urls import is_http_url

    if is_http_url(url):
        return
    hint = f" (did you mean http://{url}?)" if "://" not in url and "." in url and " " not in url else ""
    raise UserError(f"not an http(s) URL: {url!r}{hint}")


def seed_failure_message(failures: dict[str, str]) -> str:
    """One line for seeds that gave nothing: unsupported, gone, unreachable."""
    supported = ", ".join(PLATFORMS)
    parts = []
    for url, slug in failures.items():
        if slug == "unsupported_platform":
            parts.append(
                f"{url} is not a blog of a supported platform ({supported}); "
                "if it is one on its own domain, force it with --platform NAME"
            )
        elif slug == "robots_forbidden":
            parts.append(f"{url}: its robots.txt forbids crawling (override with -s ROBOTSTXT_OBEY=0)")
        else:
            parts.append(f"{url}: {slug.replace('_', ' ')}")
    return "; ".join(parts)


def spider_class(urls: list[str], platform: str | None) -> type:
    """The platform's own spider when every URL is of one known platform, else the generic one.

    Platform spiders add what only their platform needs (Tumblr: API key, consent cookie);
    custom domains are detected from their pages by the generic spider.
    """
    import importlib

    from crawler.detect import detect_from_url
    from crawler.spiders.base import BlogSpider

    platforms = {platform} if platform else {detect_from_url(url) for url in urls}
    if len(platforms) != 1 or None in platforms:
        return BlogSpider
    (name,) = platforms
    module = importlib.import_module(f"crawler.spiders.{name}")
    return next(
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, BlogSpider) and v.name == name
    )


def use_disk_frontier(settings: Any, out: Path) -> None:
    """Keep the frontier on disk (Scrapy's JOBDIR queues) in ``OUT/.state/frontier``, emptied first.

    Memory then holds the active blogs, not every request waiting. Scrapy's disk queues
    survive a pause but not a ``kill -9``, so each run starts with an empty one and the
    ledger says what is done; a JOBDIR given with ``-s`` is left to Scrapy.
    """
    if settings.get("JOBDIR"):
        return
    frontier = OutputDir(out).frontier
    shutil.rmtree(frontier, ignore_errors=True)
    settings.set("JOBDIR", str(frontier), priority="cmdline")


def run(args: argparse.Namespace) -> int:
    if not args.urls and not args.seeds:
        raise UserError("give at least one blog URL, or a seed file with --seeds FILE")
    for url in args.urls:
        check_url(url)
    if args.seeds:
        check_seed_file(args.seeds)
    out = Path(args.output)
    if args.resume and not OutputDir(out).ledger.exists():
        raise UserError(f"nothing to resume: {out} holds no crawl (drop --resume to start one)")
    check_output(out)
    lock_output(out)  # before any recovery: a live crawl's files are never adopted
    if pool_wanted(args):  # a parse pool: its imports beside ours (Scrapy's first) from here on
        start_fork_server()
    settings = scrapy_settings(args)
    check_schema(out)
    rebuild_shards(out)
    from scrapy.crawler import CrawlerProcess

    from crawler.logs import quiet_scrapy_startup

    quiet_scrapy_startup()
    use_disk_frontier(settings, out)
    process = CrawlerProcess(settings)
    # A seed file may hold any platform: the generic spider, unless --platform says which.
    crawler = process.create_crawler(spider_class([] if args.seeds else args.urls, args.platform))
    process.crawl(
        crawler, url=",".join(args.urls), platform=args.platform, seeds=args.seeds and str(args.seeds)
    )
    process.start()
    print_summary(out)
    if failure_of(crawler):  # Scrapy only logged it: the exit code must say it
        print(f"blogarchive crawl: error: {failure_of(crawler)}", file=sys.stderr)
        return 1
    failures = getattr(crawler.spider, "seed_failures", {})
    written = crawler.stats.get_value("blogarchive/shards/rows", 0) if crawler.stats else 0
    # A gone seed rescued from the Wayback Machine did give posts: only all-empty is an error.
    nothing_crawled = (
        failures and not args.seeds and not written and set(failures) >= set(crawler.spider.seed_urls)
    )
    if nothing_crawled:  # a seed file's blogs have their outcomes in OUT/blogs.jsonl instead
        raise UserError(seed_failure_message(failures))
    stats = crawler.stats.get_stats() if crawler.stats else {}
    if stats.get("finish_reason") == "shutdown":  # Ctrl-C or SIGTERM: what is done is kept
        print(f"interrupted: what was fetched is saved in {out}; run the same command again to resume",
              file=sys.stderr)  # fmt: skip
        return 130
    if stats.get("finish_reason") not in (
        "finished",
        "closespider_itemcount",
        "closespider_timeout",
        "closespider_pagecount",
    ):
        return 1
    return 0


def print_summary(out: Path, command: str = "crawl") -> None:
    """The end-of-run summary for people: posts, comments, errors and outcomes by kind."""
    import json

    from rich.console import Console
    from rich.table import Table

    path = out / "stats.json"
    if not path.exists():
        return
    document = json.loads(path.read_text(encoding="utf-8"))
    table = Table(title=f"blogarchive {command} → {out}", show_header=False)
    table.add_row("posts", str(document.get("posts", 0)))
    for platform, count in sorted(document.get("posts_by_platform", {}).items()):
        table.add_row(f"  {platform}", str(count))
    table.add_row("comments", str(document.get("comments", 0)))
    table.add_row(
        "pages fetched", ", ".join(f"{k} {v}" for k, v in sorted(document.get("pages", {}).items())) or "0"
    )
    media = document.get("media") or {}
    if media.get("requested") or media.get("fetched"):
        fetched, failed = sum(media.get("fetched", {}).values()), sum(media.get("failed", {}).values())
        size = sum(media.get("bytes", {}).values()) / 2**20
        table.add_row("media", f"{fetched} files ({size:.1f} MiB), {failed} failed")
    for area in ("blogs", "errors", "outcomes", "traps", "dropped"):
        values = document.get(area) or {}
        table.add_row(area, ", ".join(f"{k} {v}" for k, v in sorted(values.items())) or "none")
    if document.get("warc"):  # records written or read, and those dropped as torn or oversized
        table.add_row("warc", ", ".join(f"{k} {v}" for k, v in sorted(document["warc"].items())))
    table.add_row("finish", str(document.get("finish_reason")))
    Console(stderr=True).print(table)

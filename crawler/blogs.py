"""Per-blog accounting of a crawl of many blogs: progress, per-blog limits, outcomes in OUT/blogs.jsonl.

Every request carries the blog it belongs to (``META_BLOG``, the seed's canonical URL).
A blog is *active* from its seed until none of its requests is pending: each request is
counted once when a callback yields it (:class:`BlogAccountingMiddleware`, the spider
middleware nearest the engine, sees it after every filter; copies made by retries and
redirects carry ``META_COUNTED`` and continue it), and uncounted when its callback or
errback has ended or the scheduler drops it as a duplicate. When a blog's count falls to zero
its outcome is decided (:func:`blog_outcome`), one JSON line is appended to
``OUT/blogs.jsonl`` and the blog is forgotten: memory holds the active blogs only, and
the seed feeder waits for room (``BLOGARCHIVE_CONCURRENT_BLOGS``) before opening the next.
"""

from __future__ import annotations

import asyncio
import enum
import hashlib
import json
import logging
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from scrapy import Request, signals

from crawler.urls import canonicalize
from schemas.origins import Origin
from schemas.outcomes import GONE
from schemas.segment import ORIGIN

logger = logging.getLogger(__name__)

META_BLOG = "blogarchive_blog"
META_COUNTED = "blogarchive_counted"
META_DONE = "blogarchive_done"
BLOGS_FILE = "blogs.jsonl"
GONE_STATUSES = (404, 410)  # home pages with these statuses are parsed, then count as dead
IDLE_CHECK_SECONDS = 5.0
MAX_SLOT = 200  # Scrapy's disk queue folder is the slot + "-" + 32 hex digits: at most 255 bytes
ROBOTS_SLUGS = frozenset({"robots_forbidden", "robots_disallowed"})


class Outcome(str, enum.Enum):
    DONE = "done"  # every page answered
    PARTIAL = "partial"  # some pages failed, a per-blog limit cut it, or the crawl stopped first
    DEAD = "dead"  # the home page failed or says the blog is gone (a Wayback candidate)
    UNSUPPORTED = "unsupported_platform"
    ROBOTS = "robots_disallowed"


@dataclass
class BlogState:
    """What the crawl knows of one blog so far."""

    blog: str
    seed: str
    started: datetime
    platform: str | None = None
    home: str | None = None  # "ok", or the home page's error / gone slug
    pending: int = 0
    pages: int = 0  # responses parsed
    post_urls: set[str] = field(default_factory=set)  # posts of the output: earlier runs' and this one's
    blog_urls: set[str] = field(default_factory=set)  # the ``blog_url`` of its rows (the ledger's key)
    run_posts: int = 0  # post pages parsed into a row by this run
    shared_posts: int = 0  # posts counted outside this process (distributed workers: the Redis hash)
    post_links: int = 0  # distinct post links scheduled (the post limit counts these)
    errors: Counter[str] = field(default_factory=Counter)
    limit: str | None = None  # "max_posts" when --max-posts cut the crawl


def blog_key(url: str) -> str:
    """The key of a blog: its seed's canonical URL."""
    return canonicalize(url)


def slot_key(url: str) -> str:
    """The download slot of a URL: host and port, so each blog server is throttled on its own."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    key = f"{host}:{parts.port}" if parts.port else host
    if len(key) > MAX_SLOT:  # Scrapy names a disk-queue folder after the slot: keep it under 255 bytes
        key = f"{key[: MAX_SLOT - 17]}-{hashlib.sha1(key.encode()).hexdigest()[:16]}"
    return key


def blog_outcome(state: BlogState, interrupted: bool = False) -> Outcome:
    """The outcome of a finished (or interrupted) blog, from what its crawl saw."""
    if state.home in ROBOTS_SLUGS:
        return Outcome.ROBOTS
    if state.home == "unsupported_platform":
        return Outcome.UNSUPPORTED
    if state.home is not None and state.home != "ok":
        return Outcome.DEAD
    failed = any(slug not in ROBOTS_SLUGS for slug in state.errors)  # robots.txt says skip: not a failure
    if interrupted or state.home is None or failed or state.limit:
        return Outcome.PARTIAL
    return Outcome.DONE


def blog_record(state: BlogState, outcome: Outcome, finished: datetime, **extra: Any) -> dict[str, Any]:
    """The JSON line of a finished blog."""
    return {
        "blog": state.blog,
        "seed": state.seed,
        "outcome": outcome.value,
        "platform": state.platform,
        "posts": len(state.post_urls) + state.shared_posts,
        "run_posts": state.run_posts,
        "pages": state.pages,
        # Pages robots.txt forbids were skipped on purpose: not errors (as in the run's summary).
        "errors": {slug: n for slug, n in sorted(state.errors.items()) if slug not in ROBOTS_SLUGS},
        "skipped": {slug: n for slug, n in sorted(state.errors.items()) if slug in ROBOTS_SLUGS},
        "limit": state.limit,
        "started": state.started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        **extra,
    }


def home_result(kind: str, platform: str | None, outcome: str | None, status: int) -> str | None:
    """How a parsed page settles its blog's home, or None when it is not the home page."""
    if kind != "home":
        return None
    if outcome in GONE:
        return outcome
    if status in GONE_STATUSES:
        return f"http_{status}"
    return "ok" if platform is not None else "unsupported_platform"


def read_blog_records(path: Path) -> dict[str, dict[str, Any]]:
    """The latest record of each blog in a ``blogs.jsonl`` file (a resumed crawl appends)."""
    records: dict[str, dict[str, Any]] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                records[record["blog"]] = record
    return records


class BlogLog:
    """Appends finished blogs to ``OUT/blogs.jsonl``, counts outcomes in the stats, logs progress."""

    def __init__(self, out: Path, crawler: Any) -> None:
        self.path = out / BLOGS_FILE
        self.crawler = crawler
        self._file: IO[str] | None = None

    def write(self, record: dict[str, Any], active: int) -> None:
        if self._file is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 (one line per finished blog)
        self._file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        self._file.flush()
        stats = self.crawler.stats
        stats.inc_value(f"blogarchive/blogs/{record['outcome']}")
        stats.inc_value("blogarchive/blogs/finished")
        finished = stats.get_value("blogarchive/blogs/finished")
        errors = sum(record["errors"].values())
        logger.info("blog %d finished, %d active: %s %s, %d posts, %d pages%s%s", finished, active,
                    record["blog"], record["outcome"], record["posts"], record["pages"],
                    f", {errors} errors" if errors else "", f", {record['limit']} reached" if record["limit"] else "")  # fmt: skip

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


class BlogBook:
    """Per-blog accounting of one crawl process (``blogarchive crawl``)."""

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.concurrent = max(1, settings.getint("BLOGARCHIVE_CONCURRENT_BLOGS"))
        self.max_posts = settings.getint("BLOGARCHIVE_MAX_POSTS")
        self.log = BlogLog(Path(settings.get("BLOGARCHIVE_OUTPUT")), crawler)
        self.active: dict[str, BlogState] = {}
        self.opened: set[str] = set()
        self._room = asyncio.Event()

    @classmethod
    def from_crawler(cls, crawler: Any) -> BlogBook:
        book = cls(crawler)
        crawler.signals.connect(book.request_dropped, signal=signals.request_dropped)
        crawler.signals.connect(book.spider_closed, signal=signals.spider_closed)
        return book

    # -- seeds

    async def room(self) -> None:
        """Wait until fewer than ``BLOGARCHIVE_CONCURRENT_BLOGS`` blogs are active."""
        while len(self.active) >= self.concurrent:
            self._room.clear()
            try:
                await asyncio.wait_for(self._room.wait(), timeout=IDLE_CHECK_SECONDS)
            except asyncio.TimeoutError:
                if engine_quiet(self.crawler.engine):
                    self.finish_leftovers(leak=True)

    def open(self, seed: str) -> str | None:
        """Start a blog; None when its seed was already given."""
        blog = blog_key(seed)
        if blog in self.opened:
            self.crawler.stats.inc_value("blogarchive/blogs/duplicate_seed")
            return None
        self.opened.add(blog)
        self.active[blog] = BlogState(blog, seed, datetime.now(timezone.utc))
        self.crawler.stats.inc_value("blogarchive/blogs/opened")
        return blog

    # -- requests

    def track(self, request: Any, parent: Any = None) -> None:
        """Count a new request of a blog (``parent``: the request whose callback yielded it)."""
        state = self.active.get(request.meta.get(META_BLOG))
        if state is not None and not request.meta.get(META_COUNTED):
            request.meta[META_COUNTED] = True
            state.pending += 1

    def request_dropped(self, request: Any, spider: Any) -> None:
        """A duplicate: the request (or the one a redirect continues) ends here."""
        self.done(request)

    def post_limit_reached(self, blog: str | None) -> bool:
        """``blog`` has as many post links scheduled as ``--max-posts`` allows."""
        state = self.active.get(blog) if blog else None
        return state is not None and bool(self.max_posts) and state.post_links >= self.max_posts

    def take_post(self, blog: str | None, post_id: str) -> bool:
        """Count a new post link of ``blog``; False when the blog has reached ``--max-posts``."""
        state = self.active.get(blog) if blog else None
        if state is None:
            return True
        if state.post_links >= self.max_posts:
            state.limit = "max_posts"
            return False
        state.post_links += 1
        return True

    def page(self, request: Any, kind: str, platform: str | None, outcome: str | None, status: int) -> None:
        state = self.active.get(request.meta.get(META_BLOG))
        if state is None:
            return
        state.pages += 1
        state.platform = state.platform or platform
        home = home_result(kind, platform, outcome, status)
        if home is not None:
            state.home = home

    def row(self, request: Any, row: dict[str, Any]) -> None:
        state = self.active.get(request.meta.get(META_BLOG))
        if state is not None and row[ORIGIN] == Origin.PERMALINK:
            state.run_posts += 1
            state.post_urls.add(row["url"])
            state.blog_urls.add(row["blog_url"])

    def failed(self, request: Any, kind: str, slug: str | None) -> None:
        """The errback of ``request``: count its error (None: not one, e.g. a 304), and end it."""
        state = self.active.get(request.meta.get(META_BLOG))
        if state is not None and slug is not None:
            state.errors[slug] += 1
            if kind == "home":
                state.home = slug
        self.done(request)

    def done(self, request: Any) -> None:
        """The request's callback or errback has ended (the first call counts)."""
        if request.meta.get(META_DONE):
            return
        request.meta[META_DONE] = True
        state = self.active.get(request.meta.get(META_BLOG))
        if state is not None and request.meta.get(META_COUNTED):
            self._settle(state)

    # -- finishing

    def _settle(self, state: BlogState) -> None:
        state.pending -= 1
        if state.pending <= 0:
            self.finish(state)

    def finish(self, state: BlogState, interrupted: bool = False) -> None:
        self.active.pop(state.blog, None)
        ledger = getattr(self.crawler, "ledger", None)
        if ledger is not None:  # a resumed or repeated crawl: posts done by earlier runs count too
            state.post_urls |= ledger.fetched_urls(state.blog_urls | {state.blog})
        outcome = blog_outcome(state, interrupted)
        self.log.write(blog_record(state, outcome, datetime.now(timezone.utc)), len(self.active))
        self._room.set()

    def finish_leftovers(self, leak: bool) -> None:
        """Finish the blogs still active when nothing is left to do (a counting bug) or the crawl stops."""
        for state in list(self.active.values()):
            if leak:
                logger.error(
                    "blog %s still had %d requests counted with nothing left to do", state.blog, state.pending
                )
                self.crawler.stats.inc_value("blogarchive/blogs/accounting_leak")
            self.finish(state, interrupted=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        self.finish_leftovers(leak=reason == "finished")
        self.log.close()


def engine_quiet(engine: Any) -> bool:
    """True when the engine downloads, parses and holds nothing."""
    scheduler = engine.scheduler
    slot = engine.scraper.slot
    return (
        not engine.downloader.active
        and (slot is None or slot.is_idle())
        and (scheduler is None or not scheduler.has_pending_requests())
    )


class BlogAccountingMiddleware:
    """Spider middleware nearest the engine: what a callback yields is counted for its blog.

    Requests inherit the blog of the response they were found on and are counted as
    pending; rows are counted as posts; the response's request ends when the callback's
    output is exhausted. Spiders without a ``blogs`` book pass through.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> BlogAccountingMiddleware:
        return cls(crawler)

    async def process_spider_output(self, response: Any, result: AsyncIterator[Any]) -> AsyncIterator[Any]:
        book = getattr(self.crawler.spider, "blogs", None)
        request = response.request
        if book is None or request is None:
            async for output in result:
                yield output
            return
        blog = response.meta.get(META_BLOG)
        try:
            async for output in result:
                if isinstance(output, Request):
                    output.meta.setdefault(META_BLOG, blog)
                    book.track(output, parent=request)
                elif isinstance(output, dict):
                    book.row(request, output)
                yield output
        finally:
            book.done(request)

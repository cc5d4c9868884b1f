"""End-of-run summary: ``OUT/stats.json`` (machine-readable) and a table for people."""

from __future__ import annotations

import json
import logging
import os
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import signals

from crawler.progress import ProgressDisplay, bar_wanted

logger = logging.getLogger(__name__)


def group_stats(stats: dict[str, Any]) -> dict[str, Any]:
    """Scrapy's flat stats -> a stable, JSON-able document grouped by area."""
    grouped: dict[str, Any] = {
        "errors": {},
        "outcomes": {},
        "pages": {},
        "dropped": {},
        "traps": {},
        "retries": {},
        "posts_by_platform": {},
        "blogs": {},
        "warc": {},
    }
    areas = {"blogarchive/errors/": "errors", "blogarchive/outcome/": "outcomes", "blogarchive/pages/": "pages",
             "blogarchive/dropped/": "dropped", "blogarchive/shards/rows/": "posts_by_platform",
             "blogarchive/traps/": "traps", "blogarchive/retry/": "retries", "blogarchive/blogs/": "blogs",
             "blogarchive/warc/": "warc"}  # fmt: skip
    for key, value in stats.items():
        for prefix, area in areas.items():
            if key.startswith(prefix):
                grouped[area][key[len(prefix) :]] = value
        # A bug in our own code is an error too: it must show, not just shorten the crawl.
        if key.startswith("spider_exceptions/") and key != "spider_exceptions/count":
            grouped["errors"][f"spider_exception_{key.split('/', 1)[1]}"] = value
    for key in ("downloader/request_count", "downloader/response_count", "item_scraped_count", "finish_reason",
                "elapsed_time_seconds", "retry/count", "retry/max_reached", "robotstxt/forbidden"):  # fmt: skip
        if key in stats:
            grouped[key.replace("/", "_")] = stats[key]
    grouped["media"] = media_stats(stats)
    grouped["posts"] = stats.get("blogarchive/shards/rows", 0)
    grouped["comments"] = stats.get("blogarchive/shards/comments", 0)
    grouped["scrapy"] = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in sorted(stats.items())}
    return grouped


def media_stats(stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """``{"fetched": {"image": n}, "bytes": {...}, "failed": {...}, "outcomes": {...}}`` from the flat stats."""
    media: dict[str, dict[str, int]] = {"fetched": {}, "bytes": {}, "failed": {}, "outcomes": {}}
    for key, value in stats.items():
        area, _, kind = key.removeprefix("blogarchive/media/").partition("/")
        if key.startswith("blogarchive/media/") and kind:
            media.setdefault("outcomes" if area == "outcome" else area, {})[kind] = value
    return media


class RunSummary:
    """Writes ``stats.json`` next to the shards and logs a summary when the crawl ends."""

    def __init__(self, out: Path, stats: Any) -> None:
        self.out = out
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> RunSummary:
        extension = cls(Path(crawler.settings.get("BLOGARCHIVE_OUTPUT")), crawler.stats)
        # engine_stopped comes after spider_closed, when the shards are final.
        crawler.signals.connect(extension.engine_stopped, signal=signals.engine_stopped)
        return extension

    def engine_stopped(self) -> None:
        stats = dict(self.stats.get_stats())
        document = group_stats(stats)
        self.out.mkdir(parents=True, exist_ok=True)
        tmp = self.out / ".stats.json.tmp"
        tmp.write_text(json.dumps(document, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
        os.replace(tmp, self.out / "stats.json")
        logger.info("summary: %s", summary_line(document))


def summary_line(document: dict[str, Any]) -> str:
    """One line for people: posts, pages, errors and outcomes by kind."""
    errors = ", ".join(f"{k} {v}" for k, v in sorted(document["errors"].items())) or "none"
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(document["outcomes"].items())) or "none"
    traps = ", ".join(f"{k} {v}" for k, v in sorted(document["traps"].items())) or "none"
    platforms = ", ".join(f"{k} {v}" for k, v in sorted(document["posts_by_platform"].items()))
    pages = sum(document["pages"].values())
    torn = document.get("warc", {}).get("torn", 0)
    line = f"{document['posts']} posts ({platforms or 'none'}) from {pages} pages; errors: {errors}; outcomes: {outcomes}; traps: {traps}"
    return f"{line}; torn WARC records dropped: {torn}" if torn else line


def progress_counts(stats: dict[str, Any]) -> dict[str, int]:
    """Posts written, pages fetched, errors (robots refusals are not errors) and blogs finished."""
    return {
        "posts": stats.get("blogarchive/rows/origin_0", 0),
        "pages": sum(v for k, v in stats.items() if k.startswith("blogarchive/pages/")),
        "errors": sum(v for k, v in stats.items() if k.startswith("blogarchive/errors/")),
        "blogs": stats.get("blogarchive/blogs/finished", 0),
    }


def pending_requests(engine: Any) -> int:
    """Requests waiting in the scheduler (memory and disk queues) plus those downloading."""
    slot = getattr(engine, "_slot", None) or getattr(engine, "slot", None)
    scheduler = getattr(slot, "scheduler", None)
    waiting = len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0
    downloader = getattr(engine, "downloader", None)
    return waiting + len(getattr(downloader, "active", ()))


class Progress:
    """What the crawl is doing, drawn by ``crawler.progress.ProgressDisplay``.

    Posts, pages and pages/s, requests queued, errors, blogs finished out of the seeds (the
    ETA comes from them): on a terminal a live bar, else a line every
    ``BLOGARCHIVE_PROGRESS_INTERVAL`` s.
    """

    def __init__(self, crawler: Any, interval: float, live: bool) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.interval = interval
        self.live = live
        self.task: Any = None
        self.last_pages = 0
        self.last_time = 0.0
        self.display: ProgressDisplay | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        from scrapy.exceptions import NotConfigured

        interval = crawler.settings.getfloat("BLOGARCHIVE_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval, bar_wanted(crawler.settings.get("LOG_FILE")))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.last_time = time.monotonic()
        # The looping call sets the pace of plain lines: the display logs each update.
        self.display = ProgressDisplay("blogs", len(getattr(spider, "seed_urls", [])) or None, self.live, 0)
        self.display.start()
        self.task = task.LoopingCall(self.report)
        self.task.start(0.5 if self.live else self.interval, now=False)

    def report(self) -> None:
        counts = progress_counts(self.stats.get_stats())
        now = time.monotonic()
        rate = (counts["pages"] - self.last_pages) / max(now - self.last_time, 1e-6)
        self.last_pages, self.last_time = counts["pages"], now
        queued = pending_requests(self.crawler.engine)
        text = (f"{counts['posts']} posts, {counts['pages']} pages ({rate:.1f}/s), {queued} queued, "
                f"{counts['errors']} errors")  # fmt: skip
        if self.display is not None:
            self.display.update(counts["blogs"], text)

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.display is not None:
            self.report()
            self.display.stop()
            self.display = None

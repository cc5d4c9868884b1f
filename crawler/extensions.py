"""End-of-run summary: ``OUT/stats.json`` (machine-readable) and a table for people."""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import signals

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
    }
    areas = {"blogarchive/errors/": "errors", "blogarchive/outcome/": "outcomes", "blogarchive/pages/": "pages",
             "blogarchive/dropped/": "dropped", "blogarchive/shards/rows/": "posts_by_platform",
             "blogarchive/traps/": "traps", "blogarchive/retry/": "retries", "blogarchive/blogs/": "blogs"}  # fmt: skip
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
    grouped["posts"] = stats.get("blogarchive/shards/rows", 0)
    grouped["comments"] = stats.get("blogarchive/shards/comments", 0)
    grouped["scrapy"] = {k: v.isoformat() if isinstance(v, datetime) else v for k, v in sorted(stats.items())}
    return grouped


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
    return f"{document['posts']} posts ({platforms or 'none'}) from {pages} pages; errors: {errors}; outcomes: {outcomes}; traps: {traps}"


class Progress:
    """A progress line every ``BLOGARCHIVE_PROGRESS_INTERVAL`` seconds: posts, pages, errors, rate."""

    def __init__(self, stats: Any, interval: float) -> None:
        self.stats = stats
        self.interval = interval
        self.task: Any = None
        self.last_pages = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        from scrapy.exceptions import NotConfigured

        interval = crawler.settings.getfloat("BLOGARCHIVE_PROGRESS_INTERVAL")
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler.stats, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.task = task.LoopingCall(self.report)
        self.task.start(self.interval, now=False)

    def report(self) -> None:
        stats = self.stats.get_stats()
        pages = sum(v for k, v in stats.items() if k.startswith("blogarchive/pages/"))
        posts = stats.get("blogarchive/rows/origin_0", 0)
        errors = sum(v for k, v in stats.items() if k.startswith("blogarchive/errors/"))
        rate = (pages - self.last_pages) / self.interval
        self.last_pages = pages
        queued = stats.get("scheduler/enqueued", 0) - stats.get("scheduler/dequeued", 0)
        logger.info(
            "progress: %d posts, %d pages (%.1f pages/s), %d queued, %d errors",
            posts,
            pages,
            rate,
            queued,
            errors,
        )

    def spider_closed(self, spider: Any) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()

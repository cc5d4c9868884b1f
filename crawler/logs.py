"""Scrapy's start-up and shutdown chatter, moved below the default log level."""

from __future__ import annotations

import logging
from typing import Any

from scrapy.logformatter import LogFormatter

# Loggers whose INFO lines tell how Scrapy is wired, not what the crawl does: DEBUG instead
# (``-v`` shows them again).
CHATTY = (
    "scrapy.utils.log",  # "Scrapy started", versions
    "scrapy.addons",
    "scrapy.crawler",  # overridden settings
    "scrapy.middleware",  # enabled middlewares, extensions, pipelines
    "scrapy.extensions.telnet",
    "scrapy.extensions.remote_control",
    "scrapy.core.engine",  # spider opened / closing / closed
    "scrapy.statscollectors",  # the stats dump: OUT/stats.json holds it
    "scrapy.extensions.logstats",  # "Crawled N pages": the progress bar or line says more
)


class Demote(logging.Filter):
    """Turn INFO records into DEBUG ones; handlers then drop them unless the level is DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return True


def quiet_scrapy_startup() -> None:
    """Install :class:`Demote` on Scrapy's chatty loggers (once)."""
    for name in CHATTY:
        logger = logging.getLogger(name)
        if not any(isinstance(f, Demote) for f in logger.filters):
            logger.addFilter(Demote())


class PageLogFormatter(LogFormatter):
    """Scrapy's log formatter, without its DEBUG line per page ("Crawled") and per item ("Scraped
    from") when the log level hides them: Scrapy made a record of each for the handlers to drop
    (7,600 in a 40-blog crawl, with the Referer looked up for each page)."""

    def __init__(self, debug: bool = True) -> None:
        self.debug = debug

    @classmethod
    def from_crawler(cls, crawler: Any) -> PageLogFormatter:
        settings = crawler.settings
        level = settings.get("LOG_LEVEL")
        number = level if isinstance(level, int) else logging.getLevelName(str(level).upper())
        return cls(settings.getbool("LOG_ENABLED") and isinstance(number, int) and number <= logging.DEBUG)

    def crawled(self, request: Any, response: Any, spider: Any) -> Any:
        return super().crawled(request, response, spider) if self.debug else None

    def scraped(self, item: Any, response: Any, spider: Any) -> Any:
        return super().scraped(item, response, spider) if self.debug else None

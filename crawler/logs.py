"""Scrapy's start-up and shutdown chatter, moved below the default log level."""

from __future__ import annotations

import logging

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

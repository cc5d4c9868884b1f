"""A run's fatal failure: recorded once, the crawl stopped, the run not marked finished, exit 1.

Scrapy only logs what a ``spider_closed`` handler or an item pipeline raises, and the
process then exits 0. Components that meet a failure no retry can mend (a full disk, a
damaged segment, finalize raising) call :func:`fail`; the ``crawl`` command reads it back
with :func:`failure_of` and exits non-zero with that one line.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

FAILURE_STAT = "blogarchive/failure"
FAILED_REASON = "failed"
RERUN_HINT = "fix this (free some space?), then run the same command again (it resumes)"


def fail(crawler: Any, message: str, stop: bool = True) -> None:
    """Record ``message`` as the run's failure (the first one wins) and close the spider."""
    stats = crawler.stats
    if stats.get_value(FAILURE_STAT):
        return
    logger.error("%s", message)
    stats.set_value(FAILURE_STAT, message)
    if not stop:
        return
    try:
        engine = crawler.engine
    except RuntimeError:  # not crawling yet: nothing to stop
        return
    if engine is not None and engine.spider is not None:
        from scrapy.utils.defer import deferred_from_coro

        deferred_from_coro(engine.close_spider_async(reason=FAILED_REASON))


def failure_of(crawler: Any) -> str | None:
    """The run's recorded failure, if any."""
    return crawler.stats.get_value(FAILURE_STAT) if crawler.stats else None


def os_failure(exc: OSError, path: Path | str | None = None) -> str:
    """One line for a write that failed: the file, the cause, what to do."""
    where = path or exc.filename or "a file"
    if exc.errno == errno.ENOSPC:
        return (
            f"{where}: no space left on device: free some space, then run the same command again (it resumes)"
        )
    return f"{where}: {exc.strerror or exc}: {RERUN_HINT}"

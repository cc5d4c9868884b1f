"""The Scrapy item pipeline: rows to crash-safe segments, shards finalized when the spider closes."""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from crawler.failures import RERUN_HINT, fail, os_failure
from crawler.parsers.media import select_media
from pipelines.finalize import finalize
from pipelines.media import MediaRecord, write_index
from pipelines.segments import (
    DamagedFile,
    SegmentWriter,
    durable_post_ids,
    quarantine,
    quarantine_damaged_segments,
    segment_table,
    write_segment,
)
from pipelines.shards import count_comments
from schemas.origins import Origin
from schemas.output import OutputDir
from schemas.segment import ORIGIN

logger = logging.getLogger(__name__)


class ShardPipeline:
    """Item pipeline: rows to crash-safe segments; shards finalized when the spider closes.

    Permalink rows are marked done in the crawl ledger once their segment is on disk.
    When a crawl finishes cleanly, posts its enumeration no longer found (deleted
    upstream) are left out of the shards.

    With ``BLOGARCHIVE_SEGMENT_THREAD`` (a crawl's default) segments are written and fsynced
    on a thread of their own, in order, and their rows marked in the ledger on the reactor once
    the segment is renamed: durability is unchanged, and the reactor no longer waits on the disk
    (a flush was 7 % of its time in a 100-blog crawl, and an fsync on a busy disk takes seconds).
    """

    def __init__(self, crawler: Any) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.out = Path(settings.get("BLOGARCHIVE_OUTPUT"))
        self.shard_rows = settings.getint("BLOGARCHIVE_SHARD_ROWS")
        self.stats = crawler.stats
        self.ledger = getattr(crawler, "ledger", None)  # the crawl keeps its ledger on the crawler
        self.recover_segments()
        threaded = settings.getbool("BLOGARCHIVE_SEGMENT_THREAD")
        self._io = ThreadPoolExecutor(1, thread_name_prefix="segments") if threaded else None
        self._writing: deque[tuple[Future[None], list[dict[str, Any]]]] = deque()  # in flush order
        self.writer = SegmentWriter(
            self.out,
            settings.getint("BLOGARCHIVE_SEGMENT_ROWS"),
            on_flush=self._durable,
            flush_seconds=settings.getfloat("BLOGARCHIVE_SEGMENT_SECONDS"),
            write_later=self._write_later if threaded else None,
        )
        # Flushing by time (the default), the first row is written at once: the crawl is seen to work.
        self.first_flushed = not settings.getfloat("BLOGARCHIVE_SEGMENT_SECONDS")

    @classmethod
    def from_crawler(cls, crawler: Any) -> ShardPipeline:
        from scrapy import signals

        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(pipeline.warm_up, signal=signals.engine_started)
        return pipeline

    @staticmethod
    def warm_up() -> None:
        """Build an empty segment table once the first requests are out: pyarrow's first table
        imports pandas (0.45 s of CPU), paid then, while pages are fetched and the parse
        workers start, instead of between the first row and its segment."""
        from twisted.internet import reactor

        reactor.callLater(0, segment_table, [])

    def _write_later(self, path: Path, rows: list[dict[str, Any]]) -> None:
        """Write the segment on the segments thread; its rows are settled on the reactor."""
        from twisted.internet import reactor

        assert self._io is not None
        future = self._io.submit(write_segment, path, rows)
        self._writing.append((future, rows))
        future.add_done_callback(lambda _: reactor.callFromThread(self._settle))

    def _settle(self, wait: bool = False) -> None:
        """The written segments' rows marked durable, in flush order; a failed write fails the run
        and gives its rows back. ``wait`` (the close): every segment asked for, its write waited
        for, and a failure raised for ``spider_closed`` to report."""
        while self._writing and (wait or self._writing[0][0].done()):
            future, rows = self._writing.popleft()
            try:
                future.result()
                self._durable(rows)
            except OSError as exc:  # a full disk: the rows stay unmarked, the next run fetches them
                self.writer.give_back(rows)
                if wait:
                    raise
                fail(self.crawler, os_failure(exc, self.writer.directory))
            except sqlite3.OperationalError as exc:  # the ledger's disk is full: the segment is whole
                if wait:
                    raise
                fail(self.crawler, f"{OutputDir(self.out).ledger}: {exc}: {RERUN_HINT}")

    def _durable(self, rows: list[dict[str, Any]]) -> None:
        if self.ledger is not None:
            self.ledger.mark_fetched([r for r in rows if r[ORIGIN] == Origin.PERMALINK])

    def recover_segments(self) -> None:
        """Damaged segments moved aside and their posts made to be fetched again (under the output lock)."""
        moved = quarantine_damaged_segments(self.out)
        if not moved:
            return
        self.stats.set_value("blogarchive/resume/quarantined_segments", len(moved))
        if self.ledger is not None:
            refetch = self.ledger.forget_fetched_except(durable_post_ids(self.out))
            self.stats.set_value("blogarchive/resume/refetched_posts", refetch)
            logger.warning(
                "%d damaged segments moved aside: their %d posts are fetched again", len(moved), refetch
            )

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        try:
            self.writer.add(item)
            if not self.first_flushed:
                self.first_flushed = True
                self.writer.flush()
        except OSError as exc:  # a full disk: rows stay unmarked in the ledger, the next run fetches them
            fail(self.crawler, os_failure(exc, self.writer.directory))
        except (
            sqlite3.OperationalError
        ) as exc:  # the ledger's disk is full: the segment is whole, re-fetching is safe
            fail(self.crawler, f"{OutputDir(self.out).ledger}: {exc}: {RERUN_HINT}")
        return item

    def spider_closed(self, spider: Any, reason: str) -> None:
        """Flush and finalize; a failure is the run's failure (Scrapy would only log it)."""
        try:
            self.finish(spider, reason)
        except DamagedFile as exc:
            moved = quarantine(Path(exc.path), self.out)
            if self.ledger is not None:
                self.ledger.forget_fetched_except(durable_post_ids(self.out))
            fail(self.crawler, f"{exc}: moved to {moved}; run the same command again to fetch its posts again",
                 stop=False)  # fmt: skip
        except OSError as exc:
            fail(self.crawler, os_failure(exc), stop=False)
        except sqlite3.OperationalError as exc:  # the ledger's disk is full: what was written stays
            fail(self.crawler, f"{OutputDir(self.out).ledger}: {exc}: {RERUN_HINT}", stop=False)
        except Exception as exc:
            logger.exception("finalize failed")
            fail(
                self.crawler,
                f"writing the shards of {self.out} failed: {type(exc).__name__}: {exc}",
                stop=False,
            )

    def finish(self, spider: Any, reason: str) -> None:
        self.writer.flush()
        if self._io is not None:
            self._settle(wait=True)
            self._io.shutdown()
        if self.ledger is not None:  # the media index first: the shards' media_files come from it
            write_index(self.out, (MediaRecord(**r) for r in self.ledger.media_records()))
        counts = finalize(
            self.out, self.shard_rows, self.excluded_ids(spider, reason), select_media=select_media
        )
        for platform, count in counts.items():
            self.stats.set_value(f"blogarchive/shards/rows/{platform}", count)
        self.stats.set_value("blogarchive/shards/rows", sum(counts.values()))
        self.stats.set_value("blogarchive/shards/comments", count_comments(self.out))

    def excluded_ids(self, spider: Any, reason: str) -> set[str]:
        """Ids left out of the shards: posts a complete crawl of their blog no longer found."""
        if (
            self.ledger is None
            or reason != "finished"
            or not getattr(spider, "complete_enumeration", lambda: False)()
        ):
            return set()
        exclude = self.ledger.unseen_ids(spider.crawled_blogs)
        self.stats.set_value("blogarchive/incremental/deleted", len(exclude))
        return exclude

"""The shard pipeline of a worker: it tells the worker's book which rows are durable, and flushes when due."""

from __future__ import annotations

import time
from typing import Any

import pyarrow.compute as pc

from crawler.shard_pipeline import ShardPipeline
from pipelines.segments import read_segments
from schemas.origins import Origin
from schemas.segment import ORIGIN

SEGMENTS_DUE = object()  # signal: flush the segment buffer if due (kwargs: idle)


class LeasedShardPipeline(ShardPipeline):
    """The shard pipeline, telling the worker's book which rows are durable, and flushing when due."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.book = crawler.spider.blogs
        self.last_flush = time.monotonic()

    @classmethod
    def from_crawler(cls, crawler: Any) -> LeasedShardPipeline:
        pipeline = super().from_crawler(crawler)
        crawler.signals.connect(pipeline.segments_due, signal=SEGMENTS_DUE)
        return pipeline

    def spider_closed(self, spider: Any, reason: str) -> None:
        super().spider_closed(spider, reason)
        (self.out / "data").mkdir(
            exist_ok=True
        )  # a crawl output, for snapshot, even if others hold every post

    def _durable(self, rows: list[dict[str, Any]]) -> None:
        super()._durable(rows)
        self.last_flush = time.monotonic()
        self.book.rows_durable(rows)

    def excluded_ids(self, spider: Any, reason: str) -> set[str]:
        """Posts known here only from a listing or feed whose own page another worker holds.

        ``blogarchive snapshot`` keeps the latest row of a post across worker directories:
        leaving these out makes it the permalink's row, as a single crawl's shards have it.
        """
        segments = read_segments(self.out, columns=["id", ORIGIN]).group_by("id").aggregate([(ORIGIN, "min")])
        secondhand = pc.filter(segments["id"], pc.not_equal(segments[f"{ORIGIN}_min"], int(Origin.PERMALINK)))
        superseded = self.book.frontier.have_permalinks(secondhand.to_pylist())
        self.stats.set_value("blogarchive/worker/superseded_rows", len(superseded))
        return superseded

    def segments_due(self, idle: bool) -> None:
        """Rows wait for no new row to flush them: leases end, and the crawl can go idle."""
        seconds = self.writer.flush_seconds
        overdue = bool(seconds) and time.monotonic() - self.last_flush >= seconds
        if self.writer.buffer and (idle or overdue):
            self.writer.flush()

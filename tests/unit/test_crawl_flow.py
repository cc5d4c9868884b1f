"""What keeps a crawl flowing: enumeration pages never queue behind posts, the first row is on disk at once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timezone

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.capture import Capture, Processed
from crawler.parsers.base import LinkKind
from crawler.pool import ProcessPool
from crawler.shard_pipeline import ShardPipeline
from schemas.outcomes import PageOutcome
from schemas.output import OutputDir
from tests.unit.test_failures import FakeSpider
from tests.unit.test_parquet import row


def capture(kind: LinkKind, n: int) -> Capture:
    return Capture(
        f"http://127.0.0.1/{n}", b"", "text/html", kind, datetime(2024, 1, 1, tzinfo=timezone.utc), "blogspot"
    )


def test_a_feed_page_is_parsed_while_every_post_slot_is_taken():
    async def scenario() -> list[str]:
        pool = ProcessPool(1)  # two post slots
        release = asyncio.Event()
        done: list[str] = []

        async def submit(c: Capture) -> Processed:
            if c.kind is LinkKind.POST:
                await release.wait()
            done.append(c.url)
            return Processed(c.platform)

        pool._submit = submit  # type: ignore[method-assign]
        posts = [asyncio.create_task(pool.run(capture(LinkKind.POST, n))) for n in range(3)]
        await asyncio.wait_for(pool.run(capture(LinkKind.FEED, 9)), timeout=5)
        assert done == ["http://127.0.0.1/9"]  # the feed did not wait behind the three posts
        release.set()
        await asyncio.gather(*posts)
        return done

    assert len(asyncio.run(scenario())) == 4


def test_the_first_row_is_written_at_once_then_rows_wait_for_a_full_segment(tmp_path):
    settings = {
        "BLOGARCHIVE_OUTPUT": str(tmp_path),
        "BLOGARCHIVE_SEGMENT_ROWS": 3,
        "BLOGARCHIVE_SEGMENT_SECONDS": 60,
    }
    crawler = get_crawler(settings_dict=settings)
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.spider = FakeSpider(None)
    shards = ShardPipeline(crawler)
    shards.process_item(row(1))
    assert [p.name for p in OutputDir(tmp_path).segments.glob("seg-*.parquet")] == ["seg-000000.parquet"]
    shards.process_item(row(2))
    shards.process_item(row(3))
    assert len(list(OutputDir(tmp_path).segments.glob("seg-*.parquet"))) == 1
    shards.process_item(row(4))
    assert len(list(OutputDir(tmp_path).segments.glob("seg-*.parquet"))) == 2


def test_a_dead_parse_worker_fails_its_page_only_and_is_replaced():
    async def scenario() -> tuple[Processed, Processed, Processed]:
        pool = ProcessPool(1, start_method=None)
        try:
            first = await pool.run(capture(LinkKind.POST, 1))
            slow = replace(
                capture(LinkKind.POST, 2), body=b"<html><body>" + b"<p>many words here</p>" * 50_000
            )
            pending = asyncio.create_task(pool.run(slow))
            await asyncio.sleep(0)  # the capture is sent: its worker dies parsing it
            workers = pool._workers()
            (busy,) = [worker for worker in workers._workers if worker.tasks]
            busy.process.kill()
            crashed = await asyncio.wait_for(pending, timeout=20)
            after = await asyncio.wait_for(pool.run(capture(LinkKind.POST, 3)), timeout=20)
            return first, crashed, after
        finally:
            pool.close()

    first, crashed, after = asyncio.run(scenario())
    assert crashed.outcome == PageOutcome.WORKER_CRASH.value
    assert first.outcome == after.outcome != PageOutcome.WORKER_CRASH.value


def test_a_capture_waiting_in_a_dead_workers_pipe_is_parsed_by_its_replacement():
    async def scenario() -> tuple[Processed, Processed]:
        pool = ProcessPool(1, start_method=None)
        try:
            await pool.run(capture(LinkKind.FEED, 1))  # the worker is up
            slow = replace(
                capture(LinkKind.POST, 2), body=b"<html><body>" + b"<p>many words here</p>" * 50_000
            )
            parsing = asyncio.create_task(pool.run(slow))
            waiting = asyncio.create_task(pool.run(capture(LinkKind.POST, 3)))
            await asyncio.sleep(0)  # both are sent: the second waits in the worker's pipe
            (worker,) = pool._workers()._workers
            assert len(worker.tasks) == 2
            worker.process.kill()
            return await asyncio.wait_for(parsing, timeout=20), await asyncio.wait_for(waiting, timeout=20)
        finally:
            pool.close()

    crashed, waited = asyncio.run(scenario())
    assert crashed.outcome == PageOutcome.WORKER_CRASH.value
    assert waited.outcome != PageOutcome.WORKER_CRASH.value


def test_a_capture_too_big_for_a_workers_pipe_waits_for_it_to_be_idle():
    async def scenario() -> tuple[int, int, Processed]:
        pool = ProcessPool(1, start_method=None)
        try:
            await pool.run(capture(LinkKind.FEED, 1))  # the worker is up
            (worker,) = pool._workers()._workers
            slow = replace(
                capture(LinkKind.POST, 2), body=b"<html><body>" + b"<p>many words here</p>" * 50_000
            )
            big = replace(capture(LinkKind.POST, 3), body=b"<html><body><p>x</p>" + b" " * (worker.room + 1))
            parsing = asyncio.create_task(pool.run(slow))
            waiting = asyncio.create_task(pool.run(big))
            await asyncio.sleep(0)  # sending it would block the reactor until the worker reads it
            held = len(worker.tasks)
            await parsing
            return held, len(pool._workers()._queue), await asyncio.wait_for(waiting, timeout=20)
        finally:
            pool.close()

    held, queued_after, big = asyncio.run(scenario())
    assert held == 1 and queued_after == 0
    assert big.outcome != PageOutcome.WORKER_CRASH.value

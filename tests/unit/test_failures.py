"""Failures no retry mends: recorded once, the crawl stopped, nothing written wrong, nothing marked done."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.failures import FAILURE_STAT, fail, failure_of, os_failure
from crawler.ledger import Ledger
from crawler.shard_pipeline import ShardPipeline
from crawler.warc import WarcFileWriter, build_records, iter_captures
from pipelines.segments import SegmentWriter
from schemas.output import OutputDir
from tests.unit.test_parquet import row
from tests.unit.test_warc import WHEN, exchange

ENOSPC = OSError(errno.ENOSPC, "No space left on device")


class FakeSpider:
    def __init__(self, ledger: Ledger | None) -> None:
        self.ledger = ledger


def pipeline(
    out: Path, ledger: Ledger | None = None, segment_rows: int = 1, threaded: bool = False
) -> ShardPipeline:
    crawler = get_crawler(
        settings_dict={
            "BLOGARCHIVE_OUTPUT": str(out),
            "BLOGARCHIVE_SEGMENT_ROWS": segment_rows,
            "BLOGARCHIVE_SHARD_ROWS": 100,
            "BLOGARCHIVE_SEGMENT_THREAD": threaded,
        }
    )
    crawler.stats = MemoryStatsCollector(crawler)
    crawler.spider = FakeSpider(ledger)
    crawler.ledger = ledger  # where the crawl keeps it (crawler.ledger.crawl_ledger)
    return ShardPipeline(crawler)


def test_the_first_failure_is_kept_and_names_what_to_do(tmp_path):
    crawler = get_crawler(settings_dict={})
    crawler.stats = MemoryStatsCollector(crawler)
    fail(crawler, os_failure(ENOSPC, tmp_path / "seg"), stop=False)
    fail(crawler, "a later consequence", stop=False)
    assert (
        failure_of(crawler)
        == f"{tmp_path / 'seg'}: no space left on device: free some space, then run the same command again (it resumes)"
    )


def test_a_full_disk_fails_the_run_and_marks_no_post_fetched(tmp_path, monkeypatch):
    ledger = Ledger(tmp_path / ".state" / "ledger.sqlite")
    shards = pipeline(tmp_path, ledger)

    def full(*args, **kwargs):
        raise ENOSPC

    monkeypatch.setattr("pipelines.segments.atomic_write_table", full)
    shards.process_item(row(1))
    assert "no space left on device" in shards.stats.get_value(FAILURE_STAT)
    assert ledger.known(row(1)["url"]) is None  # not durable: the next run fetches it
    assert len(shards.writer.buffer) == 1  # kept, not dropped as written


def test_segments_written_on_their_thread_are_marked_once_renamed_and_all_by_the_close(tmp_path):
    ledger = Ledger(tmp_path / ".state" / "ledger.sqlite")
    shards = pipeline(tmp_path, ledger, segment_rows=2, threaded=True)
    for n in range(5):
        shards.process_item(row(n))
    first, _ = shards._writing[0]
    first.result(timeout=30)  # written and renamed on the segments thread...
    assert (OutputDir(tmp_path).segments / "seg-000000.parquet").exists()
    assert ledger.known(row(0)["url"]) is None  # ...marked only on the reactor, by _settle
    shards._settle()
    assert ledger.known(row(0)["url"]).fetched_run == 1
    shards.spider_closed(FakeSpider(ledger), "finished")  # the last rows flushed, every write waited for
    assert not shards.stats.get_value(FAILURE_STAT)
    assert [ledger.known(row(n)["url"]).fetched_run for n in range(5)] == [1] * 5
    assert shards.stats.get_value("blogarchive/shards/rows") == 5


def test_a_full_disk_on_the_segments_thread_fails_the_run_and_gives_the_rows_back(tmp_path, monkeypatch):
    ledger = Ledger(tmp_path / ".state" / "ledger.sqlite")
    shards = pipeline(tmp_path, ledger, threaded=True)

    def full(*args, **kwargs):
        raise ENOSPC

    monkeypatch.setattr("pipelines.segments.atomic_write_table", full)
    shards.process_item(row(1))
    ((future, _),) = shards._writing
    assert isinstance(future.exception(timeout=30), OSError)
    shards._settle()
    assert "no space left on device" in shards.stats.get_value(FAILURE_STAT)
    assert ledger.known(row(1)["url"]) is None  # not durable: the next run fetches it
    assert len(shards.writer.buffer) == 1  # given back, not dropped as written


def test_finalize_raising_is_the_runs_failure_not_a_log_line(tmp_path, monkeypatch):
    shards = pipeline(tmp_path)
    shards.process_item(row(1))

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr("crawler.shard_pipeline.finalize", broken)
    shards.spider_closed(FakeSpider(None), "finished")
    assert (
        shards.stats.get_value(FAILURE_STAT) == f"writing the shards of {tmp_path} failed: ValueError: boom"
    )


def cut_in_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_a_damaged_segment_is_moved_aside_and_its_posts_fetched_again(tmp_path):
    ledger = Ledger(tmp_path / ".state" / "ledger.sqlite")
    writer = SegmentWriter(tmp_path, flush_rows=2, on_flush=ledger.mark_fetched)
    for n in range(5):
        writer.add(row(n))
    writer.flush()
    cut_in_half(OutputDir(tmp_path).segments / "seg-000001.parquet")  # rows 2 and 3
    shards = pipeline(tmp_path, ledger)
    assert shards.stats.get_value("blogarchive/resume/quarantined_segments") == 1
    assert shards.stats.get_value("blogarchive/resume/refetched_posts") == 2
    assert [ledger.known(row(n)["url"]).fetched_run for n in range(5)] == [1, 1, None, None, 1]
    assert len(list(OutputDir(tmp_path).quarantine.iterdir())) == 1
    shards.spider_closed(FakeSpider(ledger), "finished")
    assert not shards.stats.get_value(FAILURE_STAT)
    assert shards.stats.get_value("blogarchive/shards/rows") == 3


def test_a_segment_damaged_after_the_start_fails_finalize_and_is_moved_aside(tmp_path, monkeypatch):
    ledger = Ledger(tmp_path / ".state" / "ledger.sqlite")
    shards = pipeline(tmp_path, ledger, segment_rows=2)
    for n in range(4):
        shards.process_item(row(n))
    damaged = OutputDir(tmp_path).segments / "seg-000000.parquet"
    damaged.write_bytes(b"PAR1" + b"\0" * 64 + b"PAR1")  # bit rot: a footer that is not one
    shards.spider_closed(FakeSpider(ledger), "finished")
    message = shards.stats.get_value(FAILURE_STAT)
    assert message.startswith(f"{damaged} is damaged (") and "run the same command again" in message
    assert not damaged.exists()
    assert [ledger.known(row(n)["url"]).fetched_run for n in range(4)] == [None, None, 1, 1]


def test_a_failed_warc_write_leaves_only_whole_records(tmp_path, monkeypatch):
    writer = WarcFileWriter(tmp_path, max_bytes=10**9)
    writer.write(build_records(*exchange(b"<p>kept</p>"), WHEN, {})[0])
    handle = writer._file
    whole = handle.tell()
    real_write = handle.write

    class HalfThenFull:
        """The disk takes 100 bytes of the next record, then is full."""

        calls = 0

        def write(self, data):
            self.calls += 1
            if self.calls == 1:
                return real_write(bytes(data[:100]))
            raise ENOSPC

        def __getattr__(self, name):
            return getattr(handle, name)

    writer._file = HalfThenFull()
    with pytest.raises(OSError):
        writer.write(build_records(*exchange(b"<p>lost</p>"), WHEN, {})[0])
    writer._file = handle
    writer.close()
    (path,) = tmp_path.glob("*.warc.gz")
    assert path.stat().st_size == whole
    assert [c.body for c in iter_captures(path)] == [b"<p>kept</p>"]


def test_build_into_an_output_with_a_cut_segment_moves_it_aside(tmp_path):
    from crawler.build import build
    from tests.unit.test_hostile_warc import record_bytes

    writer = SegmentWriter(tmp_path / "out", flush_rows=1)
    writer.add(row(1))
    cut_in_half(OutputDir(tmp_path / "out").segments / "seg-000000.parquet")
    warc = tmp_path / "a.warc"
    warc.write_bytes(record_bytes("http://127.0.0.1/a.html", b"<html><body>a</body></html>"))
    counters = build([warc], tmp_path / "out")
    assert counters["segments/quarantined"] == 1


def test_a_full_ledger_fails_the_run_too(tmp_path):
    import sqlite3

    class FullLedger:
        def mark_fetched(self, rows):
            raise sqlite3.OperationalError("database or disk is full")

    shards = pipeline(tmp_path, FullLedger())
    shards.process_item(row(1))
    assert shards.stats.get_value(FAILURE_STAT).endswith(
        "ledger.sqlite: database or disk is full: fix this (free some space?), then run the same command again (it resumes)"
    )


def test_a_ledger_that_cannot_record_the_finish_fails_the_run(tmp_path, monkeypatch):
    """Scrapy only logs what an engine_stopped handler raises: the run must still exit 1."""
    import sqlite3

    from scrapy import signals

    from crawler.ledger import crawl_ledger

    crawler = get_crawler(settings_dict={"BLOGARCHIVE_OUTPUT": str(tmp_path)})
    crawler.stats = MemoryStatsCollector(crawler)
    ledger = crawl_ledger(crawler)

    def full(reason: str) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(ledger, "finish", full)
    crawler.signals.send_catch_log(signals.spider_closed, reason="finished")
    crawler.signals.send_catch_log(signals.engine_stopped)
    assert failure_of(crawler).endswith(
        "ledger.sqlite: disk I/O error: fix this (free some space?), then run the same command again (it resumes)"
    )

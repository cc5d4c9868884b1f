"""A distributed worker's own pieces: its directory lock, lease bookkeeping, blog state from Redis."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler.blogs import Outcome, blog_record
from crawler.distributed.book import state_from_hash
from crawler.distributed.leases import Leases
from crawler.distributed.worker import apply_worker_settings, claim_worker_dir
from crawler.errors import UserError


def test_each_live_worker_gets_its_own_directory(tmp_path):
    first, lock = claim_worker_dir(tmp_path)
    second, other = claim_worker_dir(tmp_path)
    assert (first.name, second.name) == ("worker-0", "worker-1")
    lock.close()  # as when the first worker dies: its directory is adopted by the next one
    third, _ = claim_worker_dir(tmp_path)
    assert third == first
    with pytest.raises(UserError, match="in use"):
        claim_worker_dir(tmp_path, "1")
    other.close()
    assert claim_worker_dir(tmp_path, "1")[0] == second


def test_a_lease_is_durable_once_its_callback_rows_and_requests_are():
    leases = Leases()
    leases.add("L", "blog")  # a row
    leases.add("L", "blog")  # a request
    assert leases.release("L") is None  # the callback ended
    assert leases.release("L") is None  # the request is queued
    assert leases.release("L") == "blog"  # the row is in a flushed segment
    assert leases.release("M") == ""  # a callback that yielded nothing


def test_blog_state_from_its_redis_hash():
    fields = {b"seed": b"http://a.canalblog.com", b"started": b"2026-01-02T03:04:05+00:00", b"pages": b"12",
              b"posts": b"9", b"platform": b"canalblog", b"home": b"ok", b"err:timeout": b"2"}  # fmt: skip
    state = state_from_hash("https://a.canalblog.com/", fields)
    assert (state.seed, state.pages, state.platform, state.home) == (
        "http://a.canalblog.com",
        12,
        "canalblog",
        "ok",
    )
    assert state.errors == {"timeout": 2} and state.started.year == 2026
    record = blog_record(state, Outcome.DONE, state.started)
    assert (record["posts"], record["run_posts"]) == (9, 9)  # every worker's durable posts, from Redis


def test_worker_settings_put_scrapy_redis_over_our_frontier():
    settings = Settings()
    settings.setmodule("crawler.settings")
    apply_worker_settings(settings, "redis://127.0.0.1:6379/0", "host-worker-0-42", "crawl7")
    assert settings["SCHEDULER"] == "crawler.distributed.scheduler.LeaseScheduler"
    assert settings["DUPEFILTER_CLASS"] == "scrapy_redis.dupefilter.RFPDupeFilter"
    assert (
        settings.getbool("SCHEDULER_PERSIST") and settings["SCHEDULER_DUPEFILTER_KEY"] == "crawl7:dupefilter"
    )
    pipelines = settings.getdict("ITEM_PIPELINES")
    assert (
        "crawler.shard_pipeline.ShardPipeline" not in pipelines
        and pipelines["crawler.distributed.pipeline.LeasedShardPipeline"] == 900
    )


class FakeRedis:
    """The few Redis calls the post count makes: sets, hash counters, pipelines."""

    def __init__(self) -> None:
        self.sets: dict[str, set] = {}
        self.counts: dict[tuple[str, str], int] = {}
        self.queued: list = []

    def pipeline(self) -> FakeRedis:
        return self

    def sadd(self, key, member) -> None:
        self.queued.append(
            lambda: int(member not in self.sets.setdefault(key, set()) and not self.sets[key].add(member))
        )

    def hincrby(self, key, field, amount) -> None:
        def run() -> int:
            self.counts[key, field] = self.counts.get((key, field), 0) + amount
            return self.counts[key, field]

        self.queued.append(run)

    def execute(self) -> list:
        done, self.queued = [f() for f in self.queued], []
        return done


def test_a_post_counts_once_when_durable_however_often_it_was_fetched():
    from types import SimpleNamespace

    from crawler.blogs import META_BLOG
    from crawler.distributed.book import RedisBlogBook
    from crawler.distributed.frontier import Keys
    from schemas.origins import Origin
    from schemas.segment import ORIGIN

    book = RedisBlogBook.__new__(RedisBlogBook)
    book.server, book.keys, book.leases = FakeRedis(), Keys("t"), Leases()
    request = SimpleNamespace(meta={META_BLOG: "blog"})
    fetched = [{"id": f"p{n}", ORIGIN: Origin.PERMALINK} for n in (1, 2)]
    for row in fetched:
        book.row(request, row)
    assert book.server.counts == {}  # parsed is not durable: a kill now must not count them
    book.rows_durable(fetched)
    again = {"id": "p1", ORIGIN: Origin.PERMALINK}  # re-fetched after a worker died before acking
    book.row(request, again)
    book.rows_durable([again])
    assert book.server.counts == {(book.keys.blog("blog"), "posts"): 2}

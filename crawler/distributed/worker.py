"""One worker of a distributed crawl: seeds and requests from Redis, shards and WARC files of its own.

A worker owns a directory ``OUT/worker-<n>`` (the first one no live worker holds: a
``flock`` on its ``.lock`` file), so no two processes ever write the same file; a worker
started after one was killed adopts the dead one's directory, recovers its WARC files and
finalizes its segments. The worker's spider takes seeds from ``<prefix>:seeds`` while the
crawl has room for more active blogs, heartbeats, gives back the leases of dead workers
(see :mod:`crawler.distributed.frontier`), and ends once the whole crawl has been idle for
``BLOGARCHIVE_WORKER_LINGER`` seconds.

Its parts: the lease of each request it took (:mod:`crawler.distributed.leases`), dropped
only once the request is durable; the per-blog accounting shared in Redis
(:mod:`crawler.distributed.book`); the shard pipeline (:mod:`crawler.distributed.pipeline`),
which flushes segments whenever the shared queue is empty or ``BLOGARCHIVE_SEGMENT_SECONDS``
after the last flush, even when no new row comes.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import scrapy

from crawler.blogs import META_BLOG
from crawler.distributed.book import RedisBlogBook
from crawler.distributed.frontier import DEFAULT_PREFIX
from crawler.distributed.leases import META_LEASE, seed_lease
from crawler.distributed.pipeline import SEGMENTS_DUE
from crawler.errors import UserError
from crawler.outlock import LOCK_NAME, holder, try_lock
from crawler.parsers.base import Link, LinkKind
from crawler.seeds import vet_seed
from crawler.spiders.base import BlogSpider

logger = logging.getLogger(__name__)

SHARD_PIPELINE = "crawler.shard_pipeline.ShardPipeline"


def claim_worker_dir(out: Path, name: str | None = None) -> tuple[Path, IO[str]]:
    """``OUT/worker-<name>`` (else the first free ``worker-<n>``), locked until this process exits."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create output directory {out}: {exc.strerror}") from None
    for candidate in [name] if name else (str(n) for n in itertools.count()):
        directory = out / f"worker-{candidate}"
        directory.mkdir(exist_ok=True)
        handle = try_lock(directory / LOCK_NAME)
        if handle is None:
            if name:
                raise UserError(
                    f"{directory} is in use by another worker (pid {holder(directory / LOCK_NAME)})"
                )
            continue
        return directory, handle
    raise AssertionError("unreachable")


def worker_id(directory: Path) -> str:
    """A name unique among live workers of every machine: host, directory, process id."""
    return f"{socket.gethostname()}-{directory.name}-{os.getpid()}"


def apply_worker_settings(settings: Any, redis_url: str, worker: str, prefix: str = DEFAULT_PREFIX) -> None:
    """scrapy-redis as the scheduler over our frontier, and the lease-aware shard pipeline."""
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    pipelines["crawler.distributed.pipeline.LeasedShardPipeline"] = pipelines.pop(SHARD_PIPELINE, 900)
    values = {
        "SCHEDULER": "crawler.distributed.scheduler.LeaseScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.scheduler.LeaseQueue",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_PERSIST": True,
        "SCHEDULER_QUEUE_KEY": f"{prefix}:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:dupefilter",
        "REDIS_URL": redis_url,
        "JOBDIR": None,  # the frontier is in Redis
        "ITEM_PIPELINES": pipelines,
        "BLOGARCHIVE_WORKER_ID": worker,
        "BLOGARCHIVE_REDIS_PREFIX": prefix,
    }
    for name, value in values.items():
        settings.set(name, value, priority="cmdline")


class WorkerSpider(BlogSpider):
    """The crawl loop of :class:`BlogSpider`, fed from the shared seed list until the crawl is idle."""

    name = "worker"
    book_class = RedisBlogBook
    seeds_from_arguments = False
    gate_listings = False  # a blog's feed may be parsed by another worker

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> WorkerSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.frontier = spider.blogs.frontier
        spider.ttl = settings.getfloat("BLOGARCHIVE_WORKER_TTL")
        spider.tick = settings.getfloat("BLOGARCHIVE_WORKER_TICK")
        spider.linger = settings.getfloat("BLOGARCHIVE_WORKER_LINGER")
        spider.last_beat = 0.0
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        logger.info("worker %s: output in %s", self.frontier.worker, self.out)
        idle_since: float | None = None
        while True:
            self.beat()
            request = self.seed_request()
            if request is not None:
                idle_since = None
                yield request
                continue
            if self.frontier.idle():
                self.blogs.finish_leftovers()
                idle_since = idle_since or time.monotonic()
                if time.monotonic() - idle_since >= self.linger:
                    logger.info("the crawl is idle: worker %s stops", self.frontier.worker)
                    return
            else:
                idle_since = None
            await asyncio.sleep(self.tick)

    def beat(self) -> None:
        """Heartbeat, give back dead workers' leases, flush segments if due (at most once a tick)."""
        now = time.monotonic()
        if now - self.last_beat < self.tick:
            return
        self.last_beat = now
        self.frontier.beat(self.ttl)
        for worker, count in self.frontier.reap().items():
            logger.warning(
                "worker %s is gone: %d of its requests and seeds go back to the queue", worker, count
            )
            self.crawler.stats.inc_value("blogarchive/worker/requeued", count)
        self.crawler.signals.send_catch_log(SEGMENTS_DUE, idle=self.frontier.queued() == 0)

    def seed_request(self) -> scrapy.Request | None:
        """The home request of the next seed, when the crawl has room for one more blog."""
        if not self.blogs.has_room():
            return None
        while (url := self.frontier.pop_seed()) is not None:
            # The checks a crawl's seeds get: a seed pushed straight into Redis is no safer.
            clean, problem = vet_seed(url, self.max_seed_length())
            if problem is not None:
                self.crawler.stats.inc_value(f"blogarchive/errors/{problem}")
                self.frontier.ack(seed_lease(url), "")  # the lease is the URL as it was pushed
                continue
            request = self.make_request(Link(clean, LinkKind.HOME), self.platform)
            request.meta[META_BLOG] = self.blogs.open(clean)
            request.meta[META_LEASE] = seed_lease(url)
            return request
        return None

    def complete_enumeration(self) -> bool:
        return False  # a worker sees part of each blog: it never concludes that a post was deleted

"""One worker of a distributed crawl: seeds and requests from Redis, shards and WARC files of its own.

A worker owns a directory ``OUT/worker-<n>`` (the first one no live worker holds: a
``flock`` on its ``.lock`` file), so no two processes ever write the same file; a worker
started after one was killed adopts the dead one's directory, recovers its WARC files and
finalizes its segments. The worker's spider takes seeds from ``<prefix>:seeds`` while the
crawl has room for more active blogs, heartbeats, gives back the leases of dead workers
(see :mod:`crawler.distributed.frontier`), and ends once the whole crawl has been idle for
``BLOGARCHIVE_WORKER_LINGER`` seconds.

A popped request's lease is dropped only when the request is durable: its callback has
ended, each request it yielded is in Redis and each row it yielded is in a flushed segment
(or was dropped). Rows carry their lease in ``ROW_LEASE`` and requests in ``META_PARENT``
until then; segments are flushed whenever the shared queue is empty or
``BLOGARCHIVE_SEGMENT_SECONDS`` after the last flush, even when no new row comes.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import socket
import time
from collections.abc import AsyncIterator
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

import pyarrow.compute as pc
import scrapy
from scrapy import signals
from scrapy_redis.connection import get_redis_from_settings

from crawler.blogs import (
    META_BLOG,
    META_DONE,
    BlogLog,
    BlogState,
    blog_key,
    blog_outcome,
    blog_record,
    home_result,
)
from crawler.distributed.frontier import DEFAULT_PREFIX, META_LEASE, META_PARENT, Frontier, seed_lease
from crawler.errors import UserError
from crawler.outlock import LOCK_NAME, holder, try_lock
from crawler.parsers.base import Link, LinkKind, Origin
from crawler.seeds import vet_seed
from crawler.spiders.base import BlogSpider
from pipelines.parquet import ShardPipeline, read_segments
from pipelines.process import ORIGIN

logger = logging.getLogger(__name__)

ROW_LEASE = "_lease"
ROW_BLOG = "_blog"
SEGMENTS_DUE = object()  # signal: flush the segment buffer if due (kwargs: idle)
SHARD_PIPELINE = "pipelines.parquet.ShardPipeline"


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
    pipelines["crawler.distributed.worker.LeasedShardPipeline"] = pipelines.pop(SHARD_PIPELINE, 900)
    values = {
        "SCHEDULER": "crawler.distributed.frontier.LeaseScheduler",
        "SCHEDULER_QUEUE_CLASS": "crawler.distributed.frontier.LeaseQueue",
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


class Leases:
    """Requests this worker popped and has not made durable yet, with their rows still in flight."""

    def __init__(self) -> None:
        self.units: dict[str, int] = {}  # 1 for the callback until it ends, +1 per row or request in flight
        self.blogs: dict[str, str] = {}

    def add(self, lease: str, blog: str) -> None:
        """One more thing (a row, a request) the lease waits for."""
        self.units[lease] = self.units.get(lease, 1) + 1
        self.blogs[lease] = blog

    def release(self, lease: str) -> str | None:
        """One unit of ``lease`` is done; its blog when the lease is now durable, else None."""
        left = self.units.get(lease, 1) - 1
        if left > 0:
            self.units[lease] = left
            return None
        self.units.pop(lease, None)
        return self.blogs.pop(lease, "")


def state_from_hash(blog: str, fields: dict[bytes, bytes]) -> BlogState:
    """A blog's state from its Redis hash (written by every worker that fetched its pages)."""
    values = {k.decode(): v.decode() for k, v in fields.items()}
    started = values.get("started")
    state = BlogState(
        blog=blog,
        seed=values.get("seed", blog),
        started=datetime.fromisoformat(started) if started else datetime.now(timezone.utc),
        platform=values.get("platform"),
        home=values.get("home"),
        pages=int(values.get("pages", 0)),
        shared_posts=int(values.get("posts", 0)),
        run_posts=int(values.get("posts", 0)),  # every worker's posts of this crawl, durable
        limit=values.get("limit"),
    )
    for key, value in values.items():
        if key.startswith("err:"):
            state.errors[key[4:]] = int(value)
    return state


class RedisBlogBook:
    """Per-blog accounting shared by every worker, in Redis; same calls as :class:`crawler.blogs.BlogBook`."""

    def __init__(self, crawler: Any, frontier: Frontier) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.frontier = frontier
        self.keys = frontier.keys
        self.server = frontier.server
        self.concurrent = max(1, settings.getint("BLOGARCHIVE_CONCURRENT_BLOGS"))
        self.max_posts = settings.getint("BLOGARCHIVE_MAX_POSTS")
        self.log = BlogLog(Path(settings.get("BLOGARCHIVE_OUTPUT")), crawler)
        self.leases = Leases()

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedisBlogBook:
        settings = crawler.settings
        server = get_redis_from_settings(settings)
        frontier = Frontier(
            server, settings.get("BLOGARCHIVE_WORKER_ID"), settings.get("BLOGARCHIVE_REDIS_PREFIX")
        )
        book = cls(crawler, frontier)
        crawler.signals.connect(book.item_gone, signal=signals.item_dropped)
        crawler.signals.connect(book.item_gone, signal=signals.item_error)
        # After the shard pipeline's spider_closed handler: its last flush settles leases.
        crawler.signals.connect(book.engine_stopped, signal=signals.engine_stopped)
        return book

    # -- seeds

    def has_room(self) -> bool:
        active = self.server.scard(self.keys.active)
        return active < self.concurrent * max(1, self.frontier.live_workers())

    def open(self, seed: str) -> str:
        blog = blog_key(seed)
        key = self.keys.blog(blog)
        pipe = self.server.pipeline()
        pipe.sadd(self.keys.active, blog)
        pipe.hsetnx(key, "seed", seed)
        pipe.hsetnx(key, "started", datetime.now(timezone.utc).isoformat())
        pipe.execute()
        self.crawler.stats.inc_value("blogarchive/blogs/opened")
        return blog

    # -- requests

    def take_post(self, blog: str | None, post_id: str) -> bool:
        return not blog or self.frontier.take_post(blog, post_id, self.max_posts)

    def page(self, request: Any, kind: str, platform: str | None, outcome: str | None, status: int) -> None:
        blog = request.meta.get(META_BLOG)
        if not blog:
            return
        key = self.keys.blog(blog)
        pipe = self.server.pipeline()
        pipe.hincrby(key, "pages", 1)
        if platform:
            pipe.hsetnx(key, "platform", platform)
        home = home_result(kind, platform, outcome, status)
        if home is not None:
            pipe.hset(key, "home", home)
        pipe.execute()

    def track(self, request: Any, parent: Any = None) -> None:
        """A request a callback yielded: the callback's lease also waits for it to be queued."""
        lease = parent.meta.get(META_LEASE) if parent is not None else None
        if lease:
            self.leases.add(lease, parent.meta.get(META_BLOG) or "")
            request.meta[META_PARENT] = lease

    def queued(self, parent_lease: str) -> None:
        """A request yielded under ``parent_lease`` is in Redis (or was a duplicate)."""
        self._release(parent_lease, None)

    def row(self, request: Any, row: dict[str, Any]) -> None:
        blog = request.meta.get(META_BLOG) or ""
        if blog and row[ORIGIN] == Origin.PERMALINK:
            row[ROW_BLOG] = blog  # counted in the blog's posts once durable (rows_durable)
        lease = request.meta.get(META_LEASE)
        if lease:
            row[ROW_LEASE] = lease
            self.leases.add(lease, blog)

    def failed(self, request: Any, kind: str, slug: str | None) -> None:
        """The errback of ``request``: count its error (None: not one), and end it."""
        blog = request.meta.get(META_BLOG)
        if blog and slug is not None:
            pipe = self.server.pipeline()
            pipe.hincrby(self.keys.blog(blog), f"err:{slug}", 1)
            if kind == LinkKind.HOME.value:
                pipe.hset(self.keys.blog(blog), "home", slug)
            pipe.execute()
        self.done(request)

    def done(self, request: Any) -> None:
        """The callback or errback ended (the first call counts): durable once its rows and requests are."""
        if request.meta.get(META_DONE):
            return
        request.meta[META_DONE] = True
        lease = request.meta.get(META_LEASE)
        if lease:
            self._release(lease, request.meta.get(META_BLOG) or "")

    def rows_durable(self, rows: list[dict[str, Any]]) -> None:
        self.count_posts([row for row in rows if row[ORIGIN] == Origin.PERMALINK])
        for row in rows:
            lease = row.pop(ROW_LEASE, None)
            if lease:
                self._release(lease, None)

    def count_posts(self, permalink_rows: list[dict[str, Any]]) -> None:
        """Posts now durable, each counted once in its blog however often it was fetched.

        A post is counted when its row is in a flushed segment, not when parsed: a worker
        killed before its flush has its requests fetched again by another, and counting at
        parse time counted those posts twice (11-12 posts for 10-post blogs).
        """
        if not permalink_rows:
            return
        pipe = self.server.pipeline()
        for row in permalink_rows:
            pipe.sadd(self.keys.permalinks, row["id"])
        first_time = pipe.execute()
        pipe = self.server.pipeline()
        for row, new in zip(permalink_rows, first_time):
            blog = row.pop(ROW_BLOG, "")
            if new and blog:
                pipe.hincrby(self.keys.blog(blog), "posts", 1)
        pipe.execute()

    def item_gone(self, item: Any, **kwargs: Any) -> None:
        if isinstance(item, dict) and item.get(ROW_LEASE):
            self._release(item.pop(ROW_LEASE), None)

    def _release(self, lease: str, blog: str | None) -> None:
        durable = self.leases.release(lease)
        if durable is not None:
            owner = blog if blog is not None else durable
            if self.frontier.ack(lease, owner) == 0:
                self.settled(owner)

    # -- finishing

    def settled(self, blog: str) -> None:
        """The blog's pending count reached zero: finish it (once, whichever worker sees it)."""
        self.finish(blog)

    def finish(self, blog: str, interrupted: bool = False) -> None:
        if not self.server.srem(self.keys.active, blog):
            return
        key = self.keys.blog(blog)
        state = state_from_hash(blog, self.server.hgetall(key))
        record = blog_record(state, blog_outcome(state, interrupted), datetime.now(timezone.utc),
                             worker=self.frontier.worker)  # fmt: skip
        pipe = self.server.pipeline()
        pipe.hset(self.keys.finished, blog, json.dumps(record, sort_keys=True))
        pipe.delete(key, self.keys.blog_posts(blog))
        pipe.hdel(self.keys.pending, blog)
        pipe.scard(self.keys.active)
        active = pipe.execute()[-1]
        self.log.write(record, active)

    def finish_leftovers(self) -> None:
        """The whole crawl is idle: a blog still active was miscounted; finish it."""
        for blog in self.server.smembers(self.keys.active):
            name = blog.decode()
            logger.error("blog %s was still counted active with nothing left to do", name)
            self.crawler.stats.inc_value("blogarchive/blogs/accounting_leak")
            self.finish(name, interrupted=True)

    def engine_stopped(self) -> None:
        given_back = self.frontier.requeue(self.frontier.worker)
        if given_back:
            logger.warning("gave %d unfinished requests back to the shared queue", given_back)
        self.frontier.leave()
        self.log.close()


class WorkerSpider(BlogSpider):
    """The crawl loop of :class:`BlogSpider`, fed from the shared seed list until the crawl is idle."""

    name = "worker"
    book_class = RedisBlogBook
    seeds_from_arguments = False

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

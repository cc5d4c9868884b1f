"""Per-blog accounting of a distributed crawl, shared by every worker in Redis, and the leases it settles."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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
from crawler.distributed.frontier import Frontier
from crawler.distributed.leases import META_LEASE, META_PARENT, ROW_LEASE, Leases
from crawler.parsers.base import LinkKind
from schemas.origins import Origin
from schemas.segment import ORIGIN

logger = logging.getLogger(__name__)

ROW_BLOG = "_blog"


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

"""scrapy-redis's scheduler and queue over the shared frontier: one atomic duplicate check and push, leased pops."""

from __future__ import annotations

from typing import Any

from redis import Redis
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from crawler.blogs import META_BLOG, META_COUNTED
from crawler.distributed.frontier import Frontier
from crawler.distributed.leases import META_LEASE, META_PARENT
from crawler.queues import MethodNames, request_dict


class LeaseQueue(Base):
    """scrapy-redis queue over :class:`Frontier`: per-slot queues served in turn, pops leased."""

    def __init__(self, server: Redis, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.frontier: Frontier = spider.frontier
        self.names = MethodNames(spider)

    def __len__(self) -> int:
        return self.frontier.queued()

    def push(self, request: Any, fingerprint: str = "") -> int:
        """Queue ``request`` (and settle the request or seed it continues); PUSH's status."""
        meta = request.meta
        fresh = not meta.get(META_COUNTED)
        meta[META_COUNTED] = True
        release = meta.pop(META_LEASE, None) or ""
        parent = meta.pop(META_PARENT, None)
        blog = meta.get(META_BLOG) or ""
        status, pending = self.frontier.push(self._encode_request(request), fingerprint, request.priority,
                                             request.url, blog, fresh, release)  # fmt: skip
        if parent:
            self.spider.blogs.queued(parent)
        if blog and pending == 0:
            self.spider.blogs.settled(blog)
        return status

    def _encode_request(self, request: Any) -> Any:
        """scrapy-redis's encoding, without Scrapy's search of the spider's methods per request."""
        return self.serializer.dumps(request_dict(request, self.names))

    def pop(self, timeout: int = 0) -> Any:
        found = self.frontier.pop()
        if found is None:
            return None
        lease, data = found
        request = self._decode_request(data)
        request.meta[META_LEASE] = lease
        return request


class LeaseScheduler(Scheduler):
    """scrapy-redis's scheduler, with the duplicate check and the push made one atomic step."""

    def enqueue_request(self, request: Any) -> bool:
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        status = self.queue.push(request, fingerprint)
        if status == 0:
            self.df.log(request, self.spider)
        if status != 1:
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Any:
        request = self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

"""The crawl's frontier: in memory up to a bound, the rest in Scrapy's pickle LIFO disk queue.

Scrapy's scheduler with a ``JOBDIR`` sends every request to disk: pickled, written, read back,
and per download slot and priority a queue file created and deleted each time it empties
(a tenth of the reactor's time in a crawl of many small blogs, most of it ``rmdir``).
:class:`SpillingScheduler` keeps the first ``BLOGARCHIVE_FRONTIER_MEMORY`` waiting requests
in memory and spills only beyond: a crawl's memory stays bounded by that, not by its blogs' sizes.

Scrapy's queue serializes a request with ``Request.to_dict(spider=...)``, which finds the
names of the callback and the errback by listing every method of the spider
(``inspect.getmembers``): two searches per request, a tenth of the reactor's CPU in a crawl
of many small blogs. :func:`request_dict` gives the same dict from the method's own name,
checked against the spider once per function. ``SCHEDULER_DISK_QUEUE`` names the queue.
"""

from __future__ import annotations

from collections.abc import Callable
from types import MethodType
from typing import Any

from scrapy import Request
from scrapy.core.scheduler import Scheduler
from scrapy.squeues import PickleLifoDiskQueue as ScrapyPickleLifoDiskQueue


class MethodNames:
    """The names of a spider's methods used as callbacks, found once per function."""

    def __init__(self, spider: Any) -> None:
        self.spider = spider
        self._names: dict[Callable[..., Any], str] = {}

    def name(self, method: Any) -> str | None:
        """The spider attribute ``method`` is bound from; None when it is none (Scrapy's search decides)."""
        if not isinstance(method, MethodType) or method.__self__ is not self.spider:
            return None
        function = method.__func__
        name = self._names.get(function)
        if name is None:
            found = getattr(self.spider, function.__name__, None)
            if getattr(found, "__func__", None) is not function:
                return None
            name = self._names[function] = function.__name__
        return name


def request_dict(request: Request, names: MethodNames) -> dict[str, Any]:
    """``request.to_dict(spider=names.spider)``, without a search of the spider per callback."""
    callback, errback = request.callback, request.errback
    callback_name = names.name(callback) if callable(callback) else callback
    errback_name = names.name(errback) if callable(errback) else errback
    if (callable(callback) and callback_name is None) or (callable(errback) and errback_name is None):
        return request.to_dict(spider=names.spider)  # not a method of the spider: Scrapy raises
    d = {
        "url": request.url,
        "callback": callback_name,
        "errback": errback_name,
        "headers": dict(request.headers),
    }
    for attr in request.attributes:
        d.setdefault(attr, getattr(request, attr))
    if type(request) is not Request:
        d["_class"] = f"{type(request).__module__}.{type(request).__name__}"
    return d


class PickleLifoDiskQueue(ScrapyPickleLifoDiskQueue):
    """Scrapy's default disk queue, pushing :func:`request_dict` (popped by Scrapy's ``request_from_dict``)."""

    def __init__(self, crawler: Any, key: str) -> None:
        super().__init__(crawler, key)
        self.names = MethodNames(self.spider)

    def push(self, request: Request) -> None:
        # Past Scrapy's request queue (which would call ``to_dict``) to its pickling queue.
        super(ScrapyPickleLifoDiskQueue, self).push(request_dict(request, self.names))


class SpillingScheduler(Scheduler):
    """Scrapy's scheduler, whose disk queue takes only the requests beyond
    ``BLOGARCHIVE_FRONTIER_MEMORY`` waiting in memory. Memory is served first; a request
    spilled to disk waits until memory is empty, as with Scrapy's own fallback order.
    Without a ``JOBDIR`` it is Scrapy's scheduler."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> SpillingScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.memory_limit = crawler.settings.getint("BLOGARCHIVE_FRONTIER_MEMORY")
        scheduler.in_memory = 0  # requests waiting in memory (len() of the queue walks every slot)
        return scheduler

    def _dqpush(self, request: Request) -> bool:
        if self.in_memory < self.memory_limit:
            return False  # Scrapy pushes it to memory (_mqpush)
        return super()._dqpush(request)

    def _mqpush(self, request: Request) -> None:
        super()._mqpush(request)
        self.in_memory += 1

    def next_request(self) -> Request | None:
        request: Request | None = self.mqs.pop()
        if request is not None:
            self.in_memory -= 1
            self.stats.inc_value("scheduler/dequeued/memory")
        else:
            request = self._dqpop()
            if request is not None:
                self.stats.inc_value("scheduler/dequeued/disk")
        if request is not None:
            self.stats.inc_value("scheduler/dequeued")
        return request

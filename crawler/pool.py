"""Parsing and text extraction off the reactor: a process pool with back-pressure."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from crawler.capture import Capture, Processed, process_capture
from crawler.parsers.base import LinkKind
from schemas.outcomes import PageOutcome

logger = logging.getLogger(__name__)
SLOTTED = (LinkKind.POST, LinkKind.COMMENTS)  # the many pages, which wait for a slot
CHUNK = 16  # captures sent to a worker at once by ``ordered``: little inter-process overhead
WINDOW_PER_WORKER = 3  # chunks in flight per worker: workers never wait, memory stays bounded


def worker_count(setting: int) -> int:
    """-1 means one worker per core; 0 means inline."""
    return (os.cpu_count() or 1) if setting < 0 else setting


class ProcessPool:
    """Runs ``process_capture`` in worker processes: a crawl's captures one by one (:meth:`run`),
    a build's in order (:meth:`ordered`).

    During a crawl at most ``2 x workers`` posts are in flight: callers wait for a slot, so
    the responses they hold stay few and Scrapy's scraper slot stops the downloader when
    the pool is behind: memory stays bounded. Pages that enumerate posts (home, listings,
    feeds) skip the wait: they are few, and parsed at once they keep the downloader
    supplied with post URLs instead of queueing behind every post already fetched (a
    Blogger feed page behind its 100 posts left the downloader idle).

    ``start_method``: a crawl's workers come from a fork server (forking a process that runs
    the reactor's threads is unsafe); a build, which has none, forks at once (None: the
    platform's default), without the fork server's seconds of imports.
    """

    def __init__(self, workers: int, start_method: str | None = "forkserver") -> None:
        self.workers = workers
        self.start_method = start_method
        self._executor: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None

    def _ensure(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context(self.start_method)
            if self.start_method == "forkserver":
                context.set_forkserver_preload(["crawler.capture"])
            self._executor = ProcessPoolExecutor(self.workers, mp_context=context)
        return self._executor

    def start(self) -> None:
        """Start the workers now, from a thread (the fork server imports the parsers for
        seconds): ready by the first response instead of delaying it, and the reactor free."""
        if self.workers:
            threading.Thread(
                target=self._ensure().submit, args=(_ready,), name="pool-start", daemon=True
            ).start()

    async def run(self, capture: Capture) -> Processed:
        if self.workers == 0:
            return process_capture(capture)
        if capture.kind not in SLOTTED:
            return await self._submit(capture)
        if self._slots is None:
            self._slots = asyncio.Semaphore(2 * self.workers)
        async with self._slots:
            return await self._submit(capture)

    async def _submit(self, capture: Capture) -> Processed:
        try:
            return await asyncio.wrap_future(self._ensure().submit(process_capture, capture))
        except BrokenProcessPool:
            # A worker died (e.g. a parser crash in C code): start a fresh pool,
            # count the page as failed and go on.
            logger.error("parse worker died on %s; restarting the pool", capture.url)
            self.close()
            return Processed(capture.platform, outcome=PageOutcome.WORKER_CRASH.value)

    def ordered(self, captures: Iterable[Capture]) -> Iterator[tuple[str, Processed]]:
        """``(url, result)`` of every capture, in order (a build); inline when there are no workers.

        Executor.map would read every capture of the WARCs before yielding a result (1.2 GB for
        a 5,000-post crawl): a window of chunks in flight keeps memory bounded.
        """
        if self.workers == 0:
            for capture in captures:
                yield capture.url, process_capture(capture)
            return
        pending: deque[tuple[list[str], Future[list[Processed]]]] = deque()
        items = iter(captures)
        while chunk := list(islice(items, CHUNK)):
            pending.append(([c.url for c in chunk], self._ensure().submit(_process_chunk, chunk)))
            if len(pending) >= WINDOW_PER_WORKER * self.workers:
                urls, future = pending.popleft()
                yield from zip(urls, future.result())
        while pending:
            urls, future = pending.popleft()
            yield from zip(urls, future.result())

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _process_chunk(captures: list[Capture]) -> list[Processed]:
    return [process_capture(capture) for capture in captures]


def _ready() -> None:
    """A no-op task: submitting it starts the worker processes."""

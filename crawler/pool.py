"""Parsing and text extraction off the reactor: a process pool with back-pressure."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.capture import Capture, Processed, process_capture
from crawler.parsers.base import LinkKind

logger = logging.getLogger(__name__)
SLOTTED = (LinkKind.POST, LinkKind.COMMENTS)  # the many pages, which wait for a slot


def worker_count(setting: int) -> int:
    """-1 means one worker per core; 0 means inline."""
    return (os.cpu_count() or 1) if setting < 0 else setting


class ProcessPool:
    """Runs ``process_capture`` in worker processes; at most ``2 x workers`` posts in flight.

    Callers wait for a slot, so the responses they hold stay few and Scrapy's scraper
    slot stops the downloader when the pool is behind: memory stays bounded. Pages that
    enumerate posts (home, listings, feeds) skip the wait: they are few, and parsed at once
    they keep the downloader supplied with post URLs instead of queueing behind every
    post already fetched (a Blogger feed page behind its 100 posts left the downloader idle).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._executor: ProcessPoolExecutor | None = None
        self._slots: asyncio.Semaphore | None = None

    def _ensure(self) -> ProcessPoolExecutor:
        if self._executor is None:
            context = multiprocessing.get_context("forkserver")
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
            return Processed(capture.platform, outcome="worker_crash")

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _ready() -> None:
    """A no-op task: submitting it starts the worker processes."""

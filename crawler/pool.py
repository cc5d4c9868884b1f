"""Parsing and text extraction off the reactor: a process pool with back-pressure."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import islice
from multiprocessing.connection import Connection
from multiprocessing.reduction import ForkingPickler
from typing import Any

from crawler.capture import Capture, Processed, process_capture
from crawler.cores import usable_cores
from crawler.parse_server import fork_server
from crawler.parsers.base import LinkKind
from schemas.outcomes import PageOutcome

logger = logging.getLogger(__name__)
SLOTTED = (LinkKind.POST, LinkKind.COMMENTS)  # the many pages, which wait for a slot
CHUNK = 16  # captures sent to a worker at once by ``ordered``: little inter-process overhead
# Workers yield a core to the reactor, the crawl's one serial stage: it waited 6.2 s for a core
# in a 31 s crawl of 40 blogs with workers at the reactor's priority, 4.2 s at +5 (wall -5%).
WORKER_NICENESS = 5
# Chunks in flight per worker: memory stays bounded (12 chunks of 100 KB pages: 20 MB), and the
# workers keep busy while the build's main process stops feeding them (its first segment flush
# imports pandas: 0.3 s; at 3 a worker, both workers sat idle 0.3-0.7 s then).
WINDOW_PER_WORKER = 6
PIPELINE = 2  # captures a crawl worker holds: the one it parses and the next (see _Worker)
PIPE_BYTES = 1 << 20  # a crawl worker's task pipe, where the system allows
DEFAULT_PIPE_BYTES = 1 << 16  # a pipe's size when it cannot be set (Linux's default)
PIPE_MARGIN = 1 << 10  # kept free in the task pipe: the stop message always fits


def worker_count(setting: int) -> int:
    """-1 means one worker per usable core; 0 means inline."""
    return usable_cores() if setting < 0 else setting


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
        self._executor: ProcessPoolExecutor | None = None  # a build's (``ordered``)
        self._slots: asyncio.Semaphore | None = None
        self._crawl: _CrawlWorkers | None = None  # a crawl's (``run``)
        self._spawned: threading.Thread | None = None

    def _context(self) -> Any:
        if self.start_method == "forkserver":
            return fork_server()
        return multiprocessing.get_context(self.start_method)

    def _ensure(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(self.workers, mp_context=self._context())
        return self._executor

    def _workers(self) -> _CrawlWorkers:
        if self._spawned is not None:  # started by ``start``: wait for its workers
            self._spawned.join()
            self._spawned = None
        if self._crawl is None:
            self._crawl = _CrawlWorkers(self._context(), self.workers)
        return self._crawl

    def start(self) -> None:
        """Start the workers now, from a thread (the fork server imports the parsers for
        seconds): ready by the first response instead of delaying it, and the reactor free.
        (:meth:`close` stops them, started or not.)"""
        if self.workers and self._crawl is None and self._spawned is None:
            self._spawned = threading.Thread(target=self._spawn, name="pool-start", daemon=True)
            self._spawned.start()

    def _spawn(self) -> None:
        self._crawl = _CrawlWorkers(self._context(), self.workers)

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
            return await self._workers().submit(capture)
        except BrokenProcessPool:
            # A worker died (e.g. a parser crash in C code): it is replaced,
            # the page counted as failed, and the crawl goes on.
            logger.error("parse worker died on %s; restarting it", capture.url)
            return Processed(capture.platform, outcome=PageOutcome.WORKER_CRASH.value)

    def ordered(self, captures: Iterable[Capture]) -> Iterator[tuple[str, Processed]]:
        """``(url, result)`` of every capture, in order (a build, which follows no link: results
        without links); inline when there are no workers.

        Executor.map would read every capture of the WARCs before yielding a result (1.2 GB for
        a 5,000-post crawl): a window of chunks in flight keeps memory bounded.
        """
        if self.workers == 0:
            for capture in captures:
                yield capture.url, process_capture(capture, follow=False)
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
        if self._spawned is not None:
            self._spawned.join()
            self._spawned = None
        if self._crawl is not None:
            self._crawl.close()
            self._crawl = None
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


class _Worker:
    """One worker process and its two pipes: captures down one, results up the other.

    It holds up to ``PIPELINE`` captures: the one it parses and the next, waiting in its
    task pipe, which it starts the moment it has sent its result. Holding only one, a worker
    sat idle from its result until the reactor, busy with other callbacks, read it and sent
    the next capture: 30 % of each worker's time in a 100-blog crawl, while captures queued.
    """

    def __init__(self, context: Any) -> None:
        tasks, self.tasks_in = context.Pipe(duplex=False)
        self.results, results_out = context.Pipe(duplex=False)
        # A capture sent to a busy worker waits in the pipe: it must fit, or the send would
        # block the reactor until the worker finishes the capture it parses.
        self.room = _widen(self.tasks_in) - PIPE_MARGIN
        self.process = context.Process(target=_serve, args=(tasks, results_out), daemon=True)
        self.process.start()
        tasks.close()
        results_out.close()
        self.tasks: deque[_Task] = deque()  # sent, in the order their results come back
        self.loop: asyncio.AbstractEventLoop | None = None  # where its result pipe is watched


@dataclass
class _Task:
    capture: Capture
    future: asyncio.Future[Processed]
    payload: memoryview | None = None  # the pickled capture, once made


class _CrawlWorkers:
    """A crawl's worker processes. The reactor sends a capture straight down a worker's pipe
    and reads the result itself when the result pipe is readable: no executor manager and
    feeder threads taking the GIL from the reactor on every page (8.7 ms a page in the
    profile). Captures beyond what the workers hold wait here, in order, for the next result."""

    def __init__(self, context: Any, count: int) -> None:
        self._context = context
        self._workers = [_Worker(context) for _ in range(count)]
        self._queue: deque[_Task] = deque()

    def submit(self, capture: Capture) -> asyncio.Future[Processed]:
        future: asyncio.Future[Processed] = asyncio.get_running_loop().create_future()
        self._queue.append(_Task(capture, future))
        self._dispatch()
        return future

    def _dispatch(self) -> None:
        while self._queue:
            task = self._queue[0]
            if task.future.cancelled():
                self._queue.popleft()
                continue
            worker = min(self._workers, key=lambda w: len(w.tasks))
            if len(worker.tasks) >= PIPELINE:
                return
            if task.payload is None:
                task.payload = ForkingPickler.dumps(task.capture)
            if worker.tasks and task.payload.nbytes > worker.room:
                return  # too big to wait in a pipe: it goes to the next idle worker
            self._queue.popleft()
            self._send(worker, task)

    def _send(self, worker: _Worker, task: _Task) -> None:
        if worker.loop is None:
            worker.loop = asyncio.get_running_loop()
            worker.loop.add_reader(worker.results.fileno(), self._readable, worker)
        assert task.payload is not None
        worker.tasks.append(task)
        with contextlib.suppress(OSError):  # it died: the reader sees the closed pipe
            worker.tasks_in.send_bytes(task.payload)

    def _readable(self, worker: _Worker) -> None:
        assert worker.loop is not None
        try:
            result: Processed = worker.results.recv()
        except (EOFError, OSError):
            self._replace(worker)
        else:
            if worker.tasks:
                task = worker.tasks.popleft()
                if not task.future.done():
                    task.future.set_result(result)
        self._dispatch()

    def _replace(self, worker: _Worker) -> None:
        """A worker died: the capture it was parsing fails, those it had not started are
        queued again first, and a new worker takes its place."""
        assert worker.loop is not None
        worker.loop.remove_reader(worker.results.fileno())
        _stop(worker)
        self._workers[self._workers.index(worker)] = _Worker(self._context)
        if worker.tasks:
            crashed = worker.tasks.popleft()
            if not crashed.future.done():
                crashed.future.set_exception(BrokenProcessPool("parse worker died"))
        self._queue.extendleft(reversed(worker.tasks))

    def close(self) -> None:
        for task in self._queue:
            task.future.cancel()
        self._queue.clear()
        for worker in self._workers:
            if worker.loop is not None and not worker.loop.is_closed():
                worker.loop.remove_reader(worker.results.fileno())
            for task in worker.tasks:
                task.future.cancel()
            _stop(worker)
        self._workers = []


def _widen(connection: Connection) -> int:
    """Grow the pipe under ``connection`` to ``PIPE_BYTES`` where the system allows (Linux):
    the bytes it holds."""
    try:
        return fcntl.fcntl(connection.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except (AttributeError, OSError):  # no F_SETPIPE_SZ, or above the system's pipe-max-size
        return DEFAULT_PIPE_BYTES


def _stop(worker: _Worker) -> None:
    """Ask a worker to stop (None), then make sure it has."""
    with contextlib.suppress(OSError):
        worker.tasks_in.send(None)
    worker.process.join(timeout=5)
    if worker.process.is_alive():
        worker.process.kill()
        worker.process.join()
    worker.tasks_in.close()
    worker.results.close()


def _serve(tasks: Connection, results: Connection) -> None:
    """A crawl worker: parse each capture sent until None. Ctrl-C is the crawl's to handle
    (it closes the pool): a worker ignores it, so no page is lost to a half-parsed capture."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WORKER_NICENESS)
    try:
        while (capture := tasks.recv()) is not None:
            results.send(process_capture(capture))
    except (EOFError, BrokenPipeError):  # the crawl is gone
        pass


def _process_chunk(captures: list[Capture]) -> list[Processed]:
    return [process_capture(capture, follow=False) for capture in captures]

"""A crawl's parse workers: forked with their parsers and language model loaded, below the reactor's priority."""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime
from multiprocessing import Queue

from crawler.capture import Capture
from crawler.parse_server import fork_server
from crawler.parsers.base import LinkKind
from crawler.pool import WORKER_NICENESS, _stop, _Worker
from schemas.platforms import PLATFORMS


def _report(queue: Queue) -> None:
    from pipelines import language

    queue.put(
        (
            sorted(p for p in PLATFORMS if f"crawler.parsers.{p}" in sys.modules),
            language._model.cache_info().currsize,
        )
    )


def test_a_worker_starts_with_every_parser_and_the_language_model_loaded() -> None:
    context = fork_server()
    queue = context.Queue()
    worker = context.Process(target=_report, args=(queue,))
    worker.start()
    loaded, models = queue.get(timeout=60)
    worker.join(timeout=30)
    assert loaded == sorted(PLATFORMS)
    assert models == 1


def test_a_crawl_worker_runs_below_the_reactor_priority() -> None:
    worker = _Worker(fork_server())
    try:
        page = b"<html><head><title>t</title></head><body><p>Bonjour.</p></body></html>"
        worker.conn.send(
            Capture("http://127.0.0.1:1/p.html", page, "text/html", LinkKind.POST, datetime.now(UTC))
        )
        assert worker.conn.poll(60)
        worker.conn.recv()
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == min(mine + WORKER_NICENESS, 19)
    finally:
        _stop(worker)

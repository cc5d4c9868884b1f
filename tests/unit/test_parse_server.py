"""The parse workers' fork server hands each worker its parsers and language model loaded."""

from __future__ import annotations

import sys
from multiprocessing import Queue

from crawler.parse_server import fork_server
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

"""A crawl's parse workers: forked with their parsers and language model loaded, below the reactor's priority."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from crawler.capture import Capture
from crawler.parse_server import fork_server
from crawler.parsers.base import LinkKind
from crawler.pool import WORKER_NICENESS, _stop, _Worker
from schemas.platforms import PLATFORMS

ROOT = Path(__file__).resolve().parents[2]


# In a fresh interpreter: a process's fork server is started once, with the preload of its first
# caller (another test's in a shared pytest worker).
_WORKER_STATE = """
import sys
from crawler.parse_server import fork_server
from schemas.platforms import PLATFORMS


def report(queue):
    from pipelines import language

    loaded = [p for p in PLATFORMS if f"crawler.parsers.{p}" in sys.modules]
    queue.put(" ".join(sorted(loaded)) + f" models={language._model.cache_info().currsize}")


if __name__ == "__main__":
    context = fork_server()
    queue = context.Queue()
    context.Process(target=report, args=(queue,)).start()
    print(queue.get(timeout=60))
"""


def test_a_worker_starts_with_every_parser_and_the_language_model_loaded(tmp_path: Path) -> None:
    script = tmp_path / "worker_state.py"
    script.write_text(_WORKER_STATE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [*sorted(PLATFORMS), "models=1"]


def test_a_crawl_worker_runs_below_the_reactor_priority() -> None:
    worker = _Worker(fork_server())
    try:
        page = b"<html><head><title>t</title></head><body><p>Bonjour.</p></body></html>"
        worker.tasks_in.send(
            Capture("http://127.0.0.1:1/p.html", page, "text/html", LinkKind.POST, datetime.now(UTC))
        )
        assert worker.results.poll(60)
        worker.results.recv()
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, worker.process.pid) == min(mine + WORKER_NICENESS, 19)
    finally:
        _stop(worker)

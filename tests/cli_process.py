"""Run ``blogarchive`` in a fresh process that starts with the crawl's imports already done.

Each CLI run of the tests is its own process, as a user's would be (own reactor, signals, exit
code, stdout and stderr), but forked from a server process that imported Scrapy, pyarrow,
pandas and trafilatura once (``multiprocessing``'s forkserver): a crawl no longer pays 2-5 s of
imports per run. Nothing that reads the environment when imported is preloaded (the Hub client,
datasets), so a run's ``env`` is seen as a new interpreter would see it. The forkserver is
started from the test process's environment, so the network guard (``tests/netguard``) is in it.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "crawler" / "cli.py"
# What a crawl imports before its first request (neither installs a reactor nor reads the environment).
PRELOAD = [
    "crawler.cli",
    "crawler.commands.crawl",
    "crawler.spiders.base",
    "scrapy.crawler",
    "tests.cli_process",
]


def _context() -> multiprocessing.context.BaseContext:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def _main(args: list[str], env: dict[str, str], stdout: str, stderr: str) -> None:
    """The child: the environment, working directory and standard streams of ``python -m crawler.cli``."""
    os.environ.clear()
    os.environ.update(env)
    os.chdir(ROOT)
    for fd, path in ((1, stdout), (2, stderr)):
        os.dup2(os.open(path, os.O_WRONLY | os.O_TRUNC), fd)
    sys.argv = [str(CLI), *args]
    from crawler.cli import main

    try:
        code = main(args)
    finally:
        atexit._run_exitfuncs()  # as an interpreter's exit would (multiprocessing ends with os._exit)
        sys.stdout.flush()
        sys.stderr.flush()
    raise SystemExit(code)


def run(args: list[str], env: Mapping[str, str], timeout: float) -> subprocess.CompletedProcess:
    """``subprocess.run([python, -m, crawler.cli, *args], capture_output=True, text=True)``, forked."""
    with tempfile.TemporaryDirectory(prefix="blogarchive-cli-") as tmp:
        out, err = Path(tmp, "stdout"), Path(tmp, "stderr")
        out.touch()
        err.touch()
        process = _context().Process(target=_main, args=(list(args), dict(env), str(out), str(err)))
        process.start()
        process.join(timeout)
        if process.exitcode is None:
            process.kill()
            process.join()
            raise subprocess.TimeoutExpired(["blogarchive", *args], timeout)
        stdout, stderr = (p.read_text(encoding="utf-8", errors="replace") for p in (out, err))
    return subprocess.CompletedProcess(["blogarchive", *args], process.exitcode, stdout, stderr)

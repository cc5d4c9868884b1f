"""What a long command is doing: a live bar on a terminal (rich), else a plain log line now and then.

One implementation for ``crawl`` (``crawler.extensions.Progress``), ``build``, ``snapshot`` and
``publish``. The bar is drawn on stderr and log lines keep scrolling above it; without a
terminal (or with ``--logfile``) the same counts are logged at INFO at most every
``interval`` seconds. ``BLOGARCHIVE_PROGRESS_BAR=1`` forces the bar (e.g. under ``script``).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from typing import Any

logger = logging.getLogger(__name__)

PLAIN_SECONDS = 10.0  # between plain progress lines


def bar_wanted(log_file: str | None = None) -> bool:
    """A live bar when stderr is a terminal and the log does not go to a file, or when forced."""
    return (sys.stderr.isatty() and not log_file) or bool(os.environ.get("BLOGARCHIVE_PROGRESS_BAR"))


def plain_line(label: str, completed: int, total: int | None, text: str) -> str:
    """``label completed/total, text``: the bar's content as one log line."""
    count = f"{label} {completed}/{total if total is not None else '?'}"
    return f"{count}, {text}" if text else count


class ProgressDisplay:
    """``label completed/total``, a bar, a free text, elapsed time and ETA (when ``total`` is known).

    ``update`` is cheap: a bar redraws itself, plain lines are logged at most every ``interval``
    seconds (0: on every update) and once more by ``stop``.
    """

    def __init__(self, label: str, total: int | None, live: bool, interval: float = PLAIN_SECONDS) -> None:
        self.label = label
        self.total = total
        self.live = live
        self.interval = interval
        self.completed = 0
        self.text = ""
        self.logged = 0.0
        self.unlogged = False  # an update since the last plain line
        self.bar: Any = None
        self.task: Any = None
        self.restore: list[tuple[logging.StreamHandler, Any]] = []

    def __enter__(self) -> ProgressDisplay:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        self.logged = time.monotonic()
        if not self.live:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                            TextColumn("{task.fields[text]}"), TimeElapsedColumn(), TimeRemainingColumn(),
                            console=Console(stderr=True), redirect_stderr=True, transient=False)  # fmt: skip
        self.bar.start()
        self.task = self.bar.add_task(self._count(), total=self.total, text="starting")
        # Log lines go through rich's stderr proxy, so they scroll above the bar.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and not isinstance(handler, logging.FileHandler):
                self.restore.append((handler, handler.stream))  # setStream gives None when unchanged
                handler.setStream(sys.stderr)

    def update(
        self,
        completed: int | None = None,
        text: str | None = None,
        advance: int = 0,
        total: int | None = None,
    ) -> None:
        self.completed = (self.completed if completed is None else completed) + advance
        self.text = self.text if text is None else text
        self.total = self.total if total is None else total
        if self.bar is not None:
            self.bar.update(self.task, completed=self.completed, total=self.total, description=self._count(),
                            text=self.text)  # fmt: skip
        elif time.monotonic() - self.logged >= self.interval:
            self._log()
        else:
            self.unlogged = True

    def stop(self) -> None:
        if self.bar is None:
            if self.unlogged:  # the last state is the one to keep
                self._log()
            return
        for handler, stream in self.restore:
            handler.setStream(stream)
        self.restore.clear()
        self.bar.stop()
        self.bar = None

    def _count(self) -> str:
        return f"{self.label} {self.completed}/{self.total if self.total is not None else '?'}"

    def _log(self) -> None:
        self.logged, self.unlogged = time.monotonic(), False
        logger.info("progress: %s", plain_line(self.label, self.completed, self.total, self.text))

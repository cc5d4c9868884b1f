"""The reactor thread's wall time in a command: ``python -m benchmarks.reactor OUT.json [--profile] -- ARGS``.

Runs ``blogarchive ARGS`` in this process (Scrapy's reactor runs on the main thread) and
writes to ``OUT.json`` the main thread's wall time split, from the kernel's scheduler
statistics (``/proc/self/task/<tid>/schedstat``), into:

- ``cpu``: running on a core (the reactor's own work: callbacks, I/O calls, scheduling);
- ``runnable``: ready to run but waiting for a core (other processes of the machine, the
  crawl's own parse workers included);
- ``blocked``: asleep, in ``epoll`` waiting for the network or the parse pool, or in a
  blocking system call (file writes, fsync, SQLite commits).

It also counts the ledger's SQLite commits (``ledger_commits``): each statement that wrote
outside an explicit transaction, and each ``COMMIT``.

With ``--profile`` the command also runs under ``cProfile`` (wall clock), and the functions
where the reactor thread spent the most time are written too: those in ``epoll.poll`` are
idle, the rest is work or blocking I/O on the reactor.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

from crawler.cli import main as cli_main

TOP = 25


def schedstat() -> tuple[float, float]:
    """(seconds on a core, seconds runnable waiting for one) of the calling thread."""
    fields = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat").read_text().split()
    return int(fields[0]) / 1e9, int(fields[1]) / 1e9


class CommitCounter:
    """Counts the commits of the SQLite connections opened on a ``ledger.sqlite`` (from their trace)."""

    WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP")

    def __init__(self) -> None:
        self.commits = 0
        self._connect = sqlite3.connect

    def __enter__(self) -> CommitCounter:
        sqlite3.connect = self.connect  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        sqlite3.connect = self._connect  # type: ignore[assignment]

    def connect(self, database: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = self._connect(database, *args, **kwargs)
        if str(database).endswith("ledger.sqlite"):
            in_transaction = False

            def trace(statement: str) -> None:
                nonlocal in_transaction
                verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
                if verb == "BEGIN":
                    in_transaction = True
                elif verb in ("COMMIT", "END", "ROLLBACK"):
                    self.commits += verb != "ROLLBACK"
                    in_transaction = False
                elif verb in self.WRITES and not in_transaction:
                    self.commits += 1

            connection.set_trace_callback(trace)
        return connection


def top_functions(profile: cProfile.Profile, count: int = TOP) -> list[dict[str, Any]]:
    """The ``count`` functions of most own (wall) time, with their call counts."""
    stats = pstats.Stats(profile)
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = f"{os.path.basename(filename)}:{line}({name})" if line else name
        rows.append({"function": where, "calls": calls, "own": own, "cumulative": cumulative})
    return sorted(rows, key=lambda r: -r["own"])[:count]


def run(args: list[str], profile: bool) -> tuple[int, dict[str, Any]]:
    """Run the CLI; its exit code and the reactor thread's time figures."""
    profiler = cProfile.Profile() if profile else None
    cpu0, wait0 = schedstat()
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    try:
        with CommitCounter() as counter:
            code = cli_main(args)
    finally:
        if profiler is not None:
            profiler.disable()
    wall = time.perf_counter() - started
    cpu, wait = (b - a for a, b in zip((cpu0, wait0), schedstat(), strict=True))
    figures: dict[str, Any] = {
        "wall": wall,
        "cpu": cpu,
        "runnable": wait,
        "blocked": max(wall - cpu - wait, 0.0),
        "ledger_commits": counter.commits,
    }
    if profiler is not None:
        figures["top"] = top_functions(profiler)
    return code, figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--profile", action="store_true")
    argv = sys.argv[1:] if argv is None else argv
    split = argv.index("--") if "--" in argv else len(argv)
    options = parser.parse_args(argv[:split])
    code, figures = run(argv[split + 1 :], options.profile)
    options.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return code


if __name__ == "__main__":
    raise SystemExit(main())

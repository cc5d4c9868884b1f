"""One writer per output: an exclusive ``flock`` on ``<dir>/.lock``, held until the process exits.

The kernel drops a ``flock`` when its holder dies (``kill -9`` included), so a stale lock
never blocks a re-run; the file keeps the holder's pid for the error message only.
Crash recovery (``.open`` WARCs, the frontier, an unfinished ledger run) runs only once
the lock is held: a second process can never adopt a live crawl's files.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from crawler.errors import UserError

LOCK_NAME = ".lock"
_held: dict[Path, IO[str]] = {}  # locks of this process: open (hence held) until it exits


def try_lock(lock_file: Path) -> IO[str] | None:
    """The locked, open ``lock_file`` (holding our pid), or None when another process holds it."""
    handle = open(lock_file, "a+", encoding="utf-8")  # noqa: SIM115 (held for the process's life)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    handle.truncate(0)
    handle.write(f"{os.getpid()}\n")
    handle.flush()
    return handle


def holder(lock_file: Path) -> str:
    """The pid written by the process holding ``lock_file`` ("unknown" if it is not written yet)."""
    try:
        return lock_file.read_text(encoding="utf-8").strip() or "unknown"
    except OSError:
        return "unknown"


def lock_output(directory: Path, lock_file: Path | None = None) -> IO[str]:
    """Hold ``directory``'s lock (``directory/.lock`` unless ``lock_file`` says) or raise a UserError naming the holder."""
    lock_file = (lock_file or directory / LOCK_NAME).absolute()
    if lock_file in _held:  # this process already holds it (a second command step, a test)
        return _held[lock_file]
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        handle = try_lock(lock_file)
    except OSError as exc:
        raise UserError(f"cannot lock {directory}: {exc.strerror or exc}") from None
    if handle is None:
        raise UserError(
            f"{directory} is being written by another blogarchive process (pid {holder(lock_file)}): "
            "wait for it to end, or write to another directory"
        )
    _held[lock_file] = handle
    return handle

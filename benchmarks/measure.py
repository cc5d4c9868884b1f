"""Wall time, CPU and peak memory of a command with all its descendants (Linux, /proc).

CPU is exact: the runner makes itself a child subreaper, so processes a command leaves
behind (multiprocessing's forkserver, whose children are the parse workers) are
re-parented to it and reaped, and ``RUSAGE_CHILDREN`` counts every one of them.
Memory is sampled every 0.25 s: the largest sum of RSS over the process tree, what each
process held at that moment (``peak_rss_parts``: which one grows) and when (``peak_rss_at``:
while crawling, or finalizing at the end), and the largest
high-water mark (VmHWM) of a single process.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import subprocess
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

PR_SET_CHILD_SUBREAPER = 36
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Usage:
    wall: float  # seconds
    cpu: float  # user + system seconds of the command and every descendant
    peak_rss: int  # bytes: the largest sum over the process tree
    peak_rss_process: int  # bytes: the largest single process (VmHWM)
    returncode: int = 0
    peak_rss_parts: list[tuple[str, int]] = field(default_factory=list)  # (process, RSS) at the tree's peak
    peak_rss_at: float = 0.0  # seconds from the start to the tree's peak

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def become_subreaper() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def process_cpu(pid: int) -> float:
    """User + system seconds of one live process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _parents() -> dict[int, int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                fields = Path(entry.path, "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(root: int) -> list[int]:
    parents = _parents()
    found, frontier = [root], [root]
    while frontier:
        frontier = [pid for pid, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def _memory(pid: int) -> tuple[int, int]:
    """(RSS, VmHWM) of a process in bytes; zeros once it is gone."""
    rss = hwm = 0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("VmHWM:"):
                hwm = int(line.split()[1]) * 1024
    except OSError:
        pass
    return rss, hwm


def _name(pid: int, root: int) -> str:
    """A process's name for a report: ``command`` for the command itself, else its command line, shortened."""
    if pid == root:
        return f"{pid} command"
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return f"{pid} gone"
    return f"{pid} {b' '.join(argv).decode(errors='replace').strip()[:80]}"


def reap_orphans(keep: set[int], timeout: float = 30.0) -> None:
    """Wait for the processes a command left behind (re-parented to us), but not ``keep``."""
    deadline = time.monotonic() + timeout
    me = os.getpid()
    while time.monotonic() < deadline:
        left = [pid for pid, parent in _parents().items() if parent == me and pid not in keep]
        if not left:
            return
        for pid in left:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)


def run(
    command: list[str], log: Path, keep: set[int], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Usage:
    """Run ``command`` (output to ``log``, environment ``env``) and measure it with everything it starts."""
    cpu_before = children_cpu()
    peak = {"tree": 0, "process": 0, "at": 0.0}
    parts: list[tuple[str, int]] = []
    started = time.perf_counter()
    with open(log, "w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=env)

        def sample() -> None:
            # Cheap, not to disturb what it measures: the tree is looked up once a second.
            pids, tick = [proc.pid], 0
            while proc.poll() is None:
                if tick % 4 == 0:
                    pids = descendants(proc.pid)
                memory = [_memory(pid) for pid in pids]
                tree = sum(rss for rss, _ in memory)
                if tree > peak["tree"]:
                    peak["tree"], peak["at"] = tree, time.perf_counter() - started
                    parts[:] = [(_name(pid, proc.pid), rss) for pid, (rss, _) in zip(pids, memory)]
                peak["process"] = max([peak["process"], *(hwm for _, hwm in memory)])
                tick += 1
                time.sleep(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = proc.wait()
        wall = time.perf_counter() - started
        sampler.join()
    reap_orphans(keep)
    return Usage(
        wall, children_cpu() - cpu_before, peak["tree"], peak["process"], returncode, parts, peak["at"]
    )


class FirstFile:
    """Seconds from entering the block until a file matching ``pattern`` appears in ``directory``
    (``None`` if none did): polled every 20 ms from a thread."""

    def __init__(self, directory: Path, pattern: str) -> None:
        self.directory, self.pattern = directory, pattern
        self.seconds: float | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        started = time.perf_counter()
        while not self._done.is_set():
            if self.directory.is_dir() and next(self.directory.glob(self.pattern), None) is not None:
                self.seconds = time.perf_counter() - started
                return
            time.sleep(0.02)

    def __enter__(self) -> FirstFile:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

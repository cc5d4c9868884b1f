"""Serve one benchmark blog on 127.0.0.1 from a subprocess, as the fixture web does.

``python -m benchmarks.serve canalblog:posts=10000,pagesize=100000`` prints
``{"url": ...}`` once it listens, then serves until its standard input closes.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.site import ROOTS, BenchSite
from crawler.fixtureweb.server import parse_spec, start


class BenchWeb:
    """The benchmark blog in its own process (its CPU is read from /proc by the runner)."""

    def __init__(self, spec: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.serve", spec],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            self.proc.kill()
            raise RuntimeError("the benchmark server did not start")
        self.url: str = json.loads(line)["url"]

    @property
    def pid(self) -> int:
        return self.proc.pid

    def close(self) -> None:
        if self.proc.poll() is None:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def __enter__(self) -> BenchWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> None:
    platform, options = parse_spec((argv if argv is not None else sys.argv[1:])[0])
    site = BenchSite(platform, **options)
    start([site])
    print(json.dumps({"url": site.base_url + ROOTS.get(platform, "/")}), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()

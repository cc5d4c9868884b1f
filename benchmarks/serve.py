"""Serve benchmark blogs on 127.0.0.1 from a subprocess, as the fixture web does.

``python -m benchmarks.serve canalblog:posts=10000,pagesize=100000 [SPEC...]`` serves each
blog on its own port, prints ``{"url": ..., "urls": [...]}`` (home pages) once they listen,
then serves until its standard input closes.
"""

from __future__ import annotations

import json
import subprocess
import sys

from benchmarks.site import ROOTS, BenchSite
from tests.fixtureweb.server import parse_spec, start


class BenchWeb:
    """The benchmark blogs in their own process (its CPU is read from /proc by the runner)."""

    def __init__(self, *specs: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.serve", *specs],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            self.proc.kill()
            raise RuntimeError("the benchmark server did not start")
        served = json.loads(line)
        self.url: str = served["url"]
        self.urls: list[str] = served["urls"]

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
    specs = [parse_spec(spec) for spec in (argv if argv is not None else sys.argv[1:])]
    sites = [BenchSite(platform, **options) for platform, options in specs]
    start(sites)
    urls = [
        site.base_url + ROOTS.get(platform, "/") for site, (platform, _) in zip(sites, specs, strict=True)
    ]
    print(json.dumps({"url": urls[0], "urls": urls}), flush=True)
    sys.stdin.read()


if __name__ == "__main__":
    main()

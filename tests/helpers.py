"""Helpers for end-to-end tests: start the fixture web, run the CLI, read shards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from crawler.fixtureweb.base import FixtureSite, make_site
from crawler.fixtureweb.server import parse_spec

ROOT = Path(__file__).resolve().parents[1]


class FixtureWeb:
    """The fixture web in a subprocess (its own GIL, like a real server)."""

    def __init__(self, *specs: str) -> None:
        self.specs = specs
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "crawler.fixtureweb.server", *specs],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=ROOT, text=True,
        )  # fmt: skip
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("fixture web did not start")
        self.urls = [site["url"] for site in json.loads(line)["sites"]]

    def site(self, index: int = 0) -> FixtureSite:
        """The same site built in-process (deterministic), with its ground truth."""
        name, options = parse_spec(self.specs[index])
        site = make_site(name, **options)
        site.base_url = self.urls[index]
        return site

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.terminate()
            self.proc.wait(timeout=10)


def blogarchive(*args: str, timeout: float = 600, env: dict[str, str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the ``blogarchive`` CLI in a subprocess, as a user would."""
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout, env={**os.environ, **(env or {})},
    )  # fmt: skip
    if check and result.returncode != 0:
        raise AssertionError(f"blogarchive {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}")
    return result


def read_posts(out_dir: Path | str) -> list[dict[str, Any]]:
    """Every post row of a crawl output (``OUT/data/<platform>/*.parquet``), sorted by URL."""
    files = sorted(Path(out_dir).glob("data/*/*.parquet"))
    rows = [row for f in files for row in pq.read_table(f).to_pylist()]
    return sorted(rows, key=lambda r: r["url"])


def read_stats(out_dir: Path | str) -> dict[str, Any]:
    return json.loads((Path(out_dir) / "stats.json").read_text(encoding="utf-8"))

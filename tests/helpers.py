"""Helpers for end-to-end tests: start the fixture web, run the CLI, read shards."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from schemas.outcomes import DISCOVERY_OUTCOMES
from tests import cli_process
from tests.fixtureweb.server import FixtureWeb

__all__ = ["FixtureWeb", "blogarchive", "content_outcomes", "read_posts", "read_stats"]

ROOT = Path(__file__).resolve().parents[1]


def blogarchive(
    *args: str, timeout: float = 600, env: dict[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess:
    """Run the ``blogarchive`` CLI in its own process, as a user would (forked with the crawl's
    imports done: ``tests/cli_process.py``).

    A crawl never reaches the real Wayback Machine: unless the test points the archive at a
    loopback fixture (``-s BLOGARCHIVE_WAYBACK_CDX=...``), a blog found gone is not read from it.
    """
    if args[:1] == ("crawl",) and not any(arg.startswith("BLOGARCHIVE_WAYBACK_CDX=") for arg in args):
        args = (*args, "-s", "BLOGARCHIVE_WAYBACK_FALLBACK=False")
    result = cli_process.run(list(args), {**os.environ, **(env or {})}, timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f"blogarchive {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result


def read_posts(out_dir: Path | str) -> list[dict[str, Any]]:
    """Every post row of a crawl output (``OUT/data/<platform>/*.parquet``), sorted by URL."""
    files = sorted(Path(out_dir).glob("data/*/*.parquet"))
    rows = [row for f in files for row in pq.read_table(f).to_pylist()]
    return sorted(rows, key=lambda r: r["url"])


def read_stats(out_dir: Path | str) -> dict[str, Any]:
    return json.loads((Path(out_dir) / "stats.json").read_text(encoding="utf-8"))


def content_outcomes(stats: dict[str, Any]) -> dict[str, int]:
    """The outcomes of a run but those of discovery pages (listings without posts, last feed pages)."""
    return {k: v for k, v in stats["outcomes"].items() if k not in DISCOVERY_OUTCOMES}

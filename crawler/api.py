"""The Python API: what the ``blogarchive`` commands do, as functions.

>>> from crawler import api
>>> stats = api.crawl(["https://cuisine.canalblog.com/"], "out")     # doctest: +SKIP
>>> api.build(["out/warc"], "rebuilt")                                # doctest: +SKIP
>>> api.snapshot(["out"], "snap", version="1.0.0")                    # doctest: +SKIP
>>> api.publish("snap", "/archive/blogs")                             # doctest: +SKIP
>>> api.parse_page(html, "https://x.canalblog.com/archives/2009/05/01/1.html")  # doctest: +SKIP

Errors a user can fix raise :class:`crawler.errors.UserError` with the CLI's one-line message.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from crawler.errors import UserError

__all__ = ["UserError", "build", "crawl", "parse_page", "publish", "snapshot"]

PathLike = str | os.PathLike


def crawl(
    urls: Iterable[str],
    output: PathLike = "output",
    *,
    platform: str | None = None,
    max_posts: int = 0,
    max_pages: int = 0,
    parse_processes: int | None = None,
    resume: bool = False,
    settings: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Crawl blogs into ``output`` (resumes a crawl already there); returns its ``stats.json``.

    The crawl runs in a child process: Scrapy's reactor cannot be started twice in one
    process, and this way a program may crawl as often as it likes.
    ``resume``: insist on continuing a crawl of ``output`` (:class:`UserError` if there is none).
    ``settings``: Scrapy or ``BLOGARCHIVE_*`` settings, as ``-s NAME=VALUE`` would give them.
    """
    argv = ["crawl", *urls, "-o", str(output), "--max-posts", str(max_posts), "--max-pages", str(max_pages)]
    if platform:
        argv += ["--platform", platform]
    if parse_processes is not None:
        argv += ["--parse-processes", str(parse_processes)]
    if resume:
        argv.append("--resume")
    for name, value in (settings or {}).items():
        argv += ["-s", f"{name}={value}"]
    result = subprocess.run(
        [sys.executable, "-m", "crawler.cli", "-q", *argv], capture_output=True, text=True
    )
    if result.returncode == 2:
        raise UserError(_last_error(result.stderr))
    stats_path = Path(output) / "stats.json"
    if result.returncode != 0 or not stats_path.exists():
        raise RuntimeError(f"blogarchive crawl exited {result.returncode}: {_last_error(result.stderr)}")
    return json.loads(stats_path.read_text(encoding="utf-8"))


def _last_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    return lines[-1].split("error: ", 1)[-1] if lines else "no message"


def build(warcs: Iterable[PathLike], output: PathLike, *, parse_processes: int = 0) -> dict[str, int]:
    """Parse WARC, ARC or WACZ files (or folders of them) into ``output``'s shards, offline; returns counters."""
    from crawler.build import build as build_shards
    from crawler.build import check_inputs
    from crawler.pool import worker_count

    paths = [Path(p) for p in warcs]
    check_inputs(paths)
    Path(output).mkdir(parents=True, exist_ok=True)
    return build_shards(paths, Path(output), workers=worker_count(parse_processes))


def snapshot(
    outputs: Iterable[PathLike],
    destination: PathLike,
    *,
    version: str,
    previous: PathLike | None = None,
    force: bool = False,
    **options: Any,
):  # -> crawler.release.snapshot.SnapshotResult
    """Compact crawl outputs into a versioned dataset folder (Hub layout, card, manifest, changelog).

    ``options``: the other fields of :class:`crawler.release.options.SnapshotOptions` (``license``,
    ``pretty_name``, ``redact_pii``, ``opt_out``, ``include_noarchive``, ``max_shard_rows``...).
    """
    from crawler.release.options import SnapshotOptions
    from crawler.release.snapshot import build_snapshot

    return build_snapshot(
        [Path(p) for p in outputs],
        Path(destination),
        SnapshotOptions(version=version, **options),
        Path(previous) if previous is not None else None,
        force=force,
    )


def publish(
    snapshot_dir: PathLike, to: str, *, private: bool = False
):  # -> crawler.release.publish.Published
    """Publish a snapshot to a folder, a git remote or ``hf://datasets/<owner>/<name>`` (idempotent)."""
    from crawler.release.publish import parse_target
    from crawler.release.publish import publish as publish_snapshot

    return publish_snapshot(Path(snapshot_dir), parse_target(to), private=private)


def parse_page(
    html: str | bytes,
    url: str,
    *,
    kind: str = "post",
    platform: str | None = None,
    fetched_at: datetime | None = None,
) -> list[dict[str, Any]]:
    """The records (one dict per post, the shards' columns) of one saved page; no network.

    ``kind``: ``post`` for a permalink page, ``home`` or ``listing`` for a page of several posts.
    ``platform``: detected from the URL and the page when not given.
    """
    from crawler.capture import Capture, process_capture
    from crawler.parsers.base import LinkKind
    from pipelines.rows import finish_row
    from schemas.post import to_row

    body = html.encode("utf-8") if isinstance(html, str) else html
    capture = Capture(
        url=url,
        body=body,
        content_type="text/html; charset=utf-8" if isinstance(html, str) else None,
        kind=LinkKind(kind),
        fetched_at=fetched_at or datetime.now(timezone.utc),
        platform=platform,
    )
    processed = process_capture(capture)
    if processed.platform is None:
        raise UserError(f"{url} is not a page of a supported platform (give platform=...)")
    return [to_row(finish_row(row) if row.get("content_hash") is None else row) for row in processed.rows]

"""Rebuild shards from WARC files alone, offline: the crawl's parse and pipelines, replayed.

Our own WARCs carry a metadata record per response (kind, platform, feed hint), so a
build gives exactly the crawl's rows. Other WARCs (Heritrix, wget, browsertrix,
ArchiveTeam) have none: the platform is detected from the URL or the HTML, then the
page tells whether it is a post, a home or a listing (``crawler.pagekind``).
"""

from __future__ import annotations

import logging
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import datetime
from itertools import islice
from pathlib import Path

from crawler.detect import detect_from_url
from crawler.errors import UserError
from crawler.parsers.base import LinkKind
from crawler.progress import ProgressDisplay
from crawler.settings import DOWNLOAD_MAXSIZE
from crawler.warc import (
    META_ARCHIVED_AT,
    META_HINT,
    META_KIND,
    META_ORIGINAL,
    META_PLATFORM,
    META_SOURCE,
    WarcCapture,
    iter_captures,
    warc_files,
)
from crawler.wayback.cdx import CDX_SOURCE
from pipelines.media import MEDIA, scan_warcs, write_index
from pipelines.parquet import SegmentWriter, finalize, quarantine_damaged_segments
from pipelines.process import DISCOVERY_OUTCOMES, Capture, Processed, process_capture

logger = logging.getLogger(__name__)
_FEED_TYPES = ("xml", "json", "rss", "atom", "javascript")
CHUNK = 16  # captures sent to a worker at once: little inter-process overhead
WINDOW_PER_WORKER = 3  # chunks in flight per worker: workers never wait, memory stays bounded


def infer_kind(content_type: str | None) -> LinkKind | None:
    """A feed by its content type; None for a page whose kind its HTML tells (see ``crawler.pagekind``)."""
    lowered = (content_type or "").lower()
    return LinkKind.FEED if any(t in lowered for t in _FEED_TYPES) else None


def skip_reason(warc: WarcCapture) -> str | None:
    """Why a crawl would not parse this response (counted, never silent); None to parse it."""
    if warc.status != 200:
        return f"http_{warc.status}"
    if warc.url.endswith("/robots.txt"):
        return "robots_txt"
    if warc.metadata.get(META_KIND) == MEDIA:  # a post's file: the media index reads it (pipelines.media)
        return "media_file"
    return "cdx_index" if warc.metadata.get(META_SOURCE) == CDX_SOURCE else None


def to_capture(warc: WarcCapture) -> Capture | None:
    """A WARC response as the parse step takes it; None for what a crawl would not parse."""
    if skip_reason(warc):
        return None
    meta = warc.metadata
    url = meta.get(META_ORIGINAL) or warc.url  # a Wayback snapshot is parsed as its original URL
    platform = meta.get(META_PLATFORM) or detect_from_url(url)
    kind = LinkKind(meta[META_KIND]) if META_KIND in meta else infer_kind(warc.content_type)
    archived_at = meta.get(META_ARCHIVED_AT)
    return Capture(
        url=url,
        body=warc.body,
        content_type=warc.content_type,
        kind=kind,
        fetched_at=warc.date,
        platform=platform,
        warc_record_id=warc.record_id,
        source=meta.get(META_SOURCE) or "live",
        archived_at=datetime.fromisoformat(archived_at) if archived_at else None,
        hint=meta.get(META_HINT),
    )


def iter_warc_captures(
    paths: list[Path], counters: Counter[str] | None = None, max_bytes: int = 0
) -> Iterator[Capture]:
    for path in warc_files(paths):
        for warc in iter_captures(path, counters, max_bytes):
            capture = to_capture(warc)
            if capture is not None:
                yield capture
            elif counters is not None:
                counters[f"skipped/{skip_reason(warc)}"] += 1


def build(
    paths: list[Path],
    out: Path,
    workers: int = 0,
    shard_rows: int = 50_000,
    max_bytes: int = DOWNLOAD_MAXSIZE,
    progress: ProgressDisplay | None = None,
) -> dict[str, int]:
    """Parse every capture of ``paths`` into ``out``'s shards; returns counters.

    WARCs are untrusted input: torn, oversized (``max_bytes``, the crawl's limit) and
    badly addressed records are skipped and counted; inputs without a single response
    record are a UserError saying how many records were read.

    Every capture that gives no row is counted under its outcome and logged with its URL,
    so ``captures == captures_with_rows + sum(outcome/*)`` always holds. ``progress`` shows
    the captures parsed (default: a log line every ten seconds).
    """
    with progress or ProgressDisplay("captures", None, live=False) as display:
        return _build(paths, out, workers, shard_rows, max_bytes, display)


def _build(paths: list[Path], out: Path, workers: int, shard_rows: int, max_bytes: int,
           progress: ProgressDisplay) -> dict[str, int]:  # fmt: skip
    counters: Counter[str] = Counter()
    damaged = quarantine_damaged_segments(out)  # a crash's cut segment would fail the whole build
    if damaged:
        counters["segments/quarantined"] = len(damaged)
    writer = SegmentWriter(out, flush_rows=1000)
    captures = iter_warc_captures(paths, counters, max_bytes)
    for url, processed in _process_all(captures, workers):
        counters["captures"] += 1
        progress.update(counters["captures"], f"{counters['rows']} rows")
        if processed.rows:
            counters["captures_with_rows"] += 1
        else:
            counters[f"outcome/{processed.outcome}"] += 1
            logger.log(_log_level(processed.outcome), "%s: %s", processed.outcome, url)
        for row in processed.rows:
            writer.add(row)
            counters["rows"] += 1
            counters["comments"] += len(row["comments"])
    writer.flush()
    if not counters["captures"]:
        skipped = ", ".join(
            f"{k.split('/', 1)[1]} {v}" for k, v in sorted(counters.items()) if k != "warc/records"
        )
        raise UserError(
            f"no readable response record in the inputs ({counters['warc/records']} WARC records read"
            f"{'; ' + skipped if skipped else ''}): nothing to build"
        )
    counters["media_files"] = write_index(out, scan_warcs(paths))
    progress.update(text=f"{counters['rows']} rows; writing the shards")
    for platform, count in finalize(out, shard_rows).items():
        counters[f"posts/{platform}"] = count
    return dict(counters)


def _log_level(outcome: str | None) -> int:
    # Discovery pages are expected to hold no post: INFO; a post page that gave none: WARNING.
    return logging.INFO if outcome in DISCOVERY_OUTCOMES else logging.WARNING


def stats_document(counters: dict[str, int]) -> dict:
    """The build's counters in the shape of a crawl's ``stats.json`` (same summary table)."""
    grouped: dict = {"outcomes": {}, "posts_by_platform": {}, "pages": {}, "dropped": {}, "warc": {}}
    for key, value in counters.items():
        area, _, name = key.partition("/")
        if area == "outcome":
            grouped["outcomes"][name] = value
        elif area == "warc":  # records read, and those skipped as unreadable, torn or oversized
            grouped["warc"][name] = value
        elif area == "skipped":  # responses a crawl does not parse either (404s, robots.txt, CDX answers)
            grouped["dropped"][name] = value
        elif area == "posts":
            grouped["posts_by_platform"][name] = value
    grouped["posts"] = sum(grouped["posts_by_platform"].values())
    grouped["comments"] = counters.get("comments", 0)
    grouped["pages"] = {
        "captures": counters.get("captures", 0),
        "with_rows": counters.get("captures_with_rows", 0),
    }
    grouped["build"] = dict(sorted(counters.items()))
    return grouped


def _process_all(captures: Iterator[Capture], workers: int) -> Iterator[tuple[str, Processed]]:
    if workers == 0:
        for capture in captures:
            yield capture.url, process_capture(capture)
        return
    # Executor.map would read every capture of the WARCs before yielding a result (1.2 GB for
    # a 5,000-post crawl): a window of chunks in flight keeps memory bounded, results in order.
    with ProcessPoolExecutor(workers) as pool:
        pending: deque[tuple[list[str], Future[list[Processed]]]] = deque()
        for chunk in _chunks(captures, CHUNK):
            pending.append(([c.url for c in chunk], pool.submit(_process_chunk, chunk)))
            if len(pending) >= WINDOW_PER_WORKER * workers:
                urls, future = pending.popleft()
                yield from zip(urls, future.result())
        while pending:
            urls, future = pending.popleft()
            yield from zip(urls, future.result())


def _chunks(items: Iterator[Capture], size: int) -> Iterator[list[Capture]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _process_chunk(captures: list[Capture]) -> list[Processed]:
    return [process_capture(capture) for capture in captures]

"""Rebuild shards from WARC files alone, offline: the crawl's parse and pipelines, replayed.

Our own WARCs carry a metadata record per response (kind, platform, feed hint), so a
build gives exactly the crawl's rows. Other WARCs (Heritrix, wget, browsertrix,
ArchiveTeam) have none: the platform is detected from the URL or the HTML, then the
page tells whether it is a post, a home or a listing (``crawler.pagekind``).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

from crawler.capture import Capture
from crawler.detect import detect_from_url
from crawler.encoding import looks_binary
from crawler.errors import UserError
from crawler.media_warc import MEDIA, MediaIndex
from crawler.parsers.base import LinkKind
from crawler.parsers.media import select_media
from crawler.pool import ProcessPool
from crawler.progress import ProgressDisplay
from crawler.settings import DOWNLOAD_MAXSIZE
from crawler.wacz import WACZ_SUFFIX, unpacked
from crawler.warc import (
    META_ARCHIVED_AT,
    META_KIND,
    META_ORIGINAL,
    META_SOURCE,
    WarcCapture,
    warc_files,
)
from crawler.warc_lean import RecordObserver
from crawler.warc_read import ARCHIVE_SUFFIXES
from crawler.warc_revisit import read_captures
from crawler.wayback.cdx import CDX_SOURCE, archived_at
from crawler.wayback.cdx import SOURCE as WAYBACK
from crawler.wayback.replay import split_replay_url, unrewritten
from pipelines.finalize import finalize
from pipelines.media import write_index
from pipelines.segments import SegmentWriter, quarantine_damaged_segments
from pipelines.select import SupersededListings
from schemas.outcomes import DISCOVERY_OUTCOMES
from schemas.output import OutputDir

logger = logging.getLogger(__name__)
_FEED_TYPES = ("xml", "json", "rss", "atom", "javascript")


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
    if warc.metadata.get(META_SOURCE) == CDX_SOURCE:
        return "cdx_index"
    if META_KIND in warc.metadata:  # a page our crawl asked for and parsed: its build parses it the same
        return None
    resource = is_page_resource(warc.content_type) or _untyped_binary(warc) or _code_script(warc)
    return "not_a_page" if resource else None


# A script that is data, as the platforms' script feeds are: Blogger's json-in-script ("// API callback",
# then a callback around an object), Tumblr's API v1 (``var tumblr_api_read = {``), bare JSON. A page's
# own code opens otherwise ("(function", "/*! jQuery", "!function"...).
_SCRIPT_TYPES = ("javascript", "ecmascript")
_DATA_SCRIPT = re.compile(rb"(?:\s*//[^\n]*\n)*\s*(?:[\[{]|[\w.$]+\s*\(\s*[\[{]|var\s+[\w$]+\s*=\s*[\[{])")


def _code_script(warc: WarcCapture) -> bool:
    """A script of a page's (jQuery, a theme's, a widget's), not a script feed: never a post."""
    declared = (warc.content_type or "").lower()
    return any(t in declared for t in _SCRIPT_TYPES) and not _DATA_SCRIPT.match(
        warc.body.removeprefix(b"\xef\xbb\xbf")
    )


def _untyped_binary(warc: WarcCapture) -> bool:
    """A file served as bytes of no type (fonts, icons, archives often are) and binary indeed; served as
    ``application/octet-stream`` a page would still be parsed (a misconfigured server)."""
    declared = (warc.content_type or "").split(";", 1)[0].strip().lower()
    return declared in ("", "application/octet-stream", "binary/octet-stream") and looks_binary(warc.body)


# What a browser's capture (browsertrix, ArchiveWeb.page) holds beside each page by the dozen: its images,
# styles and fonts, never a post nor a feed (scripts and JSON may be feeds: Blogger's json-in-script, Tumblr's API).
_PAGE_RESOURCES = ("image/", "audio/", "video/", "font/", "text/css", "application/font", "application/x-font",
                   "application/vnd.ms-fontobject", "application/wasm")  # fmt: skip


def is_page_resource(content_type: str | None) -> bool:
    """Whether a response's declared type is one of a page's resources (a picture, a style, a font)."""
    return (content_type or "").strip().lower().startswith(_PAGE_RESOURCES)


def to_capture(warc: WarcCapture) -> Capture | None:
    """A WARC response as the parse step takes it; None for what a crawl would not parse.

    A page an archive replayed (another tool's harvest of the Wayback Machine) is its original's, as
    our own Wayback captures are (``crawler.wayback.replay``).
    """
    if skip_reason(warc):
        return None
    body, meta = warc.body, warc.metadata
    replay = None if META_ORIGINAL in meta else split_replay_url(warc.url)
    if replay is not None:
        meta = {**meta, META_ORIGINAL: replay.original, META_SOURCE: WAYBACK,
                META_ARCHIVED_AT: archived_at(replay.timestamp).isoformat()}  # fmt: skip
        body = unrewritten(body, replay) if replay.rewritten else body
    capture = Capture.of_fetch(warc.url, body, warc.content_type, warc.date, warc.record_id, meta,
                               infer_kind(warc.content_type))  # fmt: skip
    capture.platform = capture.platform or detect_from_url(capture.url)
    return capture


def iter_warc_captures(
    paths: list[Path],
    counters: Counter[str] | None = None,
    max_bytes: int = 0,
    observer: RecordObserver | None = None,
) -> Iterator[Capture]:
    for warc in read_captures(paths, counters if counters is not None else Counter(), max_bytes, observer):
        capture = to_capture(warc)
        if capture is not None:
            yield capture
        elif counters is not None:
            counters[f"skipped/{skip_reason(warc)}"] += 1


def check_inputs(paths: list[Path]) -> None:
    """A one-line UserError for inputs a build cannot start from: missing, or holding no archive file."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise UserError(f"no such file or directory: {', '.join(missing)}")
    if not warc_files(paths):
        suffixes = ", ".join("*" + s for s in (*ARCHIVE_SUFFIXES, WACZ_SUFFIX))
        raise UserError(f"no WARC, ARC or WACZ files ({suffixes}) found in the inputs")


def build(
    paths: list[Path],
    out: Path,
    workers: int = 0,
    shard_rows: int = 50_000,
    max_bytes: int = DOWNLOAD_MAXSIZE,
    progress: ProgressDisplay | None = None,
) -> dict[str, int]:
    """Parse every capture of ``paths`` (WARC, ARC and WACZ files, directories holding them) into ``out``'s
    shards; returns counters.

    WARCs are untrusted input: torn, oversized (``max_bytes``, the crawl's limit) and
    badly addressed records are skipped and counted; inputs without a single response
    record are a UserError saying how many records were read.

    Every capture that gives no row is counted under its outcome and logged with its URL,
    so ``captures == captures_with_rows + sum(outcome/*)`` always holds. ``progress`` shows
    the captures parsed (default: a log line every ten seconds).
    """
    counters: Counter[str] = Counter()
    scratch = OutputDir(out).state / "wacz"  # a WACZ's WARCs, copied out for the build's reading
    with (
        progress or ProgressDisplay("captures", None, live=False) as display,
        unpacked(warc_files(paths), scratch, counters) as files,
    ):
        return _build(files, out, workers, shard_rows, max_bytes, display, counters)


def _build(files: dict[Path, str], out: Path, workers: int, shard_rows: int, max_bytes: int,
           progress: ProgressDisplay, counters: Counter[str]) -> dict[str, int]:  # fmt: skip
    damaged = quarantine_damaged_segments(out)  # a crash's cut segment would fail the whole build
    if damaged:
        counters["segments/quarantined"] = len(damaged)
    writer = SegmentWriter(out, flush_rows=1000)
    media = MediaIndex(files)  # read with the pages: one read of the WARCs
    superseded = SupersededListings()
    if workers:
        _warm_before_fork()
    captures = iter_warc_captures(list(files), counters, max_bytes, media)
    with closing(ProcessPool(workers, start_method=None)) as pool:
        for url, processed in pool.ordered(captures):
            counters["captures"] += 1
            progress.update(counters["captures"], f"{counters['rows']} rows")
            if processed.rows:
                counters["captures_with_rows"] += 1
            else:
                counters[f"outcome/{processed.outcome}"] += 1
                logger.log(_log_level(processed.outcome), "%s: %s", processed.outcome, url)
            for row in processed.rows:
                counters["rows"] += 1
                counters["comments"] += len(row["comments"])
                if superseded.superseded(row):  # as a crawl drops it: half the benchmark's rows
                    counters["rows/listing_superseded"] += 1
                else:
                    writer.add(row)
    writer.flush()
    if not counters["captures"]:
        skipped = ", ".join(
            f"{k.split('/', 1)[1]} {v}" for k, v in sorted(counters.items()) if k != "warc/records"
        )
        raise UserError(
            f"no readable response record in the inputs ({counters['warc/records']} WARC records read"
            f"{'; ' + skipped if skipped else ''}): nothing to build"
        )
    counters["media_files"] = write_index(out, media.records())
    progress.update(text=f"{counters['rows']} rows; writing the shards")
    for platform, count in finalize(out, shard_rows, select_media=select_media).items():
        counters[f"posts/{platform}"] = count
    return dict(counters)


def _warm_before_fork() -> None:
    """Load what every worker needs (langdetect's profiles, the parsers) once, here, before the workers fork.

    Each forked worker loaded them again at its first post (0.3 s of CPU each, on a build bound by
    its 2 cores' CPU; the profiles took 0.6 s before they were read lazily); inherited, they cost
    one load, and ``gc.freeze`` keeps the workers' collections off them.
    """
    import crawler.parse_warm  # noqa: F401


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

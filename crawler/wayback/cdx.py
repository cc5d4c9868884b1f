"""The Wayback Machine as a source: CDX queries and answers, snapshot URLs, capture choice, the CDX cache.

Pure functions and small records; ``crawler/wayback/source.py`` (the component the spider holds) does the I/O.
A dead blog is enumerated with the CDX API (a prefix query on the blog root, 200s only,
paged with ``showResumeKey``/``resumeKey``), and each chosen capture is fetched raw through
the ``id_`` form of its snapshot URL, then parsed by the platform parser on its original URL.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from crawler.parsers.base import LinkKind

SOURCE = "wayback"  # the ``source`` of rows parsed from snapshots
CDX_SOURCE = "cdx"  # the source of CDX answers in the WARC: index pages, never parsed as blog pages
SLOT = "wayback"  # the download slot of every archive request (DOWNLOAD_SLOTS["wayback"])
PREFER = ("latest", "earliest")
CDX_FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode")
# Blogger sent visitors to a country domain (2012-2018): captures of a .blogspot.com blog
# often sit under one of these instead.
BLOGSPOT_COUNTRY_DOMAINS = ("fr", "be", "ch", "ca", "co.uk", "de", "es", "it", "pt", "com.br")
HTML_TYPES = ("text/html", "application/xhtml")
CLOSED_PLATFORMS = frozenset({"typepad"})  # shut down for good (Typepad: 30 September 2025)
# The standard feeds each platform serves, relative to the blog root: the captures archives
# hold most often (the Blogger feed above all), read as feeds whatever their query string, so a
# post that survives only in an archived feed still gets its row.
ARCHIVED_FEEDS: dict[str, tuple[str, ...]] = {
    "blogspot": ("feeds/posts/default", "feeds/posts/summary"),
    "typepad": ("atom.xml", "index.rss", "rss.xml"),
    "tumblr": ("rss",),
    "canalblog": ("rss.xml",),
}
_TIMESTAMP = re.compile(r"^\d{1,14}$")
_SNAPSHOT_TAIL = re.compile(r"^(?P<ts>\d{1,14})(?:[a-z]{2}_)?/+(?P<url>.+)$", re.I)
_BLOGSPOT_HOST = re.compile(r"^(?P<name>[^.]+)\.blogspot\.[a-z.]+$", re.I)


@dataclass(frozen=True)
class CdxRow:
    """One capture as the CDX index lists it."""

    urlkey: str
    timestamp: str
    original: str
    mimetype: str
    statuscode: str


@dataclass(frozen=True)
class CdxPage:
    """One CDX answer: its rows, and the key of the next page when there is one."""

    rows: list[CdxRow]
    resume_key: str | None = None


@dataclass(frozen=True)
class Snapshot:
    """A capture chosen for fetching: when, of which URL, and what the URL is to the blog."""

    timestamp: str
    original: str
    kind: LinkKind


@dataclass(frozen=True)
class WaybackConfig:
    """The ``BLOGARCHIVE_WAYBACK_*`` settings."""

    cdx: str = "https://web.archive.org/cdx/search/cdx"
    snapshots: str = "https://web.archive.org/web/"
    since: str = ""
    until: str = ""
    prefer: str = "latest"
    page_size: int = 5000
    retries: int = 8

    @classmethod
    def from_settings(cls, settings: Any) -> WaybackConfig:
        prefer = settings.get("BLOGARCHIVE_WAYBACK_PREFER") or "latest"
        if prefer not in PREFER:
            raise ValueError(f"BLOGARCHIVE_WAYBACK_PREFER must be one of {', '.join(PREFER)}, not {prefer!r}")
        return cls(
            cdx=settings.get("BLOGARCHIVE_WAYBACK_CDX"),
            snapshots=settings.get("BLOGARCHIVE_WAYBACK_SNAPSHOTS"),
            since=cdx_timestamp(settings.get("BLOGARCHIVE_WAYBACK_FROM") or ""),
            until=cdx_timestamp(settings.get("BLOGARCHIVE_WAYBACK_TO") or ""),
            prefer=prefer,
            page_size=settings.getint("BLOGARCHIVE_WAYBACK_CDX_PAGE"),
            retries=settings.getint("BLOGARCHIVE_WAYBACK_RETRIES"),
        )


def _private_host(url: str) -> bool:
    """A loopback, private, link-local or reserved address, or ``localhost``."""
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or address.is_reserved


def unarchivable_reason(url: str, platform: str | None, config: WaybackConfig) -> str | None:
    """Why the archive of ``config`` cannot hold the blog at ``url`` (None: it may).

    A public archive never captured a private or loopback address (an archive on a private
    network may have); a host of no known platform cannot be read from it without --platform.
    """
    if _private_host(url) and not _private_host(config.cdx):
        return f"{urlsplit(url).hostname} is a private or loopback address, which the Wayback Machine never captured"
    if platform is None:
        return "the host is of no known platform (give --platform to read a custom domain from the archive)"
    return None


def gone_failure(slug: str, platform: str | None) -> bool:
    """A live home's failure that means the blog is gone: no such host, or a closed platform sending us away."""
    return slug == "dns_error" or (slug == "redirect_offsite" and platform in CLOSED_PLATFORMS)


# ---------------------------------------------------------------------------------
# Timestamps


def cdx_timestamp(value: str) -> str:
    """A CDX date bound (1-14 digits) from ``2009``, ``2009-05`` or ``2009-05-01T10:00``; "" stays ""."""
    digits = re.sub(r"[-:T ]", "", value.strip())
    if digits and not _TIMESTAMP.match(digits):
        raise ValueError(f"not a Wayback timestamp (YYYY[MM[DD[hhmmss]]]): {value!r}")
    return digits


def archived_at(timestamp: str) -> datetime:
    """The UTC instant of a Wayback timestamp (``20100102030405``; shorter ones start their period)."""
    padded = timestamp + "00000101000000"[len(timestamp) :]
    return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)


# ---------------------------------------------------------------------------------
# CDX queries and answers


def cdx_prefixes(root: str, platform: str) -> list[str]:
    """What to prefix-match for a blog root: ``host[:port]/path``, plus Blogger's country domains."""
    parts = urlsplit(root)
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port not in (None, 80, 443) else "")
    path = parts.path or "/"
    prefixes = [netloc + path]
    match = _BLOGSPOT_HOST.match(parts.hostname or "")
    if platform == "blogspot" and match:
        hosts = [f"{match.group('name')}.blogspot.{cc}" for cc in ("com", *BLOGSPOT_COUNTRY_DOMAINS)]
        prefixes = [host + path for host in hosts]
    return prefixes


def cdx_query_url(config: WaybackConfig, prefix: str, resume_key: str | None = None) -> str:
    """The CDX API URL of one page of captures under ``prefix``.

    Only 200s; ``collapse=urlkey`` keeps the oldest capture of each URL, so it is asked only
    when the earliest is preferred (for the latest, every capture comes and the last wins).
    """
    params = [("url", prefix), ("matchType", "prefix"), ("output", "json"), ("fl", ",".join(CDX_FIELDS)),
              ("filter", "statuscode:200")]  # fmt: skip
    if config.prefer == "earliest":
        params.append(("collapse", "urlkey"))
    if config.since:
        params.append(("from", config.since))
    if config.until:
        params.append(("to", config.until))
    params += [("limit", str(config.page_size)), ("showResumeKey", "true")]
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{config.cdx}?{urlencode(params)}"


def parse_cdx(body: bytes | str) -> CdxPage:
    """Rows and resume key of a JSON CDX answer (header row first; ``[]`` then ``[key]`` at the end).

    ``ValueError`` when the answer is not CDX JSON.
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if not text.strip():
        return CdxPage([])
    data = json.loads(text)
    if not isinstance(data, list) or not all(isinstance(row, list) for row in data):
        raise ValueError("a CDX JSON answer is a list of lists")
    if not data:
        return CdxPage([])
    header, lines = data[0], data[1:]
    resume_key = None
    if len(lines) >= 2 and lines[-2] == [] and len(lines[-1]) == 1:
        resume_key = str(lines[-1][0])
        lines = lines[:-2]
    missing = [name for name in ("timestamp", "original") if name not in header]
    if missing:
        raise ValueError(f"CDX answer without {', '.join(missing)}")
    rows = [_row(dict(zip(header, line))) for line in lines if line]
    return CdxPage(rows, resume_key)


def _row(values: dict[str, Any]) -> CdxRow:
    return CdxRow(
        urlkey=str(values.get("urlkey") or values["original"]),
        timestamp=str(values["timestamp"]),
        original=str(values["original"]),
        mimetype=str(values.get("mimetype") or ""),
        statuscode=str(values.get("statuscode") or "200"),
    )


# ---------------------------------------------------------------------------------
# Which captures to fetch


def capture_kind(row: CdxRow, parser: ModuleType, home: str, feeds: set[str]) -> LinkKind | None:
    """What a capture is to the blog: a post, its home, a listing, a seed feed; None for the rest."""
    if row.statuscode != "200":
        return None
    if parser.is_post_url(row.original):
        return LinkKind.POST
    key = parser.canonical_url(row.original)
    if key in feeds or _feed_key(key) in feeds:
        return LinkKind.FEED
    if not row.mimetype.lower().startswith(HTML_TYPES):
        return None  # assets, scripts, other feeds
    return LinkKind.HOME if key == home else LinkKind.LISTING


def select_snapshots(rows: Iterable[CdxRow], parser: ModuleType, root: str, prefer: str) -> list[Snapshot]:
    """One capture per canonical URL, posts and pages only.

    The plain URL's captures win over its variants (``?cid=``, ``?showComment=``, ``?m=1``:
    the same post as a comment permalink or a mobile page); then the latest or the earliest.
    """
    home = parser.canonical_url(root)
    feeds = archived_feeds(parser, root)
    chosen: dict[str, Snapshot] = {}
    for row in rows:
        row = replace(row, original=on_root_host(row.original, root))
        kind = capture_kind(row, parser, home, feeds)
        if kind is None:
            continue
        key = parser.canonical_url(row.original)
        snapshot = Snapshot(row.timestamp, row.original, kind)
        current = chosen.get(key)
        if current is None or _better(snapshot, current, prefer):
            chosen[key] = snapshot
    return [chosen[key] for key in sorted(chosen)]


def archived_feeds(parser: ModuleType, root: str) -> set[str]:
    """The feed URLs of a blog read from its captures: its crawl seeds and its platform's standard feeds."""
    feeds = {parser.canonical_url(link.url) for link in parser.seeds(root) if link.kind is LinkKind.FEED}
    base = parser.blog_root(root)
    feeds |= {
        _feed_key(parser.canonical_url(base + path)) for path in ARCHIVED_FEEDS.get(parser.PLATFORM, ())
    }
    return feeds


def _feed_key(url: str) -> str:
    """A feed URL without its query (``?alt=rss``, ``?max-results=``) or trailing slash."""
    return url.split("?", 1)[0].rstrip("/")


def _better(candidate: Snapshot, current: Snapshot, prefer: str) -> bool:
    plain, current_plain = not urlsplit(candidate.original).query, not urlsplit(current.original).query
    if plain != current_plain:
        return plain
    if prefer == "latest":
        return candidate.timestamp > current.timestamp
    return candidate.timestamp < current.timestamp


def on_root_host(original: str, root: str) -> str:
    """``original`` on the blog root's host: the index lists ``www.`` and ``:80`` variants of it."""
    a, b = urlsplit(original), urlsplit(root)
    if _bare_host(a.hostname, a.port) != _bare_host(b.hostname, b.port) or a.netloc == b.netloc:
        return original
    return urlunsplit((a.scheme, b.netloc, a.path, a.query, ""))


def _bare_host(host: str | None, port: int | None) -> tuple[str, int | None]:
    return (host or "").lower().removeprefix("www."), None if port in (80, 443) else port


# ---------------------------------------------------------------------------------
# Snapshot URLs


def snapshot_url(snapshots: str, timestamp: str, original: str) -> str:
    """The raw capture (``id_``: no toolbar, no rewritten links) of ``original`` at ``timestamp``."""
    return f"{snapshots.rstrip('/')}/{timestamp}id_/{original}"


def split_snapshot_url(snapshots: str, url: str) -> tuple[str, str] | None:
    """(timestamp, original URL) of a snapshot URL under ``snapshots``; None for any other URL."""
    base, target = urlsplit(snapshots), urlsplit(url)
    if (base.hostname, base.port) != (target.hostname, target.port):
        return None
    prefix = base.path.rstrip("/") + "/"
    full = urlunsplit(("", "", target.path, target.query, ""))
    if not full.startswith(prefix):
        return None
    match = _SNAPSHOT_TAIL.match(full[len(prefix) :])
    if not match:
        return None
    original = match.group("url")
    if re.match(r"^https?:/[^/]", original, re.I):  # a slash collapsed by a proxy or a rewriter
        original = original.replace(":/", "://", 1)
    if not re.match(r"^https?://", original, re.I):
        original = "http://" + original
    return match.group("ts"), original


# ---------------------------------------------------------------------------------
# The on-disk cache of CDX answers


class CdxCache:
    """CDX answers under ``OUT/.state/cdx/``, one JSON file per query URL, stamped with the run.

    A resumed run (same run number) reads them instead of asking the archive again; the
    next crawl of the same output asks again, to see captures made since.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, query_url: str) -> Path:
        return self.directory / (hashlib.sha256(query_url.encode("utf-8")).hexdigest()[:32] + ".json")

    def get(self, query_url: str, run: int) -> CdxPage | None:
        try:
            data = json.loads(self._path(query_url).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("url") != query_url or data.get("run") != run:
            return None
        return CdxPage([CdxRow(*row) for row in data["rows"]], data.get("resume_key"))

    def put(self, query_url: str, run: int, page: CdxPage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self._path(query_url)
        rows = [[r.urlkey, r.timestamp, r.original, r.mimetype, r.statuscode] for r in page.rows]
        document = {"url": query_url, "run": run, "rows": rows, "resume_key": page.resume_key}
        temp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        temp.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
        temp.replace(path)  # a crash never leaves half an answer under the final name

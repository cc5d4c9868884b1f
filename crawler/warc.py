"""WARC: every request/response as it came off the wire, plus how we read WARCs back.

The downloader middleware sits at priority 950, below every built-in one, so it sees
the final outgoing request (cookies, Accept-Encoding) and every raw response first:
still compressed, 3xx included, before RedirectMiddleware and HttpCompression touch
it. Each response gets a ``request`` record, a ``response`` record (payload digest by
warcio) and a ``metadata`` record holding what the crawl expected the URL to be
(kind, platform, feed hint), so a build from the WARC gives exactly the crawl's rows.

Files are written as ``*.warc.gz.open`` and renamed when closed; a crash leaves an
``.open`` file that :func:`recover_open_files` truncates to its last whole record.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import io
import json
import logging
import os
import socket
import threading
import uuid
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import brotli
from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader
from warcio.recordbuilder import RecordBuilder
from warcio.recordloader import ArcWarcRecordLoader
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import __version__
from crawler.failures import fail, os_failure
from crawler.urls import is_http_url, redact_secrets
from crawler.wacz import WACZ_SUFFIX
from crawler.warc_read import is_archive_name, open_archive, stream_end

logger = logging.getLogger(__name__)

META_KIND = "blogarchive_kind"
META_PLATFORM = "blogarchive_platform"
META_HINT = "blogarchive_hint"
META_SOURCE = "blogarchive_source"
META_ARCHIVED_AT = "blogarchive_archived_at"
META_ORIGINAL = "blogarchive_original_url"  # the URL a Wayback snapshot is a capture of
META_RECORD_ID = "warc_record_id"
META_DATE = "warc_date"
META_LOCATION = "warc_location"  # (file name, offset) of the exchange's records
META_MEDIA_KIND = "blogarchive_media_kind"  # image, video or audio: what a media request expects
META_MEDIA_URL = "blogarchive_media_url"  # the file a media request is for (its best-size URL)
OPEN_SUFFIX = ".open"
GZIP_LEVEL = 6
# Hop-by-hop framing Twisted already undid: keeping it would make readers de-chunk twice.
_DROP_HEADERS = {b"transfer-encoding"}
# Records are made by one stateless builder: a WARCWriter per exchange asked the system for its
# host name each time (socket.gethostname, on the reactor), for a field records never carry.
_RECORDS = RecordBuilder()


def gzip_member(data: bytes) -> bytes:
    """One record as its own gzip member (what a .warc.gz reader expects)."""
    # Level 6, not warcio's 9: 9 costs 60% more CPU (3.0 against 1.9 ms per 100 KB page,
    # on the reactor) for files 0.5% smaller.
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS + 16)
    return compressor.compress(data) + compressor.flush()


def warc_date(when: datetime) -> str:
    return when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcFileWriter:
    """Appends records to rotating gzip WARC files in ``directory``; one writer per file, thread-safe."""

    def __init__(self, directory: Path, max_bytes: int, prefix: str = "blogarchive") -> None:
        self.directory = directory
        self.max_bytes = max_bytes
        self.prefix = prefix
        self._file: io.FileIO | None = None
        self._path: Path | None = None
        self._serial = 0
        self._lock = threading.Lock()  # one group at a time: its offset is where it lands
        self.directory.mkdir(parents=True, exist_ok=True)

    def _open(self) -> io.FileIO:
        if self._file is None:
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
            self._serial += 1
            name = f"{self.prefix}-{stamp}-{self._serial:05d}-{os.getpid()}.warc.gz"
            self._path = self.directory / (name + OPEN_SUFFIX)
            # Unbuffered: what a write did not get to disk is known, and truncated.
            self._file = open(self._path, "ab", buffering=0)  # noqa: SIM115 (kept open across records)
            self._write_raw(self._warcinfo(name))
        return self._file

    def _warcinfo(self, filename: str) -> bytes:
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=True)
        info = {
            "software": f"blogarchive/{__version__} (warcio)",
            "format": "WARC File Format 1.0",
            "hostname": socket.gethostname(),
        }
        writer.write_record(writer.create_warcinfo_record(filename, info))
        return buffer.getvalue()

    def _write_raw(self, data: bytes) -> None:
        assert self._file is not None
        # One write per record group: a crash cuts at most the last group, which
        # recovery truncates away; a failed write (a full disk) is cut away at once.
        start = self._file.tell()
        try:
            view = memoryview(data)
            while view:
                view = view[self._file.write(view) or 0 :]
        except OSError:
            os.ftruncate(self._file.fileno(), start)
            raise

    def write(self, records: list[Any]) -> tuple[str, int]:
        """Append one group of records (plain WARC bytes, or warcio records); returns the file's
        final name and the group's offset.

        Safe from several threads (the middleware's writer thread, and the spider writing a
        media outcome record): records are compressed outside the lock, and the offset is
        taken under it right before the group is written, so it is where the group starts.
        """
        members = [gzip_member(record if isinstance(record, bytes) else _plain(record)) for record in records]
        with self._lock:
            handle = self._open()
            assert self._path is not None
            where = (self._path.name[: -len(OPEN_SUFFIX)], handle.tell())
            self._write_raw(b"".join(members))
            if handle.tell() >= self.max_bytes:
                self._close()
        return where

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._file is not None and self._path is not None:
            self._file.close()
            self._path.rename(self._path.with_name(self._path.name[: -len(OPEN_SUFFIX)]))
        self._file = None
        self._path = None

    @staticmethod
    def record_factory() -> RecordBuilder:
        return _RECORDS


def _plain(record: Any) -> bytes:
    """A warcio record as plain (uncompressed) WARC bytes."""
    plain = io.BytesIO()
    WARCWriter(plain, gzip=False).write_record(record)
    return plain.getvalue()


def _headers_list(headers: Any) -> list[tuple[str, str]]:
    """Scrapy Headers -> list of (name, value), repeated headers kept, framing dropped."""
    out: list[tuple[str, str]] = []
    # Scrapy's Headers is a dict of normalized names to lists of values: read as one, without a
    # normalization of each name again (what ``Headers.items`` does).
    for name, values in dict.items(headers):
        if name.lower() in _DROP_HEADERS:
            continue
        for value in values:
            out.append((name.decode("latin-1"), value.decode("latin-1")))
    return out


def build_records(
    request: Any, response: Any, when: datetime, metadata: dict[str, Any]
) -> tuple[list[bytes], str]:
    """The request, response and metadata records of one exchange, as plain WARC bytes (the
    bytes warcio's writer makes of them); returns (records, response id).

    Built here rather than by warcio's record builder and writer (half their CPU for a 20 KB
    page, 240 against 480 µs, most of it Python holding the GIL).
    """
    date = warc_date(when)
    response_id = _record_id()
    # Credentials in query strings (Tumblr's api_key) never reach the archive.
    url = redact_secrets(response.url)
    reason = HTTPStatus(response.status).phrase if response.status in HTTPStatus._value2member_map_ else ""
    protocol = getattr(response, "protocol", None) or "HTTP/1.1"
    ip = getattr(response, "ip_address", None)
    http = _http_block(protocol, f"{response.status} {reason}".strip(), _headers_list(response.headers))
    records = [_record("response", url, response_id, date, "application/http; msgtype=response", http,
                       response.body, [("WARC-IP-Address", str(ip))] if ip is not None else [])]  # fmt: skip
    parts = urlsplit(redact_secrets(request.url))
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = _headers_list(request.headers)
    if not any(name.lower() == "host" for name, _ in request_headers):
        request_headers.insert(0, ("Host", parts.netloc))
    concurrent = [("WARC-Concurrent-To", response_id)]
    http = _http_block(request.method, f"{target} HTTP/1.1", request_headers)
    records.append(_record("request", url, _record_id(), date, "application/http; msgtype=request", http,
                           request.body or b"", concurrent))  # fmt: skip
    if metadata:
        payload = json.dumps(metadata, sort_keys=True, ensure_ascii=False, default=str).encode()
        records.append(
            _record("metadata", url, _record_id(), date, "application/json", b"", payload, concurrent)
        )
    return records, response_id


def _record_id() -> str:
    return f"<urn:uuid:{uuid.uuid4()}>"


def _digest(*parts: bytes) -> str:
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part)
    return "sha1:" + base64.b32encode(digest.digest()).decode("ascii")


def _http_block(protocol: str, statusline: str, headers: list[tuple[str, str]]) -> bytes:
    """An HTTP message's head as warcio writes it: ASCII, or its non-ASCII values %-encoded."""
    text = f"{protocol} {statusline}\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers)
    try:
        return text.encode("ascii") + b"\r\n"
    except UnicodeEncodeError:
        return StatusAndHeaders(statusline, headers, protocol=protocol).to_ascii_bytes()


def _record(
    kind: str, url: str, record_id: str, date: str, content_type: str, http: bytes, payload: bytes,
    extra: list[tuple[str, str]],
) -> bytes:  # fmt: skip
    """One record, its headers in warcio's order (the given ones, then those it adds)."""
    headers = [("WARC-Date", date), *extra, ("WARC-Type", kind), ("WARC-Record-ID", record_id),
               ("WARC-Target-URI", url), ("WARC-Payload-Digest", _digest(payload)),
               ("WARC-Block-Digest", _digest(http, payload)),
               ("Content-Type", content_type), ("Content-Length", str(len(http) + len(payload)))]  # fmt: skip
    head = "WARC/1.0\r\n" + "".join(f"{name}: {value}\r\n" for name, value in headers)
    return b"".join((head.encode("utf-8"), b"\r\n", http, payload, b"\r\n\r\n"))


class WarcMiddleware:
    """Downloader middleware writing every exchange to ``<output>/warc``."""

    def __init__(self, directory: Path, max_bytes: int) -> None:
        self.recovery: Counter[str] = Counter()  # what recovering a crashed run's files dropped
        recover_open_files(directory, self.recovery)
        self.writer = WarcFileWriter(directory, max_bytes)
        # Records compressed and written off the reactor, in order, on one thread; a response still
        # goes on only once its records are written (durability unchanged). They are built on the
        # reactor: built on this thread, their Python code took the GIL from the reactor (its idle
        # time in a 40-blog crawl went from 17 to 22 s, the crawl 0.88x as fast).
        self._io = ThreadPoolExecutor(1, thread_name_prefix="warc")

    def close(self) -> None:
        self._io.shutdown(wait=True)
        self.writer.close()

    @classmethod
    def from_crawler(cls, crawler: Any) -> WarcMiddleware:
        from scrapy import signals

        output = Path(crawler.settings.get("BLOGARCHIVE_OUTPUT"))
        middleware = cls(output / "warc", crawler.settings.getint("BLOGARCHIVE_WARC_MAX_BYTES"))
        middleware.stats = crawler.stats
        for key, count in middleware.recovery.items():
            crawler.stats.inc_value(f"blogarchive/{key}", count)
        middleware.crawler = crawler
        crawler.signals.connect(middleware.close, signal=signals.spider_closed)
        return middleware

    def process_request(self, request: Any, spider: Any = None) -> None:
        """Forget the records of an earlier hop: a redirect's next request inherits its meta,
        and a failure after it must not point at the 3xx (the build would then lose its outcome)."""
        for key in (META_LOCATION, META_RECORD_ID, META_DATE):
            request.meta.pop(key, None)

    async def process_response(self, request: Any, response: Any, spider: Any = None) -> Any:
        when = datetime.now(timezone.utc).replace(microsecond=0)
        metadata = {key: request.meta[key] for key in (META_KIND, META_PLATFORM, META_HINT, META_SOURCE, META_ARCHIVED_AT, META_ORIGINAL, META_MEDIA_KIND, META_MEDIA_URL)
                    if request.meta.get(key) is not None}  # fmt: skip
        records, record_id = build_records(request, response, when, metadata)
        try:
            location = await asyncio.wrap_future(self._io.submit(self.writer.write, records))
        except OSError as exc:  # a full disk: no row without its WARC record; the next run fetches it
            from scrapy.exceptions import IgnoreRequest

            fail(self.crawler, os_failure(exc, self.writer.directory))
            raise IgnoreRequest("warc_write_failed") from exc
        request.meta[META_LOCATION] = location
        self.stats.inc_value("blogarchive/warc/records", len(records))
        request.meta[META_RECORD_ID] = record_id
        request.meta[META_DATE] = when
        return response


# ---------------------------------------------------------------------------------
# Reading


@dataclass
class WarcCapture:
    """A response record with what the crawl knew of it (from its metadata record)."""

    url: str
    status: int
    content_type: str | None
    body: bytes
    date: datetime
    record_id: str
    metadata: dict[str, Any]
    location: str | None = None
    payload_digest: str | None = None
    revisit: Revisit | None = None  # a revisit record: its payload is another record's (crawler.warc_revisit)


@dataclass(frozen=True)
class Revisit:
    """What a ``revisit`` record says its payload is: the record it refers to, or a URI and digest."""

    refers_to: str | None
    target_uri: str
    payload_digest: str | None
    has_http: bool  # False: no HTTP headers of its own, status and type come from the record it refers to


def warc_files(paths: list[Path]) -> list[Path]:
    """WARC files (and WACZ files: ``crawler.wacz``) named or found under directories, in name order."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in path.rglob("*") if is_archive_name(p.name, (".warc.gz" + OPEN_SUFFIX, WACZ_SUFFIX))
            )
        elif path.exists():
            found.append(path)
    return sorted(found)


def parse_warc_date(value: str) -> datetime:
    value = value.replace("Z", "+00:00")
    return datetime.fromisoformat(value).astimezone(timezone.utc)


def iter_captures(
    path: Path, counters: Counter[str] | None = None, max_bytes: int = 0
) -> Iterator[WarcCapture]:
    """Response, revisit and resource records of one WARC (1.0/1.1; plain, gzip or zstd) or ARC file, metadata joined.

    Only whole records are read: a body shorter than its ``Content-Length`` (a crash, a full
    disk, a download cut short, a lying header) or failing its block digest is dropped and
    counted in ``counters`` (``warc/torn``), as are records over ``max_bytes``
    (``warc/too_large``) and records whose target is no http(s) URL (``warc/bad_target_uri``).
    Reading goes on after them to the end of the file. A revisit record comes with an empty
    body and its :class:`Revisit` (``crawler.warc_revisit`` finds its payload); a record
    with ``WARC-Truncated`` is kept and counted (``warc/truncated``).
    """
    counters = counters if counters is not None else Counter()
    pending: dict[str, WarcCapture] = {}
    with contextlib.ExitStack() as stack:
        try:
            stream = stack.enter_context(open_archive(path))
            iterator = archive_records(stream, arc2warc=True)
            for record in iterator:
                yield from take_record(path, record, pending, counters, max_bytes)
        except Exception as exc:  # not a WARC, or framing (or zstd frames) too broken to find the next record
            counters["warc/unreadable"] += 1
            logger.warning("%s: stopped reading at a damaged record (%s)", path, exc)
        else:
            if iterator.offset < stream_end(stream):  # a last record cut before its headers ended
                counters["warc/torn"] += 1
                logger.warning("%s: dropping a torn last record (from byte %d)", path, iterator.offset)
    yield from pending.values()


# The records that hold a capture, and the counter of those read: a ``resource`` record is a document
# stored without its HTTP exchange (warcit's WARCs of saved sites), a page all the same.
CAPTURE_COUNTERS = {"response": "warc/responses", "revisit": "warc/revisits", "resource": "warc/resources"}


def take_record(
    path: Path, record: Any, pending: dict[str, WarcCapture], counters: Counter[str], max_bytes: int
) -> Iterator[WarcCapture]:
    """The captures a warcio record completes: a response waits in ``pending`` for its metadata
    record, and goes out when the next response comes (or the file ends)."""
    counters["warc/records"] += 1
    if record.rec_type in CAPTURE_COUNTERS:
        capture = record_capture(path, record, counters, max_bytes)
        if capture is not None:
            counters[CAPTURE_COUNTERS[record.rec_type]] += 1
            yield from flushed(pending)
            pending[capture.record_id] = capture
    elif record.rec_type == "metadata":
        target = record.rec_headers.get_header("WARC-Concurrent-To")
        payload = record.content_stream().read()
        if target in pending and is_whole(record):
            with contextlib.suppress(ValueError):
                pending[target].metadata = json.loads(payload or b"{}")


def flushed(pending: dict[str, WarcCapture]) -> Iterator[WarcCapture]:
    """The captures waiting for their metadata, given out and forgotten."""
    yield from pending.values()
    pending.clear()


class _BrotliStream:
    """A ``Content-Encoding: br`` body as warcio's reader decodes it (``decompress``, ``unused_data``, ``flush``).

    warcio registers brotli's ``Decompressor`` and sets ``unused_data`` on it, which the C type of brotli
    1.2 refuses: every br-encoded response (what browsers, so browsertrix, get from Blogger and most
    sites) was an unreadable record. This one feeds brotli's ``process``.
    """

    unused_data = None  # a single stream: nothing follows it in the body

    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def decompress(self, data: bytes) -> bytes:
        return self._decompressor.process(data)

    def flush(self) -> bytes:
        return b""


BufferedReader.DECOMPRESSORS["br"] = _BrotliStream


class _MisframedRecord(str):
    """warcio's notice of a record not followed by its blank line (a wrong Content-Length), which warcio
    writes to stderr itself with the bytes it found instead (binary dumps, one per such record of a
    damaged WARC): a log line here, nothing written there. warcio reads on either way."""

    def format(self, *args: object, **kwargs: object) -> str:
        offset = args[0] if args else "?"
        logger.warning("a WARC record ending near byte %s is not followed by a blank line (its Content-Length "
                       "may be wrong): reading on", offset)  # fmt: skip
        return ""


ArchiveIterator.INC_RECORD = _MisframedRecord(ArchiveIterator.INC_RECORD)


class _Loader(ArcWarcRecordLoader):
    """warcio's record loader, reading on past a record with no ``WARC-Target-URI`` (warcio raises)."""

    def _ensure_target_uri_format(self, rec_headers: Any) -> str:
        return super()._ensure_target_uri_format(rec_headers) or ""


def archive_records(stream: Any, arc2warc: bool = False) -> ArchiveIterator:
    """An ArchiveIterator checking digests, with the loader above."""
    iterator = ArchiveIterator(stream, arc2warc=arc2warc, check_digests=True)
    iterator.loader = _Loader(verify_http=False, arc2warc=arc2warc)
    return iterator


def is_whole(record: Any, counters: Counter[str] | None = None) -> bool:
    """Whether the record's block was all there (its ``Content-Length``) and its block digest matches.

    warcio does not raise on a body cut short (a torn gzip member decompresses as far as
    it goes): the rest of the block is read here and what its length reader still
    expected is compared to zero. A block digest covers the bytes exactly as stored, so a
    mismatch is damage. A payload digest alone is not trusted to drop a whole record:
    writers disagree on it for chunked or compressed responses, so a mismatch there is
    counted (``warc/payload_digest_mismatch``) and the record kept.
    """
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    checker = getattr(record, "digest_checker", None)
    problems = list(getattr(checker, "problems", None) or ())
    if any(p.startswith("payload digest failed") for p in problems) and counters is not None:
        counters["warc/payload_digest_mismatch"] += 1
    return getattr(raw, "limit", 0) == 0 and not any(p.startswith("block digest failed") for p in problems)


def record_capture(path: Path, record: Any, counters: Counter[str], max_bytes: int) -> WarcCapture | None:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if not is_http_url(url):
        return skip_not_http(path, url, record.rec_type, counters)
    revisit = _revisit(record, url) if record.rec_type == "revisit" else None
    if record.http_headers is None and revisit is None and record.rec_type != "resource":
        counters["warc/unreadable_record"] += 1
        logger.warning("%s: skipping a response record without HTTP headers: %s", path, url)
        return None
    length = record.rec_headers.get_header("Content-Length") or "0"
    if max_bytes and length.isdigit() and int(length) > max_bytes:
        counters["warc/too_large"] += 1
        logger.warning("%s: skipping %s: %s bytes, over the limit of %d", path, url, length, max_bytes)
        return None
    http = record.http_headers or (
        resource_http(record.rec_headers.get_header("Content-Type"))
        if record.rec_type == "resource"
        else StatusAndHeaders("", [])
    )
    try:
        status = int(http.get_statuscode() or 0)
        body = b"" if revisit else record.content_stream().read()
        whole = is_whole(record, counters)
        date = parse_warc_date(record.rec_headers.get_header("WARC-Date") or "")
    except Exception as exc:  # a bad Content-Encoding, chunking or date
        counters["warc/unreadable_record"] += 1
        logger.warning("%s: skipping unreadable record %s (%s)", path, url, exc)
        return None
    if not whole:
        counters["warc/torn"] += 1
        logger.warning(
            "%s: dropping torn record %s (body shorter than its Content-Length, or bad block digest)",
            path,
            url,
        )
        return None
    truncated = record.rec_headers.get_header("WARC-Truncated")
    if truncated and not revisit:
        # Kept: a page cut at a length or time limit mostly still holds the whole post (its text comes
        # first, sidebars and scripts last); the parse decides, and a page that gives no post is counted.
        counters["warc/truncated"] += 1
        logger.warning(
            "%s: %s was truncated by its crawler (%s): parsing what was kept", path, url, truncated
        )
    return WarcCapture(
        url=url,
        status=status,
        content_type=http.get_header("Content-Type"),
        body=body,
        date=date,
        record_id=record.rec_headers.get_header("WARC-Record-ID"),
        metadata={},
        location=http.get_header("Location"),
        payload_digest=record.rec_headers.get_header("WARC-Payload-Digest"),
        revisit=revisit,
    )


def skip_not_http(path: Path, url: str, record_type: str, counters: Counter[str]) -> None:
    """Count (and log) a record whose target is no http(s) URL: never a page of a blog.

    A ``resource`` record so addressed is a crawler's own note (browsertrix's ``urn:pageinfo:`` and
    ``urn:text:``, a screenshot, a local file): expected, counted quietly. Any other is odd: a warning.
    """
    if record_type == "resource":
        counters["warc/resource_not_http"] += 1
        logger.debug("%s: skipping a resource record whose target is no http(s) URL: %r", path, url[:200])
        return None
    counters["warc/bad_target_uri"] += 1
    logger.warning("%s: skipping a record whose target is no http(s) URL: %r", path, url[:200])
    return None


def resource_http(content_type: str | None) -> StatusAndHeaders:
    """A ``resource`` record's stand-in HTTP part: its block is the document itself (a page that a tool
    such as warcit stored from a saved copy, with no HTTP exchange), served as a 200 of its WARC Content-Type."""
    return StatusAndHeaders(
        "200 OK", [("Content-Type", content_type)] if content_type else [], protocol="HTTP/1.1"
    )


def _revisit(record: Any, url: str) -> Revisit:
    headers = record.rec_headers
    return Revisit(
        refers_to=headers.get_header("WARC-Refers-To"),
        target_uri=headers.get_header("WARC-Refers-To-Target-URI") or url,
        payload_digest=headers.get_header("WARC-Payload-Digest"),
        has_http=record.http_headers is not None,
    )


def recover_open_files(directory: Path, counters: Counter[str] | None = None) -> list[Path]:
    """Close WARC files a crash left open: keep their whole records, drop a torn tail.

    Each file that had a torn tail is counted in ``counters`` (``warc/torn``), as the readers do.
    """
    recovered = []
    for path in sorted(directory.glob("*" + OPEN_SUFFIX)) if directory.exists() else []:
        end = _last_whole_record_end(path)
        if end < path.stat().st_size and counters is not None:
            counters["warc/torn"] += 1
        with open(path, "r+b") as handle:
            handle.truncate(end)
        final = path.with_name(path.name[: -len(OPEN_SUFFIX)])
        if end == 0:
            path.unlink()
        else:
            path.rename(final)
            recovered.append(final)
        logger.warning("recovered %s: kept %d bytes of whole records", path.name, end)
    return recovered


def _last_whole_record_end(path: Path) -> int:
    """Where the last record whose block is all there ends (0: none is)."""
    end = 0
    with open(path, "rb") as stream:
        iterator = archive_records(stream)
        try:
            for record in iterator:
                if not is_whole(record):
                    break  # cut inside its gzip member or its body: the torn tail starts here
                iterator.read_to_end(record)
                end = iterator.get_record_offset() + iterator.get_record_length()
        except Exception:  # the torn tail: stop at the last record read whole
            pass
    return end

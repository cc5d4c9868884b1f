"""A lean reader of gzip WARCs written a record per gzip member, the usual kind (ours, Heritrix's, wget's).

warcio reads a record through layers of buffered Python readers (a readline per header line, a
digest update per 16 KB): 1.7 ms a 100 KB response, as much CPU as the zlib inflate and SHA-1
underneath it. Here each member is inflated in one piece, its WARC and HTTP headers split, its
digests checked with one hash each. Only a plain record takes that way: ASCII headers without
continuation lines, one record filling its member exactly, no Content- or Transfer-Encoding, SHA-1
digests in base 32, no revisit, no segment. Any other record is handed to warcio on its own bytes,
and a file that is no gzip WARC, or a member that is cut short or followed by bytes that are no
member, to warcio from there on: what warcio reads, and what :func:`crawler.warc.iter_captures`
counts and logs, stays the one definition of every odd case.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from crawler.urls import is_http_url
from crawler.warc import (
    CAPTURE_COUNTERS,
    WarcCapture,
    archive_records,
    flushed,
    iter_captures,
    parse_warc_date,
    record_capture,
    skip_not_http,
    take_record,
)
from crawler.warc_read import stream_end

logger = logging.getLogger(__name__)
GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 16
# A member inflating to more is no single record of a page (or the whole file in one member): warcio streams it.
_MEMBER_LIMIT = 1 << 26
_WARC_VERSIONS = (b"WARC/1.0\r\n", b"WARC/1.1\r\n")
_HTTP_VERSIONS = (b"HTTP/1.0 ", b"HTTP/1.1 ")
_END = b"\r\n\r\n"
_BASE32 = re.compile("[A-Z2-7]{32}")  # 160 bits, no padding
_BASE32_DIGITS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghijklmnopqrstuv")


@dataclass
class _Member:
    offset: int  # where the gzip member starts in the file
    data: bytes  # its inflated bytes
    whole: bool  # False: cut short, or not a gzip member at all


@dataclass
class PlainRecord:
    """A record read here: its WARC headers (lower-case names, the first of each) and block."""

    type: str
    headers: dict[str, str]
    block: bytes
    data: bytes  # the whole record, for warcio when its HTTP part is not plain


class RecordObserver(Protocol):
    """Shown every record of a file as it is read, beside its captures (a build's media index)."""

    def plain(self, path: Path, offset: int, record: PlainRecord) -> None:
        """A plain record, at ``offset`` in ``path``."""

    def rest(self, path: Path, offset: int) -> None:
        """The records from ``offset`` on are not plain (none was, when 0): the observer reads them itself."""


def iter_warc_captures(
    path: Path,
    counters: Counter[str] | None = None,
    max_bytes: int = 0,
    observer: RecordObserver | None = None,
) -> Iterator[WarcCapture]:
    """What :func:`crawler.warc.iter_captures` yields and counts for ``path``, read leaner when it is a gzip WARC;
    ``observer`` is shown its records."""
    counters = counters if counters is not None else Counter()
    with open(path, "rb") as raw:
        if not is_gzip_warc(raw):
            if observer is not None:
                observer.rest(path, 0)
            yield from iter_captures(path, counters, max_bytes)
            return
        pending: dict[str, WarcCapture] = {}
        try:
            for offset, plain in plain_records(raw):
                if plain is None:
                    if observer is not None:
                        observer.rest(path, offset)
                    yield from _warcio_from(path, raw, offset, pending, counters, max_bytes)
                    break
                if observer is not None:
                    observer.plain(path, offset, plain)
                yield from _record(path, plain, pending, counters, max_bytes)
        except Exception as exc:  # as iter_captures: framing too broken to find the next record
            counters["warc/unreadable"] += 1
            logger.warning("%s: stopped reading at a damaged record (%s)", path, exc)
    yield from pending.values()


def plain_records(raw: BinaryIO) -> Iterator[tuple[int, PlainRecord | None]]:
    """``(offset, record)`` of each gzip member of a gzip WARC while its record is plain; then, if the file does
    not end there, ``(offset, None)``: read on from there with warcio (a member cut short, or not plain)."""
    raw.seek(0)
    for member in _members(raw):
        plain = _plain(member.data) if member.whole else None
        yield member.offset, plain
        if plain is None:
            return


def is_gzip_warc(raw: BinaryIO) -> bool:
    """Whether the file is gzip whose first member inflates to a WARC record."""
    raw.seek(0)
    return raw.read(2) == GZIP_MAGIC and _first_is_warc(raw)


def _first_is_warc(raw: BinaryIO) -> bool:
    """Whether the first member (``raw`` at its start, past the magic) inflates to a WARC record."""
    raw.seek(0)
    try:
        head = zlib.decompressobj(zlib.MAX_WBITS + 16).decompress(raw.read(_CHUNK), 16)
    except zlib.error:
        return False
    return head.startswith(_WARC_VERSIONS)


def _members(raw: BinaryIO) -> Iterator[_Member]:
    """Each gzip member from the file's start, inflated; the last one yielded not whole ends the file's reading."""
    buffer = b""  # compressed bytes read but not yet inflated
    while True:
        if not buffer:
            buffer = raw.read(_CHUNK)
            if not buffer:
                return
        offset = raw.tell() - len(buffer)
        if not buffer.startswith(GZIP_MAGIC) and len(buffer) >= 2:
            yield _Member(offset, b"", False)
            return
        inflater = zlib.decompressobj(zlib.MAX_WBITS + 16)
        parts: list[bytes] = []
        size = 0
        try:
            while not inflater.eof and size <= _MEMBER_LIMIT:
                if not buffer:
                    buffer = raw.read(_CHUNK)
                    if not buffer:
                        break
                parts.append(inflater.decompress(buffer))
                size += len(parts[-1])
                buffer = inflater.unused_data
        except zlib.error:
            inflater = None
        if inflater is None or not inflater.eof:
            yield _Member(offset, b"", False)
            return
        yield _Member(offset, b"".join(parts), True)


def _record(path: Path, plain: PlainRecord, pending: dict[str, WarcCapture], counters: Counter[str],
            max_bytes: int) -> Iterator[WarcCapture]:  # fmt: skip
    """The captures a record completes (as iter_captures' loop: a response waits for its metadata)."""
    counters["warc/records"] += 1
    if plain.type in ("response", "resource"):
        capture = _plain_capture(path, plain, counters, max_bytes)
        if capture is not None:
            counters[CAPTURE_COUNTERS[plain.type]] += 1
            yield from flushed(pending)
            pending[capture.record_id] = capture
    elif plain.type == "metadata":
        target = plain.headers.get("warc-concurrent-to")
        if target in pending and _digest_ok(plain.headers.get("warc-block-digest"), plain.block):
            with contextlib.suppress(ValueError):
                pending[target].metadata = json.loads(plain.block or b"{}")


def _plain(data: bytes) -> PlainRecord | None:
    """The record if it is plain (see the module's docstring); None to leave it to warcio."""
    if not data.startswith(_WARC_VERSIONS):
        return None
    end = data.find(_END)
    headers = _headers(data[10:end]) if end > 0 else None
    if headers is None or "warc-segment-number" in headers:
        return None
    kind, length = headers.get("warc-type"), headers.get("content-length", "")
    start = end + 4
    if kind is None or kind == "revisit" or not length.isdigit() or len(data) != start + int(length) + 4:
        return None
    if not data.endswith(_END):
        return None
    for name in ("warc-block-digest", "warc-payload-digest"):
        if name in headers and _sha1_base32(headers[name]) is None:
            return None
    return PlainRecord(kind, headers, data[start : start + int(length)], data)


def _headers(section: bytes) -> dict[str, str] | None:
    """``Name: value`` lines as warcio parses them (names lower-cased, the first value of each); None if not plain."""
    if not section.isascii():
        return None
    text = section.decode("ascii")
    newlines = text.count("\r\n")
    if text.count("\r") != newlines or text.count("\n") != newlines:  # a bare CR or LF
        return None
    headers: dict[str, str] = {}
    for line in text.split("\r\n"):
        name, colon, value = line.partition(":")
        if not colon or line[0] in " \t":  # a continuation line, or none of a header
            return None
        headers.setdefault(name.rstrip(" \t").lower(), value.strip())
    return headers


def _sha1_base32(digest: str) -> int | None:
    """A ``sha1:`` base-32 digest as a number; None for any other form (warcio checks those).

    (``int(..., 32)`` on the digits mapped to 0-9a-v: ``base64.b32decode``, in Python, took 40 us.)
    """
    algorithm, _, value = digest.partition(":")
    if algorithm.lower() != "sha1" or not _BASE32.fullmatch(value):
        return None
    return int(value.translate(_BASE32_DIGITS), 32)


def _digest_ok(digest: str | None, data: bytes) -> bool:
    return digest is None or int.from_bytes(hashlib.sha1(data).digest(), "big") == _sha1_base32(digest)


@dataclass
class PlainHttp:
    """A plain response's HTTP part: status, headers (lower-case names, the first of each), body as sent."""

    status: int
    headers: dict[str, str]
    body: bytes


def plain_http(plain: PlainRecord) -> PlainHttp | None:
    """The HTTP part of a response without Content- or Transfer-Encoding and plain headers; None to ask warcio."""
    block = plain.block
    line_end, http_end = block.find(b"\r\n"), block.find(_END)
    if not block.startswith(_HTTP_VERSIONS) or http_end < 0:
        return None
    headers = _headers(block[line_end + 2 : http_end])
    status = block[9:line_end].split(b" ", 1)[0]
    if (
        headers is None
        or "content-encoding" in headers
        or "transfer-encoding" in headers
        or not status.isdigit()
    ):
        return None
    return PlainHttp(int(status), headers, block[http_end + 4 :])


def _resource_http(plain: PlainRecord) -> PlainHttp:
    """A resource record as :func:`crawler.warc.resource_http` reads it: its block, a 200 of its WARC Content-Type."""
    content_type = plain.headers.get("content-type")
    return PlainHttp(200, {"content-type": content_type} if content_type else {}, plain.block)


def _plain_capture(
    path: Path, plain: PlainRecord, counters: Counter[str], max_bytes: int
) -> WarcCapture | None:
    """As :func:`crawler.warc.record_capture` for a plain response or resource; a response whose HTTP part
    is not plain goes to warcio."""
    headers = plain.headers
    url = headers.get("warc-target-uri", "")
    http = plain_http(plain) if plain.type == "response" else _resource_http(plain)
    if "warc-record-id" not in headers or url.startswith("<") or " " in url or http is None:
        return _warcio_capture(path, plain, counters, max_bytes)
    if not is_http_url(url):
        return skip_not_http(path, url, plain.type, counters)
    length = headers.get("content-length", "0")
    if max_bytes and int(length) > max_bytes:
        counters["warc/too_large"] += 1
        logger.warning("%s: skipping %s: %s bytes, over the limit of %d", path, url, length, max_bytes)
        return None
    body = http.body
    payload_digest = headers.get("warc-payload-digest")
    if not _digest_ok(payload_digest, body):
        counters["warc/payload_digest_mismatch"] += 1
    try:
        date = parse_warc_date(headers.get("warc-date", ""))
    except Exception as exc:  # a bad date
        counters["warc/unreadable_record"] += 1
        logger.warning("%s: skipping unreadable record %s (%s)", path, url, exc)
        return None
    if not _digest_ok(headers.get("warc-block-digest"), plain.block):
        counters["warc/torn"] += 1
        logger.warning("%s: dropping torn record %s (body shorter than its Content-Length, or bad block digest)",
                       path, url)  # fmt: skip
        return None
    truncated = headers.get("warc-truncated")
    if truncated:
        counters["warc/truncated"] += 1
        logger.warning(
            "%s: %s was truncated by its crawler (%s): parsing what was kept", path, url, truncated
        )
    return WarcCapture(url=url, status=http.status, content_type=http.headers.get("content-type"), body=body,
                       date=date, record_id=headers["warc-record-id"], metadata={}, location=http.headers.get("location"),
                       payload_digest=payload_digest)  # fmt: skip


def _warcio_capture(
    path: Path, plain: PlainRecord, counters: Counter[str], max_bytes: int
) -> WarcCapture | None:
    """A response whose HTTP part is not plain (chunked, compressed...), read by warcio from its member's bytes."""
    record = next(iter(archive_records(io.BytesIO(plain.data), arc2warc=True)))
    return record_capture(path, record, counters, max_bytes)


def _warcio_from(path: Path, raw: BinaryIO, offset: int, pending: dict[str, WarcCapture], counters: Counter[str],
                 max_bytes: int) -> Iterator[WarcCapture]:  # fmt: skip
    """The rest of the file from ``offset`` (a member cut short, or bytes that are no member), read by warcio."""
    raw.seek(offset)
    iterator = archive_records(raw, arc2warc=True)
    for record in iterator:
        yield from take_record(path, record, pending, counters, max_bytes)
    if iterator.offset < stream_end(raw):  # a last record cut before its headers ended (offsets: the file's)
        counters["warc/torn"] += 1
        logger.warning("%s: dropping a torn last record (from byte %d)", path, iterator.offset)

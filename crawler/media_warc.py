"""The media a crawl fetched, as its WARCs hold them: a file's record from its bytes, the index
of a build (``MediaIndex``), a file's bytes read back (``read_payload``).

A crawl records each download in its ledger (:func:`record_of_body`); a build reads the same
facts back from the WARC: the response record, or the metadata record of a download that
gave none (``META_MEDIA_OUTCOME``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import itertools
import json
import logging
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, BinaryIO

from crawler.parsers.media import image_size, kind_of_mime, sniff_mime
from crawler.urls import canonicalize, is_http_url
from crawler.wacz import open_warc
from crawler.warc import META_KIND, META_MEDIA_KIND, META_MEDIA_URL, META_ORIGINAL
from crawler.warc_lean import PlainRecord, plain_http
from crawler.warc_read import is_zstd
from crawler.wayback.replay import split_replay_url
from pipelines.media import MediaRecord, merge
from schemas.media import FETCHED, WRONG_TYPE, MediaKind
from schemas.output import OutputDir

logger = logging.getLogger(__name__)

META_MEDIA_OUTCOME = "blogarchive_media_outcome"  # WARC metadata of a download that gave no response
MEDIA = "media"  # the crawl kind (META_KIND) of a media request


def expected_kind(mime: str | None, kind: str) -> bool:
    """True when the sniffed type is of the kind asked (an Ogg file passes for audio or video)."""
    found = kind_of_mime(mime)
    if found is None:
        return False
    return found.value == kind or {found.value, kind} <= {MediaKind.AUDIO.value, MediaKind.VIDEO.value}


def record_of_body(url: str, kind: str, body: bytes) -> MediaRecord:
    """What a 200 response's bytes are: a file of the kind asked (fetched) or not (wrong_type)."""
    mime = sniff_mime(body[:1024])
    if not expected_kind(mime, kind):
        return MediaRecord(url, kind, WRONG_TYPE, mime=mime, bytes=len(body))
    width, height = image_size(body) if kind == MediaKind.IMAGE.value else (None, None)
    return MediaRecord(url, kind, FETCHED, hashlib.sha256(body).hexdigest(), mime, len(body), width, height)


class MediaIndex:
    """Every media download recorded in a build's WARCs, one record per file (see :func:`merge`): a
    :class:`crawler.warc_lean.RecordObserver` of the build's one read of its WARCs.

    The index read the WARCs a second time, in a process of its own: 1 s of CPU for the 800-post
    benchmark's WARC (its every page inflated again), on a build bound by its 2 cores' CPU. A file's
    records that are not plain, and those after them (a WARC that is no gzip one, a cut member), are
    read again by warcio, on a thread of its own beside the pages. Media downloads are blogarchive's
    own records (gzip WARCs): a zstd one (ArchiveTeam) holds none.
    """

    def __init__(self, locations: dict[Path, str] | None = None) -> None:
        # Where each file's records stay (``crawler.wacz.unpacked``: a WACZ's copied WARCs are removed after the build)
        self._locations = locations or {}
        self._parts: list[list[MediaRecord]] = []  # in reading order: a file's plain records, then its rest
        self._scans: dict[Path, _Scan | None] = {}  # None: stopped at a damaged record
        self._rests: list[threading.Thread] = []

    def plain(self, path: Path, offset: int, record: PlainRecord) -> None:
        scan = self._scan(path)
        if scan is not None:
            self._read(path, _plain_record(scan, record, offset), self._parts[-1])

    def rest(self, path: Path, offset: int) -> None:
        scan = self._scan(path)
        if scan is None or is_zstd(path):
            return
        part: list[MediaRecord] = []
        self._parts.append(part)
        thread = threading.Thread(target=self._read_rest, args=(path, scan, offset, part), name="media-index",
                                  daemon=True)  # fmt: skip
        thread.start()
        self._rests.append(thread)

    def records(self) -> list[MediaRecord]:
        for thread in self._rests:
            thread.join()
        self._parts.append([r for scan in self._scans.values() if scan is not None for r in scan.finish()])
        found: dict[str, MediaRecord] = {}
        for record in (r for part in self._parts for r in part):
            found[record.url] = merge(found.get(record.url), record)
        return list(found.values())

    def _scan(self, path: Path) -> _Scan | None:
        if path not in self._scans:
            location = self._locations.get(path) or str(path.resolve())
            self._scans[path] = _Scan(location.removesuffix(".open"))
            self._parts.append([])
        return self._scans[path]

    def _read_rest(self, path: Path, scan: _Scan, offset: int, part: list[MediaRecord]) -> None:
        with open(path, "rb") as stream:
            self._read(path, itertools.chain(_warcio_records(scan, stream, offset), scan.finish()), part)

    def _read(self, path: Path, records: Iterator[MediaRecord], part: list[MediaRecord]) -> None:
        try:
            for record in records:
                part.append(record)
        except Exception as exc:  # warcio raises assorted errors on a torn tail
            logger.warning("%s: stopped reading media at a damaged record (%s)", path, exc)
            self._scans[path] = None


@dataclass
class _Response:
    record_id: str | None
    offset: int
    status: int
    body: bytes  # a 200's
    url: str
    content_type: str | None
    claimed: bool = False  # a metadata record of ours named it: the crawl's own fetch


class _Scan:
    """One WARC's media records, from its records in order: a response waits for its metadata record.

    A response no metadata record claims is another tool's capture (a browser's crawl holds every picture
    of its pages): a picture, a sound or a video by its type is indexed under its URL (a replayed one's
    original) when the next response comes, or the file ends (:meth:`finish`).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.pending: _Response | None = None

    def response(self, record_id: str | None, offset: int, status: int, body: bytes, url: str,
                 content_type: str | None) -> Iterator[MediaRecord]:  # fmt: skip
        yield from self.finish()
        self.pending = _Response(record_id, offset, status, body if status == 200 else b"", url, content_type)

    def finish(self) -> Iterator[MediaRecord]:
        """The last response's file, if it is another tool's capture of one."""
        pending, self.pending = self.pending, None
        if pending is None or pending.claimed or pending.status != 200 or not is_http_url(pending.url):
            return
        kind = kind_of_mime((pending.content_type or "").split(";", 1)[0].strip().lower())
        if kind is not None:
            replay = split_replay_url(pending.url)
            yield _located(
                canonicalize(replay.original if replay else pending.url), kind.value, pending, self.name
            )

    def metadata(self, payload: bytes, target_uri: str | None, concurrent_to: str | None,
                 offset: int) -> Iterator[MediaRecord]:  # fmt: skip
        pending = self.pending
        if pending is not None and concurrent_to == pending.record_id:
            pending.claimed = True
        meta = _json(payload)
        if meta.get(META_KIND) != MEDIA:
            return
        url = meta.get(META_MEDIA_URL) or meta.get(META_ORIGINAL) or target_uri
        kind = meta.get(META_MEDIA_KIND) or MediaKind.IMAGE.value
        if concurrent_to is None and META_MEDIA_OUTCOME in meta:
            yield MediaRecord(url, kind, meta[META_MEDIA_OUTCOME], warc_file=self.name, warc_offset=offset)
        elif pending is not None and concurrent_to == pending.record_id and not 300 <= pending.status < 400:
            yield _located(url, kind, pending, self.name)


def _plain_record(scan: _Scan, plain: PlainRecord, offset: int) -> Iterator[MediaRecord]:
    uri = plain.headers.get("warc-target-uri", "")
    http = plain_http(plain) if plain.type == "response" else None
    if uri.startswith("<") or " " in uri or (plain.type == "response" and http is None):
        # What warcio reads otherwise (a URI it rewrites, an encoded or odd HTTP part): warcio reads it.
        yield from _warcio_records(scan, io.BytesIO(plain.data), 0, offset)
    elif plain.type == "response" and http is not None and uri.startswith(("http:", "https:")):
        yield from scan.response(plain.headers.get("warc-record-id"), offset, http.status, http.body, uri,
                                 http.headers.get("content-type"))  # fmt: skip
    elif plain.type == "resource" and uri.startswith(("http:", "https:")):  # a file, no exchange (warcit)
        yield from scan.response(plain.headers.get("warc-record-id"), offset, 200, plain.block, uri,
                                 plain.headers.get("content-type"))  # fmt: skip
    elif plain.type == "metadata":
        yield from scan.metadata(plain.block, uri, plain.headers.get("warc-concurrent-to"), offset)


def _warcio_records(
    scan: _Scan, stream: BinaryIO, start: int, offset: int | None = None
) -> Iterator[MediaRecord]:
    """The records of ``stream`` from ``start`` read by warcio (``offset``: the file's offset of a lone record)."""
    from warcio.archiveiterator import ArchiveIterator

    stream.seek(start)
    iterator = ArchiveIterator(stream, arc2warc=True)
    for record in iterator:
        headers = record.rec_headers
        uri = headers.get_header("WARC-Target-URI") or ""
        if record.rec_type == "response" and record.http_headers is not None:
            status = int(record.http_headers.get_statuscode() or 0)
            body = record.content_stream().read() if status == 200 else b""
            yield from scan.response(headers.get_header("WARC-Record-ID"), _offset(iterator, offset), status, body,
                                     uri, record.http_headers.get_header("Content-Type"))  # fmt: skip
        elif record.rec_type == "resource" and uri.startswith(("http:", "https:")):
            yield from scan.response(headers.get_header("WARC-Record-ID"), _offset(iterator, offset), 200,
                                     record.content_stream().read(), uri, headers.get_header("Content-Type"))  # fmt: skip
        elif record.rec_type == "metadata":
            payload = record.content_stream().read()
            yield from scan.metadata(payload, headers.get_header("WARC-Target-URI"),
                                     headers.get_header("WARC-Concurrent-To"), _offset(iterator, offset))  # fmt: skip


def _offset(iterator: Any, offset: int | None) -> int:
    # Once its content is read: warcio's get_record_offset reads the record to its end first.
    return iterator.get_record_offset() if offset is None else offset


def _located(url: str, kind: str, response: _Response, name: str) -> MediaRecord:
    status = response.status
    record = (
        record_of_body(url, kind, response.body)
        if status == 200
        else MediaRecord(url, kind, f"http_{status}")
    )
    return MediaRecord(**(asdict(record) | {"warc_file": name, "warc_offset": response.offset}))


def _json(payload: bytes) -> dict[str, Any]:
    with contextlib.suppress(ValueError):
        value = json.loads(payload or b"{}")
        if isinstance(value, dict):
            return value
    return {}


def read_payload(out: Path, record: MediaRecord) -> bytes:
    """The bytes of a fetched file, read back from its WARC record."""
    from warcio.archiveiterator import ArchiveIterator

    assert record.warc_file is not None and record.warc_offset is not None
    path = Path(record.warc_file)
    if not path.is_absolute():
        path = OutputDir(out).warc / path
    with open_warc(str(path)) as stream:
        stream.seek(record.warc_offset)
        for warc_record in ArchiveIterator(stream, arc2warc=True):
            return warc_record.content_stream().read()
    raise ValueError(f"no WARC record at {path}:{record.warc_offset}")

"""The media a crawl fetched, as its WARCs hold them: a file's record from its bytes, the index
of a build (``scan_warcs``), a file's bytes read back (``read_payload``).

A crawl records each download in its ledger (:func:`record_of_body`); a build reads the same
facts back from the WARC: the response record, or the metadata record of a download that
gave none (``META_MEDIA_OUTCOME``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from crawler.parsers.media import image_size, kind_of_mime, sniff_mime
from crawler.warc import META_KIND, META_MEDIA_KIND, META_MEDIA_URL, META_ORIGINAL, warc_files
from crawler.warc_read import is_zstd
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


def scan_warcs(paths: list[Path]) -> list[MediaRecord]:
    """Every media download recorded in these WARCs, one record per file (see :func:`merge`)."""
    found: dict[str, MediaRecord] = {}
    # Media downloads are blogarchive's own records (gzip WARCs): a zstd one (ArchiveTeam) holds none.
    for path in (p for p in warc_files(paths) if not is_zstd(p)):
        for record in _media_records(path):
            found[record.url] = merge(found.get(record.url), record)
    return list(found.values())


def _media_records(path: Path) -> Iterator[MediaRecord]:
    """Media records of one WARC: a response and its metadata record, or a lone outcome record."""
    from warcio.archiveiterator import ArchiveIterator

    pending: tuple[str, int, int, bytes] | None = None  # record id, offset, status, body
    name = str(path.resolve()).removesuffix(".open")
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream, arc2warc=True)
        try:
            for record in iterator:
                headers = record.rec_headers
                if record.rec_type == "response" and record.http_headers is not None:
                    status = int(record.http_headers.get_statuscode() or 0)
                    body = record.content_stream().read() if status == 200 else b""
                    pending = (
                        headers.get_header("WARC-Record-ID"),
                        iterator.get_record_offset(),
                        status,
                        body,
                    )
                elif record.rec_type == "metadata":
                    meta = _json(record.content_stream().read())
                    if meta.get(META_KIND) != MEDIA:
                        continue
                    url = (
                        meta.get(META_MEDIA_URL)
                        or meta.get(META_ORIGINAL)
                        or headers.get_header("WARC-Target-URI")
                    )
                    kind = meta.get(META_MEDIA_KIND) or MediaKind.IMAGE.value
                    target = headers.get_header("WARC-Concurrent-To")
                    if target is None and META_MEDIA_OUTCOME in meta:
                        yield MediaRecord(url, kind, meta[META_MEDIA_OUTCOME], warc_file=name,
                                          warc_offset=iterator.get_record_offset())  # fmt: skip
                    elif pending is not None and target == pending[0] and not 300 <= pending[2] < 400:
                        yield _located(url, kind, pending, name)
        except Exception as exc:  # warcio raises assorted errors on a torn tail
            logger.warning("%s: stopped reading media at a damaged record (%s)", path, exc)


def _located(url: str, kind: str, pending: tuple[str, int, int, bytes], name: str) -> MediaRecord:
    _, offset, status, body = pending
    record = record_of_body(url, kind, body) if status == 200 else MediaRecord(url, kind, f"http_{status}")
    return MediaRecord(**(asdict(record) | {"warc_file": name, "warc_offset": offset}))


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
    with open(path, "rb") as stream:
        stream.seek(record.warc_offset)
        for warc_record in ArchiveIterator(stream, arc2warc=True):
            return warc_record.content_stream().read()
    raise ValueError(f"no WARC record at {path}:{record.warc_offset}")

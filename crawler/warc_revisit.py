"""Captures of many archive files, ``revisit`` records given the payload they refer to.

Deduplicating crawlers (Heritrix, ArchiveTeam's wget-lua, wget ``--warc-dedup``) store a page
unchanged since an earlier capture as a ``revisit`` record: HTTP headers, no body, and where the
body is — the record id (``WARC-Refers-To``) or the URI (``WARC-Refers-To-Target-URI``, else its
own) with the payload digest. A post captured only as a revisit must still give its row.

Responses are yielded as they are read, each indexed by a 64-bit hash of its record id and of its
(URI, payload digest) — a few dozen bytes a record, not its body. Revisits wait to the end (their
original may come later, in another file), then each file holding originals is read once more and
the match checked on the record itself (a hash collision gives no wrong body). A revisit whose
original is in none of the inputs is counted (``warc/revisit_unresolved``) and logged with its URL.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from crawler.warc import Revisit, WarcCapture, iter_captures, warc_files

logger = logging.getLogger(__name__)


def read_captures(paths: list[Path], counters: Counter[str], max_bytes: int = 0) -> Iterator[WarcCapture]:
    """Every capture of the archive files under ``paths`` (name order), then the resolved revisits."""
    files = warc_files(paths)
    index: dict[int, int] = {}  # hash of an id or (URI, digest) -> the file holding that response
    revisits: list[WarcCapture] = []
    for number, path in enumerate(files):
        for capture in iter_captures(path, counters, max_bytes):
            if capture.revisit is not None:
                revisits.append(capture)
                continue
            for key in _keys(capture.record_id, capture.url, capture.payload_digest):
                index.setdefault(key, number)
            yield capture
    yield from _resolve(files, revisits, index, counters, max_bytes)


def _keys(record_id: str | None, url: str, digest: str | None) -> list[int]:
    keys = [hash(("id", record_id))] if record_id else []
    return keys + ([hash(("uri", url, digest.lower()))] if digest else [])


def _refers(revisit: Revisit) -> list[int]:
    """The index keys of a revisit's original, the record id first."""
    by_id = _keys(revisit.refers_to, "", None)
    return by_id + _keys(None, revisit.target_uri, revisit.payload_digest)


def _is_original(revisit: Revisit, capture: WarcCapture) -> bool:
    if revisit.refers_to and capture.record_id == revisit.refers_to:
        return True
    digest = (revisit.payload_digest or "").lower()
    return (
        bool(digest)
        and capture.url == revisit.target_uri
        and (capture.payload_digest or "").lower() == digest
    )


def _resolve(files: list[Path], revisits: list[WarcCapture], index: dict[int, int], counters: Counter[str],
             max_bytes: int) -> Iterator[WarcCapture]:  # fmt: skip
    waiting: dict[int, list[WarcCapture]] = defaultdict(
        list
    )  # file number -> revisits whose original is there
    for capture in revisits:
        assert capture.revisit is not None
        number = next((index[k] for k in _refers(capture.revisit) if k in index), None)
        if number is None:
            _unresolved(capture, counters)
        else:
            waiting[number].append(capture)
    for number in sorted(waiting):
        left = waiting[number]
        for original in iter_captures(files[number], Counter(), max_bytes):  # counted on the first read
            if original.revisit is not None:
                continue
            matched = [r for r in left if _is_original(r.revisit, original)]  # type: ignore[arg-type]
            left = [r for r in left if all(r is not m for m in matched)]
            for capture in matched:
                counters["warc/revisit_resolved"] += 1
                yield _with_payload(capture, original)
            if not left:
                break
        for capture in left:
            _unresolved(capture, counters)


def _with_payload(revisit: WarcCapture, original: WarcCapture) -> WarcCapture:
    """The revisit as a response: its URL, date and id, the original's body (and status when it has none)."""
    assert revisit.revisit is not None
    own_status = revisit.revisit.has_http and revisit.status not in (
        0,
        304,
    )  # 304: server-not-modified profile
    return replace(
        revisit,
        body=original.body,
        status=revisit.status if own_status else original.status,
        content_type=revisit.content_type if own_status and revisit.content_type else original.content_type,
        location=revisit.location if own_status else original.location,
        revisit=None,
    )


def _unresolved(capture: WarcCapture, counters: Counter[str]) -> None:
    counters["warc/revisit_unresolved"] += 1
    logger.warning("revisit_unresolved: %s (its original, %s, is in none of the inputs)", capture.url,
                   capture.revisit.refers_to if capture.revisit and capture.revisit.refers_to else "by digest")  # fmt: skip

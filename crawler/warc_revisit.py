"""Captures of many archive files, ``revisit`` records given the payload they refer to.

Deduplicating crawlers (Heritrix, ArchiveTeam's wget-lua, wget ``--warc-dedup``) store a page
unchanged since an earlier capture as a ``revisit`` record: HTTP headers, no body, and where the
body is — the record id (``WARC-Refers-To``) or the URI (``WARC-Refers-To-Target-URI``, else its
own) with the payload digest. A post captured only as a revisit must still give its row.

Responses are yielded as they are read, each indexed by 40 bits of the hash of its record id and of
its (URI, payload digest) with its file's number — 16 bytes a response, not its body. Revisits wait
to the end (their original may come later, in another file), then each file that may hold originals
is read once more and the match checked on the record itself (a hash collision costs a file read,
never a wrong body). A revisit whose
original is in none of the inputs is counted (``warc/revisit_unresolved``) and logged with its URL.
"""

from __future__ import annotations

import logging
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np

from crawler.warc import Revisit, WarcCapture, warc_files
from crawler.warc_lean import RecordObserver, iter_warc_captures

logger = logging.getLogger(__name__)
_FILE_BITS = 24  # up to 16 million input files
_FILE_MASK = (1 << _FILE_BITS) - 1
# 40 bits of a key's hash: a collision costs a file read, never a body
_HASH_MASK = (1 << (64 - _FILE_BITS)) - 1


def read_captures(
    paths: list[Path], counters: Counter[str], max_bytes: int = 0, observer: RecordObserver | None = None
) -> Iterator[WarcCapture]:
    """Every capture of the archive files under ``paths`` (name order), then the resolved revisits;
    ``observer`` is shown each file's records once (not on the reads that resolve revisits)."""
    files = warc_files(paths)
    # Per response: the hash of its id, and of its URI + digest, each << _FILE_BITS | its file's number.
    index = array("Q")
    revisits: list[WarcCapture] = []
    for number, path in enumerate(files):
        for capture in iter_warc_captures(path, counters, max_bytes, observer):
            if capture.revisit is not None:
                revisits.append(capture)
                continue
            index.extend(
                _entry(key, number) for key in _keys(capture.record_id, capture.url, capture.payload_digest)
            )
            yield capture
    if revisits:
        yield from _resolve(files, revisits, index, counters, max_bytes)


def _keys(record_id: str | None, url: str, digest: str | None) -> list[int]:
    keys = [hash(("id", record_id))] if record_id else []
    return keys + ([hash(("uri", url, digest.lower()))] if digest else [])


def _entry(key: int, number: int) -> int:
    return ((key & _HASH_MASK) << _FILE_BITS) | number


def _candidates(revisit: Revisit, table: np.ndarray) -> set[int]:
    """The files holding a response with the id or (URI, digest) the revisit refers to (by hash)."""
    keys = _keys(revisit.refers_to, "", None) + _keys(None, revisit.target_uri, revisit.payload_digest)
    found: set[int] = set()
    for key in keys:
        start = int(np.searchsorted(table, np.uint64(_entry(key, 0)), side="left"))
        end = int(np.searchsorted(table, np.uint64(_entry(key, _FILE_MASK)), side="right"))
        found.update(int(value) & _FILE_MASK for value in table[start:end])
    return found


def _wanted(revisits: list[WarcCapture], positions: list[int]) -> dict[tuple[str, ...], list[int]]:
    """The revisits at ``positions`` by what finds their original: ("id", record id), ("uri", URI, digest)."""
    wanted: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for position in positions:
        revisit = revisits[position].revisit
        assert revisit is not None
        if revisit.refers_to:
            wanted[("id", revisit.refers_to)].append(position)
        if revisit.payload_digest:
            wanted[("uri", revisit.target_uri, revisit.payload_digest.lower())].append(position)
    return wanted


def _resolve(files: list[Path], revisits: list[WarcCapture], index: array, counters: Counter[str],
             max_bytes: int) -> Iterator[WarcCapture]:  # fmt: skip
    table = np.sort(np.frombuffer(index, dtype=np.uint64))
    waiting: dict[int, list[int]] = defaultdict(list)  # file number -> revisits (their positions) maybe there
    for position, capture in enumerate(revisits):
        assert capture.revisit is not None
        for number in _candidates(capture.revisit, table):
            waiting[number].append(position)
    resolved: set[int] = set()
    for number in sorted(waiting):
        wanted = _wanted(revisits, [p for p in waiting[number] if p not in resolved])
        # A fresh Counter: these records were counted on the first read.
        originals = iter_warc_captures(files[number], Counter(), max_bytes) if wanted else ()
        for original in originals:
            if original.revisit is not None:
                continue
            digest = (original.payload_digest or "").lower()
            found = wanted.pop(("id", original.record_id), []) + wanted.pop(("uri", original.url, digest), [])
            for position in dict.fromkeys(found):  # once each, in order
                if position not in resolved:
                    counters["warc/revisit_resolved"] += 1
                    resolved.add(position)
                    yield _with_payload(revisits[position], original)
            if not wanted:
                break
    for position, capture in enumerate(revisits):
        if position not in resolved:
            _unresolved(capture, counters)


def _with_payload(revisit: WarcCapture, original: WarcCapture) -> WarcCapture:
    """The revisit as a response: its URL, date and id, the original's body (and status when it has none)."""
    assert revisit.revisit is not None
    # A 304 (the server-not-modified profile) or no HTTP headers: the original's status and type.
    own_status = revisit.revisit.has_http and revisit.status not in (0, 304)
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

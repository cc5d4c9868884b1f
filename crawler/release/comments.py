"""Comment rows of a snapshot, each with its own language, and the cache of those languages.

A comment's language is found once per text and detector: the cache maps the blake2b of a
text to its (language, score) and holds only what :func:`pipelines.language.detector_id`
found, the id the manifest records (``options.language_detector``). It lives in the
snapshots themselves: it is read from the comments config of the previous version
(``--previous``) and of the snapshot being replaced (``--force`` on the same folder) when
their manifest names the same detector, so a re-run or a next version detects only the new
texts, and the published files are the same with or without it (the detector is seeded).
Texts too short to tell are null at once, without langdetect; when many texts are left,
they are split among a process pool, one worker per usable core.
"""

from __future__ import annotations

import hashlib
import logging
import math
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from crawler.cores import usable_cores
from crawler.errors import UserError
from crawler.release.options import COMMENTS_CONFIG
from crawler.release.rows import read_parquet
from pipelines.language import Language, detect_languages, detector_id, worth_detecting
from schemas.comments import COMMENT_SCHEMA
from schemas.manifest import read_manifest

logger = logging.getLogger(__name__)

POOL_THRESHOLD = 2_000  # texts to detect before a process pool pays for its start
# Texts a pool task detects at least; a worker gets one task per call. The trials of a task's texts
# run in lockstep, and its last steps run with few texts left: 2,500-text tasks cost ~5% more than
# one call, 625-text ones (4 a worker) 60% more.
POOL_CHUNK = 1_000
DETECTOR_OPTION = "language_detector"  # the manifest's option naming the detector of its comments


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


class CommentLanguages:
    """Comment text -> language for one snapshot build: cached, else detected (in a pool when many)."""

    def __init__(self, known: dict[bytes, Language] | None = None, workers: int | None = None) -> None:
        self.known: dict[bytes, Language] = known if known is not None else {}
        self.workers = usable_cores() if workers is None else workers
        self.detected = 0  # texts given to the detector (not cached, not too short)
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> CommentLanguages:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def of(self, texts: list[str]) -> list[Language]:
        """Language of each text: from the cache, null when too short to tell, else detected."""
        missing = list(dict.fromkeys(t for t in texts if _text_key(t) not in self.known))
        self.known.update((_text_key(t), (None, None)) for t in missing if not worth_detecting(t))
        missing = [t for t in missing if worth_detecting(t)]
        self.known.update(zip(map(_text_key, missing), self._detect(missing)))
        self.detected += len(missing)
        return [self.known[_text_key(t)] for t in texts]

    def _detect(self, texts: list[str]) -> list[Language]:
        if not texts:
            return []
        if self.workers < 2 or len(texts) < POOL_THRESHOLD:
            return detect_languages(texts)
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers)
        size = max(POOL_CHUNK, math.ceil(len(texts) / self.workers))
        chunks = [texts[n : n + size] for n in range(0, len(texts), size)]
        return [found for part in self._pool.map(detect_languages, chunks) for found in part]


def known_languages(comments: pa.Table) -> dict[bytes, Language]:
    """Comment text -> language of a snapshot's comment rows."""
    columns = (comments[c].to_pylist() for c in ("text", "language", "language_score"))
    return {_text_key(text): (language, score) for text, language, score in zip(*columns)}


def cached_languages(*snapshots: Path | None) -> dict[bytes, Language]:
    """The languages of the comments of the snapshots that exist (the cache a build starts with)."""
    return {key: found for snapshot in snapshots if snapshot is not None and snapshot.is_dir()
            for key, found in _cached_in(snapshot).items()}  # fmt: skip


def _cached_in(snapshot: Path) -> dict[bytes, Language]:
    """The languages of a snapshot's comments, if its detector is this one (else none: they may differ)."""
    try:
        manifest = read_manifest(snapshot)
    except (OSError, ValueError) as exc:
        logger.info("%s: no cached comment languages (%s)", snapshot, exc)
        return {}
    if manifest.options.get(DETECTOR_OPTION) != detector_id():
        return {}
    files = [snapshot / f.path for f in manifest.data_files({COMMENTS_CONFIG})]
    try:
        tables = [read_parquet(f, ["text", "language", "language_score"]) for f in files]
    except UserError as exc:  # a damaged cache is no cache: the languages are found again
        logger.warning("%s: comment languages not reused (%s)", snapshot, exc)
        return {}
    return known_languages(pa.concat_tables(tables)) if tables else {}


def comment_rows(posts: pa.Table, languages: CommentLanguages) -> pa.Table:
    """One row per comment, in post then page order, with the comment's own language.

    Columns are taken from the posts' arrays (only the texts become Python strings, for their languages).
    """
    comments = posts["comments"].combine_chunks()
    flat = pc.list_flatten(comments)
    counts = pc.list_value_length(comments).to_numpy(zero_copy_only=False)
    position = np.arange(len(flat)) - np.repeat(np.cumsum(counts) - counts, counts)
    post = posts.select(["id", "url", "blog_url", "platform"]).take(pc.list_parent_indices(comments))
    found = languages.of(flat.field("text").to_pylist())
    columns = {"post_id": post["id"], "post_url": post["url"], "blog_url": post["blog_url"],
               "platform": post["platform"], "position": pa.array(position, pa.int32()),
               "comment_id": flat.field("id"), "parent_id": flat.field("parent_id"), "author": flat.field("author"),
               "author_url": flat.field("author_url"), "published": flat.field("published"),
               "text": flat.field("text"), "language": pa.array([language for language, _ in found], pa.string()),
               "language_score": pa.array([score for _, score in found], pa.float32())}  # fmt: skip
    return pa.table(columns, schema=COMMENT_SCHEMA)

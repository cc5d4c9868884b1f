"""Comment rows of a snapshot, each with its own language."""

from __future__ import annotations

import hashlib
from concurrent.futures import ProcessPoolExecutor

import pyarrow as pa

from pipelines.language import detect_language, worth_detecting
from schemas.comments import COMMENT_SCHEMA

POOL_THRESHOLD = 2_000  # texts to detect before a process pool pays for its start

Language = tuple[str | None, float | None]


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def detect_languages(texts: list[str], known: dict[bytes, Language]) -> list[Language]:
    """Language of each text: reused from ``known`` (e.g. the previous version), else detected,
    in a process pool when there are many (langdetect takes milliseconds a text). Texts too
    short to tell are null at once, without langdetect."""
    missing = list(dict.fromkeys(t for t in texts if _text_key(t) not in known))
    known.update((_text_key(t), (None, None)) for t in missing if not worth_detecting(t))
    missing = [t for t in missing if worth_detecting(t)]
    if len(missing) >= POOL_THRESHOLD:
        with ProcessPoolExecutor() as pool:
            found = list(pool.map(detect_language, missing, chunksize=256))
    else:
        found = [detect_language(t) for t in missing]
    known.update(zip(map(_text_key, missing), found))
    return [known[_text_key(t)] for t in texts]


def known_languages(comments: pa.Table) -> dict[bytes, Language]:
    """Comment text -> language of a previous version's comment rows."""
    columns = (comments[c].to_pylist() for c in ("text", "language", "language_score"))
    return {_text_key(text): (language, score) for text, language, score in zip(*columns)}


def comment_rows(posts: pa.Table, known: dict[bytes, Language]) -> pa.Table:
    """One row per comment, in post then page order, with the comment's own language."""
    rows = [
        {"post_id": post["id"], "post_url": post["url"], "blog_url": post["blog_url"], "platform": post["platform"],
         "position": position, "comment_id": comment["id"], "parent_id": comment["parent_id"],
         "author": comment["author"], "author_url": comment["author_url"], "published": comment["published"],
         "text": comment["text"]}
        for post in posts.select(["id", "url", "blog_url", "platform", "comments"]).to_pylist()
        for position, comment in enumerate(post["comments"])
    ]  # fmt: skip
    for row, (language, score) in zip(rows, detect_languages([r["text"] for r in rows], known)):
        row["language"], row["language_score"] = language, score
    return pa.Table.from_pylist(rows, schema=COMMENT_SCHEMA)

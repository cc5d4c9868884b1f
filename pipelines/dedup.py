"""Content hashes and the in-crawl duplicate filter."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any


def content_hash(title: str | None, text: str, comments: Iterable[Mapping[str, Any]] = ()) -> str:
    """sha256 of what a reader sees: title, normalized text and the comments' texts."""
    digest = hashlib.sha256()
    digest.update((title or "").encode())
    digest.update(b"\x00")
    digest.update(text.encode())
    for comment in comments:
        digest.update(b"\x00")
        digest.update((comment.get("author") or "").encode())
        digest.update(b"\x01")
        digest.update((comment.get("text") or "").encode())
    return digest.hexdigest()

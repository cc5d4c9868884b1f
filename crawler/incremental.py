"""Re-crawl decisions: which known posts need no fetch, and what a fetched post turned out to be.

A post found again by the enumeration is compared with what the ledger kept of it: fetched
already in this run (a resumed crawl), the same feed entry or listing block (its signature),
or the same ``updated`` time; otherwise it is asked again with its validators (``ETag``,
``Last-Modified``) and its content hash so far, to count it changed or unchanged.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime
from typing import Any

from crawler.ledger import KnownPost, Sighting
from crawler.parsers import get_parser
from crawler.urls import canonicalize, post_id
from schemas.origins import Origin
from schemas.segment import ORIGIN, PENDING_HTML

META_RECHECK = "blogarchive_recheck"  # a known post asked again: its content hash so far
SIGNED = (Origin.API, Origin.LISTING)  # the rows whose signature tells an unchanged post


def block_signature(row: dict[str, Any]) -> str:
    """What a feed entry or listing block shows of a post; equal signatures, unchanged post."""
    published = row["published"].isoformat() if row.get("published") else ""
    parts = (row.get("title") or "", row.get(PENDING_HTML) or row.get("text") or "", str(row.get("comment_count")),
             "\x1f".join(row.get("tags") or []), published)  # fmt: skip
    return hashlib.sha1("\x00".join(parts).encode()).hexdigest()


def signatures(rows: list[dict[str, Any]]) -> dict[str, tuple[int, str]]:
    """URL -> (origin, signature) of the feed entries and listing blocks of a page."""
    return {row["url"]: (row[ORIGIN], block_signature(row)) for row in rows if row[ORIGIN] in SIGNED}


def sighting(url: str, platform: str, signature: tuple[int, str] | None) -> Sighting:
    """The ledger's record of a post link, with the signature of the block it was found in."""
    return signed(Sighting(url, post_id(url), canonicalize(get_parser(platform).blog_root(url))), signature)


def signed(seen: Sighting, signature: tuple[int, str] | None) -> Sighting:
    """``seen`` with the signature of the block it was found in (a feed entry or a listing block)."""
    origin, sig = signature or (None, None)
    return replace(seen, feed_sig=sig if origin == Origin.API else None,
                   listing_sig=sig if origin == Origin.LISTING else None)  # fmt: skip


def skip_reason(known: KnownPost | None, seen: Sighting, hint_updated: str | None, run: int) -> str | None:
    """Why a post needs no fetch (the stats key it is counted under), or None to fetch it."""
    if known is None or known.fetched_run is None:
        return None
    if known.fetched_run == run:
        return "resume/skipped_posts"
    if (seen.feed_sig and seen.feed_sig == known.feed_sig) or (
        seen.listing_sig and seen.listing_sig == known.listing_sig
    ):
        return "incremental/unchanged_summary"
    if hint_updated and known.updated and same_instant(hint_updated, known.updated):
        return "incremental/unchanged_feed"
    return None


def conditional_headers(known: KnownPost) -> dict[str, str]:
    """The validators a known post is asked again with: a 304 says it did not change."""
    headers = {}
    if known.etag:
        headers["If-None-Match"] = known.etag
    if known.last_modified:
        headers["If-Modified-Since"] = known.last_modified
    return headers


def fetch_change(previous_hash: str | None, content_hash: str) -> str:
    """A fetched post is ``new``, ``unchanged_content`` or ``changed`` (``blogarchive/incremental/...``)."""
    if previous_hash is None:
        return "new"
    return "unchanged_content" if previous_hash == content_hash else "changed"


def same_instant(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)
    except ValueError:
        return False

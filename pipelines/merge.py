"""The one rule for merging a post's feed entry with its permalink page's post.

A post's feed entry may arrive before its page (its metadata then rides along as the
link's hint and is merged at parse time) or after it (merged when shards are finalized):
both go through :func:`merge_feed`, so a post's row does not depend on arrival order.

The feed is exact for ids and dates; the page gives the body, comments, declared counts,
and wins on labels when it shows any (a Canalblog RSS item lists only the post's
category, its page lists category and tags): the feed fills what the page lacks.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DATING = ("published", "published_precision", "published_local", "utc_offset")
MERGED = ("post_id", *DATING, "updated", "tags", "title", "author", "comment_count", "media_urls", "extra")


def merge_feed(page: Mapping[str, Any], feed: Mapping[str, Any]) -> dict[str, Any]:
    """The ``MERGED`` fields of a post once its feed entry is merged into its page's values.

    Both mappings hold ``MERGED`` keys (missing ones read as None), ``extra`` as a dict.
    Idempotent: merging the same feed entry again changes nothing.
    """
    merged = {name: page.get(name) for name in MERGED}
    merged["post_id"] = feed.get("post_id") or page.get("post_id")
    if feed.get("published") is not None:
        for name in DATING:
            merged[name] = feed.get(name)
    merged["updated"] = feed.get("updated") or page.get("updated")
    for name in ("tags", "title", "author", "media_urls"):
        merged[name] = page.get(name) or feed.get(name)
    if page.get("comment_count") is None:
        merged["comment_count"] = feed.get("comment_count")
    merged["extra"] = {**(feed.get("extra") or {}), **(page.get("extra") or {})}
    return merged

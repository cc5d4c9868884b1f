"""Content hashes and the in-crawl duplicate filter."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

SEEN_ROWS = 10_000


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


class DedupPipeline:
    """Drops a row already written from the same capture (a listing showing a post twice).

    Rows of the same post from different captures are all kept: the shard finalizer
    picks one by a total order, so a crawl and a build of its WARC choose alike.
    """

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        # The rows of one capture reach the pipeline together: the last SEEN_ROWS keys are
        # enough, and memory does not grow with the crawl (a set of every row's key did).
        self.seen: OrderedDict[tuple[str, int, str | None], None] = OrderedDict()

    @classmethod
    def from_crawler(cls, crawler: Any) -> DedupPipeline:
        return cls(crawler.stats)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        from scrapy.exceptions import DropItem

        key = (item["id"], item["_origin"], item.get("warc_record_id"))
        if key in self.seen:
            self.stats.inc_value("blogarchive/dropped/duplicate_in_capture")
            raise DropItem("duplicate_in_capture")
        self.seen[key] = None
        if len(self.seen) > SEEN_ROWS:
            self.seen.popitem(last=False)
        self.stats.inc_value(f"blogarchive/rows/origin_{item['_origin']}")
        return item

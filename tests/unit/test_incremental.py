"""Re-crawl decisions: which known posts are skipped, what a known post is asked with, what a fetch found."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.incremental import block_signature, conditional_headers, fetch_change, signatures, skip_reason
from crawler.ledger import KnownPost, Sighting
from schemas.origins import Origin
from schemas.segment import ORIGIN

URL = "http://a.blogspot.com/2020/01/x.html"


def known(**values) -> KnownPost:
    fields = dict(url=URL, updated=None, etag=None, last_modified=None, content_hash="h1", fetched_run=1,
                  feed_sig=None, listing_sig=None)  # fmt: skip
    return KnownPost(**(fields | values))


def seen(**values) -> Sighting:
    return Sighting(URL, "x", "http://a.blogspot.com/", **values)


@pytest.mark.parametrize(
    ("post", "sighting", "updated", "reason"),
    [
        (None, seen(), None, None),  # never seen: fetched
        (known(fetched_run=None), seen(feed_sig="s"), None, None),  # seen on a listing, never fetched
        (known(fetched_run=2), seen(), None, "resume/skipped_posts"),  # fetched in this run already
        (known(feed_sig="s"), seen(feed_sig="s"), None, "incremental/unchanged_summary"),
        (known(listing_sig="l"), seen(listing_sig="l"), None, "incremental/unchanged_summary"),
        (known(feed_sig="s"), seen(feed_sig="t"), None, None),  # its feed entry changed
        (known(updated="2020-01-02T10:00:00+00:00"), seen(), "2020-01-02T11:00:00+01:00",
         "incremental/unchanged_feed"),  # the same instant in another zone
        (known(updated="2020-01-02T10:00:00+00:00"), seen(), "2020-01-03T10:00:00+00:00", None),
        (known(updated="2020-01-02T10:00:00+00:00"), seen(), "not a date", None),
    ],
)  # fmt: skip
def test_skip_reason(post, sighting, updated, reason):
    assert skip_reason(post, sighting, updated, run=2) == reason


def test_a_known_post_is_asked_with_its_validators():
    assert conditional_headers(known(etag='"e1"', last_modified="Thu, 02 Jan 2020 10:00:00 GMT")) == {
        "If-None-Match": '"e1"',
        "If-Modified-Since": "Thu, 02 Jan 2020 10:00:00 GMT",
    }
    assert conditional_headers(known()) == {}


def test_a_fetch_is_new_changed_or_unchanged():
    assert [fetch_change(None, "h1"), fetch_change("h1", "h1"), fetch_change("h1", "h2")] == [
        "new",
        "unchanged_content",
        "changed",
    ]


def test_signatures_cover_feed_entries_and_listing_blocks_only():
    published = datetime(2020, 1, 2, tzinfo=timezone.utc)
    entry = {"url": URL, ORIGIN: Origin.API, "title": "T", "text": "body", "comment_count": 2, "tags": ["a"],
             "published": published}  # fmt: skip
    page = {**entry, "url": URL + "?page", ORIGIN: Origin.PERMALINK}
    found = signatures([entry, page])
    assert found == {URL: (Origin.API, block_signature(entry))}
    assert block_signature({**entry, "comment_count": 3}) != block_signature(entry)

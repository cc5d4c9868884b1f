"""A post's feed entry and its page merge by one rule, whichever arrived first."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.capture import Capture, merge_hint, post_row
from crawler.parsers.base import LinkKind, PostPage, post_to_hint
from pipelines.finalize import merge_feed_entry
from pipelines.merge import merge_feed
from schemas.origins import Origin
from schemas.segment import SEGMENT_SCHEMA

URL = "https://demo.canalblog.com/archives/2024/03/05/123.html"
FETCHED = datetime(2024, 4, 1, tzinfo=UTC)


def feed_post() -> PostPage:
    """An RSS item: exact date and id, only the category as label."""
    return PostPage(
        url=URL,
        blog_url="https://demo.canalblog.com/",
        platform="canalblog",
        title="Feed title",
        author="Feed author",
        published=datetime(2024, 3, 5, 9, 30, tzinfo=UTC),
        published_precision="second",
        updated=datetime(2024, 3, 6, tzinfo=UTC),
        tags=["Category"],
        comment_count=4,
        media_urls=["https://demo.canalblog.com/feed.jpg"],
        post_id="123",
        extra={"guid": "g-123", "source": "feed"},
        body_html="<p>summary</p>",
    )


def page_post(tags: list[str]) -> PostPage:
    """The permalink page: day-precise date, its own labels, no id."""
    return PostPage(
        url=URL,
        blog_url="https://demo.canalblog.com/",
        platform="canalblog",
        title="Page title",
        published=datetime(2024, 3, 5, tzinfo=UTC),
        published_precision="day",
        tags=tags,
        body_html="<p>the whole post</p>",
        extra={"source": "page"},
    )


def capture(kind: LinkKind, hint: dict | None = None) -> Capture:
    return Capture(URL, b"", "text/html", kind, FETCHED, platform="canalblog", hint=hint)


def feed_row() -> dict:
    return post_row(feed_post(), capture(LinkKind.FEED), Origin.API)


def feed_first(page: PostPage) -> dict:
    """The feed entry was read first: its hint is merged at parse time, then again at finalize."""
    hint = post_to_hint(feed_post())
    row = post_row(merge_hint(page, hint), capture(LinkKind.POST, hint), Origin.PERMALINK)
    merge_feed_entry(row, feed_row())
    return row


def page_first(page: PostPage) -> dict:
    """The page was read first (scheduled from a listing): the feed entry is merged at finalize."""
    row = post_row(page, capture(LinkKind.POST), Origin.PERMALINK)
    merge_feed_entry(row, feed_row())
    return row


@pytest.mark.parametrize("page_tags", [["Category", "tag one", "tag two"], []])
def test_both_arrival_orders_give_the_same_row(page_tags: list[str]) -> None:
    assert feed_first(page_post(page_tags)) == page_first(page_post(page_tags))


def test_the_page_labels_win_when_it_has_any() -> None:
    row = page_first(page_post(["Category", "tag one"]))
    assert row["tags"] == ["Category", "tag one"]
    assert page_first(page_post([]))["tags"] == ["Category"]  # the feed fills what the page lacks


def test_the_feed_gives_ids_dates_and_what_the_page_lacks() -> None:
    row = feed_first(page_post([]))
    assert row["published"] == datetime(2024, 3, 5, 9, 30, tzinfo=UTC)
    assert row["published_precision"] == "second"
    assert row["updated"] == datetime(2024, 3, 6, tzinfo=UTC)
    assert (row["title"], row["author"], row["comment_count"]) == ("Page title", "Feed author", 4)
    assert row["media_urls"] == ["https://demo.canalblog.com/feed.jpg"]
    assert row["extra"] == '{"guid": "g-123", "post_id": "123", "source": "page"}'


def test_merging_twice_changes_nothing() -> None:
    feed = {
        "post_id": "1",
        "published": FETCHED,
        "published_precision": "second",
        "tags": ["a"],
        "extra": {"x": 1},
    }
    page = {"title": "t", "tags": [], "extra": {"y": 2}}
    once = merge_feed(page, feed)
    assert merge_feed(once, feed) == once


def test_a_post_row_holds_every_segment_column_and_nothing_else():
    # media_files is the finalizer's (from the media index): a parse cannot know it.
    assert set(feed_row()) == set(SEGMENT_SCHEMA.names) - {"media_files"}

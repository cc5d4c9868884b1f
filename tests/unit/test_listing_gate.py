"""ListingGate: a blog's listings wait for its feed, skipped only when the feed gives every post it declares."""

from __future__ import annotations

from crawler.parsers.base import Link, LinkKind
from crawler.spiders.listings import ListingGate

BLOG = "http://blog.example/"
ARCHIVE = Link("http://blog.example/2020/01/", LinkKind.LISTING)
OLDER = Link("http://blog.example/2019/12/", LinkKind.LISTING)


def gate() -> tuple[ListingGate, list[int]]:
    skipped: list[int] = []
    return ListingGate(skipped.append), skipped


def test_listings_go_at_once_without_a_feed():
    listings, _ = gate()
    assert not listings.hold(BLOG, ARCHIVE, "blogspot")


def test_a_feed_that_gives_every_post_skips_held_and_later_listings():
    listings, skipped = gate()
    listings.feed_requested(BLOG)
    assert listings.hold(BLOG, ARCHIVE, "blogspot")
    listings.feed_requested(BLOG)  # the first page names the second
    assert listings.feed_parsed(BLOG, 3, ["a", "b"]) == []
    assert listings.feed_parsed(BLOG, 3, ["b", "c"]) == []
    assert listings.hold(BLOG, OLDER, "blogspot")  # found on a post page afterwards
    assert sum(skipped) == 2


def test_a_feed_short_of_its_total_releases_the_listings():
    listings, skipped = gate()
    listings.feed_requested(BLOG)
    listings.hold(BLOG, ARCHIVE, "blogspot")
    assert listings.feed_parsed(BLOG, 3, ["a", "b"]) == [(ARCHIVE, "blogspot")]
    assert not listings.hold(BLOG, OLDER, "blogspot")
    assert skipped == []


def test_a_feed_without_a_total_releases_the_listings():
    listings, _ = gate()
    listings.feed_requested(BLOG)
    listings.hold(BLOG, ARCHIVE, "canalblog")
    assert listings.feed_parsed(BLOG, None, ["a"]) == [(ARCHIVE, "canalblog")]


def test_a_failed_feed_page_releases_the_listings_even_if_others_are_pending():
    listings, _ = gate()
    listings.feed_requested(BLOG)
    listings.feed_requested(BLOG)
    listings.hold(BLOG, ARCHIVE, "blogspot")
    assert listings.feed_failed(BLOG) == [(ARCHIVE, "blogspot")]
    assert listings.feed_parsed(BLOG, 1, ["a"]) == []
    assert not listings.hold(BLOG, OLDER, "blogspot")


def test_idle_drains_what_is_still_held():
    listings, _ = gate()
    listings.feed_requested(BLOG)  # its request was dropped: neither callback nor errback
    listings.hold(BLOG, ARCHIVE, "blogspot")
    assert listings.drain() == [(BLOG, ARCHIVE, "blogspot")]
    assert listings.drain() == []

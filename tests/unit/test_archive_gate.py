"""ArchiveGate: a blog's redundant listings wait for its month archives, skipped only when every month listing answered."""

from __future__ import annotations

from crawler.parsers import canalblog, typepad
from crawler.parsers.base import Link, LinkKind
from crawler.spiders.listings import ArchiveGate

BLOG = "http://blog.example/"
TAG = Link("http://blog.example/tag/cuisine", LinkKind.LISTING, redundant=True)
CATEGORY = Link("http://blog.example/archives/voyages/index.html", LinkKind.LISTING, redundant=True)
MONTH = Link("http://blog.example/archives/2020/01/p0-250.html", LinkKind.LISTING)


def gate() -> tuple[ArchiveGate, list[int]]:
    skipped: list[int] = []
    return ArchiveGate(skipped.append), skipped


def test_month_listings_are_never_held():
    archives, _ = gate()
    assert not archives.hold(BLOG, MONTH, "canalblog")
    assert archives.requested(BLOG)


def test_redundant_listings_are_skipped_once_every_month_listing_answered():
    archives, skipped = gate()
    assert archives.requested(BLOG)  # the archive index
    assert archives.hold(BLOG, TAG, "canalblog")
    assert archives.requested(BLOG)  # a month the index names
    assert archives.answered(BLOG, ok=True) == []
    assert skipped == []  # a month is still pending
    assert archives.answered(BLOG, ok=True) == []
    assert skipped == [1]
    assert archives.hold(BLOG, CATEGORY, "canalblog")  # found on a post page afterwards: not fetched
    assert skipped == [1, 1]
    assert not archives.requested(BLOG)  # a month found late is fetched, its answer not awaited


def test_a_failed_month_listing_releases_the_redundant_listings():
    archives, skipped = gate()
    archives.requested(BLOG)
    archives.requested(BLOG)
    archives.hold(BLOG, TAG, "canalblog")
    assert archives.answered(BLOG, ok=False) == [(TAG, "canalblog")]  # e.g. no archive index (404)
    assert archives.answered(BLOG, ok=True) == []
    assert not archives.hold(BLOG, CATEGORY, "canalblog")  # later ones go out at once
    assert skipped == []


def test_blogs_are_gated_apart():
    archives, _ = gate()
    other = "http://other.example/"
    archives.requested(BLOG)
    archives.hold(BLOG, TAG, "canalblog")
    archives.requested(other)
    archives.answered(other, ok=False)
    assert not archives.hold(other, CATEGORY, "canalblog")
    assert archives.hold(BLOG, CATEGORY, "canalblog")


def test_idle_releases_what_is_still_held():
    archives, skipped = gate()
    archives.requested(BLOG)  # its answer never comes (a request dropped on the way)
    archives.hold(BLOG, TAG, "canalblog")
    assert archives.drain() == [(BLOG, TAG, "canalblog")]
    assert archives.drain() == []
    assert not archives.hold(BLOG, CATEGORY, "canalblog")
    assert skipped == []


def test_untagged_links_and_unknown_blogs_pass():
    archives, _ = gate()
    assert not archives.hold(None, TAG, "canalblog")
    assert not archives.requested(None)
    assert archives.answered(BLOG, ok=True) == []  # never asked through the gate


def test_canalblog_marks_home_pages_tags_and_categories_redundant():
    def link(path: str) -> Link | None:
        return canalblog.classify(path, "http://blog.canalblog.com/")

    for path in ("/tag/cuisine", "/tag/cuisine/p10-10.html", "/archives/voyages/index.html", "/archives/voyages/p10-10.html",
                 "/archives/p10-10.html", "/page/2"):  # fmt: skip
        assert link(path) == Link(f"http://blog.canalblog.com{path}", LinkKind.LISTING, redundant=True), path
    for path in ("/archives/index.html", "/archives/2020/01/p250-250.html"):
        found = link(path)
        assert found is not None and found.kind is LinkKind.LISTING and not found.redundant, path


def test_typepad_marks_home_pages_and_categories_redundant():
    html = """<html><body><div class="module-categories"><a href="/blog/voyages/">Voyages</a></div>
      <a href="/blog/voyages/page/2/">more</a><a href="/blog/2020/01/index.html">January 2020</a>
      <a href="/blog/page/2/">Older</a><a href="/blog/archives.html">Archives</a></body></html>"""
    page = typepad.parse(html, "http://example.typepad.com/blog/", LinkKind.HOME)
    redundant = {link.url.removeprefix("https://example.typepad.com/blog/"): link.redundant for link in page.links
               if link.kind is LinkKind.LISTING}  # fmt: skip
    assert redundant == {
        "voyages/": True,
        "voyages/page/2/": True,
        "2020/01/index.html": False,
        "page/2/": True,
        "archives.html": False,
    }


def test_a_month_listing_answers_fully_with_posts_or_month_links():
    from crawler.capture import Processed
    from crawler.spiders.base import _answered_fully

    month = Link("http://blog.example/archives/2020/02/p0-250.html", LinkKind.LISTING)
    assert _answered_fully(Processed("canalblog", rows=[{"id": "a"}]))
    assert _answered_fully(Processed("canalblog", links=[month, TAG], outcome="links_only"))  # an index
    assert not _answered_fully(
        Processed("canalblog", links=[TAG, CATEGORY], outcome="links_only")
    )  # no month
    assert not _answered_fully(Processed("canalblog", links=[month], outcome="not_found"))
    assert not _answered_fully(Processed("canalblog", outcome="parser_error"))


def test_an_idle_crawl_fetches_every_listing_still_held(monkeypatch):
    """Feed-held listings released at idle pass the archive gate, and what it then holds goes out too:
    nothing is left to answer for it (a spider closing with links held would lose their posts)."""
    from types import SimpleNamespace

    import pytest
    from scrapy.exceptions import DontCloseSpider

    from crawler.spiders.base import BlogSpider
    from crawler.spiders.listings import ListingGate

    scheduled: list = []
    spider = BlogSpider(url=BLOG)
    spider.listings = ListingGate(lambda n: None)
    spider.archives, _ = gate()
    spider.blogs = SimpleNamespace(track=lambda request: None)
    spider.wayback = SimpleNamespace(snapshot_times={})
    monkeypatch.setattr(
        BlogSpider, "crawler", SimpleNamespace(engine=SimpleNamespace(crawl=scheduled.append)), raising=False
    )
    spider.listings.feed_requested(BLOG)  # its feed request is then lost: no answer ever comes
    spider.listings.hold(BLOG, TAG, "canalblog")
    with pytest.raises(DontCloseSpider):
        spider._release_listings()
    assert [request.url for request in scheduled] == [TAG.url]

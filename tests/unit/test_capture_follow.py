"""A build's captures (``follow=False``): the crawl's rows and outcomes, no links."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.capture import Capture, parse_document, process_capture
from crawler.parsers import PLATFORMS, get_parser
from crawler.parsers.base import LinkKind
from tests.corpus import case_dirs, case_id, input_file, load_meta
from tests.fixtureweb.sites.canalblog import make_site

# The first real page of each kind (post, home, listing, feed) in each platform's corpus.
FIRST_CASES = list(
    {(case.parent.name, load_meta(case)["kind"]): case for case in reversed(sorted(case_dirs()))}.values()
)
BLOG = "http://cuisine.canalblog.com"


def _capture(url: str, body: bytes, kind: LinkKind, platform: str | None) -> Capture:
    fetched = datetime(2026, 11, 1, tzinfo=timezone.utc)
    return Capture(
        url=url, body=body, content_type="text/html", kind=kind, fetched_at=fetched, platform=platform
    )


def _same_without_links(capture: Capture) -> str | None:
    crawled, built = process_capture(capture), process_capture(capture, follow=False)
    assert built.links == []
    assert (built.platform, built.rows, built.outcome, built.declared_posts) == (
        crawled.platform,
        crawled.rows,
        crawled.outcome,
        crawled.declared_posts,
    )
    return built.outcome


@pytest.mark.parametrize("case", FIRST_CASES, ids=case_id)
def test_a_real_page_gives_the_same_rows_and_outcome(case):
    meta = load_meta(case)
    capture = _capture(
        meta["url"], input_file(case).read_bytes(), LinkKind(meta["kind"]), meta.get("platform")
    )
    _same_without_links(capture)


@pytest.mark.parametrize(
    ("body", "outcome"),
    [
        (f'<html><body><a href="{BLOG}/archives/2020/01/02/123.html">a post</a></body></html>', "links_only"),
        ("<html><body><p>nothing here</p></body></html>", "empty"),
    ],
)
def test_a_listing_without_posts_keeps_its_outcome(body, outcome):
    capture = _capture(f"{BLOG}/archives/2020/01/index.html", body.encode(), LinkKind.LISTING, "canalblog")
    assert _same_without_links(capture) == outcome


def test_a_listing_with_posts_is_parsed_once_without_its_links():
    site = make_site(posts=12)
    parser = get_parser("canalblog")
    home = site.handle("/", {}).body.decode()
    crawled = parse_document(parser, home, site.url("/"), LinkKind.HOME, follow=True)
    built = parse_document(parser, home, site.url("/"), LinkKind.HOME, follow=False)
    assert crawled.posts and crawled.links
    assert built.links == []
    assert [p.url for p in built.posts] == [p.url for p in crawled.posts]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_parser_takes_follow(platform):
    page = get_parser(platform).parse("<html><body></body></html>", f"{BLOG}/", LinkKind.HOME, follow=False)
    assert page.links == []

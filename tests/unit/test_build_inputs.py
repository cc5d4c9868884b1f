"""What a build parses of another tool's archive: pages and feeds, not a page's pictures, styles, fonts or code."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.build import skip_reason
from crawler.warc import WarcCapture

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def response(content_type: str | None, body: bytes, url: str = "https://luxe.blogspot.com/x") -> WarcCapture:
    return WarcCapture(url=url, status=200, content_type=content_type, body=body,
                       date=datetime(2024, 5, 1, tzinfo=timezone.utc), record_id="<urn:uuid:1>", metadata={})  # fmt: skip


@pytest.mark.parametrize(
    ("content_type", "body", "reason"),
    [
        ("text/html; charset=UTF-8", b"<html><body><div class='post'>un billet</div></body></html>", None),
        ("image/png", PNG, "not_a_page"),
        ("text/css", b"p { color: red }", "not_a_page"),
        ("font/woff2", b"wOF2\x00\x01", "not_a_page"),
        ("application/octet-stream", b"\x00\x01\x00\x00\x00\x10OS/2", "not_a_page"),  # a font, untyped
        (None, PNG, "not_a_page"),
        ("application/octet-stream", b"<html><body>a page, badly typed</body></html>", None),
        # Scripts: a page's code is no page; the platforms' script feeds are data and are read.
        ("text/javascript", b"(function(){var a=1;})();", "not_a_page"),
        ("application/javascript", b"/*! jQuery v1.11.1 */\n!function(a,b){}", "not_a_page"),
        (
            "text/javascript; charset=UTF-8",
            b'// API callback\nhandle({"version":"1.0","feed":{}});',
            None,
        ),  # Blogger
        ("text/javascript", b'var tumblr_api_read = {"tumblelog":{"title":"x"}};', None),  # Tumblr API v1
        ("application/json", b'{"meta":{"status":200},"response":{"posts":[]}}', None),  # Tumblr API v2
        ("application/atom+xml", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'/>", None),
    ],
)
def test_a_pages_resources_are_not_parsed_its_pages_and_feeds_are(content_type, body, reason):
    assert skip_reason(response(content_type, body)) == reason


def test_a_page_our_crawl_asked_for_is_parsed_whatever_came_back():
    """Our own WARC's build replays the crawl: a post page that came back as a picture was parsed (and
    counted binary_content) by the crawl, so it is by the build."""
    ours = response("image/png", PNG)
    ours.metadata = {"blogarchive_kind": "post"}
    assert skip_reason(ours) is None

"""Bad input without a crawl: encodings, binary bodies, failure kinds, feeds with external entities."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.capture import Capture, process_capture
from crawler.encoding import decode_body, looks_binary
from crawler.middlewares import Skipped
from crawler.parsers import get_parser
from crawler.parsers.base import LinkKind
from crawler.request_errors import classify_failure
from crawler.urls import canonicalize, is_http_url, same_site
from tests.fixtureweb.base import make_site

FRENCH = (
    "<html><head><title>Été</title></head><body><p>Les réfractaires du réseautage, à Noël.</p></body></html>"
)
META_UTF8 = '<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (FRENCH.replace("<head>", "<head>" + META_UTF8).encode("cp1252"), "text/html; charset=utf-8"),
        (FRENCH.replace("<head>", "<head>" + META_UTF8).encode("cp1252"), "text/html"),  # meta only
        (FRENCH.encode("latin-1"), "text/html"),  # declared nowhere
        (FRENCH.encode("latin-1"), None),
        (FRENCH.encode("utf-8"), "text/html; charset=iso-8859-1"),  # a server's default over a UTF-8 page
        (FRENCH.encode("utf-8"), "text/html; charset=utf-8"),
        (FRENCH.encode("utf-16"), "text/html"),
    ],
)
def test_french_accents_survive_wrong_or_missing_charsets(body, content_type):
    text, _ = decode_body(body, content_type)
    assert "Les réfractaires du réseautage, à Noël." in text
    assert "Été" in text


@pytest.mark.parametrize(
    ("body", "binary"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True),
        (b"GIF89a\x01\x00", True),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", True),
        (b"%PDF-1.4\n", True),
        (b"\x1f\x8b\x08\x00", True),  # a gzip body nobody decompressed
        (b"<html>\x00</html>", True),
        (FRENCH.encode("utf-16"), False),
        (FRENCH.encode("cp1252"), False),
        (b"", False),
    ],
)
def test_looks_binary(body, binary):
    assert looks_binary(body) is binary


def test_binary_page_is_an_outcome_not_a_parse():
    capture = Capture(
        url="http://x.canalblog.com/archives/2008/06/15/1.html",
        body=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        content_type="text/html",
        kind=LinkKind.POST,
        fetched_at=datetime(2024, 1, 1, tzinfo=timezone.utc),
    )
    processed = process_capture(capture)
    assert (processed.platform, processed.outcome, processed.rows) == ("canalblog", "binary_content", [])


def _failure(exc: Exception) -> Failure:
    try:
        raise exc
    except Exception:
        return Failure()


@pytest.mark.parametrize(
    ("exc", "slug"),
    [
        (CannotResolveHostError("no results for hostname lookup: blog.invalid."), "dns_error"),
        (DownloadCancelledError("Expected to receive 52428400 bytes which is larger than download max size"),
         "too_large"),
        (ResponseDataLossError(), "connection_lost"),
        (IgnoreRequest("Forbidden by robots.txt"), "robots_forbidden"),
        (IgnoreRequest("max redirections reached"), "too_many_redirects"),
        (Skipped("redirect_offsite", "redirect_offsite: a -> b"), "redirect_offsite"),
        (HttpError(Response("http://x.fr/", status=503, request=Request("http://x.fr/")), "no"), "http_503"),
        (ValueError("boom"), "valueerror"),
    ],
)  # fmt: skip
def test_failure_kinds(exc, slug):
    assert classify_failure(_failure(exc)) == slug


# ---------------------------------------------------------------------------------
# XXE: every platform's feed parser leaves external entities alone, and fetches nothing.

FEEDS = [
    ("canalblog", "canalblog", "/rss.xml"),
    ("typepad", "typepad", "/blog/atom.xml"),
    ("blogspot", "blogspot", "/feeds/posts/default"),
    ("tumblr", "tumblr", "/rss"),
]
CANARY = "XXE-UNIT-CANARY-31d7"


class _Canary(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:
        self.hits.append(self.path)
        body = CANARY.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        return


@pytest.fixture
def canary(tmp_path):
    """A local file and a loopback URL that both hold the canary; the URL counts its hits."""
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Canary)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    _Canary.hits = []
    yield secret, f"http://127.0.0.1:{server.server_address[1]}/secret"
    server.shutdown()
    server.server_close()


def _with_entities(feed: str, secret, web_url: str) -> str:
    doctype = f'<!DOCTYPE feed [<!ENTITY local SYSTEM "file://{secret}"><!ENTITY web SYSTEM "{web_url}">]>'
    declaration = re.match(r"\s*<\?xml[^>]*\?>", feed)
    at = declaration.end() if declaration else 0
    feed = feed[:at] + doctype + feed[at:]
    return re.sub(r"<title([^>]*)>", r"<title\1>&local;&web;", feed, count=3)


@pytest.mark.parametrize(("platform", "site", "path"), FEEDS)
def test_feed_entities_are_never_resolved(platform, site, path, canary):
    secret, web_url = canary
    blog = make_site(site)
    blog.base_url = "http://127.0.0.1:9"
    reply = blog.handle(path, {})
    assert reply.status == 200, path
    feed = _with_entities(reply.body.decode("utf-8"), secret, web_url)
    page = get_parser(platform).parse(feed, blog.url(path), LinkKind.FEED)
    assert page.posts  # a DOCTYPE does not hide the feed
    assert CANARY not in repr(page)
    assert _Canary.hits == []


def test_control_characters_and_utf16_halves_are_made_parseable():
    body = b"<p>a\x00b\x01c\x0cd &#55357;&#56832; &#xD83D;&#xDE00; &#55357; &#233; &#99999999; &#0;&#x2<b>&#10;</p>"
    text, _ = decode_body(body, "text/html; charset=utf-8")
    assert text == "<p>a\ufffdbc d \U0001f600 \U0001f600 \ufffd &#233; \ufffd \ufffd<b>&#10;</p>"


@pytest.mark.parametrize("url", ["http://a.fr:-1/x", "http://a.fr:8080item/x", "http://[::1/x"])
def test_junk_urls_are_never_followed_and_never_crash(url):
    assert canonicalize(url) == url
    assert not is_http_url(url)
    assert not same_site(url, "http://a.fr/")

"""The politeness rules of crawler/middlewares.py: Retry-After, backoff, redirect guards, User-Agent."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response

from crawler.middlewares import (
    RedirectGuardMiddleware,
    Skipped,
    backoff_seconds,
    redirect_problem,
    retry_after_seconds,
    same_blog_host,
    user_agent,
)

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (b" 7 ", 7.0),
        ("Wed, 01 May 2024 12:00:30 GMT", 30.0),
        ("Wed, 01 May 2024 11:00:00 GMT", 0.0),  # already past: no wait
        ("soon", None),
        ("", None),
        (None, None),
        ("-5", None),
    ],
)
def test_retry_after(value, seconds):
    assert retry_after_seconds(value, NOW) == seconds


def test_backoff_doubles_and_is_capped():
    assert [backoff_seconds(n, 2.0, 10.0) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 10.0]
    assert backoff_seconds(3, 0.0, 10.0) == 0.0


@pytest.mark.parametrize(
    ("origin", "target", "chain", "problem"),
    [
        ("http://a.fr/x", "http://a.fr/y", ["http://a.fr/x"], None),
        ("http://a.fr/x", "https://a.fr/x", ["http://a.fr/x"], None),  # http -> https
        ("http://a.fr/", "http://www.a.fr/", ["http://a.fr/"], None),  # custom domain gains www.
        ("http://x.blogspot.com/", "http://x.blogspot.fr/", ["http://x.blogspot.com/"], None),
        ("http://a.fr/x", "http://b.fr/x", ["http://a.fr/x"], "redirect_offsite"),
        ("http://127.0.0.1:1/x", "http://127.0.0.1:2/x", ["http://127.0.0.1:1/x"], "redirect_offsite"),
        ("http://a.fr/x", "ftp://a.fr/x", ["http://a.fr/x"], "redirect_bad_scheme"),
        ("http://a.fr/x", "javascript:alert(1)", ["http://a.fr/x"], "redirect_bad_scheme"),
        ("http://a.fr/a", "http://a.fr/a#top", ["http://a.fr/a", "http://a.fr/b"], "redirect_loop"),
    ],
)
def test_redirect_problem(origin, target, chain, problem):
    assert redirect_problem(origin, target, chain) == problem


def test_a_feed_may_move_to_a_feed_service():
    origin = "http://a.typepad.com/blog/atom.xml"
    assert redirect_problem(origin, "http://feeds.feedburner.com/a", [origin], feed=True) is None
    assert (
        redirect_problem(origin, "ftp://feeds.feedburner.com/a", [origin], feed=True) == "redirect_bad_scheme"
    )


def test_same_blog_host_keeps_ports_apart():
    assert same_blog_host("http://www.a.fr:8080/", "http://a.fr:8080/x")
    assert not same_blog_host("http://a.fr:8080/", "http://a.fr:8081/")


def test_redirect_guard_refuses_a_loop_with_its_reason():
    guard = RedirectGuardMiddleware(max_refresh_delay=100)
    request = Request("http://a.fr/b", meta={"redirect_urls": ["http://a.fr/a"]})
    loop = Response("http://a.fr/b", status=302, headers={"Location": "/a"}, request=request)
    with pytest.raises(Skipped) as refused:
        guard.process_response(request, loop)
    assert refused.value.slug == "redirect_loop"
    fine = Response("http://a.fr/b", status=302, headers={"Location": "/c"}, request=request)
    assert guard.process_response(request, fine) is fine


def refresh_page(url: str, content: str) -> HtmlResponse:
    body = f'<html><head><meta http-equiv="refresh" content="{content}"></head><body>x</body></html>'
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


def test_redirect_guard_checks_meta_refresh():
    guard = RedirectGuardMiddleware(max_refresh_delay=100)
    moved = refresh_page("http://a.fr/", "0; url=http://evil.example/")
    with pytest.raises(Skipped, match="redirect_offsite"):
        guard.process_response(moved.request, moved)
    slow = refresh_page("http://a.fr/", "600; url=http://evil.example/")  # Scrapy would not follow it
    assert guard.process_response(slow.request, slow) is slow
    reload = refresh_page("http://a.fr/post.html", "60; url=/post.html")  # an auto-reload: kept, not dropped
    assert guard.process_response(reload.request, reload) is reload
    assert reload.request.meta["dont_redirect"] is True


@pytest.mark.parametrize(
    ("base", "contact", "agent"),
    [
        (
            "bot/1 (crawler; +http://x)",
            "me@example.org",
            "bot/1 (crawler; +http://x; contact: me@example.org)",
        ),
        ("bot/1", "me@example.org", "bot/1 (contact: me@example.org)"),
        ("bot/1", "", "bot/1"),
        ("bot/1", "a\r\nX-Injected: 1", "bot/1 (contact: a X-Injected: 1)"),  # no header injection
        ("bot/1 (contact: me@example.org)", "me@example.org", "bot/1 (contact: me@example.org)"),
    ],
)
def test_user_agent(base, contact, agent):
    assert user_agent(base, contact) == agent

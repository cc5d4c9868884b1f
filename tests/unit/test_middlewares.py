"""The politeness rules of crawler/middlewares.py: Retry-After, backoff, redirect guards, User-Agent."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from crawler.middlewares import (
    MetaRefreshMiddleware,
    RedirectGuardMiddleware,
    Skipped,
    backoff_seconds,
    may_refresh,
    redirect_problem,
    retry_after_seconds,
    same_blog_host,
    user_agent,
)

NOW = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
run = asyncio.run


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
        run(guard.process_response(request, loop))
    assert refused.value.slug == "redirect_loop"
    fine = Response("http://a.fr/b", status=302, headers={"Location": "/c"}, request=request)
    assert run(guard.process_response(request, fine)) is fine


def refresh_page(url: str, content: str) -> HtmlResponse:
    body = f'<html><head><meta http-equiv="refresh" content="{content}"></head><body>x</body></html>'
    return HtmlResponse(url, body=body.encode(), encoding="utf-8", request=Request(url))


def test_redirect_guard_checks_meta_refresh():
    guard = RedirectGuardMiddleware(max_refresh_delay=100)
    moved = refresh_page("http://a.fr/", "0; url=http://evil.example/")
    with pytest.raises(Skipped, match="redirect_offsite"):
        run(guard.process_response(moved.request, moved))
    slow = refresh_page("http://a.fr/", "600; url=http://evil.example/")  # Scrapy would not follow it
    assert run(guard.process_response(slow.request, slow)) is slow
    reload = refresh_page("http://a.fr/post.html", "60; url=/post.html")  # an auto-reload: kept, not dropped
    assert run(guard.process_response(reload.request, reload)) is reload
    assert reload.request.meta["dont_redirect"] is True


def test_only_a_page_whose_bytes_spell_refresh_may_refresh():
    assert may_refresh(refresh_page("http://a.fr/", "0; url=/b"))
    upper = b'<META HTTP-EQUIV="REFRESH" CONTENT="0; URL=/b">'
    assert may_refresh(HtmlResponse("http://a.fr/", body=upper, encoding="utf-8"))
    plain = HtmlResponse("http://a.fr/", body="<p>caf\xe9</p>".encode("cp1252"), encoding="cp1252")
    assert not may_refresh(plain)
    wide = '<meta http-equiv="refresh" content="0; url=/b">'.encode("utf-16")  # no ASCII bytes to look in
    assert may_refresh(HtmlResponse("http://a.fr/", body=wide, encoding="utf-16"))


def test_meta_refresh_still_followed_and_a_page_without_one_passed_on():
    middleware = MetaRefreshMiddleware.from_crawler(get_crawler(Spider))
    moved = refresh_page("http://a.fr/", "0; url=http://a.fr/new")
    followed = middleware.process_response(moved.request, moved)
    assert isinstance(followed, Request) and followed.url == "http://a.fr/new"
    plain = HtmlResponse("http://a.fr/", body=b"<p>x</p>", encoding="utf-8", request=Request("http://a.fr/"))
    assert middleware.process_response(plain.request, plain) is plain


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


class FakeResolver:
    """The crawl's resolver as a table: no network; the names it was asked for are kept."""

    def __init__(self, addresses: dict[str, str]) -> None:
        self.addresses = addresses
        self.asked: list[str] = []

    async def __call__(self, host: str) -> str:
        self.asked.append(host)
        if host not in self.addresses:
            raise OSError(f"DNS lookup failed: {host}")
        return self.addresses[host]


def home_redirect(origin: str, target: str) -> tuple[Request, Response]:
    request = Request(origin, meta={"blogarchive_kind": "home"})
    return request, Response(origin, status=301, headers={"Location": target}, request=request)


@pytest.mark.parametrize("address", ["10.1.2.3", "169.254.169.254", "127.0.0.1", "::1", "192.168.0.7"])
def test_a_public_home_never_redirects_to_a_name_that_resolves_into_a_private_network(address):
    resolver = FakeResolver({"blog.example": "93.184.216.34", "internal.example": address})
    guard = RedirectGuardMiddleware(max_refresh_delay=100, resolve=resolver)
    request, moved = home_redirect("http://blog.example/", "http://internal.example/admin")
    with pytest.raises(Skipped) as refused:
        run(guard.process_response(request, moved))
    assert refused.value.slug == "redirect_private"
    assert resolver.asked == ["blog.example", "internal.example"]


def test_a_home_may_move_to_a_public_name_or_stay_on_its_private_network():
    resolver = FakeResolver({"blog.example": "93.184.216.34", "new.example": "93.184.216.35",
                             "lan.example": "10.0.0.2", "nas.example": "10.0.0.3"})  # fmt: skip
    guard = RedirectGuardMiddleware(max_refresh_delay=100, resolve=resolver)
    request, moved = home_redirect("http://blog.example/", "http://new.example/")
    assert run(guard.process_response(request, moved)) is moved
    request, moved = home_redirect("http://lan.example/", "http://nas.example/")  # a seed on the LAN
    assert run(guard.process_response(request, moved)) is moved
    resolver.asked.clear()
    request, moved = home_redirect(
        "http://127.0.0.1:8000/", "http://nas.example/"
    )  # a loopback seed: no lookup
    assert run(guard.process_response(request, moved)) is moved and resolver.asked == []
    request, moved = home_redirect(
        "http://blog.example/", "http://gone.example/"
    )  # no answer: the fetch says so
    assert run(guard.process_response(request, moved)) is moved
    request, moved = home_redirect("http://blog.example/", "http://blog.example/home")  # same host: no lookup
    resolver.asked.clear()
    assert run(guard.process_response(request, moved)) is moved and resolver.asked == []

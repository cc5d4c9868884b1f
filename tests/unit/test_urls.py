"""URL canonicalization, ids and safety checks."""

from __future__ import annotations

import pytest

from crawler.urls import canonicalize, is_http_url, post_id, post_url, same_site


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://Foo.blogspot.fr/2014/03/x.html?m=1#comments", "https://foo.blogspot.com/2014/03/x.html"),
        (
            "https://foo.blogspot.co.uk/2014/03/x.html?showComment=1394020000000",
            "https://foo.blogspot.com/2014/03/x.html",
        ),
        # Blogger redirects the www. alias to the blog's own host; some templates link their posts on it.
        ("http://www.foo.blogspot.com/2014/09/x.html", "https://foo.blogspot.com/2014/09/x.html"),
        ("http://www.foo.blogspot.de/2014/09/x.html", "https://foo.blogspot.com/2014/09/x.html"),
        ("http://127.0.0.1:8080/a.html?utm_source=x&b=2&a=1", "http://127.0.0.1:8080/a.html?a=1&b=2"),
        (
            "http://www.evacuisine.fr:80/archives/2009/02/28/12603374.html",
            "http://www.evacuisine.fr/archives/2009/02/28/12603374.html",
        ),
        ("http://[::1]:9000/x", "http://[::1]:9000/x"),
    ],
)
def test_canonicalize(url, expected):
    assert canonicalize(url) == expected


def test_ids_ignore_scheme_and_variants():
    a = post_id(canonicalize("http://foo.blogspot.fr/2014/03/x.html?m=1"))
    b = post_id(canonicalize("https://foo.blogspot.com/2014/03/x.html"))
    assert a == b and len(a) == 32


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://x/y", "javascript:alert(1)", "data:text/html,x", "/relative", "http://"],
)
def test_only_http_urls_are_followed(url):
    assert not is_http_url(url)


def test_same_site_checks_port():
    assert same_site("http://127.0.0.1:8000/a", "http://127.0.0.1:8000/")
    assert not same_site("http://127.0.0.1:8001/a", "http://127.0.0.1:8000/")
    assert same_site("https://foo.blogspot.fr/a", "https://foo.blogspot.com/")


def test_credentials_are_redacted():
    from crawler.urls import redact_secrets

    url = "https://api.tumblr.com/v2/blog/x.tumblr.com/posts?api_key=s3cr3t&offset=20"
    assert (
        redact_secrets(url) == "https://api.tumblr.com/v2/blog/x.tumblr.com/posts?api_key=REDACTED&offset=20"
    )
    assert redact_secrets("http://x/a?b=1") == "http://x/a?b=1"


def test_platform_spider_is_chosen_when_the_platform_is_known():
    from crawler.commands.crawl import spider_class
    from crawler.spiders.base import BlogSpider
    from crawler.spiders.tumblr import TumblrSpider

    assert spider_class(["https://x.tumblr.com/"], None) is TumblrSpider
    assert spider_class(["http://127.0.0.1:8000/"], "tumblr") is TumblrSpider
    assert spider_class(["http://127.0.0.1:8000/"], None) is BlogSpider
    assert spider_class(["https://x.tumblr.com/", "https://y.canalblog.com/"], None) is BlogSpider


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://a.blogspot.fr/2006_04_09_archive.html#114461560420623161",
         "https://a.blogspot.com/2006_04_09_archive.html#114461560420623161"),
        ("http://a.blogspot.com/2011/03/p.html#comments", "https://a.blogspot.com/2011/03/p.html"),
        ("http://a.blogspot.com/2011/03/p.html#c123", "https://a.blogspot.com/2011/03/p.html"),
        ("http://a.blogspot.com/2011/03/p.html?m=1", "https://a.blogspot.com/2011/03/p.html"),
    ],
)  # fmt: skip
def test_post_url_keeps_only_a_post_anchor(url, expected):
    assert post_url(url) == expected

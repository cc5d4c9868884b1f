"""Platform detection reads each parser's own recognition data (HOST_PATTERN, OWN_SITES, HTML_MARKERS)."""

from __future__ import annotations

import re

import pytest

from crawler.detect import detect, detect_from_html, detect_from_url
from crawler.parsers import PLATFORMS, get_parser


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_parser_says_how_its_platform_is_recognised(platform: str) -> None:
    parser = get_parser(platform)
    assert isinstance(parser.HOST_PATTERN, re.Pattern)
    assert parser.OWN_SITES and all(isinstance(host, str) for host in parser.OWN_SITES)
    assert parser.HTML_MARKERS and all(isinstance(m, re.Pattern) for m in parser.HTML_MARKERS)


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("http://someblog.blogspot.fr/2011/10/x.html", "blogspot"),
        ("https://www.blogger.com/profile/1", None),  # the platform's own site, not a blog
        ("http://x.canalblog.com/archives/2010/01/01/1.html", "canalblog"),
        ("http://x.typepad.com/blog/", "typepad"),
        ("http://x.blogs.com/", "typepad"),
        ("https://x.tumblr.com/post/1", "tumblr"),
        ("https://www.tumblr.com/", None),
        ("https://www.example.org/", None),
        ("http://[::1/", None),  # a host that does not parse
    ],
)
def test_platform_from_the_host(url: str, platform: str | None) -> None:
    assert detect_from_url(url) == platform


def test_tumblr_widgets_and_pictures_other_sites_embed_are_no_tumblr_page() -> None:
    assert detect_from_html("<img src='https://64.media.tumblr.com/a.jpg'>") is None
    assert detect_from_html("<script src='https://secure.assets.tumblr.com/post.js'></script>") is None
    assert detect_from_html("<script src='https://assets.tumblr.com/share-button.js'></script>") is None
    assert (
        detect_from_html('"src":"https:\\/\\/assets.tumblr.com\\/assets\\/html\\/tumblr_like_iframe.html"')
        is None
    )


def test_platform_from_the_markup_of_a_custom_domain() -> None:
    assert detect_from_html("<meta name='generator' content='blogger' />") == "blogspot"
    assert detect_from_html("<script>var CBVARS = {};</script>") == "canalblog"
    assert detect_from_html("<link href='https://static.tumblr.com/x/y/theme.css'>") == "tumblr"
    assert detect_from_html("<p>nothing of a platform</p>") is None
    assert detect("https://www.custom.fr/", "<meta name='generator' content='Typepad' />") == "typepad"


def test_a_share_button_to_a_platform_is_no_marker_of_it() -> None:
    # a news site's "Post to TypePad" button among its share tools (a 2011 WordPress page)
    button = "<li class='typepad'><a href='http://www.typepad.com/services/quickpost/post?v=2&qp_title=T'>TypePad</a>"
    assert detect_from_html(button) is None
    assert (
        detect_from_html("<link rel='EditURI' href='http://www.typepad.com/services/rsd/6a00d8'>")
        == "typepad"
    )

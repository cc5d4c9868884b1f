"""Replay URLs of another tool's harvest of an archive: split into their parts, their pages un-rewritten."""

from __future__ import annotations

import pytest

from crawler.wayback.replay import Replay, split_replay_url, unrewritten

POST = "http://luxe.blogspot.com/2015/06/un-billet.html"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"https://web.archive.org/web/20150701203040/{POST}",
         Replay("https://web.archive.org/web/", "20150701203040", "", POST)),
        (f"https://web.archive.org/web/20150701203040id_/{POST}",
         Replay("https://web.archive.org/web/", "20150701203040", "id_", POST)),
        ("http://web.archive.org/web/20150701203040/http:/luxe.blogspot.com/",  # a slash collapsed
         Replay("http://web.archive.org/web/", "20150701203040", "", "http://luxe.blogspot.com/")),
        (f"https://wayback.archive-it.org/1234/20150701203040/{POST}",  # Archive-It
         Replay("https://wayback.archive-it.org/1234/", "20150701203040", "", POST)),
        (f"http://localhost:8080/my-web-archive/20150701203040mp_/{POST}",  # pywb, a collection
         Replay("http://localhost:8080/my-web-archive/", "20150701203040", "mp_", POST)),
        (f"https://web.archive.org/web/2015/{POST}", None),  # not a capture: a redirect to the nearest one
        (POST, None),
        ("http://luxe.blogspot.com/2015/06/20150701203040/not-a-replay.html", None),
    ],
)  # fmt: skip
def test_replay_urls_are_split_into_archive_time_and_original(url, expected):
    assert split_replay_url(url) == expected


def test_only_a_raw_capture_is_not_rewritten():
    assert not split_replay_url(f"https://web.archive.org/web/20150701203040id_/{POST}").rewritten
    assert split_replay_url(f"https://web.archive.org/web/20150701203040im_/{POST}").rewritten


def test_a_rewritten_replay_loses_its_banner_and_gets_its_urls_back():
    replay = split_replay_url(f"https://web.archive.org/web/20150701203040/{POST}")
    body = (
        b"<body><!-- BEGIN WAYBACK TOOLBAR INSERT --><div>The Wayback Machine 12 captures</div>"
        b"<!-- END WAYBACK TOOLBAR INSERT --><p><a href='https://web.archive.org/web/20150701203040/http://x.fr/a'>a</a>"
        b"<img src='/web/20150701203040im_/https://x.fr/b.jpg'><a href='//web.archive.org/web/2015/http://x.fr/c'>c</a>"
        b" see https://web.archive.org/web/2010/ on its own</p></body>"
    )
    assert unrewritten(body, replay) == (
        b"<body><p><a href='http://x.fr/a'>a</a><img src='https://x.fr/b.jpg'><a href='http://x.fr/c'>c</a>"
        b" see https://web.archive.org/web/2010/ on its own</p></body>"
    )


def test_a_capture_named_with_its_default_port_is_the_page_without_it():
    """Old captures are named ``http://host:80/...`` (4 of 11 real replays in adbar/trafilatura's tests)."""
    for url, original in [
        ("https://web.archive.org/web/20130307194448/http://luxe.blogspot.com:80/2008/05/a.html",
         "http://luxe.blogspot.com/2008/05/a.html"),
        ("https://web.archive.org/web/20130307194448/https://luxe.typepad.com:443/blog/",
         "https://luxe.typepad.com/blog/"),
        ("https://web.archive.org/web/20130307194448/https://luxe.typepad.com:80/blog/",  # not its default
         "https://luxe.typepad.com:80/blog/"),
        ("https://web.archive.org/web/20130307194448/http://luxe.canalblog.com:8080/", "http://luxe.canalblog.com:8080/"),
    ]:  # fmt: skip
        assert split_replay_url(url).original == original

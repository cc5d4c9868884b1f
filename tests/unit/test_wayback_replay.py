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


def test_the_archive_scripts_styles_and_notes_around_the_page_are_cut():
    """What the Wayback Machine puts in a replay's head (its analytics, wombat, banner styles) and after
    the page, in the forms of real replays of 2013-2020; the page's own scripts stay."""
    replay = split_replay_url(f"https://web.archive.org/web/20131110121040/{POST}")
    body = (
        b'<html><head><script src="//archive.org/includes/analytics.js?v=cf34f82" type="text/javascript"></script>\n'
        b"<script type=\"text/javascript\">window.addEventListener('DOMContentLoaded',function(){"
        b"var v=archive_analytics.values;v.service='wb';});</script>"
        b'<script type="text/javascript" src="/_static/js/bundle-playback.js?v=1" charset="utf-8"></script>\n'
        b'<script type="text/javascript" src="https://web-static.archive.org/_static/js/wombat.js"></script>\n'
        b'<script type="text/javascript">\n  __wm.init("https://web.archive.org/web");\n</script>\n'
        b'<script type="text/javascript">\nWB_wombat_Init("https://web.archive.org/web/", "20131110121040");\n</script>'
        b'<link rel="stylesheet" type="text/css" href="/_static/css/banner-styles.css?v=1" />\n'
        b"<!-- End Wayback Rewrite JS Include -->\n"
        b"<script>var blog = 1;</script>"
        b'<script src="https://web.archive.org/web/20131110121040js_/http://luxe.blogspot.com/static/js/app.js"></script>'
        b'<link rel="stylesheet" href="/web/20131110121040cs_/http://luxe.blogspot.com/_static/css/x.css">'
        b"</head><body><p>post</p></body></html>\n"
        b"<!--\n     FILE ARCHIVED ON 12:10:40 Nov 10, 2013 AND RETRIEVED FROM THE\n     INTERNET ARCHIVE ON 2020.\n-->\n"
        b"<!--\nplayback timings (ms):\n  load_resource: 479.504\n-->"
    )
    assert unrewritten(body, replay) == (
        b"<html><head>\n\n\n\n\n\n<script>var blog = 1;</script>"
        b'<script src="http://luxe.blogspot.com/static/js/app.js"></script>'
        b'<link rel="stylesheet" href="http://luxe.blogspot.com/_static/css/x.css">'
        b"</head><body><p>post</p></body></html>\n\n"
    )


def test_pywb_head_insert_is_cut_and_its_collection_prefix_undone():
    replay = split_replay_url(f"http://localhost:8080/my-web-archive/20150701203040mp_/{POST}")
    body = (
        b'<head><!-- WB Insert -->\n<script>wbinfo = {};\nwbinfo.url = "http://luxe.blogspot.com/";</script>\n'
        b"<script src='http://localhost:8080/static/wombat.js'> </script>\n<!-- End WB Insert -->"
        b'</head><body><a href="/my-web-archive/20150701203040mp_/http://luxe.blogspot.com/2015/">2015</a></body>'
    )
    assert (
        unrewritten(body, replay)
        == b'<head></head><body><a href="http://luxe.blogspot.com/2015/">2015</a></body>'
    )


def test_links_escaped_in_a_script_and_mail_links_get_their_urls_back():
    """Seen in real replays: a WordPress page's JSON settings, a ``mailto:`` link of a 2007 page."""
    replay = split_replay_url(f"https://web.archive.org/web/20131110121040/{POST}")
    body = (
        b'<script>var s = {"ajax_url":"https:\\/\\/web.archive.org\\/web\\/20131110121040\\/http:\\/\\/luxe.fr\\/a"};'
        b'</script><a href="https://web.archive.org/web/20070228213001/mailto:luxe@example.org">mail</a>'
    )
    assert unrewritten(body, replay) == (
        b'<script>var s = {"ajax_url":"http:\\/\\/luxe.fr\\/a"};</script><a href="mailto:luxe@example.org">mail</a>'
    )

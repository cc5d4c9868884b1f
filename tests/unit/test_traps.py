"""Spider-trap guards: trap URLs, session ids, barren chains, the page budget."""

from __future__ import annotations

import pytest

from crawler.parsers.base import Link, LinkKind
from crawler.traps import TrapGuard, barren_depth, date_out_of_range, productive, strip_session, trap_reason

YEAR = 2026


@pytest.mark.parametrize(
    "url",
    [
        "http://x.canalblog.com/archives/2008/03/p0-250.html",
        "http://x.blogspot.com/2011/07/a-post.html",
        "http://x.tumblr.com/archive/2011/3",
        "http://x.typepad.com/blog/2013/09/some-net-api-samples.html",
        "http://x.blogspot.com/search?updated-max=2010-03-05T09:27:00%2B01:00&max-results=20&start=20",
        "http://x.tumblr.com/post/96439224994/2048",  # a slug that looks like a year
        "http://x.canalblog.com/archives/2001/01/01/01.html",
        "http://x.blogspot.com/2027/01/",  # next year: scheduled posts exist
    ],
)
def test_real_blog_urls_are_not_traps(url):
    assert trap_reason(url, YEAR) is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://x.canalblog.com/archives/2999/01/p0-250.html", "date_out_of_range"),
        ("http://x.canalblog.com/archives/1850/12/index.html", "date_out_of_range"),
        ("http://x.blogspot.com/2010/13/", "date_out_of_range"),
        ("http://x.blogspot.com/2010/02/45/", "date_out_of_range"),
        ("http://x.blogspot.com/search?updated-max=2999-01-01T00:00:00Z", "date_out_of_range"),
        ("http://x.fr/a/b/a/b/a/b/", "repeating_path"),
        ("http://x.fr/archives/archives/archives/", "repeating_path"),
        ("http://x.fr/" + "/".join(f"d{i}" for i in range(30)), "repeating_path"),
        ("http://x.fr/tag/a?p=1&p=2", "query_explosion"),
        ("http://x.fr/?" + "&".join(f"k{i}=v" for i in range(20)), "query_explosion"),
        ("http://x.fr/" + "a" * 2100, "url_too_long"),
    ],
)
def test_trap_urls(url, reason):
    assert trap_reason(url, YEAR) == reason


def test_date_range_bounds():
    assert not date_out_of_range("http://x.fr/1994/01/", YEAR)
    assert date_out_of_range("http://x.fr/1993/12/", YEAR)
    assert date_out_of_range("http://x.fr/2028/01/", YEAR)


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("http://x.fr/index.html;jsessionid=A1B2C3", "http://x.fr/index.html"),
        ("http://x.fr/p?page=2&PHPSESSID=abc", "http://x.fr/p?page=2"),
        ("http://x.fr/p?s=0123456789abcdef0123456789abcdef&a=1", "http://x.fr/p?a=1"),
        ("http://x.fr/search?s=recette", "http://x.fr/search?s=recette"),  # a search, not a session
        ("http://x.fr/p?osCsid=1&cfid=2&cftoken=3", "http://x.fr/p"),
        ("http://x.fr/p", "http://x.fr/p"),
    ],
)
def test_strip_session(url, clean):
    assert strip_session(url) == clean


def test_barren_depth():
    assert barren_depth(True, 7) == 0
    assert barren_depth(False, 7) == 8


def test_guard_cuts_long_barren_chains():
    guard = TrapGuard(this_year=YEAR, max_barren=3)
    assert guard.check("http://x.fr/archives/p10-10.html", 4) == "barren_chain"
    assert guard.check("http://x.fr/archives/p10-10.html", 3) is None
    assert guard.check("http://x.fr/archives/p10-10.html", 9) is None  # already let through: a repeat


def test_guard_spends_the_budget_on_distinct_links_per_blog():
    guard = TrapGuard(this_year=YEAR, max_pages_per_blog=2)
    for _ in range(5):  # every page links them again: counted once
        assert guard.check("http://x.fr/a", 0) is None
        assert guard.check("http://x.fr/b", 0) is None
    assert guard.check("http://x.fr/c", 0) == "page_budget"
    assert guard.check("http://y.fr/c", 0) is None  # the budget is per blog


def test_guard_logs_each_reason_once_per_blog():
    guard = TrapGuard(this_year=YEAR)
    assert guard.first("barren_chain", "http://x.fr/a")
    assert not guard.first("barren_chain", "http://x.fr/b")
    assert guard.first("barren_chain", "http://y.fr/a")
    assert guard.first("page_budget", "http://x.fr/a")


def test_no_limits_when_unset():
    guard = TrapGuard(this_year=YEAR)
    assert all(guard.check(f"http://x.fr/p{i}", 10_000) is None for i in range(100))


def test_follow_drops_session_ids_and_counts_each_cut_link():
    guard = TrapGuard(this_year=YEAR)
    counted: list[str] = []
    links = [
        Link("http://x.fr/2011/03/post.html;jsessionid=ABC", LinkKind.POST),
        Link("http://x.fr/archives/2999/01/", LinkKind.LISTING),
        Link("http://x.fr/2011/04/", LinkKind.LISTING),
    ]
    kept = guard.follow(links, "http://x.fr/", "http://x.fr/", True, set(), counted.append)
    assert [link.url for link in kept] == ["http://x.fr/2011/03/post.html", "http://x.fr/2011/04/"]
    assert counted == ["session_id_dropped", "date_out_of_range"]


def test_follow_carries_a_barren_chain_to_the_links_of_pages_with_nothing_new():
    guard = TrapGuard(this_year=YEAR, max_barren=2)
    page, counted = "http://x.fr/page/1", []
    for n in range(1, 5):
        following = f"http://x.fr/page/{n + 1}"
        kept = guard.follow([Link(following, LinkKind.LISTING)], page, page, False, set(), counted.append)
        page = following
        if not kept:
            break
    assert n == 3 and counted == ["barren_chain"]  # three pages in a row brought nothing: page 4 is cut


def test_a_page_is_productive_with_a_new_post_or_a_new_post_link():
    post = Link("http://x.fr/2011/03/a.html", LinkKind.POST)
    assert productive(LinkKind.POST, [{"id": "a"}], [], set(), set())
    assert not productive(LinkKind.COMMENTS, [], [post], set(), set())
    assert productive(LinkKind.LISTING, [{"id": "a"}], [], {"b"}, set())
    assert not productive(LinkKind.LISTING, [{"id": "a"}], [post], {"a"}, {"http://x.fr/2011/03/a.html"})
    assert productive(LinkKind.LISTING, [], [post], set(), set())

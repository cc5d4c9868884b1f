"""The Blogspot parser on the synthetic blog's pages and feeds, and on small hand-written edge cases."""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest

from crawler.fixtureweb.base import make_site
from crawler.fixtureweb.sites.blogspot import BlogspotSite
from crawler.parsers import blogspot
from crawler.parsers.base import LinkKind
from crawler.urls import canonicalize
from pipelines.process import Capture, process_capture

BASE = "http://127.0.0.1:8000"
FETCHED = datetime(2026, 11, 1, tzinfo=timezone.utc)
FEED = "/feeds/posts/default?alt=json&start-index=1&max-results=100"
UI_STRINGS = ("Enregistrer un commentaire", "Aucun commentaire", "Publier un commentaire", "Post a Comment",
              "Libellés :", "Labels:", "Newer Post", "Older Post", "Article plus récent", "Article plus ancien",
              "Inscription à", "Publier les commentaires (Atom)", "Publié par", "Posted by", "Lire la suite",
              "Envoyer par e-mail", "Répondre", "Supprimer", "a dit…", "Afficher la version mobile",
              "Merci pour ce commentaire")  # fmt: skip


def site(**options) -> BlogspotSite:
    built = make_site("blogspot", **options)
    built.base_url = BASE
    return built


def fetch(blog: BlogspotSite, path: str, kind: LinkKind):
    reply = blog.handle(path, {})
    assert reply.status == 200, path
    return blogspot.parse(reply.body.decode("utf-8"), blog.url(path), kind)


def row_of(blog: BlogspotSite, path: str, hint: dict | None = None) -> dict:
    reply = blog.handle(path, {})
    capture = Capture(
        blog.url(path), reply.body, "text/html; charset=utf-8", LinkKind.POST, FETCHED, hint=hint
    )
    processed = process_capture(capture)
    assert processed.platform == "blogspot" and len(processed.rows) == 1
    return processed.rows[0]


# -- URLs and seeds -----------------------------------------------------------------


def test_urls_fold_country_domains_mobile_and_comment_permalinks():
    url = "http://lostinjit.blogspot.fr/2011/10/pypy.html?showComment=1319719182528&m=1#c5038916005497812552"
    assert blogspot.canonical_url(url) == "https://lostinjit.blogspot.com/2011/10/pypy.html"
    assert blogspot.blog_root(url) == "https://lostinjit.blogspot.com/"
    assert blogspot.blog_root(BASE + "/2014/03/x.html") == BASE + "/"
    assert blogspot.is_post_url(BASE + "/2014/03/x.html")
    assert not blogspot.is_post_url(BASE + "/p/a-propos.html")
    assert not blogspot.is_post_url(BASE + "/2014/03/")


def test_seeds_are_the_json_feed_then_the_home():
    links = blogspot.seeds(BASE + "/2014/03/x.html")
    assert [(link.url, link.kind) for link in links] == [
        (BASE + FEED, LinkKind.FEED),
        (BASE + "/", LinkKind.HOME),
    ]


# -- feeds -------------------------------------------------------------------------


@pytest.mark.parametrize("alt", ["json", "atom"])
def test_feed_entries_match_the_ground_truth(alt):
    blog = site(posts=30, page_size=25)
    path = FEED if alt == "json" else "/feeds/posts/default?start-index=1&max-results=100"
    page = fetch(blog, path, LinkKind.FEED)
    assert page.outcome is None and page.blog_title == "Le jardin d'Hélène"
    assert len(page.posts) == 25  # the server's cap, not the 100 asked
    for post, want in zip(page.posts, blog.posts):
        assert post.url == blog.url(want.path)
        assert (post.title, post.author, post.published, post.tags) == (
            want.title,
            want.author,
            want.published,
            want.tags,
        )
        assert post.updated == want.extra["updated"]
        assert post.comment_count == want.comment_count
        assert post.post_id == want.extra["post_id"]
        assert want.text in html.unescape(post.body_html)
    posts = [link for link in page.links if link.kind is LinkKind.POST]
    assert [link.url for link in posts] == [p.url for p in page.posts]
    assert posts[0].hint["published"] == blog.posts[0].published.isoformat()
    feeds = [link for link in page.links if link.kind is LinkKind.FEED]
    assert len(feeds) == 1
    assert dict(parse_qsl(urlsplit(feeds[0].url).query))["start-index"] == "26"


def test_feed_paging_without_a_total_goes_past_a_short_page_and_stops_on_an_empty_one():
    blog = site(posts=30, page_size=25)
    path = "/feeds/posts/default?alt=json&start-index=26&max-results=100"
    data = json.loads(blog.handle(path, {}).body)
    del data["feed"]["openSearch$totalResults"]
    second = blogspot.parse(json.dumps(data), blog.url(path), LinkKind.FEED)
    assert len(second.posts) == 5
    assert [link.url for link in second.links if link.kind is LinkKind.FEED] == [
        BASE + "/feeds/posts/default?alt=json&start-index=31&max-results=100"
    ]
    empty = fetch(blog, "/feeds/posts/default?alt=json&start-index=31&max-results=100", LinkKind.FEED)
    assert empty.posts == [] and empty.links == [] and empty.outcome is None


@pytest.mark.parametrize("alt", ["json", "atom"])
def test_a_feed_giving_its_total_names_every_page_at_once_and_none_past_it(alt):
    blog = site(posts=80, page_size=25)
    path = FEED if alt == "json" else "/feeds/posts/default?start-index=1&max-results=100"
    first = fetch(blog, path, LinkKind.FEED)  # openSearch:totalResults 80
    starts = [dict(parse_qsl(urlsplit(link.url).query))["start-index"] for link in first.links
              if link.kind is LinkKind.FEED]  # fmt: skip
    assert starts == ["26", "51", "76"]  # side by side, not one after the other
    middle = fetch(blog, path.replace("start-index=1", "start-index=26"), LinkKind.FEED)
    assert [link.url for link in middle.links if link.kind is LinkKind.FEED] == [
        blog.url(path.replace("start-index=1", "start-index=51"))
    ]  # named already: the crawl drops the repeat
    last = fetch(blog, path.replace("start-index=1", "start-index=76"), LinkKind.FEED)
    assert len(last.posts) == 5 and not [link for link in last.links if link.kind is LinkKind.FEED]


def test_feed_that_ignores_start_index_is_not_followed_forever():
    blog = site(posts=30)
    body = blog.handle(FEED, {}).body.decode()
    page = blogspot.parse(body, BASE + FEED.replace("start-index=1", "start-index=26"), LinkKind.FEED)
    assert len(page.posts) == 25
    assert not [link for link in page.links if link.kind is LinkKind.FEED]


def test_json_in_script_and_rss_feeds():
    blog = site(posts=3)
    body = blog.handle(FEED, {}).body.decode()
    page = blogspot.parse(f"// API callback\ncallback({body});", BASE + FEED, LinkKind.FEED)
    assert [p.title for p in page.posts] == [p.title for p in blog.posts]
    rss = (
        "<?xml version='1.0'?><rss version='2.0' xmlns:thr='http://purl.org/syndication/thread/1.0'><channel>"
        "<title>Mon blog</title><item><guid>tag:blogger.com,1999:blog-12.post-34</guid>"
        "<pubDate>Wed, 05 Mar 2014 09:22:00 +0000</pubDate><category>Cuisine</category><title>Tarte</title>"
        f"<description>&lt;p&gt;Une tarte.&lt;/p&gt;</description><link>{BASE}/2014/03/tarte.html</link>"
        "<author>noreply@blogger.com (Marie)</author><thr:total>2</thr:total></item></channel></rss>"
    )
    post = blogspot.parse(rss, BASE + "/feeds/posts/default?alt=rss", LinkKind.FEED).posts[0]
    assert (post.title, post.author, post.tags, post.comment_count, post.post_id) == (
        "Tarte",
        "Marie",
        ["Cuisine"],
        2,
        "34",
    )
    assert post.published == datetime(2014, 3, 5, 9, 22, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "body",
    [
        '{"feed": {"entry": [',
        "<feed><entry>",
        "<html><body>Not a feed</body></html>",
        '{"version": "1.0"}',
        "",
        "null",
    ],
)
def test_broken_feeds_give_bad_feed(body):
    page = blogspot.parse(body, BASE + FEED, LinkKind.FEED)
    assert page.outcome == "bad_feed" and page.posts == [] and page.links == []


def test_feed_entries_off_the_blog_or_without_permalink_are_skipped():
    data = {"feed": {"entry": [
        {"id": {"$t": "tag:blogger.com,1999:blog-1.post-2"}, "title": {"$t": "Ailleurs"},
         "link": [{"rel": "alternate", "href": "http://evil.example/2014/03/x.html"}]},
        {"id": {"$t": "tag:blogger.com,1999:blog-1.post-3"}, "title": {"$t": "Brouillon"}},
        {"id": {"$t": "tag:blogger.com,1999:blog-1.post-4"}, "title": {"$t": "Page"},
         "link": [{"rel": "alternate", "href": BASE + "/p/page.html"}]},
    ]}}  # fmt: skip
    page = blogspot.parse(json.dumps(data), BASE + FEED, LinkKind.FEED)
    assert page.posts == [] and page.outcome is None


# -- permalink pages ---------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [{"lang": "mixed"}, {"lang": "en"}, {"lang": "fr", "template": "old"}, {"lang": "en", "template": "old"}],
    ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()),
)
def test_every_permalink_page_matches_the_ground_truth(options):
    blog = site(posts=16, **options)
    for want in blog.posts:
        row = row_of(blog, want.path)
        assert row["url"] == canonicalize(blog.url(want.path))
        assert (row["title"], row["author"], row["published"], row["tags"]) == (
            want.title,
            want.author,
            want.published,
            want.tags,
        ), want.path
        assert want.text in row["text"], want.path
        assert row["comment_count"] == want.comment_count == len(row["comments"]), want.path
        assert row["media_urls"] == [blog.url(m) for m in want.media_urls]
        assert json.loads(row["extra"])["post_id"] == want.extra["post_id"]
        got = [(c["id"], c["author"], c["published"], c["parent_id"]) for c in row["comments"]]
        assert got == [(c.id, c.author, c.published, c.parent_id) for c in want.comments], want.path
        for comment, expected in zip(row["comments"], want.comments):
            assert expected.text in comment["text"]
        for ui in UI_STRINGS:
            assert ui not in row["text"], (want.path, ui)
            assert all(ui not in c["text"] for c in row["comments"]), (want.path, ui)
        assert row["blog_title"] == ("Helen's Garden" if options["lang"] == "en" else "Le jardin d'Hélène")


def test_replies_are_threaded_and_anonymous_commenters_have_no_profile():
    blog = site(posts=40)
    with_replies = [p for p in blog.posts if any(c.parent_id for c in p.comments)]
    assert len(with_replies) >= 3
    comments = [c for p in with_replies for c in row_of(blog, p.path)["comments"]]
    assert [c["parent_id"] for c in comments] == [c.parent_id for p in with_replies for c in p.comments]
    anonymous = [c for c in comments if c["author"] in ("Anonyme", "Anonymous")]
    assert anonymous and all(c["author_url"] is None for c in anonymous)
    named = [c for c in comments if c not in anonymous]
    assert all(c["author_url"].startswith("https://www.blogger.com/profile/") for c in named)


def test_feed_hint_gives_exact_dates_to_the_permalink():
    blog = site(posts=5, template="old")
    feed = fetch(blog, FEED, LinkKind.FEED)
    link = feed.links[0]
    row = row_of(blog, urlsplit(link.url).path, hint=link.hint)
    assert row["updated"] == blog.posts[0].extra["updated"]
    assert row["published"] == blog.posts[0].published


def test_permalink_page_without_a_post_is_not_a_post():
    page = blogspot.parse("<html><head><meta content='blogger' name='generator'/></head><body><p>Rien</p></body></html>",
                          BASE + "/2014/03/x.html", LinkKind.POST)  # fmt: skip
    assert page.outcome == "not_a_post" and page.posts == []


# -- listings, links and traps ---------------------------------------------------------


def test_home_gives_ten_posts_with_carried_date_headers_and_the_older_page():
    blog = site(posts=40, template="old")
    page = fetch(blog, "/", LinkKind.HOME)
    assert [p.url for p in page.posts] == [blog.url(p.path) for p in blog.posts[:10]]
    assert [p.published for p in page.posts] == [p.published for p in blog.posts[:10]]
    assert [p.comment_count for p in page.posts] == [p.comment_count for p in blog.posts[:10]]
    posts = [link.url for link in page.links if link.kind is LinkKind.POST]
    assert posts == [blog.url(p.path) for p in blog.posts[:10]]
    listings = [link.url for link in page.links if link.kind is LinkKind.LISTING]
    older = [u for u in listings if "/search" in u]
    assert len(older) == 1 and "updated-max=" in older[0]
    assert all("/search" in u or urlsplit(u).query == "" for u in listings)


def test_one_header_for_two_posts_of_the_same_day():
    blog = site(posts=40, template="old")
    markup = blog.handle("/", {}).body.decode()
    page = blogspot.parse(markup, BASE + "/", LinkKind.HOME)
    days = [p.published.astimezone(ZoneInfo("Europe/Paris")).date() for p in page.posts]
    assert markup.count("class='date-header'") == len(set(days)) < len(days)


def test_older_pages_chain_from_search_pages_but_not_from_archives():
    blog = site(posts=40)
    home = fetch(blog, "/", LinkKind.HOME)
    older = next(link.url for link in home.links if "/search" in link.url)
    search_path = older[len(BASE) :]
    search = fetch(blog, search_path, LinkKind.LISTING)
    assert [p.url for p in search.posts] == [blog.url(p.path) for p in blog.posts[10:20]]
    assert any("/search" in link.url for link in search.links)
    month = next(
        link.url for link in home.links if link.kind is LinkKind.LISTING and "/search" not in link.url
    )
    archive = fetch(blog, month[len(BASE) :], LinkKind.LISTING)
    assert archive.posts and not any("/search" in link.url for link in archive.links)


def test_links_never_follow_traps_or_leave_the_blog():
    blog = site(posts=20)
    for path, kind in (("/", LinkKind.HOME), (blog.posts[3].path, LinkKind.POST)):
        for link in fetch(blog, path, kind).links:
            parts = urlsplit(link.url)
            assert link.url.startswith(BASE + "/")
            assert (
                "/feeds/" not in parts.path and "/search/label" not in parts.path and "/p/" not in parts.path
            )
            assert "showComment" not in link.url and "widgetType" not in link.url and "m=1" not in link.url
            assert link.kind in (LinkKind.POST, LinkKind.LISTING)


def test_all_posts_are_reachable_from_month_archives():
    blog = site(posts=40, feeds=0)
    found: set[str] = set()
    for link in fetch(blog, "/", LinkKind.HOME).links:
        if link.kind is LinkKind.LISTING and "/search" not in link.url:
            found |= {p.url for p in fetch(blog, link.url[len(BASE) :], LinkKind.LISTING).posts}
    assert found == {blog.url(p.path) for p in blog.posts}


# -- pages that are not content ------------------------------------------------------


def test_in_blog_404_is_not_found():
    blog = site(posts=3)
    reply = blog.handle("/2099/01/missing.html", {})
    assert reply.status == 404
    page = blogspot.parse(reply.body.decode(), blog.url("/2099/01/missing.html"), LinkKind.POST)
    assert page.outcome == "not_found" and page.posts == []


@pytest.mark.parametrize(
    ("markup", "outcome"),
    [
        ("<html><head><title>Blog introuvable</title></head><body><p>Désolé, le blog que vous recherchez n'existe pas.</p></body></html>", "blog_gone"),
        ("<html><head><title>Blogger: Blog not found</title></head><body><h1>Sorry, the blog at x.blogspot.com has been removed.</h1></body></html>", "blog_gone"),
        ("<html><head><title>Blogger</title></head><body><h1>Ce blog est ouvert uniquement aux lecteurs invités</h1></body></html>", "login_wall"),
        ("<html><head><title>Avertissement relatif au contenu</title></head><body><p>Ce blog peut inclure du contenu sensible.</p></body></html>", "content_warning"),
        ("<html><head><script src='//www.blogblog.com/dynamicviews/abc/js/x.js'></script></head><body></body></html>", "dynamic_views"),
        ("   ", "empty"),
    ],
)  # fmt: skip
def test_pages_that_are_not_content(markup, outcome):
    page = blogspot.parse(markup, "https://x.blogspot.com/", LinkKind.HOME)
    assert page.outcome == outcome and page.posts == []


@pytest.mark.parametrize(
    ("text", "count"),
    [("3 commentaires:", 3), ("1 comment:", 1), ("Aucun commentaire:", 0), ("No comments:", 0),
     ("Keine Kommentare:", 0), ("Publier un commentaire", None), (" Kommentare:", None), ("", None)],
)  # fmt: skip
def test_declared_comment_counts(text, count):
    assert blogspot.comment_count_text(text) == count

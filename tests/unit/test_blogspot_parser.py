"""The Blogspot parser on the synthetic blog's pages and feeds, and on small hand-written edge cases."""

from __future__ import annotations

import html
import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest

from crawler.capture import Capture, process_capture
from crawler.parsers import blogspot
from crawler.parsers.base import LinkKind
from crawler.parsers.blogspot.byline import person_names
from crawler.urls import canonicalize
from tests.fixtureweb.base import make_site
from tests.fixtureweb.sites.blogspot import BlogspotSite

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


def _thread_item(number: int, comment_id: str, text: str, replies: str = "") -> str:
    href = f"{BASE}/2017/02/x.html?showComment=1486163040000#c{comment_id}"
    return (
        f"<li class='comment' id='bc_0_{number}B'><div class='comment-block'>"
        f"<cite class='user'>Bob</cite><span class='datetime'><a href='{href}'>3 février 2017</a></span>"
        f"<p class='comment-content'>{text}</p></div>"
        f"<div class='comment-replies'><div class='comment-thread inline-thread'><ol>{replies}</ol></div></div></li>"
    )


def test_replies_on_items_numbered_bc_keep_their_parent_from_the_permalinks():
    # musingsonimmigration: li#bc_0_<n>B items, each comment named only by its permalink's #c<id>
    reply = _thread_item(1, "222", "Merci")
    thread = f"<div class='comment-thread'><ol>{_thread_item(0, '111', 'Question', reply)}</ol></div>"
    page = blogspot.parse(
        "<html><body><div class='post hentry'><h3 class='post-title'>T</h3>"
        f"<div class='post-body'>Texte</div></div><div id='comments'>{thread}</div></body></html>",
        BASE + "/2017/02/x.html",
        LinkKind.POST,
    )
    comments = page.posts[0].comments
    assert [(c.id, c.parent_id) for c in comments] == [("111", None), ("222", "111")]


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


DYNAMIC_VIEWS_HEAD = (
    "<head><meta content='blogger' name='generator'/><meta property='og:title' content='Roadtrip'/>"
    "<script src='//www.blogblog.com/dynamicviews/abc/js/comments.js'></script></head>"
)


@pytest.mark.parametrize(
    ("body", "rows", "outcome"),
    [
        # A theme loading a Dynamic Views script (its comments) whose HTML holds the post: the post is read.
        ("<article><h1>Roadtrip</h1><div class='post-entry'><p>We drove west along the coast for three days."
         "</p></div></article>", 1, None),
        # A real Dynamic Views shell: the post is rendered by JavaScript, the page says so.
        ("<div id='main'></div>", 0, "dynamic_views"),
    ],
)  # fmt: skip
def test_a_dynamic_views_page_gives_its_post_when_the_html_holds_it(body, rows, outcome):
    markup = f"<html>{DYNAMIC_VIEWS_HEAD}<body>{body}</body></html>"
    capture = Capture(POST_URL, markup.encode(), "text/html; charset=utf-8", LinkKind.POST, FETCHED)
    processed = process_capture(capture)
    assert (len(processed.rows), processed.outcome) == (rows, outcome)
    assert all(row["title"] == "Roadtrip" for row in processed.rows)


@pytest.mark.parametrize(
    ("text", "count"),
    [("3 commentaires:", 3), ("1 comment:", 1), ("Aucun commentaire:", 0), ("No comments:", 0),
     ("Keine Kommentare:", 0), ("Publier un commentaire", None), (" Kommentare:", None), ("", None),
     ("No hay comentarios:", 0), ("ليست هناك تعليقات:", 0), ("Δεν υπάρχουν σχόλια:", 0),
     ("Nenhum comentário:", 0), ("Publicar un comentario", None)],
)  # fmt: skip
def test_declared_comment_counts(text, count):
    assert blogspot.comment_count_text(text) == count


# -- themes the selectors did not know: dates, titles, bylines --------------------------------

POST_URL = "https://x.blogspot.com/2017/05/post.html"


def one_post(block: str, head: str = ""):
    """The post of a permalink page whose blog area holds ``block``."""
    markup = f"<html><head>{head}</head><body><div class='blog-posts hfeed'>{block}</div></body></html>"
    page = blogspot.parse(markup, POST_URL, LinkKind.POST)
    assert page.outcome is None and len(page.posts) == 1
    return page.posts[0]


def test_a_date_header_inside_the_post_block_gives_the_day():
    post = one_post(
        "<div class='post-outer'><div class='post hentry'><div class='post-header'>"
        "<div class='date-header'>Samstag, 5. Oktober 2013</div><h1 class='post-title'>Titel</h1></div>"
        "<div class='post-body'><p>Text.</p></div></div></div>"
    )
    assert post.published == datetime(2013, 10, 5, tzinfo=timezone.utc)
    assert post.published_precision == "day"


def test_a_theme_time_with_seconds_joins_the_day_header():
    # A third-party theme: the day in the header, the time in a span its class names a date.
    post = one_post(
        "<h2 class='date-header'><span>mardi 24 janvier 2017</span></h2><div class='post hentry'>"
        "<h2 class='post-title'>Titre</h2><span class='meta_date'>09:56:00</span>"
        "<div class='post-body'><p>Texte.</p></div></div>"
    )
    assert (post.published_local, post.published_precision) == (datetime(2017, 1, 24, 9, 56), "second")


def test_a_date_header_without_its_year_takes_the_permalinks_year():
    # POST_URL is a May 2017 permalink; the theme's header shows "Saturday, 20 May", its timestamp the time.
    post = one_post(
        "<h2 class='date-header'><span>Saturday, 20 May</span></h2><div class='post hentry'>"
        "<h3 class='post-title'>Title</h3><div class='post-body'><p>Text.</p></div>"
        "<span class='post-timestamp'><a class='timestamp-link' href='#'>9:05 PM</a></span></div>"
    )
    assert (post.published_local, post.published_precision) == (datetime(2017, 5, 20, 21, 5), "minute")


def test_an_untitled_theme_gives_its_heading_and_its_bookmark_date():
    post = one_post(
        "<div class='post-outer'><div class='article_body'><h1>Strong &amp; Beautiful</h1>"
        "<div class='post-body'><p>Vielen Dank.</p><h3>Meinung</h3><p>Toll.</p></div>"
        "<div class='blog_links'><a href='#' rel='bookmark'>Mai 03, 2017</a>"
        "<a class='comment-link' href='#comment-form'>1 Meinungen</a></div></div></div>"
    )
    assert post.title == "Strong & Beautiful"
    assert (post.published, post.published_precision) == (datetime(2017, 5, 3, tzinfo=timezone.utc), "day")


@pytest.mark.parametrize(
    ("header", "published", "precision"),
    [
        ("9 Oktober 2020", datetime(2020, 10, 9, 3, 10, tzinfo=timezone.utc), "minute"),  # agrees: its time
        ("", datetime(2020, 10, 9, 3, 10, tzinfo=timezone.utc), "minute"),  # nothing shown: the stamp
        ("2 Oktober 2020", datetime(2020, 10, 2, tzinfo=timezone.utc), "day"),  # edited later: the day shown
    ],
)
def test_an_hatom_updated_stamp_stands_for_a_missing_published_one(header, published, precision):
    post = one_post(
        f"<h2 class='date-header'><span>{header}</span></h2><div class='post hentry'>"
        "<h1 class='post-title'>Judul</h1><a class='updated' href='#' rel='bookmark'>"
        "<abbr class='updated' title='2020-10-09T10:10:00+07:00'>9 Oktober 2020</abbr></a>"
        "<div class='post-body'><p>Isi.</p></div></div>"
    )
    assert (post.published, post.published_precision) == (published, precision)


@pytest.mark.parametrize(
    ("stamp", "shown", "precision"),
    [
        ("2011-10-27T05:06:00-07:00", "5:06 AM", "minute"),  # Blogger keeps no seconds
        ("2011-10-27T05:06:00-07:00", "5:06:00 AM", "second"),  # a theme that shows them
        ("2011-10-27T05:06:31-07:00", "5:06 AM", "second"),
        ("2015-04-14T13:00:00.001Z", "1 hour ago", "second"),  # a fraction: as written
    ],
)
def test_blogger_stamps_with_zero_seconds_are_minute_precise(stamp, shown, precision):
    post = one_post(
        "<div class='post hentry'><h3 class='post-title'>T</h3><div class='post-body'><p>B.</p></div>"
        f"<div class='post-footer'><span class='post-timestamp'><a class='timestamp-link' href='{POST_URL}'>"
        f"<abbr class='published' title='{stamp}'>{shown}</abbr></a></span></div></div>"
    )
    assert post.published_precision == precision


def test_an_hreview_reviewer_is_the_author_when_the_theme_names_none():
    post = one_post(
        "<div class='post hentry'><h3 class='post-title'>T</h3><div class='post-body'><p>B.</p></div>"
        "<div class='hreview' style='display:none'><span class='item'><span class='fn'>T</span></span>"
        " Reviewed by <span class='reviewer'>Dj RoZay</span> on <span class='dtreviewed'>May 1, 2017</span></div></div>"
    )
    assert post.author == "Dj RoZay"


def test_a_bare_article_around_the_body_alone_is_not_the_post():
    # Sweetheme: div.post > (title, labels) + <article> holding only the body + hreview.
    post = one_post(
        "<div class='post hentry'><h1 class='post-title'>T</h1><span class='post-labels'>"
        "<a href='/search/label/music' rel='tag'>music</a></span><article>"
        "<div class='post-body'><p>B.</p></div></article><div class='hreview'>"
        "Reviewed by <span class='reviewer'>My Blogger Profile</span></div></div>"
    )
    assert (post.title, post.tags, post.author) == ("T", ["music"], "My Blogger Profile")


def test_a_bare_article_holding_the_body_and_a_read_more_row_is_a_box_inside_the_post():
    # A 2016-2017 magazine theme: div.post.hentry > div[itemprop=blogPost] > (header: title, byline,
    # timestamp, breadcrumb labels) + <article> holding the body and a "Read more" row.
    header = (
        "<a href='/search/label/transfers' rel='tag'>transfers</a><h1 class='post-title'>T</h1>"
        "<span class='post-author vcard'><span class='fn'><span itemprop='name'>Akosa Nonso</span></span></span>"
        "<abbr class='published' title='2017-01-28T22:05:00-08:00'>22:05</abbr>"
    )
    article = f"<article><div class='post-body'><p>B.</p></div><div><a href='{POST_URL}'>Read more</a></div></article>"
    post = one_post(f"<div class='post hentry'><div itemprop='blogPost'>{header}{article}</div></div>")
    assert (post.title, post.author, post.tags) == ("T", "Akosa Nonso", ["transfers"])
    assert post.published == datetime(2017, 1, 29, 6, 5, tzinfo=timezone.utc)


def test_a_bare_article_stays_the_post_when_the_block_around_it_holds_other_posts():
    articles = "".join(
        f"<article><h3 class='post-title'><a href='https://x.blogspot.com/2017/05/{n}.html'>{n}</a></h3>"
        f"<div class='post-body'><p>Body {n}.</p></div></article>"
        for n in ("one", "two")
    )
    markup = (
        f"<html><body><div class='blog-posts hfeed'><div class='post'>{articles}</div></div></body></html>"
    )
    page = blogspot.parse(markup, "https://x.blogspot.com/", LinkKind.HOME)
    assert [p.title for p in page.posts] == ["one", "two"]


def test_feed_entries_with_zero_seconds_are_minute_precise():
    entry = {"link": [{"rel": "alternate", "href": POST_URL}], "published": {"$t": "2017-05-03T10:22:00.000-07:00"},
             "content": {"$t": "<p>B.</p>"}}  # fmt: skip
    feed = "https://x.blogspot.com" + FEED
    post = blogspot.parse(json.dumps({"feed": {"entry": [entry]}}), feed, LinkKind.FEED).posts[0]
    assert (post.published_precision, post.utc_offset) == ("minute", -420)


GOOGLE_BLOG_POST = (
    "<div class='post' itemscope itemtype='http://schema.org/BlogPosting'><h2 class='title'>T</h2>"
    "<div class='post-header'><span class='publishdate' itemprop='datePublished'>May 19, 2020</span></div>"
    "<div class='post-body'><div class='post-content' itemprop='articleBody'>{body}</div></div>"
    "<div class='post-footer'><a rel='author' href='#'>Google</a></div></div>"
)


@pytest.mark.parametrize(
    ("body", "author", "text_start"),
    [
        ("<p><em>Posted by Jane Doe, Software Engineer</em></p><p>Android users download apps.</p>",
         "Jane Doe", "<p>Android"),
        ("<img src='x.png'><em>Posted by <a href='#'>Dave Smith</a>, Developer Advocate</em><p>Today.</p>",
         "Dave Smith", "<img"),
        ("<p>Now anyone can try.</p><span class='byline-author'>Posted by David Blanar, Google</span>",
         "David Blanar", "<p>Now"),
        ("<p>Intro.</p><p>Par Jean de La Fontaine</p>", "Jean de La Fontaine", "<p>Intro"),
        ("<div>Escrito por: María López</div><p>Hola.</p>", "María López", "<p>Hola"),
        ("<p>Eingestellt von Der Michel</p><p>Tach.</p>", "Der Michel", "<p>Tach"),
        ("<p>Texto.</p><p>Postado por Maria Silva</p>", "Maria Silva", "<p>Texto"),
        ("<p>By Jane Doe</p><p>Text.</p>", "Jane Doe", "<p>Text"),
        # Sentences that open with "By", "Von", "Par": no byline, the theme's author stays.
        ("<p>By 2020, most apps were updated.</p><p>More.</p>", "Google", "<p>By 2020"),
        ("<p><b>Von Anfang an</b></p><p>Es war klar.</p>", "Google", "<p><b>Von"),
        ("<p>Par exemple, ceci.</p>", "Google", "<p>Par exemple"),
        ("<h3>By The Sea</h3><p>Waves.</p>", "Google", "<h3>By The Sea"),
        ("<p>Text.</p><p>Posted by the team. Thanks for reading!</p>", "Google", "<p>Text"),
    ],
)  # fmt: skip
def test_a_byline_in_the_body_is_the_author_not_text(body, author, text_start):
    post = one_post(GOOGLE_BLOG_POST.format(body=body))
    assert post.author == author
    inner = post.body_html.split('itemprop="articleBody">', 1)[1]
    assert inner.startswith(text_start)
    byline_left_the_text = author.split(",")[0] not in inner
    assert byline_left_the_text or author == "Google"


@pytest.mark.parametrize(
    ("byline", "people"),
    [
        ("Andrew Hayden, Software Engineer on Google Play", "Andrew Hayden"),
        ("Brian Stevens, Vice President, Google Cloud", "Brian Stevens"),
        ("Nathan Parker, Varun Khaneja, Eric Mill and Kiran C Nair - Chrome Safe Browsing team",
         "Nathan Parker, Varun Khaneja, Eric Mill and Kiran C Nair"),
        ("Jane Doe, Product Manager, Google Cloud, and John Roe, Engineer", "Jane Doe and John Roe"),
        ("Jane Doe and John Roe, Google Cloud Team", "Jane Doe and John Roe"),
        ("Wesley Chun (@wescpy), Developer Advocate, G Suite", "Wesley Chun"),
        ("Ali Taha Alnobani ©2016 by THE BIRD(http://www.thebirdali.com/)", "Ali Taha Alnobani"),
        ("Jane Doe Copyright 2014 Jane Doe Studio", "Jane Doe"),
        ("Jane Doe, Research and Development", "Jane Doe"),
        ("Jean de La Fontaine", "Jean de La Fontaine"),
        ("admin", "admin"),
    ],
)  # fmt: skip
def test_a_byline_author_is_the_people_it_names_without_their_job_titles(byline, people):
    assert person_names(byline) == people


def test_a_feed_entry_byline_is_its_author():
    entry = {"link": [{"rel": "alternate", "href": POST_URL}], "author": [{"name": {"$t": "Android Developers"}}],
             "content": {"$t": "<p><em>Posted by Jane Doe</em></p><p>Body.</p>"}}  # fmt: skip
    feed = "https://x.blogspot.com" + FEED
    post = blogspot.parse(json.dumps({"feed": {"entry": [entry]}}), feed, LinkKind.FEED).posts[0]
    assert post.author == "Jane Doe" and "Posted by" not in post.body_html and "Body." in post.body_html


def test_the_generic_fallback_reads_blogger_stamps_to_the_minute():
    # No post-body: the fallback finds the hAtom post; its :00 stamp is Blogger's minute.
    markup = (
        "<html><head><meta content='blogger' name='generator'/></head><body><div class='hentry'>"
        "<h1 class='entry-title'>T</h1><abbr class='published' title='2015-03-13T09:00:00+05:00'>"
        "Friday, March 13, 2015</abbr><div class='entry-content'><p>B.</p></div></div></body></html>"
    )
    capture = Capture(POST_URL, markup.encode(), "text/html; charset=utf-8", LinkKind.POST, FETCHED)
    (row,) = process_capture(capture).rows
    assert (row["published"], row["published_precision"]) == (
        datetime(2015, 3, 13, 4, tzinfo=timezone.utc),
        "minute",
    )


@pytest.mark.parametrize(
    ("shown", "author"),
    [("Postado por Maria Silva", "Maria Silva"), ("Diposting oleh Budi", "Budi"), ("Geplaatst door Anke", "Anke"),
     ("Bylaw Bob", "Bylaw Bob")],
)  # fmt: skip
def test_the_theme_author_loses_the_ui_phrase_of_any_language(shown, author):
    post = one_post(
        "<div class='post hentry'><h3 class='post-title'>T</h3><div class='post-body'><p>B.</p></div>"
        f"<div class='post-footer'><span class='post-author'>{shown}</span></div></div>"
    )
    assert post.author == author


def test_a_breadcrumb_label_link_is_a_label_but_a_label_link_in_the_body_is_not():
    post = one_post(
        "<div class='post hentry'><div class='breadcrumbs'><a href='/'>Home</a> | "
        "<a href='https://x.blogspot.com/search/label/EKBIS?max-results=15'><span>EKBIS</span></a></div>"
        "<h1 class='post-title'>Judul</h1><div class='post-body'><p>Lihat "
        "<a href='https://x.blogspot.com/search/label/Politik'>Politik</a>.</p></div></div>"
    )
    assert post.tags == ["EKBIS"]


def test_a_label_link_with_a_torn_host_is_still_a_label():
    # the fuzzer's find: urlsplit raises on a bracketed host that is no IP ("[g]")
    post = one_post(
        "<div class='post hentry'><h3 class='post-title'>T</h3><div class='post-body'><p>B.</p></div>"
        "<div class='post-footer'><span class='post-labels'>Labels: "
        "<a href='http://[g]/search/label/War' rel='tag'>War</a></span></div></div>"
    )
    assert post.tags == ["War"]


def test_listing_post_linked_only_by_its_plusone_button():
    # ivisiondigitaleyewear's home: no title, timestamp or comment link; the share buttons' +1 names the post
    page = blogspot.parse(
        "<html><body><div class='widget Blog' id='Blog1'><div class='post-outer'><div class='post hentry'>"
        "<div class='post-body entry-content'>Free shipping!</div><div class='post-footer'>"
        f"<div class='post-share-buttons'><g:plusone href='{BASE}/2012/02/coming-soon.html'></g:plusone>"
        "</div></div></div></div></div></body></html>",
        BASE + "/",
        LinkKind.HOME,
    )
    assert [p.url for p in page.posts] == [BASE + "/2012/02/coming-soon.html"]


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        # udemyfreecouponcodes: the title and permalink in variables, then rm() with the body's id
        ('var x="Ruby \\"101\\"",y="{url}",t="12:01 PM",u="0";rm("p47")', ('Ruby "101"', None, None, [])),
        # webmastersid: all of them as rm()'s arguments, the date, labels and author too
        (
            'rm("p24","{url}","Digital Store","Wednesday, September 30, 2015","0",'
            "\"<a href='/search/label/Featured' rel='tag'>Featured</a><a href='/search/label/Web'>Web</a>\","
            "\"<a href='https://plus.google.com/1'>Sid Silhouette</a>\")",
            (
                "Digital Store",
                datetime(2015, 9, 30, tzinfo=timezone.utc),
                "Sid Silhouette",
                ["Featured", "Web"],
            ),
        ),
    ],
)
def test_listing_post_named_only_by_its_read_more_script(script, expected):
    # "Auto read more" themes: no title link, timestamp or comment link; the truncating script names the post
    url = BASE + "/2015/09/store.html"
    page = blogspot.parse(
        "<html><body><div class='widget Blog' id='Blog1'><div class='post-outer'><div class='post hentry'>"
        f"<div class='post-body entry-content'><div id='p47'>Course text.</div><script>{script.format(url=url)}"
        "</script></div></div></div></div></body></html>",
        BASE + "/",
        LinkKind.HOME,
    )
    post = page.posts[0]
    assert post.url == url
    assert (post.title, post.published, post.author, post.tags) == expected
    assert "rm(" not in post.body_html


def test_a_noscript_of_escaped_markup_is_dropped_but_a_noscript_copy_of_the_body_is_kept():
    # qualitypointtech: FeedBurner BuzzBoost's fallback is double-escaped, it would show as raw tags
    post = one_post(
        "<div class='post hentry'><h3 class='post-title'>News</h3><div class='post-body'><p>Kept.</p>"
        "<noscript>&amp;lt;p&amp;gt;Subscribe to RSS headline updates&amp;lt;/p&amp;gt;</noscript>"
        "<noscript><p>Also kept.</p></noscript></div></div>"
    )
    assert "Kept." in post.body_html and "Also kept." in post.body_html
    assert "Subscribe" not in post.body_html


def test_a_listed_snippets_read_more_link_to_itself_is_chrome_but_a_link_in_a_sentence_is_text():
    # anggapebrian, tribunislam: createSummaryAndThumb's teaser then <div class='readmore'><a>Read More →</a>
    url = BASE + "/2014/03/kisah.html"
    page = blogspot.parse(
        "<html><body><div class='widget Blog' id='Blog1'><div class='post hentry'>"
        f"<h3 class='post-title'><a href='{url}'>Kisah</a></h3><div class='post-body entry-content'>"
        f"<p>On tour with <a href='{url}'>this post</a>.</p><div class='readmore'><a href='{url}#more'>"
        "Read More &#8594;</a></div></div></div></div></body></html>",
        BASE + "/",
        LinkKind.HOME,
    )
    body = page.posts[0].body_html
    assert "this post" in body and "Read More" not in body


@pytest.mark.parametrize("shown", ["Angga Pebrian", "Posted By: Angga Pebrian - 8:58 PM"])
def test_postmeta_themes_meta_author_is_the_author_without_the_time_beside_it(shown):
    # anggapebrian, techjunkieblog: div.postmeta-primary > span.meta_date, span.meta_author, span.meta_comments
    post = one_post(
        "<div class='post hentry'><h3 class='post-title'>Kisah</h3><div class='postmeta-primary'>"
        f"<span class='meta_date'>20.46</span> <span class='meta_author'>{shown}</span></div>"
        "<div class='post-body'>Teks.</div></div>"
    )
    assert post.author == "Angga Pebrian"


def test_a_time_in_the_byline_joins_the_days_header():
    # techjunkieblog: "Monday, October 19, 2015" header, "Posted By: Jason Huynh - 8:58 PM" byline
    post = one_post(
        "<h2 class='date-header'><span>Monday, October 19, 2015</span></h2><div class='post hentry'>"
        "<h3 class='post-title'>CentOS</h3><span class='meta_author'>Posted By: Jason Huynh - 8:58 PM</span>"
        "<div class='post-body'>Text.</div></div>"
    )
    assert (post.published_local, post.published_precision) == (datetime(2015, 10, 19, 20, 58), "minute")


def test_ported_theme_without_body_class_gives_its_lone_post_block():
    # haceinstantes: <body> without class, the Blog widget's div.post, h1 linking the page, bare paragraphs
    url = BASE + "/2013/09/jon-bon-jovi.html"
    page = blogspot.parse(
        "<html><body><div class='widget Blog' id='Blog1'><div class='post'>"
        f"<h1 class='singlePageTitle'><a href='{url}'>Jon Bon Jovi</a></h1><p>Texto del post.</p></div>"
        f"<a href='{BASE}/search/label/M%C3%BAsica' rel='tag'>Música</a>"
        f"<a href='{BASE}/' rel='tag'>Back to Home</a><div id='postcomments'><h3 id='comments'>0\n"
        "comentarios para \"Jon Bon Jovi\"</h3><ol class='commentlist'></ol></div></div></body></html>",
        url,
        LinkKind.POST,
    )
    post = page.posts[0]
    assert (post.title, post.tags, post.url) == ("Jon Bon Jovi", ["Música"], url)
    assert post.comment_count == 0  # the ported WordPress theme's heading h3#comments declares it
    assert "Texto del post." in post.body_html and "singlePageTitle" not in post.body_html


def test_date_header_drawn_by_a_changedate_script():
    # notentirelyperfect: the calendar-style header is only the script's argument
    url = BASE + "/2013/09/september-goals-update.html"
    page = blogspot.parse(
        "<html><body><div class='widget Blog' id='Blog1'><div id='Date'><script>changeDate('26 September 2013');"
        f"</script></div><div class='post hentry'><h3 class='post-title'><a href='{url}'>Goals</a></h3>"
        "<div class='post-body'>Texte</div></div></div></body></html>",
        url,
        LinkKind.POST,
    )
    assert page.posts[0].published == datetime(2013, 9, 26, tzinfo=timezone.utc)


def test_a_blog_title_written_as_markup_is_its_text():
    # pyfound: Blogger's page data says 'title': '\74a href\75\42http://python.org/psf/\42\76Python Software
    # Foundation\74/a\76 News'
    page = blogspot.parse(
        "<html><head><script>_WidgetManager._SetDataContext([{'name': 'blog', 'data': {'blogId': '1', "
        "'title': '\\74a href\\75\\42http://python.org/psf/\\42\\76Python Software Foundation\\74/a\\76 News', "
        "'url': 'x'}}]);</script></head><body></body></html>",
        BASE + "/",
        LinkKind.HOME,
    )
    assert page.blog_title == "Python Software Foundation News"


def _classic_comment(number: int, author: str, text: str) -> str:
    return (
        f"<dt class='comment-author' id='c{number}'><a name='c{number}'></a>"
        f"<a href='https://www.blogger.com/profile/{number}'>{author}</a> said...</dt>"
        f"<dd class='comment-body'><p>{text}</p></dd><dd class='comment-footer'><span class='comment-timestamp'>"
        f"<a href='?showComment={number}#c{number}'>5 October 2013 at 10:00</a></span></dd>"
    )


@pytest.mark.parametrize("where", ["body", "comments"])
def test_a_widget_closing_the_document_early_hides_none_of_the_post(where):
    # A pasted widget ending in '</body></html>' inside the post body (or between two comments): libxml2
    # closed the post there and left the second paragraph, the labels (or Bob's comment) beside it.
    widget = "<div class='widget'>Follow me</div></body></html>"
    page = blogspot.parse(
        "<html><head><meta content='blogger' name='generator'/></head><body><div class='blog-posts hfeed'>"
        "<div class='post-outer'><div class='post hentry'><h3 class='post-title'>Titel</h3><div class='post-body'>"
        f"<p>First paragraph.</p>{widget if where == 'body' else ''}<p>Second paragraph.</p></div>"
        "<div class='post-footer'><span class='post-labels'>Labels: <a rel='tag' href='/search/label/a'>a</a>"
        "</span></div></div><div class='comments' id='comments'><dl id='comments-block'>"
        f"{_classic_comment(111, 'Ann', 'Nice')}{widget if where == 'comments' else ''}"
        f"{_classic_comment(222, 'Bob', 'Good')}</dl></div></div></div></body></html>",
        POST_URL,
        LinkKind.POST,
    )
    [post] = page.posts
    assert "Second paragraph." in post.body_html and post.tags == ["a"]
    assert [comment.author for comment in post.comments] == ["Ann", "Bob"]


# -- Classic blogs without post pages ------------------------------------------------

_NO_POST_PAGES = """<html><head><meta name="generator" content="Blogger" /></head><body>
<h2 class="date-header">Sunday, April 09, 2006</h2>
<div class="post"><a name="114461560420623161"></a><div class="post-body"><p>First post.</p></div>
<p class="post-footer"><em>posted by Ann at <a href="http://nopages.blogspot.com/2006_04_09_nopages_archive.html#114461560420623161"
 title="permanent link">3:41 PM</a></em></p></div>
<h2 class="date-header">Thursday, March 30, 2006</h2>
<div class="post"><a name="114370098933467963"></a><div class="post-body"><p>Second post,
 quoting <a href="http://nopages.blogspot.com/#114461560420623161">the first</a>.</p></div>
<p class="post-footer"><em>posted by Ann at <a href="http://nopages.blogspot.com/#114370098933467963"
 title="permanent link">12:28 AM</a></em></p></div>
<a href="2006_03_26_nopages_archive.html">March 2006</a></body></html>"""


def test_posts_without_post_pages_are_rows_at_their_anchors():
    """A classic blog with post pages off: each post's address is the archive (or home) and its
    anchor; a link to another post's anchor is not this post's permalink."""
    capture = Capture(
        "http://nopages.blogspot.com/", _NO_POST_PAGES.encode(), "text/html", LinkKind.HOME, FETCHED
    )
    processed = process_capture(capture)
    assert [r["url"] for r in processed.rows] == [
        "https://nopages.blogspot.com/2006_04_09_nopages_archive.html#114461560420623161",
        "https://nopages.blogspot.com/#114370098933467963",
    ]
    assert len({r["id"] for r in processed.rows}) == 2
    assert [r["author"] for r in processed.rows] == ["Ann", "Ann"]
    listings = [link.url for link in processed.links if link.kind is LinkKind.LISTING]
    assert "https://nopages.blogspot.com/2006_03_26_nopages_archive.html" in listings


def test_a_post_anchor_of_no_block_gives_no_row():
    markup = _NO_POST_PAGES.replace('<a name="114370098933467963"></a>', "")
    page = blogspot.parse(markup, "http://nopages.blogspot.com/", LinkKind.HOME)
    assert [p.url for p in page.posts] == [
        "https://nopages.blogspot.com/2006_04_09_nopages_archive.html#114461560420623161"
    ]


_ANCHORED = """<html><head><meta name="generator" content="Blogger" /></head><body>
<div class="DateHeader">Thursday, August 21, 2003</div>
<div class="Post"><a name="106151224367773787">&nbsp;</a><br/>Our new site is up.
 <span class="PostFooter">- posted by Richard @ <a href="./2003_08_01_web_archive.html#106151224367773787">5:30 PM</a></span></div>
<div class="date">Wednesday, July 30, 2003</div>
<div class="posts"><p><a name="105958755040441732"></a><b class="byline"><a class="byline"
 href="2003_07_01_web_archive.html#105958755040441732">Posted 18:08</a> by William Luse - </b>
 <br/>It's official: we moved.</p></div></body></html>"""


def test_early_classic_posts_without_post_classes_are_found_by_their_anchors():
    """2001-2003 templates (div.Post, div.posts): the block around the anchor and its permanent link."""
    page = blogspot.parse(_ANCHORED, "http://web.blogspot.com/", LinkKind.HOME)
    assert [(p.url, p.author, p.published_local.isoformat()) for p in page.posts] == [
        (
            "https://web.blogspot.com/2003_08_01_web_archive.html#106151224367773787",
            "Richard",
            "2003-08-21T17:30:00",
        ),
        (
            "https://web.blogspot.com/2003_07_01_web_archive.html#105958755040441732",
            "William Luse",
            "2003-07-30T18:08:00",
        ),
    ]
    assert ["posted" in (p.body_html or "").lower() for p in page.posts] == [False, False]
    assert "Our new site is up." in page.posts[0].body_html and "we moved" in page.posts[1].body_html


def test_a_block_holding_two_anchored_posts_is_no_post():
    """Posts not separated into blocks cannot be told apart: neither is taken (one would hold both texts)."""
    markup = (
        "<html><body><div class='Post'><a name='111111111'></a>First. <span>posted by A @ "
        "<a href='2003_08_01_archive.html#111111111'>1:00 PM</a></span><a name='222222222'></a>Second. "
        "<span>posted by B @ <a href='2003_08_01_archive.html#222222222'>2:00 PM</a></span></div></body></html>"
    )
    assert blogspot.parse(markup, "http://web.blogspot.com/", LinkKind.HOME).posts == []

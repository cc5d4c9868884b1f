"""Canalblog parser: URLs, link classes, footers, feeds, odd pages, and an in-process crawl of the fixture."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from lxml import html as lxml_html

from crawler.detect import detect
from crawler.parsers import canalblog
from crawler.parsers.base import Link, LinkKind
from tests.corpus import REALPAGES_DIR
from tests.fixtureweb.sites.canalblog import make_site

BASE = "http://maflo.canalblog.com/archives/2010/09/07/18732506.html"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        (
            "/archives/2010/09/07/18732506.html#comments",
            ("/archives/2010/09/07/18732506.html", LinkKind.POST),
        ),
        (
            "/archives/2009/02/28/12603374-p50-0.html#comments",
            ("/archives/2009/02/28/12603374-p50-0.html", LinkKind.COMMENTS),
        ),
        ("/archives/2009/02/28/12603374-p0-0.html", ("/archives/2009/02/28/12603374.html", LinkKind.POST)),
        ("/archives/2010/08/index.html", ("/archives/2010/08/p0-250.html", LinkKind.LISTING)),
        ("/archives/2010/08/p10-10.html", ("/archives/2010/08/p10-10.html", LinkKind.LISTING)),
        ("/archives/index.html", ("/archives/index.html", LinkKind.LISTING)),
        ("/archives/p10-10.html", ("/archives/p10-10.html", LinkKind.LISTING)),
        (
            "/archives/_grand_concours_d_autruche/index.html",
            ("/archives/_grand_concours_d_autruche/index.html", LinkKind.LISTING),
        ),
        (
            "/archives/_grand_concours_d_autruche/p10-10.html",
            ("/archives/_grand_concours_d_autruche/p10-10.html", LinkKind.LISTING),
        ),
        ("/tag/dr%C3%B4%C3%B4%C3%B4le", ("/tag/dr%C3%B4%C3%B4%C3%B4le", LinkKind.LISTING)),
        ("/rss.xml", ("/rss.xml", LinkKind.FEED)),
        ("/archives/2010/09/07/index.html", None),  # calendar day: the month page has them all
        ("/profile/119103/index.html", None),
        ("/albums/mes_canailles/index.html", None),
        ("/permalink/comments/36284068", None),
        ("/archives/2010/09/07/18732506.html?reply=1", None),
        ("http://www.canalblog.com/cf/contactAuthor.cfm?mid=119103", None),
        ("http://thalieaparis.canalblog.com/archives/2010/09/07/1.html", None),
        ("javascript:void(0)", None),
        ("mailto:someone@example.org", None),
        ("#comments", None),
    ],
)
def test_classify(href, expected):
    link = canalblog.classify(href, BASE)
    got = None if link is None else (link.url.removeprefix("http://maflo.canalblog.com"), link.kind)
    assert got == expected


def test_urls():
    assert canalblog.is_post_url(BASE)
    assert not canalblog.is_post_url("http://www.evacuisine.fr/archives/2009/02/28/12603374-p50-0.html")
    assert canalblog.permalink_of(
        "http://www.evacuisine.fr/archives/2009/02/28/12603374-p50-0.html#comments"
    ) == ("http://www.evacuisine.fr/archives/2009/02/28/12603374.html")
    assert canalblog.blog_root("http://127.0.0.1:8123/archives/2010/09/07/1.html") == "http://127.0.0.1:8123/"
    assert canalblog.canonical_url("http://maflo.canalblog.com/archives/2010/09/07/18732506.html#c1") == (
        "https://maflo.canalblog.com/archives/2010/09/07/18732506.html"
    )
    assert canalblog.seeds("http://www.boiremanger.net/archives/2014/08/23/30458956.html") == [
        Link("http://www.boiremanger.net/", LinkKind.HOME),
        Link("http://www.boiremanger.net/archives/index.html", LinkKind.LISTING),
        Link("http://www.boiremanger.net/rss.xml", LinkKind.FEED),
    ]


def test_detected_on_loopback_by_the_generator_meta():
    site = make_site(posts=3)
    site.base_url = "http://127.0.0.1:8123"
    page = site.handle(site.posts[0].path, {}).body.decode()
    assert detect(site.url(site.posts[0].path), page) == "canalblog"
    assert detect("http://maflo.canalblog.com/", None) == "canalblog"
    reversed_meta = (
        '<html><head><meta content="CanalBlog - http://www.canalblog.com" name="generator" /></head></html>'
    )
    assert detect("http://www.evacuisine.fr/", reversed_meta) == "canalblog"


def _legacy_page(footer: str, comments: str = "") -> str:
    return (
        '<html><head><meta name="generator" content="CanalBlog - http://www.canalblog.com" /></head><body>'
        '<div id="topbar"><h1><a href="/">Miss TICS</a></h1></div><div id="content">'
        '<div class="blogbody"><h2 class="date">27 septembre 2007</h2><a name="6287321"></a>'
        f"<h3>Un titre</h3>Texte libre avant tout paragraphe.<p>Le corps du billet.</p>{footer}</div>"
        f'<div class="blogbody"><ul id="comment_list">{comments}</ul></div></div></body></html>'
    )


@pytest.mark.parametrize(
    ("footer", "author", "published", "count", "tags"),
    [
        (
            'Posté par Miss_TICS à 00:07 - <a href="/archives/pra_tics/index.html">Pra-tics</a> - '
            '<a href="/archives/2007/09/27/6287321.html#comments">Commentaires [3]</a> - '
            'Permalien [<a href="/archives/2007/09/27/6287321.html" rel="bookmark">#</a>]',
            "Miss_TICS", datetime(2007, 9, 26, 22, 7, tzinfo=timezone.utc), 3, ["Pra-tics"],
        ),
        (
            'Posté par Eva le 27 septembre 2007 à 11:10 - <a href="/archives/2007/09/27/6287321.html#comments">69 commentaires</a>'
            ' - Permalien<br />Tags : <a href="/tag/Citron" rel="tag">Citron</a>, <a href="/tag/Fruits" rel="tag">Fruits</a>',
            "Eva", datetime(2007, 9, 27, 9, 10, tzinfo=timezone.utc), 69, ["Citron", "Fruits"],
        ),
        (
            'Posté par <span class="articlecreator">maflo</span> à 13h41 - '
            '<a href="/archives/x/index.html" title="Autres messages dans cette catégorie">~x</a> - '
            '<a href="/archives/2007/09/27/6287321.html#comments">Pas de commentaire</a>',
            "maflo", datetime(2007, 9, 27, 11, 41, tzinfo=timezone.utc), 0, ["~x"],
        ),
    ],
)  # fmt: skip
def test_post_footer_variants(footer, author, published, count, tags):
    page = canalblog.parse(
        _legacy_page(f'<div class="itemfooter">{footer}</div>'),
        "http://x.canalblog.com/archives/2007/09/27/6287321.html",
        LinkKind.POST,
    )
    post = page.posts[0]
    assert (post.author, post.published, post.comment_count, post.tags) == (author, published, count, tags)
    assert post.title == "Un titre"
    assert post.body_html.startswith("Texte libre avant tout paragraphe.")
    assert "Posté par" not in post.body_html and "27 septembre 2007" not in post.body_html
    assert page.blog_title == "Miss TICS"


def test_post_without_footer_time_keeps_the_day():
    page = canalblog.parse(
        _legacy_page(""), "http://x.canalblog.com/archives/2007/09/27/6287321.html", LinkKind.POST
    )
    post = page.posts[0]
    assert post.published == datetime(2007, 9, 27, tzinfo=timezone.utc)  # the day itself, 00:00 UTC
    assert post.published_precision == "day" and post.published_local is None
    assert post.extra == {}
    assert post.author is None and post.comment_count is None


@pytest.mark.parametrize(
    ("footer", "published", "precision"),
    [
        ('<div class="itemfooter">Posté par Eva le 1er mars 2009 à 11:10</div>', datetime(2009, 3, 1, 10, 10, tzinfo=timezone.utc), "minute"),
        ("", datetime(2007, 9, 27, tzinfo=timezone.utc), "day"),  # the date header "27 septembre 2007"
    ],
)  # fmt: skip
def test_date_without_a_permalink_path(footer, published, precision):
    page = canalblog.parse(_legacy_page(footer), "http://x.canalblog.com/un-billet.html", LinkKind.POST)
    post = page.posts[0]
    assert post.published == published
    assert post.published_precision == precision
    assert post.post_id is None


def test_legacy_comments_ids_authors_and_dates():
    comments = (
        '<li class="comment"><a id="c5230001"></a><h3>anti-geek?</h3><p>Perso, je ne suis pas anti-geek.</p>'
        '<div class="itemfooter">Posté par la nymphette, 19 novembre 2007 à 17:38</div></li>'
        '<li class="comment"><a id="c5230002"></a><p>Écris-moi : henri@example.org</p>'
        '<div class="itemfooter">Posté par <a href="http://henri.example.org/">Henri, de Paris</a>, le 1er juillet 2008 à 09:05</div></li>'
    )
    page = canalblog.parse(
        _legacy_page("", comments), "http://x.canalblog.com/archives/2007/09/27/6287321.html", LinkKind.POST
    )
    first, second = page.posts[0].comments
    assert (first.id, first.author, first.author_url) == ("5230001", "la nymphette", None)
    assert first.published == datetime(2007, 11, 19, 16, 38, tzinfo=timezone.utc)
    assert first.text == "anti-geek?\nPerso, je ne suis pas anti-geek."
    assert (second.id, second.author, second.author_url) == (
        "5230002",
        "Henri, de Paris",
        "http://henri.example.org/",
    )
    assert second.published == datetime(2008, 7, 1, 7, 5, tzinfo=timezone.utc)
    assert second.text == "Écris-moi : henri@example.org"


def test_comment_id_is_data_cid_not_the_post_id():
    text = (
        REALPAGES_DIR / "canalblog" / "post-2010-maflo-24-comments-datecreated-trap" / "input.html"
    ).read_text(encoding="utf-8")
    post = canalblog.parse(text, BASE, LinkKind.POST).posts[0]
    assert post.post_id == "18732506"
    assert post.comments[0].id == "36284068"
    assert "18732506" not in {c.id for c in post.comments}
    assert post.extra["date_created"] == "2010-08-03T11:41"
    assert post.published == datetime(
        2010, 9, 7, 11, 41, tzinfo=timezone.utc
    )  # 13:41 in Paris, not dateCreated


def test_media_of_the_importer_fragment():
    fragment = lxml_html.fragment_fromstring(
        (REALPAGES_DIR / "canalblog" / "fragment-media-suite-not-a-post" / "input.html").read_text(
            encoding="utf-8"
        )
    )
    assert canalblog.media_urls(fragment, "http://postaisportugal.canalblog.com/") == [
        "http://postaisportugal.canalblog.com/images/t-Fond_d_ecran9.jpg",
        "http://storage.canalblog.com/65/79/829482/64555901.pdf",
        "http://p1.storage.canalblog.com/12/96/1014282/94464164.pdf",
        "http://static.canalblog.com/storagev1/concoursattache.canalblog.com/docs/introduction.pdf",
        "http://frances1.canalblog.com/docs/Caractere.pdf",
    ]


RSS = """<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Miss TICS</title>
<item><title>Bon jour</title><link>http://x.canalblog.com/archives/2008/03/30/1.html</link>
<pubDate>Sun, 30 Mar 2008 23:30:00 +0200</pubDate><description><![CDATA[<p>Corps <img src="http://p1.storage.canalblog.com/1_p.jpg"/></p>]]></description>
<category>Pra-tics</category></item>
<item><title>Mauvais jour</title><link>http://x.canalblog.com/archives/2008/04/02/2.html</link>
<pubDate>Mon, 31 Mar 2008 10:00:00 +0200</pubDate><description>x</description></item>
<item><title>Ailleurs</title><link>http://other.canalblog.com/archives/2008/04/02/3.html</link></item>
</channel></rss>"""


def test_feed_gives_post_links_with_hints():
    page = canalblog.parse(RSS, "http://x.canalblog.com/rss.xml", LinkKind.FEED)
    assert [link.url for link in page.links] == [
        "http://x.canalblog.com/archives/2008/03/30/1.html",
        "http://x.canalblog.com/archives/2008/04/02/2.html",
    ]
    good, bad = page.links
    assert good.kind is LinkKind.POST
    assert good.hint["published"] == "2008-03-30T21:30:00+00:00"
    assert good.hint["tags"] == ["Pra-tics"]  # only the category: the page's labels win at the merge
    assert bad.hint["published"] is None  # a pubDate on another day than the permalink's is not trusted
    assert page.posts[0].tags == ["Pra-tics"]
    assert page.posts[0].media_urls == ["http://p1.storage.canalblog.com/1_p.jpg"]
    assert page.blog_title == "Miss TICS"


@pytest.mark.parametrize(
    ("text", "kind", "outcome"),
    [
        ("", LinkKind.POST, "empty"),
        ("<html><body><h1>Ce blog n'existe plus</h1></body></html>", LinkKind.HOME, "blog_gone"),
        ("<html><body><div id='content'><p>rien</p></div></body></html>", LinkKind.POST, "not_a_post"),
        ("<html><body><div id='content'></div></body></html>", LinkKind.LISTING, "empty"),
        ("<rss><channel></channel></rss>", LinkKind.FEED, "empty"),
        ("\x00\x01 not xml <<<", LinkKind.FEED, "unparsable"),
    ],
)
def test_pages_that_are_not_content(text, kind, outcome):
    page = canalblog.parse(text, "http://x.canalblog.com/archives/2008/04/02/2.html", kind)
    assert page.outcome == outcome
    assert page.posts == []


def crawl_in_process(site) -> tuple[dict, dict, int]:
    """Breadth-first crawl of the fixture through ``site.handle`` (no HTTP, no Scrapy)."""
    queue = [Link(site.url("/"), LinkKind.HOME)]
    seen: set[str] = set()
    posts, comment_pages, not_found = {}, {}, 0
    while queue:
        link = queue.pop(0)
        if link.url in seen:
            continue
        seen.add(link.url)
        reply = site.handle(link.url.removeprefix(site.base_url), {})
        if reply.status != 200:
            not_found += 1
            continue
        page = canalblog.parse(reply.body.decode("utf-8"), link.url, link.kind)
        queue += page.links + (canalblog.seeds(link.url) if link.kind is LinkKind.HOME else [])
        if link.kind is LinkKind.POST:
            posts[link.url] = page.posts[0]
        elif link.kind is LinkKind.COMMENTS:
            comment_pages[link.url] = page.posts[0]
    return posts, comment_pages, not_found


@pytest.mark.parametrize(
    "options", [{}, {"template": 2007, "seed": 9}, {"comments_per_page": 50, "posts": 8}]
)
def test_in_process_crawl_finds_every_post_and_comment(options):
    site = make_site(**options)
    site.base_url = "http://127.0.0.1:8123"
    posts, comment_pages, not_found = crawl_in_process(site)
    assert not_found == 0
    assert sorted(posts) == sorted(site.url(p.path) for p in site.posts)
    for expected in site.posts:
        got = posts[site.url(expected.path)]
        later = sorted(
            (p for p in comment_pages.values() if p.url == got.url), key=lambda p: p.extra["comment_offset"]
        )
        comments = got.comments + [c for page in later for c in page.comments]
        assert (got.title, got.author, got.published, got.tags) == (
            expected.title,
            expected.author,
            expected.published,
            expected.tags,
        )
        assert (got.comment_count, got.media_urls) == (
            expected.comment_count,
            [site.url(m) for m in expected.media_urls],
        )
        assert [(c.id, c.author, c.published) for c in comments] == [
            (c.id, c.author, c.published) for c in expected.comments
        ]
        assert all(want.text in c.text for c, want in zip(comments, expected.comments))
    if options.get("comments_per_page"):
        assert len(comment_pages) == 1


def test_listing_posts_match_the_permalinks():
    site = make_site(posts=12)
    site.base_url = "http://127.0.0.1:8123"
    page = canalblog.parse(site.handle("/", {}).body.decode(), site.url("/"), LinkKind.HOME)
    expected = {site.url(p.path): p for p in site.posts}
    assert len(page.posts) == 10
    for post in page.posts:
        want = expected[post.url]
        assert (post.title, post.published, post.tags, post.comment_count) == (
            want.title,
            want.published,
            want.tags,
            want.comment_count,
        )
        assert post.comments == []
    assert Link(site.url("/archives/p10-10.html"), LinkKind.LISTING, redundant=True) in page.links

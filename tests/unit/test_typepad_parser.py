"""The Typepad parser: URLs, Wayback chrome, dead and walled pages, fr/en footers, listings and feeds."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from crawler.detect import detect
from crawler.parsers import typepad
from crawler.parsers.base import LinkKind
from tests.corpus import REALPAGES_DIR
from tests.fixtureweb.base import make_site

BASE = "http://127.0.0.1:8765"
REAL_URL = "https://getcoreinterface.typepad.com/blog/2013/09/some-net-api-samples.html"
REAL_PAGE = REALPAGES_DIR / "typepad" / "post-2013-net-api-samples-two-comments" / "input.html"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def entry_page(header: str, footer: str, comments: str = "", lang: str = "fr", extra: str = "") -> str:
    """A minimal classic Typepad permalink page."""
    return f"""<html lang="{lang}"><head><meta name="generator" content="http://www.typepad.com/" /></head><body>
<h2 class="date-header">{header}</h2>
<div class="entry-author-x entry-type-post entry" id="entry-6a00d8341c000000000000000000000001">
<h3 class="entry-header">Le client militant</h3>
<div class="entry-content"><div class="entry-body"><p>Comme promis, voici le fil conducteur.</p></div>
<div class="entry-more"><p>Je compte distinguer 3 grandes parties.</p></div></div>
<div class="entry-footer"><p class="entry-footer-info">{footer}</p></div></div>
{extra}
<div class="comments"><div class="comments-content">{comments}</div></div>
</body></html>"""


def comment(xid: str, footer: str, text: str) -> str:
    return (
        f'<div class="comment" id="comment-{xid}"><div class="comment-content"><p>{text}</p></div>'
        f'<p class="comment-footer">{footer}</p></div>'
    )


# --- URLs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://jbp.typepad.com/jb/2007/11/labsence-de-fro.html", True),
        ("http://127.0.0.1:8765/blog/2008/01/note.html?cid=6a00#comment-6a00", True),
        ("https://www.example.com/2008/01/note.html", True),
        ("https://jbp.typepad.com/jb/2007/11/index.html", False),
        ("https://jbp.typepad.com/jb/page/2/", False),
        ("https://jbp.typepad.com/jb/archives.html", False),
        ("https://jbp.typepad.com/jb/about.html", False),
        (
            "https://web.archive.org/web/20080101000000/http://jbp.typepad.com/jb/2007/11/labsence-de-fro.html",
            True,
        ),
    ],
)
def test_is_post_url(url, expected):
    assert typepad.is_post_url(url) is expected


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("https://jbp.typepad.com/jb/2007/11/labsence-de-fro.html", "https://jbp.typepad.com/jb/"),
        ("http://jbp.typepad.com/jb/page/3/", "https://jbp.typepad.com/jb/"),
        ("https://jbp.typepad.com/jb/archives.html", "https://jbp.typepad.com/jb/"),
        ("https://jbp.typepad.com/jb/cuisine/", "https://jbp.typepad.com/jb/"),
        ("https://jbp.typepad.com/jb/2007/11/index.html", "https://jbp.typepad.com/jb/"),
        ("https://jbp.typepad.com/", "https://jbp.typepad.com/"),
        ("https://www.example.com/2008/01/note.html", "https://www.example.com/"),
        (f"{BASE}/blog/atom.xml", f"{BASE}/blog/"),
        (
            "https://web.archive.org/web/2013id_/http://jbp.typepad.com/jb/2007/11/x.html",
            "https://jbp.typepad.com/jb/",
        ),
    ],
)
def test_blog_root(url, root):
    assert typepad.blog_root(url) == root


def test_canonical_url_drops_comment_and_prefetch_queries_and_wayback():
    want = "https://jbp.typepad.com/jb/2007/11/labsence-de-fro.html"
    assert (
        typepad.canonical_url("http://jbp.typepad.com/jb/2007/11/labsence-de-fro.html?no_prefetch=1") == want
    )
    assert (
        typepad.canonical_url("http://jbp.typepad.com/jb/2007/11/labsence-de-fro.html?cid=6a00#comment-6a00")
        == want
    )
    assert typepad.canonical_url("https://web.archive.org/web/20080101000000/" + want) == want


def test_seeds_feed_first_then_archive_index():
    links = typepad.seeds("https://jbp.typepad.com/jb/2007/11/labsence-de-fro.html")
    assert [(link.url, link.kind) for link in links] == [
        ("https://jbp.typepad.com/jb/atom.xml", LinkKind.FEED),
        ("https://jbp.typepad.com/jb/archives.html", LinkKind.LISTING),
    ]


# --- French and English footers, trackbacks -------------------------------------


def test_french_comments_and_trackbacks_apart():
    comments = comment(
        "6a01", "Rédigé par : xgc | 06 jan 2008 à 14:22", "Bonjour, une bibliographie ?"
    ) + comment(
        "6a02",
        'Rédigé par : <a href="http://adwords.example/" rel="nofollow">spécialiste adwords google</a> | '
        '<a href="?cid=6a02#comment-6a02">20 mai 2012 à 16:20</a>',
        "après le web 2.0",
    )
    trackbacks = (
        '<div class="trackbacks"><div class="trackback" id="ping-6a09"><div class="trackback-content">'
        '<p><a href="http://autre.example/x.html">Réponse</a> un extrait</p></div>'
        '<p class="trackback-footer">Tracké le 07 jan 2008 à 10:00</p></div></div>'
    )
    footer = (
        'Rédigé par <a rel="author" href="http://profile.typepad.com/jbp">JBP</a> le 05 janvier 2008 à 18:30 '
        'dans <a href="https://jbp.typepad.com/jb/marketing/">Marketing</a> | '
        '<a class="permalink" href="https://jbp.typepad.com/jb/2008/01/le-client-milit.html">Lien permanent</a> | '
        "Commentaires (2) | TrackBack (1)"
    )
    html = entry_page("samedi 05 janvier 2008", footer, comments, extra=trackbacks)
    page = typepad.parse(html, "https://jbp.typepad.com/jb/2008/01/le-client-milit.html", LinkKind.POST)
    [post] = page.posts
    assert (post.title, post.author, post.tags) == ("Le client militant", "JBP", ["Marketing"])
    assert post.published == utc(2008, 1, 5, 17, 30)
    assert (post.comment_count, post.extra) == (
        2,
        {"trackbacks": ["http://autre.example/x.html"], "trackback_count": 1},
    )
    assert [(c.id, c.author, c.author_url, c.published) for c in post.comments] == [
        ("6a01", "xgc", None, utc(2008, 1, 6, 13, 22)),
        ("6a02", "spécialiste adwords google", "http://adwords.example/", utc(2012, 5, 20, 14, 20)),
    ]
    assert post.comments[0].text == "Bonjour, une bibliographie ?"
    assert "grandes parties" in post.body_html and "Rédigé" not in post.body_html


def test_english_footer_with_date_in_header_and_time_in_footer():
    footer = 'Posted by <a rel="author" href="#">Bob</a> at 02:22 PM in <a href="/jb/misc/">Misc</a> | Comments (1)'
    comments = comment("6a03", "Posted by: Kate | January 07, 2008 at 09:05 AM", "Nice post")
    html = entry_page("Sunday, January 06, 2008", footer, comments, lang="en")
    [post] = typepad.parse(html, "https://jbp.typepad.com/jb/2008/01/x.html", LinkKind.POST).posts
    assert (post.author, post.published, post.tags) == ("Bob", utc(2008, 1, 6, 13, 22), ["Misc"])
    assert [(c.author, c.published) for c in post.comments] == [("Kate", utc(2008, 1, 7, 8, 5))]


def test_custom_template_title_body_and_footer_date_in_a_us_zone():
    """Towleroad's template: title an <h3> without entry-header, paragraphs right in div.entry,
    'Posted Sep. 27,2014 at 3:03 PM EST' (no space after the comma, a US zone after the time)."""
    url = "http://www.towleroad.com/2014/09/x.html"
    html = (
        '<html><body><div class="entry" id="entry-6a00"><h3><a class="redhed" href="'
        + url
        + '">A Title</a></h3>'
        '<p>First paragraph of the post.</p><p class="extended"><a href="'
        + url
        + '#more">Continue reading</a></p>'
        '<p class="posted">Posted Sep. 27,2014 at 3:03 PM EST by <a rel="author" href="/bob.html">Bob</a> | '
        '<a href="' + url + '">Permalink</a></p></div></body></html>'
    )
    [post] = typepad.parse(html, url, LinkKind.POST).posts
    assert (post.title, post.published, post.author) == ("A Title", utc(2014, 9, 27, 20, 3), "Bob")
    assert "First paragraph of the post." in post.body_html
    assert "Continue reading" not in post.body_html and "Posted" not in post.body_html


def classic_entry(n: int, footer: str) -> str:
    """An entry of Typepad's first templates: anchor, bare h3, paragraphs, p.posted; no wrapper."""
    url = f"http://blog.example.com/blog/2006/01/post_{n}.html"
    return (
        f'<a id="a00{n}"></a><h3>Title {n}</h3><p>Paragraph one of post {n}.</p><p>Paragraph two.</p>'
        f'<p class="extended"><a href="{url}#more">Continue reading "Title {n}"</a></p>'
        f'<p class="posted">{footer} in <a href="http://blog.example.com/blog/tips/">Tips</a> | '
        f'<a href="{url}">Permalink</a> | <a href="{url}#comments">Comments ({n})</a></p>'
    )


def test_first_templates_entries_without_a_wrapper_are_posts():
    """2003-2007 templates (leknott.com, mailchimp.blogs.com): no div.entry, an <h3> and a p.posted."""
    column = classic_entry(1, "January 16, 2006") + '<h2 class="date-header">January 14, 2006</h2>'
    column += classic_entry(2, "Posted by Ann at 05:09 PM")
    html = f'<html><body><div id="left"><h3>Categories</h3></div><div class="content">{column}</div></body></html>'
    posts = typepad.parse(html, "http://blog.example.com/blog/", LinkKind.HOME).posts
    assert [(p.url, p.title, p.tags, p.comment_count) for p in posts] == [
        (f"http://blog.example.com/blog/2006/01/post_{n}.html", f"Title {n}", ["Tips"], n) for n in (1, 2)
    ]
    assert [(p.published, p.author) for p in posts] == [
        (utc(2006, 1, 16), None),
        (utc(2006, 1, 14, 16, 9), "Ann"),
    ]
    assert "Paragraph one of post 2." in posts[1].body_html and "Continue reading" not in posts[1].body_html
    assert "Permalink" not in posts[1].body_html and "Title 2" not in posts[1].body_html


def test_a_footer_without_a_title_of_its_own_is_no_entry():
    html = '<html><body><div class="content"><p>Text.</p><p class="posted">January 16, 2006</p></div></body></html>'
    assert typepad.parse(html, "http://blog.example.com/blog/", LinkKind.HOME).posts == []


def test_date_header_inside_the_entry_wins_over_the_previous_day():
    html = entry_page("lundi 07 janvier 2008", "Rédigé à 09:15").replace(
        '<h3 class="entry-header">',
        '<h2 class="date-header">mardi 08 janvier 2008</h2><h3 class="entry-header">',
    )
    [post] = typepad.parse(html, "https://a.typepad.com/b/2008/01/x.html", LinkKind.POST).posts
    assert post.published == utc(2008, 1, 8, 8, 15)


def trackback_rdf(permalink: str, stamp: str) -> str:
    """The trackback RDF block Movable Type and Typepad templates hide in an HTML comment."""
    return f"""<!--
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:trackback="http://madskills.com/public/xml/rss/module/trackback/">
<rdf:Description rdf:about="{permalink}" trackback:ping="https://www.typepad.com/services/trackback/6a00d8"
    dc:title="Le client &#39;militant&#39;" dc:identifier="{permalink}" dc:date="{stamp}" />
</rdf:RDF>
-->"""


@pytest.mark.parametrize(
    ("stamp", "expected", "precision", "offset"),
    [
        # The shown day only: the block adds the time and the zone.
        ("2004-08-23T10:35:20-05:00", utc(2004, 8, 23, 15, 35, 20), "second", -300),
        # A block that names another day (a moved post, a template bug) does not replace the shown day.
        ("2004-08-25T10:35:20-05:00", utc(2004, 8, 23), "day", None),
    ],
)
def test_trackback_rdf_block_gives_the_time_of_a_day_only_post(stamp, expected, precision, offset):
    url = "https://pmbryant.typepad.com/b_and_b/2004/08/yet_more_outrag.html"
    html = entry_page(
        "August 23, 2004", '<a class="permalink" href="yet_more_outrag.html">Permalink</a>', lang="en"
    )
    html = html.replace("</head>", trackback_rdf(url, stamp) + "</head>")
    [post] = typepad.parse(html, url, LinkKind.POST).posts
    assert (post.published, post.published_precision, post.utc_offset) == (expected, precision, offset)


def test_trackback_rdf_blocks_of_a_listing_date_each_their_own_entry():
    first, second = "https://a.typepad.com/b/2004/08/un.html", "https://a.typepad.com/b/2004/08/deux.html"
    entries = "".join(
        f"""<div class="entry-type-post entry"><h3 class="entry-header"><a href="{url}">Titre</a></h3>
<div class="entry-content"><div class="entry-body"><p>Texte.</p></div></div></div>{trackback_rdf(url, stamp)}"""
        for url, stamp in ((first, "2004-08-23T09:00:00-05:00"), (second, "2004-08-23T17:45:00-05:00"))
    )
    html = f'<html><body><h2 class="date-header">August 23, 2004</h2>{entries}</body></html>'
    posts = typepad.parse(html, "https://a.typepad.com/b/2004/08/", LinkKind.LISTING).posts
    assert [(p.url, p.published) for p in posts] == [
        (first, utc(2004, 8, 23, 14)),
        (second, utc(2004, 8, 23, 22, 45)),
    ]


def test_movable_type_3_comment_markup():
    comments = (
        '<div class="comments-body"><p>First!</p>'
        '<span class="comments-post">Posted by: <a href="http://bob.example/">Bob</a> | January 06, 2008 08:22 PM</span></div>'
    )
    html = entry_page("January 06, 2008", "Posted at 02:22 PM", comments, lang="en")
    [post] = typepad.parse(html, "https://a.typepad.com/b/2008/01/x.html", LinkKind.POST).posts
    assert [(c.author, c.author_url, c.published, c.text) for c in post.comments] == [
        ("Bob", "http://bob.example/", utc(2008, 1, 6, 19, 22), "First!")
    ]


@pytest.mark.parametrize(
    ("header", "url_month", "lang", "footer", "expected"),
    [
        ("06/01/2008", "01", "en", "Posted at 02:00 PM", utc(2008, 1, 6, 13)),  # the URL says January
        ("06/01/2008", "06", "en", "Posted at 02:00 PM", utc(2008, 6, 1, 12)),  # the URL says June
        ("09/17/2013", "09", "en", "Posted at 05:06 PM", utc(2013, 9, 17, 15, 6)),
        (
            "22/03/2008",
            "09",
            "fr",
            "Rédigé à 14:00",
            utc(2008, 3, 22, 13),
        ),  # a moved post: the numbers decide
        ("03/03/2008", "03", "fr", "Rédigé à 14:00", utc(2008, 3, 3, 13)),
    ],
)
def test_numeric_date_headers(header, url_month, lang, footer, expected):
    html = entry_page(header, footer, lang=lang)
    [post] = typepad.parse(html, f"https://a.typepad.com/b/2008/{url_month}/x.html", LinkKind.POST).posts
    assert post.published == expected


def test_ambiguous_numeric_comment_dates_follow_the_post_order():
    comments = comment("6a04", "Posted by: Kate | 02/03/2008 at 10:00 AM", "Hello")
    html = entry_page(
        "01/06/2008", "Posted at 02:00 PM", comments, lang="fr"
    )  # French chrome, English template
    [post] = typepad.parse(html, "https://a.typepad.com/b/2008/01/x.html", LinkKind.POST).posts
    assert post.comments[0].published == utc(2008, 2, 3, 9)


def test_author_page_is_not_a_post():
    html = entry_page("", "").replace("entry-type-post", "entry-type-page")
    page = typepad.parse(html, "https://a.typepad.com/b/about.html", LinkKind.POST)
    assert (page.outcome, page.posts) == ("not_a_post", [])


# --- Not content: shutdown notice, Cloudflare, garbage ---------------------------

GONE = "<html><head><title>Typepad</title></head><body><h1>Typepad has closed</h1><p>Thank you.</p></body></html>"
CHALLENGE = (
    "<html><head><title>Just a moment...</title></head><body><div id='challenge-form'></div>"
    "<script>window._cf_chl_opt={cvId: '3'};</script></body></html>"
)


@pytest.mark.parametrize(
    ("text", "url", "outcome"),
    [
        (GONE, "https://www.networksolutions.com/typepad", "blog_gone"),
        ("<html><body>Hosting plans</body></html>", "https://www.networksolutions.com/", "blog_gone"),
        (GONE, "https://jbp.typepad.com/jb/2007/11/labsence-de-fro.html", "blog_gone"),
        (CHALLENGE, "https://jbp.typepad.com/jb/", "challenge"),
        ("", "https://jbp.typepad.com/jb/", "empty"),
    ],
)
def test_pages_that_are_not_the_blog(text, url, outcome):
    for kind in (LinkKind.HOME, LinkKind.POST, LinkKind.FEED):
        page = typepad.parse(text, url, kind)
        assert (page.outcome, page.posts, page.links) == (outcome, [], [])


def test_shutdown_notice_and_cloudflare_scripts_inside_a_real_post_keep_it_a_post():
    html = entry_page("05 janvier 2008", "Rédigé à 18:30").replace(
        "Comme promis", "Typepad has closed, hélas. Comme promis"
    )
    html = html.replace(
        "</body>", "<script src='/cdn-cgi/challenge-platform/scripts/jsd/main.js'></script></body>"
    )
    page = typepad.parse(html, "https://a.typepad.com/b/2008/01/x.html", LinkKind.POST)
    assert page.outcome is None and len(page.posts) == 1


@pytest.mark.parametrize(
    "text", ["\x00\x01garbage", "<html>", "<rss><channel><item><link>", "<feed", "ÿþ<\x00h"]
)
def test_never_raises(text):
    for kind in LinkKind:
        assert typepad.parse(text, "https://a.typepad.com/b/", kind).posts == []


# --- Wayback captures -------------------------------------------------------------

WAYBACK_HEAD = """<script src="//archive.org/includes/athena.js" type="text/javascript"></script>
<script type="text/javascript">window.__wm.init("https://web.archive.org/web");</script>
<link rel="stylesheet" type="text/css" href="https://web-static.archive.org/_static/css/banner-styles.css" />
<!-- End Wayback Rewrite JS Include -->"""
WAYBACK_TOOLBAR = """<!-- BEGIN WAYBACK TOOLBAR INSERT -->
<div id="wm-ipp-base" lang="en" style="display: none"><div id="wm-ipp"><p>The Wayback Machine - captured
17 captures 1 Oct 2013</p><a href="/web/20131001000000*/https://getcoreinterface.typepad.com/">Calendar</a></div></div>
<!-- END WAYBACK TOOLBAR INSERT -->"""


def wayback_capture(html: str, stamp: str = "20131001000000") -> str:
    """The page as the Wayback Machine shows it without ``id_``: banner, scripts, rewritten URLs."""
    html = html.replace("<head>", "<head>\n" + WAYBACK_HEAD, 1)
    html = re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + WAYBACK_TOOLBAR, html, count=1)
    html = re.sub(r'href="(https?://)', rf'href="/web/{stamp}/\1', html)
    return re.sub(r'src="(https?://)', rf'src="https://web.archive.org/web/{stamp}im_/\1', html)


@pytest.mark.parametrize("url", [REAL_URL, f"https://web.archive.org/web/20131001000000/{REAL_URL}"])
def test_wayback_capture_parses_like_the_live_page(url):
    live_html = REAL_PAGE.read_text(encoding="utf-8")
    live = typepad.parse(live_html, REAL_URL, LinkKind.POST)
    archived = typepad.parse(wayback_capture(live_html), url, LinkKind.POST)
    assert archived.posts == live.posts
    assert archived.links == live.links
    assert "web.archive.org" not in archived.posts[0].body_html
    assert not any("/web/2013" in link.url or "archive.org" in link.url for link in archived.links)


def test_wayback_toolbar_without_rewritten_links_is_still_stripped():
    live_html = REAL_PAGE.read_text(encoding="utf-8")
    html = live_html.replace("<head>", "<head>\n" + WAYBACK_HEAD, 1).replace(
        '<div class="entry-body">', WAYBACK_TOOLBAR + '<div class="entry-body">', 1
    )
    [post] = typepad.parse(html, REAL_URL, LinkKind.POST).posts
    assert "Wayback" not in post.body_html and "wm-ipp" not in post.body_html


# --- The fixture blog: permalinks, listings, archives, feeds -----------------------


@pytest.fixture(scope="module", params=["fr", "en", "mixed"])
def site(request):
    site = make_site("typepad", lang=request.param)
    site.base_url = BASE
    return site


def fetch(site, path: str) -> str:
    reply = site.handle(path, {})
    assert reply.status == 200, path
    return reply.body.decode("utf-8")


def test_fixture_is_detected_as_typepad_on_loopback(site):
    assert detect(site.url("/blog/"), fetch(site, "/blog/")) == "typepad"


def test_every_fixture_permalink_matches_its_ground_truth(site):
    for want in site.posts:
        [post] = typepad.parse(fetch(site, want.path), site.url(want.path), LinkKind.POST).posts
        assert (post.url, post.blog_url) == (site.url(want.path), site.url("/blog/"))
        assert (post.title, post.author, post.published, post.tags) == (
            want.title,
            want.author,
            want.published,
            want.tags,
        )
        assert post.comment_count == want.comment_count == len(post.comments)
        assert [(c.id, c.author, c.published) for c in post.comments] == [
            (c.id, c.author, c.published) for c in want.comments
        ]
        assert all(w.text in c.text for c, w in zip(post.comments, want.comments))
        assert want.text in post.body_html
        assert post.media_urls == [site.url(m) for m in want.media_urls]
        assert post.extra.get("trackbacks", [None]) == [want.extra["trackback"]]


def test_home_page_lists_posts_and_links_only_within_the_blog(site):
    page = typepad.parse(fetch(site, "/blog/"), site.url("/blog/"), LinkKind.HOME)
    assert [p.url for p in page.posts] == [site.url(p.path) for p in site.posts[:5]]
    assert [p.published for p in page.posts] == [p.published for p in site.posts[:5]]
    urls = {link.url: link.kind for link in page.links}
    assert urls[site.url("/blog/page/2/")] is LinkKind.LISTING
    assert urls[site.url("/blog/archives.html")] is LinkKind.LISTING
    assert all(url.startswith(site.url("/blog/")) and "?" not in url for url in urls)
    assert all(kind in (LinkKind.POST, LinkKind.LISTING) for kind in urls.values())


def test_archive_index_reaches_every_month_and_category(site):
    page = typepad.parse(
        fetch(site, "/blog/archives.html"), site.url("/blog/archives.html"), LinkKind.LISTING
    )
    listed = {link.url for link in page.links}
    months = {site.url(p.path.rsplit("/", 1)[0] + "/index.html") for p in site.posts}
    assert months <= listed
    posts_seen = set()
    for url in listed:
        path = url[len(BASE) :]
        posts_seen |= {p.url for p in typepad.parse(fetch(site, path), url, LinkKind.LISTING).posts}
    assert posts_seen == {site.url(p.path) for p in site.posts}


def test_feeds_give_hints_for_the_newest_posts(site):
    for name in ("atom.xml", "rss.xml"):
        page = typepad.parse(fetch(site, f"/blog/{name}"), site.url(f"/blog/{name}"), LinkKind.FEED)
        newest = site.posts[:10]
        assert [(p.url, p.published, p.tags) for p in page.posts] == [
            (site.url(p.path), p.published, p.tags) for p in newest
        ]
        assert all(link.kind is LinkKind.POST and link.hint["url"] == link.url for link in page.links)
        assert page.posts[0].post_id and page.blog_title


def test_detect_typepad_hosts_and_shutdown_notice():
    assert detect("https://dlorenzo.blogs.com/daves_blog/") == "typepad"
    assert detect("https://www.networksolutions.com/typepad", GONE) == "typepad"


def test_feedburner_feed_keeps_the_blog_posts():
    rss = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
<title>JB</title><link>https://jbp.typepad.com/jb/</link>
<item><title>L'absence de frottement</title><link>http://feedproxy.google.com/~r/jb/~3/abc/labsence-de-fro.html</link>
<pubDate>Mon, 19 Nov 2007 17:38:00 +0100</pubDate><category>Marketing</category>
<feedburner:origLink>https://jbp.typepad.com/jb/2007/11/labsence-de-fro.html</feedburner:origLink></item>
<item><title>Off-blog</title><link>https://elsewhere.example/2007/11/x.html</link></item>
</channel></rss>"""
    page = typepad.parse(rss, "http://feeds.feedburner.com/jb", LinkKind.FEED)
    assert [(p.url, p.published, p.tags) for p in page.posts] == [
        ("https://jbp.typepad.com/jb/2007/11/labsence-de-fro.html", utc(2007, 11, 19, 16, 38), ["Marketing"])
    ]
    assert page.links[0].hint["published"] == "2007-11-19T16:38:00+00:00"


def test_a_newspapers_advanced_template_without_entry_classes_is_a_post():
    # blogs.mcall.com (2013): div#blog > div.date, div.blog_title, div.posted, div.blog_text; the comment
    # form's note is a second div.blog_text.
    page = (
        "<html><body><div id='blog'><div class='date'>May 22, 2013</div><div class='blog_title'>Two greats</div>"
        "<div class='category_text'>Categories: <a href='http://blogs.mcall.com/phillies/games/' rel='tag'>Games</a>"
        "</div><div class='posted'> Posted at 04:33:47 PM on May 22, 2013 </div>"
        "<div class='blog_text'><p>Two pitchers will be honored.</p></div>"
        "<div class='blog_title'>Leave A Comment</div><div class='blog_text'><b>NOTE:</b> Be civil.</div>"
        "</div></body></html>"
    )
    url = "http://blogs.mcall.com/phillies/2013/05/two-greats.html"
    post = typepad.parse(page, url, LinkKind.POST).posts[0]
    assert (post.title, post.tags) == ("Two greats", ["Games"])
    assert post.published == datetime(2013, 5, 22, 14, 33, 47, tzinfo=timezone.utc)  # 16:33:47 in Paris
    assert "Two pitchers" in post.body_html and "civil" not in post.body_html

"""The Tumblr parser on the fixture blog's pages and on small hand-written cases: APIs, RSS, HTML, walls."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone

import pytest

from crawler.dates import parse_when
from crawler.parsers import tumblr
from crawler.parsers.base import LinkKind
from crawler.parsers.tumblr.chrome import is_date_line
from crawler.parsers.tumblr.postids import day_of_id
from tests.fixtureweb.base import make_site

BASE = "http://127.0.0.1:8765"


@pytest.fixture(scope="module")
def site():
    blog = make_site("tumblr", posts=120)
    blog.base_url = BASE
    return blog


def fetch(site, path: str, kind: LinkKind):
    reply = site.handle(path, {})
    return tumblr.parse(reply.body.decode("utf-8"), site.url(path), kind)


def expected_by_url(site) -> dict:
    return {site.url(p.path): p for p in site.posts}


def assert_matches_truth(site, post, *, exact_extra: bool = True) -> None:
    want = expected_by_url(site)[post.url]
    assert post.title == want.title, post.url
    assert post.published == want.published, post.url
    assert post.tags == want.tags, post.url
    # RSS never names the blog of a custom domain (the fixture's 127.0.0.1).
    assert post.author == (want.author if exact_extra else None), post.url
    assert post.media_urls == [site.media_url(m) for m in want.media_urls], post.url
    if exact_extra:
        assert post.extra == want.extra, post.url


# -- URLs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        (
            "http://mcupdate.tumblr.com/post/96439224994/minecraft-18",
            "https://mcupdate.tumblr.com/post/96439224994",
        ),
        ("https://mcupdate.tumblr.com/post/96439224994", "https://mcupdate.tumblr.com/post/96439224994"),
        (
            "https://www.tumblr.com/mcupdate/96439224994/minecraft-18",
            "https://mcupdate.tumblr.com/post/96439224994",
        ),
        (
            "https://www.tumblr.com/blog/view/mcupdate/96439224994",
            "https://mcupdate.tumblr.com/post/96439224994",
        ),
        ("http://blog.example.fr/post/123/un-titre?utm_source=x#notes", "http://blog.example.fr/post/123"),
        ("http://127.0.0.1:8765/post/5/slug", "http://127.0.0.1:8765/post/5"),
    ],
)
def test_canonical_url_is_the_id_form(url, canonical):
    assert tumblr.canonical_url(url) == canonical
    assert tumblr.is_post_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://x.tumblr.com/image/123",
        "http://x.tumblr.com/tagged/post",
        "http://x.tumblr.com/page/2",
        "ftp://x.tumblr.com/post/1",
    ],
)
def test_not_post_urls(url):
    assert not tumblr.is_post_url(url)


@pytest.mark.parametrize(
    ("url", "root"),
    [
        ("http://name.tumblr.com/post/1/slug", "https://name.tumblr.com/"),
        ("https://www.tumblr.com/name/123", "https://name.tumblr.com/"),
        ("https://api.tumblr.com/v2/blog/name.tumblr.com/posts?limit=50", "https://name.tumblr.com/"),
        ("http://127.0.0.1:8765/v2/blog/127.0.0.1:8765/posts", "http://127.0.0.1:8765/"),
        ("http://blog.example.fr/tagged/x/page/3", "http://blog.example.fr/"),
    ],
)
def test_blog_root(url, root):
    assert tumblr.blog_root(url) == root


def test_seeds_are_keyless_feeds_then_the_archive():
    links = tumblr.seeds("http://name.tumblr.com/page/3")
    assert [(link.kind, link.url) for link in links] == [
        (LinkKind.FEED, "https://name.tumblr.com/api/read/json?num=50&start=0"),
        (LinkKind.FEED, "https://name.tumblr.com/rss"),
        (LinkKind.LISTING, "https://name.tumblr.com/archive"),
    ]


def test_no_seeds_for_tumblr_itself():
    assert tumblr.seeds("https://www.tumblr.com/privacy/consent?redirect=https%3A%2F%2Fx.tumblr.com%2F") == []


def test_api_v2_url_carries_no_key():
    url = tumblr.api_v2_url("http://127.0.0.1:9/", "http://name.tumblr.com/post/1")
    assert url == "http://127.0.0.1:9/v2/blog/name.tumblr.com/posts?limit=50&reblog_info=true"


# -- APIs and RSS -------------------------------------------------------------------


def test_v1_json_every_type_and_paging(site):
    page = fetch(site, "/api/read/json?num=50&start=50", LinkKind.FEED)
    assert page.outcome is None and len(page.posts) == 50
    assert page.blog_title == "Je suis un Netizen, et vous ?"
    for post in page.posts:
        assert_matches_truth(site, post)
    assert {p.extra["type"] for p in page.posts} == {
        "text",
        "photo",
        "quote",
        "link",
        "chat",
        "audio",
        "video",
    }
    feeds = [link.url for link in page.links if link.kind is LinkKind.FEED]
    assert feeds == [site.url("/api/read/json?num=50&start=100")]
    hinted = [link for link in page.links if link.kind is LinkKind.POST]
    assert len(hinted) == 50 and all(link.hint["published"] and link.hint["extra"]["type"] for link in hinted)


def test_v1_json_last_page_has_no_next(site):
    page = fetch(site, "/api/read/json?num=50&start=100", LinkKind.FEED)
    assert len(page.posts) == 20
    assert not [link for link in page.links if link.kind is LinkKind.FEED]


def test_v1_plain_text_of_chat_and_quote(site):
    page = fetch(site, "/api/read/json?num=50&start=0", LinkKind.FEED)
    by_type = {p.extra["type"]: p for p in page.posts}
    truth = expected_by_url(site)
    chat = by_type["chat"]
    assert truth[chat.url].text in chat.text and chat.text.startswith("Marie : ") and chat.body_html is None
    quote = by_type["quote"]
    assert quote.body_html.startswith("<blockquote>") and "<p>— " in quote.body_html


def test_v1_xml_gives_the_same_posts_as_json(site):
    as_json = fetch(site, "/api/read/json?num=50&start=0", LinkKind.FEED)
    as_xml = fetch(site, "/api/read?num=50&start=0", LinkKind.FEED)
    assert [p.url for p in as_xml.posts] == [p.url for p in as_json.posts]
    for post in as_xml.posts:
        assert_matches_truth(site, post)
    assert [link.url for link in as_xml.links if link.kind is LinkKind.FEED] == [
        site.url("/api/read?num=50&start=50"),
        site.url("/api/read?num=50&start=100"),
    ]  # posts-total known: the first page names every later one


def test_v2_pages_by_before_and_never_stores_the_key(site):
    first = fetch(site, "/v2/blog/127.0.0.1:8765/posts?limit=50&reblog_info=true&api_key=fake", LinkKind.FEED)
    assert len(first.posts) == 50
    for post in first.posts:
        assert_matches_truth(site, post)
    (following,) = [link for link in first.links if link.kind is LinkKind.FEED]
    oldest = int(min(p.published for p in first.posts).timestamp())
    assert following.url == site.url(
        f"/v2/blog/127.0.0.1:8765/posts?limit=50&reblog_info=true&before={oldest}"
    )
    assert all("api_key" not in link.url and "fake" not in json.dumps(link.hint) for link in first.links)
    second = fetch(site, following.url.replace(BASE, "") + "&api_key=fake", LinkKind.FEED)
    assert {p.url for p in second.posts}.isdisjoint(p.url for p in first.posts) and len(second.posts) == 50


@pytest.mark.parametrize(
    ("status", "errors", "outcome"),
    [
        (401, [{"title": "Unauthorized"}], "api_unauthorized"),
        (429, [{"title": "Limit Exceeded"}], "api_rate_limited"),
        (404, [{"title": "Not Found"}], "blog_gone"),
        (404, [{"detail": "This Tumblr may only be viewable within the Tumblr dashboard"}], "login_wall"),
        (500, [], "api_error"),
    ],
)
def test_v2_errors_are_outcomes(status, errors, outcome):
    body = json.dumps({"meta": {"status": status, "msg": "x"}, "response": [], "errors": errors})
    page = tumblr.parse(body, "https://api.tumblr.com/v2/blog/x.tumblr.com/posts?limit=50", LinkKind.FEED)
    assert (page.outcome, page.posts, page.links) == (outcome, [], [])


def test_rss_dates_tags_and_untitled_posts(site):
    page = fetch(site, "/rss", LinkKind.FEED)
    assert len(page.posts) == 20
    for post in page.posts:
        assert_matches_truth(site, post, exact_extra=False)
    assert all(link.hint for link in page.links)


# -- HTML ---------------------------------------------------------------------------


def test_listing_one_record_per_post_without_chrome(site):
    page = fetch(site, "/page/2", LinkKind.LISTING)
    assert len(page.posts) == 10
    shown = expected_by_url(site)
    for post in page.posts:
        want = shown[post.url]
        assert (post.title, post.tags, post.author) == (want.title, want.tags, want.author)
        assert post.media_urls == [site.media_url(m) for m in want.media_urls]
        # This theme names no post type (French class names): the permalink's og:type will.
        assert post.extra == {k: v for k, v in want.extra.items() if k != "type" or v == "video"}
    for post in page.posts:
        html = post.body_html or ""
        assert (
            shown[post.url].text in html
            or shown[post.url].text in (post.text or "")
            or post.extra["type"] == "chat"
        )
        for chrome in (
            "il y a",
            " notes<",
            "#",
            "Rebloguer",
            "rebloggé depuis",
            "Ask me anything",
            "Submit",
            "bienvenue",
        ):
            assert chrome not in html, (post.url, chrome)


def test_listing_published_is_none_for_relative_dates(site):
    site_posts = fetch(site, "/", LinkKind.HOME).posts
    assert site_posts and all(post.published is None for post in site_posts)


def test_listing_links_permalinks_pages_and_tags(site):
    page = fetch(site, "/", LinkKind.HOME)
    kinds = {(link.kind, link.url) for link in page.links}
    assert (LinkKind.LISTING, site.url("/page/2")) in kinds
    assert (LinkKind.LISTING, site.url("/archive")) in kinds
    assert (LinkKind.LISTING, site.url("/tagged/petit-monde")) in kinds
    posts = [link for link in page.links if link.kind is LinkKind.POST]
    assert [link.url for link in posts] == [p.url for p in page.posts]
    assert all(link.priority < 0 and link.hint is None for link in posts)
    off_blog = ("autreblog", "/reblog/", "/ask", "/submit", "route", "/image/", "www.tumblr.com")
    assert not [link.url for link in page.links if any(bad in link.url for bad in off_blog)]


def test_permalink_takes_the_date_from_json_ld(site):
    for fixture_post in site.fixture_posts[:14]:
        page = fetch(site, f"/post/{fixture_post.id}", LinkKind.POST)
        assert page.outcome is None and len(page.posts) == 1
        assert_matches_truth(site, page.posts[0])
        assert page.blog_title == "Je suis un Netizen, et vous ?"
        assert "a aimé ce billet" not in (page.posts[0].body_html or "")


def test_a_tag_page_with_one_post_keeps_the_blog_header_out(site):
    tag = next(t for t in ("2.0", "été", "CRM") if sum(t in p.tags for p in site.fixture_posts) >= 1)
    path = f"/tagged/{tag.replace(' ', '-')}"
    page = fetch(site, path, LinkKind.LISTING)
    assert page.posts
    for post in page.posts:
        assert "Ask me anything" not in (post.body_html or "") and "Liste des billets" not in (
            post.body_html or ""
        )


THEME = """<html><head><meta property="og:type" content="tumblr-feed:tumblelog"></head><body>
<div id="header"><a href="/ask">Ask me anything</a> <a href="/submit">Submit</a></div>
{posts}{nav}</body></html>"""
POST = """<div class="entry"><div class="body"><p>Texte du billet {n}, assez long pour être un vrai paragraphe.</p></div>
<p class="date"><a href="/post/{n}/slug">28 février 2014</a> — <a href="/post/{n}/slug#notes">1 note</a></p></div>"""


def _theme(posts: int, nav: str = "") -> str:
    return THEME.format(posts="".join(POST.format(n=1000 + i) for i in range(posts)), nav=nav)


def test_infinite_scroll_theme_gets_the_next_page_anyway():
    page = tumblr.parse(_theme(3), "http://x.tumblr.com/page/4", LinkKind.LISTING)
    assert [p.post_id for p in page.posts] == ["1000", "1001", "1002"]
    assert page.posts[0].published == datetime(2014, 2, 28, tzinfo=timezone.utc)  # the day shown, 00:00 UTC
    assert page.posts[0].published_precision == "day"
    assert page.posts[0].extra == {"note_count": 1}
    assert (LinkKind.LISTING, "https://x.tumblr.com/page/5") in {(link.kind, link.url) for link in page.links}


def test_a_theme_linking_its_pages_is_trusted_and_an_empty_page_ends_the_walk():
    last = tumblr.parse(
        _theme(2, '<a href="/page/3">Previous</a>'), "http://x.tumblr.com/page/4", LinkKind.LISTING
    )
    assert "https://x.tumblr.com/page/5" not in {link.url for link in last.links}
    empty = tumblr.parse(_theme(0), "http://x.tumblr.com/page/9", LinkKind.LISTING)
    assert (empty.posts, empty.outcome) == ([], None)
    assert not [link for link in empty.links if "/page/" in link.url]


def test_seed_like_tag_page_strips_hashtags_and_relative_dates():
    body = """<html><head><meta property="og:type" content="tumblr-feed:tumblelog"></head><body>
    <p>Liste des billets comportant le tag petit monde.</p><a href="/ask">Ask me anything</a> <a href="/submit">Submit</a>
    <article><h2><a href="/post/77/histoire-du-netizen">Histoire du Netizen</a></h2>
    <p>L’histoire commence en 1929 quand un écrivain hongrois émet la théorie que nous sommes tous reliés.</p>
    <p>Il y a une vingtaine d’années, un jeune universitaire américain invente le mot « Netizen ».</p>
    <div class="meta">— <a href="/post/77/histoire-du-netizen">il y a 2 ans</a> avec <a href="/post/77#notes">12 notes</a></div>
    <div><a href="/tagged/2.0">#2.0</a>  <a href="/tagged/petit-monde">#petit monde</a>  <a href="/tagged/r%C3%A9seaux-sociaux">#réseaux sociaux</a></div>
    </article></body></html>"""
    (post,) = tumblr.parse(body, "http://netizen.tumblr.com/tagged/petit-monde", LinkKind.LISTING).posts
    assert post.title == "Histoire du Netizen"
    assert post.tags == ["2.0", "petit monde", "réseaux sociaux"]
    assert post.published is None and post.extra == {"note_count": 12}
    for chrome in (
        "il y a 2 ans",
        "12 notes",
        "#",
        "Ask me anything",
        "Liste des billets",
        "Histoire du Netizen",
    ):
        assert chrome not in post.body_html
    assert "Il y a une vingtaine d’années" in post.body_html


# -- walls and junk -----------------------------------------------------------------


def test_consent_wall_by_url_and_by_page():
    site = make_site("tumblr", consent=1)
    site.base_url = BASE
    redirect = site.handle("/post/1", {})
    assert redirect.status == 302 and redirect.headers[0][1].startswith("/privacy/consent?redirect=")
    wall = site.handle("/privacy/consent?redirect=x", {}).body.decode()
    assert (
        tumblr.parse(wall, "https://www.tumblr.com/privacy/consent?redirect=x", LinkKind.POST).outcome
        == "consent_wall"
    )
    for kind in (LinkKind.HOME, LinkKind.FEED, LinkKind.POST):
        page = tumblr.parse(wall, f"{BASE}/api/read/json", kind)
        assert (page.outcome, page.posts) == ("consent_wall", [])
    assert site.handle("/", {"cookie": "pfg=%23%7B%22gdpr_consent_core%22%3A1%7D"}).status == 200


@pytest.mark.parametrize(
    ("url", "body", "outcome"),
    [
        ("https://www.tumblr.com/login?redirect_to=%2Fx", "<html><body>Log in</body></html>", "login_wall"),
        (
            "https://www.tumblr.com/safe-mode?url=https://x.tumblr.com/",
            "<html><body>Safe mode</body></html>",
            "login_wall",
        ),
        ("https://gone.tumblr.com/", "<html><body><h1>There's nothing here.</h1></body></html>", "blog_gone"),
        (
            "https://x.tumblr.com/post/1",
            "<p>This Tumblr may only be viewable within the Tumblr dashboard</p>",
            "login_wall",
        ),
    ],
)
def test_walls_are_outcomes_never_posts(url, body, outcome):
    page = tumblr.parse(body, url, LinkKind.POST)
    assert (page.outcome, page.posts) == (outcome, [])


def test_a_post_quoting_a_wall_phrase_is_still_a_post(site):
    fixture_post = site.fixture_posts[1]
    body = (
        site.handle(fixture_post.path, {})
        .body.decode()
        .replace("<article", "<p>There's nothing here.</p><article")
    )
    page = tumblr.parse(body, site.url(fixture_post.path), LinkKind.POST)
    assert page.outcome is None and len(page.posts) == 1


@pytest.mark.parametrize("kind", list(LinkKind))
@pytest.mark.parametrize(
    "body",
    ["", "   ", "\x00\x01garbage", "{not json", "var x = ;", "<rss><channel>", "<tumblr><posts>", "[]"],
)
def test_junk_never_raises(kind, body):
    for url in (
        "http://x.tumblr.com/api/read/json",
        "http://x.tumblr.com/post/1",
        "http://x.tumblr.com/",
        "not a url",
    ):
        page = tumblr.parse(body, url, kind)
        assert page.posts == []
        assert page.outcome is not None or kind in (LinkKind.LISTING, LinkKind.COMMENTS, LinkKind.OTHER)


PERMALINK = "https://hand.tumblr.com/post/123456/slug"
HEAD = '<html><head><meta property="al:ios:app_name" content="Tumblr"/></head><body><h1><a href="/">Hand</a></h1>'


def parse_permalink(body: str):
    page = tumblr.parse(HEAD + body + "</body></html>", PERMALINK, LinkKind.POST)
    assert page.outcome is None and len(page.posts) == 1
    return page.posts[0]


def test_a_theme_date_line_is_the_date_not_the_text():
    post = parse_permalink(
        '<div class="post photo" id="post-123456"><img src="https://64.media.tumblr.com/a/b_1280.jpg">'
        "<p>Le marché du dimanche.</p>"
        '<div class="meta">Publié le 5 mars 2014 à 10:22 · <a href="/post/123456/slug">3 notes</a></div></div>'
    )
    assert element_text_of(post) == "Le marché du dimanche."
    assert post.published == datetime(2014, 3, 5, 9, 22, tzinfo=timezone.utc)


def test_a_notes_block_linking_the_post_is_not_the_post():
    post = parse_permalink(
        '<div class="post"><div class="datetime">September 28, 2013 at 1:43pm<br><a href="/">Home</a></div>'
        '<img src="https://25.media.tumblr.com/x_500.png" alt="FUCK YEAH"><p><p>FUCK YEAH</p></p></div>'
        '<div class="post"><h3>Notes</h3><ol class="notes"><li class="note reblog">gibuloto reblogged this'
        ' and added: <blockquote><a href="/post/123456">FUCK YEAH</a> and many more words here</blockquote></li>'
        + "".join(
            f'<li class="note like"><a href="https://u{i}.tumblr.com/">u{i}</a> likes this</li>'
            for i in range(20)
        )
        + "</ol></div>"
    )
    assert (post.title, element_text_of(post)) == (None, "FUCK YEAH")
    assert post.published == datetime(2013, 9, 28, 11, 43, tzinfo=timezone.utc)


def test_a_photo_post_without_caption_in_a_block_named_by_the_bare_id():
    post = parse_permalink(
        '<div class="post" id="123456"><div class="media"><a href="/image/123456">'
        '<img src="https://64.media.tumblr.com/c/tumblr_x_1280.jpg"></a></div>'
        '<span class="date"><a href="/post/123456">14th Sep 2017</a></span> <a href="/post/123456#notes">1,027 notes</a>'
        '<div class="like_button" data-post-id="123456"></div></div>'
    )
    assert post.media_urls == ["https://64.media.tumblr.com/c/tumblr_x_1280.jpg"]
    assert post.extra["note_count"] == 1027 and post.published.date().isoformat() in (
        "2017-09-13",
        "2017-09-14",
    )


def test_npf_blocks_from_the_api_and_from_a_theme():
    data = {"meta": {"status": 200}, "response": {"blog": {"name": "hand", "url": "https://hand.tumblr.com/"},
            "posts": [{"id_string": "7", "post_url": "https://hand.tumblr.com/post/7", "type": "blocks", "timestamp": 1700000000,
                       "tags": ["npf"], "content": [
                           {"type": "text", "subtype": "heading1", "text": "A title block"},
                           {"type": "image", "media": [{"url": "https://64.media.tumblr.com/big.jpg"}, {"url": "https://64.media.tumblr.com/small.jpg"}]},
                           {"type": "text", "text": "Some <words> & more."},
                           {"type": "link", "url": "https://example.org/", "title": "Example"}]}]}}  # fmt: skip
    page = tumblr.parse(
        json.dumps(data), "https://api.tumblr.com/v2/blog/hand.tumblr.com/posts?limit=50", LinkKind.FEED
    )
    [post] = page.posts
    assert post.body_html == "<h2>A title block</h2><p>Some &lt;words&gt; &amp; more.</p><p>Example</p>"
    assert post.media_urls == ["https://64.media.tumblr.com/big.jpg"]
    assert (post.extra["type"], post.extra["link_url"]) == ("photo", "https://example.org/")
    video = parse_permalink(
        '<div class="post" id="post-123456"><p>Watch this.</p><figure data-npf=\'{"type": "video", "provider": "tumblr",'
        ' "url": "https://va.media.tumblr.com/tumblr_v.mp4"}\'></figure></div>'
    )
    assert video.media_urls == ["https://va.media.tumblr.com/tumblr_v.mp4"]


def element_text_of(post) -> str:
    from pipelines.extract import extract_main_text

    return extract_main_text(post.body_html) if post.body_html else (post.text or "")


def test_an_audio_caption_is_text_and_the_flash_placeholder_is_not():
    post = parse_permalink(
        '<div class="post" id="post-123456"><div class="audio"><span id="audio_player_123456">[<a href="http://'
        'www.adobe.com/shockwave/">Flash 9</a> is required to listen to audio.]</span>'
        '<div class="caption"><p><a href="http://band.example">Vacationer</a> - Father</p><p>Off of the LP.</p></div>'
        "</div></div>"
    )
    assert element_text_of(post) == "Vacationer - Father\nOff of the LP."


OG = '<html><head><meta property="og:type" content="tumblr-feed:{kind}"/><meta property="al:ios:app_name" content="Tumblr"/></head><body>'


@pytest.mark.parametrize(
    ("kind", "block", "text"),
    [
        # A linked source: the link goes, its text stays after the quote.
        (
            "quote",
            '<article class="quote"><div class="quote-text">“Simplicity is the ultimate sophistication.”</div>'
            '<div class="quote-source">— <a href="http://en.wikipedia.org/wiki/Leonardo">Leonardo da Vinci</a></div>'
            '<footer><a href="/post/123456/slug">Permalink</a></footer></article>',
            "“Simplicity is the ultimate sophistication.”\n— Leonardo da Vinci",
        ),
        # A theme writing the quote in a heading: a quote post has no title, the heading is the quote.
        (
            "quote",
            '<div class="post"><h2 class="quote">“Le temps est un grand maître.”</h2><p class="source">— Anonyme</p>'
            '<a href="/post/123456">Permalink</a></div>',
            "“Le temps est un grand maître.”\n— Anonyme",
        ),
        (
            "quote",
            '<div class="post quote"><blockquote>Vivre sans aimer n\'est pas proprement vivre.</blockquote>'
            '<cite><a href="http://fr.wikipedia.org/wiki/Moli%C3%A8re">Molière</a></cite><a href="/post/123456">1 note</a></div>',
            "Vivre sans aimer n'est pas proprement vivre.\nMolière",
        ),
        # An answer: the asker's line whole, the answer after it, no "Permalink" left beside them.
        (
            "answer",
            '<div class="post answer"><div class="question"><span class="asker"><a href="http://qui.tumblr.com/">qui</a>'
            ' asked:</span> Tu vas bien ?</div><div class="answer"><p>Oui, merci.</p></div>'
            '<a href="/post/123456">Permalink</a></div>',
            "qui asked: Tu vas bien ?\nOui, merci.",
        ),
        # A chat: every line, its title kept apart.
        (
            "chat",
            '<div class="post chat"><h3>Au café</h3><ul class="chat"><li><span class="label">Lui:</span> Un café ?</li>'
            '<li><span class="label">Elle:</span> Deux.</li></ul><a href="/post/123456">Permalink</a></div>',
            "- Lui: Un café ?\n- Elle: Deux.",
        ),
    ],
)
def test_quote_answer_and_chat_posts_are_complete(kind, block, text):
    page = tumblr.parse(OG.format(kind=kind) + block + "</body></html>", PERMALINK, LinkKind.POST)
    [post] = page.posts
    assert element_text_of(post) == text
    assert post.extra["type"] == kind
    assert post.title == ("Au café" if kind == "chat" else None)


def test_a_via_attribution_in_a_caption_stays_text_and_names_the_reblog_source():
    post = parse_permalink(
        '<div class="post photo" id="post-123456"><img src="https://25.media.tumblr.com/x_500.png">'
        '<div class="caption"><p>FUCK YEAH</p><p>(via <a href="http://patentleather.tumblr.com/post/62331862474/x">'
        "patentleather</a>)</p></div></div>"
    )
    assert element_text_of(post) == "FUCK YEAH\n(via patentleather)"
    assert post.extra["reblogged_from"] == "patentleather"


@pytest.mark.parametrize(
    ("pid", "shown", "expected"),
    [
        ("25139537558", "June 14", datetime(2012, 6, 14, tzinfo=timezone.utc)),  # the year from the post id
        (
            "14546216724",
            "Dec 20th",
            datetime(2011, 12, 20, tzinfo=timezone.utc),
        ),  # months before the first anchor
        ("120000000000", "14 juin", datetime(2015, 6, 14, tzinfo=timezone.utc)),
        ("1234567", "June 14", None),  # 2007: ids grew too fast to tell a year
        ("650000000000", "June 14", None),  # past the anchors: no guess
    ],
)
def test_a_date_shown_without_its_year_takes_the_year_of_the_post_id(pid, shown, expected):
    url = f"https://hand.tumblr.com/post/{pid}/slug"
    body = f'<div class="post"><p>Un billet.</p><div class="date"><a href="{url}">{shown}</a></div></div>'
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.published == expected
    assert post.published_precision == ("day" if expected else None)


def test_a_link_post_keeps_its_link_whether_in_a_heading_or_not():
    headed = tumblr.parse(
        OG.format(kind="link")
        + '<div class="post link"><h2><a href="http://example.org/article">Un article →</a></h2>'
        '<p>Ce qu\'il dit est vrai.</p><a href="/post/123456">Permalink</a></div></body></html>',
        PERMALINK,
        LinkKind.POST,
    ).posts[0]
    assert (headed.title, element_text_of(headed)) == ("Un article", "Ce qu'il dit est vrai.")
    assert headed.extra["link_url"] == "http://example.org/article"
    bare = tumblr.parse(
        OG.format(kind="link")
        + '<div class="post"><a class="link" href="http://example.org/a">example.org/a</a>'
        '<p>Commentaire du lien.</p><a href="/post/123456">Permalink</a></div></body></html>',
        PERMALINK,
        LinkKind.POST,
    ).posts[0]
    assert bare.extra["link_url"] == "http://example.org/a"
    assert "Commentaire du lien." in element_text_of(bare) and "Permalink" not in element_text_of(bare)


def test_npf_reblog_trail_and_answer_layout_are_read():
    reblog = {"id_string": "8", "post_url": "https://hand.tumblr.com/post/8", "type": "blocks", "timestamp": 1700000000,
              "content": [{"type": "text", "text": "Tellement vrai."}],
              "trail": [{"blog": {"name": "source"}, "content": [{"type": "text", "text": "Le texte original."}],
                         "layout": []}]}  # fmt: skip
    answer = {"id_string": "9", "post_url": "https://hand.tumblr.com/post/9", "type": "blocks", "timestamp": 1700000000,
              "content": [{"type": "text", "text": "Tu vas bien ?"}, {"type": "text", "text": "Oui, merci."}],
              "layout": [{"type": "ask", "blocks": [0], "attribution": {"type": "blog", "blog": {"name": "qui"}}}]}  # fmt: skip
    anonymous = dict(answer, id_string="10", post_url="https://hand.tumblr.com/post/10",
                     layout=[{"type": "ask", "blocks": [0]}])  # fmt: skip
    data = {"meta": {"status": 200}, "response": {"blog": {"name": "hand", "url": "https://hand.tumblr.com/"},
            "posts": [reblog, answer, anonymous]}}  # fmt: skip
    page = tumblr.parse(
        json.dumps(data), "https://api.tumblr.com/v2/blog/hand.tumblr.com/posts?limit=50", LinkKind.FEED
    )
    shared, asked, unsigned = page.posts
    assert shared.body_html == "<p>Le texte original.</p><p>Tellement vrai.</p>"  # the original first
    assert asked.body_html == "<p>qui asked:</p><p>Tu vas bien ?</p><p>Oui, merci.</p>"
    assert unsigned.body_html.startswith("<p>Anonymous asked:</p>")
    assert (shared.extra["type"], asked.extra["type"]) == ("text", "answer")


@pytest.mark.parametrize(
    ("body", "title"),
    [
        # A title printed as a permalink styled as a heading, after the date.
        (
            '<div class="post"><div class="date">September 27, 2013</div><a class="h2 title" href="{url}">Fiesta Exploit'
            " Kit analysis serving MSIE exploit CVE-2013-2551</a><p>After finding the Neutrino exploit kit.</p></div>",
            "Fiesta Exploit Kit analysis serving MSIE exploit CVE-2013-2551",
        ),
        # A heading holding the title and a relative date: the title alone.
        (
            '<div class="regular"><a href="{url}"><img src="/themes/5/permalink.gif"></a><h2><a href="{url}">Masks,'
            " Miscues, &amp; Mayhem</a> <small>1 week ago</small></h2><p>Whew.</p></div>",
            "Masks, Miscues, & Mayhem",
        ),
        # An untitled photo post whose slug is its caption: no title.
        (
            '<div class="post"><img src="https://64.media.tumblr.com/a_500.jpg"><h2><a href="http://shop.example/">Masks,'
            ' Miscues, &amp; Mayhem</a></h2><a href="{url}">1 note</a></div>',
            None,
        ),
        # A group blog's member avatar above the title (blog.disqus.com) is no media of the post.
        (
            '<li class="post text"><div class="author"><img src="http://31.media.tumblr.com/avatar_7b187e1b509b_64.png"'
            ' class="avatars"></div><h2><a href="{url}">Masks, Miscues, &amp; Mayhem</a></h2><p>Whew.</p></li>',
            "Masks, Miscues, & Mayhem",
        ),
        # A text post whose theme hides its title: the body's heading after a picture and a kicker.
        (
            '<article class="text"><div class="body-text"><p><img src="http://example.org/a.jpg"></p><h4>Science</h4>'
            "<h2>Masks, Miscues, &amp; Mayhem</h2><p>Whew.</p></div></article>",
            "Masks, Miscues, & Mayhem",
        ),
        # A text post whose title follows the theme's like button frame.
        (
            '<article class="type-text"><a href="{url}">#</a><div class="like_button"><iframe src="http://assets.tumblr'
            '.com/assets/html/like_iframe.html"></iframe></div><h2 class="title">Masks, Miscues, &amp; Mayhem</h2>'
            "<p>Whew.</p></article>",
            "Masks, Miscues, & Mayhem",
        ),
    ],
)
def test_the_title_is_the_text_tumblr_made_the_url_slug_of(body, title):
    url = "https://hand.tumblr.com/post/123456/masks-miscues-mayhem"
    if "Fiesta" in body:
        url = "https://hand.tumblr.com/post/123456/fiesta-exploit-kit-analysis-serving-msie-exploit"
    [post] = tumblr.parse(HEAD + body.format(url=url) + "</body></html>", url, LinkKind.POST).posts
    assert post.title == title
    assert title is None or title not in element_text_of(post)


def test_tags_linked_on_the_tumblr_name_of_a_custom_domain_blog():
    url = "http://bieber-news.com/post/139079891710/february-10"
    body = (
        '<div class="post"><p>February 10: a video.</p>Tagged with <a href="http://bieber-news.tumblr.com/tagged/justin'
        ' bieber"><span class="tip">Show all posts tagged with "justin bieber".</span>justin bieber</a>, <a href="'
        'http://bieber-news.tumblr.com/tagged/video">#video</a> <a href="' + url + '">Permalink</a></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.tags == ["justin bieber", "video"]


def test_photo_links_and_reblog_names_are_chrome_a_linked_caption_is_text():
    post = parse_permalink(
        '<div class="post type-photo" id="post-123456"><a href="http://marketingland.com/x"><img'
        ' src="https://25.media.tumblr.com/a/tumblr_x_500.png"></a><div class="photo-btns"><a class="lightbox"'
        ' href="https://25.media.tumblr.com/a/tumblr_x_1280.png">Pop-up</a><a href="https://25.media.tumblr.com/a/'
        'tumblr_x_1280.png">View Separately</a></div><div class="copy"><p><a class="tumblr_blog" href="http://'
        'marketingland.tumblr.com/post/42842241807/excess">marketingland</a>:</p><blockquote><p><a href="http://'
        'marketingland.com/x"><strong>Excess Or Economic Development?</strong></a></p></blockquote>'
        '<div class="source">via <a href="http://twitter.com/someone">http://twitter.com/someone</a></div></div></div>'
    )
    assert element_text_of(post) == "Excess Or Economic Development?\nvia http://twitter.com/someone"
    assert post.extra["reblogged_from"] == "marketingland"
    assert post.media_urls == ["https://25.media.tumblr.com/a/tumblr_x_500.png"]


@pytest.mark.parametrize(
    ("footer", "author"),
    [
        # A group blog names the member who posted: the member, not the blog, is the author.
        ('Updated <a href="{url}">1 week ago</a> by <a href="http://dropstheworld.tumblr.com/">dropstheworld</a>.',
         "dropstheworld"),
        # A link to another blog that no "by" introduces is content; the blog stays the author.
        ('Thanks to <a href="http://dropstheworld.tumblr.com/">dropstheworld</a>.', None),
    ],
)  # fmt: skip
def test_a_group_blog_member_who_posted_is_the_author(footer, author):
    url = "http://bieber-news.com/post/139079891710/february-10"
    body = f'<div class="post"><p>February 10: a video.</p><div class="meta">{footer.format(url=url)}</div></div>'
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.author == author
    assert ("dropstheworld" in post.body_html) is (author is None)


@pytest.mark.parametrize(
    ("header", "kept"),
    [
        # The theme's header inside the post's container: the blog's title (a home link) and description.
        ('<div class="TITLE"><a href="/"><h1>Audiobooks</h1></a><h2>Download audiobooks to any device.</h2></div>',
         False),
        ('<header><a href="/"><h1>Audiobooks</h1></a><div></div><h2>Download audiobooks to any device.</h2></header>',
         False),
        # A home link beside a paragraph is no header: the paragraph stays.
        ('<div><h1><a href="/">Audiobooks</a></h1><p>Download audiobooks to any device.</p></div>', True),
    ],
)  # fmt: skip
def test_the_blog_header_inside_a_post_container_is_not_text(header, kept):
    url = "http://audiobooks.example.com/post/139079891710/double-down"
    body = (
        f'<div id="post-139079891710">{header}<div class="caption"><p>Double Down: Game Change 2012.</p></div>'
        f'<a href="{url}">Posted 1 week ago</a></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert "Double Down" in post.body_html
    assert ("Download audiobooks" in post.body_html) is kept


def test_a_date_shown_with_a_time_but_no_year_keeps_its_time():
    url = "https://hand.tumblr.com/post/138935117337/slug"
    body = f'<div class="post"><p>Un billet.</p><p><a href="{url}">Posted on February 8th at 12:54 PM</a></p></div>'
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.published_local == datetime(2016, 2, 8, 12, 54)
    assert post.published_precision == "minute"


LD = '<script type="application/ld+json">{{"@type":"SocialMediaPosting","datePublished":"{when}"}}</script>'


@pytest.mark.parametrize(
    ("shown", "stated", "offset"),
    [
        # Hawaii: the theme's 12:54 PM is Tumblr's 17:54 in New York.
        ("Posted on February 8th at 12:54 PM", "2016-02-08T17:54:32-05:00", -600),
        # A clock printed alone (the day above the post, outside its block): 02:29 at 04:29Z.
        ("2:29am", "2013-09-27T00:29:00-04:00", -120),
        # India's half hour, the shown day past midnight UTC.
        ("February 9, 2016 4:54am", "2016-02-08T18:24:10-05:00", 330),
        # A day without a time says no offset; New York's, in the JSON-LD, is Tumblr's, not the blog's.
        ("February 11, 2016", "2016-02-11T00:21:52-05:00", None),
        # A clock no zone explains (a quarter-hour offset) is no statement.
        ("12:07 PM", "2016-02-08T17:54:32-05:00", None),
    ],
)
def test_the_blog_zone_is_the_shown_clock_against_the_json_ld_instant(shown, stated, offset):
    url = "https://hand.tumblr.com/post/138935117337/slug"
    body = f'<div class="post"><p>Un billet.</p><p><a href="{url}">{shown}</a></p></div>'
    page = HEAD.replace("</head>", LD.format(when=stated) + "</head>") + body + "</body></html>"
    [post] = tumblr.parse(page, url, LinkKind.POST).posts
    assert post.published == datetime.fromisoformat(stated).astimezone(timezone.utc)
    assert post.published_precision == "second" and post.published_local is None
    assert post.utc_offset == offset


@pytest.mark.parametrize(
    ("shown", "stated"),
    [("February 10, 2016", "2016-02-11T00:21:52-05:00"), ("26 February 2017", "2017-02-25T22:10:00-05:00")],
)
def test_a_day_shown_one_off_the_json_ld_day_is_the_date_kept(shown, stated):
    # The blog's zone, which no clock tells, puts Tumblr's instant on the day its readers see.
    url = "https://hand.tumblr.com/post/138935117337/slug"
    body = f'<div class="post"><p>Un billet.</p><p><a href="{url}">{shown}</a></p></div>'
    page = HEAD.replace("</head>", LD.format(when=stated) + "</head>") + body + "</body></html>"
    [post] = tumblr.parse(page, url, LinkKind.POST).posts
    assert post.published == parse_when(shown).utc
    assert post.published_precision == "day"


def test_the_like_button_naming_the_post_is_not_its_block():
    post = parse_permalink(
        '<article class="post"><div class="like_button" data-post-id="123456"><iframe src="x"></iframe></div>'
        '<div class="video"><iframe src="https://vine.co/v/abc/embed/simple"></iframe>'
        '<div class="caption"><p>Un chat réalisateur.</p></div></div>'
        '<div class="post-notes"><h2>Notes</h2><ol class="notes"><li>qui liked this</li></ol></div></article>'
    )
    assert element_text_of(post) == "Un chat réalisateur."
    assert post.media_urls == ["https://vine.co/v/abc/embed/simple"]


def test_links_labelled_source_and_via_are_the_reblog_chrome():
    post = parse_permalink(
        '<div class="post"><div class="labels"><a href="/post/123456/slug">3 notes</a>'
        '<div><a href="http://racine.tumblr.com/post/99/x">Source</a></div>'
        '<div><a href="http://parent.tumblr.com/post/98/x">Via</a></div></div>'
        '<div class="caption"><p>Un ours dans le jardin.</p></div></div>'
    )
    assert element_text_of(post) == "Un ours dans le jardin."
    assert (post.extra["reblogged_from"], post.extra["reblogged_root"]) == ("parent", "racine")


def test_a_link_post_s_address_printed_below_its_title_is_not_text():
    target = "http://t.umblr.com/redirect?z=http%3A%2F%2Fdlvr.it%2Fabc&t=x"
    page = tumblr.parse(
        OG.format(kind="link") + f'<div class="post"><h2><a href="{target}">Le titre du lien</a></h2>'
        f'<div class="info"><a href="{target}">{target}</a></div><a href="/post/123456">Permalink</a></div>'
        "</body></html>",
        PERMALINK,
        LinkKind.POST,
    )
    [post] = page.posts
    # The address behind Tumblr's outbound-link wrapper.
    assert post.title == "Le titre du lien" and post.extra["link_url"] == "http://dlvr.it/abc"
    assert not post.body_html and not post.text


def test_the_day_a_theme_prints_above_the_post_picks_the_clock_s_zone():
    url = "https://hand.tumblr.com/post/156558819471/slug"
    body = (
        '<div class="date">January 29, 2017</div><div class="post"><p>Un billet.</p>'
        f'<a href="{url}" class="time">8:20pm</a></div>'
    )
    ld = LD.format(when="2017-01-30T01:20:55-05:00")
    [post] = tumblr.parse(
        HEAD.replace("</head>", ld + "</head>") + body + "</body></html>", url, LinkKind.POST
    ).posts
    assert post.utc_offset == -600  # the clock alone also fits UTC+14 on the 30th


def test_a_v2_legacy_answer_names_who_asked_like_its_npf_form():
    body = {
        "meta": {"status": 200, "msg": "OK"},
        "response": {
            "blog": {"name": "hand", "url": "https://hand.tumblr.com/"},
            "posts": [
                {
                    "type": "answer",
                    "id_string": "123456",
                    "post_url": "https://hand.tumblr.com/post/123456",
                    "timestamp": 1576275335,
                    "asking_name": "nightpool",
                    "question": "Pourquoi <3 ?",
                    "answer": "<p>Parce que.</p>",
                }
            ],
        },
    }
    url = "https://api.tumblr.com/v2/blog/hand.tumblr.com/posts"
    [post] = tumblr.parse(json.dumps(body), url, LinkKind.FEED).posts
    assert element_text_of(post) == "nightpool asked:\nPourquoi <3 ?\nParce que."


@pytest.mark.parametrize(
    ("line", "is_date"),
    [
        ("Posted on Friday, February 5th at 06:44PM with 95 notes", True),
        ("Oct 03rd / 2,073 notes", True),
        ("September 28, 2013 at 1:43pm", True),
        # A Spanish theme: "notas", thousands set apart by a space.
        ("Posted on Septiembre 24th, 2013 at 6:27 pm with 29 714 notas", True),
        ("Happy birthday Pretty!!!!!", False),
        ("We met on a Friday and talked for hours about everything", False),
    ],
)
def test_a_date_line_may_lack_its_year_and_carry_the_note_count(line, is_date):
    assert is_date_line(line) is is_date


def test_a_tag_reading_as_a_date_is_no_date_line():
    url = "https://hand.tumblr.com/post/99034539487/slug"
    body = (
        f'<div class="post"><p>Un billet.</p><a href="{url}">Permalink</a>'
        '<a href="https://hand.tumblr.com/tagged/specifically-oct-31">#specifically oct 31</a></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.published is None and post.tags == ["specifically oct 31"]


def test_a_reblog_header_and_an_unclassed_trail_name_are_chrome():
    url = "https://hand.tumblr.com/post/138759485001/slug"
    source = "http://guardians-of-the-food.tumblr.com/post/138757905676/chipotle-caesar-salad"
    body = (
        f'<article class="photo" data-post-id="138759485001"><header><a class="reblog-link" href="{source}">'
        f'guardians-of-the-food</a></header><figure><figcaption><p><a href="{source}">guardians-of-the-food</a>:'
        f'</p><blockquote><p>Chipotle Caesar Salad</p></blockquote></figcaption></figure><a href="{url}">Permalink</a>'
        "</article>"
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Chipotle Caesar Salad"
    assert post.extra["reblogged_from"] == "guardians-of-the-food"


def test_a_like_or_reblog_button_drawn_as_an_image_is_no_caption():
    url = "https://hand.tumblr.com/post/99077811711/slug"
    body = (
        f'<div class="post"><a href="{url}"><img src="https://33.media.tumblr.com/a/tumblr_x_500.jpg"></a>'
        '<a href="javascript:likelink(\'99077811711\');"><img src="https://example.org/heart.gif" alt="Like this post"></a>'
        '<a href="https://www.tumblr.com/reblog/99077811711/key"><img src="https://example.org/r.png" alt="reblog"></a>'
        '<img onclick="LikePost(\'99077811711\')" src="https://example.org/l.png" alt="like"></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert not element_text_of(post)


def test_share_links_and_reblog_links_labelled_in_their_own_text_are_chrome():
    url = "https://hand.tumblr.com/post/97990546295/slug"
    body = (
        f'<div class="post"><p>Guys, I am really starting to worry.</p><ul><li><a href="{url}">Permalink</a></li>'
        '<li><a href="http://twitter.com/home?status=http://tmblr.co/ZQCsHt1RGiHDt">Tweet this</a></li></ul>'
        '<div class="reblogged"><li><a href="http://bowiesongs.tumblr.com/post/97339887903/x">&crarr; Originally from'
        ' bowiesongs</a></li><li><a href="http://aliengunk.tumblr.com/post/97938659128/x">&crarr; Reblogged from'
        ' aliengunk</a></li></div><p>Follow <a href="http://twitter.com/intent/user?screen_name=me">@me</a></p></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Guys, I am really starting to worry.\nFollow @me"
    assert post.extra["reblogged_from"] == "aliengunk" and post.extra["reblogged_root"] == "bowiesongs"


def test_the_theme_short_url_line_is_chrome_and_a_short_link_in_a_sentence_stays_text():
    url = "https://hand.tumblr.com/post/138735367028/slug"
    body = (
        '<div class="post"><p>Play with yourself or against <a href="https://tmblr.co/ZgJvzv2">your bro</a>.</p>'
        '<span class="ShortUrl"><span>Short URL</span>: <a href="https://tmblr.co/ZgJvzv21DHRDq">'
        'https://tmblr.co/ZgJvzv21DHRDq</a></span> <a href="https://tmblr.co/ZgJvzv21DHRDq">Short link</a></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Play with yourself or against your bro."


def test_a_post_box_with_a_side_column_keeps_its_tags_and_links_to_other_posts_in_sentences():
    url = "https://hand.tumblr.com/post/60349658127/results"
    body = (
        '<div class="post"><div class="sidebar"><h2>5th September 2013</h2>'
        f'<a href="{url}">Permalink</a><p class="tags"><a href="/tagged/Speed">Speed</a></p>'
        f'</div><div class="content text"><h3><a href="{url}">Results of the survey</a></h3>'
        '<div class="go"><p>We recently passed the <a href="https://hand.tumblr.com/post/58170809555/six">six month'
        " mark</a> for publishing articles, so we asked our authors.</p><p>They liked it.</p></div></div></div>"
        '<ul class="related"><li><a href="https://hand.tumblr.com/post/58170809555/six">Six months</a></li></ul>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.title == "Results of the survey" and post.tags == ["Speed"]
    assert element_text_of(post).startswith("We recently passed the six month mark")
    assert str(post.published.date()) == "2013-09-05"


def test_a_datebox_a_posted_ago_sentence_and_a_comment_widget_heading_are_chrome():
    url = "https://hand.tumblr.com/post/30320879919/slug"
    body = (
        '<div class="post"><div class="datebox"><p class="day">27</p><p class="month">Aug</p></div>'
        f'<a href="{url}">#</a><p>Victor Hugo has been quoted.</p>'
        '<div class="info">This was posted 2 years ago. It has 35 notes.</div>'
        '<div id="disqus"><h2>Recent comments</h2><script>var x;</script><div id="disqus_thread"></div></div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Victor Hugo has been quoted."


def test_a_date_box_classed_ending_in_date_is_chrome_in_a_language_no_date_parser_reads():
    url = "https://hand.tumblr.com/post/107773737276"
    body = (
        f'<article class="type-text"><a href="{url}">#</a><div class="article-date">янв 11</div>'
        '<div class="article-content"><p>Появилась у меня игра.</p></div></article>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Появилась у меня игра."


def test_a_scripted_like_button_naming_the_post_is_not_its_block_a_post_element_with_data_reblog_is():
    url = "https://hand.tumblr.com/post/98571387178"
    body = (
        f'<div class="entry"><div class="permalink-hover"><a href="{url}">105,103 notes</a> • <a href="https://www.'
        'tumblr.com/reblog/98571387178/key">Reblog</a> • <div class="my-like" data-reblog="https://www.tumblr.com/'
        'reblog/98571387178/key" data-id="98571387178" title="Like">Like<br><br></div></div>'
        f'<a href="{url}"><img src="https://33.media.tumblr.com/a/tumblr_x_500.jpg"></a></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert not element_text_of(post)
    assert post.media_urls == ["https://33.media.tumblr.com/a/tumblr_x_500.jpg"]
    wrapped = (
        '<div class="posts"><article id="98571387178" data-reblog="http://38.media.tumblr.com/avatar_7b_128.png">'
        "<p>Whew.</p></article></div>"
    )
    [post] = tumblr.parse(HEAD + wrapped + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Whew."


def test_a_date_line_printing_the_day_and_its_age_in_two_runs_beside_the_post_dates_it():
    url = "https://hand.tumblr.com/post/43088488614/slug"
    body = (
        '<ul class="meta"><li class="date absolute"><span class="absolute">February 14, 2013</span>'
        '<span class="relative">7 months ago</span></li></ul>'
        '<article class="post" id="post_43088488614"><p>A few folks have asked me.</p></article>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert str(post.published.date()) == "2013-02-14"


def test_a_footer_naming_the_parent_via_and_the_original_poster_op_is_chrome_and_the_reblog():
    url = "https://hand.tumblr.com/post/98060578241/slug"
    body = (
        f'<div id="box"><div id="info"><a href="{url}">Sep 21st</a> / via: <a href="http://parent.tumblr.com/post/9543">'
        'parent</a> / op: <a href="http://root.tumblr.com/post/9255">root</a> / 319 notes</div>'
        "<p>Savannah &amp; Nyla</p></div>"
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Savannah & Nyla"
    assert post.extra["reblogged_from"] == "parent" and post.extra["reblogged_root"] == "root"


def test_the_label_left_alone_by_a_date_link_goes_with_it():
    url = "https://hand.tumblr.com/post/98092746170/slug"
    body = (
        '<div id="page"><div id="main"><div class="pagetype"><p><span>Posted on <a href="/day/2014/09/21" class="date">'
        f'Sunday, 21 September 2014</a></span></p></div><div class="post photo"><p>www.iVisionDigital.com</p><a href="{url}">'
        '*</a></div></div><div id="footer"><a href="https://hand.tumblr.com/post/98092523165">Older</a></div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "www.iVisionDigital.com"


def test_bold_via_and_source_labels_and_a_lone_note_count_line_are_chrome():
    url = "https://hand.tumblr.com/post/62192808695/slug"
    body = (
        f'<div class="entry"><a href="{url}"><img src="https://25.media.tumblr.com/a/tumblr_x_1280.jpg"></a>'
        "<p>Sadness where others see happiness.</p><center>2 days ago | 7:27pm<br>7709 notes<br><b>Via</b>: "
        '<a href="http://parent.tumblr.com/post/62192626622">parent</a><br><b>Source</b>: '
        '<a href="http://root.tumblr.com/post/46430362334">root</a><br><img src="https://static.tumblr.com/x/clock.png">'
        "</center></div>"
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Sadness where others see happiness."
    assert post.extra["reblogged_from"] == "parent" and post.extra["reblogged_root"] == "root"
    assert post.extra["note_count"] == 7709


def test_a_body_listing_other_posts_takes_the_post_element_and_the_time_in_parentheses():
    url = "https://hand.tumblr.com/post/85826325458/swarm"
    others = "".join(
        f'<li><a href="https://hand.tumblr.com/post/8442275824{n}/x">Question {n}?</a></li>' for n in range(3)
    )
    body = (
        '<ul id="posts"><li class="post group"><section class="group caption_and_post_info"><section class="caption">'
        f'<h2><a href="{url}">Swarm is ready</a></h2><div class="cont"><p>We just pushed Swarm live.</p>'
        f"<p>Need a refresher?</p><ul>{others}</ul><p>P.S. Windows Phone later.</p></div></section>"
        f'<ul class="post_info"><li><a href="{url}" class="timestamp">May 15, 2014 (12:10 pm)</a></li></ul>'
        "</section></li></ul>"
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.title == "Swarm is ready"
    assert element_text_of(post).startswith("We just pushed Swarm live.\nNeed a refresher?")
    assert post.published_local == datetime(2014, 5, 15, 12, 10)
    assert "caption" not in (post.body_html or "")


def test_a_post_printed_as_siblings_takes_the_content_before_its_permalink_line():
    home = "https://hand.tumblr.com/"
    posts = "".join(
        f'<div id="posts"><div class="liker"><a href="https://www.tumblr.com/reblog/{pid}/key">reblog</a></div><p>{text}</p></div>'
        f'<div class="info">Shared on <a href="{home}post/{pid}/slug">October 03</a></div><br>'
        for pid, text in (
            ("99063763570", "These are coming off!"),
            ("99063785750", "Half-life of our best hope."),
        )
    )
    page = tumblr.parse(HEAD + f'<div class="list">{posts}</div></body></html>', home, LinkKind.HOME)
    assert [element_text_of(p) for p in page.posts] == [
        "These are coming off!",
        "Half-life of our best hope.",
    ]


def _beacon(posts: list[dict]) -> str:
    data = base64.b64encode(json.dumps({"type": "post", "posts": posts}).encode()).decode()
    return f'<noscript><img src="http://www.tumblr.com/impixu?T=1412372954&amp;J={data}&amp;U=X"></noscript>'


def test_a_reblog_linked_only_by_its_root_post_is_found_through_the_beacon():
    home = "https://hand.tumblr.com/"
    body = (
        '<div class="post"><p>Viva La Rihanna.</p>'
        '<a href="http://theeteamrocket.tumblr.com/post/97931398124/viva">theeteamrocket</a></div>'
        + _beacon([{"postid": "97931429000", "root_postid": 97931398124}])
    )
    page = tumblr.parse(HEAD + body + "</body></html>", home, LinkKind.HOME)
    assert [p.post_id for p in page.posts] == ["97931429000"]
    assert element_text_of(page.posts[0]).startswith("Viva La Rihanna.")


def test_a_theme_timestamp_line_is_the_date_not_text():
    url = "https://hand.tumblr.com/post/99083157763/slug"
    body = f'<div class="post"><p>me at every dog</p><a href="{url}">#</a><div id="stamp">Timestamp: 1412372781</div></div>'
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "me at every dog"
    assert post.published == datetime(2014, 10, 3, 21, 46, 21, tzinfo=timezone.utc)


def test_a_64_bit_post_id_tells_no_year():
    assert day_of_id(647209970881970176) is None


def test_separators_left_alone_by_chrome_links_go_and_words_beside_them_stay_apart():
    url = "https://hand.tumblr.com/post/99058698631/slug"
    body = (
        '<div class="post"><p>Stephen Chbosky<span> / </span>The Perks</p>'
        f'<div id="tags"><a href="{url}">266 Notes</a> | <a href="https://www.tumblr.com/reblog/99058698631/k">Reblog</a>'
        ' | <div class="my-like"></div></div>'
        f'<div class="nr"><span><a href="{url}">5 notes</a></span> | <span>'
        '<a href="https://www.tumblr.com/reblog/99058698631/k">reblog</a></span></div>'
        '<div>&#x2937; <a href="https://www.tumblr.com/reblog/99058698631/k">Reblog</a></div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Stephen Chbosky / The Perks"


def test_a_footer_naming_the_reblog_parent_beside_its_source_is_chrome_and_a_caption_via_stays():
    url = "https://hand.tumblr.com/post/99067107365/slug"
    parent = "http://golden--poppy.tumblr.com/post/98744538201"
    body = (
        '<div class="post"><p>These are coming off!</p><p>(via <a href="http://other.tumblr.com/post/1">other</a>)</p>'
        '<span class="gridItemLabel">View photo</span>'
        f'<div class="info"> — Shared 3 hours ago on <a href="{url}">October 03</a> with <a href="{url}">5,636 notes</a>'
        f' via <a href="{parent}">golden--poppy</a> (<a href="{parent}">Source</a>)<br><div class="tags"></div></div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "These are coming off!\n(via other)"
    assert post.extra["reblogged_from"] == "golden--poppy" and post.extra["note_count"] == 5636


def test_a_theme_menu_of_the_blog_pages_inside_the_post_box_is_chrome_and_a_sentence_linking_one_stays():
    url = "https://hand.tumblr.com/post/62192807093"
    body = (
        '<div class="post"><p>Read the <a href="/archive">extensive archives</a> first.</p>'
        '<div class="column"><a href="/rss">RSS</a> / <a href="/archive">Archive</a> / <a href="/random">Random</a></div>'
        '<div class="column"><a href="http://www.tumblr.com/theme/3531">Astronaut</a> by'
        ' <a href="http://petervidani.com">Peter Vidani</a></div>'
        f'<div><a href="{url}">— 2 days ago with 24 notes</a></div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Read the extensive archives first."


def test_the_page_header_inside_the_post_block_is_not_the_post_text():
    url = "https://hand.tumblr.com/post/60841860445/slug"
    body = (
        '<div class="container"><div class="header"><a href="/"><img src="http://static.tumblr.com/x/logo.jpg"></a>'
        '<div class="description">Houghton Library is the primary repository.</div></div>'
        '<div class="photo-posts"><img src="http://31.media.tumblr.com/b/tumblr_x_1280.jpg">'
        "<p>Theatre contenant la description de la carte generale.</p></div>"
        '<a href="https://www.tumblr.com/reblog/60841860445/k">Reblog</a></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Theatre contenant la description de la carte generale."


def test_posts_named_only_by_their_reblog_button_photo_page_or_player_are_found():
    home = "https://hand.tumblr.com/"
    body = (
        '<div id="content"><div class="post"><a href="https://www.tumblr.com/reblog/97933147445/k">'
        '<img src="http://38.media.tumblr.com/a/tumblr_a_500.png" alt=""></a><p>Version1Graphix</p></div>'
        f'<div class="post"><a href="{home}image/94213353080"><img src="http://38.media.tumblr.com/b/tumblr_b_500.png"></a>'
        "<p>Sonic takes over NYC.</p></div>"
        f'<div class="post"><iframe src="{home}post/98479796224/audio_player_iframe/hand/tumblr_x?audio_file=y">'
        "</iframe><p>A song.</p></div></div>"
    )
    page = tumblr.parse(HEAD + body + "</body></html>", home, LinkKind.HOME)
    assert [(p.post_id, element_text_of(p)) for p in page.posts] == [
        ("97933147445", "Version1Graphix"),
        ("94213353080", "Sonic takes over NYC."),
        ("98479796224", "A song."),
    ]


def test_a_listed_post_without_any_link_takes_its_place_among_sibling_posts():
    home = "https://hand.tumblr.com/"
    answer = (
        '<div id="post"><div id="answer"><p><strong><a href="http://life2goth.tumblr.com/">life2goth</a>:</strong>'
        "<br>happy birthday!</p><p>thankyou babygal!</p></div></div>"
    )
    linked = [
        f'<div id="post"><p>{text}</p><a href="{home}post/{pid}/slug">Permalink</a></div>'
        for pid, text in (("98960542759", "belated dinner"), ("98707842734", "thankyou beb"))
    ]
    ids = ["98960542759", "98730670449", "98707842734"]
    body = f'<div id="container">{linked[0]}{answer}{linked[1]}</div>' + _beacon([{"postid": i} for i in ids])
    page = tumblr.parse(HEAD + body + "</body></html>", home, LinkKind.HOME)
    assert [p.post_id for p in page.posts] == ids
    assert element_text_of(page.posts[1]) == "life2goth:\nhappy birthday!\nthankyou babygal!"
    # Siblings that do not line up with the beacon (one more post element than it lists) give no guess.
    extra = '<div id="post"><p>A post the beacon does not list.</p></div>'
    body = body.replace('<div id="container">', f'<div id="container">{extra}')
    page = tumblr.parse(HEAD + body + "</body></html>", home, LinkKind.HOME)
    assert [p.post_id for p in page.posts] == ["98960542759", "98707842734"]


def test_a_caption_printed_twice_and_the_filed_under_label_are_read_once():
    url = "https://hand.tumblr.com/post/98960542759/slug"
    body = (
        f'<div id="post"><div id="hover"><a href="{url}">Permalink</a><div class="tags"><ul>Filed under:'
        '<li><a href="https://hand.tumblr.com/tagged/mum">#mum</a></li></ul>'
        '<div class="caption"><p>belated dinner with da fam</p></div></div>'
        '<img src="http://33.media.tumblr.com/a/tumblr_a_250.jpg"></div>'
        '<div id="caption"><p>belated dinner with da fam</p></div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "belated dinner with da fam"
    assert post.tags == ["mum"]


def test_a_stray_closing_html_tag_above_the_theme_hides_none_of_the_page():
    home = "https://hand.tumblr.com/"
    body = (
        '<a href="https://twitter.com/me">Follow</a></html><div class="post"><p>After the stray tag.</p>'
        f'<a href="{home}post/97248593992">Sep 11th, 2014</a></div></body></html>'
    )
    page = tumblr.parse(HEAD + body, home, LinkKind.HOME)
    assert [(p.post_id, element_text_of(p)) for p in page.posts] == [("97248593992", "After the stray tag.")]


def test_the_minute_printed_beside_the_post_block_refines_its_shown_day():
    url = "https://hand.tumblr.com/post/62192808374"
    other = "https://hand.tumblr.com/post/62192808000"
    body = (
        '<div id="main"><div id="outer"><div id="post" class="chat"><div class="line">me: *sweats*</div></div>'
        f'<div id="meta"><a href="{url}">24th Sep 2013</a></div></div>'
        '<div class="perma">Posted on 24 September, 2013, 7:27pm. Reblogged from'
        ' <a href="http://other.tumblr.com/post/1/x">other</a>. This post has 65,278 notes.</div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert (post.published_local, post.published_precision) == (datetime(2013, 9, 24, 19, 27), "minute")
    # Another day's time, or a time beside a link to another post, refines nothing.
    for perma in (
        '<div class="perma">Posted on 25 September, 2013, 7:27pm.</div>',
        f'<div class="perma"><a href="{other}">Older</a> Posted on 24 September, 2013, 7:27pm.</div>',
    ):
        page = body.replace(body[body.index('<div class="perma">') : -len("</div>")], perma)
        [post] = tumblr.parse(HEAD + page + "</body></html>", url, LinkKind.POST).posts
        assert (post.published, post.published_precision) == (
            datetime(2013, 9, 24, tzinfo=timezone.utc),
            "day",
        )


def test_a_date_printed_above_the_post_block_dates_a_post_that_shows_none():
    url = "https://hand.tumblr.com/post/62192806316/chapter-16"
    body = (
        f'<section id="main"><div id="designline"><h5 class="postDate"><abbr><a href="{url}">24th Sep 2013</a>'
        f' | <a href="{url}#notes">75 notes</a></abbr></h5></div>'
        "<article><div><p>Chapter 16, the long-awaited one.</p></div></article></section>"
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert (post.published, post.published_precision) == (datetime(2013, 9, 24, tzinfo=timezone.utc), "day")
    # Without its year ("Sep 24" in an indented link), in the year the post id tells.
    yearless = body.replace("24th Sep 2013", "\n          Sep 24\n        " + " " * 80)
    [post] = tumblr.parse(HEAD + yearless + "</body></html>", url, LinkKind.POST).posts
    assert post.published == datetime(2013, 9, 24, tzinfo=timezone.utc)


def test_a_footer_item_classed_reblog_names_the_reblog_parent_and_is_not_text():
    url = "https://hand.tumblr.com/post/22567990932"
    body = (
        '<div class="post"><p>omgomg</p><ul class="post-info"><li class="date">2 years ago</li>'
        f'<li class="note-count"><a href="{url}">1,587 notes</a></li>'
        '<li class="reblog"><a href="http://bvsedjesus.tumblr.com/post/22562944667">bvsedjesus</a></li></ul></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "omgomg"
    assert post.extra["reblogged_from"] == "bvsedjesus"


def test_a_quote_printed_as_a_heading_above_its_source_is_no_title_and_keeps_its_source():
    url = "https://hand.tumblr.com/post/139405001061/i-hate-getting-flashbacks-from-things-that-i-dont"
    body = (
        '<div class="post"><center><h1>"I hate getting flashbacks from things that I don’t want to remember."</h1>'
        '<div class="source">Unknown (via <a href="http://quotethatword.tumblr.com/" class="tumblr_blog">quotethatword</a>)'
        "<p>(via <a href='http://loserstfu.tumblr.com/post/139404884619/i-hate'>loserstfu</a>)</p></div></center>"
        f'<div class="permalink"><a href="{url}">2 days ago</a></div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.title is None and post.extra["type"] == "quote"
    assert element_text_of(post) == (
        '"I hate getting flashbacks from things that I don’t want to remember."\n'
        "Unknown (via quotethatword)\n(via loserstfu)"
    )
    assert post.extra["reblogged_from"] == "quotethatword"


def test_a_tags_label_item_is_chrome_and_a_data_date_timestamp_dates_the_post():
    url = "https://hand.tumblr.com/post/139560743815/release-me"
    body = (
        f'<article class="video" id="post_139560743815" data-date="1455829632"><section><p>Release me and set me free!</p>'
        f'</section><span class="time"><a href="{url}">3 hours ago</a></span><ul class="tags"><li class="label">Tags:</li>'
        '<li><a href="https://hand.tumblr.com/tagged/music">music</a></li></ul></article>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Release me and set me free!"
    assert post.tags == ["music"]
    assert post.published == datetime(2016, 2, 18, 21, 7, 12, tzinfo=timezone.utc)


def test_a_link_post_s_address_is_the_one_behind_tumblr_s_redirect_wrapper():
    url = "https://hand.tumblr.com/post/139552947699/cssgram-css-library-for-instagram-filters"
    wrapped = "http://t.umblr.com/redirect?z=https%3A%2F%2Fgithub.com%2Funa%2FCSSgram&amp;t=MmM2YzhkZDIx"
    body = f'<article class="link"><h2><a href="{wrapped}">CSSgram: #CSS library for Instagram filters</a></h2><a href="{url}">3 hours ago</a></article>'
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert post.title == "CSSgram: #CSS library for Instagram filters"
    assert post.extra["link_url"] == "https://github.com/una/CSSgram"


def test_a_footer_label_set_in_bold_before_its_link_gives_the_link_its_role():
    url = "https://hand.tumblr.com/post/62192809302"
    body = (
        '<div class="post"><p>Un ours dans le jardin.</p>'
        f'<div class="info"><a href="{url}">2 days ago</a> <b>Source:</b> '
        '<a href="http://racine.tumblr.com/post/62191/x">racine</a><br><b>via:</b> '
        '<a href="http://parent.tumblr.com/post/62191661778">parent</a></div></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Un ours dans le jardin."
    assert (post.extra["reblogged_from"], post.extra["reblogged_root"]) == ("parent", "racine")


def test_a_permalink_holding_icons_before_its_date_and_note_count_is_chrome_a_photo_link_stays():
    url = "https://hand.tumblr.com/post/98964310033/c"
    body = (
        f'<div id="entries"><div id="permalink"><a href="{url}"><div><img src="http://media.tumblr.com/tumblr_m2l4z2.gif">'
        ' 1 day ago<br><img src="http://media.tumblr.com/tumblr_m2n9rx.png"> 293 notes</div></a></div>'
        f'<p>Caption of the photo.</p><a href="{url}"><img src="http://31.media.tumblr.com/a/tumblr_x_500.jpg"></a></div>'
    )
    [post] = tumblr.parse(HEAD + body + "</body></html>", url, LinkKind.POST).posts
    assert element_text_of(post) == "Caption of the photo."
    assert post.media_urls == ["http://31.media.tumblr.com/a/tumblr_x_500.jpg"]

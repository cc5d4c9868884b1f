"""Canalblog's 2023+ template on Webedia's Overblog engine: URLs, detection, and the parser on a
real Overblog page (not a Canalblog one: the platform is forced, see tests/fixtures/overblog/)
and on the fixture blog's ``template=2023``."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from crawler.detect import detect, detect_from_html
from crawler.pagekind import page_kind
from crawler.parsers import canalblog
from crawler.parsers.base import Link, LinkKind
from crawler.parsers.canalblog.urls import post_id_of
from tests.fixtureweb.sites.canalblog import make_site
from tests.unit.test_canalblog_parser import crawl_in_process

KIWI = Path(__file__).parents[1] / "fixtures" / "overblog" / "post-2021-briceletbaklava-kiwi-theme"
KIWI_URL = "https://briceletbaklava.ch/2021/08/burli-de-saint-gall-st.galler-burli.html"
# Real URLs of transportrail.canalblog.com in 2024 (luclu7/canalblog-rss-maker's transportrail.xml).
RAIL = "http://transportrail.canalblog.com"


@pytest.fixture(scope="module")
def kiwi_html() -> str:
    return (KIWI / "input.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "kind", "post_id"),
    [
        ("/2024/03/renforcer-la-desserte-lyon-paray-le-monial.html", LinkKind.POST, None),
        ("/2024/03/italie-des-coradia-stream-a-200-km/h.html", LinkKind.POST, None),  # a "/" in the slug
        ("/pages/noeud-ferroviaire-et-rer-lyonnais/36175361.html", LinkKind.POST, "36175361"),
        ("/pages/les%2Dtramways%2Dde%2Dbordeaux/35065269.html", LinkKind.POST, "35065269"),
        ("/archives/2023/08/22/40017286.html", LinkKind.POST, "40017286"),  # old permalinks still linked
        ("/page/2", LinkKind.LISTING, None),
        ("/tag/recettes%20de%20pains/", LinkKind.LISTING, None),
        ("/tag/recettes%20de%20pains/page/3", LinkKind.LISTING, None),
        ("/rss", LinkKind.FEED, None),
    ],
)
def test_overblog_engine_urls(path, kind, post_id):
    link = canalblog.classify(path, RAIL + "/")
    assert link is not None and link.kind is kind
    assert link.url == RAIL + path.replace("%2D", "-")
    assert post_id_of(link.url) == post_id
    assert canalblog.is_post_url(link.url) is (kind is LinkKind.POST)


def test_an_ordinary_overblog_blog_is_not_canalblog(kiwi_html):
    assert detect(KIWI_URL, kiwi_html) is None
    # A post body showing a picture hot-linked from Canalblog does not make the blog a Canalblog one.
    hotlinked = kiwi_html.replace(
        '<div class="ob-sections">',
        '<div class="ob-sections"><img src="https://image.canalblog.com/a=/filters:no_upscale()/image%2F1%2Fx.jpg">',
        1,
    )
    assert detect_from_html(hotlinked) is None


@pytest.mark.parametrize(
    "chrome",
    [
        '<img src="https://profilepics.canalblog.com/profilepics/4/8/488875.jpg">',
        '<meta property="og:image" content="https://image.canalblog.com/x=/filters:no_upscale()/image%2F0405215%2Fa.jpg" />',
        '<a href="https://www.canalblog.com/">Tous les blogs</a>',
    ],
)
def test_the_same_engine_with_canalblog_chrome_is_canalblog(kiwi_html, chrome):
    assert detect_from_html(kiwi_html.replace("</head>", chrome + "</head>", 1)) == "canalblog"


def test_real_overblog_post_read_by_the_canalblog_parser(kiwi_html):
    """Forced to Canalblog: the engine's markup is the same on both (the theme differs)."""
    assert page_kind(kiwi_html, KIWI_URL, "canalblog") is LinkKind.POST
    page = canalblog.parse(kiwi_html, KIWI_URL, LinkKind.POST)
    assert page.outcome is None and page.blog_title == "Bricelet & Baklava"  # the dataLayer's blog_name
    (post,) = page.posts
    assert post.title == "Bürli de Saint-Gall (St. Galler Bürli)"
    assert post.author == "Michel"  # "Rédigé par Michel et publié depuis Overblog"
    # JSON-LD datePublished "2021-10-27T07:18:18+02:00": to the second, its offset kept.
    assert (post.published, post.published_precision, post.utc_offset) == (
        datetime(2021, 10, 27, 5, 18, 18, tzinfo=timezone.utc),
        "second",
        120,
    )
    assert post.tags == ["Boulangerie", "Recettes de pains"]
    assert post.post_id == "184561962"  # the dataLayer's article_id
    body = post.body_html or ""
    assert body.startswith('<div class="ob-section ob-section-images ob-default"><div class="ob-row-1-col">')
    assert "Le Bürli de Saint-Gall est un petit pain" in body
    for chrome in ("Commenter cet article", "ob-ShareBar", "ob-RelatedPost", "Post-tags", "initCommentApp"):
        assert chrome not in body
    assert len(post.media_urls) == 23
    assert all(url.startswith("https://image.over-blog.com/") for url in post.media_urls)
    assert post.comments == []  # #ob-comments is filled by a script: the server sends an empty list
    assert post.extra == {"comments_by_script": True}  # said, not passed off as "no comments"
    assert Link("https://briceletbaklava.ch/tag/boulangerie/", LinkKind.LISTING, redundant=True) in page.links
    assert Link("https://briceletbaklava.ch/rss", LinkKind.FEED) in page.links
    assert Link("https://briceletbaklava.ch/2022/11/le-pain-graham.html", LinkKind.POST) in page.links


ARTICLE = """<html><head><script>
  dataLayer = [{{ 'lang' : 'fr', 'blog_name': "transportrail - Le webmagazine des id\\u00e9es ferroviaires", }}];
</script></head><body><div class="article">
<div class="date-header">{day}</div>
<h2><a class="article_link" href="{url}">Renforcer la desserte Lyon – Paray-le-Monial</a></h2>
<div class="ob-sections"><div class="ob-section ob-section-html"><p>C'est la branche faible.</p>
<figure><img src="https://image.canalblog.com/LFDltKlobxPyEuharhUsJsxn25E=/filters:no_upscale()/image%2F0405215%2F20240314%2Fob_50f716_230509-81703stnizier.jpg"></figure>
</div></div>
<div class="article_footer_info">Posté par transportrail à 09:55 - <a href="/tag/Actualit%C3%A9/">Actualité</a>
 - <a href="{url}#comments">Commentaires [2]</a></div></div></body></html>"""
POST_URL = RAIL + "/2024/03/renforcer-la-desserte-lyon-paray-le-monial.html"


@pytest.mark.parametrize(
    ("day", "published", "precision"),
    [
        (
            "dimanche 17 mars 2024",
            datetime(2024, 3, 17, 8, 55, tzinfo=timezone.utc),
            "minute",
        ),  # 09:55 in Paris
        ("dimanche 31 mars 2024", datetime(2024, 3, 31, 7, 55, tzinfo=timezone.utc), "minute"),  # summer time
        (
            "lundi 1 avril 2024",
            datetime(2024, 4, 1, tzinfo=timezone.utc),
            "day",
        ),  # not the URL's month: no time
        ("", None, None),
    ],
)
def test_new_template_post_footer_and_date_header(day, published, precision):
    page = canalblog.parse(ARTICLE.format(day=day, url=POST_URL), POST_URL, LinkKind.POST)
    (post,) = page.posts
    assert page.blog_title == "transportrail - Le webmagazine des idées ferroviaires"
    assert (post.title, post.author, post.tags, post.comment_count) == (
        "Renforcer la desserte Lyon – Paray-le-Monial",
        "transportrail",
        ["Actualité"],
        2,
    )
    assert (post.published, post.published_precision) == (published, precision)
    assert post.post_id is None  # a slug URL carries no id, and no dataLayer article_id here
    assert post.media_urls == [
        "https://image.canalblog.com/LFDltKlobxPyEuharhUsJsxn25E=/filters:no_upscale()/image%2F0405215%2F20240314%2Fob_50f716_230509-81703stnizier.jpg"
    ]


def test_a_new_template_post_quoting_a_gone_blog_is_a_post():
    text = ARTICLE.format(day="dimanche 17 mars 2024", url=POST_URL).replace(
        "C'est la branche faible.", "Ce blog n'existe plus ailleurs : il vit ici."
    )
    page = canalblog.parse(text, POST_URL, LinkKind.POST)
    assert page.outcome is None and len(page.posts) == 1


def test_new_template_listing_gives_one_record_per_post():
    site = make_site(posts=14, template=2023)
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
    assert Link(site.url("/page/2"), LinkKind.LISTING, redundant=True) in page.links
    assert Link(site.url("/rss"), LinkKind.FEED) in page.links


def test_new_template_in_process_crawl_finds_every_post_and_comment():
    site = make_site(posts=16, seed=5, template=2023)
    site.base_url = "http://127.0.0.1:8123"
    posts, _, not_found = crawl_in_process(site)
    assert not_found == 2  # the old template's seeds /archives/index.html and /rss.xml
    assert sorted(posts) == sorted(site.url(p.path) for p in site.posts)
    for expected in site.posts:
        got = posts[site.url(expected.path)]
        assert (got.title, got.author, got.published, got.tags, got.comment_count) == (
            expected.title,
            expected.author,
            expected.published,
            expected.tags,
            expected.comment_count,
        )
        assert [(c.id, c.author, c.published) for c in got.comments] == [
            (c.id, c.author, c.published) for c in expected.comments
        ]
        assert all(want.text in c.text for c, want in zip(got.comments, expected.comments))


def test_new_feed_links_slug_permalinks():
    site = make_site(posts=12, template=2023)
    site.base_url = "http://127.0.0.1:8123"
    page = canalblog.parse(site.handle("/rss", {}).body.decode(), site.url("/rss"), LinkKind.FEED)
    assert len(page.links) == 10
    newest = next(p for p in site.posts if p.path == site.paths[site.newest_first[0].pid])
    first = page.posts[0]
    assert (first.url, first.post_id, first.published) == (site.url(newest.path), None, newest.published)
    assert page.links[0].hint["published"] == newest.published.isoformat()  # the permalink's month: kept

"""A synthetic Tumblr blog: a free-form French theme, every post type, the v1/v2 APIs, RSS and a consent wall.

Options: ``posts`` (30), ``api`` (1; 0: every API answers 404 or 500), ``v1`` (1; 0: only the legacy API is
down), ``listings`` (1; 0: no ``/page/N``, ``/archive`` or ``/tagged/`` pages and no pagination links, so only the
APIs enumerate), ``rss`` (1), ``consent`` (0; 1: every URL 302s to ``/privacy/consent`` unless the ``pfg``
consent cookie is sent), ``key`` ("fake": the v2 ``api_key`` accepted), ``budget`` (0: no limit; N: the v2 API
answers N requests, then 429 with Tumblr's rate-limit headers).

Map: ``/`` and ``/page/N`` (10 posts a page), ``/post/<id>`` and ``/post/<id>/<slug>`` (permalink, JSON-LD date),
``/tagged/<tag>[/page/N]``, ``/archive[?before_time=T]``, ``/rss``, ``/api/read/json?start=&num=`` (JSONP),
``/api/read?start=&num=`` (XML), ``/v2/blog/<host>/posts?api_key=&limit=&offset=&before=``, ``/media/...``.
The theme prints only relative dates ("il y a 2 ans avec 12 notes"), as Tumblr themes do.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit
from xml.sax.saxutils import quoteattr
from zoneinfo import ZoneInfo

from tests.fixtureweb.base import EN_WORDS, FR_WORDS, ExpectedPost, FixtureSite, Reply, paragraph, sentence
from tests.fixtureweb.media import media_reply

BLOG_NAME = "netizen"
BLOG_TITLE = "Je suis un Netizen, et vous ?"
DESCRIPTION = (
    "Guillaume Milert, le 28 février 2014 : bienvenue sur mon ancien blog. "
    "Rejoignez-moi sur mon nouveau site et bonne lecture !"
)
NOW = datetime(2016, 3, 1, tzinfo=timezone.utc)  # the theme's "il y a …" is relative to this day
PARIS = ZoneInfo("Europe/Paris")
TYPES = ("text", "photo", "quote", "link", "chat", "audio", "video")
V1_TYPES = {"text": "regular", "chat": "conversation"}
TAGS = ("petit monde", "réseaux sociaux", "CRM", "Netizen", "six degrés de séparation", "Centre d'appels",
        "2.0", "the tipping point", "musique", "été")  # fmt: skip
PAGE_SIZE = 10
ARCHIVE_PAGE_SIZE = 20
RSS_SIZE = 20
CONSENT_COOKIE = re.compile(r"(?:^|;\s*)pfg=[^;]*gdpr_consent_core")


@dataclass
class FixturePost:
    id: int
    type: str
    slug: str
    published: datetime
    tags: list[str]
    notes: int
    marker: str  # the distinctive sentence
    title: str | None = None
    body: str = ""  # HTML: text body, or the caption / description of the type
    quote_source: str = ""
    link_url: str = ""
    dialogue: list[tuple[str, str]] = field(default_factory=list)
    media: list[str] = field(default_factory=list)  # site-relative paths or absolute embed URLs
    reblog: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"/post/{self.id}/{self.slug}"


def tag_slug(tag: str) -> str:
    return quote(tag.lower().replace(" ", "-"), safe="'")


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40] or "post"


def _relative(when: datetime) -> str:
    days = (NOW - when).days
    if days >= 365:
        years = days // 365
        return f"il y a {years} an{'s' if years > 1 else ''}"
    return f"il y a {max(1, days // 30)} mois"


def build_posts(count: int) -> list[FixturePost]:
    """Newest first, every type in turn; deterministic for a count."""
    rng = random.Random(f"tumblr-{count}")
    when = datetime(2010, 1, 5, 9, 30, 0, tzinfo=timezone.utc)
    posts = []
    for i in range(count):
        when += timedelta(days=rng.randint(20, 50), seconds=rng.randint(0, 86_000))
        ptype = TYPES[i % len(TYPES)]
        words = EN_WORDS if i % 5 == 3 else FR_WORDS
        marker = f"{sentence(rng, words, 9)[:-1]} numéro {i}."
        post = FixturePost(
            id=81_000_000_000 + i * 7_919_123 + rng.randint(0, 999),
            type=ptype,
            slug="",
            published=when.replace(microsecond=0),
            tags=rng.sample(TAGS, rng.randint(0, 4)),
            notes=rng.randint(1, 240),
            marker=marker,
        )
        _fill(post, rng, words, i)
        post.slug = _slugify(post.title or post.marker)
        if i % 6 == 4:
            post.reblog = {"from": "autreblog", "from_url": f"https://autreblog.tumblr.com/post/{70_000 + i}",
                           "root": "premierblog", "root_url": f"https://premierblog.tumblr.com/post/{60_000 + i}"}  # fmt: skip
        posts.append(post)
    return posts[::-1]


def _fill(post: FixturePost, rng: random.Random, words: tuple[str, ...] | list[str], i: int) -> None:
    """The type-specific parts of a post."""
    text = f"<p>{paragraph(rng, words, 2)} {post.marker}</p>"
    key = f"{i:03d}{rng.randrange(16**8):08x}"
    if post.type == "text":
        post.title = sentence(rng, words, 4)[:-1] if i % 3 else None
        post.body = f"{text}<p>{paragraph(rng, words, 2)}</p>"
    elif post.type == "photo":
        post.body = text
        post.media = [f"/media/{key}/tumblr_{key}o{n}_1280.jpg" for n in range(1, 1 + (2 if i % 2 else 1))]
    elif post.type == "quote":
        post.body = f"<p>{post.marker}</p>"
        post.quote_source = sentence(rng, words, 3)[:-1]
    elif post.type == "link":
        post.title = sentence(rng, words, 3)[:-1]
        post.link_url = f"https://www.example.org/{key}"
        post.body = text
    elif post.type == "chat":
        post.title = sentence(rng, words, 3)[:-1]
        post.dialogue = [
            ("Marie :", sentence(rng, words, 6)),
            ("Paul :", post.marker),
            ("Marie :", sentence(rng, words, 4)),
        ]
    elif post.type == "audio":
        post.body = text
        post.media = [f"/media/audio/tumblr_{key}o1.mp3"]
    else:
        post.body = text
        post.media = [f"https://www.youtube.com/embed/{key}"] if i % 2 else [f"/media/video/tumblr_{key}.mp4"]


class TumblrSite(FixtureSite):
    platform = "tumblr"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.count = int(options.get("posts", 30))
        self.api = bool(int(options.get("api", 1)))
        self.v1 = self.api and bool(int(options.get("v1", 1)))
        self.listings = bool(int(options.get("listings", 1)))
        self.rss = bool(int(options.get("rss", 1)))
        self.consent = bool(int(options.get("consent", 0)))
        self.key = str(options.get("key", "fake"))
        self.budget = int(options.get("budget", 0))
        self.v2_calls = 0
        self.fixture_posts = build_posts(self.count)
        self.by_id = {p.id: p for p in self.fixture_posts}
        self.posts = [self._expected(p) for p in self.fixture_posts]

    # -- ground truth ------------------------------------------------------------

    def _expected(self, post: FixturePost) -> ExpectedPost:
        extra: dict[str, Any] = {"type": post.type, "note_count": post.notes}
        if post.link_url:
            extra["link_url"] = post.link_url
        if post.reblog:
            extra.update(reblogged_from=post.reblog["from"], reblogged_from_url=post.reblog["from_url"],
                         reblogged_root=post.reblog["root"], reblogged_root_url=post.reblog["root_url"])  # fmt: skip
        return ExpectedPost(
            path=f"/post/{post.id}",
            title=post.title,
            author=BLOG_NAME,
            published=post.published,
            tags=list(post.tags),
            text=post.marker,
            media_urls=list(post.media),
            extra=extra,
        )

    def media_url(self, path: str) -> str:
        return self.url(path) if path.startswith("/") else path

    # -- routing -----------------------------------------------------------------

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(path)
        route, query = parts.path, dict(parse_qsl(parts.query))
        if route.startswith("/privacy/consent"):
            return Reply.html(self._consent_page(query.get("redirect", "/")))
        if self.consent and not CONSENT_COOKIE.search(headers.get("cookie", "")):
            return Reply.redirect(f"/privacy/consent?redirect={quote(self.url(path), safe='')}", status=302)
        if route == "/robots.txt":
            return Reply(200, b"User-agent: *\nDisallow: /reblog/\n", [("Content-Type", "text/plain")])
        if route.startswith("/media/"):
            return media_reply(route)
        if route.startswith(("/api/", "/v2/")):
            return self._api(route, query)
        if route == "/rss" and self.rss:
            return Reply.xml(self._rss(), content_type="application/rss+xml")
        if route == "/":
            return Reply.html(self._listing(self.fixture_posts, 1, "/", heading=None))
        if match := re.fullmatch(r"/post/(\d+)(?:/[^/]*)?/?", route):
            post = self.by_id.get(int(match.group(1)))
            return Reply.html(self._permalink(post)) if post else self._gone()
        if self.listings:
            return self._listing_route(route, query)
        return Reply.not_found()

    def _listing_route(self, route: str, query: dict[str, str]) -> Reply:
        if match := re.fullmatch(r"/page/(\d+)/?", route):
            return self._paged(self.fixture_posts, int(match.group(1)), "/", None)
        if match := re.fullmatch(r"/tagged/([^/]+)(?:/page/(\d+))?/?", route):
            slug = unquote(match.group(1))
            tag = next((t for t in TAGS if unquote(tag_slug(t)) == slug), None)
            if tag is None:
                return Reply.not_found()
            tagged = [p for p in self.fixture_posts if tag in p.tags]
            heading = f"Liste des billets comportant le tag {escape(tag)}."
            return self._paged(tagged, int(match.group(2) or 1), f"/tagged/{tag_slug(tag)}/", heading)
        if route == "/archive":
            return Reply.html(self._archive(int(query.get("before_time", 2**40))))
        return Reply.not_found()

    def _paged(self, posts: list[FixturePost], number: int, base: str, heading: str | None) -> Reply:
        if number < 1:
            return Reply.not_found()
        return Reply.html(self._listing(posts, number, base, heading))

    def _gone(self) -> Reply:
        return Reply.html("<html><body><h1>There's nothing here.</h1><p>Whatever you were looking for doesn't "
                          "currently exist at this address.</p></body></html>", status=404)  # fmt: skip

    # -- theme -------------------------------------------------------------------

    def _frame(
        self, main: str, *, og_type: str, head: str = "", title: str = BLOG_TITLE, post_id: int | None = None
    ) -> str:
        app = f"tumblr://x-callback-url/blog?blogName={BLOG_NAME}" + (
            f"&amp;postID={post_id}" if post_id else ""
        )
        return f"""<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{escape(title)}</title>
<meta property="fb:app_id" content="48119224995">
<meta property="og:site_name" content="{escape(BLOG_TITLE)}">
<meta property="og:type" content="tumblr-feed:{og_type}">
<meta property="al:ios:app_name" content="Tumblr">
<meta property="al:ios:url" content="{app}">
<link rel="alternate" type="application/rss+xml" href="{self.url("/rss")}">
{head}
<style>body {{ font-family: Georgia; }} .meta {{ color: #999; }}</style>
<script>var Tumblr = {{ route: "/tagged/:tag" }};</script>
</head><body>
<header id="top"><h1><a href="/">{escape(BLOG_TITLE)}</a></h1>
<nav class="menu"><a href="/ask">Ask me anything</a> <a href="/submit">Submit</a> <a href="/archive">Archives</a>
<a href="/rss">RSS</a> <a href="https://www.tumblr.com/follow/{BLOG_NAME}">Suivre</a></nav>
<p class="description">{escape(DESCRIPTION)}</p></header>
<main id="contenu">{main}</main>
<aside><h3>Liens</h3><a href="https://autreblog.tumblr.com/">autreblog</a> <a href="https://www.tumblr.com/">Tumblr</a></aside>
<footer>Thème « Minimaliste » — propulsé par Tumblr</footer>
<iframe src="https://assets.tumblr.com/iframe.html?src={quote(self.url("/"), safe="")}&amp;name={BLOG_NAME}" id="tumblr_controls"></iframe>
</body></html>"""

    def _content(self, post: FixturePost) -> str:
        """The type-specific part of a post block, as a theme's ``{Block:Photo}`` etc. would print it."""
        title = f'<h2><a href="{post.path}">{escape(post.title)}</a></h2>' if post.title else ""
        if post.type == "text":
            return f'{title}<div class="texte">{post.body}</div>'
        if post.type == "photo":
            images = "".join(
                f'<a href="/image/{post.id}"><img src="{self.media_url(m)}" alt=""></a>' for m in post.media
            )
            return f'<div class="photos">{images}</div><div class="legende">{post.body}</div>'
        if post.type == "quote":
            return f'<blockquote class="citation">{post.body}</blockquote><p class="source">— {escape(post.quote_source)}</p>'
        if post.type == "link":
            return f'<h2><a class="lien" href="{post.link_url}">{escape(post.title or "")} →</a></h2><div class="description">{post.body}</div>'
        if post.type == "chat":
            lines = "".join(
                f'<li class="{"odd" if n % 2 else "even"}"><span class="label">{escape(label)}</span> {escape(phrase)}</li>'
                for n, (label, phrase) in enumerate(post.dialogue)
            )
            return f'<h2>{escape(post.title or "")}</h2><ul class="dialogue">{lines}</ul>'
        if post.type == "audio":
            return (
                f'<div class="lecteur">{self._audio_player(post)}</div><div class="legende">{post.body}</div>'
            )
        return f'<div class="video">{self._video_player(post)}</div><div class="legende">{post.body}</div>'

    def _audio_player(self, post: FixturePost) -> str:
        player = f"https://assets.tumblr.com/swf/audio_player.swf?audio_file={quote(self.media_url(post.media[0]), safe='')}&amp;color=FFFFFF"
        return f'<embed type="application/x-shockwave-flash" src="{player}" height="27" width="207">'

    def _video_player(self, post: FixturePost) -> str:
        media = self.media_url(post.media[0])
        if media.endswith(".mp4"):
            return f'<video controls poster="{self.url("/media/video/poster.jpg")}"><source src="{media}" type="video/mp4"></video>'
        return f'<iframe width="400" height="225" src="{media}" frameborder="0"></iframe>'

    def _block(self, post: FixturePost, *, permalink: bool) -> str:
        notes = f' avec <a href="{post.path}#notes">{post.notes} notes</a>'
        tags = "  ".join(f'<a href="/tagged/{tag_slug(t)}">#{escape(t)}</a>' for t in post.tags)
        reblog = ""
        if post.reblog:
            reblog = (f'<p class="reblog">rebloggé depuis <a href="{post.reblog["from_url"]}">{post.reblog["from"]}</a>'
                      f' (source : <a href="{post.reblog["root_url"]}">{post.reblog["root"]}</a>)</p>')  # fmt: skip
        notes_list = ""
        if permalink:
            notes_list = ('<ol class="notes"><li class="note"><a href="https://autreblog.tumblr.com/">autreblog</a> '
                          "a aimé ce billet</li><li class=\"note\">premierblog a reblogué ce billet</li></ol>")  # fmt: skip
        return f"""<article class="billet">
{self._content(post)}
{reblog}
<div class="meta">— <a href="{post.path}">{_relative(post.published)}</a>{notes}
<a class="partager" href="https://www.tumblr.com/reblog/{post.id}/abc123">Rebloguer</a></div>
<div class="tags">{tags}</div>
{notes_list}
</article>"""

    def _listing(self, posts: list[FixturePost], number: int, base: str, heading: str | None) -> str:
        shown = posts[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        nav = []
        if self.listings and number > 1:
            nav.append(
                f'<a href="{base}page/{number - 1}">← Page précédente</a>'
                if number > 2
                else f'<a href="{base}">← Page précédente</a>'
            )
        if self.listings and number * PAGE_SIZE < len(posts):
            nav.append(f'<a href="{base}page/{number + 1}">Page suivante →</a>')
        intro = f'<h2 class="intro">{heading}</h2>' if heading else ""
        main = (
            intro
            + "\n".join(self._block(p, permalink=False) for p in shown)
            + f'<nav class="pagination">{" ".join(nav)}</nav>'
        )
        return self._frame(main, og_type="tumblelog")

    def _permalink(self, post: FixturePost) -> str:
        index = self.fixture_posts.index(post)
        around = []
        if index > 0:
            around.append(f'<a href="{self.fixture_posts[index - 1].path}">Billet suivant</a>')
        if index + 1 < len(self.fixture_posts):
            around.append(f'<a href="{self.fixture_posts[index + 1].path}">Billet précédent</a>')
        local = post.published.astimezone(PARIS).isoformat()
        ld = json.dumps({"@type": "SocialMediaPosting", "url": self.url(post.path), "datePublished": local,
                         "author": BLOG_NAME, "headline": post.title or post.marker, "@context": "http://schema.org"})  # fmt: skip
        og_type = {"text": "entry"}.get(post.type, post.type)
        head = (f'<link rel="canonical" href="{self.url(post.path)}">\n<meta property="og:url" content="{self.url(post.path)}">\n'
                f'<script type="application/ld+json">{ld}</script>')  # fmt: skip
        main = self._block(post, permalink=True) + f'<nav class="autour">{" ".join(around)}</nav>'
        title = f"{post.title or post.marker[:40]} — {BLOG_TITLE}"
        return self._frame(main, og_type=og_type, head=head, title=title, post_id=post.id)

    def _archive(self, before: int) -> str:
        older = [p for p in self.fixture_posts if p.published.timestamp() < before][:ARCHIVE_PAGE_SIZE]
        items = "".join(
            f'<div class="post_micro {p.type}"><a class="hover" href="{self.url(p.path)}">'
            f'<span class="post_date">{p.published:%d/%m}</span></a></div>'
            for p in older
        )  # fmt: skip
        rest = [p for p in self.fixture_posts if older and p.published < older[-1].published]
        more = (
            f'<a id="next_page_link" href="/archive?before_time={int(older[-1].published.timestamp())}">Suivant</a>'
            if rest
            else ""
        )
        return (f"<!DOCTYPE html><html><head><title>Archives — {escape(BLOG_TITLE)}</title>"
                f'<meta property="og:type" content="tumblr-feed:tumblelog"></head><body>'
                f'<h1><a href="/">{escape(BLOG_TITLE)}</a></h1><div id="posts">{items}</div>{more}</body></html>')  # fmt: skip

    def _consent_page(self, redirect: str) -> str:
        return f"""<!DOCTYPE html><html><head><title>Tumblr</title>
<meta name="tumblr-form-key" content="!1231528739142|fixture">
</head><body><div id="consent"><h1>Avant de continuer…</h1>
<p>Tumblr et ses partenaires utilisent des cookies. Acceptez-vous le traitement de vos données ?</p>
<form method="post" action="/svc/privacy/consent"><input type="hidden" name="redirect_to" value="{escape(redirect)}">
<button name="gdpr_consent_core" value="1">J'accepte</button></form></div></body></html>"""

    # -- feeds and APIs ----------------------------------------------------------

    def _rss(self) -> str:
        items = []
        for post in self.fixture_posts[:RSS_SIZE]:
            description = self._content(post)
            if description.startswith("<h2"):  # the title is the item's, not the description's
                description = description.split("</h2>", 1)[1]
            title = post.title or re.sub(r"<[^>]+>", " ", description).split(".")[0].strip()[:50] + "…"
            categories = "".join(f"<category>{escape(t)}</category>" for t in post.tags)
            items.append(
                f"<item><title>{escape(title)}</title><description>{escape(description)}</description>"
                f"<link>{self.url(post.path)}</link><guid>{self.url(post.path)}</guid>"
                f"<pubDate>{format_datetime(post.published.astimezone(PARIS))}</pubDate>{categories}</item>"
            )
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{escape(BLOG_TITLE)}</title>'
                f"<link>{self.url('/')}</link><description>{escape(DESCRIPTION)}</description>{''.join(items)}</channel></rss>")  # fmt: skip

    def _api(self, route: str, query: dict[str, str]) -> Reply:
        if route.startswith("/v2/blog/") and route.endswith("/posts"):
            return self._v2(query) if self.api else Reply.html("<h1>Internal Server Error</h1>", status=500)
        if not self.v1:
            return Reply.not_found()
        start, num = int(query.get("start", 0)), min(int(query.get("num", 20)), 50)
        window = self.fixture_posts[start : start + num]
        if route.rstrip("/") == "/api/read/json":
            body = {"tumblelog": {"title": BLOG_TITLE, "description": DESCRIPTION, "name": BLOG_NAME, "timezone": "Europe/Paris"},
                    "posts-start": start, "posts-total": len(self.fixture_posts), "posts-type": False,
                    "posts": [self._v1_post(p) for p in window]}  # fmt: skip
            payload = f"var tumblr_api_read = {json.dumps(body, ensure_ascii=False)};\n"
            return Reply(200, payload.encode("utf-8"), [("Content-Type", "text/javascript; charset=utf-8")])
        if route.rstrip("/") == "/api/read":
            return Reply.xml(self._v1_xml(window, start), content_type="text/xml")
        return Reply.not_found()

    def _v1_post(self, post: FixturePost) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(post.id), "url": self.url(f"/post/{post.id}"), "url-with-slug": self.url(post.path),
            "type": V1_TYPES.get(post.type, post.type), "date-gmt": f"{post.published:%Y-%m-%d %H:%M:%S} GMT",
            "date": f"{post.published.astimezone(PARIS):%a, %d %b %Y %H:%M:%S}",
            "unix-timestamp": int(post.published.timestamp()), "format": "html", "reblog-key": "abc123",
            "slug": post.slug, "note-count": str(post.notes), "tags": list(post.tags),
        }  # fmt: skip
        if post.reblog:
            data.update({"reblogged-from-url": post.reblog["from_url"], "reblogged-from-name": post.reblog["from"],
                         "reblogged-root-url": post.reblog["root_url"], "reblogged-root-name": post.reblog["root"]})  # fmt: skip
        media = [self.media_url(m) for m in post.media]
        if post.type == "text":
            data.update({"regular-title": post.title, "regular-body": post.body})
        elif post.type == "photo":
            data.update({"photo-caption": post.body, "photo-url-1280": media[0], "photo-url-500": media[0].replace("_1280", "_500"),
                         "photos": [{"offset": f"o{n + 1}", "caption": "", "photo-url-1280": m} for n, m in enumerate(media)] if len(media) > 1 else []})  # fmt: skip
        elif post.type == "quote":
            data.update({"quote-text": post.body, "quote-source": escape(post.quote_source)})
        elif post.type == "link":
            data.update({"link-text": post.title, "link-url": post.link_url, "link-description": post.body})
        elif post.type == "chat":
            data.update({"conversation-title": post.title,
                         "conversation-text": "\r\n".join(f"{label} {phrase}" for label, phrase in post.dialogue),
                         "conversation": [{"name": label.rstrip(" :"), "label": label, "phrase": phrase} for label, phrase in post.dialogue]})  # fmt: skip
        elif post.type == "audio":
            player = self._audio_player(post)
            data.update(
                {
                    "audio-caption": post.body,
                    "audio-player": player,
                    "audio-embed": player,
                    "audio-file-url": media[0],
                }
            )
        else:
            data.update(
                {
                    "video-caption": post.body,
                    "video-source": media[0],
                    "video-player": self._video_player(post),
                }
            )
        return data

    def _v1_xml(self, window: list[FixturePost], start: int) -> str:
        posts = []
        for post in window:
            data = self._v1_post(post)
            attrs = " ".join(f"{k}={quoteattr(str(data[k]))}" for k in ("id", "url", "url-with-slug", "type", "date-gmt", "date",
                             "unix-timestamp", "format", "reblog-key", "slug", "note-count") + (("reblogged-from-url",
                             "reblogged-from-name", "reblogged-root-url", "reblogged-root-name") if post.reblog else ()))  # fmt: skip
            children = []
            for key, value in data.items():
                if (
                    key in ("photos", "conversation", "tags")
                    or key.startswith("photo-url")
                    or not isinstance(value, str)
                    or f"{key}=" in attrs
                ):
                    continue
                children.append(f"<{key}>{escape(value)}</{key}>")
            if post.type == "photo":
                children.append(f'<photo-url max-width="1280">{escape(data["photo-url-1280"])}</photo-url>')
                if data["photos"]:
                    photos = "".join(f'<photo offset="{p["offset"]}"><photo-url max-width="1280">{escape(p["photo-url-1280"])}</photo-url></photo>'
                                     for p in data["photos"])  # fmt: skip
                    children.append(f"<photoset>{photos}</photoset>")
            if post.type == "chat":
                lines = "".join(f"<line name={quoteattr(c['name'])} label={quoteattr(c['label'])}>{escape(c['phrase'])}</line>"
                                for c in data["conversation"])  # fmt: skip
                children.append(f"<conversation>{lines}</conversation>")
            children += [f"<tag>{escape(t)}</tag>" for t in post.tags]
            posts.append(f"<post {attrs}>{''.join(children)}</post>")
        return (f'<?xml version="1.0" encoding="UTF-8"?>\n<tumblr version="1.0"><tumblelog name="{BLOG_NAME}" timezone="Europe/Paris" '
                f'title={quoteattr(BLOG_TITLE)}>{escape(DESCRIPTION)}</tumblelog><posts start="{start}" total="{len(self.fixture_posts)}">'
                f"{''.join(posts)}</posts></tumblr>")  # fmt: skip

    def _v2(self, query: dict[str, str]) -> Reply:
        self.v2_calls += 1
        hourly = max(self.budget - self.v2_calls, 0) if self.budget else 1000
        limits = [("X-Ratelimit-Perhour-Limit", "1000"), ("X-Ratelimit-Perhour-Remaining", str(hourly)),
                  ("X-Ratelimit-Perhour-Reset", "1800"), ("X-Ratelimit-Perday-Limit", "5000"),
                  ("X-Ratelimit-Perday-Remaining", str(hourly + 4000)), ("X-Ratelimit-Perday-Reset", "40000")]  # fmt: skip
        if query.get("api_key") != self.key:
            return self._v2_reply(401, "Unauthorized", None, limits)
        if self.budget and self.v2_calls > self.budget:
            return self._v2_reply(429, "Limit Exceeded", None, limits)
        posts = self.fixture_posts
        if "before" in query:
            posts = [p for p in posts if p.published.timestamp() < int(query["before"])]
        offset, limit = int(query.get("offset", 0)), min(int(query.get("limit", 20)), 50)
        window = posts[offset : offset + limit]
        response = {"blog": {"name": BLOG_NAME, "title": BLOG_TITLE, "url": self.url("/"), "posts": len(self.fixture_posts),
                             "description": DESCRIPTION}, "posts": [self._v2_post(p) for p in window],
                    "total_posts": len(self.fixture_posts)}  # fmt: skip
        return self._v2_reply(200, "OK", response, limits)

    def _v2_reply(
        self, status: int, msg: str, response: dict | None, headers: list[tuple[str, str]]
    ) -> Reply:
        body = {"meta": {"status": status, "msg": msg}, "response": response or []}
        if response is None:
            body["errors"] = [{"title": msg, "code": 0}]
        reply = Reply.json(json.dumps(body, ensure_ascii=False))
        return Reply(status, reply.body, reply.headers + headers)

    def _v2_post(self, post: FixturePost) -> dict[str, Any]:
        media = [self.media_url(m) for m in post.media]
        data: dict[str, Any] = {
            "type": post.type, "blog_name": BLOG_NAME, "id": post.id, "id_string": str(post.id),
            "post_url": self.url(post.path), "slug": post.slug, "date": f"{post.published:%Y-%m-%d %H:%M:%S} GMT",
            "timestamp": int(post.published.timestamp()), "state": "published", "format": "html",
            "reblog_key": "abc123", "tags": list(post.tags), "short_url": f"https://tmblr.co/Z{post.id}",
            "summary": post.title or post.marker[:50], "note_count": post.notes,
        }  # fmt: skip
        if post.reblog:
            data.update({"reblogged_from_name": post.reblog["from"], "reblogged_from_url": post.reblog["from_url"],
                         "reblogged_root_name": post.reblog["root"], "reblogged_root_url": post.reblog["root_url"]})  # fmt: skip
        if post.type == "text":
            data.update({"title": post.title, "body": post.body})
        elif post.type == "photo":
            data.update(
                {
                    "caption": post.body,
                    "photos": [{"caption": "", "original_size": {"url": m, "width": 1280}} for m in media],
                }
            )
        elif post.type == "quote":
            data.update({"text": post.body, "source": escape(post.quote_source)})
        elif post.type == "link":
            data.update({"title": post.title, "url": post.link_url, "description": post.body})
        elif post.type == "chat":
            data.update({"title": post.title, "body": "\r\n".join(f"{label} {phrase}" for label, phrase in post.dialogue),
                         "dialogue": [{"name": label.rstrip(" :"), "label": label, "phrase": phrase} for label, phrase in post.dialogue]})  # fmt: skip
        elif post.type == "audio":
            data.update(
                {
                    "caption": post.body,
                    "audio_url": media[0],
                    "audio_type": "tumblr",
                    "player": self._audio_player(post),
                }
            )
        else:
            video = {"video_url": media[0]} if media[0].endswith(".mp4") else {}
            data.update(
                {
                    "caption": post.body,
                    **video,
                    "player": [{"width": 400, "embed_code": self._video_player(post)}],
                }
            )
        return data


def make_site(**options: Any) -> TumblrSite:
    return TumblrSite(**options)

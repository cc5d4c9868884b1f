"""The synthetic Canalblog blog of ``canalblog.py`` as Canalblog serves it since its move to
Webedia's Overblog engine (about 2023): ``canalblog:template=2023``.

Map: ``/`` and ``/page/<n>`` (home pages, ``a.ob-page-next``), ``/tag/<label>/`` (a category or
tag, every post), ``/YYYY/MM/<slug>.html`` (permalinks; post 2's slug holds a ``/`` like the real
``.../italie-des-coradia-stream-a-200-km/h.html``), ``/pages/a-propos/<id>.html`` (a static page,
linked from the sidebar only), ``/rss`` (the 10 latest posts), ``/robots.txt``, ``/images/...``.
Anything else is a 404 (``/archives/...`` and ``/rss.xml`` included: what the real engine does
with them is not known).

The markup follows what was seen of real pages (see ``crawler/parsers/canalblog/overblog.py``):
``div.article`` > ``div.date-header`` "jeudi 27 septembre 2007", ``h2.title`` > ``a.article_link``,
``.ob-sections`` > ``.ob-section-images`` (``ob-row-1-col``) + ``.ob-section-html``,
``.article_footer_info`` "Posté par X à HH:MM - <category> - <n> commentaires", the GTM
``dataLayer`` with ``blog_name``, a profile picture on ``profilepics.canalblog.com`` and links to
``www.canalblog.com``. The comment markup (``#ob-comments .ob-comment``) is this fixture's
own: no real Canalblog page with comments of this template was found.
"""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import datetime
from urllib.parse import quote, unquote

from tests.fixtureweb.base import ExpectedComment, ExpectedPost, Reply
from tests.fixtureweb.media import image_reply
from tests.fixtureweb.sites.canalblog import (
    BLOG_DESCRIPTION,
    BLOG_TITLE,
    MONTHS_FR,
    PARIS,
    CanalblogSite,
    _Comment,
    _Post,
    utc,
)

WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
STATIC_PAGE = "/pages/a-propos/39892185.html"
STATIC_LOCAL = datetime(2008, 2, 14, 9, 30)
STATIC_TEXT = "Ce blog parle des technologies de l'information, de leurs usages et de leurs travers."
HOME_PAGE = re.compile(r"^/page/(\d+)/?$")
TAG_PAGE = re.compile(r"^/tag/([^/]+)/?$")


def slug_of(title: str) -> str:
    """Overblog's slug: accents dropped, lower case, every other run of characters a ``-``."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title).strip("-")


def day_header(local: datetime) -> str:
    return f"{WEEKDAYS_FR[local.weekday()]} {local.day} {MONTHS_FR[local.month - 1]} {local.year}"


class Canalblog2023Site(CanalblogSite):
    """Same posts, comments and dates as the 2010 template; the new engine's URLs and markup."""

    def _expected_posts(self) -> list[ExpectedPost]:
        """Called once by ``CanalblogSite.__init__``, posts generated: the new URLs, then the truth."""
        self.paths = {post.pid: self._path(index, post) for index, post in enumerate(self.entries)}
        self.static = _Post(39892185, "À propos", "Miss_TICS", STATIC_LOCAL, STATIC_LOCAL, "Pages", [],
                            [STATIC_TEXT], None)  # fmt: skip
        self.paths[self.static.pid] = STATIC_PAGE
        self.by_path = {path: pid for pid, path in self.paths.items()}
        self.by_id[self.static.pid] = self.static
        return [self._expected(post) for post in self.entries] + [self._expected_static()]

    @staticmethod
    def _path(index: int, post: _Post) -> str:
        slug = slug_of(post.title)
        if index == 2:
            slug += "-a-200-km/h"
        return f"/{post.local:%Y/%m}/{slug}.html"

    def _expected(self, post: _Post) -> ExpectedPost:
        return ExpectedPost(
            path=self.paths[post.pid],
            title=post.title,
            author=post.author,
            published=utc(post.local),
            tags=[post.category] + post.tags,
            text=post.paragraphs[0],
            comments=[
                ExpectedComment(
                    author=c.author, published=utc(c.local), text=c.text.split("\n")[0], id=str(c.cid)
                )
                for c in post.comments
            ],
            comment_count=len(post.comments),
            media_urls=[self._image(post)] if post.image else [],
            extra={"post_id": str(post.pid)},
        )

    def _expected_static(self) -> ExpectedPost:
        page = self.static
        return ExpectedPost(path=STATIC_PAGE, title=page.title, author=page.author, published=utc(page.local),
                            tags=[], text=STATIC_TEXT, comments=[], comment_count=None, media_urls=[],
                            extra={"post_id": str(page.pid)})  # fmt: skip

    def _image(self, post: _Post) -> str:
        # The engine's thumbor URL shape, served by the fixture itself (tests never leave loopback).
        name = (post.image or "").rsplit("/", 1)[-1].removeprefix("t-")
        return f"/images/{name}"

    # ------------------------------------------------------------------ routing

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        path = unquote(path.split("?", 1)[0])
        if path == "/robots.txt":
            return Reply(200, b"User-agent: *\nDisallow: /admin/\n", [("Content-Type", "text/plain")])
        if path.startswith("/images/"):
            return image_reply(path)
        if path == "/rss":
            return Reply.xml(self._rss(), "application/rss+xml")
        if path in self.by_path:
            post = self.by_id[self.by_path[path]]
            return Reply.html(
                self._page(post.title, self._article(post, single=True) + self._comments(post), post)
            )
        if path == "/":
            return self._home(1)
        home = HOME_PAGE.match(path)
        if home and int(home[1]) > 1:
            return self._home(int(home[1]))
        tag = TAG_PAGE.match(path)
        if tag:
            posts = [p for p in self.newest_first if tag[1] in (p.category, *p.tags)]
            if posts:
                return Reply.html(self._page(tag[1], "".join(self._article(p, single=False) for p in posts)))
        return Reply.not_found()

    # ------------------------------------------------------------------ pages

    def _home(self, number: int) -> Reply:
        start = (number - 1) * self.page_size
        shown = self.newest_first[start : start + self.page_size]
        if not shown:
            return Reply.not_found()
        pages = (len(self.newest_first) + self.page_size - 1) // self.page_size
        links = []
        if number > 1:
            links.append(
                f'<a class="ob-page ob-page-link ob-page-prev" href="{self._home_path(number - 1)}">Précédent</a>'
            )
        links.append(f'<span class="ob-page ob-page-current">{number}</span>')
        if number < pages:
            links.append(
                f'<a class="ob-page ob-page-link ob-page-next" href="{self._home_path(number + 1)}">Suivant</a>'
            )
        nav = f'<div class="ob-pagination">{"".join(links)}</div>'
        return Reply.html(
            self._page(BLOG_TITLE, "".join(self._article(p, single=False) for p in shown) + nav)
        )

    @staticmethod
    def _home_path(number: int) -> str:
        return "/" if number == 1 else f"/page/{number}"

    def _page(self, title: str, content: str, post: _Post | None = None) -> str:
        article = f"        'article_id': '{post.pid}',\n" if post is not None else ""
        canonical = self.url(self.paths[post.pid]) if post is not None else self.url("/")
        labels = sorted({label for p in self.entries for label in (p.category, *p.tags)})
        sidebar = "".join(
            f'<li><a href="/tag/{quote(label)}/">{html.escape(label)}</a></li>' for label in labels
        )
        return (
            '<!DOCTYPE html><html lang="fr"><head><meta charset="UTF-8">'
            f"<title>{html.escape(title)} - {BLOG_TITLE}</title>"
            "<script>\n      dataLayer = [{\n        'lang'     : 'fr',\n        'blog_id'  : '141202',\n"
            f"        'blog_name': \"{BLOG_TITLE}\",\n{article}      }}];\n  </script>"
            f'<link rel="canonical" href="{canonical}" />'
            f'<meta property="og:type" content="{"article" if post is not None else "blog"}" />'
            '<meta property="og:image" content="https://image.canalblog.com/x9Y=/filters:no_upscale()/image%2F0141202%2F20240101%2Fob_1a2b3c_banniere.jpg" />'
            f'<meta name="description" content="{html.escape(BLOG_DESCRIPTION)}" />'
            '<link rel="alternate" type="application/rss+xml" title="RSS" href="/rss" /></head><body>'
            '<div class="topbar"><a href="https://www.canalblog.com/">Tous les blogs</a> '
            '<a href="https://www.canalblog.com/cf/signup">Créer mon blog</a></div>'
            f'<div class="header"><a class="header_link" href="{self.url("/")}">{BLOG_TITLE}</a>'
            f"<p>{html.escape(BLOG_DESCRIPTION)}</p></div>"
            '<div class="sidebar"><img src="https://profilepics.canalblog.com/profilepics/1/4/141202.jpg" alt="" />'
            f'<a href="{STATIC_PAGE}">À propos</a><ul>{sidebar}</ul>'
            '<a class="SidebarFollow-elementLink--rss" href="/rss">RSS</a></div>'
            f'<div class="content">{content}</div>'
            '<div class="footer"><a href="https://www.canalblog.com/terms">Conditions</a></div></body></html>'
        )

    def _article(self, post: _Post, single: bool) -> str:
        permalink = self.url(self.paths[post.pid])
        image = (
            '<div class="ob-section ob-section-images ob-default"><div class="ob-row-1-col">'
            f'<a href="{self._image(post)}" class="ob-link-img"><img src="{self._image(post)}" alt="" class="ob-img" /></a>'
            "</div></div>"
            if post.image
            else ""
        )
        body = "".join(f"<p>{html.escape(p)}</p>" for p in post.paragraphs)
        count = len(post.comments)
        labels = "" if post is self.static else (
            f' - <a href="/tag/{quote(post.category)}/">{html.escape(post.category)}</a>'
            + "".join(f', <a href="/tag/{quote(t)}/">{html.escape(t)}</a>' for t in post.tags)
            + f' - <a href="{permalink}#comments">{count} commentaire{"s" if count != 1 else ""}</a>'
        )  # fmt: skip
        share = '<div class="ob-ShareBar"><span class="ob-ShareBar-text">Partager cet article</span></div>'
        return (
            f'<div class="article" id="article-{post.pid}"><div class="date-header">{day_header(post.local)}</div>'
            f'<h2 class="title"><a class="article_link" href="{permalink}">{html.escape(post.title)}</a></h2>'
            f'<div class="post_body"><div class="ob-sections">{image}'
            f'<div class="ob-section ob-section-html">{body}</div>{share if single else ""}</div></div>'
            f'<div class="article_footer_info">Posté par {post.author} à {post.local:%H:%M}{labels}</div></div>'
        )

    def _comments(self, post: _Post) -> str:
        if post is self.static:
            return ""
        items = "".join(self._comment(c) for c in post.comments)
        return (
            '<div class="Post-comments"><div class="ob-h3 Title">Commenter cet article</div>'
            f'<div id="ob-comments"><div class="ob-list">{items}</div></div></div>'
        )

    @staticmethod
    def _comment(comment: _Comment) -> str:
        who = (
            f'<a href="{comment.url}" rel="nofollow">{html.escape(comment.author)}</a>'
            if comment.url
            else html.escape(comment.author)
        )
        stamp = comment.local.replace(tzinfo=PARIS).isoformat()
        shown = f"{comment.local.day} {MONTHS_FR[comment.local.month - 1]} {comment.local.year} à {comment.local:%H:%M}"
        text = "<br />".join(html.escape(line) for line in comment.text.split("\n"))
        return (
            f'<div class="ob-comment" id="ob-comment-{comment.cid}" data-id="{comment.cid}"><p class="ob-info">'
            f'<span class="ob-user"><span class="ob-name">{who}</span></span> '
            f'<time class="ob-date" datetime="{stamp}">{shown}</time></p>'
            f'<div class="ob-message"><div class="ob-content"><p>{text}</p></div></div>'
            '<a class="ob-reply" href="#">Répondre</a></div>'
        )

    def _rss(self) -> str:
        items = []
        for post in self.newest_first[:10]:
            link = self.url(self.paths[post.pid])
            stamp = post.local.replace(tzinfo=PARIS).strftime("%a, %d %b %Y %H:%M:%S %z")
            body = "".join(f"<p>{html.escape(p)}</p>" for p in post.paragraphs)
            items.append(
                f"<item><title>{html.escape(post.title)}</title><link>{link}</link><guid>{link}</guid>"
                f'<pubDate>{stamp}</pubDate><content:encoded><![CDATA[<div class="ob-section ob-section-html">'
                f"{body}</div>]]></content:encoded><category>{html.escape(post.category)}</category></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
            f"<channel><title>{BLOG_TITLE}</title><link>{self.url('/')}</link>"
            f"<description>{html.escape(BLOG_DESCRIPTION)}</description>{''.join(items)}</channel></rss>"
        )

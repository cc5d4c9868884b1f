"""A synthetic live Typepad blog under ``/blog/``: posts, fr/en comments, trackbacks, archives, pages, feeds.

Options: ``posts`` (default 24), ``lang`` (``fr``, ``en`` or ``mixed``: the template language of
each post alternates, as do the comments), ``per_page`` (home and category pages, default 5),
``seed``, ``closed=1`` (the blog after the 2025 shutdown: every URL redirects to a notice, no
post expected), ``tz`` (the blog's zone, default Europe/Paris: pages print wall times without
it, feeds state it as offsets).  Map of the site:

- ``/`` -> 302 ``/blog/``; ``/robots.txt``
- ``/blog/`` and ``/blog/page/N/``: newest posts first, ``span.pager-right`` "Next »"
- ``/blog/archives.html``: month and category index
- ``/blog/YYYY/MM/index.html``: every post of a month; ``/blog/<category>/`` (+ ``page/N/``)
- ``/blog/YYYY/MM/<slug>.html``: permalinks with comments, some with trackbacks and "continue reading"
- ``/blog/atom.xml`` and ``/blog/rss.xml``: the 10 newest posts only
- traps on every page: sign-in and ``.services`` links, a comments feed, another blog on
  the same host (``/autreblog/``), ``?cid=`` comment permalinks, external links.
"""

from __future__ import annotations

import html
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from tests.fixtureweb.base import (
    EN_WORDS,
    FR_WORDS,
    ExpectedComment,
    ExpectedPost,
    FixtureSite,
    Reply,
    paragraph,
    sentence,
)
from tests.fixtureweb.media import image_reply

BLOG = "/blog/"
# closed=1: since 30 Sep 2025 every Typepad URL redirects to the hosting company's notice.
CLOSED_PATH = "/typepad-has-closed"
CLOSED_NOTICE = (
    "<!DOCTYPE html><html><head><title>Typepad | Network Solutions</title></head><body>"
    "<h1>Typepad has closed</h1><p>Typepad was discontinued on September 30, 2025.</p>"
    '<p><a href="/hosting">Explore our website builder</a></p></body></html>'
)
FEED_SIZE = 10

CATEGORIES = {
    "fr": ("Cuisine", "Voyages", "Lectures", "Vie quotidienne"),
    "en": ("Cooking", "Travel", "Books", "Daily life"),
}
AUTHORS = {"fr": ("Marie Dupont", "Jean-Luc Martin"), "en": ("Helen Carter", "Bob Miller")}
COMMENTERS = {
    "fr": ("Sophie", "xgc", "Pierre L.", "Camille"),
    "en": ("Drew Avis", "Kate", "Tom W.", "Andrew"),
}
FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")  # fmt: skip
FR_MONTHS_SHORT = ("jan", "fév", "mar", "avr", "mai", "juin", "juil", "aoû", "sep", "oct", "nov", "déc")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# Template strings of Typepad's French and English localizations.
STRINGS = {
    "fr": {"by": "Rédigé par", "at": "à", "in": "dans", "permalink": "Lien permanent", "comments": "Commentaires",
           "comment_by": "Rédigé par :", "more": "Lire la suite »", "next": "Suivant »", "prev": "« Précédent",
           "tracked": "Tracké le", "html_lang": "fr-FR"},
    "en": {"by": "Posted by", "at": "at", "in": "in", "permalink": "Permalink", "comments": "Comments",
           "comment_by": "Posted by:", "more": "Continue reading »", "next": "Next »", "prev": "« Previous",
           "tracked": "Tracked on", "html_lang": "en-US"},
}  # fmt: skip


@dataclass
class _Comment:
    xid: str
    author: str
    author_url: str | None
    local: datetime  # the blog's wall time, as the page prints it
    paragraphs: list[str]


@dataclass
class _Post:
    index: int
    lang: str
    xid: str
    title: str
    slug: str
    author: str
    local: datetime
    categories: list[str]
    body: list[str]
    more: list[str]
    image: str | None
    numeric_dates: bool
    comments: list[_Comment] = field(default_factory=list)
    trackback: tuple[str, str] | None = None  # (source URL, excerpt)

    @property
    def path(self) -> str:
        return f"{BLOG}{self.local:%Y/%m}/{self.slug}.html"


def _xid(rng: random.Random) -> str:
    return "6a00d8341c" + "".join(rng.choice("0123456789abcdef") for _ in range(24))


def _words(text: str) -> list[str]:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "".join(c if c.isalnum() else " " for c in ascii_text).split()


def _slug(title: str) -> str:
    """Typepad's old basenames: ascii, lower case, dashes, 15 characters at most."""
    return "-".join(_words(title))[:15].strip("-") or "note"


def _category_slug(name: str) -> str:
    return "-".join(_words(name))


class TypepadSite(FixtureSite):
    platform = "typepad"

    def __init__(
        self,
        posts: int = 24,
        lang: str = "mixed",
        per_page: int = 5,
        seed: int = 5,
        closed: int = 0,
        tz: str = "Europe/Paris",
        **options: Any,
    ) -> None:
        super().__init__(
            posts=posts, lang=lang, per_page=per_page, seed=seed, closed=closed, tz=tz, **options
        )
        self.zone = ZoneInfo(tz)
        if lang not in ("fr", "en", "mixed"):
            raise ValueError(f"lang must be fr, en or mixed, not {lang!r}")
        self.per_page = max(1, per_page)
        rng = random.Random(seed)
        self.closed = bool(closed)
        self._posts = self._generate(rng, posts, lang)  # newest first
        self._by_path = {p.path: p for p in self._posts}
        self.posts = [] if self.closed else [self._expected(p) for p in self._posts]

    # -- generation -------------------------------------------------------------

    def _generate(self, rng: random.Random, count: int, lang: str) -> list[_Post]:
        posts: list[_Post] = []
        day = datetime(2006, 3, 2)
        used: set[str] = set()
        for i in range(count):
            day += timedelta(days=rng.choice((0, 1, 3, 8, 20, 45, 90)))
            local = day.replace(hour=rng.randint(8, 22), minute=rng.randint(0, 59))
            post_lang = lang if lang != "mixed" else ("fr" if i % 2 == 0 else "en")
            words = FR_WORDS if post_lang == "fr" else EN_WORDS
            title = sentence(rng, words, rng.randint(3, 6)).rstrip(".")
            slug = _slug(title)
            while f"{local:%Y/%m}/{slug}" in used:
                slug = f"{slug[:13]}-{rng.randint(1, 9)}"
            used.add(f"{local:%Y/%m}/{slug}")
            post = _Post(
                index=i,
                lang=post_lang,
                xid=_xid(rng),
                title=title,
                slug=slug,
                author=rng.choice(AUTHORS[post_lang]),
                local=local,
                categories=rng.sample(CATEGORIES[post_lang], rng.randint(1, 2)),
                body=[paragraph(rng, words, rng.randint(2, 4)) for _ in range(rng.randint(1, 3))],
                more=[paragraph(rng, words, 3)] if i % 3 == 0 else [],
                image=f"/.a/{_xid(rng)}-320wi" if i % 4 == 1 else None,
                numeric_dates=post_lang == "en" and i % 4 == 1,
            )
            post.comments = self._comments(rng, post, lang)
            if i % 4 == 2:
                post.trackback = (
                    f"http://autre-blog.example/{local:%Y/%m}/reponse.html",
                    sentence(rng, words, 12),
                )
            posts.append(post)
        return sorted(posts, key=lambda p: p.local, reverse=True)

    def _comments(self, rng: random.Random, post: _Post, lang: str) -> list[_Comment]:
        comments = []
        when = post.local
        for j in range(rng.choice((0, 1, 2, 3, 4))):
            when += timedelta(hours=rng.randint(1, 70), minutes=rng.randint(0, 59))
            when = when.replace(hour=min(max(when.hour, 8), 22))
            comment_lang = post.lang if lang != "mixed" else ("fr" if (post.index + j) % 2 == 0 else "en")
            words = FR_WORDS if comment_lang == "fr" else EN_WORDS
            author = rng.choice(COMMENTERS[comment_lang])
            url = f"http://{_slug(author)}.example.org/" if j % 2 == 0 else None
            paragraphs = [sentence(rng, words, rng.randint(8, 16)) for _ in range(rng.randint(1, 2))]
            comments.append(_Comment(_xid(rng), author, url, when, paragraphs))
        return comments

    def _expected(self, post: _Post) -> ExpectedPost:
        text = (post.more or post.body)[-1].split(". ")[0]
        return ExpectedPost(
            path=post.path,
            title=post.title,
            author=post.author,
            published=self._utc(post.local),
            tags=list(post.categories),
            text=text,
            comments=[
                ExpectedComment(
                    author=c.author, published=self._utc(c.local), text=c.paragraphs[0].rstrip("."), id=c.xid
                )
                for c in post.comments
            ],
            comment_count=len(post.comments),
            media_urls=[post.image] if post.image else [],
            extra={"lang": post.lang, "trackback": post.trackback[0] if post.trackback else None},
        )

    # -- serving ----------------------------------------------------------------

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        route = path.partition("?")[0]
        if self.closed:
            return (
                Reply.html(CLOSED_NOTICE) if route == CLOSED_PATH else Reply.redirect(CLOSED_PATH, status=301)
            )
        if route == "/":
            return Reply.redirect(BLOG, status=302)
        if route == "/robots.txt":
            return Reply(200, b"User-agent: *\nDisallow: /.services/\n", [("Content-Type", "text/plain")])
        if route.startswith("/.a/"):
            return image_reply(route)
        if not route.startswith(BLOG):
            return Reply.not_found()
        rest = route[len(BLOG) :]
        if rest in ("", "index.html"):
            return self._listing_page(self._posts, BLOG, 1, self._blog_title())
        if rest.startswith("page/"):
            return self._paged(self._posts, BLOG, rest[len("page/") :], self._blog_title())
        if rest == "archives.html":
            return Reply.html(self._archives())
        if rest in ("atom.xml", "rss.xml"):
            return (
                Reply.xml(self._atom())
                if rest == "atom.xml"
                else Reply.xml(self._rss(), "application/rss+xml")
            )
        if route in self._by_path:
            return Reply.html(self._permalink(self._by_path[route]))
        return self._archive_or_category(rest)

    def _archive_or_category(self, rest: str) -> Reply:
        parts = rest.split("/")
        if len(parts) == 3 and parts[2] == "index.html" and parts[0].isdigit():
            month = [p for p in self._posts if f"{p.local:%Y/%m}" == f"{parts[0]}/{parts[1]}"]
            if month:
                return Reply.html(self._listing(month, f"{self._month_name(month[0])}", pager=""))
        categories = {_category_slug(c): c for p in self._posts for c in p.categories}
        if parts[0] in categories:
            name = categories[parts[0]]
            posts = [p for p in self._posts if name in p.categories]
            base = f"{BLOG}{parts[0]}/"
            if parts[1:] in ([""], ["index.html"]):
                return self._listing_page(posts, base, 1, name)
            if len(parts) == 4 and parts[1] == "page" and parts[3] == "":
                return self._paged(posts, base, parts[2] + "/", name)
        return Reply.not_found()

    def _paged(self, posts: list[_Post], base: str, number: str, heading: str) -> Reply:
        if not number.endswith("/") or not number[:-1].isdigit():
            return Reply.not_found()
        return self._listing_page(posts, base, int(number[:-1]), heading)

    def _listing_page(self, posts: list[_Post], base: str, number: int, heading: str) -> Reply:
        pages = max(1, -(-len(posts) // self.per_page))
        if not 1 <= number <= pages:
            return Reply.not_found()
        chunk = posts[(number - 1) * self.per_page : number * self.per_page]
        lang = self._lang()
        links = []
        if number > 1:
            prev = base if number == 2 else f"{base}page/{number - 1}/"
            links.append(f'<span class="pager-left"><a href="{prev}">{STRINGS[lang]["prev"]}</a></span>')
        if number < pages:
            links.append(
                f'<span class="pager-right"><a href="{base}page/{number + 1}/">{STRINGS[lang]["next"]}</a></span>'
            )
        pager = f'<div class="pager"><div class="pager-inner">{" ".join(links)}</div></div>'
        return Reply.html(self._listing(chunk, heading, pager))

    # -- templates --------------------------------------------------------------

    def _lang(self) -> str:
        lang = self.options["lang"]
        return "fr" if lang == "mixed" else str(lang)

    def _blog_title(self) -> str:
        return "Carnet de Marie" if self._lang() == "fr" else "Helen's Notebook"

    def _month_name(self, post: _Post) -> str:
        if self._lang() == "fr":
            return f"{FR_MONTHS[post.local.month - 1]} {post.local.year}"
        return f"{EN_MONTHS[post.local.month - 1]} {post.local.year}"

    def _page(self, title: str, content: str, head: str = "") -> str:
        lang = self._lang()
        blog_title = html.escape(self._blog_title())
        return f"""<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" lang="{STRINGS[lang]["html_lang"]}">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<meta name="generator" content="http://www.typepad.com/" />
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="http://static.typepad.com/.shared/themes/common/base-weblog.css" type="text/css" />
<link rel="alternate" type="application/atom+xml" title="Atom" href="{self.url(BLOG)}atom.xml" />
<link rel="alternate" type="application/rss+xml" title="RSS 2.0" href="{self.url(BLOG)}rss.xml" />
<link rel="start" href="{self.url(BLOG)}" title="Home" />
{head}
<script type="text/javascript">var TPApp = {{}}; TPApp.app_uri = "http://www.typepad.com/";</script>
</head>
<body class="layout-two-column-right">
<div id="container"><div id="container-inner" class="pkg">
<div id="banner"><div id="banner-inner" class="pkg">
<h1 id="banner-header"><a href="{self.url(BLOG)}" accesskey="1">{blog_title}</a></h1>
<h2 id="banner-description">Un carnet en ligne depuis 2006</h2>
</div></div>
<div id="pagebody"><div id="pagebody-inner" class="pkg">
<div id="alpha"><div id="alpha-inner" class="pkg">
{content}
</div></div>
<div id="beta"><div id="beta-inner" class="pkg">{self._sidebar()}</div></div>
</div></div>
</div></div>
<script type="text/javascript">document.write('<img src="http://www.typepad.com/t/stats?blog_id=1" />');</script>
</body>
</html>"""

    def _sidebar(self) -> str:
        months = sorted({(p.local.year, p.local.month): p for p in self._posts}.items(), reverse=True)
        month_items = "".join(
            f'<li class="module-list-item"><a href="{self.url(BLOG)}{y}/{m:02d}/index.html">{self._month_name(p)}</a></li>'
            for (y, m), p in months[:12]
        )
        category_items = "".join(
            f'<li class="module-list-item"><a href="{self.url(BLOG)}{_category_slug(c)}/">{html.escape(c)}</a></li>'
            for c in sorted({c for p in self._posts for c in p.categories})
        )
        recent = "".join(
            f'<li class="module-list-item"><a href="{self.url(p.path)}">{html.escape(p.title)}</a></li>'
            for p in self._posts[:5]
        )
        return f"""
<div class="module-archives module"><h2 class="module-header"><a href="{self.url(BLOG)}archives.html">Archives</a></h2>
<div class="module-content"><ul class="module-list">{month_items}</ul></div></div>
<div class="module-categories module"><h2 class="module-header">Catégories</h2>
<div class="module-content"><ul class="module-list">{category_items}</ul></div></div>
<div class="module-recent-posts module"><h2 class="module-header">Notes récentes</h2>
<div class="module-content"><ul class="module-list">{recent}</ul></div></div>
<div class="module-typelist module"><div class="module-content"><ul class="module-list">
<li><a href="/autreblog/">Mon autre blog</a></li>
<li><a href="http://www.typepad.com/">Propulsé par Typepad</a></li>
<li><a href="{self.url("/.services/sitelogin")}?to={self.url(BLOG)}">Connexion</a></li>
<li><a href="javascript:void(0)">Abonnez-vous</a></li>
</ul></div></div>
<div class="module-search module"><form method="get" action="{self.url("/.services/blog/6a00d8341c00000000000000000000/search")}">
<input type="text" name="filter.q" /></form></div>"""

    def _date_header(self, post: _Post) -> str:
        d = post.local
        if post.lang == "fr":
            return f"{FR_DAYS[d.weekday()]} {d.day:02d} {FR_MONTHS[d.month - 1]} {d.year}"
        if post.numeric_dates:
            return f"{d:%m/%d/%Y}"
        return f"{EN_DAYS[d.weekday()]}, {EN_MONTHS[d.month - 1]} {d.day:02d}, {d.year}"

    def _time(self, post: _Post, when: datetime) -> str:
        return f"{when:%H:%M}" if post.lang == "fr" else f"{when:%I:%M %p}"

    def _comment_date(self, post: _Post, when: datetime) -> str:
        if post.lang == "fr":
            return f"{when.day:02d} {FR_MONTHS_SHORT[when.month - 1]} {when.year} à {when:%H:%M}"
        if post.numeric_dates:
            return f"{when:%m/%d/%Y} at {when:%I:%M %p}"
        return f"{EN_MONTHS[when.month - 1]} {when.day:02d}, {when.year} at {when:%I:%M %p}"

    def _footer(self, post: _Post) -> str:
        s = STRINGS[post.lang]
        permalink = self.url(post.path)
        categories = ", ".join(
            f'<a href="{self.url(BLOG)}{_category_slug(c)}/">{html.escape(c)}</a>' for c in post.categories
        )
        trackbacks = 1 if post.trackback else 0
        return (
            f'<p class="entry-footer-info"><span class="post-footers">{s["by"]} '
            f'<a rel="author" href="http://profile.typepad.com/{_slug(post.author)}">{html.escape(post.author)}</a> '
            f"{s['at']} {self._time(post, post.local)} {s['in']} {categories}</span> "
            f'<span class="separator">|</span> <a class="permalink" href="{permalink}">{s["permalink"]}</a> '
            f'<span class="separator">|</span> <a href="{permalink}#comments">{s["comments"]} ({len(post.comments)})</a> '
            f'<span class="separator">|</span> <a href="{permalink}#trackback">TrackBack ({trackbacks})</a></p>'
        )

    def _body(self, post: _Post, with_more: bool) -> str:
        image = ""
        if post.image:
            image = (
                f'<p><a class="asset-img-link" href="{self.url(post.image.replace("-320wi", "-pi"))}">'
                f'<img class="asset asset-image" alt="photo" src="{self.url(post.image)}" /></a></p>'
            )
        body = image + "".join(f"<p>{html.escape(p)}</p>" for p in post.body)
        out = f'<div class="entry-body">{body}</div>'
        if post.more and with_more:
            out += (
                '<a id="more"></a><div class="entry-more">'
                + "".join(f"<p>{html.escape(p)}</p>" for p in post.more)
                + "</div>"
            )
        elif post.more:
            out += f'<p class="entry-more-link"><a href="{self.url(post.path)}#more">{STRINGS[post.lang]["more"]}</a></p>'
        return out

    def _entry(self, post: _Post, permalink_page: bool) -> str:
        title = html.escape(post.title)
        header = title if permalink_page else f'<a href="{self.url(post.path)}">{title}</a>'
        author_class = _slug(post.author).replace("-", "_")
        return f"""
<div class="entry-category-{_category_slug(post.categories[0])} entry-author-{author_class} entry-type-post entry" id="entry-{post.xid}">
<h3 class="entry-header">{header}</h3>
<div class="entry-content">{self._body(post, permalink_page)}</div>
<div class="entry-footer">{self._footer(post)}</div>
</div>"""

    def _listing(self, posts: list[_Post], heading: str, pager: str) -> str:
        parts = [f'<h2 class="archive-header">{html.escape(heading)}</h2>']
        last_day = None
        for post in posts:
            if post.local.date() != last_day:
                parts.append(f'<h2 class="date-header">{self._date_header(post)}</h2>')
                last_day = post.local.date()
            parts.append(self._entry(post, permalink_page=False))
        parts.append(pager)
        return self._page(f"{self._blog_title()}: {heading}", "\n".join(parts))

    def _archives(self) -> str:
        months = sorted({(p.local.year, p.local.month): p for p in self._posts}.items(), reverse=True)
        month_items = "".join(
            f'<li><a href="{self.url(BLOG)}{y}/{m:02d}/index.html">{self._month_name(p)}</a></li>'
            for (y, m), p in months
        )
        category_items = "".join(
            f'<li><a href="{self.url(BLOG)}{_category_slug(c)}/">{html.escape(c)}</a></li>'
            for c in sorted({c for p in self._posts for c in p.categories})
        )
        content = (
            f'<div class="archive-date-based archive"><h2 class="archive-header">Archives</h2><div class="archive-content">'
            f"<ul>{month_items}</ul></div></div>"
            f'<div class="archive-categories archive"><div class="archive-content"><ul>{category_items}</ul></div></div>'
        )
        return self._page(f"Archives - {self._blog_title()}", content)

    def _permalink(self, post: _Post) -> str:
        s = STRINGS[post.lang]
        index = self._posts.index(post)
        nav = [f'<a class="content-nav-main" href="{self.url(BLOG)}">Accueil</a>']
        if index + 1 < len(self._posts):
            older = self._posts[index + 1]
            nav.insert(
                0,
                f'<a class="content-nav-prev" href="{self.url(older.path)}">« {html.escape(older.title)}</a> |',
            )
        if index > 0:
            newer = self._posts[index - 1]
            nav.append(
                f'| <a class="content-nav-next" href="{self.url(newer.path)}">{html.escape(newer.title)} »</a>'
            )
        comments = "".join(self._comment(post, c) for c in post.comments)
        content = f"""
<p class="content-nav">{" ".join(nav)}</p>
<h2 class="date-header">{self._date_header(post)}</h2>
{self._entry(post, permalink_page=True)}
{self._trackbacks(post)}
<a id="comments"></a>
<div class="comments" id="all-comments">
<h3 class="comments-header">{s["comments"]}</h3>
<div class="comments-info"><p>Suivez cette conversation : <a href="{self.url(post.path[:-5])}/comments/atom.xml">flux des commentaires</a></p></div>
<div class="comments-content" id="comments-content">{comments}</div>
</div>
<form id="comment-form" method="post" action="{self.url("/.services/comments")}">
<input type="hidden" name="entry_xid" value="{post.xid}" />
<label for="comment-author">Nom :</label><input id="comment-author" name="author" />
<textarea id="comment-text" name="text"></textarea>
<input type="submit" name="post" id="comment-post-button" value="Envoyer" />
</form>"""
        canonical = f'<link rel="canonical" href="{self.url(post.path)}" />'
        return self._page(f"{post.title} - {self._blog_title()}", content, head=canonical)

    def _comment(self, post: _Post, comment: _Comment) -> str:
        s = STRINGS[post.lang]
        name = html.escape(comment.author)
        if comment.author_url:
            name = f'<a rel="nofollow" target="_blank" href="{comment.author_url}">{name}</a>'
        permalink = f"{self.url(post.path)}?cid={comment.xid}#comment-{comment.xid}"
        text = "".join(f"<p>{html.escape(p)}</p>" for p in comment.paragraphs)
        return f"""<a id="c{comment.xid}"></a>
<div class="comment font-entrybody" id="comment-{comment.xid}">
<div class="comment-content font-entrybody" id="comment-{comment.xid}-content"><span id="comment-{comment.xid}-content">{text}</span></div>
<p class="comment-footer font-entryfooter">{s["comment_by"]} {name} | <a rel="nofollow" href="{permalink}">{self._comment_date(post, comment.local)}</a></p>
</div>"""

    def _trackbacks(self, post: _Post) -> str:
        if not post.trackback:
            return ""
        source, excerpt = post.trackback
        s = STRINGS[post.lang]
        when = post.local + timedelta(hours=5)
        return f"""
<a id="trackback"></a>
<div class="trackbacks">
<h3 class="trackbacks-header">TrackBack</h3>
<div class="trackbacks-info"><p>TrackBack URL: <span class="trackbacks-link">{self.url("/t/trackback/" + post.xid)}</span></p></div>
<div class="trackbacks-content">
<a id="trackback-{post.xid}"></a>
<div class="trackback font-entrybody" id="ping-{post.xid}">
<div class="trackback-content"><p><a href="{source}" rel="nofollow">Une réponse</a><br />{html.escape(excerpt)}</p></div>
<p class="trackback-footer">{s["tracked"]} {self._comment_date(post, when)} <a href="http://autre-blog.example/">Autre blog</a></p>
</div></div></div>"""

    # -- feeds ------------------------------------------------------------------

    def _utc(self, local: datetime) -> datetime:
        return local.replace(tzinfo=self.zone).astimezone(timezone.utc)

    def _full_html(self, post: _Post) -> str:
        return "".join(f"<p>{html.escape(p)}</p>" for p in post.body + post.more)

    def _atom(self) -> str:
        entries = []
        for post in self._posts[:FEED_SIZE]:
            local = post.local.replace(tzinfo=self.zone).isoformat()
            categories = "".join(
                f'<category scheme="http://www.sixapart.com/ns/types#category" term="{html.escape(c)}" />'
                for c in post.categories
            )
            entries.append(f"""<entry>
<title>{html.escape(post.title)}</title>
<link rel="alternate" type="text/html" href="{self.url(post.path)}" />
<link rel="replies" type="text/html" href="{self.url(post.path)}" thr:count="{len(post.comments)}" />
<id>tag:typepad.com,2003:post-{post.xid}</id>
<published>{local}</published>
<updated>{local}</updated>
<summary>{html.escape(post.body[0][:80])}</summary>
<author><name>{html.escape(post.author)}</name></author>
{categories}
<content type="html" xml:lang="{post.lang}" xml:base="{self.url(BLOG)}">{html.escape(self._full_html(post))}</content>
</entry>""")
        return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0">
<title>{html.escape(self._blog_title())}</title>
<link rel="alternate" type="text/html" href="{self.url(BLOG)}" />
<link rel="self" type="application/atom+xml" href="{self.url(BLOG)}atom.xml" />
<id>tag:typepad.com,2003:weblog-1</id>
<updated>{self._posts[0].local.replace(tzinfo=self.zone).isoformat() if self._posts else "2006-01-01T00:00:00Z"}</updated>
<generator uri="http://www.typepad.com/">TypePad</generator>
{"".join(entries)}
</feed>"""

    def _rss(self) -> str:
        items = []
        for post in self._posts[:FEED_SIZE]:
            date = post.local.replace(tzinfo=self.zone).strftime("%a, %d %b %Y %H:%M:%S %z")
            categories = "".join(f"<category>{html.escape(c)}</category>" for c in post.categories)
            items.append(f"""<item>
<title>{html.escape(post.title)}</title>
<link>{self.url(post.path)}</link>
<guid isPermaLink="false">tag:typepad.com,2003:post-{post.xid}</guid>
<pubDate>{date}</pubDate>
<dc:creator>{html.escape(post.author)}</dc:creator>
{categories}
<description>{html.escape(self._full_html(post))}</description>
</item>""")
        return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>{html.escape(self._blog_title())}</title><link>{self.url(BLOG)}</link>
{"".join(items)}
</channel></rss>"""


def make_site(**options: Any) -> TypepadSite:
    return TypepadSite(**options)

"""A synthetic Blogspot blog in Blogger's Layouts markup, with its JSON and Atom feeds.

Options: ``posts`` (default 40); ``feeds`` (1; 0 makes every ``/feeds/`` URL a 404, so the HTML
must give every post); ``page_size`` (feed entries per response, default 25, capped at 100 like
Blogger whatever ``max-results`` asks); ``feed_posts`` (0: all; N: the feed stops after the N newest
posts though its ``totalResults`` counts them all, so the archives must give the rest); ``lang`` (``fr``, ``en`` or ``mixed``: a French blog whose
posts and comments alternate French and English); ``media`` (1: more body images per post — a thumbnail of the same photo, a broken image, an HTML page served as image/jpeg, a huge file, a smiley and a spacer; ``/img/...`` serves real generated images, see ``tests.fixtureweb.media``); ``template`` (``layouts``: ISO timestamps and
threaded comments with replies; ``old``: time-only timestamps under the day's header and classic
``dl#comments-block`` comments); ``seed``. Map of the site:

- ``/``: the 10 newest posts, one date header per day, "Older posts" -> ``/search?updated-max=...``
- ``/search?updated-max=<ISO>&max-results=N``: the N posts before that instant, same pager
- ``/YYYY/`` and ``/YYYY/MM/``: every post of the year or month (the archive widget links them)
- ``/YYYY/MM/<slug>.html``: permalinks with comments and the comment form
- ``/feeds/posts/default`` (Atom; ``?alt=json``): newest first, ``start-index``/``max-results``
- ``/robots.txt`` (Blogger's: ``Disallow: /search``), ``/sitemap.xml``, ``/p/a-propos.html``
- traps on every page: ``?showComment=`` comment links, ``widgetType=BlogArchive`` toggles, label
  searches, ``?m=1`` links, share and profile links on blogger.com, comment feeds
- anything else: Blogger's in-blog 404 page
"""

from __future__ import annotations

import html
import json
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit
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

PARIS = ZoneInfo("Europe/Paris")
BLOG_ID = "7461297360192448130"
HOME_POSTS = 10
FEED_DEFAULT, FEED_CAP = 25, 100
FR_DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
FR_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")  # fmt: skip
EN_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")  # fmt: skip
LABELS = {"fr": ("Cuisine", "Jardin", "Lectures", "Voyages"), "en": ("Books", "Garden", "Recipes", "Travel")}
AUTHORS = {"fr": ("Marie Lefèvre", "Jean Dubois"), "en": ("Helen Carter", "Bob Miller")}
COMMENTERS = {
    "fr": ("Sophie", "Pierre L.", "Camille", "Anonyme"),
    "en": ("Kate", "Tom W.", "Drew", "Anonymous"),
}
# Blogger's own UI strings, French and English: never post text.
UI = {
    "fr": {"by": "Publié par", "at": "à", "labels": "Libellés :", "no_comments": "Aucun commentaire:",
           "comments": "{n} commentaires:", "one_comment": "1 commentaire:", "form": "Enregistrer un commentaire",
           "reply": "Répondre", "delete": "Supprimer", "said": "a dit…", "newer": "Article plus récent",
           "older": "Article plus ancien", "home": "Accueil", "older_posts": "Articles plus anciens",
           "subscribe": "Inscription à :", "comments_feed": "Publier les commentaires (Atom)", "pages": "Pages",
           "more": "Lire la suite »",
           "archive": "Archives du blog", "mobile": "Afficher la version mobile", "share": "Envoyer par e-mail",
           "not_found": "Désolé, la page que vous recherchez dans ce blog n'existe pas."},
    "en": {"by": "Posted by", "at": "at", "labels": "Labels:", "no_comments": "No comments:",
           "comments": "{n} comments:", "one_comment": "1 comment:", "form": "Post a Comment", "reply": "Reply",
           "delete": "Delete", "said": "said...", "newer": "Newer Post", "older": "Older Post", "home": "Home",
           "older_posts": "Older Posts", "subscribe": "Subscribe to:", "comments_feed": "Post Comments (Atom)",
           "pages": "Pages",
           "more": "Read more »", "archive": "Blog Archive", "mobile": "View mobile version",
           "share": "Email This",
           "not_found": "Sorry, the page you were looking for in this blog does not exist."},
}  # fmt: skip


@dataclass
class _Comment:
    id: str
    author: str
    profile: str | None
    when: datetime  # UTC; the layouts template links it as ?showComment=<epoch ms>
    text: str
    parent: str | None = None


@dataclass
class _Post:
    id: str
    lang: str
    title: str
    path: str
    author: str
    when: datetime  # UTC
    updated: datetime
    labels: list[str]
    paragraphs: list[str]
    more: list[str]  # after the jump break: only on the permalink page
    image: str | None
    extras: list[str] = field(default_factory=list)  # more images of the body (``media=1``)
    comments: list[_Comment] = field(default_factory=list)


def _digits(rng: random.Random, n: int) -> str:
    return str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _slug(title: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())[:40].strip("-") or "post"


def _local(when: datetime) -> datetime:
    return when.astimezone(PARIS)


def _iso(when: datetime) -> str:
    return _local(when).isoformat(timespec="seconds")


def _day(when: datetime, lang: str) -> str:
    """The date header: "mercredi 5 mars 2014" / "Wednesday, March 5, 2014"."""
    local = _local(when)
    if lang == "fr":
        return f"{FR_DAYS[local.weekday()]} {local.day} {FR_MONTHS[local.month - 1]} {local.year}"
    return f"{EN_DAYS[local.weekday()]}, {EN_MONTHS[local.month - 1]} {local.day}, {local.year}"


def _clock(when: datetime, lang: str) -> str:
    local = _local(when)
    return f"{local:%H:%M}" if lang == "fr" else local.strftime("%I:%M %p").lstrip("0")


def _stamp(when: datetime, lang: str) -> str:
    """A comment's date: "5 mars 2014 à 10:22" / "March 5, 2014 at 10:22 AM"."""
    local = _local(when)
    if lang == "fr":
        return f"{local.day} {FR_MONTHS[local.month - 1]} {local.year} à {_clock(when, lang)}"
    return f"{EN_MONTHS[local.month - 1]} {local.day}, {local.year} at {_clock(when, lang)}"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


class BlogspotSite(FixtureSite):
    platform = "blogspot"

    def __init__(self, posts: int = 40, feeds: int = 1, page_size: int = FEED_DEFAULT, lang: str = "mixed",
                 template: str = "layouts", seed: int = 3, media: int = 0, feed_posts: int = 0,
                 **options: Any) -> None:  # fmt: skip
        super().__init__(posts=posts, feeds=feeds, page_size=page_size, lang=lang, template=template, seed=seed,
                         media=media, feed_posts=feed_posts, **options)  # fmt: skip
        self.feed_posts = feed_posts or posts
        self.media = bool(media)
        if lang not in ("fr", "en", "mixed"):
            raise ValueError(f"lang must be fr, en or mixed, not {lang!r}")
        if template not in ("layouts", "old"):
            raise ValueError(f"template must be layouts or old, not {template!r}")
        self.feeds = bool(feeds)
        self.page_size = min(max(1, page_size), FEED_CAP)
        self.ui = UI["en" if lang == "en" else "fr"]
        self.lang = "en" if lang == "en" else "fr"
        self.threaded = template == "layouts"
        self._posts = self._generate(random.Random(seed), posts, lang)  # newest first
        self._by_path = {p.path: p for p in self._posts}
        self.posts = [self._expected(p) for p in self._posts]

    # -- generation -------------------------------------------------------------

    def _generate(self, rng: random.Random, count: int, lang: str) -> list[_Post]:
        posts: list[_Post] = []
        when = datetime(2013, 11, 4, 9, 0, tzinfo=PARIS)
        for i in range(count):
            # Every fourth post shares its day with the previous one: one date header for both.
            when += timedelta(hours=rng.randint(2, 5)) if i % 4 == 3 else timedelta(days=rng.randint(1, 12))
            local = when.replace(
                hour=rng.randint(8, 12) + (4 if i % 4 == 3 else 0), minute=rng.randint(0, 59)
            )
            post_lang = lang if lang != "mixed" else ("fr" if i % 2 == 0 else "en")
            words = FR_WORDS if post_lang == "fr" else EN_WORDS
            title = sentence(rng, words, rng.randint(3, 6)).rstrip(".")
            published = local.astimezone(timezone.utc)
            post = _Post(
                id=_digits(rng, 19),
                lang=post_lang,
                title=title,
                path=f"/{local:%Y/%m}/{_slug(title)}-{i}.html",
                author=AUTHORS[post_lang][i % 2],
                when=published,
                updated=published + timedelta(days=rng.randint(0, 30), minutes=rng.randint(1, 59)),
                labels=sorted(rng.sample(LABELS[post_lang], rng.randint(0, 2))),
                paragraphs=[paragraph(rng, words, rng.randint(2, 4)) for _ in range(rng.randint(1, 3))],
                more=[paragraph(rng, words, 3)] if i % 3 == 0 else [],
                image=f"/img/s320/photo-{i}.jpg" if i % 5 == 1 else None,
            )
            post.comments = self._comments(rng, post, lang)
            post.extras = _extra_images(i) if self.media else []
            posts.append(post)
        return sorted(posts, key=lambda p: p.when, reverse=True)

    def _comments(self, rng: random.Random, post: _Post, lang: str) -> list[_Comment]:
        """Top-level comments in time order, each followed by its replies (page order)."""
        ordered: list[_Comment] = []
        when = post.when
        for j in range(rng.choice((0, 0, 1, 2, 3, 5))):
            when += timedelta(
                hours=rng.randint(1, 40), seconds=rng.randint(0, 59), milliseconds=rng.randint(0, 999)
            )
            ordered.append(self._comment(rng, post, lang, j, when, None))
            replies = rng.choice((0, 0, 1, 2)) if self.threaded else 0
            for k in range(replies):
                reply_at = when + timedelta(minutes=10 + 30 * k, milliseconds=rng.randint(0, 999))
                ordered.append(self._comment(rng, post, lang, j + k + 1, reply_at, ordered[-1 - k].id))
        if not self.threaded:  # minute precision, as the old template prints it
            for comment in ordered:
                comment.when = comment.when.replace(second=0, microsecond=0)
        return ordered

    def _comment(self, rng: random.Random, post: _Post, lang: str, j: int, when: datetime,
                 parent: str | None) -> _Comment:  # fmt: skip
        comment_lang = post.lang if lang != "mixed" else ("fr" if j % 2 == 0 else "en")
        words = FR_WORDS if comment_lang == "fr" else EN_WORDS
        author = post.author if parent else rng.choice(COMMENTERS[comment_lang])
        anonymous = author in ("Anonyme", "Anonymous")
        profile = None if anonymous else f"https://www.blogger.com/profile/{_digits(rng, 20)}"
        text = " ".join(sentence(rng, words, rng.randint(6, 14)) for _ in range(rng.randint(1, 3)))
        return _Comment(_digits(rng, 19), author, profile, when, text, parent)

    def _expected(self, post: _Post) -> ExpectedPost:
        return ExpectedPost(
            path=post.path,
            title=post.title,
            author=post.author,
            published=post.when,
            tags=list(post.labels),
            text=(post.more or post.paragraphs)[-1].split(". ")[0],
            comments=[
                ExpectedComment(c.author, c.when, c.text.split(". ")[0], id=c.id, parent_id=c.parent)
                for c in post.comments
            ],
            comment_count=len(post.comments),
            media_urls=([post.image] if post.image else []) + post.extras,
            extra={"post_id": post.id, "lang": post.lang, "updated": post.updated},
        )

    # -- serving ----------------------------------------------------------------

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        parts = urlsplit(path)
        route, query = parts.path, dict(parse_qsl(parts.query))
        if route.startswith("/feeds/"):
            return self._feed(route, query) if self.feeds else Reply.not_found()
        if route == "/robots.txt":
            return Reply(200, self._robots().encode(), [("Content-Type", "text/plain")])
        if route.startswith("/img/"):
            return image_reply(route)
        if route == "/sitemap.xml":
            return Reply.xml(self._sitemap(), content_type="application/xml")
        if route == "/":
            return Reply.html(self._listing(self._posts[:HOME_POSTS], HOME_POSTS, home=True))
        if route == "/search" and "updated-max" in query:
            return self._search(query)
        if route in self._archives():
            posts = [p for p in self._posts if f"/{_local(p.when):%Y/%m/}".startswith(route)]
            return Reply.html(self._listing(posts, len(posts), home=False))
        post = self._by_path.get(route)
        if post is not None:
            return Reply.html(self._permalink(post))
        if route == "/p/a-propos.html":
            return Reply.html(
                self._page("À propos", f"<div class='post-body entry-content'><p>{self._about()}</p></div>")
            )
        return Reply.html(
            self._page("", f"<div class='status-msg-body'>{self.ui['not_found']}</div>"), status=404
        )

    def _search(self, query: dict[str, str]) -> Reply:
        # A "+" of the offset arrives as a space when the link was not percent-encoded.
        before = datetime.fromisoformat(query["updated-max"].replace(" ", "+"))
        size = min(max(1, int(query.get("max-results") or HOME_POSTS)), 50)
        older = [p for p in self._posts if p.when < before]
        return Reply.html(self._listing(older[:size], size, home=False, search=True))

    def _archives(self) -> list[str]:
        months = {f"/{_local(p.when):%Y/%m}/" for p in self._posts}
        return sorted(months | {m[:6] for m in months}, reverse=True)

    def _robots(self) -> str:
        return (
            "User-agent: Mediapartners-Google\nDisallow: \n\n"
            f"User-agent: *\nDisallow: /search\nAllow: /\n\nSitemap: {self.url('/sitemap.xml')}\n"
        )

    def _sitemap(self) -> str:
        urls = "".join(f"<url><loc>{self.url(p.path)}</loc><lastmod>{p.updated.isoformat()}</lastmod></url>"
                       for p in self._posts)  # fmt: skip
        return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'

    def _about(self) -> str:
        return (
            "Ce blog parle de cuisine et de jardin." if self.lang == "fr" else "This blog is about cooking."
        )

    # -- HTML -------------------------------------------------------------------

    def _page(self, title: str, main: str, head: str = "") -> str:
        blog = _e(self._blog_title())
        js_title = self._blog_title().replace("'", "\\x27")
        return f"""<!DOCTYPE html>
<html class='v2' dir='ltr' lang='{self.lang}'><head>
<meta content='width=1100' name='viewport'/>
<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>
<meta content='blogger' name='generator'/>
<link href='{self.url("/favicon.ico")}' rel='icon' type='image/x-icon'/>
<link rel="alternate" type="application/atom+xml" title="{blog} - Atom" href="{self.url("/feeds/posts/default")}" />
<link rel="service.post" type="application/atom+xml" title="{blog} - Atom" href="https://www.blogger.com/feeds/{BLOG_ID}/posts/default" />
<link rel="EditURI" type="application/rsd+xml" title="RSD" href="https://www.blogger.com/rsd.g?blogID={BLOG_ID}" />
{head}<title>{blog}{": " + _e(title) if title else ""}</title>
</head>
<body class='loading'>
<div class='navbar section' id='navbar'><iframe src='https://www.blogger.com/navbar.g?targetBlogID={BLOG_ID}'></iframe></div>
<div class='header section' id='header'><div class='widget Header' id='Header1'><div id='header-inner'>
<h1 class='title'><a href='{self.url("/")}'>{blog}</a></h1>
<p class='description'><span>{_e(self._about())}</span></p></div></div></div>
<div class='tabs section' id='crosscol'><div class='widget PageList' id='PageList1'><h2>{self.ui["pages"]}</h2>
<ul><li><a href='{self.url("/")}'>{self.ui["home"]}</a></li><li><a href='{self.url("/p/a-propos.html")}'>À propos</a></li></ul></div></div>
<div class='main section' id='main'><div class='widget Blog' id='Blog1'>
{main}
</div></div>
{self._sidebar()}
<script type='text/javascript'>
window['__wavt'] = 'x';_WidgetManager._Init('//www.blogger.com/rearrange?blogID\\x3d{BLOG_ID}','//127.0.0.1/','{BLOG_ID}');
_WidgetManager._SetDataContext([{{'name': 'blog', 'data': {{'blogId': '{BLOG_ID}', 'title': '{js_title}', 'url': ''}}}}]);
</script>
</body></html>"""

    def _blog_title(self) -> str:
        return "Le jardin d'Hélène" if self.lang == "fr" else "Helen's Garden"

    def _sidebar(self) -> str:
        months = [a for a in self._archives() if len(a) > 6]
        items = []
        for month in months:
            toggle = f"?widgetType=BlogArchive&amp;widgetId=BlogArchive1&amp;action=toggle&amp;dir=open&amp;toggle=MONTHLY-{month[1:5]}"
            items.append(
                f"<li class='archivedate'><a class='toggle' href='{self.url(month[:6])}{toggle}'>►</a> "
                f"<a class='post-count-link' href='{self.url(month)}'>{month[1:-1]}</a></li>"
            )
        labels = sorted({label for p in self._posts for label in p.labels})
        label_links = "".join(f"<li><a dir='ltr' href='{self.url('/search/label/' + quote(lb))}'>{_e(lb)}</a></li>"
                              for lb in labels)  # fmt: skip
        return f"""<div class='sidebar section' id='sidebar-right-1'>
<div class='widget BlogArchive' id='BlogArchive1'><h2>{self.ui["archive"]}</h2>
<div class='widget-content'><div id='ArchiveList'><ul class='hierarchy'>{"".join(items)}</ul></div></div></div>
<div class='widget Label' id='Label1'><h2>{self.ui["labels"].rstrip(" :")}</h2><div class='widget-content list-label-widget-content'><ul>{label_links}</ul></div></div>
<div class='widget Subscribe' id='Subscribe1'><a href='{self.url("/feeds/posts/default")}'>Atom</a></div>
</div>"""

    def _labels(self, post: _Post) -> str:
        if not post.labels:
            return ""
        links = ",\n".join(
            f"<a href='{self.url('/search/label/' + quote(lb))}' rel='tag'>{_e(lb)}</a>" for lb in post.labels
        )
        return f"<span class='post-labels'>\n{UI[post.lang]['labels']}\n{links}\n</span>"

    def _count_text(self, n: int, ui: dict[str, str]) -> str:
        if n == 0:
            return ui["no_comments"]
        return ui["one_comment"] if n == 1 else ui["comments"].format(n=n)

    def _post_html(self, post: _Post, *, permalink: bool, ui: dict[str, str]) -> str:
        link = self.url(post.path)
        body = "<br />\n<br />\n".join(_e(p) for p in post.paragraphs)
        if post.image:
            src = self.url(post.image)
            body = (f"<div class='separator' style='clear: both; text-align: center;'><a href='{src.replace('/s320/', '/s1600/')}' "
                    f"imageanchor='1'><img border='0' src='{src}' /></a></div>\n{body}")  # fmt: skip
        body = "".join(f"<img src='{self.url(src)}' />" for src in post.extras) + body
        if post.more:
            rest = "".join(f"<p>{_e(p)}</p>" for p in post.more)
            body += (
                f"<a name='more'></a>{rest}"
                if permalink
                else f"<div class='jump-link'><a href='{link}#more'>{ui['more']}</a></div>"
            )
        if self.threaded:
            stamp = f"<a class='timestamp-link' href='{link}' rel='bookmark' title='permanent link'><abbr class='published' title='{_iso(post.when)}'>{_clock(post.when, post.lang)}</abbr></a>"
        else:
            stamp = f"<a class='timestamp-link' href='{link}' rel='bookmark' title='permanent link'>{_clock(post.when, post.lang)}</a>"
        share = (f"<div class='post-share-buttons'><a class='share-button sb-email' href='https://www.blogger.com/share-post.g?blogID={BLOG_ID}&amp;postID={post.id}&amp;target=email' "
                 f"title='{ui['share']}'><span class='share-button-link-text'>{ui['share']}</span></a></div>")  # fmt: skip
        comment_link = f"<a class='comment-link' href='{link}#comment-form'>{self._count_text(len(post.comments), ui)}</a>"
        return f"""<div class='post-outer'>
<div class='post hentry' itemprop='blogPost' itemscope='itemscope' itemtype='http://schema.org/BlogPosting'>
<meta content='{BLOG_ID}' itemprop='blogId'/>
<meta content='{post.id}' itemprop='postId'/>
<a name='{post.id}'></a>
<h3 class='post-title entry-title' itemprop='name'>
<a href='{link}'>{_e(post.title)}</a>
</h3>
<div class='post-header'><div class='post-header-line-1'></div></div>
<div class='post-body entry-content' id='post-body-{post.id}' itemprop='description articleBody'>
{body}
<div style='clear: both;'></div>
</div>
<div class='post-footer'>
<div class='post-footer-line post-footer-line-1'>
<span class='post-author vcard'>{ui["by"]} <span class='fn' itemprop='author' itemscope='itemscope' itemtype='http://schema.org/Person'><a class='g-profile' href='https://www.blogger.com/profile/1{post.id[:10]}' rel='author' title='author profile'><span itemprop='name'>{_e(post.author)}</span></a></span></span>
<span class='post-timestamp'>{ui["at"]} {stamp}</span>
<span class='post-comment-link'>{"" if permalink else comment_link}</span>
{share}
</div>
<div class='post-footer-line post-footer-line-2'>{self._labels(post)}</div>
</div>
</div>
{self._comments_html(post, ui) if permalink else ""}
</div>"""

    def _listing(self, posts: list[_Post], size: int, *, home: bool, search: bool = False) -> str:
        blocks, day = [], None
        for post in posts:
            header = _day(post.when, self.lang)
            if header != day:  # one date header per day: later posts of the day have none
                if day is not None:
                    blocks.append("</div></div>")
                blocks.append(
                    f"<div class='date-outer'><h2 class='date-header'><span>{header}</span></h2><div class='date-posts'>"
                )
                day = header
            blocks.append(self._post_html(post, permalink=False, ui=UI[self.lang]))
        if day is not None:
            blocks.append("</div></div>")
        pager = ""
        if (home or search) and posts and posts[-1] is not self._posts[-1]:
            older = quote(_iso(posts[-1].when), safe="")
            pager = (f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='{self.url('/search')}?updated-max={older}&amp;max-results={size}' "
                     f"id='Blog1_blog-pager-older-link' title='{self.ui['older_posts']}'>{self.ui['older_posts']}</a></span>")  # fmt: skip
        main = (f"<div class='blog-posts hfeed'>{''.join(blocks)}</div>\n<div class='blog-pager' id='blog-pager'>{pager}"
                f"<a class='home-link' href='{self.url('/')}'>{self.ui['home']}</a></div>")  # fmt: skip
        return self._page("", main)

    def _permalink(self, post: _Post) -> str:
        ui = UI[post.lang]
        index = self._posts.index(post)
        newer = self._posts[index - 1] if index > 0 else None
        older = self._posts[index + 1] if index + 1 < len(self._posts) else None
        pager = "".join((
            f"<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='{self.url(newer.path)}' title='{ui['newer']}'>{ui['newer']}</a></span>" if newer else "",
            f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='{self.url(older.path)}' title='{ui['older']}'>{ui['older']}</a></span>" if older else "",
            f"<a class='home-link' href='{self.url('/')}'>{ui['home']}</a>",
        ))  # fmt: skip
        main = f"""<div class='blog-posts hfeed'>
<div class='date-outer'><h2 class='date-header'><span>{_day(post.when, post.lang)}</span></h2>
<div class='date-posts'>{self._post_html(post, permalink=True, ui=ui)}</div></div>
</div>
<div class='blog-pager' id='blog-pager'>{pager}</div>
<div class='post-feeds'><div class='feed-links'>{ui["subscribe"]}
<a class='feed-link' href='{self.url(f"/feeds/{post.id}/comments/default")}' target='_blank' type='application/atom+xml'>{ui["comments_feed"]}</a></div></div>
<p><a href='{self.url(post.path)}?m=1'>{ui["mobile"]}</a></p>"""
        return self._page(post.title, main)

    def _comments_html(self, post: _Post, ui: dict[str, str]) -> str:
        comments = self._thread(post, None, ui) if self.threaded else self._classic(post, ui)
        return f"""<div class='comments' id='comments'>
<a name='comments'></a>
<h4>{self._count_text(len(post.comments), ui)}</h4>
{comments}
<p class='comment-footer'>
<div class='comment-form'><a name='comment-form'></a>
<h4 id='comment-post-message'>{ui["form"]}</h4>
<p>Merci pour ce commentaire. Bonne journée.</p>
<a href='https://www.blogger.com/comment-iframe.g?blogID={BLOG_ID}&amp;postID={post.id}' id='comment-editor-src'></a>
<iframe allowtransparency='true' class='blogger-iframe-colorize blogger-comment-from-post' height='410px' id='comment-editor' name='comment-editor' src='' width='100%'></iframe>
</div></p>
</div>"""

    def _thread(self, post: _Post, parent: str | None, ui: dict[str, str]) -> str:
        children = [c for c in post.comments if c.parent == parent]
        if not children:
            return "" if parent else "<div class='comments-content'></div>"
        items = "".join(self._thread_item(post, c, ui) for c in children)
        if parent:
            return (f"<div class='comment-replies'><div id='c{parent}-rt' class='comment-thread inline-thread'>"
                    f"<span class='thread-toggle thread-expanded'><span class='thread-count'><a target='_self'>{ui['reply']}</a></span></span>"
                    f"<ol id='c{parent}-ra' class='thread-chrome thread-expanded'><div>{items}</div></ol></div></div>")  # fmt: skip
        return (f"<div class='comments-content'><div id='comment-holder'><div class='comment-thread toplevel-thread'>"
                f"<ol id='top-ra'>{items}</ol></div></div></div>")  # fmt: skip

    def _thread_item(self, post: _Post, comment: _Comment, ui: dict[str, str]) -> str:
        link = f"{self.url(post.path)}?showComment={int(comment.when.timestamp() * 1000)}#c{comment.id}"
        author = (
            f"<a href='{comment.profile}' rel='nofollow'>{_e(comment.author)}</a>"
            if comment.profile
            else _e(comment.author)
        )
        return (f"<li class='comment' id='c{comment.id}'><div class='avatar-image-container'><img src='//resources.blogblog.com/img/blank.gif'/></div>"
                f"<div class='comment-block'><div class='comment-header'><cite class='user'>{author}</cite><span class='icon user'></span>"
                f"<span class='datetime secondary-text'><a rel='nofollow' href='{link}'>{_stamp(comment.when, post.lang)}</a></span></div>"
                f"<p class='comment-content'>{_e(comment.text)}</p>"
                f"<span class='comment-actions secondary-text'><a class='comment-reply' target='_self' data-comment-id='{comment.id}'>{ui['reply']}</a>"
                f"<span class='item-control blog-admin'><a href='https://www.blogger.com/delete-comment.g?blogID={BLOG_ID}&amp;postID={comment.id}'>{ui['delete']}</a></span></span></div>"
                f"{self._thread(post, comment.id, ui)}<div class='comment-replybox-single' id='c{comment.id}-ce'></div></li>")  # fmt: skip

    def _classic(self, post: _Post, ui: dict[str, str]) -> str:
        items = []
        for c in post.comments:
            author = f"<a href='{c.profile}' rel='nofollow'>{_e(c.author)}</a>" if c.profile else _e(c.author)
            items.append(
                f"<dt class='comment-author' id='c{c.id}'><a name='c{c.id}'></a>{author} {ui['said']}</dt>"
                f"<dd class='comment-body'><p>{_e(c.text)}</p></dd>"
                f"<dd class='comment-footer'><span class='comment-timestamp'><a href='#c{c.id}' title='comment permalink'>"
                f"{_stamp(c.when, post.lang).replace(' à ', ' ').replace(' at ', ' ')}</a></span></dd>"
            )
        return f"<div id='comments-block-wrapper'><dl class='avatar-comment-indent' id='comments-block'>{''.join(items)}</dl></div>"

    # -- feeds ------------------------------------------------------------------

    def _feed(self, route: str, query: dict[str, str]) -> Reply:
        if route.rstrip("/") != "/feeds/posts/default":
            return Reply.not_found()
        start = max(1, int(query.get("start-index") or 1))
        size = min(max(1, int(query.get("max-results") or FEED_DEFAULT)), self.page_size)
        page = self._posts[: self.feed_posts][start - 1 : start - 1 + size]
        if query.get("alt") == "json":
            return Reply.json(json.dumps(self._json_feed(page, start, size), ensure_ascii=False))
        return Reply.xml(self._atom_feed(page, start, size))

    def _body_html(self, post: _Post) -> str:
        body = "<br />\n<br />\n".join(_e(p) for p in post.paragraphs)
        if post.image:
            body = (
                f"<div class='separator'><a href='{self.url(post.image)}'><img src='{self.url(post.image)}' /></a></div>\n"
                + body
            )
        body = "".join(f"<img src='{self.url(src)}' />" for src in post.extras) + body
        return body + "".join(f"<a name='more'></a><p>{_e(p)}</p>" for p in post.more)

    def _json_feed(self, page: list[_Post], start: int, size: int) -> dict[str, Any]:
        entries = [
            {
                "id": {"$t": f"tag:blogger.com,1999:blog-{BLOG_ID}.post-{p.id}"},
                "published": {"$t": _local(p.when).isoformat(timespec="milliseconds")},
                "updated": {"$t": _local(p.updated).isoformat(timespec="milliseconds")},
                "category": [{"scheme": "http://www.blogger.com/atom/ns#", "term": lb} for lb in p.labels],
                "title": {"type": "text", "$t": p.title},
                "content": {"type": "html", "$t": self._body_html(p)},
                "link": [
                    {"rel": "replies", "type": "application/atom+xml", "href": self.url(f"/feeds/{p.id}/comments/default"), "title": "Publier les commentaires"},
                    {"rel": "replies", "type": "text/html", "href": self.url(p.path) + "#comment-form", "title": self._count_text(len(p.comments), UI[p.lang])},
                    {"rel": "edit", "type": "application/atom+xml", "href": f"https://www.blogger.com/feeds/{BLOG_ID}/posts/default/{p.id}"},
                    {"rel": "self", "type": "application/atom+xml", "href": f"https://www.blogger.com/feeds/{BLOG_ID}/posts/default/{p.id}"},
                    {"rel": "alternate", "type": "text/html", "href": self.url(p.path), "title": p.title},
                ],
                "author": [{"name": {"$t": p.author}, "email": {"$t": "noreply@blogger.com"}}],
                "thr$total": {"$t": str(len(p.comments))},
            }
            for p in page
        ]  # fmt: skip
        return {"version": "1.0", "encoding": "UTF-8", "feed": {
            "id": {"$t": f"tag:blogger.com,1999:blog-{BLOG_ID}"},
            "title": {"type": "text", "$t": self._blog_title()},
            "link": [{"rel": "alternate", "type": "text/html", "href": self.url("/")}],
            "generator": {"version": "7.00", "uri": "http://www.blogger.com", "$t": "Blogger"},
            "openSearch$totalResults": {"$t": str(len(self._posts))},
            "openSearch$startIndex": {"$t": str(start)},
            "openSearch$itemsPerPage": {"$t": str(size)},
            "entry": entries,
        }}  # fmt: skip

    def _atom_feed(self, page: list[_Post], start: int, size: int) -> str:
        entries = "".join(
            f"<entry><id>tag:blogger.com,1999:blog-{BLOG_ID}.post-{p.id}</id>"
            f"<published>{_local(p.when).isoformat(timespec='milliseconds')}</published>"
            f"<updated>{_local(p.updated).isoformat(timespec='milliseconds')}</updated>"
            + "".join(
                f"<category scheme='http://www.blogger.com/atom/ns#' term='{_e(lb)}'/>" for lb in p.labels
            )
            + f"<title type='text'>{_e(p.title)}</title><content type='html'>{_e(self._body_html(p))}</content>"
            f"<link rel='alternate' type='text/html' href='{self.url(p.path)}' title='{_e(p.title)}'/>"
            f"<author><name>{_e(p.author)}</name><email>noreply@blogger.com</email></author>"
            f"<thr:total>{len(p.comments)}</thr:total></entry>"
            for p in page
        )
        return (
            "<?xml version='1.0' encoding='UTF-8'?><feed xmlns='http://www.w3.org/2005/Atom' "
            "xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' xmlns:thr='http://purl.org/syndication/thread/1.0'>"
            f"<id>tag:blogger.com,1999:blog-{BLOG_ID}</id><title type='text'>{_e(self._blog_title())}</title>"
            f"<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>"
            f"<openSearch:totalResults>{len(self._posts)}</openSearch:totalResults>"
            f"<openSearch:startIndex>{start}</openSearch:startIndex><openSearch:itemsPerPage>{size}</openSearch:itemsPerPage>"
            f"{entries}</feed>"
        )


def _extra_images(i: int) -> list[str]:
    """``media=1``: a thumbnail of the post's photo (one file, two sizes), a broken image, an
    HTML page sent as an image, a huge file (reached through a redirect from post 17 on), and a
    smiley and a spacer that are no content."""
    huge = f"/img/s1600/huge-{i}.jpg" if i < 10 else f"/img/s1600/moved-huge-{i}.jpg"
    extras = {1: [f"/img/s72-c/photo-{i}.jpg", "/img/smilies/icon_smile.gif", "/img/spacer.gif"],
              3: [f"/img/s320/broken-{i}.jpg"], 5: [f"/img/s320/error-{i}.jpg"], 7: [huge],
              8: [f"/img/s320/photo-{i}.png"]}  # fmt: skip
    return extras.get(i % 10, [])


def make_site(**options: Any) -> BlogspotSite:
    return BlogspotSite(**options)

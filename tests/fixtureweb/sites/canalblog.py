"""A synthetic Canalblog blog (2007 or 2010+ template) with archives, tags, RSS and paged comments.

Options (``canalblog:posts=30,seed=4,template=2010,comments_per_page=0``):

- ``posts``: number of posts (default 30), one every 3-12 days from September 2007,
  so months, DST changes and a post at 00:07 Paris time (the previous day in UTC) occur.
- ``seed``: the random seed of texts, times, tags and comments.
- ``template``: ``2010`` (schema.org microdata, ``data-cid`` comments, a misleading
  ``dateCreated``) or ``2007`` (the bare markup of seed 004: no microdata, comments
  anchored by ``<a id="c…">``, dates only in French text), or ``2023`` (the Overblog engine
  Canalblog moved to: ``canalblog_2023.py``).
- ``comments_per_page``: 0 shows every comment on the permalink; N pages them by N
  (``<id>-p<offset>-0.html``), as Canalblog does by 50.
- ``page_size``: posts per home/month/category page (default 10; ``/archives/p10-10.html``).
- ``many_comments``: comments of the busiest post (default 60).
- ``revision``: 1 serves the blog as it is later: 3 more posts, posts 3 and 4 edited
  (``REVISION_NOTE`` appended), post 7 deleted (for incremental re-crawls).

Map: ``/`` and ``/archives/p<o>-<n>.html`` (home pages), ``/archives/index.html`` (every
month), ``/archives/YYYY/MM/index.html`` and ``…/p<o>-<n>.html`` (months, any page size),
``/archives/YYYY/MM/DD/index.html`` (calendar days), ``/archives/<category>/index.html``
(+ pages), ``/tag/<tag>``, ``/archives/YYYY/MM/DD/<id>.html`` (permalinks) and their
comment pages, ``/rss.xml`` (the 10 latest posts), ``/robots.txt``. Anything else is a 404.
The first post is seed 004 ("Les réfractaires du réseautage...", with an e-mail address
in a comment); post 1 has no comment; post 5 has ``many_comments``.
"""

from __future__ import annotations

import html
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo

from tests.fixtureweb.base import (
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
MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")  # fmt: skip
BLOG_TITLE = "Miss TICS"
BLOG_DESCRIPTION = "Veille et débats sur les technologies de l'information et de la communication..."
CATEGORIES = ("Pra-tics", "Web 2.0", "Réseaux sociaux", "Coups de gueule")
TAGS = ("facebook", "viadeo", "entreprise", "geek", "communauté", "marketing", "été")
AUTHORS = ("la nymphette", "S.deCampou", "Henri Kaufman", "Caro", "opio", "Béné", "Thalie", "Léocadie")
LISTING = re.compile(
    r"^/archives/(?:(?P<ym>\d{4}/\d{2})/|(?P<cat>(?!\d{4}/)[^/]+)/)?(?:index\.html|p(?P<o>\d+)-(?P<n>\d+)\.html)$"
)
PERMALINK = re.compile(r"^/archives/(\d{4})/(\d{2})/(\d{2})/(\d+)(?:-p(\d+)-\d+)?\.html$")
DAY = re.compile(r"^/archives/(\d{4})/(\d{2})/(\d{2})/(?:index\.html)?$")
SEED_004_POST = {
    "title": "Les réfractaires du réseautage...",
    "author": "Miss_TICS",
    "local": datetime(2007, 9, 27, 0, 7),
    "category": "Pra-tics",
    "paragraphs": [
        "On a beau clamer dans toute la presse que le Web 2.0 va de pair avec l'ère communautaire, les techno-phobes, "
        "les néophytes et les petites entreprises ne semblent toujours pas y croire.",
        "Pourtant, le phénomène est bien là. Répondons au premier que loin d'être un facteur isolant, le net évolue "
        "dans le sens communautaire.",
        "Le renard l'a assez dit au Petit Prince \"apprivoiser, ça veut dire tisser des liens\" !",
    ],
    "comments": [
        ("la nymphette", None, datetime(2007, 11, 19, 17, 38), "anti-geek?",
         "Perso, je ne suis pas anti-geek (ni geek). Mais que tous mes collègues connaissent mes opinions, ça m'ennuie un peu..."),
        ("S.deCampou", "http://www.rogerd.net/", datetime(2007, 9, 27, 13, 10), None,
         "En complément sur le sujet, l'étude iCrossing sur les modes d'achat des internautes US."),
        ("Henri Kaufman", None, datetime(2007, 9, 28, 22, 58), "Entre Miss",
         "Pour être Miss.Tic(s) VIP, il suffit que tu me donnes ton adresse mail à : henri.kaufman@example.org\n"
         "Et tu recevras ta carte d'infidélité VIP."),
    ],
}  # fmt: skip


@dataclass
class _Comment:
    cid: int
    author: str
    url: str | None
    local: datetime
    title: str | None
    text: str


@dataclass
class _Post:
    pid: int
    title: str
    author: str
    local: datetime
    created: datetime  # the draft's creation: dateCreated, never the publication
    category: str
    tags: list[str]
    paragraphs: list[str]
    image: str | None
    comments: list[_Comment] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"/archives/{self.local:%Y/%m/%d}/{self.pid}.html"


def slug(name: str) -> str:
    """Canalblog's category slug: accents dropped, other characters to ``_``, lower case."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "_", ascii_name.lower())


def date_fr(local: datetime) -> str:
    return f"{local.day:02d} {MONTHS_FR[local.month - 1]} {local.year}"


def utc(local: datetime) -> datetime:
    return local.replace(tzinfo=PARIS).astimezone(timezone.utc)


class CanalblogSite(FixtureSite):
    platform = "canalblog"

    def __init__(self, posts: int = 30, seed: int = 4, template: int | str = 2010, comments_per_page: int = 0,
                 page_size: int = 10, many_comments: int = 60, revision: int = 0, index: int = 1) -> None:  # fmt: skip
        super().__init__(posts=posts, seed=seed, template=template, comments_per_page=comments_per_page,
                         page_size=page_size, many_comments=many_comments, revision=revision, index=index)  # fmt: skip
        self.template = int(template)
        self.index = bool(index)  # index=0: no archive index page (a 404), as on some templates
        self.comments_per_page = comments_per_page
        self.page_size = page_size
        self.entries = _generate(
            random.Random(seed), posts + (len(REVISION_NEW) if revision else 0), many_comments
        )
        if revision:
            _revise(self.entries)
        self.by_id = {post.pid: post for post in self.entries}
        self.newest_first = sorted(self.entries, key=lambda p: p.local, reverse=True)
        # Ground truth: author URLs are not in ExpectedComment, so they live here by comment id.
        self.author_urls = {str(c.cid): c.url for post in self.entries for c in post.comments if c.url}
        self.posts = self._expected_posts()

    def _expected_posts(self) -> list[ExpectedPost]:
        return [self._expected(post) for post in self.entries]

    def _expected(self, post: _Post) -> ExpectedPost:
        tags = [post.category] + (post.tags if self.template >= 2010 else [])
        extra = {"post_id": str(post.pid)}
        if self.template >= 2010:
            extra["date_created"] = f"{post.created:%Y-%m-%dT%H:%M}"
        return ExpectedPost(
            path=post.path,
            title=post.title,
            author=post.author,
            published=utc(post.local),
            tags=tags,
            text=post.paragraphs[0],
            comments=[
                # The 2007 template shows comment times to the minute only.
                ExpectedComment(
                    author=c.author,
                    published=utc(c.local if self.template >= 2010 else c.local.replace(second=0)),
                    text=c.text.split("\n")[0],
                    id=str(c.cid),
                )  # fmt: skip
                for c in post.comments
            ],
            comment_count=len(post.comments),
            media_urls=[post.image] if post.image else [],
            extra=extra,
        )

    # ------------------------------------------------------------------ routing

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        path = unquote(path.split("?", 1)[0])
        if path == "/robots.txt":
            return Reply(200, b"User-agent: *\nDisallow: /cf/\n", [("Content-Type", "text/plain")])
        if path.startswith("/images/"):
            return image_reply(path)
        if path == "/rss.xml":
            return Reply.xml(self._rss(), "application/rss+xml")
        if path in ("/", "/index.html"):
            return self._listing(self.newest_first, "/archives/", 0, self.page_size, home=True)
        permalink = PERMALINK.match(path)
        if permalink:
            return self._permalink(permalink)
        day = DAY.match(path)
        if day:
            posts = [p for p in self.newest_first if f"{p.local:%Y/%m/%d}" == "/".join(day.groups())]
            return self._listing(posts, path, 0, 250) if posts else Reply.not_found()
        if path.startswith("/tag/"):
            tag = path[len("/tag/") :]
            posts = [p for p in self.newest_first if tag in p.tags]
            return (
                self._listing(posts, path, 0, 250) if posts and self.template >= 2010 else Reply.not_found()
            )
        return self._archive(path)

    def _archive(self, path: str) -> Reply:
        if path in ("/archives/", "/archives/index.html"):
            if not self.index:
                return Reply.not_found()
            return Reply.html(self._page("Archives", self._archive_index()))
        match = LISTING.match(path)
        if not match:
            return Reply.not_found()
        offset, size = int(match["o"] or 0), int(match["n"] or self.page_size)
        if match["ym"]:
            posts = [p for p in self.newest_first if f"{p.local:%Y/%m}" == match["ym"]]
        elif match["cat"]:
            posts = [p for p in self.newest_first if slug(p.category) == match["cat"]]
        else:  # /archives/p10-10.html: the home page, further back
            posts = self.newest_first
        if not posts or offset >= len(posts) or not 0 < size <= 250:
            return Reply.not_found()
        base = f"/archives/{match['ym'] or match['cat']}/" if match["ym"] or match["cat"] else "/archives/"
        return self._listing(posts, base, offset, size, home=base == "/archives/")

    def _permalink(self, match: re.Match[str]) -> Reply:
        post = self.by_id.get(int(match[4]))
        if post is None or post.path != f"/archives/{match[1]}/{match[2]}/{match[3]}/{match[4]}.html":
            return Reply.not_found()
        offset = int(match[5] or 0)
        per_page = self.comments_per_page or max(len(post.comments), 1)
        if offset and (not self.comments_per_page or offset >= len(post.comments)):
            return Reply.not_found()
        shown = post.comments[offset : offset + per_page]
        body = self._post_block(post, single=True) + self._comments(post, shown, offset, per_page)
        return Reply.html(self._page(f"{post.title} - {BLOG_TITLE}", body))

    # ------------------------------------------------------------------ pages

    def _page(self, title: str, content: str) -> str:
        months = sorted({f"{p.local:%Y/%m}" for p in self.entries}, reverse=True)
        month_links = "".join(
            f'<li><a href="{self.url(f"/archives/{ym}/index.html")}">{MONTHS_FR[int(ym[5:]) - 1]} {ym[:4]}</a></li>'
            for ym in months[:10]
        )
        cats = "".join(
            f'<li><a href="{self.url(f"/archives/{slug(c)}/index.html")}">{html.escape(c)}</a></li>'
            for c in sorted({p.category for p in self.entries})
        )
        cloud = "".join(
            f'<li><a href="{self.url("/tag/" + quote(t))}" title="3 message(s)" rel="tag">{html.escape(t)}</a></li>'
            for t in sorted({t for p in self.entries for t in p.tags} if self.template >= 2010 else ())
        )
        latest = self.newest_first[0].local
        days = sorted(
            {
                p.local.day
                for p in self.entries
                if (p.local.year, p.local.month) == (latest.year, latest.month)
            }
        )
        calendar = "".join(
            f'<a href="{self.url(f"/archives/{latest:%Y/%m}/{d:02d}/index.html")}">{d}</a> ' for d in days
        )
        generator = "CanalBlog - http://www.canalblog.com"
        head = (
            f'<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />'
            f'<meta name="generator" content="{generator}" />'
            f'<meta name="Description" content="{html.escape(BLOG_DESCRIPTION)}" />'
            f'<link rel="alternate" type="application/rss+xml" title="RSS" href="{self.url("/rss.xml")}" />'
        )
        if self.template >= 2010:
            head += '<script type="text/javascript">var CBVARS = {"blog_id":141202,"post_allow_comments":1};</script>'
        sidebar = (
            f'<div id="leftbar"><div class="navlinks"><a href="{self.url("/")}">Retour à l\'accueil</a></div>'
            f'<div class="image"><a href="{self.url("/profile/119103/index.html")}">Profil</a></div>'
            f'<a href="http://www.canalblog.com/cf/contactAuthor.cfm?mid=119103&amp;bid=141202">Contactez l\'auteur</a>'
            f'<a href="mailto:miss.tics@example.org">Écrire</a> <a href="javascript:void(0)">Imprimer</a>'
            f'<div class="title">Catégories</div><ul>{cats}</ul>'
            f'<div class="title">Tags</div><ul class="tagcloud">{cloud}</ul>'
            f'<div class="title">Archives</div><ul>{month_links}'
            f'<li><a href="{self.url("/archives/index.html")}">Toutes les archives</a></li></ul>'
            f'<div id="calendar">{calendar}</div>'
            f'<a href="{self.url("/albums/vacances/index.html")}">Albums photos</a></div>'
        )
        return (
            '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
            f'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>{html.escape(title)}</title>{head}</head><body>'
            f'<div id="container"><div id="topbar"><h1><a href="{self.url("/")}">{BLOG_TITLE}</a></h1>'
            f"<h2>{html.escape(BLOG_DESCRIPTION)}</h2></div>{sidebar}"
            f'<div id="content">{content}</div></div></body></html>'
        )

    def _listing(self, posts: list[_Post], base: str, offset: int, size: int, home: bool = False) -> Reply:
        shown = posts[offset : offset + size]
        blocks = "".join(self._post_block(p, single=False) for p in shown)
        pages = []
        for start in range(0, len(posts), size):
            number = start // size + 1
            href = self.url("/") if home and start == 0 else self.url(f"{base}p{start}-{size}.html")
            pages.append(
                f"<strong>{number}</strong>" if start == offset else f'<a href="{href}">{number}</a>'
            )
        nav = f"<div>{'&nbsp;'.join(pages)}</div>" if len(pages) > 1 else ""
        return Reply.html(self._page(BLOG_TITLE, blocks + nav))

    def _archive_index(self) -> str:
        months = sorted({f"{p.local:%Y/%m}" for p in self.entries}, reverse=True)
        return "".join(
            f'<p><a href="{self.url(f"/archives/{ym}/index.html")}">{MONTHS_FR[int(ym[5:]) - 1]} {ym[:4]}</a></p>'
            for ym in months
        )

    def _post_block(self, post: _Post, single: bool) -> str:
        permalink = self.url(post.path)
        image = f'<p><img src="{self.url(post.image)}" alt="{post.pid}" /></p>' if post.image else ""
        body = image + "".join(f"<p>{html.escape(p)}</p>" for p in post.paragraphs)
        cat = html.escape(post.category)
        cat_url = self.url(f"/archives/{slug(post.category)}/index.html")
        count = len(post.comments)
        if self.template < 2010:
            footer = (
                f'<div class="itemfooter">Posté par {post.author} à {post.local:%H:%M} - <a href="{cat_url}">{cat}</a> - '
                f'<a href="{permalink}#comments">Commentaires [{count}]</a> - '
                f'Permalien [<a href="{permalink}" rel="bookmark">#</a>]</div>'
            )
            return (
                f'<div class="blogbody"><h2 class="date">{date_fr(post.local)}</h2><a name="{post.pid}"></a>'
                f"<h3>{html.escape(post.title)}</h3>{body}{footer}</div>"
            )
        tags = ", ".join(
            f'<a href="{self.url("/tag/" + quote(t))}" rel="tag">{html.escape(t)}</a>' for t in post.tags
        )
        footer = (
            f"<div class=\"itemfooter\"> Posté par <span class='articlecreator' itemprop='creator'>{post.author}</span> "
            f'à {post.local:%H:%M} - <a href="{cat_url}" title="Autres messages dans cette catégorie">{cat}</a> - '
            f'<a href="{permalink}#comments" title="Commentez ce message">Commentaires [{count}]</a> - '
            f'Permalien [<a href="{permalink}" rel="bookmark" title="{html.escape(post.title)}">#</a>]'
            + (f"<br />Tags : {tags}" if tags else "")
            + "</div>"
        )
        share = f'<div class="share_widget" data-sharetype="post" data-shareid="{post.pid}" data-sharelink="{permalink}"></div>'
        ad = (
            f'<div id="div-gpt-ad-{post.pid}-0"><div class="pub">Publicité</div>'
            "<script type=\"text/javascript\">googletag.cmd.push(function() { googletag.display('x'); });</script></div>"
        )
        return (
            '<div class="blogbody"><div itemscope itemtype="http://schema.org/Article" itemref="comment_list" '
            f'id="{post.pid}" class="item_div" data-edittype="post">'
            f'<meta itemprop="interactionCount" content="UserComments:{count}" />'
            f'<meta itemprop="url" content="{permalink}" />'
            f'<meta itemprop="dateCreated" content="{post.created:%Y-%m-%dT%H:%M}" />'
            f'<h2>{date_fr(post.local)}</h2><a name="{post.pid}"></a><h3>{html.escape(post.title)}</h3>'
            f"<p>{body}<div style='clear:both;'></div></p>{footer}{share}</div>{ad if single else ''}</div>"
        )

    def _comments(self, post: _Post, shown: list[_Comment], offset: int, per_page: int) -> str:
        items = "".join(self._comment(post, c) for c in shown)
        pages = []
        if self.comments_per_page and len(post.comments) > per_page:
            for start in range(0, len(post.comments), per_page):
                href = (
                    self.url(post.path if start == 0 else post.path.replace(".html", f"-p{start}-0.html"))
                    + "#comments"
                )
                pages.append(
                    f"<strong>{start // per_page + 1}</strong>"
                    if start == offset
                    else f'<a href="{href}">{start // per_page + 1}</a>'
                )
        nav = f"<div>{'&nbsp;'.join(pages)}</div>" if pages else ""
        # Canalblog's "Annuler la réponse" link points at some other post's comment page: a trap.
        other = self.newest_first[0] if post is not self.newest_first[0] else self.newest_first[-1]
        form = (
            f'<h2>Poster un commentaire</h2><form action="" method="post"><div id="cancel_reply_comment">'
            f'<a rel="nofollow" href="{self.url(other.path.replace(".html", "-p50-0.html"))}">Annuler la réponse</a></div>'
            '<label for="authorNickName">Nom ou pseudo :</label><input id="authorNickName" name="authorNickName" />'
            '<textarea id="commentBody" name="commentBody"></textarea><input type="submit" value="Envoyer" /></form>'
        )
        if self.template < 2010:
            return f'<div class="blogbody"><h2><a id="comments"></a>Commentaires</h2><ul id="comment_list">{items}</ul>{nav}{form}</div>'
        return f'<h2><a id="comments"></a>Commentaires</h2><ul id="comment_list" class="comment_thread level-1">{items}</ul>{nav}{form}'

    def _comment(self, post: _Post, comment: _Comment) -> str:
        title = f"<h3>{html.escape(comment.title)}</h3>" if comment.title else ""
        text = "<br />".join(html.escape(line) for line in comment.text.split("\n"))
        who = (
            f'<a href="{comment.url}" rel="nofollow" target="_blank">{html.escape(comment.author)}</a>'
            if comment.url
            else html.escape(comment.author)
        )
        when = f"{date_fr(comment.local)} à {comment.local:%H:%M}"
        if self.template < 2010:
            return (
                f'<li class="comment"><a id="c{comment.cid}"></a>{title}<p>{text}</p>'
                f'<div class="itemfooter">Posté par {who}, {when}</div></li>'
            )
        return (
            '<li class="comment guest level-1"><div itemprop="comment" itemscope itemtype="http://schema.org/UserComments" '
            f'class="comment_item" id="comment_{comment.cid}" data-edittype="post" data-cid="{comment.cid}" '
            f'data-pid="{post.pid}" data-mid="0"><meta itemprop="discusses" content="{self.url(f"/permalink/comments/{comment.cid}")}" />'
            f'<a id="c{comment.cid}"></a>{title}<p><div class="pp-container"><img class="gravatar" src="http://www.gravatar.com/avatar/0" /></div> {text}</p>'
            f'<div class="itemfooter">Posté par {who}, <abbr class="timeago" title="{comment.local:%Y-%m-%dT%H:%M:%S}">{when}</abbr>'
            ' | <span class="comment_reply"><a rel="nofollow" href="#">Répondre</a></span></div></div></li>'
        )

    def _rss(self) -> str:
        items = []
        for post in self.newest_first[:10]:
            body = "".join(f"<p>{html.escape(p)}</p>" for p in post.paragraphs)
            stamp = post.local.replace(tzinfo=PARIS).strftime("%a, %d %b %Y %H:%M:%S %z")
            items.append(
                f"<item><title>{html.escape(post.title)}</title><link>{self.url(post.path)}</link>"
                f'<guid isPermaLink="true">{self.url(post.path)}</guid><pubDate>{stamp}</pubDate>'
                f"<description><![CDATA[{body}]]></description><category>{html.escape(post.category)}</category></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>{BLOG_TITLE}</title><link>{self.url('/')}</link><description>{html.escape(BLOG_DESCRIPTION)}</description>"
            f"{''.join(items)}</channel></rss>"
        )


# revision=1: the same blog a while later: three new posts, two edited, one deleted.
REVISION_NEW = (0, 1, 2)
REVISION_EDITED = (3, 4)
REVISION_DELETED = 7
REVISION_NOTE = "Mise à jour : ce billet a été complété après sa publication."


def _revise(entries: list[_Post]) -> None:
    for index in REVISION_EDITED:
        entries[index].paragraphs.append(REVISION_NOTE)
    del entries[REVISION_DELETED]


def _generate(rng: random.Random, count: int, many_comments: int) -> list[_Post]:
    """The blog's posts, oldest first: seed 004, then random ones every 3-12 days."""
    posts: list[_Post] = []
    next_cid = 5_230_001
    local = SEED_004_POST["local"]
    for index in range(count):
        pid = 6_287_321 + index * 37 + rng.randint(0, 30)
        if index == 0:
            seed = SEED_004_POST
            comments = []
            for author, url, when, title, text in seed["comments"]:
                comments.append(_Comment(next_cid, author, url, when, title, text))
                next_cid += rng.randint(1, 9)
            posts.append(_Post(pid, seed["title"], seed["author"], local, local - timedelta(days=2, hours=3), seed["category"],
                               [], list(seed["paragraphs"]), None, comments))  # fmt: skip
            continue
        local = (local + timedelta(days=rng.randint(3, 12))).replace(
            hour=rng.randint(0, 23), minute=rng.randint(0, 59)
        )
        if index == 1:
            n_comments = 0
        elif index == 5:
            n_comments = many_comments
        else:
            n_comments = rng.randint(0, 4)
        comments = []
        when = local
        for _ in range(n_comments):
            when = when + timedelta(minutes=rng.randint(3, 600), seconds=rng.randint(0, 59))
            author = rng.choice(AUTHORS)
            url = f"http://{slug(author)}.canalblog.com/" if rng.random() < 0.4 else None
            title = sentence(rng, FR_WORDS, 3) if rng.random() < 0.3 else None
            text = f"Commentaire {next_cid} : {sentence(rng, FR_WORDS, 12)}"
            if rng.random() < 0.3:
                text += "\n" + sentence(rng, FR_WORDS, 8)
            comments.append(_Comment(next_cid, author, url, when.replace(microsecond=0), title, text))
            next_cid += rng.randint(1, 9)
        title = sentence(rng, FR_WORDS, rng.randint(3, 7)).rstrip(".")
        paragraphs = [f"Billet {index} : {sentence(rng, FR_WORDS, 14)}"]
        paragraphs += [paragraph(rng, FR_WORDS, rng.randint(2, 4)) for _ in range(rng.randint(1, 3))]
        # An old-style thumbnail (``t-`` prefix) of a picture the blog itself serves.
        image = f"/images/t-photo-{pid + 1000}.jpg" if index % 3 == 0 else None
        created = local - timedelta(days=rng.randint(0, 40), hours=rng.randint(1, 9))
        tags = sorted(rng.sample(TAGS, rng.randint(0, 3)))
        posts.append(_Post(pid, f"{title} ({index})", "Miss_TICS", local, created, rng.choice(CATEGORIES), tags,
                           paragraphs, image, comments))  # fmt: skip
    return posts


def make_site(**options: int | str) -> CanalblogSite:
    if int(options.get("template", 2010)) == 2023:
        from tests.fixtureweb.sites.canalblog_2023 import Canalblog2023Site  # it builds on this module

        return Canalblog2023Site(**options)
    return CanalblogSite(**options)

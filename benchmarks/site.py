"""A fixture blog at benchmark scale: 10k+ posts, pages padded to ~100 KB of theme chrome.

The fixture sites of ``tests.fixtureweb.sites`` are written for tests: each page
rebuilds its sidebar from every post, so serving a 10k-post blog costs O(posts) per
page. The subclasses here index what those pages filter and build the page frame once,
so the server costs little CPU per page and stays a fair baseline; the markup served is
the fixture's own, plus a block of realistic chrome (inline CSS and scripts, a blogroll,
recent comments, a profile) inserted before ``</body>``.
"""

from __future__ import annotations

import html
import random
import re
from bisect import bisect_right
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from tests.fixtureweb.base import FR_WORDS, FixtureSite, Reply, paragraph
from tests.fixtureweb.sites import blogspot, canalblog, tumblr, typepad

_MARK = re.compile("\x00(\\w+)\x00")
_BODY_END = b"</body>"
FIRST_DAY, LAST_DAY = datetime(2004, 1, 1), datetime(2024, 12, 31)


def _mark(name: str) -> str:
    return f"\x00{name}\x00"


class _FramedPage:
    """Memoizes ``_page(title, content, **parts)``: every page shares one frame."""

    def _page(self, title: str, content: str, **parts: str) -> str:
        frames = self.__dict__.setdefault("_frames", {})
        key = tuple(sorted(parts))
        if key not in frames:
            page = super()._page(_mark("title"), _mark("content"), **{k: _mark(k) for k in key})  # type: ignore[misc]
            frames[key] = _MARK.split(page)  # literal, name, literal, name, ..., literal
        values = {"title": html.escape(title), "content": content, **parts}
        return "".join(piece if i % 2 == 0 else values[piece] for i, piece in enumerate(frames[key]))


def _more_text(seed: int, paragraphs: int) -> list[str]:
    """Paragraphs that bring a fixture post (3-6 sentences) to a blog post's length (~3,000 chars)."""
    rng = random.Random(seed)
    return [paragraph(rng, FR_WORDS, rng.randint(3, 5)) for _ in range(paragraphs)]


def _spread(count: int) -> list[datetime]:
    """``count`` days evenly spread over 2004-2024: a big blog's posts stay in the years blogs
    existed (the fixtures' 3-90 days between posts would run into the next century, which
    the crawl's trap guard refuses)."""
    step = (LAST_DAY - FIRST_DAY) / max(count, 1)
    return [FIRST_DAY + step * i for i in range(count)]


def _moved(local: datetime, day: datetime) -> timedelta:
    """How far a post written at ``local`` moves to be written on ``day``, at the same time of day."""
    return datetime.combine(day.date(), local.time()) - local


class BenchCanalblog(_FramedPage, canalblog.CanalblogSite):
    """Longer posts spread over 2004-2024; month and category listings from an index."""

    def __init__(self, paragraphs: int = 6, **options: Any) -> None:
        super().__init__(**options)
        for post, day in zip(self.entries, _spread(len(self.entries))):
            delta = _moved(post.local, day)
            post.local, post.created = post.local + delta, post.created + delta
            for comment in post.comments:
                comment.local += delta
            post.paragraphs += _more_text(post.pid, paragraphs)
        self.newest_first = sorted(self.entries, key=lambda p: p.local, reverse=True)
        self.posts = [self._expected(post) for post in self.entries]
        self.months: dict[str, list[Any]] = defaultdict(list)
        self.categories: dict[str, list[Any]] = defaultdict(list)
        for post in self.newest_first:
            self.months[f"{post.local:%Y/%m}"].append(post)
            self.categories[canalblog.slug(post.category)].append(post)

    def _archive(self, path: str) -> Reply:
        match = canalblog.LISTING.match(path)
        if not match or not (match["ym"] or match["cat"]):
            return super()._archive(path)
        posts = self.months.get(match["ym"], []) if match["ym"] else self.categories.get(match["cat"], [])
        offset, size = int(match["o"] or 0), int(match["n"] or self.page_size)
        if not posts or offset >= len(posts) or not 0 < size <= 250:
            return Reply.not_found()
        return self._listing(posts, f"/archives/{match['ym'] or match['cat']}/", offset, size)


class BenchTypepad(_FramedPage, typepad.TypepadSite):
    """Longer posts spread over 2004-2024 (slugs made unique); month and category pages from an index."""

    def __init__(self, paragraphs: int = 6, **options: Any) -> None:
        super().__init__(**options)
        for post, day in zip(reversed(self._posts), _spread(len(self._posts))):
            delta = _moved(post.local, day)
            post.local += delta
            for comment in post.comments:
                comment.local += delta
            post.slug = f"{post.slug[:10]}-{post.index}"
            post.body += _more_text(post.index, paragraphs)
        self._posts.sort(key=lambda p: p.local, reverse=True)
        self._by_path = {p.path: p for p in self._posts}
        self.posts = [self._expected(p) for p in self._posts]
        self.months: dict[str, list[Any]] = defaultdict(list)
        self.categories: dict[str, list[Any]] = defaultdict(list)
        self.category_names: dict[str, str] = {}
        for post in self._posts:
            self.months[f"{post.local:%Y/%m}"].append(post)
            for name in post.categories:
                slug = typepad._category_slug(name)
                self.categories[slug].append(post)
                self.category_names[slug] = name

    def _archive_or_category(self, rest: str) -> Reply:
        parts = rest.split("/")
        if len(parts) == 3 and parts[2] == "index.html" and parts[0].isdigit():
            month = self.months.get(f"{parts[0]}/{parts[1]}")
            if month:
                return Reply.html(self._listing(month, self._month_name(month[0]), pager=""))
        if parts[0] in self.categories:
            posts, name, base = (
                self.categories[parts[0]],
                self.category_names[parts[0]],
                f"{typepad.BLOG}{parts[0]}/",
            )
            if parts[1:] in ([""], ["index.html"]):
                return self._listing_page(posts, base, 1, name)
            if len(parts) == 4 and parts[1] == "page" and parts[3] == "":
                return self._paged(posts, base, parts[2] + "/", name)
        return Reply.not_found()


class BenchBlogspot(blogspot.BlogspotSite):
    """Light Blogger pages: posts spread over 2004-2024, archive index and sidebar built once."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for post, day in zip(reversed(self._posts), _spread(len(self._posts))):
            delta = _moved(blogspot._local(post.when).replace(tzinfo=None), day)
            post.when, post.updated = post.when + delta, post.updated + delta
            for comment in post.comments:
                comment.when += delta
            post.path = f"/{blogspot._local(post.when):%Y/%m}/" + post.path.split("/", 3)[3]
        self._by_path = {p.path: p for p in self._posts}
        self.posts = [self._expected(p) for p in self._posts]
        self._months: dict[str, list[Any]] = defaultdict(list)
        for post in self._posts:
            month = f"/{blogspot._local(post.when):%Y/%m}/"
            self._months[month].append(post)
            self._months[month[:6]].append(post)
        self._archive_list = sorted(self._months, reverse=True)
        self._sidebar_html = ""

    def _archives(self) -> list[str]:
        return self._archive_list

    def _sidebar(self) -> str:
        # Collapsed like Blogger's archive widget: the newest year's months only (~20 KB pages).
        if not self._sidebar_html:
            every, newest = self._archive_list, self._archive_list[0][:6]
            self._archive_list = [a for a in every if a.startswith(newest)]
            self._sidebar_html = super()._sidebar()
            self._archive_list = every
        return self._sidebar_html


ROOTS = {"typepad": typepad.BLOG}  # where the blog's home page is, when not at /
SITES: dict[str, type[FixtureSite]] = {
    "blogspot": BenchBlogspot,
    "canalblog": BenchCanalblog,
    "typepad": BenchTypepad,
    "tumblr": tumblr.TumblrSite,
}


def _chrome_block(rng: random.Random, n: int) -> str:
    """One widget of a blog theme: inline CSS, a script, a blogroll, a calendar or share buttons."""
    kind = n % 5
    if kind == 0:
        rules = "".join(
            f".widget-{n}-{i} a:hover{{color:#{rng.randrange(16**6):06x};margin:{i}px 0 {i + 2}px;"
            f"font:{10 + i % 6}px/1.4 Georgia,serif;border-bottom:1px dotted #{rng.randrange(16**6):06x}}}"
            for i in range(14)
        )
        return f'<style type="text/css">{rules}</style>'
    if kind == 1:
        config = ",".join(f'"k{n}_{i}":"{rng.randrange(16**12):012x}"' for i in range(40))
        return (
            f'<script type="text/javascript">var w{n}={{{config}}};'
            f"(function(d){{var s=d.createElement('script');s.src='//widgets.example.net/w{n}.js';"
            "d.getElementsByTagName('head')[0].appendChild(s);})(document);</script>"
        )
    if kind == 2:
        links = "".join(
            f'<li class="blogroll-item"><a href="http://blog{rng.randrange(10**6)}.example.org/" rel="nofollow" '
            f'target="_blank" class="blogroll-link" data-id="{rng.randrange(10**6)}">{rng.choice(FR_WORDS)}</a></li>'
            for _ in range(6)
        )
        return (
            f'<div class="sidebar-widget blogroll"><h2>Liens</h2><ul class="widget-list">{links}</ul></div>'
        )
    if kind == 3:
        cells = "".join(
            f'<td class="cal-day"><a href="/archives/2010/01/{day:02d}/index.html" title="archives">{day}</a></td>'
            for day in range(1, 4)
        )
        return f'<table class="sidebar-widget calendar" summary="calendrier"><tr>{cells}</tr></table>'
    return (
        f'<div class="sidebar-widget share" data-widget="{rng.randrange(10**8)}"><div class="share-inner">'
        + "".join(
            f'<a class="share-button share-{site}" href="http://{site}.example.com/share?u={rng.randrange(10**9)}" '
            f'title="{site}"><span class="icon icon-{site}"></span></a>'
            for site in ("facebook", "twitter")
        )
        + "</div></div>"
    )


def chrome(seed: int, size: int) -> tuple[bytes, list[int]]:
    """About ``size`` bytes of theme chrome, and the offsets where a prefix of it may end."""
    rng = random.Random(seed)
    blocks: list[bytes] = []
    offsets = [0]
    while offsets[-1] < size:
        blocks.append(_chrome_block(rng, len(blocks)).encode())
        offsets.append(offsets[-1] + len(blocks[-1]))
    return b"".join(blocks), offsets


class BenchSite(FixtureSite):
    """A fixture site of ``platform`` whose HTML pages are padded to about ``pagesize`` bytes."""

    def __init__(self, platform: str = "canalblog", pagesize: int = 100_000, **options: Any) -> None:
        super().__init__(platform=platform, pagesize=pagesize, **options)
        self.platform = platform
        self.inner = SITES[platform](**options)
        self.posts = self.inner.posts
        self.pagesize = pagesize
        self.chrome, self.offsets = chrome(int(options.get("seed", 1)), pagesize)

    @property
    def base_url(self) -> str:
        return self.inner.base_url

    @base_url.setter
    def base_url(self, value: str) -> None:
        if "inner" in self.__dict__:
            self.inner.base_url = value

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        reply = self.inner.handle(path, headers)
        end = reply.body.rfind(_BODY_END)
        if reply.status != 200 or end < 0:
            return reply
        need = self.pagesize - len(reply.body)
        cut = self.offsets[max(bisect_right(self.offsets, need) - 1, 0)]
        reply.body = reply.body[:end] + self.chrome[:cut] + reply.body[end:]
        return reply

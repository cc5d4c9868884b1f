"""A Canalblog blog that serves every bad case at once, and the dead or foreign sites beside it.

Options (``faults:posts=12,mode=faults,feed=xxe,crawl_delay=0``):

- ``mode=faults`` (default): a Canalblog blog (the ``canalblog`` fixture, 12 posts, seed 4)
  whose home page also links every fault below. Its real posts are all expected in the
  dataset (``site.posts``), whatever their page went through:

  ================  ====================================================================
  oldest post 0     windows-1252 bytes, declared UTF-8 (header and meta): accents intact
  post 1            ISO-8859-1 bytes, no charset anywhere
  posts 2, 3        ``<meta name="robots" content="noarchive">`` / ``"noindex, nofollow"``
  post 4            500 twice, then the page (5xx then recovery)
  post 5            429 with ``Retry-After: 1`` twice, then the page
  post 6            503 with an HTTP-date ``Retry-After`` once, then the page
  post 7            connection reset mid-body once, then the page
  post 8            truncated HTML: cut after the post's first paragraph (``site.truncated_path``)
  ================  ====================================================================

  Faults, linked from the home page as posts of 15 June 2008 (``site.fault_paths``):
  a 50 MB page with its Content-Length, a 50 MB page without one (both streamed, never
  held in memory), binary bytes served as text/html, an empty 200, a redirect loop, a
  redirect to another host, a redirect to ``ftp:``, a meta refresh to another host, a
  connection reset on every try, a 429 storm with ``Retry-After: 3600``, a 404, and a
  post under a path robots.txt disallows.
  Traps: every month of every year has a page (empty ones too) with "previous/next month"
  links, the last home page has a "next" link to more pages for ever, and the home page
  links a month of the year 2999 and session-id / exploding-query URLs.
- ``mode=blog``: the same blog without faults or traps, but with the ``feed`` below.
- ``feed=xxe`` (default): ``/rss.xml`` declares external entities (a local file and a URL
  of this site, ``/xxe-canary.txt``) and uses them; a parser that resolves them leaks
  ``FILE_CANARY`` or ``WEB_CANARY`` into the posts. ``feed=broken``: truncated, ill-formed XML.
- ``crawl_delay``: a ``Crawl-delay`` line in robots.txt (seconds).
- ``mode=gone-<platform>`` (canalblog, typepad, tumblr, blogspot): every URL answers that
  platform's "blog deleted / shut down" page (404 or 410). ``mode=plain``: every URL answers
  a page of no blog platform (a web server's welcome page).
"""

from __future__ import annotations

import random
import re
import threading
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path

from tests.fixtureweb.base import Reply
from tests.fixtureweb.sites.canalblog import BLOG_TITLE, LISTING, MONTHS_FR, PERMALINK, CanalblogSite

FILE_CANARY = "XXE-CANARY-FILE-5c1e9a"  # this module's own text: a resolved file entity would leak it
WEB_CANARY = "XXE-CANARY-WEB-77b2d0"
FAULT_DAY = "/archives/2008/06/15/"
FAULTS = {  # name -> post id of its URL under FAULT_DAY
    "huge_declared": 9000001,
    "huge_streamed": 9000002,
    "binary": 9000003,
    "empty": 9000004,
    "redirect_loop": 9000005,
    "redirect_offsite": 9000006,
    "redirect_ftp": 9000007,
    "meta_refresh_offsite": 9000008,
    "reset_always": 9000009,
    "storm_forever": 9000010,
    "not_found": 9000011,
}
DISALLOWED = "/archives/2008/07/"
DISALLOWED_POST = DISALLOWED + "04/9000020.html"
ROLES = ("cp1252", "latin1", "noarchive", "noindex", "flaky_500", "storm_429", "unavailable_503", "reset_once",
         "truncated")  # fmt: skip
ROBOTS = {"noarchive": "noarchive", "noindex": "noindex, nofollow"}
HUGE_CHUNK = b"<p>" + b"blogarchive " * 87_380 + b"</p>\n"  # ~1 MiB, sent 50 times
HUGE_TIMES = 50
TRAP_LINKS = (
    "/archives/2999/01/index.html",  # a month no blog has
    "/archives/p0-10.html?sid=0123456789abcdef0123456789abcdef",
    "/archives/index.html;jsessionid=A1B2C3D4E5F6",
    "/tag/facebook?a=1&a=1&a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9&j=10&k=11&l=12",
)
GONE_PAGES = {  # platform -> (status, page): how each platform says a blog is no more
    "canalblog": (404, "<html><head><title>Canalblog - Blog introuvable</title>"
                       '<link rel="stylesheet" href="http://static.canalblog.com/css/error.css" /></head>'
                       "<body><h1>Ce blog n'existe pas</h1><p>Le blog que vous cherchez n'existe pas ou a été "
                       'supprimé par son auteur.</p><a href="http://www.canalblog.com/">Créer un blog</a></body></html>'),
    "typepad": (410, '<html><head><title>Typepad</title><link rel="stylesheet" href="https://static.typepad.com/'
                     '.shared/css/closed.css" /></head><body><h1>This blog is no longer available</h1><p>Typepad '
                     "has shut down. Thank you for blogging with us.</p></body></html>"),
    "tumblr": (404, '<html><head><title>Not found.</title><link rel="stylesheet" href="https://assets.tumblr.com/'
                    'pop/css/error.css" /></head><body><h1>There\'s nothing here.</h1><p>Whatever you were '
                    "looking for doesn't currently exist at this address. Unless you were looking for this "
                    "error page, in which case: Congrats! You totally found it.</p></body></html>"),
    "blogspot": (404, "<html><head><title>Blog has been removed</title>"
                      '<link type="text/css" rel="stylesheet" href="https://www.blogger.com/static/v1/v-css/'
                      'error.css" /></head><body><h1>Blog has been removed</h1><p>Sorry, the blog at this '
                      "address has been removed. This address is not available for new blogs.</p></body></html>"),
}  # fmt: skip
PLAIN_PAGE = (
    "<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>"
)
MONTH = re.compile(r"^/archives/(\d{4})/(\d{2})/")


class FaultsSite(CanalblogSite):
    platform = "canalblog"

    def __init__(self, posts: int = 12, seed: int = 4, mode: str = "faults", feed: str = "xxe",
                 crawl_delay: float | str = 0) -> None:  # fmt: skip
        super().__init__(posts=posts, seed=seed, many_comments=3)
        self.options = {"posts": posts, "seed": seed, "mode": mode, "feed": feed, "crawl_delay": crawl_delay}
        self.mode, self.feed, self.crawl_delay = mode, feed, crawl_delay
        oldest_first = sorted(self.entries, key=lambda p: p.local)
        self.roles = {post.path: role for post, role in zip(oldest_first, ROLES)}
        self.robots_by_path = {path: ROBOTS[role] for path, role in self.roles.items() if role in ROBOTS}
        self.truncated_path = next(path for path, role in self.roles.items() if role == "truncated")
        self.fault_paths = {name: f"{FAULT_DAY}{pid}.html" for name, pid in FAULTS.items()}
        self._served: Counter[str] = Counter()
        self._lock = threading.Lock()
        if mode not in ("faults", "blog"):
            self.posts = []

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        if self.mode == "plain":
            return Reply.html(PLAIN_PAGE)
        if self.mode.startswith("gone-"):
            status, page = GONE_PAGES[self.mode.removeprefix("gone-")]
            return Reply.html(page, status=status)
        route = path.split("?", 1)[0]
        if route == "/robots.txt":
            return self._robots()
        if route == "/rss.xml":
            return Reply.xml(self._feed(), "application/rss+xml")
        if route == "/xxe-canary.txt":
            return Reply(200, WEB_CANARY.encode(), [("Content-Type", "text/plain")])
        if self.mode == "blog":
            return super().handle(path, headers)
        if route.startswith(FAULT_DAY) or route == DISALLOWED_POST:
            return self._fault(route)
        if route in self.roles:
            return self._post(route, self.roles[route])
        if route in ("/", "/index.html"):
            return _inject(super().handle(path, headers), self._fault_links())
        return self._archive_trap(route) or super().handle(path, headers)

    # ------------------------------------------------------------------ faults

    def _robots(self) -> Reply:
        lines = ["User-agent: *", "Disallow: /cf/", f"Disallow: {DISALLOWED}"]
        if self.crawl_delay:
            lines.append(f"Crawl-delay: {self.crawl_delay}")
        return Reply(200, ("\n".join(lines) + "\n").encode(), [("Content-Type", "text/plain")])

    def _count(self, path: str) -> int:
        """How many times ``path`` was asked before (requests come in on several threads)."""
        with self._lock:
            self._served[path] += 1
            return self._served[path] - 1

    def _fault(self, path: str) -> Reply:
        name = next((n for n, p in self.fault_paths.items() if p == path), None)
        html_type = [("Content-Type", "text/html; charset=utf-8")]
        if name == "huge_declared":
            return Reply(200, HUGE_CHUNK, html_type, repeat=HUGE_TIMES)
        if name == "huge_streamed":
            return Reply(200, HUGE_CHUNK, html_type, fault="no-length", repeat=HUGE_TIMES)
        if name == "binary":
            noise = random.Random(3).randbytes(4096)
            return Reply(200, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + noise, html_type)
        if name == "empty":
            return Reply(200, b"", html_type)
        if name == "redirect_loop":
            return Reply.redirect(self.url(path.replace(".html", "-b.html")), 302)
        if name == "redirect_offsite":
            return Reply.redirect("http://elsewhere.invalid" + path, 302)
        if name == "redirect_ftp":
            return Reply.redirect("ftp://127.0.0.1/pub/archive.html", 301)
        if name == "meta_refresh_offsite":
            return Reply.html('<html><head><meta http-equiv="refresh" content="0; url=http://elsewhere.invalid/">'
                              "</head><body>Ce blog a déménagé.</body></html>")  # fmt: skip
        if name == "reset_always":
            return Reply(200, self._page_bytes(self.entries[0].path), html_type, fault="reset")
        if name == "storm_forever":
            return Reply(429, b"Too Many Requests", [("Retry-After", "3600")])
        if path.endswith("-b.html"):  # the other end of the redirect loop
            return Reply.redirect(self.url(self.fault_paths["redirect_loop"]), 302)
        return Reply.not_found()

    def _post(self, path: str, role: str) -> Reply:
        attempt = self._count(path)
        if role == "flaky_500" and attempt < 2:
            return Reply.html("<html><body><h1>Internal Server Error</h1></body></html>", status=500)
        if role == "storm_429" and attempt < 2:
            return Reply(429, b"Too Many Requests", [("Retry-After", "1")])
        if role == "unavailable_503" and attempt < 1:
            when = format_datetime(datetime.now(timezone.utc) + timedelta(seconds=1), usegmt=True)
            return Reply(503, b"Service Unavailable", [("Retry-After", when)])
        html = self._page_bytes(path).decode("utf-8")
        if role == "reset_once" and attempt < 1:
            return Reply(
                200, html.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")], fault="reset"
            )
        if role == "cp1252":  # declared UTF-8 in the header and the page, sent as windows-1252
            return Reply(
                200,
                html.encode("cp1252", "xmlcharrefreplace"),
                [("Content-Type", "text/html; charset=utf-8")],
            )
        if role == "latin1":  # no charset anywhere
            html = html.replace('<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />', "")
            return Reply(200, html.encode("latin-1", "xmlcharrefreplace"), [("Content-Type", "text/html")])
        if role in ROBOTS:
            html = html.replace("<head>", f'<head><meta name="robots" content="{ROBOTS[role]}" />', 1)
        if role == "truncated":
            html = html[: html.index("</p>", html.index("<h3>")) + len("</p>")]
        return Reply.html(html)

    def _page_bytes(self, path: str) -> bytes:
        return super()._permalink(PERMALINK.match(path)).body

    def _fault_links(self) -> str:
        paths = [*self.fault_paths.values(), DISALLOWED_POST, *TRAP_LINKS]
        return "<ul>" + "".join(f'<li><a href="{self.url(p)}">{p}</a></li>' for p in paths) + "</ul>"

    # ------------------------------------------------------------------ traps

    def _archive_trap(self, path: str) -> Reply | None:
        """Month pages of any month (with previous/next links), and home pages past the last one."""
        match = LISTING.match(path)
        if not match or match["cat"]:
            return None
        offset, size = int(match["o"] or 0), int(match["n"] or self.page_size)
        if not 0 < size <= 250:
            return None
        if match["ym"]:
            return self._month(match["ym"], offset, size)
        if offset + size < len(self.newest_first):
            return None
        shown = self.newest_first[-size:]  # the last page, again and again
        blocks = "".join(self._post_block(p, single=False) for p in shown)
        following = self.url(f"/archives/p{offset + size}-{size}.html")
        return Reply.html(self._page(BLOG_TITLE, f'{blocks}<div><a href="{following}">Suivant »</a></div>'))

    def _month(self, ym: str, offset: int, size: int) -> Reply:
        year, month = int(ym[:4]), int(ym[5:])
        posts = [p for p in self.newest_first if f"{p.local:%Y/%m}" == ym][offset : offset + size]
        before = f"{year - (month == 1)}/{(month - 2) % 12 + 1:02d}"
        after = f"{year + (month == 12)}/{month % 12 + 1:02d}"
        nav = (
            f'<div class="calendar"><a href="{self.url(f"/archives/{before}/index.html")}">« mois précédent</a> '
            f"{MONTHS_FR[month - 1]} {year} "
            f'<a href="{self.url(f"/archives/{after}/index.html")}">mois suivant »</a></div>'
        )
        blocks = "".join(self._post_block(p, single=False) for p in posts)
        return Reply.html(self._page(f"{MONTHS_FR[month - 1]} {year} - {BLOG_TITLE}", nav + blocks))

    # ------------------------------------------------------------------ feeds

    def _feed(self) -> str:
        rss = self._rss()
        if self.feed == "broken":
            cut = rss.index("</item>", rss.index("</item>") + 1)
            return rss[:cut].replace("<title>", "<title>Mal formé & <b>non fermé", 1) + "<item><title>\x01"
        doctype = (
            f'<!DOCTYPE rss [<!ENTITY local SYSTEM "file://{Path(__file__).resolve()}">'
            f'<!ENTITY web SYSTEM "{self.url("/xxe-canary.txt")}">]>'
        )
        rss = rss.replace("<rss ", doctype + "<rss ", 1)
        return rss.replace("<title>", "<title>&local;&web;", 2)


def _inject(reply: Reply, block: str) -> Reply:
    """``reply``'s page with ``block`` at the end of its body."""
    page = reply.body.decode("utf-8").replace("</body>", block + "</body>", 1)
    return Reply.html(page, status=reply.status)


def make_site(**options: int | str) -> FaultsSite:
    return FaultsSite(**options)

"""A fake Wayback Machine holding a dead blog: the CDX API, raw ``id_`` snapshots and the toolbar view.

The captured blog is an inner fixture site (``inner=typepad``, ``canalblog``, ``blogspot``...)
built in-process at its original address (``origin``) and crawled once, breadth first, as
an archiving crawler would have: every page, feed, asset and redirect it links on its host
becomes one or more captures. Options
(``wayback:inner=typepad,origin=http://127.0.0.1:8123,inner_posts=12,page=20``):

- ``inner``: the captured site (default ``typepad``); ``inner_<name>=value`` are its options.
- ``origin``: the blog's original base URL (default: a host of its platform, e.g.
  ``http://deadblog.typepad.com``); a test points it at a live fixture blog that has closed.
- ``captures``: captures of each URL (default 2), 97 days apart, from 2009 on.
- ``missing``: every N-th post's permalink was never captured (default 0: none were missed).
- ``page``: CDX lines per answer at most (default 20), so clients page with ``resumeKey``.
- ``throttle``: the N-th archive request is answered 429, as after a burst (default 3; 0: never).
- ``cc``: 1 files every other capture of a Blogspot blog under ``.blogspot.fr`` (Blogger's
  country redirects, 2012-2018).

Map of the archive:

- ``/cdx/search/cdx?url=...``: JSON with a header row; ``matchType`` exact or prefix,
  ``filter=[!]field:regex`` (repeatable), ``collapse=urlkey`` (the oldest capture of each
  URL), ``from``/``to``, ``fl``, ``limit`` (capped at ``page``), ``showResumeKey``/``resumeKey``
  (after an empty row, the last row holds the key).
- ``/web/<ts>id_/<url>``: the captured bytes with their Content-Type; a timestamp with no
  capture of that URL redirects (302) to the nearest capture. The CDX line of one post
  (``skewed``) is a second off its capture, as index and playback sometimes disagree.
- ``/web/<ts>/<url>``: the page as a browser sees it: toolbar, script includes, every link
  rewritten to ``/web/<ts>/...``.
- ``/__log``: JSON of what the archive answered (CDX queries served, snapshots, 429s).
- ``/robots.txt``; anything else is a 404.

Ground truth: ``inner`` (the blog, its ``posts``), ``captures`` (original URL -> capture
timestamps), ``missing`` (post paths never captured), ``skewed`` (that post's URL) and
``timestamps(path)`` (every capture of a path without a query, on any country domain).
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urljoin, urlsplit

from tests.fixtureweb.base import FixtureSite, Reply
from tests.fixtureweb.base import make_site as build_site

ORIGINS = {
    "typepad": "http://deadblog.typepad.com",
    "canalblog": "http://monblog.canalblog.com",
    "blogspot": "http://monblog.blogspot.com",
    "tumblr": "http://deadblog.tumblr.com",
}
FIELDS = ("urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length")
FIRST_CAPTURE = datetime(2009, 3, 1)
CAPTURE_GAP = timedelta(days=97)
AFTER_DEATH = "20251015120000"  # a capture of the home after the platform closed: a redirect
MAX_PAGES = 3000
REDIRECTS = (301, 302, 303, 307, 308)
_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"'<>\s]+)["']""", re.I)
_SNAPSHOT = re.compile(r"^/web/(?P<ts>\d{1,14})(?P<mod>[a-z]{2}_)?/(?P<url>.+)$")
TOOLBAR = (
    "<!-- BEGIN WAYBACK TOOLBAR INSERT -->\n"
    '<div id="wm-ipp-base" lang="en" style="display: none"><div id="wm-ipp"><p>The Wayback Machine - '
    'captured {count} times</p><a href="/web/{ts}*/{url}">Calendar</a></div></div>\n'
    "<!-- END WAYBACK TOOLBAR INSERT -->"
)
HEAD = (
    '<script src="//archive.org/includes/athena.js" type="text/javascript"></script>\n'
    '<script type="text/javascript">window.__wm.init("{base}/web");</script>\n'
    '<link rel="stylesheet" type="text/css" href="{base}/_static/css/banner-styles.css" />\n'
    "<!-- End Wayback Rewrite JS Include -->"
)


@dataclass(frozen=True)
class Capture:
    original: str
    timestamp: str
    status: int
    mimetype: str
    reply: Reply

    @property
    def urlkey(self) -> str:
        return surt(self.original)


def surt(url: str) -> str:
    """The CDX sort key: host labels reversed (no ``www.``), then the lower-cased path and query."""
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    port = f":{parts.port}" if parts.port not in (None, 80, 443) else ""
    query = f"?{parts.query}" if parts.query else ""
    return ",".join(reversed(host.split("."))) + port + ")" + (parts.path or "/").lower() + query.lower()


def stamp(when: datetime) -> str:
    return when.strftime("%Y%m%d%H%M%S")


def without_scheme(url: str) -> str:
    url = re.sub(r"^https?://", "", url.strip(), flags=re.I)
    host, sep, rest = url.partition("/")
    host = host.lower().removeprefix("www.").removesuffix(":80")
    return host + sep + rest


class WaybackSite(FixtureSite):
    platform = "wayback"

    def __init__(self, inner: str = "typepad", origin: str = "", captures: int = 2, missing: int = 0,
                 page: int = 20, throttle: int = 3, cc: int = 0, **options: Any) -> None:  # fmt: skip
        super().__init__(inner=inner, origin=origin, captures=captures, missing=missing, page=page,
                         throttle=throttle, cc=cc, **options)  # fmt: skip
        inner_options = {k.removeprefix("inner_"): v for k, v in options.items() if k.startswith("inner_")}
        self.inner = build_site(inner, **inner_options)
        self.inner.base_url = (origin or ORIGINS[inner]).rstrip("/")
        self.posts = self.inner.posts
        self.page_size = page
        self.throttle = throttle
        self.missing = {p.path for i, p in enumerate(self.posts) if missing and (i + 1) % missing == 0}
        pages = [(url, reply) for url, reply in crawl(self.inner) if urlsplit(url).path not in self.missing]
        self.index = self._captures(pages, captures, cc=bool(cc))
        self.captures: dict[str, list[str]] = {}
        for capture in self.index:
            self.captures.setdefault(capture.original, []).append(capture.timestamp)
        kept = [p for p in self.posts if p.path not in self.missing]
        self.skewed = self.inner.url(kept[0].path) if kept else None
        self._lock = threading.Lock()
        self._requests = 0
        self.log: dict[str, Any] = {"cdx": [], "snapshots": 0, "banners": 0, "throttled": 0}

    # -- the captures -------------------------------------------------------------

    def _captures(self, pages: list[tuple[str, Reply]], count: int, cc: bool) -> list[Capture]:
        index = []
        for number, (url, reply) in enumerate(pages):
            original = url
            if cc and number % 2 and ".blogspot.com" in url:
                original = url.replace(".blogspot.com", ".blogspot.fr", 1)
            mimetype = _content_type(reply).split(";")[0].strip() or "unk"
            first = FIRST_CAPTURE + timedelta(seconds=_hash(original) % (400 * 86400))
            for i in range(count):
                when = stamp(first + i * CAPTURE_GAP)
                index.append(Capture(original, when, reply.status, mimetype, reply))
        home = self.inner.url("/")
        gone = Reply.redirect("https://www.networksolutions.com/typepad-has-closed")
        index.append(Capture(home, AFTER_DEATH, 301, "text/html", gone))
        return sorted(index, key=lambda c: (c.urlkey, c.timestamp))

    def timestamps(self, path: str) -> list[str]:
        """Every capture of ``path`` with no query string (on any country domain), oldest first."""
        return sorted(
            c.timestamp
            for c in self.index
            if c.status == 200 and urlsplit(c.original).path == path and not urlsplit(c.original).query
        )

    def _listed(self, capture: Capture) -> str:
        """The timestamp the CDX index lists: one post's latest capture is a second off."""
        if capture.original != self.skewed or capture.timestamp != max(self.captures[capture.original]):
            return capture.timestamp
        return stamp(datetime.strptime(capture.timestamp, "%Y%m%d%H%M%S") + timedelta(seconds=1))

    # -- serving ------------------------------------------------------------------

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        route, _, query = path.partition("?")
        if route == "/robots.txt":
            return Reply(200, b"User-agent: *\nAllow: /\n", [("Content-Type", "text/plain")])
        if route == "/__log":
            with self._lock:
                return Reply.json(json.dumps(self.log))
        if not (route == "/cdx/search/cdx" or route.startswith("/web/")):
            return Reply.not_found()
        with self._lock:
            self._requests += 1
            if self._requests == self.throttle:
                self.log["throttled"] += 1
                return Reply.html("<html><body>Too Many Requests</body></html>", status=429)
        if route == "/cdx/search/cdx":
            return self._cdx(query)
        return self._snapshot(path)

    def _cdx(self, query: str) -> Reply:
        params = parse_qsl(query, keep_blank_values=True)
        get = dict(params)
        wanted = without_scheme(get.get("url", ""))
        prefix = get.get("matchType") == "prefix" or wanted.endswith("*")
        wanted = wanted.rstrip("*")
        rows = [c for c in self.index
                if (without_scheme(c.original).startswith(wanted) if prefix else without_scheme(c.original) == wanted)]  # fmt: skip
        for name, value in params:
            if name == "filter":
                rows = [c for c in rows if _passes(c, value, self._listed(c))]
        since, until = get.get("from", ""), get.get("to", "")
        rows = [c for c in rows if (self._listed(c) >= since.ljust(14, "0")) and (not until or self._listed(c) <= until.ljust(14, "9"))]  # fmt: skip
        if get.get("collapse") == "urlkey":
            rows = [c for i, c in enumerate(rows) if i == 0 or rows[i - 1].urlkey != c.urlkey]
        resume = get.get("resumeKey")
        if resume:
            key, _, when = unquote(resume).rpartition(" ")
            rows = [c for c in rows if (c.urlkey, self._listed(c)) > (key, when)]
        limit = min(int(get.get("limit") or self.page_size), self.page_size)
        page, more = rows[:limit], len(rows) > limit
        fields = (get.get("fl") or ",".join(FIELDS)).split(",")
        lines: list[list[str]] = [fields] + [[self._field(c, f) for f in fields] for c in page]
        if more and get.get("showResumeKey") == "true":
            last = page[-1]
            lines += [[], [quote(f"{last.urlkey} {self._listed(last)}")]]
        with self._lock:
            self.log["cdx"].append(query)
        return Reply.json(json.dumps(lines))

    def _field(self, capture: Capture, name: str) -> str:
        values = {
            "urlkey": capture.urlkey,
            "timestamp": self._listed(capture),
            "original": capture.original,
            "mimetype": capture.mimetype,
            "statuscode": str(capture.status),
            "digest": hashlib.sha1(capture.reply.body).hexdigest().upper()[:32],
            "length": str(len(capture.reply.body)),
        }
        return values[name]

    def _snapshot(self, path: str) -> Reply:
        match = _SNAPSHOT.match(path)
        if not match:
            return Reply.not_found()
        timestamp, original = match.group("ts"), match.group("url")
        if not re.match(r"^https?://", original):
            original = "http://" + original.lstrip("/")
        found = [c for c in self.index if c.original == original]
        if not found:
            return Reply.html("<html><body><p>Hrm. The Wayback Machine has not archived that URL.</p></body></html>",
                              status=404)  # fmt: skip
        exact = [c for c in found if c.timestamp == timestamp]
        mod = match.group("mod") or ""
        if not exact:
            wanted = timestamp.ljust(14, "0")
            nearest = min(found, key=lambda c: abs(_seconds(c.timestamp) - _seconds(wanted)))
            return Reply.redirect(self.url(f"/web/{nearest.timestamp}{mod}/{original}"), status=302)
        capture = exact[0]
        with self._lock:
            self.log["banners" if mod != "id_" else "snapshots"] += 1
        headers = [(n, v) for n, v in capture.reply.headers if n.lower() in ("content-type", "location")]
        headers.append(("Memento-Datetime", datetime.strptime(timestamp, "%Y%m%d%H%M%S").strftime(
            "%a, %d %b %Y %H:%M:%S GMT")))  # fmt: skip
        if mod == "id_" or not _content_type(capture.reply).startswith("text/html"):
            return Reply(capture.status, capture.reply.body, headers)
        body = self._with_chrome(capture.reply.body.decode("utf-8", "replace"), original, timestamp)
        return Reply(capture.status, body.encode("utf-8"), [("Content-Type", "text/html; charset=utf-8")])

    def _with_chrome(self, html: str, original: str, timestamp: str) -> str:
        """The toolbar, the archive's scripts, and every link rewritten into the archive."""

        def rewrite(match: re.Match[str]) -> str:
            target = urljoin(original, match.group(1))
            if not re.match(r"^https?://", target):
                return match.group(0)
            return match.group(0).replace(match.group(1), f"/web/{timestamp}/{target}")

        html = _LINK.sub(rewrite, html)
        html = re.sub(
            r"(<head[^>]*>)", lambda m: m.group(1) + "\n" + HEAD.format(base=self.base_url), html, count=1
        )
        toolbar = TOOLBAR.format(count=len(self.captures.get(original, [])), ts=timestamp, url=original)
        return re.sub(r"(<body[^>]*>)", lambda m: m.group(1) + toolbar, html, count=1)


# ---------------------------------------------------------------------------------
# Helpers


def crawl(site: FixtureSite) -> list[tuple[str, Reply]]:
    """Every URL of ``site``'s host reachable from its root, breadth first, with its answer."""
    origin = site.base_url
    seen: dict[str, Reply] = {}
    queue = deque([origin + "/"])
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        parts = urlsplit(url)
        reply = site.handle((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), {})
        seen[url] = reply
        if reply.status in REDIRECTS:
            location = dict((n.lower(), v) for n, v in reply.headers).get("location", "")
            targets = [location]
        elif _content_type(reply).startswith(
            ("text/html", "application/atom", "application/rss", "text/xml")
        ):
            targets = _LINK.findall(reply.body.decode("utf-8", "replace"))
        else:
            targets = []
        for target in targets:
            absolute = urljoin(url, target.replace("&amp;", "&")).split("#", 1)[0]
            if absolute.startswith(origin + "/") and absolute not in seen:
                queue.append(absolute)
    return list(seen.items())


def _content_type(reply: Reply) -> str:
    return next((v for n, v in reply.headers if n.lower() == "content-type"), "").lower()


def _hash(text: str) -> int:
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16)


def _seconds(timestamp: str) -> float:
    return datetime.strptime(timestamp, "%Y%m%d%H%M%S").timestamp()


def _passes(capture: Capture, rule: str, listed: str) -> bool:
    negate = rule.startswith("!")
    name, _, pattern = rule.lstrip("!").partition(":")
    value = {"statuscode": str(capture.status), "mimetype": capture.mimetype, "original": capture.original,
             "urlkey": capture.urlkey, "timestamp": listed}.get(name, "")  # fmt: skip
    return bool(re.fullmatch(pattern, value)) != negate


def make_site(**options: Any) -> WaybackSite:
    return WaybackSite(**options)

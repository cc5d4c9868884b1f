"""Spider-trap guards: URLs no real blog has, chains of pages with nothing new, a page budget per blog.

Blogs grow endless URL spaces: calendars that page forward and back through empty months,
"next" links past the last archive page, session ids in every link, query strings that
grow at each hop. A crawl must end on them anyway; each guard names a reason that the
spider counts as ``blogarchive/traps/<reason>``.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.parsers.base import Link, LinkKind
from crawler.urls import canonicalize

logger = logging.getLogger(__name__)

FIRST_BLOG_YEAR = 1994  # before any blog platform
MAX_QUERY_PARAMS = 12
MAX_URL_LENGTH = 2000
MAX_PATH_SEGMENTS = 24
# A year/month(/day) pair of path segments: /2008/03/, /archive/2011/3, /2008/03/27/...
DATE_PATH = re.compile(r"/(\d{4})/(\d{1,2})(?:/(\d{1,2}))?(?=/|$|\.|-)")
DATE_VALUE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?")
# The same run of path segments three times in a row: /a/b/a/b/a/b (relative-link loops).
REPEATING_PATH = re.compile(r"((?:/[^/]+)+?)\1\1(?=/|$)")
SESSION_PARAM = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.I)
SESSION_KEYS = frozenset({"sid", "sessionid", "session_id", "phpsessid", "jsessionid", "oscsid", "cfid",
                          "cftoken", "zenid", "xtcsid"})  # fmt: skip
SESSION_VALUE = re.compile(r"^[0-9a-f]{26,64}$", re.I)  # ?s=<md5> and the like


def date_out_of_range(url: str, this_year: int) -> bool:
    """True for a calendar/archive URL no blog can have: year before 1994 or after next year, month 13..."""
    parts = urlsplit(url)
    dates = [m.groups() for m in DATE_PATH.finditer(parts.path)]
    dates += [m.groups() for _, v in parse_qsl(parts.query) if (m := DATE_VALUE.match(v))]
    for year, month, day in dates:
        if not FIRST_BLOG_YEAR <= int(year) <= this_year + 1 or not 1 <= int(month) <= 12:
            return True
        if day is not None and not 1 <= int(day) <= 31:
            return True
    return False


def trap_reason(url: str, this_year: int) -> str | None:
    """Why ``url`` looks like a trap rather than a page of a blog; None when it looks fine."""
    if len(url) > MAX_URL_LENGTH:
        return "url_too_long"
    parts = urlsplit(url)
    if parts.path.count("/") > MAX_PATH_SEGMENTS or REPEATING_PATH.search(parts.path):
        return "repeating_path"
    keys = [k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
    if len(keys) > MAX_QUERY_PARAMS or len(keys) != len(set(keys)):
        return "query_explosion"
    if date_out_of_range(url, this_year):
        return "date_out_of_range"
    return None


def strip_session(url: str) -> str:
    """``url`` without session ids (``;jsessionid=``, ``?sid=``, ``?s=<hash>``...): one URL per page."""
    parts = urlsplit(url)
    path = SESSION_PARAM.sub("", parts.path)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not _is_session(k, v)]
    if path == parts.path and len(kept) == len(pairs):
        return url
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(kept), parts.fragment))


def _is_session(key: str, value: str) -> bool:
    key = key.lower()
    return key in SESSION_KEYS or (key == "s" and bool(SESSION_VALUE.match(value)))


def barren_depth(productive: bool, parent: int) -> int:
    """Pages in a row that brought nothing new, counting this one."""
    return 0 if productive else parent + 1


def productive(kind: LinkKind, rows: list[dict[str, Any]], links: list[Link], scheduled: set[str],
               requested: set[str]) -> bool:  # fmt: skip
    """Did the page bring something new: a post (on a permalink), or posts not yet scheduled?"""
    if kind in (LinkKind.POST, LinkKind.COMMENTS):
        return bool(rows)
    if any(row["id"] not in scheduled for row in rows):
        return True
    new = (link for link in links if link.kind is LinkKind.POST)
    return any(canonicalize(link.url) not in requested for link in new)


def blog_key(url: str) -> str:
    """host:port of ``url``: the unit of the page budget."""
    return urlsplit(url).netloc.lower()


@dataclass
class TrapGuard:
    """The crawl's trap state: links let through per blog, and which traps were already logged."""

    this_year: int
    max_pages_per_blog: int = 0  # 0: no budget
    max_barren: int = 0  # 0: no limit
    passed: set[str] = field(default_factory=set)  # links let through once: their repeats pass at once
    pages: Counter[str] = field(default_factory=Counter)  # distinct links let through, per blog
    # Canonical URL -> pages in a row with nothing new before it (only the links of such pages).
    depth: dict[str, int] = field(default_factory=dict)
    logged: set[tuple[str, str]] = field(default_factory=set)

    def check(self, url: str, barren: int) -> str | None:
        """The reason not to follow ``url`` found after ``barren`` pages with nothing new, or None.

        A link let through counts once against its blog's page budget, so the budget bounds
        the requests a blog can cause, however many pages link the same URLs.
        """
        if url in self.passed:
            return None
        reason = trap_reason(url, self.this_year)
        if reason:
            return reason
        if self.max_barren and barren > self.max_barren:
            return "barren_chain"
        key = blog_key(url)
        if self.max_pages_per_blog and self.pages[key] >= self.max_pages_per_blog:
            return "page_budget"
        self.passed.add(url)
        self.pages[key] += 1
        return None

    def first(self, reason: str, url: str) -> bool:
        """True the first time ``reason`` stops a link of this blog (log it once, count it always)."""
        key = (reason, blog_key(url))
        if key in self.logged:
            return False
        self.logged.add(key)
        return True

    def follow(self, links: list[Link], asked: str, page: str, new: bool, requested: set[str],
               count: Callable[[str], None]) -> list[Link]:  # fmt: skip
        """The links of a page worth following, session ids dropped: trap URLs, chains of pages with
        nothing new and blogs over their page budget are cut, each reason passed to ``count``.

        ``asked`` is the canonical URL the page was asked as, ``page`` its URL, ``new`` whether it
        brought something new, ``requested`` the canonical URLs already asked for.
        """
        depth = barren_depth(new, self.depth.pop(asked, 0))
        kept = []
        for link in links:
            if ";" in link.url or "?" in link.url:
                clean = strip_session(link.url)
                if clean != link.url:
                    count("session_id_dropped")
                    link = dataclasses.replace(link, url=clean)
            reason = self.check(link.url, depth)
            if reason:
                count(reason)
                log = logger.warning if self.first(reason, link.url) else logger.debug
                log("trap (%s), not followed: %s (found on %s)", reason, link.url, page)
                continue
            if depth:
                key = canonicalize(link.url)
                if key not in requested:
                    self.depth.setdefault(key, depth)
            kept.append(link)
        return kept

"""Listing pages held back while a blog's feed may enumerate every post.

On a Blogger or Tumblr blog the feed names every post and says how many there are
(``openSearch:totalResults``, ``posts-total``); month archives, "older posts" and tag pages
then only find the same posts again (on a Blogger-like blog, half of the requests). A
feed can be truncated, so the listings are held, not dropped: while any feed page of the
blog is pending its listing links wait here; once the feed pages have given as many
distinct posts as the feed declares, the held and later listings are not fetched; if the
feed ends short of its total, declares none (an RSS feed of recent posts), or fails, every
held listing is released and later ones go out at once, as without a feed.

A crawl that stops with listings held loses nothing: every run enumerates its blogs again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from crawler.parsers.base import Link


@dataclass
class _Enumeration:
    """What one blog's feed has said so far."""

    pending: int = 0  # feed requests asked for and not yet parsed or failed
    declared: int | None = None  # the most posts a feed page said the blog holds
    found: set[str] = field(default_factory=set)  # post URLs of the pages that declared a total
    complete: bool = False  # the feed gave as many posts as it declares
    held: list[tuple[Link, str]] = field(default_factory=list)  # (listing link, platform)


class ListingGate:
    """Per-blog feed accounting that says whether a listing link is fetched, held or skipped."""

    def __init__(self, skipped: Callable[[int], None]) -> None:
        self._blogs: dict[str, _Enumeration] = {}
        self._skipped = skipped  # told how many listing links are not fetched: their feed gave every post

    def feed_requested(self, blog: str | None) -> None:
        """A feed request of ``blog`` was made: its listings wait for it."""
        if blog is not None:
            self._blogs.setdefault(blog, _Enumeration()).pending += 1

    def hold(self, blog: str | None, link: Link, platform: str) -> bool:
        """True when the listing ``link`` is not to be requested now (held, or not needed at all)."""
        state = self._blogs.get(blog) if blog is not None else None
        if state is None:
            return False
        if state.complete:
            self._skipped(1)
            return True
        state.held.append((link, platform))
        return True

    def feed_parsed(
        self, blog: str | None, declared: int | None, posts: Iterable[str]
    ) -> list[tuple[Link, str]]:
        """A feed page of ``blog`` was parsed (after the feed pages it names were requested):
        the held listings to request now, if the feed turned out not to give every post."""
        state = self._blogs.get(blog) if blog is not None else None
        if blog is None or state is None:
            return []
        state.pending -= 1
        if declared is not None and not state.complete:
            state.declared = max(declared, state.declared or 0)
            state.found.update(posts)
        return self._settle(blog, state)

    def feed_failed(self, blog: str | None) -> list[tuple[Link, str]]:
        """A feed request of ``blog`` ended without a page: the held listings to request now."""
        state = self._blogs.get(blog) if blog is not None else None
        if blog is None or state is None or state.complete:
            return []
        return self._release(blog, state)

    def _settle(self, blog: str, state: _Enumeration) -> list[tuple[Link, str]]:
        if state.complete:
            return []
        if state.declared is not None and len(state.found) >= state.declared:
            # Only the verdict stays (later listing links are skipped): memory as BlogBook's seed set.
            self._skipped(len(state.held))
            self._blogs[blog] = _Enumeration(complete=True)
            return []
        return self._release(blog, state) if state.pending <= 0 else []

    def _release(self, blog: str, state: _Enumeration) -> list[tuple[Link, str]]:
        """The feed does not give every post: the blog is enumerated as if it had none."""
        del self._blogs[blog]
        return state.held

    def drain(self) -> list[tuple[str, Link, str]]:
        """Every held listing, released: ``(blog, link, platform)`` (the crawl is idle, so a feed
        request ended without its callback or errback saying so: nothing is left waiting)."""
        held = [
            (blog, link, platform) for blog, state in self._blogs.items() for link, platform in state.held
        ]
        self._blogs = {blog: state for blog, state in self._blogs.items() if state.complete}
        return held


@dataclass
class _Archive:
    """One blog's month archives (the index and the months it names) while they are read."""

    pending: int = 0  # its month listing requests asked for and not yet answered
    held: list[tuple[Link, str]] = field(default_factory=list)  # (redundant listing link, platform)


class ArchiveGate:
    """Redundant listings (home page N, tags, categories) held while a blog's month archives are read.

    On a Canalblog or Typepad blog the archive index names every month and each month's page
    lists all of its posts, so the other listings only find the same posts again (on the bench's
    seed list, a third of such blogs' listing requests). They are held, not dropped: once every
    month listing asked for has answered with a page, the held and later redundant listings are
    not fetched; if one failed (a missing archive index, a 404 month, an empty or walled page),
    every held one is released and later ones go out at once, as before. Parsers mark them
    (``Link.redundant``); other platforms' listings are never held here.
    """

    def __init__(self, skipped: Callable[[int], None]) -> None:
        self._reading: dict[str, _Archive] = {}
        self._complete: set[str] = set()  # blogs whose month listings all answered
        self._released: set[str] = set()  # blogs whose archive failed: enumerated as before
        self._skipped = skipped  # told how many redundant listing links are not fetched

    def requested(self, blog: str | None) -> bool:
        """A month listing of ``blog`` is asked for: True when its answer is to be told."""
        if blog is None or blog in self._complete or blog in self._released:
            return False
        self._reading.setdefault(blog, _Archive()).pending += 1
        return True

    def hold(self, blog: str | None, link: Link, platform: str) -> bool:
        """True when the redundant listing ``link`` is not to be requested now (held, or not needed)."""
        if not link.redundant or blog is None or blog in self._released:
            return False
        if blog in self._complete:
            self._skipped(1)
        else:
            self._reading.setdefault(blog, _Archive()).held.append((link, platform))
        return True

    def answered(self, blog: str | None, ok: bool) -> list[tuple[Link, str]]:
        """A month listing of ``blog`` answered (``ok``: with a page that gave posts or links):
        the held redundant listings to request now, if the archive turned out incomplete."""
        state = self._reading.get(blog) if blog is not None else None
        if blog is None or state is None:
            return []
        state.pending -= 1
        if not ok:
            del self._reading[blog]
            self._released.add(blog)
            return state.held
        if state.pending <= 0:
            del self._reading[blog]
            self._complete.add(blog)
            self._skipped(len(state.held))
        return []

    def drain(self) -> list[tuple[str, Link, str]]:
        """Every held redundant listing, released (the crawl is idle, so a month listing request
        ended without its callback or errback saying so: its archive is not known complete)."""
        held = [
            (blog, link, platform) for blog, state in self._reading.items() for link, platform in state.held
        ]
        self._released.update(self._reading)
        self._reading = {}
        return held

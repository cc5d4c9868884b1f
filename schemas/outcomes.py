"""Page outcomes: why a fetched page gave no post row (counted under ``blogarchive/outcome/<slug>``).

A str enum: an outcome compares equal to its slug, the one that stats, logs and
``blogs.jsonl`` hold, and parsers may still name one by its slug.
"""

from __future__ import annotations

import enum


class PageOutcome(str, enum.Enum):
    # The blog itself cannot be read live (see ``gone``).
    BLOG_GONE = "blog_gone"  # deleted, suspended, or never existed at this address
    LOGIN_WALL = "login_wall"  # readers must sign in (invited readers only, a private Tumblr)
    CHALLENGE = "challenge"  # a bot challenge stands where the blog was
    # The page is not content.
    CONSENT_WALL = "consent_wall"  # a privacy consent interstitial
    CONTENT_WARNING = "content_warning"  # an adult-content interstitial
    NOT_FOUND = "not_found"  # the platform's "no such page in this blog"
    DYNAMIC_VIEWS = "dynamic_views"  # rendered by JavaScript: the feeds give the posts
    NOT_A_POST = "not_a_post"  # a post URL whose page holds no post
    NOT_A_FEED = "not_a_feed"
    BAD_FEED = "bad_feed"  # a feed that does not parse
    EMPTY = "empty"  # no body at all
    UNPARSABLE = "unparsable"
    # API answers (Tumblr).
    API_UNAUTHORIZED = "api_unauthorized"
    API_RATE_LIMITED = "api_rate_limited"
    API_ERROR = "api_error"
    # Discovery pages, expected to hold no post (see ``discovery``).
    LINKS_ONLY = "links_only"  # links to follow, no post (an archive index)
    NO_POSTS = "no_posts"  # nothing at all (the feed page past the last post)
    # The parse itself.
    BINARY_CONTENT = "binary_content"  # not text: an image or an archive at a page's URL
    UNSUPPORTED_PLATFORM = "unsupported_platform"
    PARSER_ERROR = "parser_error"  # the parser raised: the page stays in the WARC
    WORKER_CRASH = "worker_crash"  # the parse worker died (a crash in C code)

    @property
    def gone(self) -> bool:
        """A home page with this outcome means the blog cannot be read live: it is recorded dead."""
        return self in _GONE

    @property
    def archive_fallback(self) -> bool:
        """A dead blog the Wayback Machine is asked for (``BLOGARCHIVE_WAYBACK_FALLBACK``); not a
        login wall, which the author (or the platform) put up to keep the public out."""
        return self.gone and self is not PageOutcome.LOGIN_WALL

    @property
    def discovery(self) -> bool:
        """A page for discovery that holds no post: expected, logged at INFO, not WARNING."""
        return self in (PageOutcome.LINKS_ONLY, PageOutcome.NO_POSTS)


_GONE = frozenset({PageOutcome.BLOG_GONE, PageOutcome.LOGIN_WALL, PageOutcome.CHALLENGE})
GONE = frozenset(o.value for o in PageOutcome if o.gone)
FALLBACK_OUTCOMES = frozenset(o.value for o in PageOutcome if o.archive_fallback)
DISCOVERY_OUTCOMES = frozenset(o.value for o in PageOutcome if o.discovery)

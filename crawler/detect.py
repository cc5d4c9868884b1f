"""Which platform serves a blog: from the host, else from the HTML (custom domains).

Each parser module says how its platform is recognised (``HOST_PATTERN``, ``OWN_SITES``,
``HTML_MARKERS``): a new platform adds them there, nothing here.
"""

from __future__ import annotations

from functools import lru_cache
from types import ModuleType
from urllib.parse import urlsplit

from crawler.parsers import PLATFORMS, get_parser
from crawler.urls import canonical_host


@lru_cache(maxsize=1)
def _parsers() -> tuple[tuple[str, ModuleType], ...]:
    return tuple((platform, get_parser(platform)) for platform in PLATFORMS)


def detect_from_url(url: str) -> str | None:
    """The platform of a platform-hosted URL (``x.blogspot.fr`` -> blogspot); None otherwise."""
    try:
        host = canonical_host(urlsplit(url).hostname or "")
    except ValueError:
        return None
    parsers = _parsers()
    if any(host in parser.OWN_SITES for _, parser in parsers):
        return None  # the platforms' own sites, not blogs
    return next((platform for platform, parser in parsers if parser.HOST_PATTERN.search(host)), None)


def detect_from_html(html: str) -> str | None:
    """The platform whose markers appear in ``html`` (first ~200 KB); None when unknown."""
    head = html[:200_000]
    parsers = _parsers()
    for platform, parser in parsers:
        if parser.HTML_MARKERS[0].search(head):
            return platform
    scores = {
        platform: sum(bool(m.search(head)) for m in parser.HTML_MARKERS) for platform, parser in parsers
    }
    best = max(scores, key=lambda p: scores[p])
    return best if scores[best] else None


def detect(url: str, html: str | None = None) -> str | None:
    """Host first, then the page's markup."""
    return detect_from_url(url) or (detect_from_html(html) if html else None)

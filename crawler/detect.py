"""Which platform serves a blog: from the host, else from the HTML (custom domains)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from crawler.urls import canonical_host

HOST_PATTERNS: dict[str, re.Pattern[str]] = {
    "blogspot": re.compile(r"(^|\.)blogspot\.[a-z.]+$|(^|\.)blogger\.com$"),
    "canalblog": re.compile(r"(^|\.)canalblog\.com$"),
    "typepad": re.compile(r"(^|\.)typepad\.(com|fr|jp)$|(^|\.)blogs\.com$"),
    "tumblr": re.compile(r"(^|\.)tumblr\.com$"),
}

# Markers in the HTML of any page of the blog, strongest first; each is a regex on the
# first ~200 KB of the page. Selectors-as-data: a new template adds a line here.
HTML_MARKERS: dict[str, tuple[re.Pattern[str], ...]] = {
    "blogspot": (
        re.compile(r"<meta[^>]+content=['\"]blogger['\"][^>]+name=['\"]generator['\"]", re.I),
        re.compile(r"<meta[^>]+name=['\"]generator['\"][^>]+content=['\"]blogger['\"]", re.I),
        re.compile(r"www\.blogger\.com/(feeds/\d+|rsd\.g\?blogID=|static/v1/)", re.I),
        re.compile(r"_WidgetManager\._Init\(", re.I),
    ),
    "canalblog": (
        re.compile(r"<meta[^>]+name=['\"]generator['\"][^>]+content=['\"]canalblog", re.I),
        re.compile(r"<meta[^>]+content=['\"]canalblog[^>]+name=['\"]generator['\"]", re.I),
        re.compile(r"(static|storage|stats)\.canalblog\.com", re.I),
        re.compile(r"var\s+CBVARS\s*=", re.I),
    ),
    "typepad": (
        re.compile(r"<meta[^>]+name=['\"]generator['\"][^>]+content=['\"][^'\"]*typepad", re.I),
        re.compile(
            r"(static\.typepad\.com|typepad\.com/services/|profile\.typepad\.com|TPConnect|Typepad\.set)",
            re.I,
        ),
        re.compile(
            r"/\.a/6a[0-9a-f]{30,}|/\.services/blog/6a[0-9a-f]{30,}|id=['\"]entry-6a[0-9a-f]{30,}", re.I
        ),
        re.compile(
            r"typepad\s+(?:has\s+(?:closed|shut\s+down)|is\s+no\s+longer\s+available)", re.I
        ),  # the 2025 shutdown notice
    ),
    "tumblr": (
        re.compile(r"<meta[^>]+content=['\"]tumblr-feed:", re.I),
        re.compile(r"<meta[^>]+property=['\"]al:ios:app_name['\"][^>]+content=['\"]Tumblr['\"]", re.I),
        re.compile(r"(assets|static)\.tumblr\.com|\d+\.media\.tumblr\.com", re.I),
    ),
}


def detect_from_url(url: str) -> str | None:
    """The platform of a platform-hosted URL (``x.blogspot.fr`` -> blogspot); None otherwise."""
    try:
        host = canonical_host(urlsplit(url).hostname or "")
    except ValueError:
        return None
    if host in {"www.tumblr.com", "www.blogger.com", "www.typepad.com", "www.canalblog.com"}:
        return None  # the platforms' own sites, not blogs
    for platform, pattern in HOST_PATTERNS.items():
        if pattern.search(host):
            return platform
    return None


def detect_from_html(html: str) -> str | None:
    """The platform whose markers appear in ``html`` (first ~200 KB); None when unknown."""
    head = html[:200_000]
    for platform, markers in HTML_MARKERS.items():
        if any(marker.search(head) for marker in markers[:1]):
            return platform
    scores = {p: sum(bool(m.search(head)) for m in markers) for p, markers in HTML_MARKERS.items()}
    best = max(scores, key=lambda p: scores[p])
    return best if scores[best] else None


def detect(url: str, html: str | None = None) -> str | None:
    """Host first, then the page's markup."""
    return detect_from_url(url) or (detect_from_html(html) if html else None)

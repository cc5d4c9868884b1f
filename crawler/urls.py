"""URL canonicalization and safety checks shared by every platform."""

from __future__ import annotations

import hashlib
import ipaddress
import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

# Query parameters that never change what a post page shows.
TRACKING_PARAMS = frozenset(
    {"m", "utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "utm_name", "fbclid", "gclid",
     "ref", "source", "sessionid", "sid", "phpsessid", "jsessionid", "showcomment", "_escaped_fragment_", "spref"}
)  # fmt: skip
# A blog's country domains and its ``www.`` alias (Blogger redirects www.name.blogspot.com to the name's own host;
# some blogs' templates still write their permalinks with it).
_BLOGSPOT_CC = re.compile(r"^(?:www\.)?(?P<name>[^.]+)\.blogspot\.[a-z]{2,3}(?:\.[a-z]{2})?$", re.I)
ALLOWED_SCHEMES = ("http", "https")


@lru_cache(maxsize=1 << 14)  # asked of every link of every page: the same URLs again and again
def is_http_url(url: str) -> bool:
    """True for absolute http(s) URLs with a host; everything else is never followed."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is no number: junk, never followed
    except ValueError:
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(parts.hostname)


def query_params(url: str) -> dict[str, str]:
    """A URL's query parameters (the last of a repeated name), read from the URL as written: a link with a
    torn host (``http://[g/…``, which ``urlsplit`` refuses) still has its query, and a parser never raises on it."""
    return dict(parse_qsl(url.partition("#")[0].partition("?")[2]))


def on_private_network(url: str) -> bool:
    """True when ``url``'s host is ``localhost`` or an IP literal of a private, loopback, link-local
    or reserved network (10.x, 127.x, 169.254.169.254, ::1, fc00::/7...): never a public blog."""
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    return is_ip_literal(host) and private_address(host)


def is_ip_literal(host: str) -> bool:
    """True when ``host`` is an IPv4 or IPv6 address, not a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def private_address(address: str) -> bool:
    """True for an IP address of a private, loopback, link-local or reserved network (no public blog's)."""
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global


def canonical_host(host: str) -> str:
    """Lower-case host; Blogger's country domains (blogspot.fr, .co.uk...) and ``www.`` alias become
    ``<name>.blogspot.com``."""
    host = host.lower().rstrip(".")
    match = _BLOGSPOT_CC.match(host)
    if match and (host.startswith("www.") or not host.endswith(".blogspot.com")):
        return f"{match.group('name')}.blogspot.com"
    return host


# Pages link the same URLs over and over (sidebars, listings): a crawl canonicalizes each
# link it meets, so repeats come from the cache (0.2 us instead of ~70 us).
@lru_cache(maxsize=1 << 14)
def canonicalize(url: str, *, keep_params: frozenset[str] | None = None) -> str:
    """The canonical form of a post or blog URL.

    Lower-cased scheme and host, Blogger country domains folded, default port dropped,
    fragment and tracking parameters (``?m=1``, ``utm_*``, ``showComment``...) removed,
    remaining parameters sorted. ``http`` and ``https`` are kept apart only by nothing:
    archives of the 2000s are ``http``, so the scheme is normalized to ``https`` only
    when the host is a known platform host that serves https. A URL too broken to parse
    (a port that is no number, a torn IPv6 literal) comes back as it is: it is never
    followed (:func:`is_http_url` says no), and a parser must not fail on it.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    host = canonical_host(parts.hostname or "")
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    if ":" in host and not host.startswith("["):  # IPv6 literal
        netloc = f"[{host}]" if port in (None, 80, 443) else f"[{host}]:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS or (keep_params and k in keep_params)
    ]
    scheme = parts.scheme.lower() or "http"
    if port in (None, 80, 443) and _is_platform_host(host):
        scheme = "https"
    path = parts.path or "/"
    rebuilt = urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))
    return canonicalize_url(rebuilt, keep_fragments=False)


# A post's anchor on a page that shows several posts and gives none of them a page of its own
# (classic Blogger with post pages off: "2006_04_09_archive.html#114461560420623161").
_POST_ANCHOR = re.compile(r"^\d{6,}$")


def post_url(url: str) -> str:
    """A post row's URL: :func:`canonicalize`, keeping a fragment that is a post's numeric anchor
    (the permalink of a post without a page of its own); two such posts of one page stay two rows."""
    fragment = url.partition("#")[2]
    canonical = canonicalize(url)
    return f"{canonical}#{fragment}" if _POST_ANCHOR.match(fragment) else canonical


def _is_platform_host(host: str) -> bool:
    return host.endswith((".blogspot.com", ".canalblog.com", ".typepad.com", ".tumblr.com"))


SECRET_PARAMS = frozenset(
    {"api_key", "apikey", "key", "token", "access_token", "oauth_token", "client_secret"}
)


def redact_secrets(url: str) -> str:
    """``url`` with the values of credential parameters (``api_key=``...) replaced by ``REDACTED``."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    query = parse_qsl(parts.query, keep_blank_values=True)
    if not any(k.lower() in SECRET_PARAMS for k, _ in query):
        return url
    query = [(k, "REDACTED" if k.lower() in SECRET_PARAMS else v) for k, v in query]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def post_id(canonical_url: str) -> str:
    """The stable record id: a hash of the canonical post URL, scheme-independent."""
    key = canonical_url.split("://", 1)[-1]
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def same_site(url: str, root: str) -> bool:
    """True when ``url`` is on the blog's host (country domains folded)."""
    try:
        return _site(url) == _site(root)
    except ValueError:
        return False


@lru_cache(maxsize=1 << 14)
def _site(url: str) -> tuple[str, int | None]:
    # Cached: a parser asks for every link of a page against the page's URL, and the
    # sidebar's links are the same on every page.
    parts = urlsplit(url)
    return canonical_host(parts.hostname or ""), parts.port

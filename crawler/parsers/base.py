"""The parser contract: what every platform module returns, and helpers they share.

A platform parser is a module ``crawler.parsers.<platform>`` with pure functions
(HTML/bytes + URL in, dataclasses out; no Scrapy, no network):

- ``seeds(blog_url: str) -> list[Link]``: the first requests of a crawl of that blog
  (feeds, home page, archive index...).
- ``parse(body: str, url: str, kind: LinkKind, follow: bool = True) -> Page``: parse one fetched
  document of the given kind. Never raises on bad input: a page that cannot be understood
  gives ``Page(kind=LinkKind.OTHER)`` with an ``outcome`` slug. Without ``follow`` (a build,
  which follows no link) a parser may skip finding a page's links: then its posts are what
  they are with them, and only a page without posts (whose outcome may rest on its links)
  needs them (see :func:`crawler.capture.parse_document`).
- ``canonical_url(url: str) -> str`` and ``blog_root(url: str) -> str``.
- ``is_post_url(url: str) -> bool``.
- ``HOST_PATTERN`` (a regex on the host), ``OWN_SITES`` (the platform's own hosts, not blogs) and
  ``HTML_MARKERS`` (regexes on a page's HTML, strongest first): how ``crawler.detect`` knows it.
- optional ``stamp_when(when: When) -> When``: how the platform's machine stamps read when the
  generic fallback (``crawler.parsers.generic``) finds one (Blogger: ``:00`` seconds are a minute).

``Page.posts`` holds posts found on the page (one for a permalink page, several for
a home/listing page, many for a feed); ``Page.links`` the URLs to fetch next.
"""

from __future__ import annotations

import enum
import re
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.dates import When


class LinkKind(str, enum.Enum):
    """What a URL is expected to be; the spider routes on it, the parser trusts it."""

    HOME = "home"  # the blog root: a listing that also tells the platform
    LISTING = "listing"  # home page N, archive, tag or category page: discovery only
    FEED = "feed"  # Atom/RSS/JSON feed or API page listing posts
    POST = "post"  # a permalink page: one post
    COMMENTS = "comments"  # a page or feed of comments for one post
    OTHER = "other"


@dataclass(frozen=True)
class Link:
    """A URL to fetch next, with what it is expected to be."""

    url: str
    kind: LinkKind
    # Small JSON-able hints carried to the parse of that URL (e.g. the feed entry of a post).
    hint: dict | None = None
    priority: int = 0
    # A listing whose every post is in a month archive page too (home page N, tag, category):
    # fetched only if the blog's month archives fail (crawler.spiders.listings.ArchiveGate).
    redundant: bool = False


@dataclass
class Comment:
    id: str | None = None
    author: str | None = None
    author_url: str | None = None
    published: datetime | None = None  # tz-aware, UTC
    text: str = ""
    parent_id: str | None = None
    published_local: datetime | None = None  # the wall time shown, when no zone was given

    def set_published(self, when: When | None) -> Comment:
        """Take ``published`` (and the zone-less wall time, if any) from a parsed date."""
        self.published = when.utc if when else None
        self.published_local = when.local if when else None
        return self


@dataclass
class PostPage:
    """A post as a parser sees it, before text extraction and normalization."""

    url: str  # canonical permalink (a post without a page of its own: the page + "#<numeric anchor>")
    blog_url: str
    platform: str
    title: str | None = None
    author: str | None = None
    published: datetime | None = None  # tz-aware, UTC
    updated: datetime | None = None
    published_precision: str | None = None  # "day", "minute" or "second" (crawler.dates.Precision)
    # The wall time as shown when the source gave no zone: re-zoned once the blog's zone is known.
    published_local: datetime | None = None
    utc_offset: int | None = None  # minutes east of UTC that a zoned source stated for ``published``
    body_html: str | None = None  # the post body only (text is extracted from it)
    text: str | None = None  # plain text when the source has no HTML body (e.g. quotes)
    tags: list[str] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    comment_count: int | None = None  # the count the page declares
    media_urls: list[str] = field(default_factory=list)
    blog_title: str | None = None
    post_id: str | None = None  # the platform's own id, when known
    robots: str | None = None  # the page's meta robots content, e.g. "noarchive"
    extra: dict = field(default_factory=dict)  # platform-specific extras (tumblr type, reblog...)

    def set_published(self, when: When | None) -> PostPage:
        """Take ``published`` and what is known of it (precision, zone) from a parsed date."""
        self.published = when.utc if when else None
        self.published_precision = when.precision.value if when else None
        self.published_local = when.local if when else None
        self.utc_offset = when.offset if when else None
        return self


@dataclass
class Page:
    """Everything a parser found in one fetched document."""

    kind: LinkKind
    posts: list[PostPage] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # A slug when the page is not content: "blog_gone", "consent_wall", "login_wall",
    # "not_a_post", "unparsable", "empty"... The spider counts it in the stats.
    outcome: str | None = None
    blog_title: str | None = None
    # How many posts the document says the blog holds (a feed's openSearch:totalResults, Tumblr's
    # posts-total): when its feed pages give that many, the feed enumerated every post.
    declared_posts: int | None = None


# ---------------------------------------------------------------------------------
# Shared helpers

_WS = re.compile(r"\s+")
# An href with a host: "http://h...", "HTTPS://h...", "//h..." (scheme-relative).
ABSOLUTE = re.compile(r"(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//[^/?#]")


def clean_text(value: str | None) -> str | None:
    """Collapse whitespace; ``None`` for empty."""
    if value is None:
        return None
    value = _WS.sub(" ", value).strip()
    return value or None


def to_int(value: object, separators: str = "") -> int | None:
    """An integer from a number, text or bytes (``separators``, e.g. thousands marks, removed first); None if none."""
    if value is None:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    for mark in separators:
        text = text.replace(mark, "")
    try:
        return int(text)
    except ValueError:
        return None


# A closing </body> or </html> before the page's end (a theme's, or a widget's pasted above the theme)
# is ignored by a browser: what follows goes on in the elements still open. libxml2 instead closes them
# all and puts the rest beside <body>, or in a second <html> beside the document's, which root.iter()
# and relative paths never reach (a Blogger post cut from its body and comments, a Tumblr theme lost).
_DOCUMENT_END = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_DOCUMENT_END_BYTES = re.compile(rb"</(?:body|html)\s*>", re.IGNORECASE)


def parse_html(body: str | bytes) -> lxml_html.HtmlElement | None:
    """Parse HTML leniently, as a browser reads on past a stray ``</body>`` or ``</html>``; ``None`` when
    there is nothing to parse."""
    if not body or not body.strip():
        return None
    root = _parse_document(body)
    if root is not None and _ended_early(root):
        # Rare (the tree shows content after the end): parsed again without the end tags.
        cut = _DOCUMENT_END_BYTES.sub(b"", body) if isinstance(body, bytes) else _DOCUMENT_END.sub("", body)
        again = _parse_document(cut)
        return again if again is not None else root
    return root


# lxml.html's parser gives each element its class by a Python method (``HtmlElementClassLookup``),
# run for every element a query returns or a walk meets: 300 calls a post page. The parsers use
# none of the form classes it picks: every element an ``HtmlElement``, found by a lookup in C.
_HTML_PARSER = etree.HTMLParser()
_HTML_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=lxml_html.HtmlElement,
        comment=lxml_html.HtmlComment,
        pi=lxml_html.HtmlProcessingInstruction,
        entity=lxml_html.HtmlEntity,
    )
)


def _parse_document(body: str | bytes) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.document_fromstring(body, parser=_HTML_PARSER)
    except (ValueError, lxml_html.etree.ParserError):
        return None


def _ended_early(root: lxml_html.HtmlElement) -> bool:
    """Whether libxml2 put elements after the document's ``<body>`` or beside its ``<html>`` (comments
    and whitespace after ``</html>`` are no content)."""
    body = root.find("body")
    after = body.itersiblings() if body is not None else iter(())
    return any(isinstance(node.tag, str) for node in after) or any(
        node.tag == "html" for node in root.itersiblings()
    )


def parse_feed_or_html(
    text: str,
    url: str,
    kind: LinkKind,
    feed: Callable[[str, str], Page],
    html: Callable[[lxml_html.HtmlElement], Page],
) -> Page:
    """A feed goes to ``feed``, an HTML page to ``html`` with its tree; no HTML is an ``empty`` page."""
    if kind is LinkKind.FEED:
        return feed(text, url)
    root = parse_html(text)
    if root is None:
        return Page(kind=kind, outcome="empty")
    return html(root)


def absolute(base: str, href: str | None) -> str | None:
    """Resolve ``href`` against ``base``; ``None`` for empty, js: or mailto: links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("javascript:", "mailto:", "#", "data:")):
        return None
    scheme = base.partition(":")[0].lower()
    if scheme in ("http", "https"):
        if ABSOLUTE.match(href):
            return _join_absolute(scheme, href)
        if href.startswith("/"):  # a rooted path: joined as on any page of the site
            return _join(_origin(base), href)
    return _join(base, href)


@lru_cache(maxsize=1 << 10)
def _origin(base: str) -> str:
    # urljoin of a rooted path ("/tagged/x") depends on the base's scheme and host only.
    try:
        parts = urlsplit(base)
    except ValueError:
        return base
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


@lru_cache(maxsize=1 << 14)
def _join(base: str, href: str) -> str | None:
    # A page links the same relative URLs several times (a post's title, date and comments
    # links), and several of its parser's passes resolve them again.
    try:
        return urljoin(base, href)
    except ValueError:
        return None


@lru_cache(maxsize=1 << 14)
def _join_absolute(base_scheme: str, href: str) -> str | None:
    # urljoin of a URL with a host depends on the base's scheme only; the same absolute
    # links (blogrolls, sidebars) come on every page of a blog, so they are joined once.
    try:
        return urljoin(f"{base_scheme}://host/", href)
    except ValueError:
        return None


@lru_cache(maxsize=1024)
def _compiled(expression: str) -> etree.XPath:
    return etree.XPath(expression)


def xpath(node: etree._Element, expression: str) -> list:
    """``node.xpath(expression)`` with the expression compiled once: compiling it is two thirds of
    a query of a small subtree (a comment, an entry), and a page runs a hundred of those."""
    return _compiled(expression)(node)


def node_html(node: lxml_html.HtmlElement) -> str:
    """Serialize an element (with its tail stripped) to an HTML string."""
    return lxml_html.tostring(node, encoding="unicode", with_tail=False)


_XML_SPACE = re.compile(r"[ \t\r\n]+")


def class_tokens(value: str) -> frozenset[str]:
    """The names of a class attribute, split as :func:`has_class` splits them (XML white space only)."""
    return frozenset(_XML_SPACE.split(value))


_CLASS_VALUES = etree.XPath("//@class", smart_strings=False)
# Every link's href as a plain string: a "smart" attribute string makes an element proxy for its
# parent, per link.
PAGE_HREFS = etree.XPath("//a/@href", smart_strings=False)


def with_classes(root: lxml_html.HtmlElement, names: frozenset[str], union: str = "") -> list:
    """What ``//*[has_class(a) or has_class(b)...] | union`` selects, in document order, for a
    fraction of its cost: libxml2 builds strings of every element's class for each test (0.16 ms
    a test on a 20 KB page). Here the page's class attributes are read once as plain strings,
    those naming one of ``names`` picked out, and their elements found by string equality."""
    values = sorted({value for value in _CLASS_VALUES(root) if not names.isdisjoint(class_tokens(value))})
    if not values and not union:
        return []
    return _class_query(len(values), union)(root, **{f"v{i}": value for i, value in enumerate(values)})


@lru_cache(maxsize=64)
def _class_query(count: int, union: str) -> etree.XPath:
    steps = [f"//@class[{' or '.join(f'.=$v{i}' for i in range(count))}]/.."] if count else []
    return etree.XPath(" | ".join([*steps, union] if union else steps))


def has_class(name: str) -> str:
    """XPath predicate: the element's class list contains ``name`` (``class="a name b"``, not ``names``)."""
    # The plain ``contains`` first: libxml2 stops an ``and`` at its first false operand, so the
    # padded, whitespace-normalized copy of ``@class`` is built only for the few candidates.
    return f"(contains(@class, '{name}') and contains(concat(' ', normalize-space(@class), ' '), ' {name} '))"


def by_id(value: str, scope: str = "/") -> str:
    """XPath of the elements whose ``id`` is ``value``, among the page's (``scope`` ``"/"``) or the context
    node's descendants (``""``); predicates may follow. What ``//*[@id=…]`` or ``.//*[@id=…]`` selects, in
    document order, for a fifth of the time: libxml2 reads every element's attributes for ``*[@id=…]``,
    only the attributes named ``id`` for ``descendant::*/@id``."""
    return f"{scope}descendant::*/@id[.='{value}']/parent::*"


def by_class(*names: str, scope: str = "/", element: str = "*") -> str:
    """XPath of the ``element``s whose class list holds one of ``names`` (:func:`has_class`), as :func:`by_id`
    finds them: what ``//element[has_class(a) or has_class(b)…]`` (``.//element[…]``) selects, for a third of
    the time."""
    tests = [f"contains(., '{n}') and contains(concat(' ', normalize-space(.), ' '), ' {n} ')" for n in names]
    return f"{scope}descendant::*/@class[{' or '.join(f'({test})' for test in tests)}]/parent::{element}"


_LOWER_NAME = "translate(@name,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')=$n"
# ``/descendant::meta`` selects what ``//meta`` does, in the same order, in half the time (libxml2
# walks ``//meta[...]`` as descendant-or-self::node()/meta); ``/html/head/meta`` a fifth.
_SCOPES = ("/html/head/meta", "/descendant::meta")
_META_BY_NAME = {scope: etree.XPath(f"{scope}[{_LOWER_NAME}]/@content") for scope in _SCOPES}
_META_BY_PROPERTY = {scope: etree.XPath(f"{scope}[@property=$p]/@content") for scope in _SCOPES}
_STRAY_META = etree.XPath(
    "boolean(/descendant::meta[@name or @property][not(parent::head/parent::html[not(parent::*)])])"
)
# Per parsed page: whether it has a named meta outside <head> (Blogger's and Tumblr's body metas
# are mostly itemprop ones). Parsers only remove nodes from a page, never add any: a cached
# False stays true. Weak: an entry lives as long as the tree.
_STRAY_OF: weakref.WeakKeyDictionary[lxml_html.HtmlElement, bool] = weakref.WeakKeyDictionary()


def _meta_scope(root: lxml_html.HtmlElement) -> str:
    """``/html/head/meta`` when every named meta is there (most pages), else the whole tree."""
    stray = _STRAY_OF.get(root)
    if stray is None:
        stray = _STRAY_OF[root] = bool(_STRAY_META(root))
    return _SCOPES[1] if stray else _SCOPES[0]


def meta_content(
    root: lxml_html.HtmlElement, *, name: str | None = None, prop: str | None = None
) -> str | None:
    """The content of ``<meta name=…>`` or ``<meta property=…>`` (first match)."""
    scope = _meta_scope(root)
    if name is not None:
        found = _META_BY_NAME[scope](root, n=name.lower())
    else:
        found = _META_BY_PROPERTY[scope](root, p=prop)
    return clean_text(found[0]) if found else None


def unique(values: list[str]) -> list[str]:
    """Keep first occurrences, in order, dropping empties."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.add(value)
            out.append(value)
    return out


_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "blockquote",
        "pre",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "hr",
        "dd",
        "dt",
    }
)


def element_text(node: lxml_html.HtmlElement | None) -> str:
    """The text of an element with line breaks at ``<br>`` and block boundaries.

    For short fragments (comments, quotes) where trafilatura's page scoring would be
    overkill; scripts and styles are skipped.
    """
    if node is None:
        return ""
    parts: list[str] = []

    def walk(el: lxml_html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in ("script", "style", "noscript"):
            if el.tail:
                parts.append(el.tail)
            return
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
        if tag in _BLOCK_TAGS:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    if node.text:
        parts.append(node.text)
    for child in node:
        walk(child)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def post_to_hint(post: PostPage) -> dict:
    """A feed entry's metadata as a small JSON-able dict, carried to its permalink's parse."""
    return {
        "url": post.url,
        "title": post.title,
        "author": post.author,
        "published": post.published.isoformat() if post.published else None,
        "published_precision": post.published_precision,
        "published_local": post.published_local.isoformat() if post.published_local else None,
        "utc_offset": post.utc_offset,
        "updated": post.updated.isoformat() if post.updated else None,
        "tags": list(post.tags),
        "comment_count": post.comment_count,
        "post_id": post.post_id,
        "media_urls": list(post.media_urls),
        "extra": dict(post.extra),
    }

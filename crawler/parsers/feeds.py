"""Atom, RSS 2.0 and RSS 1.0 (RDF) feeds read once, for every platform parser.

:func:`read_feed` turns a feed document into plain :class:`FeedEntry` values (link, id,
title, author, dates, tags, body); each platform decides what an entry is worth (which
links are its posts, which dates it trusts) when it makes its ``PostPage`` of one.
Elements are matched by local name, so namespaced (``dc:creator``, ``content:encoded``,
``feedburner:origLink``) and bare spellings read alike. The XML parser resolves no
entities and fetches nothing (no XXE, no DTD over the network).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from crawler.dates import When, iso_when, rfc822_when
from crawler.parsers.base import absolute, clean_text, to_int, unique, xpath

ATOM_NS = "http://www.w3.org/2005/Atom"
# Old feeds open with a DOCTYPE (RSS 0.91's Netscape DTD) or comments before the root element.
FEED_START = re.compile(
    r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*<(?:feed|rss|rdf:RDF)\b",
    re.S | re.I,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ROOTS = frozenset({"feed", "rss", "RDF"})
_PUBLISHED = ("published", "pubDate", "date", "issued", "created")
_UPDATED = ("updated", "modified")
_BODIES = ("content", "encoded", "description", "summary")
_EMAIL_NAME = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]*)\)\s*$")  # RSS <author>: "mail@host (Name)"


@dataclass
class FeedEntry:
    """One ``<entry>`` or ``<item>`` as the feed states it."""

    link: str | None  # the entry's HTML page, absolute
    id: str | None  # <id> or <guid>
    title: str | None
    author: str | None
    published: When | None
    updated: When | None
    body_html: str | None
    tags: list[str] = field(default_factory=list)
    comment_count: int | None = None  # thr:total or slash:comments
    summary_only: bool = False  # the body is an Atom <summary>, not the whole post


@dataclass
class Feed:
    """A feed's own title and HTML page, and its entries in document order."""

    title: str | None
    link: str | None
    entries: list[FeedEntry]


def is_feed(text: str) -> bool:
    """Whether a document opens as an Atom or RSS feed (whatever the URL or content type said)."""
    return bool(FEED_START.match(text[:2000]))


def parse_xml(text: str) -> etree._Element | None:
    """The root element of an XML document, leniently and safely; ``None`` when there is none."""
    body = _XML_DECL.sub("", (text or "").lstrip("\ufeff"), count=1).strip()
    if not body:
        return None
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(body.encode("utf-8"), parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def read_feed(text: str, url: str) -> Feed | None:
    """The feed in ``text`` (fetched from ``url``, which resolves relative links); ``None`` if no feed."""
    doc = parse_xml(text)
    if doc is None or etree.QName(doc).localname not in _ROOTS:
        return None
    channel = _child(doc, "channel")
    head = doc if channel is None else channel
    items = xpath(doc, "//*[local-name()='entry' or local-name()='item']")
    return Feed(
        title=_text(head, "title"),
        link=_link(head, url),
        entries=[_entry(item, url) for item in items],
    )


def _entry(item: etree._Element, url: str) -> FeedEntry:
    body, summary_only = _body(item)
    tags = [c.get("term") or clean_text("".join(c.itertext())) for c in _children(item, "category")]
    return FeedEntry(
        link=_link(item, url),
        id=_text(item, "id") or _text(item, "guid"),
        title=_text(item, "title"),
        author=_author(item),
        published=_date(item, _PUBLISHED),
        updated=_date(item, _UPDATED),
        body_html=body,
        tags=unique([t for t in tags if t]),
        comment_count=to_int(_text(item, "total") or _text(item, "comments")),
        summary_only=summary_only,
    )


def _children(node: etree._Element, name: str) -> list[etree._Element]:
    return xpath(node, f"*[local-name()='{name}']")


def _child(node: etree._Element, name: str) -> etree._Element | None:
    found = _children(node, name)
    return found[0] if found else None


def _text(node: etree._Element, path: str) -> str | None:
    """The whitespace-collapsed text of the first element at ``path`` (``a/b``, by local names)."""
    found = xpath(node, "/".join(f"*[local-name()='{step}']" for step in path.split("/")))
    return clean_text("".join(found[0].itertext())) if found else None


def _link(node: etree._Element, url: str) -> str | None:
    """The HTML page of a feed or entry: FeedBurner's ``origLink``, the alternate link, a permalink guid."""
    original = _text(node, "origLink")
    if original:
        return absolute(url, original)
    for link in _children(node, "link"):
        href = link.get("href")
        if href and link.get("rel", "alternate") == "alternate":
            return absolute(url, href)
        if not href and link.text and link.text.strip():
            return absolute(url, link.text.strip())
    guid = _child(node, "guid")
    if guid is not None and guid.get("isPermaLink", "true") != "false" and guid.text:
        return absolute(url, guid.text.strip())
    return None


def _author(item: etree._Element) -> str | None:
    name = _text(item, "author/name") or _text(item, "creator")
    if name:
        return name
    plain = _text(item, "author")
    email = _EMAIL_NAME.match(plain or "")
    return clean_text(email.group("name")) if email else plain


def _date(item: etree._Element, names: tuple[str, ...]) -> When | None:
    for name in names:
        value = _text(item, name)
        parsed = (iso_when(value) or rfc822_when(value)) if value else None
        if parsed:
            return parsed
    return None


def _body(item: etree._Element) -> tuple[str | None, bool]:
    """The entry's HTML (``content``, ``content:encoded``, ``description``, ``summary``) and
    whether it is only a summary."""
    for name in _BODIES:
        for node in _children(item, name):
            if name == "content" and etree.QName(node).namespace not in (None, ATOM_NS):
                continue  # media:content is a media file, not the post
            if node.get("type") == "xhtml" or len(node):
                html = "".join(etree.tostring(child, encoding="unicode") for child in node)
            else:
                html = node.text if node.text and node.text.strip() else ""
            if html:
                return html, name == "summary"
    return None, False

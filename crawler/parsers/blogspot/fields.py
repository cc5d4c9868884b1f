"""A Blogger post's own fields, read from its block: date, author, title, labels, permalink, id, media."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

from lxml import html as lxml_html

from crawler.dates import parse_iso
from crawler.parsers.base import absolute, clean_text, unique, xpath
from crawler.parsers.blogspot.markup import AUTHOR_PREFIX, AUTHOR_TIME_TAIL, CLASSIC_AUTHOR_END, SELECTORS
from crawler.parsers.blogspot.urls import ARCHIVE_PATH, canonical_url, is_post_url
from crawler.urls import is_http_url, same_site


def heading_title(container: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> str | None:
    """A theme without title classes: the nearest ``h1``-``h3`` of the post's block before its body."""
    for heading in reversed(xpath(body, SELECTORS["heading_title"])):
        if any(ancestor is container for ancestor in heading.iterancestors()):
            return clean_text(heading.text_content())
    return None


def post_title(container: lxml_html.HtmlElement) -> str | None:
    """The title heading's text; a heading that also holds the byline, timestamp or labels gives its link's."""
    for selector in SELECTORS["title"]:
        for node in xpath(container, selector):
            if xpath(node, SELECTORS["title_chrome"]):
                node = next(iter(xpath(node, ".//a[@href][normalize-space()]")), node)
            text = clean_text(node.text_content())
            if text:
                return text
    return None


def post_labels(container: lxml_html.HtmlElement) -> list[str]:
    """The post's labels; a breadcrumb's rel=tag link to the blog's home ('Back to Home') is none."""
    for selector in SELECTORS["labels"]:
        anchors = [a for a in xpath(container, selector) if not links_home(a.get("href") or "")]
        labels = unique([clean_text(a.text_content()) or "" for a in anchors])
        if labels:
            return labels
    return []


def links_home(href: str) -> bool:
    """True for a link to a blog's root (or no link); a torn URL (``http://[g]/…``) is no such link."""
    try:
        return not urlsplit(href).path.strip("/")
    except ValueError:
        return False


def permalink(container: lxml_html.HtmlElement, url: str) -> str | None:
    for selector in SELECTORS["permalink"]:
        for href in xpath(container, selector):
            link = absolute(url, href)
            if link and is_http_url(link) and is_post_url(link) and same_site(link, url):
                return canonical_url(link)
    return None


def anchor_permalink(container: lxml_html.HtmlElement, url: str) -> str | None:
    """A classic blog without post pages: the post's "permanent link" is the home or date archive
    with the post's own ``<a name="113798825973849551">`` as fragment (``archive.html#<id>``), the
    only address the post has; a fragment that names no anchor of this block is another post's."""
    names = {str(n) for n in xpath(container, SELECTORS["anchor_names"])}
    for href in xpath(container, SELECTORS["anchor_permalink"]) if names else ():
        link = absolute(url, href)
        if not link or not is_http_url(link) or not same_site(link, url):
            continue
        parts = urlsplit(link)
        if parts.fragment in names and (
            parts.path.strip("/") in ("", "index.html") or ARCHIVE_PATH.match(parts.path)
        ):
            return f"{canonical_url(link)}#{parts.fragment}"
    return None


def post_id(container: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> str | None:
    match = re.match(r"post-body-(\d+)$", body.get("id") or "")
    if match:
        return match.group(1)
    for selector in SELECTORS["post_id"]:
        for value in xpath(container, selector):
            if str(value).isdigit():
                return str(value)
    return None


def first_text(container: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> str | None:
    for selector in selectors:
        for node in xpath(container, selector):
            text = clean_text(node.text_content())
            if text:
                return text
    return None


def first_iso(container: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> datetime | None:
    for selector in selectors:
        for value in xpath(container, selector):
            parsed = parse_iso(str(value))
            if parsed is not None:
                return parsed
    return None


def classic_author(container: lxml_html.HtmlElement) -> str | None:
    """A classic template's footer "posted by MJ at <time link>": the name between the phrase and the word before the time."""
    for text in xpath(container, SELECTORS["classic_author"]):
        name = author_name(CLASSIC_AUTHOR_END.sub("", str(text)))
        if name:
            return name
    return None


def author_name(value: str | None) -> str | None:
    return clean_text(AUTHOR_TIME_TAIL.sub("", AUTHOR_PREFIX.sub("", value))) if value else None


def media(body: lxml_html.HtmlElement, url: str) -> list[str]:
    found = (absolute(url, src) for src in xpath(body, SELECTORS["media"]))
    return unique([link for link in found if link and is_http_url(link)])

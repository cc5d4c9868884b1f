"""Typepad comments (classic ``div.comment`` and MT3 ``comments-body``) and trackbacks, which are
links from other blogs and never comments."""

from __future__ import annotations

import copy
import re

from lxml import html as lxml_html

from crawler.dates import When, parse_when
from crawler.parsers.base import (
    Comment,
    absolute,
    by_class,
    clean_text,
    element_text,
    has_class,
    unique,
    xpath,
)
from crawler.parsers.typepad.dates import denumber, numeric_order
from crawler.parsers.typepad.urls import same_host
from crawler.urls import is_http_url

SELECTORS = {
    "comments": f"{by_class('comment', element='div')}[starts-with(@id, 'comment-')]"
    f" | {by_class('comments-body', element='div')}",
    "comment_content": f".//*[{has_class('comment-content')}]",
    "comment_footer": f".//*[{has_class('comment-footer')} or {has_class('comments-post')}]",
    "comment_chrome": f".//*[{has_class('comment-footer')} or {has_class('comments-post')} or {has_class('comment-avatar')}]",
    "in_trackbacks": f"ancestor::*[{has_class('trackbacks')} or {has_class('trackback')}]",
    "trackbacks": f"{by_class('trackback', element='div')} | /descendant::*/@id[starts-with(., 'ping-')]/parent::div",
}
_COMMENT_BY = re.compile(
    r"^\s*(?:posted\s+by|r[ée]dig[ée]\s+par|publi[ée]\s+par|[ée]crit\s+par|comment\s+by)\s*:?\s*", re.I
)


def xid(value: str | None, prefix: str) -> str | None:
    """The id after ``prefix`` in an element id (``comment-123`` -> ``123``)."""
    return value[len(prefix) :] if value and value.startswith(prefix) and len(value) > len(prefix) else None


def comments(root: lxml_html.HtmlElement, url: str, order: str) -> list[Comment]:
    comments = []
    for node in xpath(root, SELECTORS["comments"]):
        if xpath(node, SELECTORS["in_trackbacks"]):
            continue
        footer = xpath(node, SELECTORS["comment_footer"])
        author, author_url, published = _comment_signature(footer[0] if footer else None, url, order)
        comments.append(
            Comment(
                id=xid(node.get("id"), "comment-"),
                author=author,
                author_url=author_url,
                text=_comment_text(node),
            ).set_published(published)
        )
    return comments


def _comment_text(node: lxml_html.HtmlElement) -> str:
    content = xpath(node, SELECTORS["comment_content"])
    if content:
        return element_text(content[0])
    node = copy.deepcopy(node)
    for chrome in xpath(node, SELECTORS["comment_chrome"]):
        chrome.drop_tree()
    return element_text(node)


def _comment_signature(
    footer: lxml_html.HtmlElement | None, url: str, order: str
) -> tuple[str | None, str | None, When | None]:
    """``Posted by: X | January 06, 2008 at 02:22 PM`` / ``Rédigé par : X | 06 jan 2008 à 14:22``."""
    if footer is None:
        return None, None, None
    text = clean_text(element_text(footer).replace("\n", " ")) or ""
    who, bar, when = text.rpartition("|")
    if not bar:
        who, when = text, text
    author = clean_text(_COMMENT_BY.sub("", who).strip(" |"))
    author_url = None
    for link in footer.iter("a"):
        href = absolute(url, link.get("href"))
        if href and is_http_url(href) and "#comment" not in href and "cid=" not in href:
            author_url = href
            break
    comment_order = numeric_order(when, None, order)
    return author, author_url, parse_when(denumber(when, comment_order))


def trackbacks(root: lxml_html.HtmlElement, url: str) -> list[str]:
    """The source URLs of trackbacks (links from other blogs: never comments)."""
    found = []
    for node in xpath(root, SELECTORS["trackbacks"]):
        for href in xpath(node, ".//a/@href"):
            target = absolute(url, href)
            if target and is_http_url(target) and not same_host(target, url):
                found.append(target)
                break
    return unique(found)

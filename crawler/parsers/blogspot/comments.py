"""Blogger comments on a permalink page: threaded (2012+) and classic, and the declared counts."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from crawler.dates import When, epoch_when, parse_when
from crawler.parsers.base import Comment, absolute, clean_text, element_text, to_int, xpath
from crawler.parsers.blogspot.markup import (
    COMMENT_ANCHOR,
    COMMENT_ID,
    COMMENT_SAID,
    SELECTORS,
    SHOW_COMMENT,
    ZERO_COMMENTS,
)
from crawler.urls import is_http_url


def page_comments(root: lxml_html.HtmlElement, url: str) -> list[Comment]:
    """Threaded comments (with reply parents) if any, else the classic dl#comments-block, else a
    ported WordPress theme's list."""
    threaded = [threaded_comment(li, url) for li in xpath(root, SELECTORS["thread_comments"])]
    if threaded:
        return threaded
    classic = [classic_comment(dt, url) for dt in xpath(root, SELECTORS["classic_comments"])]
    if classic:
        return classic
    return [ported_comment(li, url) for li in xpath(root, SELECTORS["ported_comments"])]


def threaded_comment(li: lxml_html.HtmlElement, url: str) -> Comment:
    block = _comment_block(li)
    author = xpath(block, SELECTORS["comment_author"])
    times = xpath(block, SELECTORS["comment_time"])
    texts = xpath(block, SELECTORS["comment_text"])
    parents = xpath(li, SELECTORS["comment_parent"])
    href = times[0].get("href") if times else None
    return Comment(
        id=_thread_id(li, block, href),
        author=clean_text(author[0].text_content()) if author else None,
        author_url=_author_url(author[0], url) if author else None,
        text=element_text(texts[0]) if texts else "",
        parent_id=thread_comment_id(parents[0]) if parents else None,
    ).set_published(_comment_time(href, times[0].text_content() if times else None))


def thread_comment_id(li: lxml_html.HtmlElement) -> str | None:
    """A threaded comment's id: ``li#c<id>``, its block's, else its permalink's ``#c<id>``.

    Some pages number the items ``li#bc_0_5B`` and name the comment only in its permalink.
    """
    block = _comment_block(li)
    times = xpath(block, SELECTORS["comment_time"])
    return _thread_id(li, block, times[0].get("href") if times else None)


def _comment_block(li: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    blocks = xpath(li, SELECTORS["comment_block"])
    return blocks[0] if blocks else li


def _thread_id(li: lxml_html.HtmlElement, block: lxml_html.HtmlElement, href: str | None) -> str | None:
    return _comment_id(li) or _comment_id(block) or _anchor_id(href)


def classic_comment(dt: lxml_html.HtmlElement, url: str) -> Comment:
    bodies = xpath(dt, SELECTORS["classic_body"])
    footers = xpath(dt, SELECTORS["classic_footer"])
    times = xpath(footers[0], SELECTORS["classic_time"]) if footers else []
    href = times[0].get("href") if times else None
    anchors = xpath(dt, ".//a[@name]/@name")
    return Comment(
        id=_comment_id(dt) or (_comment_id_text(anchors[0]) if anchors else None) or _anchor_id(href),
        author=clean_text(COMMENT_SAID.sub("", dt.text_content())),
        author_url=_author_url(dt, url),
        text=element_text(bodies[0]) if bodies else "",
    ).set_published(_comment_time(href, times[0].text_content() if times else None))


def ported_comment(li: lxml_html.HtmlElement, url: str) -> Comment:
    author = xpath(li, SELECTORS["ported_author"])
    times = xpath(li, SELECTORS["ported_time"])
    texts = xpath(li, SELECTORS["ported_text"])
    href = times[0].get("href")  # the selector's condition: there is one
    return Comment(
        id=_comment_id(li) or _anchor_id(href),
        author=clean_text(author[0].text_content()) if author else None,
        author_url=_author_url(author[0], url) if author else None,
        text=element_text(texts[0]) if texts else "",
    ).set_published(_comment_time(href, times[0].text_content()))


def _comment_id(node: lxml_html.HtmlElement) -> str | None:
    return _comment_id_text(node.get("id") or "")


def _comment_id_text(value: str) -> str | None:
    match = COMMENT_ID.match(value)
    return match.group(1) if match else None


def _anchor_id(href: str | None) -> str | None:
    match = COMMENT_ANCHOR.search(href or "")
    return match.group(1) if match else None


def _author_url(node: lxml_html.HtmlElement, url: str) -> str | None:
    for href in xpath(node, ".//a/@href"):
        link = absolute(url, href)
        if link and is_http_url(link):
            return link
    return None


def _comment_time(href: str | None, shown: str | None) -> When | None:
    """``?showComment=<epoch ms>`` is the exact instant; else the date shown (blog time zone)."""
    match = SHOW_COMMENT.search(href or "")
    if match:
        return epoch_when(int(match.group(1)) / 1000)
    return parse_when(shown)


def declared_comment_count(root: lxml_html.HtmlElement) -> int | None:
    """The count a permalink page declares: data-num-comments, else the heading ("3 commentaires :")."""
    for value in xpath(root, SELECTORS["comment_count_attr"]):
        count = to_int(value)
        if count is not None:
            return count
    for heading in xpath(root, SELECTORS["comment_heading"]):
        count = comment_count_text(heading.text_content())
        if count is not None:
            return count
    return None


def listing_count(container: lxml_html.HtmlElement) -> int | None:
    for link in xpath(container, SELECTORS["comment_link"]):
        count = comment_count_text(link.text_content())
        if count is not None:
            return count
    return None


def comment_count_text(text: str | None) -> int | None:
    """ "3 commentaires" -> 3, "Aucun commentaire:" -> 0, "Publier un commentaire" -> None."""
    if not text:
        return None
    number = re.search(r"\d+", text)
    if number:
        return int(number.group())
    return 0 if ZERO_COMMENTS.search(text) else None

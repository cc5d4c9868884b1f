"""Canalblog comments: schema.org ``Comment`` items (2010+ templates) and the legacy
``comment_list``, on a permalink page and on its comment pages (``<id>-p<offset>-<n>.html``)."""

from __future__ import annotations

import re
from copy import deepcopy
from urllib.parse import urlsplit

from lxml import html as lxml_html

from crawler.dates import iso_when, parse_when
from crawler.parsers.base import Comment, absolute, clean_text, element_text, has_class, xpath
from crawler.parsers.canalblog.urls import COMMENTS_PATH

SELECTORS = {
    # Elements reached through their attribute: libxml2 tests ``//*[@a='v']`` on every element
    # several times slower than it lists ``/descendant::*/@a`` (same nodes, same order).
    "comments": "/descendant::*/@itemprop[. = 'comment']/.."
    " | /descendant::*/@id[. = 'comment_list']/../li[not(.//*[@itemprop='comment'])]"
    f"[.//div[{has_class('itemfooter')}]]",
    "footer": f".//div[{has_class('itemfooter')}]",
    "time": f".//*[{has_class('timeago')}]/@title",
    "anchor": ".//a[starts-with(@id, 'c')]/@id",
    "noise": f".//div[{has_class('itemfooter')}] | .//meta | .//*[{has_class('pp-container')}]",
}
COMMENT_AUTHOR = re.compile(r"Post[ée] par\s+(?P<author>.+?),\s*(?:le\s+)?\d{1,2}(?:er)?\s+\S+\s+\d{4}", re.I)


def parse_comments(root: lxml_html.HtmlElement, url: str) -> list[Comment]:
    """The comments shown on a permalink (or comment) page, in page order."""
    return [_comment(node, url) for node in xpath(root, SELECTORS["comments"])]


def _comment(node: lxml_html.HtmlElement, url: str) -> Comment:
    footer = first(xpath(node, SELECTORS["footer"]))
    footer_text = text_of(footer)
    author, author_url = _comment_author(footer, footer_text, url)
    stamp = first(xpath(node, SELECTORS["time"]))
    published = iso_when(stamp) if stamp else None
    body = deepcopy(node)
    for noise in xpath(body, SELECTORS["noise"]):
        noise.drop_tree()
    return Comment(
        id=_comment_id(node),
        author=author,
        author_url=author_url,
        text=element_text(body),  # a comment's own title (h3) stays as its first line
    ).set_published(published or parse_when(footer_text))


def _comment_id(node: lxml_html.HtmlElement) -> str | None:
    # data-cid is the comment; data-pid on the same node is the POST id.
    if node.get("data-cid"):
        return node.get("data-cid")
    for value in (node.get("id") or "", *xpath(node, SELECTORS["anchor"])):
        digits = re.fullmatch(r"(?:comment_|c)(\d+)", value)
        if digits:
            return digits[1]
    return None


def _comment_author(
    footer: lxml_html.HtmlElement | None, text: str, url: str
) -> tuple[str | None, str | None]:
    """The name after "Posté par" and, when that name is a link, its target."""
    match = COMMENT_AUTHOR.search(text)
    name = clean_text(match["author"]) if match else None
    links = xpath(footer, "./a[@href]") if footer is not None else []
    for link in links:
        if name is None or clean_text(link.text_content()) == name:
            return clean_text(link.text_content()), absolute(url, link.get("href"))
    return name, None


def comment_offset(url: str) -> int:
    match = COMMENTS_PATH.match(urlsplit(url).path)
    return int(match[5]) if match else 0


def first(values: list):
    """The first of ``values``, or None."""
    return values[0] if values else None


def text_of(node: lxml_html.HtmlElement | None) -> str:
    """The whitespace-collapsed text of ``node``; '' for none."""
    return (clean_text(" ".join(node.itertext())) or "") if node is not None else ""

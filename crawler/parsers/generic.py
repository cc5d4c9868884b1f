"""The fallback under every platform parser: schema.org, hAtom, Open Graph and ``<article>``.

A theme the platform's selector tables do not know still states its post in one of the
web's common vocabularies: schema.org ``BlogPosting``/``Article`` (JSON-LD or
microdata), hAtom (``hentry``, ``entry-title``, ``entry-content``, ``published``,
``author vcard``), Open Graph ``og:*``/``article:*`` meta, an ``<article>`` element; and
its comments as schema.org ``Comment``, hAtom or the common comment-list markups.
The platform parser stays first: :func:`complete` only fills what it left out, and names
what it filled in the post's ``extra["fallback"]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from copy import deepcopy
from types import ModuleType

from lxml import html as lxml_html

from crawler.dates import When, iso_when, parse_iso, parse_when
from crawler.parsers.base import (
    Comment,
    LinkKind,
    Page,
    PostPage,
    absolute,
    clean_text,
    element_text,
    has_class,
    meta_content,
    node_html,
    parse_html,
    unique,
    xpath,
)


def _has(*classes: str) -> str:
    return "(" + " or ".join(has_class(c) for c in classes) + ")"


POST_TYPES = frozenset({"BlogPosting", "Article", "NewsArticle", "SocialMediaPosting", "Posting", "Report"})
_ITEMTYPE_POST = " or ".join(f"contains(@itemtype, 'schema.org/{t}')" for t in sorted(POST_TYPES))
# Selectors as data, best first; ".//" selectors are relative to the post's node.
SELECTORS = {
    "microdata_post": f"//*[@itemscope][{_ITEMTYPE_POST}]",
    "hentry": f"//*[{_has('hentry', 'h-entry')}]",
    "article": "//article",
    "body": (
        ".//*[@itemprop='articleBody']",
        f".//*[{_has('entry-content', 'e-content', 'post-content', 'post-body', 'entry-body', 'article-body')}]",
    ),
    # Inside a post block read whole (no body class): never text.
    "block_chrome": ".//script | .//style | .//form | .//h1 | .//h2 | .//h3[1] | .//*[@itemprop='headline']"
    f" | .//*[{_has('post-header', 'entry-header', 'post-footer', 'entry-footer', 'entry-meta', 'post-meta')}]"
    f" | .//*[{_has('byline', 'post-labels', 'entry-tags', 'post-share-buttons', 'comments', 'post-author')}]"
    # The date line ("// On :Saturday, May 18, 2013" in span.clock was all the text of komickorra's photo post).
    f" | .//*[{_has('post-timestamp', 'post-date', 'entry-date', 'date-header', 'clock')}]"
    " | .//*[@id='comments'] | .//header | .//footer | .//nav",
    "title": (
        ".//*[@itemprop='headline']",
        f".//*[{_has('entry-title', 'p-name', 'post-title')}]",
        ".//h1",
        ".//h2",
    ),
    "published": (
        ".//*[@itemprop='datePublished']/@content",
        ".//*[@itemprop='datePublished']/@datetime",
        f".//*[{_has('published', 'dt-published')}]/@datetime",
        f".//*[{_has('published', 'dt-published')}]/@title",
        ".//time/@datetime",
    ),
    "author": (
        ".//*[@itemprop='author']//*[@itemprop='name']/@content",
        ".//*[@itemprop='author']//*[@itemprop='name']",
        f".//*[{_has('author', 'p-author')}]//*[{_has('fn', 'p-name')}]",
        ".//*[@itemprop='author']",
        ".//a[@rel='author']",
    ),
    "tags": (".//a[@rel='tag']", ".//*[@itemprop='keywords']/@content"),
    # Comments: schema.org Comment, hAtom/WordPress comment lists.
    "comments": (
        "//*[@itemscope][contains(@itemtype, 'schema.org/Comment')]",
        f"//*[{_has('commentlist', 'comment-list', 'comments-list')}]/li",
        f"//*[@id='comments']//li[{_has('comment')}]",
        f"//*[@id='comments']//*[{_has('comment')}][.//*[{_has('comment-content', 'comment-body')}]]",
    ),
    "comment_author": (
        ".//*[@itemprop='author']//*[@itemprop='name']",
        ".//*[@itemprop='author']",
        f".//*[{_has('comment-author')}]//*[{_has('fn')}]",
        f".//*[{_has('comment-author')}]",
        ".//cite",
    ),
    "comment_time": (
        ".//*[@itemprop='dateCreated']/@content",
        ".//*[@itemprop='dateCreated']/@datetime",
        ".//*[@itemprop='datePublished']/@content",
        ".//*[@itemprop='datePublished']/@datetime",
        ".//time/@datetime",
        f".//abbr[{_has('published')}]/@title",
    ),
    "comment_time_text": (
        f".//*[{_has('comment-meta', 'comment-metadata', 'commentmetadata', 'comment-date')}]",
    ),
    "comment_text": (
        ".//*[@itemprop='text']",
        f".//*[{_has('comment-content', 'comment-text', 'comment-body')}]",
    ),
}
_JSON_LD = re.compile(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>", re.I | re.S)
# Cheap tests (substrings, no regex over the page) before parsing a page a second time.
COMMENT_MARKS = ("schema.org/Comment", "commentlist", "comment-list", "comment-content", "comment-body")
STRUCTURED_MARKS = (
    "application/ld+json",
    'itemprop="headline"',
    "itemprop='headline'",
    "entry-title",
    "h-entry",
)
# What the fallback may fill in a post its parser found; a parser module narrows it with its own
# FALLBACK_FIELDS (Tumblr: untitled posts are the norm, a JSON-LD headline is the caption).
FALLBACK_FIELDS = frozenset({"title", "author", "published", "comments"})
# A reply inside a comment's own markup is read as its own comment by the list selectors.
_NESTED_COMMENT = "ancestor::*[@itemscope][contains(@itemtype, 'schema.org/Comment')]"
# Outcomes after which the fallback may still find a post (a page loading a Dynamic Views script may still
# hold its post in hAtom or JSON-LD); walls and gone blogs stay what they are.
RETRY_OUTCOMES = frozenset(
    {None, "not_a_post", "empty", "unparsable", "no_posts", "links_only", "dynamic_views"}
)


def complete(page: Page, text: str, url: str, kind: LinkKind, parser: ModuleType) -> Page:
    """``page`` with what the generic vocabularies add: a post its parser missed, or fields of it."""
    if kind is not LinkKind.POST or page.outcome not in RETRY_OUTCOMES:
        return page
    post = page.posts[0] if page.posts else None
    allowed = getattr(parser, "FALLBACK_FIELDS", FALLBACK_FIELDS)
    if post is not None and not _worth_a_look(post, text, allowed):
        return page  # nothing to add: no second parse of the page
    root = parse_html(text)
    if root is None:
        return page
    if post is None:
        found = generic_post(root, text, url, parser)
        if found is None:
            return page
        page.posts, page.outcome = [found], None
        return page
    filled = []
    ld = next(iter(_json_ld_posts(text)), {})
    # Only the structured vocabularies fill a field: a bare <h1> is the blog's name as often as the post's.
    fields = {
        "title": lambda: (
            clean_text(_ld_text(ld.get("headline"))) or _first_value(root, SELECTORS["title"][:2])
        ),
        "author": lambda: _ld_author(ld.get("author")) or _first_value(root, SELECTORS["author"][:3]),
        "published": lambda: platform_when(parser, _published(root, text)),
    }
    for name, find in fields.items():
        if name in allowed and getattr(post, name) is None and (value := find()) is not None:
            if isinstance(value, When):
                post.set_published(value)
            else:
                setattr(post, name, value)
            filled.append(name)
    if "comments" in allowed and not post.comments and (comments := generic_comments(root, url)):
        post.comments = comments
        filled.append("comments")
    if filled:
        post.extra["fallback"] = filled
    return page


def _worth_a_look(post: PostPage, text: str, allowed: frozenset[str]) -> bool:
    """Whether the page may state what its parser left out (a cheap test before a second parse)."""
    # Many blogs never name an author: a missing author alone is no reason for a second parse.
    missing = ("title" in allowed and post.title is None) or (
        "published" in allowed and post.published is None
    )
    if missing and any(mark in text for mark in STRUCTURED_MARKS):
        return True
    return (
        "comments" in allowed
        and not post.comments
        and post.comment_count != 0
        and any(mark in text for mark in COMMENT_MARKS)
    )


def generic_post(root: lxml_html.HtmlElement, text: str, url: str, parser: ModuleType) -> PostPage | None:
    """The post of a permalink page from schema.org, hAtom, Open Graph or ``<article>``; None without a body."""
    ld = next(iter(_json_ld_posts(text)), {})
    node, source = _post_node(root)
    body = _first_node(node, SELECTORS["body"]) if node is not None else None
    if body is None and node is not None:
        body = without_chrome(node)  # a theme with no body class: the post block but its header and footer
    if body is None and not ld.get("articleBody"):
        return None
    scope = node if node is not None else root
    link = absolute(url, ld.get("url") if isinstance(ld.get("url"), str) else None) or url
    try:
        permalink = parser.canonical_url(link if parser.is_post_url(link) else url)
    except ValueError:
        permalink = url
    post = PostPage(
        url=permalink,
        blog_url=parser.blog_root(permalink),
        platform=parser.PLATFORM,
        title=clean_text(_ld_text(ld.get("headline") or ld.get("name")))
        or _first_value(scope, SELECTORS["title"])
        or meta_content(root, prop="og:title"),
        author=_ld_author(ld.get("author"))
        or _first_value(scope, SELECTORS["author"])
        or meta_content(root, prop="article:author"),
        updated=parse_iso(_ld_text(ld.get("dateModified"))),
        body_html=node_html(body) if body is not None else None,
        text=None if body is not None else clean_text(_ld_text(ld.get("articleBody"))),
        tags=unique(_tags(scope, root, ld)),
        comments=generic_comments(root, url),
        extra={"fallback": ["post", source or "json-ld"]},
    )
    return post.set_published(
        platform_when(parser, iso_when(_ld_text(ld.get("datePublished"))) or _published(scope, text))
    )


def platform_when(parser: ModuleType, when: When | None) -> When | None:
    """A date as its platform reads its stamps: the parser's optional ``stamp_when`` (Blogger: a
    stamp's ``:00`` seconds are a minute's precision), else as parsed."""
    read = getattr(parser, "stamp_when", None)
    return read(when) if read is not None and when is not None else when


def without_chrome(node: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of a post block without its title, header, byline, labels, footer and comments."""
    work = deepcopy(node)
    for chrome in xpath(work, SELECTORS["block_chrome"]):
        if chrome.getparent() is not None:
            chrome.drop_tree()
    return work


def generic_comments(root: lxml_html.HtmlElement, url: str) -> list[Comment]:
    """Comments marked up as schema.org ``Comment``, hAtom or a common comment list."""
    for selector in SELECTORS["comments"]:
        nodes = [n for n in xpath(root, selector) if not xpath(n, _NESTED_COMMENT)]
        comments = [c for c in (_comment(n) for n in nodes) if c.text]
        if comments:
            return comments
    return []


def _comment(node: lxml_html.HtmlElement) -> Comment:
    body = _first_node(node, SELECTORS["comment_text"])
    iso = _first_value(node, SELECTORS["comment_time"])
    when = iso_when(iso) if iso else None
    if when is None:
        when = parse_when(_first_value(node, SELECTORS["comment_time_text"]))
    return Comment(
        id=node.get("id"),
        author=_first_value(node, SELECTORS["comment_author"]),
        text=element_text(body) if body is not None else "",
    ).set_published(when)


def _post_node(root: lxml_html.HtmlElement) -> tuple[lxml_html.HtmlElement | None, str | None]:
    """The one post of the page: a schema.org item, an hentry, an ``<article>`` (only when alone)."""
    for source in ("microdata_post", "hentry", "article"):
        nodes = [
            n for n in xpath(root, SELECTORS[source]) if not xpath(n, "ancestor::*[@itemprop='comment']")
        ]
        if len(nodes) == 1:
            return nodes[0], source
    return None, None


def _json_ld_posts(text: str) -> Iterator[dict]:
    for match in _JSON_LD.finditer(text[:500_000]):
        try:
            data = json.loads(match.group(1).strip())
        except ValueError:
            continue
        yield from _ld_items(data)


def _ld_items(data: object) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _ld_items(item)
    elif isinstance(data, dict):
        types = data.get("@type")
        types = types if isinstance(types, list) else [types]
        if any(t in POST_TYPES for t in types if isinstance(t, str)):
            yield data
        yield from _ld_items(data.get("@graph"))


def _ld_text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _ld_author(value: object) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return clean_text(value) if isinstance(value, str) else None


def _tags(scope: lxml_html.HtmlElement, root: lxml_html.HtmlElement, ld: dict) -> list[str]:
    keywords = ld.get("keywords")
    if isinstance(keywords, str):
        return [clean_text(k) or "" for k in keywords.split(",")]
    if isinstance(keywords, list):
        return [clean_text(k) or "" for k in keywords if isinstance(k, str)]
    found = [clean_text(n.text_content()) or "" for n in xpath(scope, SELECTORS["tags"][0])]
    return found or [clean_text(t) or "" for t in xpath(root, "//meta[@property='article:tag']/@content")]


def _published(scope: lxml_html.HtmlElement, text: str) -> When | None:
    iso = _first_value(scope, SELECTORS["published"])
    if iso and (when := iso_when(iso)):
        return when
    root = scope.getroottree().getroot()
    meta = meta_content(root, prop="article:published_time")
    if meta:
        return iso_when(meta)
    ld = next(iter(_json_ld_posts(text)), {})
    return iso_when(_ld_text(ld.get("datePublished")))


def _first_node(scope: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> lxml_html.HtmlElement | None:
    for selector in selectors:
        found = xpath(scope, selector)
        if found:
            return found[0]
    return None


def _first_value(scope: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> str | None:
    for selector in selectors:
        for value in xpath(scope, selector):
            value = clean_text(value if isinstance(value, str) else value.text_content())
            if value:
                return value
    return None

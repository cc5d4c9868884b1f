"""Blogger HTML pages: permalinks, home, archives and search listings, and the links they give."""

from __future__ import annotations

import html
import re
from copy import deepcopy
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from lxml import html as lxml_html

from crawler.dates import parse_when
from crawler.parsers.base import (
    PAGE_HREFS,
    Link,
    LinkKind,
    Page,
    PostPage,
    absolute,
    clean_text,
    meta_content,
    node_html,
    unique,
    with_classes,
    xpath,
)
from crawler.parsers.blogspot.byline import take_byline
from crawler.parsers.blogspot.comments import declared_comment_count, listing_count, page_comments
from crawler.parsers.blogspot.dating import (
    agree_with_url,
    header_and_clock,
    post_published,
    yearless_in_url_year,
)
from crawler.parsers.blogspot.fields import (
    anchor_permalink,
    author_name,
    classic_author,
    first_iso,
    first_text,
    heading_title,
    media,
    permalink,
    post_id,
    post_labels,
    post_title,
)
from crawler.parsers.blogspot.markup import (
    ANCHORED_BYLINE,
    BODY_CLASSES,
    BODY_ITEMPROP,
    BYLINE_MAX,
    DATA_CONTEXT_TITLE,
    ERROR_PAGE,
    ESCAPED_MARKUP,
    ITEM_POST_ID,
    JUMP_TEXT_MAX,
    OUTCOMES,
    READMORE_CALL,
    SELECTORS,
)
from crawler.parsers.blogspot.urls import (
    ARCHIVE_PATH,
    PLATFORM,
    POST_PATH,
    blog_root,
    canonical_url,
    is_post_url,
)
from crawler.parsers.generic import without_chrome
from crawler.urls import is_http_url, same_site


def parse_page(root: lxml_html.HtmlElement, text: str, url: str, kind: LinkKind, follow: bool) -> Page:
    """Posts of a permalink or listing page, the links to follow, or the reason it is not content."""
    blog_title = page_blog_title(root, text)
    if kind is LinkKind.POST:
        posts = [p for p in [permalink_post(root, text, url)] if p]
    else:
        posts = listing_posts(root, url)
    robots = meta_content(root, name="robots")
    for post in posts:
        post.robots = robots
        post.blog_title = blog_title
    outcome = None if posts else page_outcome(root, text, kind)
    wanted = follow and outcome not in ("blog_gone", "login_wall", "content_warning")
    links = page_links(root, url, kind) if wanted else []
    return Page(kind=kind, posts=posts, links=links, outcome=outcome, blog_title=blog_title)


def page_outcome(root: lxml_html.HtmlElement, text: str, kind: LinkKind) -> str | None:
    """Why a page without posts is not content; ``None`` for an ordinary empty listing."""
    status = " ".join(clean_text(n.text_content()) or "" for n in xpath(root, SELECTORS["status"])[:40])
    for outcome, pattern in OUTCOMES:
        if pattern.search(status):
            return outcome
    if ERROR_PAGE.search(text):
        return "not_found"
    if xpath(root, SELECTORS["dynamic_views"]):
        return "dynamic_views"  # rendered by JavaScript: the feeds give the posts
    return "not_a_post" if kind is LinkKind.POST else None


def post_nodes(root: lxml_html.HtmlElement) -> list[tuple[lxml_html.HtmlElement, lxml_html.HtmlElement]]:
    """(container, body) of every post on the page, in page order."""
    found = []
    seen: set[int] = set()
    bodies = with_classes(root, BODY_CLASSES, BODY_ITEMPROP)
    for body in bodies or xpath(root, SELECTORS["theme_body"]):
        if xpath(body, SELECTORS["outer_body"]):
            continue  # nested in another body (Google's blogs: post-body > post-content)
        container = post_container(body)
        if container is None or id(container) in seen:
            continue
        seen.add(id(container))
        found.append((container, body))
    return found


def post_container(body: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The post around ``body``: the nearest container that holds more than the body, else the
    nearest one (Sweetheme wraps the body alone in an <article> inside its div.post)."""
    containers = xpath(body, SELECTORS["container"])[::-1]  # nearest first
    for index, container in enumerate(containers):
        if not _wraps_only(container, body):
            return _block_around(container, containers[index + 1 :], body)
    return containers[0] if containers else body.getparent()


def _block_around(
    container: lxml_html.HtmlElement, outer: list, body: lxml_html.HtmlElement
) -> lxml_html.HtmlElement:
    """A bare <article> holding the body and a "Read more" row is a box inside the post: when the
    nearest classed block around it (div.post.hentry, itemprop=blogPost) holds no other post's body,
    that block is the post, its header (title, byline, timestamp) outside the article."""
    if container.tag != "article" or xpath(container, SELECTORS["post_block"]):
        return container
    block = next((b for b in outer if xpath(b, SELECTORS["post_block"])), None)
    if block is None or any(not _within(other, body) for other in xpath(block, SELECTORS["inner_bodies"])):
        return container
    return block


def _within(node: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> bool:
    return node is body or any(ancestor is body for ancestor in node.iterancestors())


def _wraps_only(container: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> bool:
    """``container`` holds the body and nothing else: no other element, no text of its own."""
    node = body
    while node is not container:
        parent = node.getparent()
        elements = [child for child in parent if isinstance(child.tag, str)]
        if elements != [node] or (parent.text or "").strip() or (node.tail or "").strip():
            return False
        node = parent
    return True


def permalink_post(root: lxml_html.HtmlElement, text: str, url: str) -> PostPage | None:
    """The post of a permalink page: the one whose own link is this page, else the first."""
    nodes = post_nodes(root)
    page_url = canonical_url(url)
    lone_title = None
    if not nodes:
        nodes, lone_title = lone_post(root, url, page_url)
    if not nodes:
        return None
    container, body = next((n for n in nodes if permalink(n[0], url) == page_url), nodes[0])
    post = build_post(container, body, url, page_url)
    # A theme that shows the title only outside the post's block (a page-top banner): Blogger's
    # og:title of a post page is the post's title.
    post.title = post.title or lone_title or meta_content(root, prop="og:title")
    if lone_title and not post.tags:  # that theme's labels follow its block ('Más noticias de:')
        post.tags = next((post_labels(w) for w in xpath(container, SELECTORS["blog_widget"])), [])
    item = ITEM_POST_ID.search(text)
    post.post_id = post.post_id or (item.group(1) if item else None)
    post.comments = page_comments(root, url)
    declared = declared_comment_count(root)
    post.comment_count = declared if declared is not None else listing_count(container)
    return post


def lone_post(
    root: lxml_html.HtmlElement, url: str, page_url: str
) -> tuple[list[tuple[lxml_html.HtmlElement, lxml_html.HtmlElement]], str | None]:
    """([(block, block without its chrome)], title) of a theme with no body class (komickorra's
    div.cover, haceinstantes' bare paragraphs after its h1): the Blog widget's only post block,
    when a heading in it links this very page (that heading's text is the title); else nothing."""
    blocks = xpath(root, SELECTORS["lone_post"])
    if len(blocks) != 1:
        return [], None
    for anchor in xpath(blocks[0], SELECTORS["heading_links"]):
        link = absolute(url, anchor.get("href"))
        if link and canonical_url(link) == page_url:
            return [(blocks[0], without_chrome(blocks[0]))], clean_text(anchor.text_content())
    return [], None


def listing_posts(root: lxml_html.HtmlElement, url: str) -> list[PostPage]:
    """One post per entry of a home, archive or search page; entries without a permalink are skipped
    (one whose only address is an anchor of a listing page is not: it has no page of its own)."""
    posts = []
    nodes = post_nodes(root)
    if not nodes:
        return anchored_posts(root, url)
    for container, body in nodes:
        container, link = _linked_container(container, body, url)
        readmore = None if link else readmore_call(body, url)
        link = link or (readmore.url if readmore else None) or anchor_permalink(container, url)
        if link:
            post = build_post(container, body, url, link, listed=True)
            if readmore:
                post.title = post_title(container) or readmore.title
                post.author = post.author or readmore.author
                post.tags = post.tags or readmore.tags
                if post.published is None:
                    post.set_published(agree_with_url(parse_when(readmore.shown), link))
            post.comment_count = listing_count(container)
            posts.append(post)
    return posts


def anchored_posts(root: lxml_html.HtmlElement, url: str) -> list[PostPage]:
    """An early classic template without post classes (2001-2003: div.Post, div.posts): each post is the
    nearest block around its numeric ``<a name="<id>">`` that holds its permanent link to ``<archive>#<id>``
    and no other post's anchor; the day from the header before it, time and author from that link's byline."""
    posts = []
    for anchor in xpath(root, SELECTORS["anchor_nodes"]):
        for block in anchor.iterancestors():
            link = anchor_permalink(block, url)
            if link is None:
                continue
            if link.endswith(f"#{anchor.get('name')}") and len(xpath(block, SELECTORS["anchor_names"])) == 1:
                posts.append(_anchored_post(block, anchor, url, link))
            break
    return posts


def _anchored_post(
    block: lxml_html.HtmlElement, anchor: lxml_html.HtmlElement, url: str, link: str
) -> PostPage:
    """The post of an anchored block: its text without the anchor and the permanent link's byline."""
    perma = next(a for a in xpath(block, SELECTORS["anchor_links"]) if _anchor_link(a, url) == link)
    parent = perma.getparent()
    byline = parent if parent is not block and len(parent.text_content()) <= BYLINE_MAX else perma
    shown = clean_text(byline.text_content()) or ""
    for node in (anchor, byline):
        node.set(_CHROME_MARK, "")
    body = clean_body(block)
    for node in (anchor, byline):
        del node.attrib[_CHROME_MARK]
    for node in xpath(body, f".//*[@{_CHROME_MARK}]"):
        node.drop_tree()
    author = ANCHORED_BYLINE.search(shown)
    return PostPage(
        url=link,
        blog_url=blog_root(link),
        platform=PLATFORM,
        author=clean_text(author.group("name")) if author else None,
        body_html=node_html(body),
        media_urls=media(body, url),
        post_id=anchor.get("name"),
    ).set_published(header_and_clock(first_text(block, (SELECTORS["anchored_header"],)), shown))


def _anchor_link(anchor: lxml_html.HtmlElement, url: str) -> str | None:
    link = absolute(url, anchor.get("href"))
    return f"{canonical_url(link)}#{urlsplit(link).fragment}" if link else None


_CHROME_MARK = "data-blogarchive-chrome"


class ReadMore(NamedTuple):
    """What an "auto read more" theme passes to its truncating script about a listed post."""

    url: str
    title: str | None
    shown: str | None  # the date as the theme shows it
    author: str | None
    tags: list[str]


def readmore_call(body: lxml_html.HtmlElement, url: str) -> ReadMore | None:
    """The post an "auto read more" theme names in its truncating script in the body, when the listing
    shows no link to it (see ``markup.READMORE_CALL``); labels and author are links in markup strings."""
    for script in xpath(body, SELECTORS["body_scripts"]):
        for pattern in READMORE_CALL:
            match = pattern.search(script.text or "")
            link = absolute(url, match["url"]) if match else None
            if match and link and is_http_url(link) and is_post_url(link) and same_site(link, url):
                fields = {k: html.unescape(_unescape_js(v)) for k, v in match.groupdict().items() if v}
                names = {k: _link_texts(fields.get(k, "")) for k in ("labels", "author")}
                return ReadMore(
                    canonical_url(link),
                    clean_text(fields.get("title")),
                    fields.get("date"),
                    names["author"][0] if names["author"] else None,
                    names["labels"],
                )
    return None


def _link_texts(markup: str) -> list[str]:
    """The texts of the links in a markup string ("<a href='…' rel='tag'>Featured</a><a …>…</a>")."""
    if "<a" not in markup:
        return []
    anchors = xpath(lxml_html.fragment_fromstring(markup, create_parent="div"), ".//a")
    return unique([clean_text(a.text_content()) or "" for a in anchors])


def _linked_container(
    container: lxml_html.HtmlElement, body: lxml_html.HtmlElement, url: str
) -> tuple[lxml_html.HtmlElement, str | None]:
    """The post's block and permalink: a magazine theme wraps the snippet alone in an
    ``article.post-article`` whose only link is "Continue Reading"; the title, byline and
    timestamp link sit in the enclosing ``div.post``."""
    link = permalink(container, url)
    if link:
        return container, link
    outer = [c for c in xpath(body, SELECTORS["container"]) if any(a is c for a in container.iterancestors())]
    for candidate in reversed(outer):  # nearest first
        link = permalink(candidate, url)
        if link:
            return candidate, link
    return container, None


def build_post(
    container: lxml_html.HtmlElement, body: lxml_html.HtmlElement, url: str, link: str, listed: bool = False
) -> PostPage:
    """Everything a post's own markup says (comments and declared counts are page-level); a ``listed``
    post (home, archive, search) also loses its theme's "Read More" link to itself."""
    clean = clean_body(body)
    if listed:
        drop_self_links(clean, url, link)
    byline = take_byline(clean)  # before the theme's author: on Google's blogs that is the blog's account
    return PostPage(
        url=link,
        blog_url=blog_root(link),
        platform=PLATFORM,
        title=post_title(container) or heading_title(container, body),
        author=byline or author_name(first_text(container, SELECTORS["author"])) or classic_author(container),
        updated=first_iso(container, SELECTORS["updated_iso"]),
        body_html=node_html(clean),
        tags=post_labels(container),
        media_urls=media(clean, url),
        post_id=post_id(container, body),
    ).set_published(agree_with_url(post_published(container), link) or yearless_in_url_year(container, link))


def clean_body(body: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of the body without share buttons, jump links and scripts; <noscript> content kept."""
    clean = deepcopy(body)
    clean.tail = None
    for junk in xpath(clean, SELECTORS["junk"]):
        junk.drop_tree()
    for noscript in xpath(clean, ".//noscript"):
        if ESCAPED_MARKUP.match(noscript.text_content()):
            noscript.drop_tree()  # a widget's fallback written as escaped markup: it shows as raw tags
        else:
            noscript.drop_tag()  # Google's blogs put the body in a template script plus a <noscript> copy
    return clean


def drop_self_links(body: lxml_html.HtmlElement, url: str, link: str) -> None:
    """A listed snippet's short link to the post itself standing alone in its block ("Read More",
    "Read More →" under a summary script's teaser: anggapebrian, tribunislam) is the theme's jump link,
    not text; a link inside a sentence and image links stay."""
    for anchor in xpath(body, SELECTORS["text_links"]):
        target = absolute(url, anchor.get("href"))
        text = clean_text(anchor.text_content()) or ""
        parent = anchor.getparent()
        alone = parent is not None and clean_text(parent.text_content()) == text
        if target and alone and len(text) <= JUMP_TEXT_MAX and canonical_url(target) == link:
            anchor.drop_tree()


def page_blog_title(root: lxml_html.HtmlElement, text: str) -> str | None:
    """og:site_name, the blog data Blogger embeds in every page, else the header widget."""
    title = meta_content(root, prop="og:site_name")
    if title:
        return title
    match = DATA_CONTEXT_TITLE.search(text)
    if match:
        title = html.unescape(_unescape_js(match.group(1)))
        if "<" in title:  # a title written as markup ("<a href='…'>Python Software Foundation</a> News")
            title = lxml_html.fragment_fromstring(title, create_parent="div").text_content()
        return clean_text(title)
    return first_text(root, SELECTORS["blog_title"])


def _unescape_js(value: str) -> str:
    """JavaScript string escapes: ``\\x27``, the octal ``\\47`` Blogger writes for an apostrophe, ``\\'``."""
    return _JS_ESCAPE.sub(_js_char, value)


_JS_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})|\\([0-7]{1,3})|\\(.)")


def _js_char(match: re.Match[str]) -> str:
    hex_code, octal, other = match.groups()
    if hex_code:
        return chr(int(hex_code, 16))
    return chr(int(octal, 8)) if octal else other


def page_links(root: lxml_html.HtmlElement, url: str, kind: LinkKind) -> list[Link]:
    """Permalinks, date archives (also derived from permalinks) and, from home/search only, older pages."""
    posts: list[str] = []
    archives: list[str] = []
    for href in dict.fromkeys(PAGE_HREFS(root)):  # each distinct href once: the rest repeat it
        link = absolute(url, href)
        if not link or not is_http_url(link) or not same_site(link, url):
            continue
        post, archive = _discovered(link)
        if post:
            posts.append(post)
        if archive:
            archives.append(archive)
    links = [Link(u, LinkKind.POST) for u in unique(posts)]
    links += [Link(u, LinkKind.LISTING) for u in unique(archives)]
    return links + older_page_links(root, url, kind)


@lru_cache(maxsize=1 << 14)
def _discovered(link: str) -> tuple[str | None, str | None]:
    """The permalink and the date archive a link of the blog gives (a permalink gives its month's)."""
    canonical = canonical_url(link)
    parts = urlsplit(canonical)
    if parts.query:
        return None, None  # widgetType=BlogArchive toggles, label searches, reverse-paginate...
    if POST_PATH.match(parts.path):
        return canonical, urlunsplit((parts.scheme, parts.netloc, parts.path[:9], "", ""))
    if ARCHIVE_PATH.match(parts.path):
        return None, canonical
    return None, None


def older_page_links(root: lxml_html.HtmlElement, url: str, kind: LinkKind) -> list[Link]:
    """ "Older posts" (``/search?updated-max=``), followed only along the home/search chain."""
    if kind is not LinkKind.HOME and urlsplit(url).path.rstrip("/") != "/search":
        return []
    links = []
    for href in xpath(root, SELECTORS["older_link"]):
        link = absolute(url, href)
        if not link or not is_http_url(link) or not same_site(link, url):
            continue
        parts = urlsplit(link)
        params = {k.lower() for k, _ in parse_qsl(parts.query)}
        if parts.path == "/search" and "updated-max" in params and not params & {"q", "reverse-paginate"}:
            links.append(Link(canonical_url(link), LinkKind.LISTING))
    return links

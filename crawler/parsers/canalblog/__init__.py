"""Canalblog (canalblog.com and custom domains): the entry point and the posts of a page.

``urls`` has the URL shapes and the links to follow, ``comments`` the comments, ``feed`` the RSS
feed (read by the shared ``crawler.parsers.feeds``), ``overblog`` the template Canalblog serves
since it moved to Webedia's Overblog engine (about 2023). The 2005-2022 templates are read
first; a page without their markup is read as the new template.
"""

from __future__ import annotations

import re
from copy import deepcopy
from urllib.parse import urlsplit

from lxml import html as lxml_html

from crawler.dates import (
    Precision,
    When,
    day_when,
    parse_when,
    wall_when,
)
from crawler.parsers.base import (
    LinkKind,
    Page,
    PostPage,
    absolute,
    by_class,
    clean_text,
    has_class,
    meta_content,
    node_html,
    parse_feed_or_html,
    unique,
    xpath,
)
from crawler.parsers.canalblog import overblog
from crawler.parsers.canalblog.comments import comment_offset, first, parse_comments, text_of
from crawler.parsers.canalblog.feed import parse_feed
from crawler.parsers.canalblog.urls import (
    CATEGORY_PATH,
    HOST_PATTERN,
    HTML_MARKERS,
    OWN_SITES,
    PLATFORM,
    POST_PATH,
    blog_root,
    canonical_url,
    classify,
    is_post_url,
    media_urls,
    page_links,
    permalink_of,
    post_id_of,
    seeds,
)
from crawler.parsers.media import MediaKind
from crawler.urls import same_site

__all__ = ["HOST_PATTERN", "HTML_MARKERS", "OWN_SITES", "PLATFORM", "blog_root", "canonical_url", "classify", "is_post_url", "media_urls", "parse",
           "parse_comments", "parse_feed", "permalink_of", "seeds"]  # fmt: skip


# Selectors as data: a template change edits this table, not the control flow.
SELECTORS = {
    # 2010+ templates: one schema.org Article per post (itemref points at the comments).
    # ``/descendant::div[…]`` is ``//div[…]`` (no position in the predicate) in half the time, an
    # attribute's step to its element (``by_id``) in a fraction.
    "article": "/descendant::*/@itemtype[contains(., 'schema.org/Article')]/parent::div[@itemscope]",
    # 2005-2009 templates: one div.blogbody per post, the post anchored by <a name="<id>">.
    "article_legacy": f"/descendant::div[@id='content']//div[{has_class('blogbody')}][.//a[@name]]",
    "article_body": ".//*[@itemprop='articleBody']",
    "anchor": ".//a[@name]",
    "bookmark_heading": ".//*[self::h1 or self::h2 or self::h3 or self::h4][.//a[@rel='bookmark']]",
    "first_h3": ".//h3",
    # A listing block's own permalink, best first (the body may link to other posts).
    "permalink": (
        ".//meta[@itemprop='url']/@content",
        ".//a[@rel='bookmark']/@href",
        f".//div[{has_class('itemfooter')}]//a/@href",
    ),
    "footer": f".//div[{has_class('itemfooter')}]",
    "creator": f".//*[{has_class('articlecreator')}]",
    "footer_links": ".//a[@href]",
    "tags": ".//a[@rel='tag']",
    "comment_count": ".//meta[@itemprop='interactionCount'][starts-with(@content, 'UserComments:')]/@content",
    "date_created": ".//meta[@itemprop='dateCreated']/@content",
    "blog_title": "/descendant::div[@id='topbar']//a[@href][normalize-space()][1]",
    "content": "/descendant::div[@id='content']",
    # Inside a post body: never text (ads, share buttons, ratings, scripts).
    "junk": ".//script | .//style | .//noscript | .//form | .//meta"
    f" | {by_class('share_widget', scope='')} | {by_class('sharebar', scope='')}"
    f" | {by_class('post_rating', scope='')} | {by_class('relatedlinks', scope='')}"
    " | descendant::*/@id[starts-with(., 'div-gpt-ad') or starts-with(., 'taboola')]/parent::*"
    # An element whose text is 'Publicité' only in a body that holds the word: the body's text is read
    # once, not every element's (the text of each element of a body: 1.3 ms a listing page).
    " | self::*[contains(., 'Publicité')]/descendant::*[normalize-space() = 'Publicité']",
}

# Media URL rules (crawler.parsers.media): ``_p``/``_q``/``_o`` previews on p<N>.storage
# hosts -> the original on storage.canalblog.com; ``t-`` thumbnails of old /images/.
MEDIA_SIZES = (
    (re.compile(r"//p\d+\.storage\.canalblog\.com/"), "//storage.canalblog.com/"),
    (re.compile(r"(//storage\.canalblog\.com/(?:[^/]+/)+\d+)_[pqo](\.\w+)$"), r"\1\2"),
    (re.compile(r"(/images/)t-([^/]+)$"), r"\1\2"),
)
MEDIA_CHROME = tuple(
    re.compile(p, re.I)
    for p in (
        r"//static\.canalblog\.com/(?:sharedDocs|storagev1/[^/]+/images/(?:icons|theme))",  # smilies, theme
        r"//(?:profilepics|stats|www)\.canalblog\.com/",
    )
)
MEDIA_KINDS: tuple[tuple[re.Pattern[str], MediaKind], ...] = ()


FOOTER = re.compile(
    r"Post[ée] par\s+(?P<author>.+?)\s+(?:le\s+(?P<date>\d{1,2}(?:er)?\s+\S+\s+\d{4})\s+)?"
    r"(?:à|a)\s+(?P<hour>\d{1,2})[:h](?P<minute>\d{2})",
    re.I,
)
COUNT_PATTERNS = (
    re.compile(r"\[\s*(\d+)\s*\]"),  # "Commentaires [3]", "lire les réactions [24]"
    re.compile(r"(\d+)\s+(?:commentaires?|réactions?)", re.I),  # "69 commentaires"
)
NO_COMMENTS = re.compile(r"\b(?:aucun|pas de)\s+(?:commentaire|réaction)", re.I)
CATEGORY_TITLE = "Autres messages dans cette catégorie"
# Pages Canalblog serves instead of a blog that was closed or deleted.
GONE_MARKERS = ("ce blog n'existe pas", "ce blog n'existe plus", "ce blog a été supprimé", "blog introuvable")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})


# ---------------------------------------------------------------------------------
# Pages


def parse(text: str, url: str, kind: LinkKind, follow: bool = True) -> Page:
    """Parse one Canalblog document (home, listing, permalink, comment page or RSS feed)."""
    return parse_feed_or_html(text, url, kind, parse_feed, lambda root: _parse_html(root, url, kind, follow))


def _parse_html(root: lxml_html.HtmlElement, url: str, kind: LinkKind, follow: bool) -> Page:
    """A Canalblog HTML page: a gone blog, a permalink or comment page, or a listing."""
    if _is_gone(root):
        return Page(kind=kind, outcome="blog_gone")
    links = page_links(root, url) if follow else []
    blocks = xpath(root, SELECTORS["article"]) or xpath(root, SELECTORS["article_legacy"])
    if not blocks and overblog.is_overblog_page(root):
        return _parse_overblog(root, url, kind, links)
    blog_title = _blog_title(root)
    if kind in (LinkKind.POST, LinkKind.COMMENTS):
        if not blocks:
            return Page(kind=kind, links=links, outcome="not_a_post", blog_title=blog_title)
        post = parse_post_block(blocks[0], permalink_of(url), root)
        post.comments = parse_comments(root, url)
        if kind is LinkKind.COMMENTS:
            post.extra["comment_offset"] = comment_offset(url)
        post.blog_title = blog_title
        return Page(kind=kind, posts=[post], links=links, blog_title=blog_title)
    posts = []
    for block in blocks:
        permalink = _block_permalink(block, url)
        if permalink is not None:
            post = parse_post_block(block, permalink, root)
            post.blog_title = blog_title
            posts.append(post)
    outcome = None if posts or links else "empty"
    return Page(kind=kind, posts=posts, links=links, outcome=outcome, blog_title=blog_title)


def _parse_overblog(root: lxml_html.HtmlElement, url: str, kind: LinkKind, links: list) -> Page:
    """A page of the Overblog-engine template: a permalink (or static page), or a listing."""
    blog_title = overblog.blog_title(root)
    nodes = overblog.post_nodes(root)
    if kind in (LinkKind.POST, LinkKind.COMMENTS):
        post = overblog.parse_post(nodes[0], permalink_of(url), root, single=True)
        post.comments = overblog.parse_comments(root, url)
        if not post.comments and overblog.comments_by_script(root):
            post.extra["comments_by_script"] = True
        post.blog_title = blog_title
        return Page(kind=kind, posts=[post], links=links, blog_title=blog_title)
    posts = []
    for node in nodes:
        permalink = overblog.listing_permalink(node, url)
        if permalink is not None:
            post = overblog.parse_post(node, permalink, root, single=False)
            post.blog_title = blog_title
            posts.append(post)
    outcome = None if posts or links else "empty"
    return Page(kind=kind, posts=posts, links=links, outcome=outcome, blog_title=blog_title)


def parse_post_block(block: lxml_html.HtmlElement, permalink: str, root: lxml_html.HtmlElement) -> PostPage:
    """One post (its Article node or legacy ``div.blogbody``) without its comments."""
    footer = first(xpath(block, SELECTORS["footer"]))
    match = FOOTER.search(text_of(footer))
    published = _published(permalink, match, block)
    created = first(xpath(block, SELECTORS["date_created"]))
    extra: dict = {}
    if created:
        extra["date_created"] = created  # draft creation, NOT the publication date
    body = _body_node(block, footer)
    return PostPage(
        url=permalink,
        blog_url=blog_root(permalink),
        platform=PLATFORM,
        title=_title(block),
        author=_post_author(footer, match),
        body_html=_inner_html(body),
        tags=_tags(footer, permalink),
        comment_count=_comment_count(block, footer),
        media_urls=media_urls(body, permalink),
        post_id=post_id_of(permalink),
        robots=meta_content(root, name="robots"),
        extra=extra,
    ).set_published(published)


def _title_node(block: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    anchor = first(xpath(block, SELECTORS["anchor"]))
    following = anchor.getnext() if anchor is not None else None
    if following is not None and following.tag in _HEADINGS:
        return following
    return first(xpath(block, SELECTORS["bookmark_heading"]) or xpath(block, SELECTORS["first_h3"]))


def _title(block: lxml_html.HtmlElement) -> str | None:
    node = _title_node(block)
    return clean_text(node.text_content()) if node is not None else None


def _published(permalink: str, match: re.Match[str] | None, block: lxml_html.HtmlElement) -> When | None:
    """Publication: the permalink's day + the footer's "à HH:MM" (Paris time until the blog's
    zone is known); the day alone (00:00 UTC of it) when no time is shown.

    ``itemprop=dateCreated`` is the draft's creation (weeks earlier on some posts): never used.
    """
    path = POST_PATH.match(urlsplit(permalink).path)
    if path:
        day = day_when(int(path[1]), int(path[2]), int(path[3]))  # None for /archives/2008/13/45/
    else:
        day = parse_when(match["date"] if match and match["date"] else _date_header(block))
        if day is not None:  # a header with a time (rare) still gives the day only: the footer has the time
            shown = day.local or day.utc
            day = day_when(shown.year, shown.month, shown.day)
    if day is None or match is None:
        return day
    try:
        local = day.utc.replace(tzinfo=None, hour=int(match["hour"]), minute=int(match["minute"]))
    except ValueError:  # "à 25:61": the day is still right
        return day
    return wall_when(local, Precision.MINUTE)


def _date_header(block: lxml_html.HtmlElement) -> str | None:
    heads = xpath(block, ".//h2 | .//h3")
    return clean_text(heads[0].text_content()) if heads else None


def _post_author(footer: lxml_html.HtmlElement | None, match: re.Match[str] | None) -> str | None:
    if footer is not None:
        creator = first(xpath(footer, SELECTORS["creator"]))
        if creator is not None and clean_text(creator.text_content()):
            return clean_text(creator.text_content())
    return clean_text(match["author"]) if match else None


def _tags(footer: lxml_html.HtmlElement | None, permalink: str) -> list[str]:
    """Categories (footer links to ``/archives/<category>/``) then tags (``rel=tag``)."""
    if footer is None:
        return []
    categories = []
    for link in xpath(footer, SELECTORS["footer_links"]):
        target = absolute(permalink, link.get("href"))
        on_blog = target is not None and same_site(target, permalink)
        if link.get("title") == CATEGORY_TITLE or (on_blog and CATEGORY_PATH.match(urlsplit(target).path)):
            categories.append(clean_text(link.text_content()) or "")
    tags = [clean_text(a.text_content()) or "" for a in xpath(footer, SELECTORS["tags"])]
    return unique(categories + tags)


def _comment_count(block: lxml_html.HtmlElement, footer: lxml_html.HtmlElement | None) -> int | None:
    declared = (first(xpath(block, SELECTORS["comment_count"])) or "").split(":", 1)[-1].strip()
    if declared.isdecimal():  # "UserComments:12"; anything else, the footer says
        return int(declared)
    if footer is None:
        return None
    for link in xpath(footer, ".//a[contains(@href, '#comments')]"):
        label = clean_text(link.text_content()) or ""
        for pattern in COUNT_PATTERNS:
            found = pattern.search(label)
            if found:
                return int(found[1])
        if NO_COMMENTS.search(label):
            return 0
    return None


def _block_permalink(block: lxml_html.HtmlElement, base: str) -> str | None:
    for selector in SELECTORS["permalink"]:
        for href in xpath(block, selector):
            url = absolute(base, href)
            if url and is_post_url(url) and same_site(url, base):
                return permalink_of(url)
    return None


def _body_node(block: lxml_html.HtmlElement, footer: lxml_html.HtmlElement | None) -> lxml_html.HtmlElement:
    """A copy of the post body: after the title, before the footer, junk removed."""
    explicit = first(xpath(block, SELECTORS["article_body"]))
    if explicit is not None:
        body = deepcopy(explicit)
    else:
        body = deepcopy(block)
        title = _title_node(body)
        if title is None:
            title = first(xpath(body, SELECTORS["anchor"]))
        if title is not None:
            _cut_before(title, body)
        copied_footer = first(xpath(body, SELECTORS["footer"])) if footer is not None else None
        if copied_footer is not None:
            _cut_from(copied_footer, body)
    for junk in xpath(body, SELECTORS["junk"]):
        if junk.getparent() is not None:
            junk.drop_tree()
    return body


def _cut_before(node: lxml_html.HtmlElement, top: lxml_html.HtmlElement) -> None:
    """Remove ``node`` and everything before it inside ``top`` (the text after it stays)."""
    current = node
    while current is not top and current.getparent() is not None:
        parent = current.getparent()
        for sibling in list(current.itersiblings(preceding=True)):
            parent.remove(sibling)
        parent.text = None
        if current is node:
            parent.text = node.tail
            parent.remove(node)
        current = parent


def _cut_from(node: lxml_html.HtmlElement, top: lxml_html.HtmlElement) -> None:
    """Remove ``node`` and everything after it inside ``top``."""
    current = node
    while current is not top and current.getparent() is not None:
        parent = current.getparent()
        for sibling in list(current.itersiblings()):
            parent.remove(sibling)
        current.tail = None
        if current is node:
            parent.remove(node)
        current = parent


def _inner_html(node: lxml_html.HtmlElement) -> str | None:
    parts = [node.text or ""] + [node_html(child) + (child.tail or "") for child in node]
    html = "".join(parts).strip()
    return html or None


def _blog_title(root: lxml_html.HtmlElement) -> str | None:
    node = first(xpath(root, SELECTORS["blog_title"]))
    return clean_text(node.text_content()) if node is not None else None


def _is_gone(root: lxml_html.HtmlElement) -> bool:
    if (
        xpath(root, SELECTORS["article"])
        or xpath(root, SELECTORS["content"])
        or overblog.is_overblog_page(root)
    ):
        return False  # a post that says "ce blog n'existe plus" is a post
    text = (clean_text(root.text_content()) or "").lower()
    return any(marker in text for marker in GONE_MARKERS)

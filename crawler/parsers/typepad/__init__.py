"""Typepad blogs (*.typepad.com, *.blogs.com, custom domains): enumeration and page parsers.

The entry point and the pages (permalink, listing, archive index) are here; ``urls`` has the URL
shapes, ``dates`` the template dates, ``comments`` comments and trackbacks, ``feed`` the feeds
(read by the shared ``crawler.parsers.feeds``).
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.dates import When
from crawler.parsers.base import (
    Link,
    LinkKind,
    Page,
    PostPage,
    absolute,
    by_class,
    by_id,
    class_tokens,
    clean_text,
    element_text,
    has_class,
    meta_content,
    node_html,
    parse_html,
    unique,
    with_classes,
    xpath,
)
from crawler.parsers.feeds import is_feed
from crawler.parsers.media import MediaKind
from crawler.parsers.typepad.comments import comments, trackbacks, xid
from crawler.parsers.typepad.dates import numeric_order, post_date, trackback_dates, with_stated
from crawler.parsers.typepad.feed import parse_feed
from crawler.parsers.typepad.urls import (
    HOST_PATTERN,
    HTML_MARKERS,
    OWN_SITES,
    PLATFORM,
    blog_root,
    canonical_url,
    is_post_url,
    same_host,
    under,
    unwayback,
)
from crawler.urls import canonicalize, is_http_url

__all__ = [
    "HOST_PATTERN",
    "HTML_MARKERS",
    "OWN_SITES",
    "PLATFORM",
    "blog_root",
    "canonical_url",
    "is_post_url",
    "parse",
    "seeds",
    "unwayback",
]


# An "advanced template" some newspapers' Typepad blogs wrote (blogs.mcall.com, 2013): div#blog
# holding div.date, div.blog_title, div.category_text, div.posted "Posted at … on …", div.blog_text.
_ADVANCED_ENTRY = f"{by_id('blog')}[self::div][div[{has_class('blog_text')}]][div[{has_class('posted')}]]"
_ADVANCED_BODY = f"./div[{has_class('blog_text')}][1]"
# Typepad's first templates (2003-2007) wrap no entry: in the column, an anchor <a id="a0035670110">,
# an <h3> title, the paragraphs and a p.posted footer ("Jeff posted Jun 22, 2007 in <a>Cat</a> |
# <a>Permalink</a> | <a>Comments (1)</a>"), then the next entry's anchor.
_CLASSIC_FOOTER = f"//*[self::p or self::div][{has_class('posted')}][preceding-sibling::h3]"

# Selectors as data: Six Apart classic templates (2003-2025) and their MT3 ancestors.
SELECTORS = {
    "entry": f"{by_class('entry', element='*[self::div or self::article]')} | {_ADVANCED_ENTRY}",
    # Inside the entry, else the last one before it (listings print one per day).
    "date_header": f"{by_class('date-header', scope='')} | preceding::*[{has_class('date-header')}][1]"
    # Custom templates' own line under the title: mcall's div.date, latimesblogs' div.time
    # ("July 14, 2008 | 3:16 pm").
    f" | ./div[{has_class('date')}]"
    f" | {by_class('time', scope='', element='div')}[not(ancestor::div[{has_class('entry-content')}])]",
    "title": f"{by_class('entry-header', scope='')} | ./div[{has_class('blog_title')}][1]",
    "title_link": f"{by_class('entry-header', scope='')}//a/@href",
    "linked_headings": ".//*[self::h1 or self::h2 or self::h3][.//a[@href]]",
    "bare_entry_chrome": f"./h1 | ./h2 | ./h3 | .//*[{has_class('posted')}] | .//*[{has_class('entry-footer')}]"
    f" | .//p[{has_class('extended')}]",
    "permalink": f".//a[{has_class('permalink')}]/@href",
    "body": f"{by_class('entry-body', 'entry-more', scope='', element='div')} | {_ADVANCED_BODY}",
    "body_fallback": f".//div[{has_class('entry-content')}]",
    "footer": by_class("entry-footer-info", "posted", scope=""),
    "footer_fallback": f".//*[{has_class('entry-footer')}]",
    "author": ".//a[@rel='author']",
    # A byline outside the footer: blogs.elpais.com's <p class="autor vcard author">Por: <strong rel="author"
    # class="fn">Name</strong>, in the entry's header.
    "entry_author": f".//*[@rel='author'][not(ancestor::div[{has_class('entry-body')} or {has_class('entry-more')}])]",
    "tag_links": ".//a[@rel='tag']",
    "last_paragraphs": f"(.//div[{has_class('entry-body')}]//p)[position() > last() - 3]",
    "in_body": f"ancestor::div[{has_class('entry-body')} or {has_class('entry-more')} or {has_class('blog_text')}]",
    "body_junk": (
        ".//script | .//style | .//noscript | "
        # Typepad themes' excerpt on homes: "… watching... <span class='excerpt-more-link'><a>Read more →</a></span>".
        + by_class(
            "entry-more-link",
            "more-link",
            "excerpt-more-link",
            "entry-footer",
            "entry-footer-share",
            "post-share",
            scope="",
        )
        # ShareThis CopyNPaste's off-screen copy of a text once selected in the editor ("This post originally…").
        + " | .//div[@id='stcpDiv']"
    ),
    "canonical": "/descendant::link[@rel='canonical']/@href | /descendant::meta[@property='og:url']/@content",
    "home": f"/descendant::link[@rel='start']/@href | {by_id('banner')}//h1//a/@href"
    f" | {by_class('content-nav-main', element='a')}/@href",
    "blog_title": f"{by_id('banner')}//h1",
    "media": ".//img/@src | .//video/@src | .//audio/@src | .//source/@src | .//iframe/@src | .//embed/@src",
    "wayback_chrome": (
        "//*[starts-with(@id, 'wm-')] | //*[@id='donato'] | //script[contains(@src, 'archive.org')] "
        "| //script[contains(., '__wm.') or contains(., 'wombat')] | //link[contains(@href, '/_static/')]"
    ),
}

# Media URL rules (crawler.parsers.media): a ``.a/<asset id>`` asset with a size suffix
# (-pi, -320wi, -600pi, -popup, -150si, -800hi) -> the full asset; the popup page of an
# old-style photo -> the photo.
MEDIA_SIZES = (
    (re.compile(r"(/\.a/[0-9a-f]{20,})-(?:\d*pi|\d+wi|\d+hi|\d+si|popup)$"), r"\1"),
    (re.compile(r"/\.shared/image\.html\?(/[^?#]+)$"), r"\1"),
)
MEDIA_CHROME = tuple(
    re.compile(p, re.I)
    for p in (
        r"/\.shared/(?:images|themes)/",  # share buttons, theme images
        r"//(?:static|profile|www)\.typepad\.com/",
        r"/t/stats\b",
        r"/\.services/",
    )
)
MEDIA_KINDS = ((re.compile(r"/\.a/[0-9a-f]{20,}(?:-[\w]+)?$"), MediaKind.IMAGE),)

_POST_BY = re.compile(
    r"(?:posted\s+by|r[ée]dig[ée]\s+par|publi[ée]\s+par|[ée]crit\s+par)\s*:?\s*(?P<author>.+?)"
    r"(?=\s+(?:on|le|at|à|in|dans)\s|\s*\||$)",
    re.I,
)
_SIGNATURE = re.compile(r"^(?:--|—|–)\s*([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})$")
# Footer words of English and French Typepad templates (and the comment count of Spanish, Italian, German ones).
_DECLARED_COMMENTS = re.compile(
    r"\b(?:comments?|commentaires?|comentarios?|commenti|kommentare?)\s*\((\d+)\)", re.I
)
_DECLARED_TRACKBACKS = re.compile(r"\btrackbacks?\s*\((\d+)\)", re.I)
_FRENCH_TEMPLATE = re.compile(r"r[ée]dig[ée]|lien permanent|commentaires|publi[ée] par", re.I)
_ENGLISH_TEMPLATE = re.compile(r"posted\s+by|permalink|\bcomments\b", re.I)

_URL_REMOVED = re.compile(r"[\t\r\n]")  # what urlsplit deletes anywhere in a URL
# Boxes of category links (sidebar modules, entry footers): a category page is followed when one links it.
_CATEGORY_BOXES = frozenset(
    {"module-categories", "archive-categories", "entry-footer-info", "posted", "entry-categories"}
)
# Plain strings: a "smart" attribute string makes an element proxy for its parent, per link.
_LINK_HREFS = etree.XPath("//a/@href | //link[@rel='next' or @rel='prev']/@href", smart_strings=False)
_HREFS_BELOW = etree.XPath(".//a/@href", smart_strings=False)

# URL shapes under a blog root.
_MONTH_URL = re.compile(r"(?:19|20)\d{2}/\d{2}/(?:index\.html|page/\d+/?)?$")
_PAGER_URL = re.compile(r"(?:[^/]+/)?page/\d+/?$")
_CATEGORY_URL = re.compile(r"[^/.][^/]*/(?:index\.html|page/\d+/?)?$")
_NEVER_FOLLOW = re.compile(
    r"/\.(?:a|shared|services)/|/sitelog(?:in|out)|/cdn-cgi/|/comments/|/trackback|/photos/|/images/"
)

# Pages that are not the blog: the post-shutdown notice and bot walls.
_GONE_HOSTS = ("networksolutions.com",)
_GONE_TEXT = re.compile(
    r"typepad\s+(?:has\s+(?:closed|shut\s+down|been\s+discontinued)|is\s+no\s+longer\s+available)", re.I
)
_CHALLENGE = re.compile(
    r"<title>\s*(?:just a moment|attention required|checking your browser)|cf_chl_opt|cf-browser-verification"
    r"|id=['\"]challenge-form['\"]",
    re.I,
)
_WAYBACK_EVIDENCE = re.compile(r"web\.archive\.org|/web/\d{8,14}|WAYBACK TOOLBAR|__wm\.", re.I)
_WAYBACK_TOOLBAR = re.compile(
    r"<!--\s*BEGIN WAYBACK TOOLBAR INSERT\s*-->.*?<!--\s*END WAYBACK TOOLBAR INSERT\s*-->", re.S | re.I
)
_WAYBACK_HEAD = re.compile(
    r"<script[^>]*(?:archive\.org|/_static/js/)[^>]*>.*?<!--\s*End Wayback Rewrite JS Include\s*-->",
    re.S | re.I,
)
# Old feeds open with a DOCTYPE (RSS 0.91's Netscape DTD) before the root element.


# ---------------------------------------------------------------------------------
# Entry point


def seeds(blog_url: str) -> list[Link]:
    """Feed first (exact dates, a hint per post), then the date-based archive index."""
    root = blog_root(blog_url)
    return [
        Link(root + "atom.xml", LinkKind.FEED, priority=1),
        Link(root + "archives.html", LinkKind.LISTING),
    ]


def parse(text: str, url: str, kind: LinkKind, follow: bool = True) -> Page:
    """Parse one fetched document (permalink, listing, archive index or feed)."""
    url = unwayback(url)
    outcome = _not_content(text, url)
    if outcome:
        return Page(kind=kind, outcome=outcome)
    if is_feed(text):
        return parse_feed(text, url, kind)
    archived = _archived(text)
    root = parse_html(_strip_wayback_text(text) if archived else text)
    if root is None:
        return Page(kind=kind, outcome="empty")
    if archived:
        _strip_wayback_tree(root)
    home = _declared_home(root, url)
    blog_title = _blog_title(root)
    page = Page(kind=kind, blog_title=blog_title, links=_links(root, url, home) if follow else [])
    entries = [
        e for e in xpath(root, SELECTORS["entry"]) or _classic_entries(root) if _entry_type(e) != "page"
    ]
    stated = trackback_dates(root, url)
    if kind is LinkKind.POST:
        own = _declared_permalink(root, url)
        entry = _main_entry(entries, own, url)
        if entry is None:
            page.outcome = "not_a_post"
            return page
        page.posts = [_post(root, entry, own, home, stated.get(own), blog_title, with_comments=True)]
        return page
    for entry in entries:
        permalink = _entry_permalink(entry, url)
        if permalink:
            post = _post(root, entry, permalink, home, stated.get(permalink), blog_title, with_comments=False)
            page.posts.append(post)
    if kind is LinkKind.FEED:
        page.outcome = "not_a_feed"
    return page


def _not_content(text: str, url: str) -> str | None:
    if not text or not text.strip():
        return "empty"
    host = (urlsplit(url).hostname or "").lower()
    has_entries = "entry-body" in text or "entry-content" in text
    if host.endswith(_GONE_HOSTS) or (not has_entries and _GONE_TEXT.search(text[:100_000])):
        return "blog_gone"
    if not has_entries and _CHALLENGE.search(text[:100_000]):
        return "challenge"
    return None


def _archived(text: str) -> bool:
    """Whether the page is a Wayback capture: :data:`_WAYBACK_EVIDENCE`, which a case-insensitive
    search tries at every character (0.9 ms a 20 KB page), run only on a page holding the start of
    one of its URL forms; its two other forms are plain words."""
    lowered = text.lower()
    if "wayback toolbar" in lowered or "__wm." in lowered:
        return True
    return ("web.arch" in lowered or "/web/" in lowered) and bool(_WAYBACK_EVIDENCE.search(text))


def _strip_wayback_text(text: str) -> str:
    return _WAYBACK_HEAD.sub("", _WAYBACK_TOOLBAR.sub("", text))


def _strip_wayback_tree(root: lxml_html.HtmlElement) -> None:
    for node in xpath(root, SELECTORS["wayback_chrome"]):
        if node.getparent() is not None:
            node.drop_tree()
    root.rewrite_links(unwayback, resolve_base_href=False)


def _declared_home(root: lxml_html.HtmlElement, url: str) -> str:
    """The blog root the page declares (``<link rel=start>``, banner), else one from the URL."""
    page_path = urlsplit(url).path or "/"
    for href in xpath(root, SELECTORS["home"]):
        home = absolute(url, href)
        if not home or not same_host(home, url):
            continue
        parts = urlsplit(home)
        path = parts.path[: parts.path.rfind("/") + 1] or "/"
        if page_path.startswith(path):
            return canonicalize(urlunsplit((parts.scheme, parts.netloc, path, "", "")))
    return blog_root(url)


def _blog_title(root: lxml_html.HtmlElement) -> str | None:
    site = meta_content(root, prop="og:site_name")
    if site:
        return site
    banner = xpath(root, SELECTORS["blog_title"])
    return clean_text(element_text(banner[0])) if banner else None


def _links(root: lxml_html.HtmlElement, url: str, home: str) -> list[Link]:
    """Permalinks, pagination, monthly and category archives of this blog; nothing else.

    A category page is followed when a category box links it (sidebar, entry footer) or when
    it is a page of one; each distinct href of the page is resolved and classified once.
    """
    found = [
        kind for href in dict.fromkeys(_LINK_HREFS(root)) if (kind := _target_kind(absolute(url, href), home))
    ]
    boxed = _boxed(root, {target for _, target, needs_box in found if needs_box}, url)
    links: list[Link] = []
    seen = {canonical_url(url)}
    for kind, target, needs_box in found:
        if target not in seen and (not needs_box or target in boxed):
            seen.add(target)
            links.append(Link(target, kind, redundant=kind is LinkKind.LISTING and _redundant(target, home)))
    return links


@lru_cache(maxsize=1 << 14)
def _target_kind(target: str | None, home: str) -> tuple[LinkKind, str, bool] | None:
    """What a resolved link of a page of the blog at ``home`` is: its kind, its canonical URL and
    whether it is a listing only if a category box links it; None when it is never followed."""
    if not target or _NEVER_FOLLOW.search(target) or _foreign(target, home):
        return None
    rest = under(target, home)
    if rest is None:
        return None
    if is_post_url(target):
        return LinkKind.POST, canonical_url(target), False
    if urlsplit(target).query:
        return None
    clean = canonicalize(target)
    if rest == "archives.html" or _MONTH_URL.fullmatch(rest) or _PAGER_URL.fullmatch(rest):
        return LinkKind.LISTING, clean, False
    if _CATEGORY_URL.fullmatch(rest):
        return LinkKind.LISTING, clean, "/page/" not in rest
    return None


def _redundant(target: str, home: str) -> bool:
    """A home page N, a category page or one of its pages: every post it lists is in its month's page too."""
    rest = under(target, home) or ""
    return not (rest == "archives.html" or _MONTH_URL.fullmatch(rest))


def _foreign(target: str, home: str) -> bool:
    """Surely on another host than the blog (tested before any URL parsing): an ASCII URL without
    the control characters a URL parser removes, that does not hold the blog's host name at all."""
    host = _host_name(home)
    return bool(host) and target.isascii() and not _URL_REMOVED.search(target) and host not in target.lower()


@lru_cache(maxsize=1 << 10)
def _host_name(url: str) -> str:
    """The lower-cased host name of ``url`` as ``same_host`` compares it; '' when there is none to test."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return "" if "%" in host else host  # an IPv6 zone keeps its case


def _boxed(root: lxml_html.HtmlElement, wanted: set[str], url: str) -> set[str]:
    """Which of the ``wanted`` canonical URLs a category box links."""
    if not wanted:
        return set()
    hrefs = {href for box in with_classes(root, _CATEGORY_BOXES) for href in _HREFS_BELOW(box)}
    # A fragment never makes a canonical URL: "post.html#comments" is canonicalized as
    # "post.html", which the page's other links have put in the cache.
    targets = {target.partition("#")[0] for href in hrefs if (target := absolute(url, href))}
    return {clean for target in targets if (clean := canonicalize(target)) in wanted}


def _classic_entries(root: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """The entries of a template that wraps none (:data:`_CLASSIC_FOOTER`), each wrapped in place in a
    ``div.entry`` of its title (marked ``entry-header``), paragraphs and footer; a footer with no title
    of its own since the previous footer is none."""
    entries = []
    for footer in xpath(root, _CLASSIC_FOOTER):
        run = []
        for node in footer.itersiblings(preceding=True):
            if not isinstance(node.tag, str):
                continue
            if not {"posted", "entry"}.isdisjoint(class_tokens(node.get("class") or "")):
                break  # the previous entry's footer, or that entry once wrapped
            run.append(node)
            if node.tag == "h3":
                break
        if not run or run[-1].tag != "h3":
            continue
        title = run[-1]
        title.set("class", f"{title.get('class') or ''} entry-header".strip())
        entry = lxml_html.Element("div", {"class": "entry"})
        title.addprevious(entry)
        for node in [*reversed(run), footer]:
            entry.append(node)  # moves it, its tail with it
        entries.append(entry)
    return entries


def _entry_type(entry: lxml_html.HtmlElement) -> str:
    match = re.search(r"\bentry-type-(\w+)", entry.get("class", ""))
    return match.group(1) if match else "post"


def _entry_permalink(entry: lxml_html.HtmlElement, url: str) -> str | None:
    hrefs = xpath(entry, SELECTORS["title_link"]) + xpath(entry, SELECTORS["permalink"])
    hrefs += [
        a.get("href")
        for a in entry.iter("a")
        if clean_text(a.text_content()) in ("Permalink", "Lien permanent")
    ]
    for href in hrefs:
        target = absolute(url, href)
        if target and is_post_url(target):
            return canonical_url(target)
    return None


def _declared_permalink(root: lxml_html.HtmlElement, url: str) -> str:
    """The permalink the page declares (a post moved to another month keeps its old URL too)."""
    for href in xpath(root, SELECTORS["canonical"]):
        target = absolute(url, href)
        if target and same_host(target, url) and is_post_url(target):
            return canonical_url(target)
    return canonical_url(url)


def _main_entry(entries: list[lxml_html.HtmlElement], own: str, url: str) -> lxml_html.HtmlElement | None:
    for entry in entries:
        if _entry_permalink(entry, url) == own:
            return entry
    return entries[0] if entries else None


def _post(
    root: lxml_html.HtmlElement,
    entry: lxml_html.HtmlElement,
    url: str,
    home: str,
    stated: When | None,
    blog_title: str | None,
    *,
    with_comments: bool,
) -> PostPage:
    """One entry; ``stated`` is the instant a trackback RDF block gives its permalink, if any."""
    footer = _footer(entry)
    footer_text = clean_text(element_text(footer)) if footer is not None else None
    header = xpath(entry, SELECTORS["date_header"])
    header_text = clean_text(element_text(header[-1])) if header else None
    default_order = "dmy" if _is_french(root, footer_text) else "mdy"
    order = numeric_order(header_text or footer_text or "", _url_month(url), default_order)
    body = _body_html(entry)
    post = PostPage(
        url=url,
        blog_url=home,
        platform=PLATFORM,
        title=clean_text(" ".join(element_text(n) for n in xpath(entry, SELECTORS["title"])[:1]))
        or _linked_heading(entry, url),
        author=_post_author(footer, footer_text) or _entry_author(entry) or _signed_author(entry),
        body_html=body,
        tags=_tags(entry, footer, url, home),
        comment_count=_declared(_DECLARED_COMMENTS, footer_text),
        media_urls=_media(entry, url),
        blog_title=blog_title,
        post_id=xid(entry.get("id"), "entry-"),
        robots=meta_content(root, name="robots"),
    ).set_published(with_stated(post_date(entry, header_text, footer_text, order), stated))
    if with_comments:
        post.comments = comments(root, url, order)
        pings = trackbacks(root, url)
        if pings:
            post.extra["trackbacks"] = pings
    declared_trackbacks = _declared(_DECLARED_TRACKBACKS, footer_text)
    if declared_trackbacks is not None:
        post.extra["trackback_count"] = declared_trackbacks
    return post


def _bare_entry(entry: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """A custom template's entry with no body element (paragraphs right in ``div.entry``): the entry
    without its title, footer and "Continue reading" line."""
    bare = copy.deepcopy(entry)
    for chrome in xpath(bare, SELECTORS["bare_entry_chrome"]):
        chrome.drop_tree()
    return [bare]


def _linked_heading(entry: lxml_html.HtmlElement, url: str) -> str | None:
    """A custom template's title without ``entry-header``: the entry's first heading that links the post."""
    own = canonical_url(url)
    for heading in xpath(entry, SELECTORS["linked_headings"]):
        if any(canonical_url(absolute(url, href) or "") == own for href in xpath(heading, ".//a/@href")):
            return clean_text(element_text(heading))
    return None


def _footer(entry: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    found = xpath(entry, SELECTORS["footer"]) or xpath(entry, SELECTORS["footer_fallback"])
    return found[0] if found else None


def _is_french(root: lxml_html.HtmlElement, footer_text: str | None) -> bool:
    """The template's language: its footer words first, then ``<html lang>``."""
    if footer_text and _FRENCH_TEMPLATE.search(footer_text):
        return True
    if footer_text and _ENGLISH_TEMPLATE.search(footer_text):
        return False
    return (root.get("lang") or root.get("xml:lang") or "").lower().startswith("fr")


def _url_month(url: str) -> int | None:
    match = re.search(r"/(?:19|20)\d{2}/(\d{2})/", url)
    return int(match.group(1)) if match else None


def _declared(pattern: re.Pattern[str], text: str | None) -> int | None:
    match = pattern.search(text or "")
    return int(match.group(1)) if match else None


def _body_html(entry: lxml_html.HtmlElement) -> str | None:
    parts = xpath(entry, SELECTORS["body"]) or xpath(entry, SELECTORS["body_fallback"]) or _bare_entry(entry)
    html_parts = []
    for part in parts:
        part = copy.deepcopy(part)
        part.tail = None
        for junk in xpath(part, SELECTORS["body_junk"]):
            junk.drop_tree()
        # trafilatura drops blocks styled "overflow: hidden" (code boxes of Typepad's editor).
        for styled in xpath(part, ".//*[@style]"):
            del styled.attrib["style"]
        html_parts.append(node_html(part))
    return "\n".join(html_parts) or None


def _post_author(footer: lxml_html.HtmlElement | None, footer_text: str | None) -> str | None:
    if footer is not None:
        for link in xpath(footer, SELECTORS["author"]):
            name = clean_text(link.text_content())
            if name:
                return name
    match = _POST_BY.search(footer_text or "")
    return clean_text(match.group("author")) if match else None


def _entry_author(entry: lxml_html.HtmlElement) -> str | None:
    for node in xpath(entry, SELECTORS["entry_author"]):
        name = clean_text(node.text_content())
        if name:
            return name
    return None


def _signed_author(entry: lxml_html.HtmlElement) -> str | None:
    """A newspaper blog's signature closing the body, "-- Alana Semuels" (latimesblogs): one of the
    body's last three paragraphs is a dash and a name, nothing else."""
    for paragraph in xpath(entry, SELECTORS["last_paragraphs"]):
        match = _SIGNATURE.match(clean_text(paragraph.text_content()) or "")
        if match:
            return match.group(1)
    return None


def _tags(
    entry: lxml_html.HtmlElement, footer: lxml_html.HtmlElement | None, url: str, home: str
) -> list[str]:
    """Categories linked from the footer, then the entry's ``rel=tag`` links (outside the body)."""
    names = []
    if footer is not None:
        for link in footer.iter("a"):
            href = absolute(url, link.get("href"))
            if href and _is_category_link(link, href, home):
                name = clean_text(link.text_content()) or ""
                if not name.endswith(":"):  # "Tags:" linking the tag index labels the list (blogs.elpais.com)
                    names.append(name)
    for link in xpath(entry, SELECTORS["tag_links"]):
        if not xpath(link, SELECTORS["in_body"]):
            names.append(clean_text(link.text_content()) or "")
    return unique(names)


def _is_category_link(link: lxml_html.HtmlElement, href: str, home: str) -> bool:
    if link.get("rel") == "author" or "permalink" in (link.get("class") or "") or is_post_url(href):
        return False
    rest = under(href, home)
    return rest is not None and bool(_CATEGORY_URL.fullmatch(rest)) and not urlsplit(href).query


def _media(entry: lxml_html.HtmlElement, url: str) -> list[str]:
    found = []
    for part in xpath(entry, SELECTORS["body"]) or xpath(entry, SELECTORS["body_fallback"]):
        found += [absolute(url, src) for src in xpath(part, SELECTORS["media"])]
    return unique([u for u in found if u and is_http_url(u)])

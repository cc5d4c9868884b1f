"""Typepad blogs (*.typepad.com, *.blogs.com, custom domains): URLs, enumeration and page parsers."""

from __future__ import annotations

import copy
import re
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.dates import When, iso_when, parse_when, rfc822_when
from crawler.parsers.base import (
    Comment,
    Link,
    LinkKind,
    Page,
    PostPage,
    absolute,
    clean_text,
    element_text,
    meta_content,
    node_html,
    parse_html,
    post_to_hint,
    unique,
)
from crawler.parsers.media import MediaKind
from crawler.urls import canonicalize, is_http_url

PLATFORM = "typepad"


def _cls(name: str) -> str:
    """XPath predicate: the element's class list contains ``name``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


# Selectors as data: Six Apart classic templates (2003-2025) and their MT3 ancestors.
SELECTORS = {
    "entry": f"//div[{_cls('entry')}] | //article[{_cls('entry')}]",
    # Inside the entry, else the last one before it (listings print one per day).
    "date_header": f".//*[{_cls('date-header')}] | preceding::*[{_cls('date-header')}][1]",
    "title": f".//*[{_cls('entry-header')}]",
    "title_link": f".//*[{_cls('entry-header')}]//a/@href",
    "permalink": f".//a[{_cls('permalink')}]/@href",
    "body": f".//div[{_cls('entry-body')}] | .//div[{_cls('entry-more')}]",
    "body_fallback": f".//div[{_cls('entry-content')}]",
    "footer": f".//*[{_cls('entry-footer-info')}] | .//*[{_cls('posted')}]",
    "footer_fallback": f".//*[{_cls('entry-footer')}]",
    "author": ".//a[@rel='author']",
    "published_attr": f".//abbr[{_cls('published')}]/@title | .//time[@datetime]/@datetime",
    "tag_links": ".//a[@rel='tag']",
    "in_body": f"ancestor::div[{_cls('entry-body')} or {_cls('entry-more')}]",
    "comments": f"//div[{_cls('comment')}][starts-with(@id, 'comment-')] | //div[{_cls('comments-body')}]",
    "comment_content": f".//*[{_cls('comment-content')}]",
    "comment_footer": f".//*[{_cls('comment-footer')} or {_cls('comments-post')}]",
    "comment_chrome": f".//*[{_cls('comment-footer')} or {_cls('comments-post')} or {_cls('comment-avatar')}]",
    "in_trackbacks": f"ancestor::*[{_cls('trackbacks')} or {_cls('trackback')}]",
    "trackbacks": f"//div[{_cls('trackback')}] | //div[starts-with(@id, 'ping-')]",
    "body_junk": (
        f".//script | .//style | .//noscript | .//*[{_cls('entry-more-link')} or {_cls('more-link')} "
        f"or {_cls('entry-footer')} or {_cls('entry-footer-share')} or {_cls('post-share')}]"
    ),
    "category_links": (
        f"//*[{_cls('module-categories')} or {_cls('archive-categories')} or {_cls('entry-footer-info')} "
        f"or {_cls('posted')} or {_cls('entry-categories')}]//a/@href"
    ),
    "canonical": "//link[@rel='canonical']/@href | //meta[@property='og:url']/@content",
    "home": f"//link[@rel='start']/@href | //*[@id='banner']//h1//a/@href | //a[{_cls('content-nav-main')}]/@href",
    "blog_title": "//*[@id='banner']//h1",
    "media": ".//img/@src | .//video/@src | .//audio/@src | .//source/@src | .//iframe/@src | .//embed/@src",
    "feed_items": "//*[local-name()='entry' or local-name()='item']",
    "wayback_chrome": (
        "//*[starts-with(@id, 'wm-')] | //*[@id='donato'] | //script[contains(@src, 'archive.org')] "
        "| //script[contains(., '__wm.') or contains(., 'wombat')] | //link[contains(@href, '/_static/')]"
    ),
}

# Footer words of English and French Typepad templates.
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

_COMMENT_BY = re.compile(
    r"^\s*(?:posted\s+by|r[ée]dig[ée]\s+par|publi[ée]\s+par|[ée]crit\s+par|comment\s+by)\s*:?\s*", re.I
)
_POST_BY = re.compile(
    r"(?:posted\s+by|r[ée]dig[ée]\s+par|publi[ée]\s+par|[ée]crit\s+par)\s*:?\s*(?P<author>.+?)"
    r"(?=\s+(?:on|le|at|à|in|dans)\s|\s*\||$)",
    re.I,
)
_FOOTER_TIME = re.compile(r"(?:\bat|à|@)\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.I)
_DECLARED_COMMENTS = re.compile(r"\b(?:comments?|commentaires?)\s*\((\d+)\)", re.I)
_DECLARED_TRACKBACKS = re.compile(r"\btrackbacks?\s*\((\d+)\)", re.I)
_FRENCH_TEMPLATE = re.compile(r"r[ée]dig[ée]|lien permanent|commentaires|publi[ée] par", re.I)
_ENGLISH_TEMPLATE = re.compile(r"posted\s+by|permalink|\bcomments\b", re.I)
_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})\b")
_EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")  # fmt: skip

# URL shapes under a blog root.
_POST_PATH = re.compile(r"/(?:19|20)\d{2}/\d{2}/(?!index\.html?$)[^/]+\.html?$")
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d{2}/\d{2}/")
_MONTH_URL = re.compile(r"(?:19|20)\d{2}/\d{2}/(?:index\.html|page/\d+/?)?$")
_PAGER_URL = re.compile(r"(?:[^/]+/)?page/\d+/?$")
_CATEGORY_URL = re.compile(r"[^/.][^/]*/(?:index\.html|page/\d+/?)?$")
_ROOT_TAIL = re.compile(r"(?:page/\d+/?|archives\.html|atom\.xml|rss\.xml|index\.rdf|index\.html?)$")
_NEVER_FOLLOW = re.compile(
    r"/\.(?:a|shared|services)/|/sitelog(?:in|out)|/cdn-cgi/|/comments/|/trackback|/photos/|/images/"
)
_WAYBACK = re.compile(
    r"^(?:(?:https?:)?//web\.archive\.org)?/web/\d{1,14}(?:[a-z]{2}_|\*)?/+(?P<url>.+)$", re.I
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
_FEED_START = re.compile(
    r"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>\s*)*<(?:feed|rss|rdf:RDF)\b",
    re.S | re.I,
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")


# ---------------------------------------------------------------------------------
# URLs


def unwayback(url: str) -> str:
    """The original URL of a Wayback-rewritten one (``/web/2013.../http://x``); others unchanged."""
    match = _WAYBACK.match(url.strip())
    if not match:
        return url
    original = match.group("url")
    if re.match(r"^https?:/[^/]", original, re.I):
        original = original.replace(":/", "://", 1)
    return original if re.match(r"^https?://", original, re.I) else "http://" + original


def is_post_url(url: str) -> bool:
    """A permalink: ``/<blog>/YYYY/MM/<slug>.html``."""
    try:
        path = urlsplit(unwayback(url)).path
    except ValueError:
        return False
    return bool(_POST_PATH.search(path))


def canonical_url(url: str) -> str:
    """The canonical URL; permalinks lose their query (``?cid=``, ``?no_prefetch=1``)."""
    url = unwayback(url)
    if is_post_url(url):
        parts = urlsplit(url)
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return canonicalize(url)


def blog_root(url: str) -> str:
    """The blog's root: Typepad blogs live under a path (``name.typepad.com/<blog>/``)."""
    parts = urlsplit(unwayback(url))
    path = parts.path or "/"
    dated = _DATE_IN_PATH.search(path)
    if dated:
        path = path[: dated.start() + 1]
    else:
        path = _ROOT_TAIL.sub("", path)
        path = path[: path.rfind("/") + 1]
    segments = [s for s in path.split("/") if s]
    root = f"/{segments[0]}/" if segments and not segments[0].startswith(".") else "/"
    return canonicalize(urlunsplit((parts.scheme, parts.netloc, root, "", "")))


def seeds(blog_url: str) -> list[Link]:
    """Feed first (exact dates, a hint per post), then the date-based archive index."""
    root = blog_root(blog_url)
    return [
        Link(root + "atom.xml", LinkKind.FEED, priority=1),
        Link(root + "archives.html", LinkKind.LISTING),
    ]


# ---------------------------------------------------------------------------------
# Entry point


def parse(text: str, url: str, kind: LinkKind) -> Page:
    """Parse one fetched document (permalink, listing, archive index or feed)."""
    url = unwayback(url)
    outcome = _not_content(text, url)
    if outcome:
        return Page(kind=kind, outcome=outcome)
    if _FEED_START.match(text[:2000]):
        return _parse_feed(text, url, kind)
    archived = bool(_WAYBACK_EVIDENCE.search(text))
    root = parse_html(_strip_wayback_text(text) if archived else text)
    if root is None:
        return Page(kind=kind, outcome="empty")
    if archived:
        _strip_wayback_tree(root)
    home = _declared_home(root, url)
    page = Page(kind=kind, blog_title=_blog_title(root), links=_links(root, url, home))
    entries = [e for e in root.xpath(SELECTORS["entry"]) if _entry_type(e) != "page"]
    if kind is LinkKind.POST:
        own = _declared_permalink(root, url)
        entry = _main_entry(entries, own, url)
        if entry is None:
            page.outcome = "not_a_post"
            return page
        page.posts = [_post(root, entry, own, home, with_comments=True)]
        return page
    for entry in entries:
        permalink = _entry_permalink(entry, url)
        if permalink:
            page.posts.append(_post(root, entry, permalink, home, with_comments=False))
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


# ---------------------------------------------------------------------------------
# Wayback chrome


def _strip_wayback_text(text: str) -> str:
    return _WAYBACK_HEAD.sub("", _WAYBACK_TOOLBAR.sub("", text))


def _strip_wayback_tree(root: lxml_html.HtmlElement) -> None:
    for node in root.xpath(SELECTORS["wayback_chrome"]):
        if node.getparent() is not None:
            node.drop_tree()
    root.rewrite_links(unwayback, resolve_base_href=False)


# ---------------------------------------------------------------------------------
# Blog-level fields and links


def _declared_home(root: lxml_html.HtmlElement, url: str) -> str:
    """The blog root the page declares (``<link rel=start>``, banner), else one from the URL."""
    page_path = urlsplit(url).path or "/"
    for href in root.xpath(SELECTORS["home"]):
        home = absolute(url, href)
        if not home or not _same_host(home, url):
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
    banner = root.xpath(SELECTORS["blog_title"])
    return clean_text(element_text(banner[0])) if banner else None


def _same_host(a: str, b: str) -> bool:
    try:
        pa, pb = urlsplit(a), urlsplit(b)
        return (pa.hostname or "").lower() == (pb.hostname or "").lower() and pa.port == pb.port
    except ValueError:  # a port that is no number: not this blog
        return False


def _under(url: str, home: str) -> str | None:
    """The path of ``url`` relative to the blog root, or None when off the blog."""
    if not is_http_url(url) or not _same_host(url, home):
        return None
    path, root_path = urlsplit(url).path, urlsplit(home).path
    return path[len(root_path) :] if path.startswith(root_path) else None


def _links(root: lxml_html.HtmlElement, url: str, home: str) -> list[Link]:
    """Permalinks, pagination, monthly and category archives of this blog; nothing else."""
    categories = {
        canonicalize(u) for u in (absolute(url, h) for h in root.xpath(SELECTORS["category_links"])) if u
    }
    links: list[Link] = []
    seen = {canonical_url(url)}
    for href in root.xpath("//a/@href | //link[@rel='next' or @rel='prev']/@href"):
        target = absolute(url, href)
        if not target or _NEVER_FOLLOW.search(target):
            continue
        link = _classify(target, home, categories)
        if link and link.url not in seen:
            seen.add(link.url)
            links.append(link)
    return links


def _classify(target: str, home: str, categories: set[str]) -> Link | None:
    rest = _under(target, home)
    if rest is None:
        return None
    if is_post_url(target):
        return Link(canonical_url(target), LinkKind.POST)
    if urlsplit(target).query:
        return None
    clean = canonicalize(target)
    if rest == "archives.html" or _MONTH_URL.fullmatch(rest) or _PAGER_URL.fullmatch(rest):
        return Link(clean, LinkKind.LISTING)
    if _CATEGORY_URL.fullmatch(rest) and (clean in categories or "/page/" in rest):
        return Link(clean, LinkKind.LISTING)
    return None


# ---------------------------------------------------------------------------------
# Entries


def _entry_type(entry: lxml_html.HtmlElement) -> str:
    match = re.search(r"\bentry-type-(\w+)", entry.get("class", ""))
    return match.group(1) if match else "post"


def _entry_permalink(entry: lxml_html.HtmlElement, url: str) -> str | None:
    hrefs = entry.xpath(SELECTORS["title_link"]) + entry.xpath(SELECTORS["permalink"])
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
    for href in root.xpath(SELECTORS["canonical"]):
        target = absolute(url, href)
        if target and _same_host(target, url) and is_post_url(target):
            return canonical_url(target)
    return canonical_url(url)


def _main_entry(entries: list[lxml_html.HtmlElement], own: str, url: str) -> lxml_html.HtmlElement | None:
    for entry in entries:
        if _entry_permalink(entry, url) == own:
            return entry
    return entries[0] if entries else None


def _post(
    root: lxml_html.HtmlElement, entry: lxml_html.HtmlElement, url: str, home: str, *, with_comments: bool
) -> PostPage:
    footer = _footer(entry)
    footer_text = clean_text(element_text(footer)) if footer is not None else None
    header = entry.xpath(SELECTORS["date_header"])
    header_text = clean_text(element_text(header[-1])) if header else None
    default_order = "dmy" if _is_french(root, footer_text) else "mdy"
    order = _numeric_order(header_text or footer_text or "", _url_month(url), default_order)
    body = _body_html(entry)
    post = PostPage(
        url=url,
        blog_url=home,
        platform=PLATFORM,
        title=clean_text(" ".join(element_text(n) for n in entry.xpath(SELECTORS["title"])[:1])),
        author=_post_author(footer, footer_text),
        body_html=body,
        tags=_tags(entry, footer, url, home),
        comment_count=_declared(_DECLARED_COMMENTS, footer_text),
        media_urls=_media(entry, url),
        blog_title=_blog_title(root),
        post_id=_xid(entry.get("id"), "entry-"),
        robots=meta_content(root, name="robots"),
    ).set_published(_post_date(entry, header_text, footer_text, order))
    if with_comments:
        post.comments = _comments(root, url, order)
        trackbacks = _trackbacks(root, url)
        if trackbacks:
            post.extra["trackbacks"] = trackbacks
    declared_trackbacks = _declared(_DECLARED_TRACKBACKS, footer_text)
    if declared_trackbacks is not None:
        post.extra["trackback_count"] = declared_trackbacks
    return post


def _footer(entry: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    found = entry.xpath(SELECTORS["footer"]) or entry.xpath(SELECTORS["footer_fallback"])
    return found[0] if found else None


def _xid(value: str | None, prefix: str) -> str | None:
    return value[len(prefix) :] if value and value.startswith(prefix) and len(value) > len(prefix) else None


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
    parts = entry.xpath(SELECTORS["body"]) or entry.xpath(SELECTORS["body_fallback"])
    html_parts = []
    for part in parts:
        part = copy.deepcopy(part)
        part.tail = None
        for junk in part.xpath(SELECTORS["body_junk"]):
            junk.drop_tree()
        # trafilatura drops blocks styled "overflow: hidden" (code boxes of Typepad's editor).
        for styled in part.xpath(".//*[@style]"):
            del styled.attrib["style"]
        html_parts.append(node_html(part))
    return "\n".join(html_parts) or None


def _post_author(footer: lxml_html.HtmlElement | None, footer_text: str | None) -> str | None:
    if footer is not None:
        for link in footer.xpath(SELECTORS["author"]):
            name = clean_text(link.text_content())
            if name:
                return name
    match = _POST_BY.search(footer_text or "")
    return clean_text(match.group("author")) if match else None


def _post_date(
    entry: lxml_html.HtmlElement, header: str | None, footer: str | None, order: str
) -> When | None:
    for value in entry.xpath(SELECTORS["published_attr"]):
        parsed = iso_when(value)
        if parsed:
            return parsed
    time_match = _FOOTER_TIME.search(footer or "")
    footer_date = parse_when(_denumber(footer, order)) if footer and _has_day(footer) else None
    if footer_date:
        return footer_date
    if header:
        combined = f"{_denumber(header, order)} {time_match.group(0) if time_match else ''}"
        return parse_when(combined)
    return None


def _has_day(text: str) -> bool:
    return bool(
        _NUMERIC_DATE.search(text)
        or re.search(r"\b\d{1,2}(?:er|st|nd|rd|th)?,?\s+\D*?(?:19|20)\d{2}\b", text)
    )


def _numeric_order(text: str, url_month: int | None, default: str) -> str:
    """Day-first or month-first for ``MM/DD/YYYY``-style dates: the numbers, the URL, the language."""
    match = _NUMERIC_DATE.search(text)
    if not match:
        return default
    a, b = int(match.group(1)), int(match.group(2))
    if a > 12 or b > 12:
        return "dmy" if a > 12 else "mdy"
    if url_month in (a, b) and a != b:
        return "mdy" if url_month == a else "dmy"
    return default


def _denumber(text: str, order: str) -> str:
    """``09/17/2013`` -> ``17 September 2013`` (unambiguous for ``parse_date``)."""

    def spell(match: re.Match[str]) -> str:
        a, b, year = int(match.group(1)), int(match.group(2)), match.group(3)
        month, day = (a, b) if _numeric_order(match.group(0), None, order) == "mdy" else (b, a)
        return f"{day} {_EN_MONTHS[month - 1]} {year}" if 1 <= month <= 12 else match.group(0)

    return _NUMERIC_DATE.sub(spell, text)


def _tags(
    entry: lxml_html.HtmlElement, footer: lxml_html.HtmlElement | None, url: str, home: str
) -> list[str]:
    """Categories linked from the footer, then the entry's ``rel=tag`` links (outside the body)."""
    names = []
    if footer is not None:
        for link in footer.iter("a"):
            href = absolute(url, link.get("href"))
            if href and _is_category_link(link, href, home):
                names.append(clean_text(link.text_content()) or "")
    for link in entry.xpath(SELECTORS["tag_links"]):
        if not link.xpath(SELECTORS["in_body"]):
            names.append(clean_text(link.text_content()) or "")
    return unique(names)


def _is_category_link(link: lxml_html.HtmlElement, href: str, home: str) -> bool:
    if link.get("rel") == "author" or "permalink" in (link.get("class") or "") or is_post_url(href):
        return False
    rest = _under(href, home)
    return rest is not None and bool(_CATEGORY_URL.fullmatch(rest)) and not urlsplit(href).query


def _media(entry: lxml_html.HtmlElement, url: str) -> list[str]:
    found = []
    for part in entry.xpath(SELECTORS["body"]) or entry.xpath(SELECTORS["body_fallback"]):
        found += [absolute(url, src) for src in part.xpath(SELECTORS["media"])]
    return unique([u for u in found if u and is_http_url(u)])


# ---------------------------------------------------------------------------------
# Comments and trackbacks


def _comments(root: lxml_html.HtmlElement, url: str, order: str) -> list[Comment]:
    comments = []
    for node in root.xpath(SELECTORS["comments"]):
        if node.xpath(SELECTORS["in_trackbacks"]):
            continue
        footer = node.xpath(SELECTORS["comment_footer"])
        author, author_url, published = _comment_signature(footer[0] if footer else None, url, order)
        comments.append(
            Comment(
                id=_xid(node.get("id"), "comment-"),
                author=author,
                author_url=author_url,
                text=_comment_text(node),
            ).set_published(published)
        )
    return comments


def _comment_text(node: lxml_html.HtmlElement) -> str:
    content = node.xpath(SELECTORS["comment_content"])
    if content:
        return element_text(content[0])
    node = copy.deepcopy(node)
    for chrome in node.xpath(SELECTORS["comment_chrome"]):
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
    comment_order = _numeric_order(when, None, order)
    return author, author_url, parse_when(_denumber(when, comment_order))


def _trackbacks(root: lxml_html.HtmlElement, url: str) -> list[str]:
    """The source URLs of trackbacks (links from other blogs: never comments)."""
    found = []
    for node in root.xpath(SELECTORS["trackbacks"]):
        for href in node.xpath(".//a/@href"):
            target = absolute(url, href)
            if target and is_http_url(target) and not _same_host(target, url):
                found.append(target)
                break
    return unique(found)


# ---------------------------------------------------------------------------------
# Feeds (Atom, RSS 2.0, RSS 1.0)


def _parse_feed(text: str, url: str, kind: LinkKind) -> Page:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
    try:
        doc = etree.fromstring(_XML_DECL.sub("", text, count=1).strip(), parser)
    except (etree.XMLSyntaxError, ValueError):
        doc = None
    if doc is None:
        return Page(kind=kind, outcome="unparsable")
    channel = doc.find("{*}channel")
    home = blog_root(_feed_link(doc if channel is None else channel, url) or url)
    title = _child_text(doc, "title") or _child_text(doc, "channel/title")
    page = Page(kind=kind, blog_title=title)
    for item in doc.xpath(SELECTORS["feed_items"]):
        post = _feed_post(item, url, home)
        if post is None or _under(post.url, home) is None:
            continue
        post.blog_title = title
        page.posts.append(post)
        page.links.append(Link(post.url, LinkKind.POST, hint=post_to_hint(post)))
    return page


def _child_text(node: etree._Element, path: str) -> str | None:
    xpath = "/".join(f"*[local-name()='{step}']" for step in path.split("/"))
    found = node.xpath(xpath)
    return clean_text("".join(found[0].itertext())) if found else None


def _feed_post(item: etree._Element, url: str, home: str) -> PostPage | None:
    link = _feed_link(item, url)
    if not link or not is_post_url(link):
        return None
    published = _feed_date(item, ("published", "pubDate", "date", "issued", "created"))
    tags = [
        c.get("term") or clean_text("".join(c.itertext())) for c in item.xpath("*[local-name()='category']")
    ]
    body = _child_html(item)
    return PostPage(
        url=canonical_url(link),
        blog_url=home,
        platform=PLATFORM,
        title=_child_text(item, "title"),
        author=_child_text(item, "author/name")
        or _child_text(item, "creator")
        or _child_text(item, "author"),
        updated=_instant(_feed_date(item, ("updated", "modified"))),
        body_html=body,
        tags=unique([t for t in tags if t]),
        media_urls=_feed_media(body, link),
        post_id=_feed_xid(_child_text(item, "id") or _child_text(item, "guid")),
    ).set_published(published)


def _feed_link(item: etree._Element, url: str) -> str | None:
    """The HTML page of a feed or entry (FeedBurner's ``origLink`` first)."""
    original = _child_text(item, "origLink")
    if original:
        return absolute(url, original)
    for node in item.xpath("*[local-name()='link']"):
        href = node.get("href")
        if href and node.get("rel", "alternate") == "alternate":
            return absolute(url, href)
        if not href and node.text:
            return absolute(url, node.text.strip())
    return None


def _feed_date(item: etree._Element, names: tuple[str, ...]) -> When | None:
    for name in names:
        value = _child_text(item, name)
        parsed = (iso_when(value) or rfc822_when(value)) if value else None
        if parsed:
            return parsed
    return None


def _instant(when: When | None) -> datetime | None:
    return when.utc if when else None


def _child_html(item: etree._Element) -> str | None:
    for name in ("content", "encoded", "description", "summary"):
        found = item.xpath(f"*[local-name()='{name}']")
        if not found:
            continue
        node = found[0]
        if node.get("type") == "xhtml" or len(node):
            return "".join(etree.tostring(child, encoding="unicode") for child in node)
        if node.text and node.text.strip():
            return node.text
    return None


def _feed_media(body: str | None, url: str) -> list[str]:
    root = parse_html(body) if body else None
    if root is None:
        return []
    return unique(
        [u for u in (absolute(url, s) for s in root.xpath(SELECTORS["media"])) if u and is_http_url(u)]
    )


def _feed_xid(value: str | None) -> str | None:
    """``tag:typepad.com,2003:post-6a00d8341c...`` -> ``6a00d8341c...``."""
    match = re.search(r"post-([0-9a-f]{16,})", value or "")
    return match.group(1) if match else None

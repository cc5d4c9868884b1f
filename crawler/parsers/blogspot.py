"""Blogger / Blogspot: JSON and Atom feeds, Layouts and newer templates, threaded and classic comments."""

from __future__ import annotations

import html
import json
import re
from copy import deepcopy
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.dates import When, epoch_when, iso_when, parse_iso, parse_when, rfc822_when
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
    to_int,
    unique,
)
from crawler.parsers.media import MediaKind
from crawler.urls import canonicalize, is_http_url, same_site

PLATFORM = "blogspot"
FEED_PATH = "feeds/posts/default"
# Blogger caps max-results at 100 since 2019 (500, then 150 in 2016): always page with start-index.
FEED_PAGE_SIZE = 100
FEED_PAGES_AHEAD = 1000  # feed pages the first one names at once when it gives the total

_CLASS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"


def _has(*classes: str) -> str:
    return "(" + " or ".join(_CLASS.format(c) for c in classes) + ")"


# Selectors as data: a template change edits this table, not the control flow. Tuples are
# alternatives, best first; ".//" selectors are relative to one post.
SELECTORS = {
    # Post bodies of Layouts (2006+), 2017+ themes, Dynamic Views snapshots and Google's blogs.
    "body": f"//*[{_has('post-body', 'entry-content', 'article-content')} or contains(@itemprop, 'articleBody')]",
    "outer_body": f"ancestor::*[{_has('post-body', 'entry-content', 'article-content')}"
    " or contains(@itemprop, 'articleBody')]",
    # The post around a body: its nearest ancestor of these.
    "container": f"ancestor::*[{_has('hentry', 'post', 'blog-post', 'article', 'post-outer')}"
    " or @itemprop='blogPost' or self::article][1]",
    # One header per day on listings: the nearest one before the post.
    "date_header": f"preceding::*[{_has('date-header')}][1]",
    "title": (
        f".//*[{_has('post-title', 'entry-title')}]",
        ".//*[self::h1 or self::h2 or self::h3][@itemprop='name']",
    ),
    "permalink": (
        f".//*[{_has('post-title', 'entry-title')}]//a/@href",
        f".//a[{_has('timestamp-link')}]/@href",
        ".//meta[@itemprop='url']/@content",
        ".//a[@rel='bookmark']/@href",
        ".//a[@itemprop='url']/@href",
    ),
    "published_iso": (
        f".//abbr[{_has('published')}]/@title",
        f".//time[{_has('published')}]/@datetime",
        ".//*[@itemprop='datePublished']/@content",
        ".//*[@itemprop='datePublished']/@datetime",
        ".//*[@itemprop='datePublished']/@title",
        f".//*[{_has('published')}]/@datetime",
        ".//time/@datetime",
    ),
    "updated_iso": (f".//abbr[{_has('updated')}]/@title", f".//time[{_has('updated')}]/@datetime"),
    # Date-only or time-only texts, joined with the day's header ("mercredi 5 mars 2014" + "10:22").
    "published_text": (
        f".//*[{_has('post-timestamp')}]",
        f".//*[{_has('publishdate')}]",
        ".//*[@itemprop='datePublished']",
    ),
    "author": (
        f".//*[{_has('post-author')}]//*[{_has('fn')}]",
        f".//*[{_has('post-author')}]//*[@itemprop='name']",
        ".//*[@itemprop='author']//*[@itemprop='name']",
        ".//a[@rel='author']",
        f".//*[{_has('entry-author-link')}]",
        f".//*[{_has('post-author')}]//a",
        f".//*[{_has('post-author')}]",
    ),
    "labels": (f".//*[{_has('post-labels', 'labels', 'label-footer', 'entry-tags')}]//a", ".//a[@rel='tag']"),
    "post_id": (".//meta[@itemprop='postId']/@content", ".//a/@name"),
    "comment_link": f".//a[{_has('comment-link')}][not(contains(@id, 'backlinks'))]",
    # Inside a body: never text (share buttons, jump links, admin icons, scripts, ads).
    "junk": ".//script | .//style | .//form | .//meta | .//ins"
    f" | .//*[{_has('post-share-buttons', 'share-button', 'reaction-buttons', 'jump-link', 'post-footer')}]"
    f" | .//*[{_has('item-control', 'blog-admin', 'adsbygoogle', 'inline-ad')}]",
    "media": ".//img/@src | .//iframe/@src | .//video/@src | .//source/@src | .//embed/@src | .//object/@data",
    # Comments, threaded (2012+): li.comment in a comment thread; replies nest in .comment-replies.
    "thread_comments": f"//li[{_has('comment')}][ancestor::*[{_has('comment-thread')}]]",
    "comment_block": f"./*[{_has('comment-block')}]",
    "comment_author": f".//cite[{_has('user')}]",
    "comment_time": f".//*[{_has('datetime')}]//a",
    "comment_text": f".//*[{_has('comment-content')}]",
    "comment_parent": f"ancestor::li[{_has('comment')}][1]",
    # Comments, classic: dl#comments-block with dt (author) / dd.comment-body / dd.comment-footer.
    "classic_comments": "//dl[@id='comments-block']/dt",
    "classic_body": f"following-sibling::dd[{_has('comment-body')}][1]",
    "classic_footer": f"following-sibling::dd[{_has('comment-footer')}][1]",
    "classic_time": f".//*[{_has('comment-timestamp')}]//a | .//a[@title='comment permalink']",
    # Declared counts: the comments section's attribute, then its heading ("3 commentaires :").
    "comment_count_attr": "//*[@id='comments']/@data-num-comments",
    "comment_heading": "//*[@id='comments']//h4[not(@id='comment-post-message')]"
    "[not(ancestor::*[contains(@id, 'backlinks')])]",
    "older_link": f"//a[{_has('blog-pager-older-link')}]/@href | //*[@id='blog-pager-older-link']/a/@href",
    "blog_title": (f"//*[{_has('Header')}]//h1", "//*[@id='blog-title']", f"//*[{_has('header-title')}]//h2"),
    "status": f"//title | //h1 | //*[{_has('status-msg-body', 'errorbox')}] | //*[@id='main']//p",
    "dynamic_views": "//script[contains(@src, 'blogblog.com/dynamicviews/')]",
}


def _blogger_full(match: re.Match[str]) -> str:
    """``/s320/`` -> ``/s1600/`` (a larger ``/s2048/`` is kept); ``=w640-h480`` -> ``=s0``."""
    if match.group("sep") == "=":
        return "=s0"
    size = match.group("size")
    return match.group(0) if size and int(size) >= 1600 and not match.group("crop") else "/s1600/"


# Media URL rules (crawler.parsers.media): bp.blogspot.com / googleusercontent.com sizes.
MEDIA_SIZES = (
    (
        re.compile(r"(?P<sep>/)(?:s(?P<size>\d+)|w\d+-h\d+|h\d+|w\d+)(?P<crop>(?:-[a-z]+)*)/(?=[^/]+$)"),
        _blogger_full,
    ),
    (re.compile(r"(?P<sep>=)(?:s\d+|w\d+-h\d+|w\d+|h\d+)(?:-[a-z]+)*$"), _blogger_full),
)
MEDIA_CHROME = tuple(
    re.compile(p, re.I)
    for p in (
        r"//(?:resources|img\d|www)\.blogblog\.com/",  # theme images
        r"//www\.blogger\.com/img/",  # icon18_edit_allbkg.gif, the quick-edit pencil
        r"//blogger\.googleusercontent\.com/tracker/",  # the view counter pixel
        r"//(?:www\.)?blogger\.com/(?:profile|img/b16|img/avatar)",
        r"/b/stats\?",
        r"//lh\d\.googleusercontent\.com/[^?#]*/(?:s35|s45|s72-c)-?[^/]*/[^/]*photo\.jpg$",  # commenters' avatars
    )
)
MEDIA_KINDS = (
    (
        re.compile(
            r"//(?:\d\.bp\.blogspot\.com|blogger\.googleusercontent\.com/img|lh\d\.googleusercontent\.com)/"
        ),
        MediaKind.IMAGE,
    ),
)

POST_PATH = re.compile(r"^/\d{4}/\d{2}/[^/]+\.html$")
# Date archives: /2011/, /2011/03/, /2011/03/30/ and the legacy /2011_03_30_archive.html.
ARCHIVE_PATH = re.compile(r"^/(?:\d{4}/(?:\d{2}/(?:\d{2}/)?)?|\d{4}_\d{2}_\d{2}_archive\.html)$")
BLOG_POST_ID = re.compile(r"blog-(\d+)\.post-(\d+)")
SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,16})")
COMMENT_ANCHOR = re.compile(r"#c(\d+)$")
COMMENT_ID = re.compile(r"^c(\d+)$")
DATA_CONTEXT_TITLE = re.compile(
    r"_WidgetManager\._SetDataContext\(\[\{'name': 'blog', 'data': \{[^}]*?'title': '((?:[^'\\]|\\.)*)'"
)
ERROR_PAGE = re.compile(r"'pageType': 'error_page'")
ITEM_POST_ID = re.compile(r"'pageType': 'item', 'postId': '(\d+)'")
JSONP = re.compile(r"^\s*(?://[^\n]*\n\s*)?[\w.$]+\((?P<json>.*)\)\s*;?\s*$", re.S)

# "Publié par X", "Posted by X", "Eingestellt von X"...: the prefix is UI, not the name.
AUTHOR_PREFIX = re.compile(
    r"^(?:publié par|posté par|écrit par|posted by|written by|by|par|eingestellt von|lagt inn av|"
    r"gepost door|pubblicato da|publicado por|opublikowane przez)\s*:?\s*",
    re.I,
)
# "Bob a dit…", "Bob said...": classic comment headers.
COMMENT_SAID = re.compile(
    r"\s*(?:a dit|said|hat gesagt|sa|zei|ha detto|dijo|disse)\s*(?:…|\.\.\.)?\s*:?\s*$", re.I
)
# Headings that declare zero comments ("Aucun commentaire:", "No comments:", "Keine Kommentare:").
ZERO_COMMENTS = re.compile(
    r"\b(?:aucun commentaire|pas de commentaire|no comments|keine kommentare|ingen kommentarer|"
    r"geen reacties|geen opmerkingen|nessun commento|sin comentarios|sem comentários|brak komentarzy)\b",
    re.I,
)
# Pages that are not content, by their title, headings or status message.
OUTCOMES = (
    ("blog_gone", re.compile(
        r"\bblog (?:not found|introuvable|has been removed|a été supprimé)|"
        r"\bsorry, the blog (?:at \S+ )?(?:has been removed|you were looking for does not exist)|"
        r"\bdésolé, le blog (?:à l'adresse \S+ a été supprimé|que vous recherchez n'existe pas)", re.I)),
    ("login_wall", re.compile(
        r"open to invited readers only|ouvert uniquement aux lecteurs invités|réservé aux lecteurs invités|"
        r"\bsign in\b.*\bgoogle account|connectez-vous.*compte google", re.I | re.S)),
    ("content_warning", re.compile(r"\bcontent warning\b|avertissement relatif au contenu", re.I)),
    ("not_found", re.compile(
        r"the page you were looking for in this blog does not exist|"
        r"la page que vous recherchez dans ce blog n'existe pas", re.I)),
)  # fmt: skip
ATOM_NS = {
    "a": "http://www.w3.org/2005/Atom",
    "thr": "http://purl.org/syndication/thread/1.0",
    "os": "http://a9.com/-/spec/opensearchrss/1.0/",
    "os11": "http://a9.com/-/spec/opensearch/1.1/",
}


# ---------------------------------------------------------------------------------
# URLs


def canonical_url(url: str) -> str:
    """Country domains folded (blogspot.fr -> .com), ``?m=1``, ``showComment`` and fragments dropped."""
    return canonicalize(url)


def blog_root(url: str) -> str:
    """Blogger blogs live at the root of their host."""
    parts = urlsplit(canonicalize(url))
    return urlunsplit((parts.scheme, parts.netloc, "/", "", ""))


def is_post_url(url: str) -> bool:
    """Permalinks are ``/YYYY/MM/<slug>.html``."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return bool(POST_PATH.match(parts.path))


def feed_url(blog_url: str, start_index: int = 1, max_results: int = FEED_PAGE_SIZE) -> str:
    query = urlencode({"alt": "json", "start-index": start_index, "max-results": max_results})
    return f"{blog_root(blog_url)}{FEED_PATH}?{query}"


def seeds(blog_url: str) -> list[Link]:
    """The posts feed (exact dates, ids and labels, a hint per post) and the home page."""
    root = blog_root(blog_url)
    return [Link(feed_url(root), LinkKind.FEED, priority=1), Link(root, LinkKind.HOME)]


# ---------------------------------------------------------------------------------
# Entry point


def parse(text: str, url: str, kind: LinkKind) -> Page:
    """Parse one fetched feed or HTML page of a Blogger blog. Never raises on bad input."""
    if kind is LinkKind.FEED:
        return parse_feed(text, url)
    root = parse_html(text)
    if root is None:
        return Page(kind=kind, outcome="empty")
    return parse_page(root, text, url, kind)


# ---------------------------------------------------------------------------------
# Feeds: alt=json (also json-in-script), Atom and RSS


def parse_feed(text: str, url: str) -> Page:
    """One PostPage per entry, a POST link with its hint per entry, and the next feed page."""
    body = (text or "").lstrip("\ufeff \t\r\n")
    entries: list[PostPage] | None
    if body.startswith("<"):
        entries, blog_title, echoed_start, total = _xml_feed(body, url)
    else:
        entries, blog_title, echoed_start, total = _json_feed(body, url)
    if entries is None:
        return Page(kind=LinkKind.FEED, outcome="bad_feed")
    for post in entries:
        post.blog_title = blog_title
    links = [Link(p.url, LinkKind.POST, hint=post_to_hint(p)) for p in entries]
    links += [
        Link(u, LinkKind.FEED, priority=1) for u in next_feed_urls(url, len(entries), echoed_start, total)
    ]
    return Page(kind=LinkKind.FEED, posts=entries, links=links, blog_title=blog_title)


def next_feed_urls(url: str, count: int, echoed_start: int | None, total: int | None) -> list[str]:
    """``start-index += count``; none after an empty page or when the server ignored start-index.

    With the total known (``openSearch:totalResults``) the first page names every later one,
    fetched side by side instead of one after the other, and none goes past the total.
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    start = to_int(query.get("start-index")) or 1
    if count == 0 or (echoed_start is not None and echoed_start != start):
        return []
    if total is None:
        starts = [start + count]
    elif start == 1:  # the last page named ahead carries on one by one past the cap
        starts = list(range(start + count, total + 1, count))[:FEED_PAGES_AHEAD]
    else:
        starts = [start + count] if start + count <= total else []
    query.setdefault("max-results", str(FEED_PAGE_SIZE))
    return [urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode({**query, "start-index": str(n)}), ""))
            for n in starts]  # fmt: skip


def _json_feed(body: str, url: str) -> tuple[list[PostPage] | None, str | None, int | None, int | None]:
    match = JSONP.match(body)
    try:
        data = json.loads(match.group("json") if match else body)
        feed = data["feed"]
        raw_entries = feed.get("entry") or []
    except (ValueError, KeyError, TypeError, AttributeError):
        return None, None, None, None
    if not isinstance(raw_entries, list):
        return None, None, None, None
    entries = [post for post in (_json_entry(e, url) for e in raw_entries if isinstance(e, dict)) if post]
    echoed = to_int(_t(feed.get("openSearch$startIndex")))
    total = to_int(_t(feed.get("openSearch$totalResults")))
    return entries, clean_text(_t(feed.get("title"))), echoed, total


def _t(value: object) -> str | None:
    """The ``$t`` text of a GData JSON node."""
    if isinstance(value, dict):
        text = value.get("$t")
        return str(text) if text is not None else None
    return None


def _json_entry(entry: dict, url: str) -> PostPage | None:
    links = entry.get("link") if isinstance(entry.get("link"), list) else []
    permalink = next(
        (lk.get("href") for lk in links if isinstance(lk, dict) and lk.get("rel") == "alternate"), None
    )
    authors = entry.get("author") if isinstance(entry.get("author"), list) else []
    categories = entry.get("category") if isinstance(entry.get("category"), list) else []
    body = _t(entry.get("content")) or _t(entry.get("summary"))
    return _feed_post(
        url,
        permalink=permalink,
        entry_id=_t(entry.get("id")),
        title=_t(entry.get("title")),
        author=_t(authors[0].get("name")) if authors and isinstance(authors[0], dict) else None,
        published=iso_when(_t(entry.get("published"))),
        updated=parse_iso(_t(entry.get("updated"))),
        tags=[str(c.get("term")) for c in categories if isinstance(c, dict) and c.get("term")],
        comment_count=to_int(_t(entry.get("thr$total"))),
        body=body,
        summary_only=entry.get("content") is None and body is not None,
    )


def _xml_feed(body: str, url: str) -> tuple[list[PostPage] | None, str | None, int | None, int | None]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(body.encode("utf-8"), parser)
    except etree.XMLSyntaxError:
        return None, None, None, None
    if root.tag == f"{{{ATOM_NS['a']}}}feed":
        entries = [_atom_entry(e, url) for e in root.findall("a:entry", ATOM_NS)]
        title = root.findtext("a:title", namespaces=ATOM_NS)
        echoed = root.findtext("os:startIndex", namespaces=ATOM_NS) or root.findtext(
            "os11:startIndex", namespaces=ATOM_NS
        )
        total = root.findtext("os:totalResults", namespaces=ATOM_NS) or root.findtext(
            "os11:totalResults", namespaces=ATOM_NS
        )
    elif root.tag == "rss" and root.find("channel") is not None:
        channel = root.find("channel")
        entries = [_rss_item(item, url) for item in channel.findall("item")]
        title = channel.findtext("title")
        echoed = channel.findtext("os:startIndex", namespaces=ATOM_NS)
        total = channel.findtext("os:totalResults", namespaces=ATOM_NS)
    else:
        return None, None, None, None
    return [p for p in entries if p], clean_text(title), to_int(echoed), to_int(total)


def _atom_entry(entry: etree._Element, url: str) -> PostPage | None:
    alternate = entry.xpath("a:link[@rel='alternate']/@href", namespaces=ATOM_NS)
    content = entry.find("a:content", ATOM_NS)
    summary = entry.find("a:summary", ATOM_NS)
    body_node = content if content is not None else summary
    return _feed_post(
        url,
        permalink=alternate[0] if alternate else None,
        entry_id=entry.findtext("a:id", namespaces=ATOM_NS),
        title=entry.findtext("a:title", namespaces=ATOM_NS),
        author=entry.findtext("a:author/a:name", namespaces=ATOM_NS),
        published=iso_when(entry.findtext("a:published", namespaces=ATOM_NS)),
        updated=parse_iso(entry.findtext("a:updated", namespaces=ATOM_NS)),
        tags=[t for t in entry.xpath("a:category/@term", namespaces=ATOM_NS) if t],
        comment_count=to_int(entry.findtext("thr:total", namespaces=ATOM_NS)),
        body=body_node.text if body_node is not None else None,
        summary_only=content is None and summary is not None,
    )


def _rss_item(item: etree._Element, url: str) -> PostPage | None:
    author = item.findtext("author") or ""
    name = re.search(r"\(([^)]*)\)", author)
    return _feed_post(
        url,
        permalink=item.findtext("link"),
        entry_id=item.findtext("guid"),
        title=item.findtext("title"),
        author=name.group(1) if name else None,
        published=rfc822_when(item.findtext("pubDate")),
        updated=parse_iso(item.findtext("a:updated", namespaces=ATOM_NS)),
        tags=[c.text for c in item.findall("category") if c.text],
        comment_count=to_int(item.findtext("thr:total", namespaces=ATOM_NS)),
        body=item.findtext("description"),
        summary_only=False,
    )


def _feed_post(url: str, *, permalink: str | None, entry_id: str | None, title: str | None, author: str | None,
               published: When | None, updated: datetime | None, tags: list[str],
               comment_count: int | None, body: str | None, summary_only: bool) -> PostPage | None:  # fmt: skip
    """A feed entry as a post; ``None`` when it has no permalink on this blog (drafts, pages)."""
    link = absolute(url, permalink)
    if not link or not is_http_url(link) or not is_post_url(link) or not same_site(link, url):
        return None
    ids = BLOG_POST_ID.search(entry_id or "")
    extra = {"blog_id": ids.group(1)} if ids else {}
    if summary_only:
        extra["feed_summary_only"] = True
    return PostPage(
        url=canonical_url(link),
        blog_url=blog_root(link),
        platform=PLATFORM,
        title=clean_text(title),
        author=_author_name(author),
        updated=updated,
        body_html=body,
        tags=unique([clean_text(t) or "" for t in tags]),
        comment_count=comment_count,
        media_urls=_media_from_html(body, link),
        post_id=ids.group(2) if ids else None,
        extra=extra,
    ).set_published(published)


# ---------------------------------------------------------------------------------
# HTML pages: permalinks, home, archives and search listings


def parse_page(root: lxml_html.HtmlElement, text: str, url: str, kind: LinkKind) -> Page:
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
    links = [] if outcome in ("blog_gone", "login_wall", "content_warning") else page_links(root, url, kind)
    return Page(kind=kind, posts=posts, links=links, outcome=outcome, blog_title=blog_title)


def page_outcome(root: lxml_html.HtmlElement, text: str, kind: LinkKind) -> str | None:
    """Why a page without posts is not content; ``None`` for an ordinary empty listing."""
    status = " ".join(clean_text(n.text_content()) or "" for n in root.xpath(SELECTORS["status"])[:40])
    for outcome, pattern in OUTCOMES:
        if pattern.search(status):
            return outcome
    if ERROR_PAGE.search(text):
        return "not_found"
    if root.xpath(SELECTORS["dynamic_views"]):
        return "dynamic_views"  # rendered by JavaScript: the feeds give the posts
    return "not_a_post" if kind is LinkKind.POST else None


def post_nodes(root: lxml_html.HtmlElement) -> list[tuple[lxml_html.HtmlElement, lxml_html.HtmlElement]]:
    """(container, body) of every post on the page, in page order."""
    found = []
    seen: set[int] = set()
    for body in root.xpath(SELECTORS["body"]):
        if body.xpath(SELECTORS["outer_body"]):
            continue  # nested in another body (Google's blogs: post-body > post-content)
        containers = body.xpath(SELECTORS["container"])
        container = containers[0] if containers else body.getparent()
        if container is None or id(container) in seen:
            continue
        seen.add(id(container))
        found.append((container, body))
    return found


def permalink_post(root: lxml_html.HtmlElement, text: str, url: str) -> PostPage | None:
    """The post of a permalink page: the one whose own link is this page, else the first."""
    nodes = post_nodes(root)
    if not nodes:
        return None
    page_url = canonical_url(url)
    container, body = next((n for n in nodes if _permalink(n[0], url) == page_url), nodes[0])
    post = build_post(container, body, url, page_url)
    item = ITEM_POST_ID.search(text)
    post.post_id = post.post_id or (item.group(1) if item else None)
    post.comments = page_comments(root, url)
    declared = declared_comment_count(root)
    post.comment_count = declared if declared is not None else _listing_count(container)
    return post


def listing_posts(root: lxml_html.HtmlElement, url: str) -> list[PostPage]:
    """One post per entry of a home, archive or search page; entries without a permalink are skipped."""
    posts = []
    for container, body in post_nodes(root):
        link = _permalink(container, url)
        if link:
            post = build_post(container, body, url, link)
            post.comment_count = _listing_count(container)
            posts.append(post)
    return posts


def build_post(
    container: lxml_html.HtmlElement, body: lxml_html.HtmlElement, url: str, link: str
) -> PostPage:
    """Everything a post's own markup says (comments and declared counts are page-level)."""
    clean = clean_body(body)
    post_id = _post_id(container, body)
    return PostPage(
        url=link,
        blog_url=blog_root(link),
        platform=PLATFORM,
        title=_first_text(container, SELECTORS["title"]),
        author=_author_name(_first_text(container, SELECTORS["author"])),
        updated=_first_iso(container, SELECTORS["updated_iso"]),
        body_html=node_html(clean),
        tags=post_labels(container),
        media_urls=_media(clean, url),
        post_id=post_id,
    ).set_published(post_published(container))


def clean_body(body: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A copy of the body without share buttons, jump links and scripts; <noscript> content kept."""
    clean = deepcopy(body)
    clean.tail = None
    for junk in clean.xpath(SELECTORS["junk"]):
        junk.drop_tree()
    for noscript in clean.xpath(".//noscript"):
        noscript.drop_tag()  # Google's blogs put the body in a template script plus a <noscript> copy
    return clean


def post_published(container: lxml_html.HtmlElement) -> When | None:
    """ISO attributes first; else the day's header (carried from an earlier post) plus the time shown."""
    for selector in SELECTORS["published_iso"]:
        for value in container.xpath(selector):
            exact = iso_when(str(value))
            if exact is not None:
                return exact
    headers = container.xpath(SELECTORS["date_header"])
    header = clean_text(headers[0].text_content()) if headers else None
    shown = _first_text(container, SELECTORS["published_text"])
    return parse_when(" ".join(t for t in (header, shown) if t))


def post_labels(container: lxml_html.HtmlElement) -> list[str]:
    for selector in SELECTORS["labels"]:
        labels = unique([clean_text(a.text_content()) or "" for a in container.xpath(selector)])
        if labels:
            return labels
    return []


def _permalink(container: lxml_html.HtmlElement, url: str) -> str | None:
    for selector in SELECTORS["permalink"]:
        for href in container.xpath(selector):
            link = absolute(url, href)
            if link and is_http_url(link) and is_post_url(link) and same_site(link, url):
                return canonical_url(link)
    return None


def _post_id(container: lxml_html.HtmlElement, body: lxml_html.HtmlElement) -> str | None:
    match = re.match(r"post-body-(\d+)$", body.get("id") or "")
    if match:
        return match.group(1)
    for selector in SELECTORS["post_id"]:
        for value in container.xpath(selector):
            if str(value).isdigit():
                return str(value)
    return None


def _first_text(container: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> str | None:
    for selector in selectors:
        for node in container.xpath(selector):
            text = clean_text(node.text_content())
            if text:
                return text
    return None


def _first_iso(container: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> datetime | None:
    for selector in selectors:
        for value in container.xpath(selector):
            parsed = parse_iso(str(value))
            if parsed is not None:
                return parsed
    return None


def _author_name(value: str | None) -> str | None:
    return clean_text(AUTHOR_PREFIX.sub("", value)) if value else None


def _media(body: lxml_html.HtmlElement, url: str) -> list[str]:
    found = (absolute(url, src) for src in body.xpath(SELECTORS["media"]))
    return unique([link for link in found if link and is_http_url(link)])


def _media_from_html(body: str | None, url: str) -> list[str]:
    root = parse_html(f"<div>{body}</div>") if body else None
    return _media(root, url) if root is not None else []


def page_blog_title(root: lxml_html.HtmlElement, text: str) -> str | None:
    """og:site_name, the blog data Blogger embeds in every page, else the header widget."""
    title = meta_content(root, prop="og:site_name")
    if title:
        return title
    match = DATA_CONTEXT_TITLE.search(text)
    if match:
        return clean_text(html.unescape(_unescape_js(match.group(1))))
    return _first_text(root, SELECTORS["blog_title"])


def _unescape_js(value: str) -> str:
    return re.sub(
        r"\\x([0-9a-fA-F]{2})|\\(.)", lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), value
    )


# ---------------------------------------------------------------------------------
# Comments


def page_comments(root: lxml_html.HtmlElement, url: str) -> list[Comment]:
    """Threaded comments (with reply parents) if any, else the classic dl#comments-block."""
    threaded = [threaded_comment(li, url) for li in root.xpath(SELECTORS["thread_comments"])]
    if threaded:
        return threaded
    return [classic_comment(dt, url) for dt in root.xpath(SELECTORS["classic_comments"])]


def threaded_comment(li: lxml_html.HtmlElement, url: str) -> Comment:
    blocks = li.xpath(SELECTORS["comment_block"])
    block = blocks[0] if blocks else li
    author = block.xpath(SELECTORS["comment_author"])
    times = block.xpath(SELECTORS["comment_time"])
    texts = block.xpath(SELECTORS["comment_text"])
    parents = li.xpath(SELECTORS["comment_parent"])
    href = times[0].get("href") if times else None
    return Comment(
        id=_comment_id(li) or _comment_id(block) or _anchor_id(href),
        author=clean_text(author[0].text_content()) if author else None,
        author_url=_author_url(author[0], url) if author else None,
        text=element_text(texts[0]) if texts else "",
        parent_id=_comment_id(parents[0]) if parents else None,
    ).set_published(_comment_time(href, times[0].text_content() if times else None))


def classic_comment(dt: lxml_html.HtmlElement, url: str) -> Comment:
    bodies = dt.xpath(SELECTORS["classic_body"])
    footers = dt.xpath(SELECTORS["classic_footer"])
    times = footers[0].xpath(SELECTORS["classic_time"]) if footers else []
    href = times[0].get("href") if times else None
    anchors = dt.xpath(".//a[@name]/@name")
    return Comment(
        id=_comment_id(dt) or (_comment_id_text(anchors[0]) if anchors else None) or _anchor_id(href),
        author=clean_text(COMMENT_SAID.sub("", dt.text_content())),
        author_url=_author_url(dt, url),
        text=element_text(bodies[0]) if bodies else "",
    ).set_published(_comment_time(href, times[0].text_content() if times else None))


def _comment_id(node: lxml_html.HtmlElement) -> str | None:
    return _comment_id_text(node.get("id") or "")


def _comment_id_text(value: str) -> str | None:
    match = COMMENT_ID.match(value)
    return match.group(1) if match else None


def _anchor_id(href: str | None) -> str | None:
    match = COMMENT_ANCHOR.search(href or "")
    return match.group(1) if match else None


def _author_url(node: lxml_html.HtmlElement, url: str) -> str | None:
    for href in node.xpath(".//a/@href"):
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
    for value in root.xpath(SELECTORS["comment_count_attr"]):
        count = to_int(value)
        if count is not None:
            return count
    for heading in root.xpath(SELECTORS["comment_heading"]):
        count = comment_count_text(heading.text_content())
        if count is not None:
            return count
    return None


def _listing_count(container: lxml_html.HtmlElement) -> int | None:
    for link in container.xpath(SELECTORS["comment_link"]):
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


# ---------------------------------------------------------------------------------
# Links


def page_links(root: lxml_html.HtmlElement, url: str, kind: LinkKind) -> list[Link]:
    """Permalinks, date archives (also derived from permalinks) and, from home/search only, older pages."""
    posts: list[str] = []
    archives: list[str] = []
    for href in root.xpath("//a/@href"):
        link = absolute(url, href)
        if not link or not is_http_url(link) or not same_site(link, url):
            continue
        canonical = canonical_url(link)
        parts = urlsplit(canonical)
        if parts.query:
            continue  # widgetType=BlogArchive toggles, label searches, reverse-paginate...
        if POST_PATH.match(parts.path):
            posts.append(canonical)
            archives.append(urlunsplit((parts.scheme, parts.netloc, parts.path[:9], "", "")))
        elif ARCHIVE_PATH.match(parts.path):
            archives.append(canonical)
    links = [Link(u, LinkKind.POST) for u in unique(posts)]
    links += [Link(u, LinkKind.LISTING) for u in unique(archives)]
    return links + older_page_links(root, url, kind)


def older_page_links(root: lxml_html.HtmlElement, url: str, kind: LinkKind) -> list[Link]:
    """ "Older posts" (``/search?updated-max=``), followed only along the home/search chain."""
    if kind is not LinkKind.HOME and urlsplit(url).path.rstrip("/") != "/search":
        return []
    links = []
    for href in root.xpath(SELECTORS["older_link"]):
        link = absolute(url, href)
        if not link or not is_http_url(link) or not same_site(link, url):
            continue
        parts = urlsplit(link)
        params = {k.lower() for k, _ in parse_qsl(parts.query)}
        if parts.path == "/search" and "updated-max" in params and not params & {"q", "reverse-paginate"}:
            links.append(Link(canonical_url(link), LinkKind.LISTING))
    return links

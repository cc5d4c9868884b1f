"""Tumblr: API v2 and legacy v1 (JSON/XML), RSS, and theme-agnostic HTML permalinks and listings."""

from __future__ import annotations

import copy
import json
import re
from html import escape, unescape
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.dates import Precision, When, epoch_when, iso_when, parse_when, rfc822_when
from crawler.parsers.base import (
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
from crawler.urls import canonicalize, is_http_url

PLATFORM = "tumblr"
API_PAGE_SIZE = 50  # the most either API gives per request
API_PAGES_AHEAD = 1000  # v1 pages the first one names at once when it gives posts-total
THOUSANDS = ", ."  # marks Tumblr writes in counts (1,234 notes; 1.234; 1 234), dropped before reading them
# Permalinks found in HTML wait behind those from the APIs, whose hints (exact date, type, notes) then reach
# the permalink's record: the spider schedules a post once, with the first link it sees.
HTML_POST_PRIORITY = -25
API_POST_PRIORITY = 10
TAG_PRIORITY = -10
V2_PATH = re.compile(r"^/v2/blog/(?P<blog>[^/]+)/posts(?:/[a-z]+)?/?$")
V1_JSON_PATH = re.compile(r"^/api/read/json/?$")
V1_XML_PATH = re.compile(r"^/api/read/?$")
# Media URL rules (crawler.parsers.media): ``tumblr_<id>_<size>`` -> the ``_1280`` file
# (the largest the v1 API names; a ``_raw`` original is kept as it is).
MEDIA_SIZES = ((re.compile(r"(/tumblr_\w+?)_(?:75sq|100|250|400|500|540|640)(\.\w+)$"), r"\1_1280\2"),)
MEDIA_CHROME = tuple(
    re.compile(p, re.I)
    for p in (
        r"/avatar_[0-9a-f]+_\d+\.\w+$",  # blog avatars, every size
        r"//(?:assets|static|px\.srvcs|www)\.tumblr\.com/",  # theme, share images, impixu beacons
        r"/impixu\b",
    )
)
MEDIA_KINDS = (
    (re.compile(r"/video_file/"), MediaKind.VIDEO),
    (re.compile(r"/audio_file/|//a\.tumblr\.com/"), MediaKind.AUDIO),
)

RSS_PATH = re.compile(r"^/rss/?$")
POST_PATH = re.compile(r"^/post/(?P<id>\d+)(?:/(?P<slug>[^/?#]*))?")
DASHBOARD_POST_PATH = re.compile(r"^/(?:blog/view/)?(?P<blog>[\w-]+)/(?P<id>\d+)(?:/[^/?#]*)?/?$")
LISTING_PATH = re.compile(
    r"^/(?:page/\d+|tagged/[^/?#]+(?:/page/\d+)?|archive(?:/\d{4}/\d{1,2})?|day/\d{4}/\d{2}/\d{2})/?$"
)
PAGED_PATH = re.compile(r"^(?P<base>/tagged/[^/?#]+|)(?:/page/(?P<n>\d+))?/?$")
JUNK_PATH = re.compile(
    r"^/(?:reblog|share|like|follow|ask|submit|login|register|image|notes|embed|customize|dashboard)\b"
)
# What the generic fallback may fill (crawler.parsers.generic): never a title, since untitled
# posts (photo, quote, chat...) are Tumblr's norm and a JSON-LD headline is their caption.
FALLBACK_FIELDS = frozenset({"author", "published", "comments"})
TYPES = frozenset({"text", "photo", "quote", "link", "chat", "audio", "video", "answer"})
TYPE_ALIASES = {
    "regular": "text",
    "conversation": "chat",
    "photoset": "photo",
    "panorama": "photo",
}

# Selectors and phrases as data: a theme or wording change edits this table, not the code.
SELECTORS = {
    # A block that names its post: id="post_123", id="post-123", data-post-id="123"...
    "container_by_id": "//*[@id=concat('post_', $id) or @id=concat('post-', $id) or @id=concat('post', $id) or @id=$id"
    " or @data-post-id=$id or @data-postid=$id or @data-id=$id]",
    # Fallback blocks on a permalink page whose theme links no other post.
    "container_generic": "//article | //*[contains(concat(' ', normalize-space(@class), ' '), ' post ')]"
    " | //*[contains(concat(' ', normalize-space(@class), ' '), ' entry ')] | //*[@id='content' or @id='posts']",
    # Theme and platform chrome inside a post block.
    "chrome": ".//script | .//style | .//noscript | .//form | .//button | .//ol[contains(@class, 'notes')]"
    " | .//*[contains(concat(' ', normalize-space(@class), ' '), ' notes ')] | .//*[@id='notes']"
    " | .//*[contains(@class, 'like_button') or contains(@class, 'reblog_button') or contains(@class, 'share')]"
    # The audio player's placeholder ("[Flash 9 is required to listen to audio.]"), replaced by script.
    " | .//*[starts-with(@id, 'audio_player_')]",
    # A post's caption is its text: the class goes, or trafilatura prunes it as a figure caption.
    "captions": ".//*[contains(concat(' ', normalize-space(@class), ' '), ' caption ')]",
    "headings": ("h1", "h2", "h3", "h4"),
    "notes": ".//ol[contains(@class, 'notes')] | .//*[@id='notes']",
    "date_attrs": ".//time/@datetime | .//*[@itemprop='datePublished']/@content | .//*[@itemprop='datePublished']/@datetime"
    " | .//abbr[contains(@class, 'published')]/@title",
    "date_texts": ".//*[contains(@class, 'date') or contains(@class, 'time')]",
    # A theme's date box: short, no media (its words are checked in the code).
    "date_blocks": ".//*[contains(concat(' ', normalize-space(@class), ' '), ' date ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' datetime ')][not(.//img)]",
    "jsonld": "//script[@type='application/ld+json']/text()",
    "images": ".//img/@src",
    "npf": ".//@data-npf",  # NPF blocks a theme renders (video, audio, images): their JSON
    "media_nodes": ".//img | .//video | .//audio | .//iframe | .//embed | .//object",
    "media": ".//video/@src | .//video/source/@src | .//audio/@src | .//audio/source/@src | .//iframe/@src"
    " | .//embed/@src | .//object/@data",
}
BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "footer", "header", "section", "aside", "nav", "span",
                        "small", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "table", "tr", "td"})  # fmt: skip
# A chrome block keeps at most this many words once its chrome links are taken out ("— avec", "Tags :").
CHROME_MAX_WORDS = 5
# A run of text this short that holds a date is the theme's date line, not the post's text.
DATE_LINE_MAX_WORDS = 8
SENTENCE_END = re.compile(r"[.!?…]\s+\S")
RELATIVE_DATE = re.compile(
    r"^\W*(?:(?:posted|publié|posté)\s+)?(?:il y a\s+)?(?:\d+|un|une|an?|one)\s+"
    r"(?:ans?|mois|semaines?|jours?|heures?|minutes?|secondes?|years?|months?|weeks?|days?|hours?|minutes?|seconds?)"
    r"(?:\s+ago)?(?:\s+(?:avec|with)\s+\d[\d\s.,]*\s*notes?)?\W*$",
    re.I,
)
TITLE_DECORATION = re.compile(r"[\s→»›]+$")  # "Lien →": a theme's arrow after a link post's title
NOTE_COUNT = re.compile(r"(\d[\d\s.,]*)\s*notes?\b", re.I)
NOTES_ONLY = re.compile(r"^\W*(?:(?:avec|with)\s+)?\d[\d\s.,]*\s*notes?\W*$", re.I)
REBLOG_FROM_LABEL = re.compile(
    r"(?:reblogged from|reblogg?ué (?:de|depuis)|rebloggé (?:de|depuis)|via)\s*:?\s*$", re.I
)
REBLOG_ROOT_LABEL = re.compile(r"(?:source|origine|originally posted by|posted by)\s*:?\s*$", re.I)
# Pages that are not the blog. By URL (where Tumblr redirects to), else by wording on pages that carry none of
# a blog's or a feed's markers (a post quoting "There's nothing here." stays a post).
WALL_PATHS = (
    ("consent_wall", re.compile(r"^/(?:svc/)?privacy/consent\b")),
    ("login_wall", re.compile(r"^/(?:login|safe-mode|dashboard/blog)\b")),
)
WALL_TEXTS = (
    ("consent_wall", re.compile(r"privacy/consent|gdpr_consent", re.I)),
    (
        "login_wall",
        re.compile(r"viewable within the Tumblr dashboard|www\.tumblr\.com/safe-mode\?url=", re.I),
    ),
    ("blog_gone", re.compile(r"There[’']s nothing here\.|doesn[’']t currently exist at this address", re.I)),
)
# Any page Tumblr serves carries one of these, whatever the theme (and Wayback keeps them in its rewritten URLs).
PAGE_MARKERS = re.compile(
    r"tumblr-feed:|al:ios:app_name|(?:assets|static|\d+\.media)\.tumblr\.com|tumblr_controls", re.I
)
BLOG_MARKERS = re.compile(r"tumblr-feed:|al:ios:url|tumblr_api_read|<tumblr[\s>]|<rss[\s>]|^\s*[{\[]", re.I)


# ---------------------------------------------------------------------------------
# URLs


def _split(url: str) -> tuple[str, str, str]:
    """(scheme, netloc lower-cased, path) of ``url``; empty strings when unparsable."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return "", "", ""
    return parts.scheme.lower(), parts.netloc.lower(), parts.path or "/"


def _dashboard_blog(netloc: str, path: str) -> re.Match[str] | None:
    """``www.tumblr.com/<blog>/<id>`` (the post URLs of the 2022+ web)."""
    return DASHBOARD_POST_PATH.match(path) if netloc == "www.tumblr.com" else None


def blog_root(url: str) -> str:
    """The blog's home page: ``https://name.tumblr.com/``, a custom domain's root, or the blog of an API URL."""
    scheme, netloc, path = _split(url)
    scheme = scheme or "http"
    if netloc == "www.tumblr.com":
        match = re.match(r"^/(?:blog/(?:view/)?)?([\w-]+)", path)
        if match and match.group(1) not in {"privacy", "login", "dashboard", "safe-mode", "svc"}:
            return canonicalize(f"https://{match.group(1)}.tumblr.com/")
    v2 = V2_PATH.match(path)
    if v2:
        return canonicalize(f"{scheme}://{unquote(v2.group('blog'))}/")
    return canonicalize(f"{scheme}://{netloc}/")


def post_id_of(url: str) -> str | None:
    """The numeric post id in a permalink URL, if it is one."""
    _, netloc, path = _split(url)
    match = POST_PATH.match(path) or _dashboard_blog(netloc, path)
    return match.group("id") if match else None


def is_post_url(url: str) -> bool:
    return is_http_url(url) and post_id_of(url) is not None


def canonical_url(url: str) -> str:
    """``/post/<id>/<slug>``, ``/post/<id>`` and ``www.tumblr.com/<blog>/<id>`` all become ``<root>post/<id>``.

    The id form is the stable one: slugs change with titles and are truncated in links.
    """
    pid = post_id_of(url)
    if pid is None:
        return canonicalize(url)
    return canonicalize(f"{blog_root(url)}post/{pid}")


def _same_blog(url: str, root: str) -> bool:
    return is_http_url(url) and blog_root(url) == root


def _blog_name(root: str) -> str | None:
    host = _split(root)[1].split(":")[0]
    return host[: -len(".tumblr.com")] if host.endswith(".tumblr.com") else None


def _with_query(url: str, **params: Any) -> str:
    """``url`` with ``params`` set (``None`` removes one); an API key never rides in a link."""
    parts = urlsplit(url)
    query = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "api_key"}
    for key, value in params.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def api_v2_url(api_base: str, blog_url: str) -> str:
    """The first API v2 page of a blog (``api_key`` is added by the spider, never stored in links)."""
    host = _split(blog_root(blog_url))[1]
    return (
        f"{api_base.rstrip('/')}/v2/blog/{quote(host, safe=':')}/posts?limit={API_PAGE_SIZE}&reblog_info=true"
    )


def seeds(blog_url: str) -> list[Link]:
    """Keyless enumeration first (legacy read API, RSS), then the archive; the home page links the rest."""
    root = blog_root(blog_url)
    if _split(root)[1] == "www.tumblr.com":  # a wall Tumblr redirected to, not a blog
        return []
    return [
        Link(f"{root}api/read/json?num={API_PAGE_SIZE}&start=0", LinkKind.FEED, priority=20),
        Link(f"{root}rss", LinkKind.FEED, priority=15),
        Link(f"{root}archive", LinkKind.LISTING, priority=5),
    ]


# ---------------------------------------------------------------------------------
# Entry point


def parse(text: str, url: str, kind: LinkKind) -> Page:
    """Parse one Tumblr document; walls and junk give an ``outcome``, never posts."""
    _, _, path = _split(url)
    wall = _wall(text or "", path)
    if wall:
        return Page(kind=kind, outcome=wall)
    if not text or not text.strip():
        return Page(kind=kind, outcome="empty")
    if kind is LinkKind.FEED or any(p.match(path) for p in (V2_PATH, V1_JSON_PATH, V1_XML_PATH, RSS_PATH)):
        return _parse_feed(text, url, kind)
    root = parse_html(text)
    if root is None:
        return Page(kind=kind, outcome="unparsable")
    if kind is LinkKind.POST:
        if not PAGE_MARKERS.search(text[:200_000]):
            return Page(kind=kind, outcome="not_a_post")
        return _parse_permalink(root, url)
    return _parse_listing(root, url, kind)


def _wall(text: str, path: str) -> str | None:
    for outcome, pattern in WALL_PATHS:
        if pattern.search(path):
            return outcome
    head = text[:20_000]
    if BLOG_MARKERS.search(head):
        return None
    return next((outcome for outcome, pattern in WALL_TEXTS if pattern.search(head)), None)


def _parse_feed(text: str, url: str, kind: LinkKind) -> Page:
    stripped = text.lstrip()
    if stripped.startswith("<"):
        if "<rss" in stripped[:2000] or "<channel" in stripped[:4000]:
            return _parse_rss(stripped, url, kind)
        if "<tumblr" in stripped[:2000]:
            return _parse_v1_xml(stripped, url, kind)
        return Page(kind=kind, outcome="unparsable")
    data = _load_json(stripped)
    if not isinstance(data, dict):
        return Page(kind=kind, outcome="unparsable")
    if "meta" in data or "response" in data:
        return _parse_v2(data, url, kind)
    return _parse_v1_json(data, url, kind)


def _load_json(text: str) -> Any:
    """JSON, or the legacy JSONP ``var tumblr_api_read = {...};``."""
    if not text.startswith(("{", "[")):
        start, end = text.find("{"), text.rfind("}")
        if start < 0 or end < start:
            return None
        text = text[start : end + 1]
    try:
        return json.loads(text)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------
# APIs: one post builder for v1 (JSON and XML) and v2


def _api_post(root: str, blog_title: str | None, fields: dict[str, Any]) -> PostPage | None:
    """A PostPage from normalized API fields; ``None`` when the entry has no usable URL."""
    url = fields.get("url") or (f"{root}post/{fields['id']}" if fields.get("id") else None)
    if not url or not is_http_url(url):
        return None
    ptype = _norm_type(fields.get("type"))
    extra: dict[str, Any] = {"type": ptype} if ptype else {}
    for key in (
        "note_count",
        "link_url",
        "reblogged_from",
        "reblogged_from_url",
        "reblogged_root",
        "reblogged_root_url",
    ):
        if fields.get(key) not in (None, ""):
            extra[key] = fields[key]
    return PostPage(
        url=canonical_url(url),
        blog_url=root,
        platform=PLATFORM,
        title=clean_text(_strip_tags(fields.get("title"))),
        author=fields.get("author"),
        body_html=fields.get("body_html") or None,
        text=fields.get("text") or None,
        tags=unique([clean_text(str(t)) or "" for t in fields.get("tags") or []]),
        media_urls=unique([u for u in fields.get("media") or [] if u and is_http_url(u)]),
        blog_title=blog_title,
        post_id=str(fields["id"]) if fields.get("id") else post_id_of(url),
        extra=extra,
    ).set_published(fields.get("published"))


def _norm_type(value: Any) -> str | None:
    value = str(value or "").lower()
    value = TYPE_ALIASES.get(value, value)
    return value if value in TYPES else None


def _strip_tags(value: Any) -> str | None:
    if not value:
        return None
    fragment = parse_html(f"<div>{value}</div>")
    return element_text(fragment) if fragment is not None else str(value)


def _quote_html(quote_html: str | None, source: str | None) -> str:
    parts = [
        f"<blockquote>{quote_html}</blockquote>" if quote_html else "",
        f"<p>— {source}</p>" if source else "",
    ]
    return "".join(parts)


def _dialogue_text(lines: list[dict]) -> str:
    return "\n".join(
        " ".join(
            filter(
                None,
                [
                    clean_text(str(line.get("label") or line.get("name") or "")),
                    clean_text(str(line.get("phrase") or "")),
                ],
            )
        )
        for line in lines
        if isinstance(line, dict)
    )


def _embed_urls(html_snippet: Any) -> list[str]:
    """Media URLs inside an embed/player snippet (``src``, Tumblr's ``audio_file=`` parameter)."""
    if not isinstance(html_snippet, str) or "<" not in html_snippet:
        return []
    fragment = parse_html(f"<div>{html_snippet}</div>")
    return _media_urls(fragment, "") if fragment is not None else []


def _v1_fields(post: dict, root: str, author: str | None) -> dict[str, Any]:
    """Normalize a v1 post (JSON keys; XML is converted to the same keys)."""
    ptype = str(post.get("type") or "")
    fields: dict[str, Any] = {
        "id": post.get("id"),
        "url": post.get("url") or post.get("url-with-slug"),
        "type": ptype,
        "author": author,
        "published": _v1_when(post),
        "tags": post.get("tags") or [],
        "note_count": to_int(post.get("note-count"), THOUSANDS),
        "reblogged_from": post.get("reblogged-from-name"),
        "reblogged_from_url": post.get("reblogged-from-url"),
        "reblogged_root": post.get("reblogged-root-name"),
        "reblogged_root_url": post.get("reblogged-root-url"),
    }
    if ptype == "regular":
        fields.update(title=post.get("regular-title"), body_html=post.get("regular-body"))
    elif ptype == "photo":
        photos = [p.get("photo-url-1280") for p in post.get("photos") or [] if isinstance(p, dict)]
        fields.update(body_html=post.get("photo-caption"), media=photos or [post.get("photo-url-1280")])
    elif ptype == "quote":
        fields["body_html"] = _quote_html(post.get("quote-text"), post.get("quote-source"))
    elif ptype == "link":
        fields.update(
            title=post.get("link-text"), body_html=post.get("link-description"), link_url=post.get("link-url")
        )
    elif ptype == "conversation":
        lines = post.get("conversation") or []
        fields.update(
            title=post.get("conversation-title"), text=_dialogue_text(lines) or post.get("conversation-text")
        )
    elif ptype == "audio":
        media = (
            [post.get("audio-file-url")]
            + _embed_urls(post.get("audio-embed"))
            + _embed_urls(post.get("audio-player"))
        )
        fields.update(body_html=post.get("audio-caption"), media=media)
    elif ptype == "video":
        media = (
            [post.get("video-source")]
            + _embed_urls(post.get("video-source"))
            + _embed_urls(post.get("video-player"))
        )
        fields.update(body_html=post.get("video-caption"), media=media)
    elif ptype == "answer":
        fields["body_html"] = f"<p>{post.get('question') or ''}</p>{post.get('answer') or ''}"
    return fields


NPF_TEXT_TAGS = {"heading1": "h2", "heading2": "h3", "quote": "blockquote", "indented": "blockquote",
                 "ordered-list-item": "li", "unordered-list-item": "li"}  # fmt: skip
NPF_TYPES = {"image": "photo", "link": "link", "audio": "audio", "video": "video"}


def npf_html(blocks: list[Any]) -> tuple[str, list[str], str | None]:
    """NPF content blocks as HTML, their media URLs and the first link block's URL."""
    parts: list[str] = []
    media: list[str] = []
    link_url = None
    for block in blocks:
        if not isinstance(block, dict):
            continue
        kind = block.get("type")
        if kind == "text":
            tag = NPF_TEXT_TAGS.get(str(block.get("subtype") or ""), "p")
            parts.append(f"<{tag}>{escape(str(block.get('text') or ''))}</{tag}>")
        elif kind == "link":
            link_url = link_url or block.get("url")
            for key in ("title", "description"):
                if block.get(key):
                    parts.append(f"<p>{escape(str(block[key]))}</p>")
        elif kind in ("image", "video", "audio"):
            media.extend(_npf_media(block))
            for key in ("caption", "artist", "title"):
                if isinstance(block.get(key), str) and block[key].strip():
                    parts.append(f"<p>{escape(block[key])}</p>")
        elif kind == "poll":
            parts.append(f"<p>{escape(str(block.get('question') or ''))}</p>")
            parts.extend(f"<li>{escape(str(a.get('answer_text') or ''))}</li>" for a in block.get("answers") or []
                         if isinstance(a, dict))  # fmt: skip
    return "".join(parts), media, link_url


def npf_type(blocks: list[Any]) -> str:
    """The legacy post type an NPF post reads as: its first media or link block's, else text."""
    for block in blocks:
        if isinstance(block, dict) and (ptype := NPF_TYPES.get(str(block.get("type")))):
            return ptype
    return "text"


def _load_npf(raw: str) -> dict:
    """One NPF block from a theme's ``data-npf`` attribute ({} when it is not one)."""
    try:
        block = json.loads(raw)
    except ValueError:
        return {}
    return block if isinstance(block, dict) else {}


def _npf_media(block: dict) -> list[str]:
    """A media block's own URL and its first (largest) media file."""
    media = block.get("media")
    first = next((m for m in (media if isinstance(media, list) else [media]) if isinstance(m, dict)), {})
    return [u for u in (block.get("url"), first.get("url")) if isinstance(u, str) and u]


def _gmt(value: Any) -> When | None:
    """``2014-09-02 12:35:27 GMT`` (v1 ``date-gmt``, v2 ``date``)."""
    if not isinstance(value, str):
        return None
    return iso_when(value.replace(" GMT", "Z").replace(" ", "T", 1))


def _v1_when(post: dict) -> When | None:
    """The v1 instant, with the blog's offset from ``date`` (local wall time) minus ``date-gmt``."""
    exact = epoch_when(post.get("unix-timestamp")) or _gmt(post.get("date-gmt"))
    shown = rfc822_when(post.get("date")) if isinstance(post.get("date"), str) else None
    if exact is None or shown is None or shown.local is None:
        return exact
    offset = round((shown.local - exact.utc.replace(tzinfo=None)).total_seconds() / 60)
    return When(exact.utc, Precision.SECOND, offset=offset) if abs(offset) <= 14 * 60 else exact


def _parse_v1_json(data: dict, url: str, kind: LinkKind) -> Page:
    if not isinstance(data.get("posts"), list):
        return Page(kind=kind, outcome="unparsable")
    blog = data.get("tumblelog") if isinstance(data.get("tumblelog"), dict) else {}
    return _v1_page(data["posts"], blog, to_int(data.get("posts-total"), THOUSANDS), url, kind)


def _v1_page(posts: list, blog: dict, total: int | None, url: str, kind: LinkKind) -> Page:
    root = blog_root(url)
    title = clean_text(blog.get("title"))
    author = blog.get("name") or _blog_name(root)
    page_posts = [
        post
        for raw in posts
        if isinstance(raw, dict)
        and (post := _api_post(root, title, _v1_fields(raw, root, author))) is not None
    ]
    links = _post_links(page_posts, root, priority=API_POST_PRIORITY)
    query = dict(parse_qsl(urlsplit(url).query))
    start, num = to_int(query.get("start"), THOUSANDS) or 0, to_int(query.get("num"), THOUSANDS) or 20
    if raw_count := len(posts):
        links += [Link(_with_query(url, start=n, num=num), LinkKind.FEED, priority=20)
                  for n in _next_starts(start, raw_count, total)]  # fmt: skip
    return Page(
        kind=kind, posts=page_posts, links=links, blog_title=title, outcome=None if page_posts else "empty"
    )


def _next_starts(start: int, count: int, total: int | None) -> list[int]:
    """The next v1 pages' ``start``: one after the other, or, with ``posts-total`` known, every
    later page named by the first (fetched side by side; the last named carries on past the cap)."""
    if total is None:
        return [start + count]
    if start == 0:
        return list(range(count, total, count))[:API_PAGES_AHEAD]
    return [start + count] if start + count < total else []


def _xml_post(node: etree._Element) -> dict[str, Any]:
    """A v1 XML ``<post>`` as the JSON API spells it."""
    post: dict[str, Any] = dict(node.attrib)
    tags: list[str] = []
    for child in node:
        name = child.tag if isinstance(child.tag, str) else ""
        if name == "tag":
            tags.append(child.text or "")
        elif name == "photo-url":
            post.setdefault(f"photo-url-{child.get('max-width')}", child.text)
        elif name == "photoset":
            post["photos"] = [
                {"photo-url-1280": url.text}
                for photo in child
                for url in photo.iter("photo-url")
                if url.get("max-width") == "1280"
            ]
        elif name == "conversation":
            post["conversation"] = [{"label": line.get("label"), "phrase": line.text} for line in child]
        elif name:
            post[name] = child.text
    post["tags"] = tags
    return post


def _parse_v1_xml(text: str, url: str, kind: LinkKind) -> Page:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    try:
        doc = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError:
        doc = None
    if doc is None or doc.tag != "tumblr":
        return Page(kind=kind, outcome="unparsable")
    blog_node = doc.find("tumblelog")
    blog = {"name": blog_node.get("name"), "title": blog_node.get("title")} if blog_node is not None else {}
    posts_node = doc.find("posts")
    posts = [_xml_post(node) for node in posts_node.iter("post")] if posts_node is not None else []
    total = to_int(posts_node.get("total"), THOUSANDS) if posts_node is not None else None
    return _v1_page(posts, blog, total, url, kind)


def _v2_fields(post: dict, author: str | None) -> dict[str, Any]:
    ptype = str(post.get("type") or "")
    fields: dict[str, Any] = {
        "id": post.get("id_string") or post.get("id"),
        "url": post.get("post_url"),
        "type": ptype,
        "author": post.get("blog_name") or author,
        "published": epoch_when(post.get("timestamp")) or _gmt(post.get("date")),
        "tags": post.get("tags") or [],
        "note_count": to_int(post.get("note_count"), THOUSANDS),
        "reblogged_from": post.get("reblogged_from_name"),
        "reblogged_from_url": post.get("reblogged_from_url"),
        "reblogged_root": post.get("reblogged_root_name"),
        "reblogged_root_url": post.get("reblogged_root_url"),
    }
    players = [p.get("embed_code") for p in post.get("player") or [] if isinstance(p, dict)]
    if ptype == "text":
        fields.update(title=post.get("title"), body_html=post.get("body"))
    elif ptype == "photo":
        media = [
            (p.get("original_size") or {}).get("url") for p in post.get("photos") or [] if isinstance(p, dict)
        ]
        fields.update(body_html=post.get("caption"), media=media)
    elif ptype == "quote":
        fields["body_html"] = _quote_html(post.get("text"), post.get("source"))
    elif ptype == "link":
        fields.update(title=post.get("title"), body_html=post.get("description"), link_url=post.get("url"))
    elif ptype == "chat":
        fields.update(
            title=post.get("title"), text=_dialogue_text(post.get("dialogue") or []) or post.get("body")
        )
    elif ptype == "audio":
        media = [post.get("audio_url")] + _embed_urls(post.get("player"))
        fields.update(body_html=post.get("caption"), media=media)
    elif ptype == "video":
        media = [post.get("video_url"), post.get("permalink_url")] + [
            u for p in players for u in _embed_urls(p)
        ]
        fields.update(body_html=post.get("caption"), media=media)
    elif ptype == "answer":
        fields["body_html"] = f"<p>{post.get('question') or ''}</p>{post.get('answer') or ''}"
    content = post.get("content")
    if isinstance(content, list) and content and not (fields.get("body_html") or fields.get("text")):
        # Neue Post Format (npf=true, or posts written in the new editor): blocks, not HTML.
        body_html, media, link_url = npf_html(content)
        fields.update(body_html=body_html, media=list(fields.get("media") or []) + media)
        fields["type"] = _norm_type(ptype) or npf_type(content)
        if link_url and not fields.get("link_url"):
            fields["link_url"] = link_url
    return fields


def _parse_v2(data: dict, url: str, kind: LinkKind) -> Page:
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    status = to_int(meta.get("status"), THOUSANDS) or 200
    response = data.get("response") if isinstance(data.get("response"), dict) else {}
    if status != 200 or not isinstance(response.get("posts"), list):
        detail = json.dumps(data.get("errors") or meta)
        if "dashboard" in detail:
            return Page(kind=kind, outcome="login_wall")
        return Page(kind=kind, outcome={401: "api_unauthorized", 403: "api_unauthorized", 404: "blog_gone",
                                        429: "api_rate_limited"}.get(status, "api_error"))  # fmt: skip
    blog = response.get("blog") if isinstance(response.get("blog"), dict) else {}
    root = (
        blog_root(blog["url"])
        if isinstance(blog.get("url"), str) and is_http_url(blog["url"])
        else blog_root(url)
    )
    title = clean_text(blog.get("title"))
    raw_posts = [p for p in response["posts"] if isinstance(p, dict)]
    posts = [
        post
        for raw in raw_posts
        if (post := _api_post(root, title, _v2_fields(raw, blog.get("name")))) is not None
    ]
    links = _post_links(posts, root, priority=API_POST_PRIORITY)
    stamps = [t for raw in raw_posts if (t := to_int(raw.get("timestamp"), THOUSANDS))]
    limit = to_int(dict(parse_qsl(urlsplit(url).query)).get("limit"), THOUSANDS) or 20
    if stamps and len(raw_posts) >= limit:
        links.append(Link(_with_query(url, before=min(stamps), offset=None), LinkKind.FEED, priority=20))
    return Page(kind=kind, posts=posts, links=links, blog_title=title, outcome=None if posts else "empty")


def _post_links(posts: list[PostPage], root: str, priority: int) -> list[Link]:
    return [
        Link(p.url, LinkKind.POST, hint=post_to_hint(p), priority=priority)
        for p in posts
        if _same_blog(p.url, root)
    ]


# ---------------------------------------------------------------------------------
# RSS


def _parse_rss(text: str, url: str, kind: LinkKind) -> Page:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        doc = etree.fromstring(text.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError:
        doc = None
    channel = doc.find("channel") if doc is not None else None
    if channel is None:
        return Page(kind=kind, outcome="unparsable")
    root = blog_root(url)
    title = clean_text(channel.findtext("title"))
    posts = []
    for item in channel.iter("item"):
        link = clean_text(item.findtext("link")) or ""
        if not is_post_url(link):
            continue
        description = item.findtext("description") or ""
        fragment = parse_html(f"<div>{description}</div>")
        posts.append(
            PostPage(
                url=canonical_url(link),
                blog_url=root,
                platform=PLATFORM,
                title=_rss_title(item.findtext("title"), description),
                author=_blog_name(root),
                body_html=description or None,
                tags=unique([clean_text(c.text) or "" for c in item.iter("category")]),
                media_urls=_media_urls(fragment, link) if fragment is not None else [],
                blog_title=title,
                post_id=post_id_of(link),
            ).set_published(rfc822_when(item.findtext("pubDate")))
        )
    return Page(kind=kind, posts=posts, links=_post_links(posts, root, priority=API_POST_PRIORITY), blog_title=title,
                outcome=None if posts else "empty")  # fmt: skip


def _rss_title(title: str | None, description: str) -> str | None:
    """Tumblr fills an untitled post's RSS title with the start of its text: not a title."""
    title = clean_text(title)
    body = clean_text(_strip_tags(description)) or ""
    if not title or body.startswith(title.rstrip(".… ")):
        return None
    return title


# ---------------------------------------------------------------------------------
# HTML: theme-agnostic post blocks


def _own_post_anchors(
    root: lxml_html.HtmlElement, url: str, blog: str
) -> list[tuple[lxml_html.HtmlElement, str]]:
    """Anchors to this blog's permalinks, with their post id, in document order (notes left out:
    a reblog note links the post it is a note of)."""
    found = []
    in_notes = _notes_anchors(root)
    for anchor in root.iter("a"):
        if anchor in in_notes:
            continue
        href = absolute(url, anchor.get("href"))
        if href and _same_blog(href, blog) and (pid := post_id_of(href)):
            found.append((anchor, pid))
    return found


def _notes_anchors(root: lxml_html.HtmlElement) -> set[lxml_html.HtmlElement]:
    return {a for notes in root.xpath(SELECTORS["notes"]) for a in notes.iter("a")}


def _blocks(root: lxml_html.HtmlElement, url: str, blog: str) -> dict[str, lxml_html.HtmlElement]:
    """Each post shown on a page and its block: a themed element naming it, else the highest
    ancestor of its permalink anchor that holds no other post's permalink."""
    anchors = _own_post_anchors(root, url, blog)
    owners: dict[lxml_html.HtmlElement, set[str]] = {}
    for anchor, pid in anchors:
        for node in anchor.iterancestors():
            owners.setdefault(node, set()).add(pid)
    top = {root, root.find("body")}
    named = {
        pid: found[0]
        for pid in {pid for _, pid in anchors}
        if (found := root.xpath(SELECTORS["container_by_id"], id=pid))
    }
    blocks: dict[str, lxml_html.HtmlElement] = dict(named)
    for anchor, pid in anchors:
        if pid in named:
            continue
        node = anchor
        while (parent := node.getparent()) is not None and parent not in top and owners.get(parent) == {pid}:
            node = parent
        if pid not in blocks or _text_len(node) > _text_len(blocks[pid]):
            blocks[pid] = node
    order = {node: index for index, node in enumerate(root.iter())}
    return dict(sorted(blocks.items(), key=lambda item: order.get(item[1], 0)))


def _text_len(node: lxml_html.HtmlElement) -> int:
    return len("".join(node.itertext()).strip())


def _reaches_top(node: lxml_html.HtmlElement) -> bool:
    parent = node.getparent()
    return parent is None or parent.tag in ("body", "html")


def _text_before(anchor: lxml_html.HtmlElement) -> str:
    previous = anchor.getprevious()
    if previous is not None:
        return previous.tail or ""
    parent = anchor.getparent()
    return (parent.text or "") if parent is not None else ""


def _link_role(anchor: lxml_html.HtmlElement, url: str, blog: str, pid: str) -> str | None:
    """A post block's link: "permalink", "tag", "reblog_from", "reblog_root", "junk", or None for content."""
    raw = (anchor.get("href") or "").strip()
    href = absolute(url, raw)
    if not href or not is_http_url(href):
        return "junk" if raw.startswith(("javascript:", "#")) else None
    _, netloc, path = _split(href)
    if _same_blog(href, blog):
        if post_id_of(href) == pid:
            return "permalink"
        if path.startswith("/tagged/"):
            return "tag"
        return "junk" if JUNK_PATH.match(path) else None
    if netloc.endswith("tumblr.com") and JUNK_PATH.match(path):
        return "junk"
    before = _text_before(anchor)
    if REBLOG_FROM_LABEL.search(before):
        return "reblog_from"
    if REBLOG_ROOT_LABEL.search(before) and (netloc.endswith(".tumblr.com") or post_id_of(href)):
        return "reblog_root"
    return None


def _tag_name(anchor: lxml_html.HtmlElement) -> str | None:
    """``#petit monde`` as written; the URL's ``/tagged/petit-monde`` only when the link has no text."""
    text = clean_text(anchor.text_content())
    if text:
        return clean_text(text.lstrip("#"))
    tail = _split(anchor.get("href") or "")[2].split("/tagged/", 1)[-1].split("/")[0]
    return clean_text(unquote(tail).replace("+", " ").replace("-", " "))


def _reblog(anchor: lxml_html.HtmlElement, url: str) -> tuple[str | None, str | None]:
    """(blog name, URL) of a reblog attribution link."""
    href = absolute(url, anchor.get("href"))
    name = _blog_name(blog_root(href)) if href else None
    return name or clean_text(anchor.text_content()), href


def _nearest_block(node: lxml_html.HtmlElement, stop: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    for parent in node.iterancestors():
        if parent is stop or parent.tag in BLOCK_TAGS:
            return parent
    return stop


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _heading_title(block: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The block's heading when it comes before any other text (a heading lower down is the body's)."""
    for element in block.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript"):
            continue
        if (element.text or "").strip():
            heading = next((a for a in element.iterancestors() if a.tag in SELECTORS["headings"]), None)
            heading = element if element.tag in SELECTORS["headings"] else heading
            if heading is None:
                return None
            text = clean_text(heading.text_content()) or ""
            chrome = not re.search(r"[^\W\d_]", text) or RELATIVE_DATE.match(text) or NOTES_ONLY.match(text)
            return None if chrome else heading
    return None


def _strip_chrome(
    block: lxml_html.HtmlElement, url: str, blog: str, pid: str
) -> tuple[dict[str, list], list[str]]:
    """Take the chrome out of ``block`` (in place): links by role, and the chrome text removed."""
    for bad in block.xpath(SELECTORS["chrome"]):
        bad.drop_tree()
    removed: list[str] = _drop_date_lines(block)
    for caption in block.xpath(SELECTORS["captions"]):
        caption.attrib.pop("class")
    roles: dict[str, list] = {}
    for anchor in list(block.iter("a")):
        role = _link_role(anchor, url, blog, pid)
        if role:
            roles.setdefault(role, []).append(anchor)
    chrome_anchors = {a for anchors in roles.values() for a in anchors}
    removed += [a.text_content() for a in chrome_anchors]
    for anchor in chrome_anchors:
        container = _nearest_block(anchor, block)
        if container is block or container.getparent() is None or container.xpath(SELECTORS["media_nodes"]):
            continue
        rest = "".join(t for node in [container] for t in _texts_outside(node, chrome_anchors))
        if _words(rest) <= CHROME_MAX_WORDS:
            removed.append(container.text_content())
            container.drop_tree()
    for element in list(block.iter()):
        if element is block or not isinstance(element.tag, str) or element.getparent() is None:
            continue
        text = clean_text(element.text_content()) or ""
        if text and (RELATIVE_DATE.match(text) or NOTES_ONLY.match(text)):
            removed.append(text)
            element.drop_tree()
    return roles, removed


def _drop_date_lines(block: lxml_html.HtmlElement) -> list[str]:
    """Blank the theme's date lines ("Publié le 5 mars 2014 à 10:22 ·", "September 28, 2013 at 1:43pm"):
    a short run of text that is a date; the date itself is read from the block before."""
    removed = []
    for element in block.xpath(SELECTORS["date_blocks"]):  # "Feb<br>7th Thu": a date no parser reads
        text = element.text_content()
        if element.getparent() is not None and len(text.split()) <= DATE_LINE_MAX_WORDS:
            removed.append(text)
            element.drop_tree()
    for element in block.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("text", "tail"):
            if element is block and attr == "tail":
                continue
            value = getattr(element, attr)
            if value and _is_date_line(value):
                removed.append(value)
                setattr(element, attr, None)
    return removed


def _is_date_line(text: str) -> bool:
    words = text.split()
    return (
        0 < len(words) <= DATE_LINE_MAX_WORDS
        and not SENTENCE_END.search(text)
        and parse_when(text) is not None
    )


def _texts_outside(node: lxml_html.HtmlElement, skip: set) -> list[str]:
    """The text of ``node`` without the text of the ``skip`` elements."""
    out = [node.text or ""]
    for child in node:
        if child not in skip and isinstance(child.tag, str):
            out.extend(_texts_outside(child, skip))
        out.append(child.tail or "")
    return out


def _block_type(block: lxml_html.HtmlElement) -> str | None:
    """The post type a theme writes in its classes (``post text``, ``type-photo``), the block's own first."""
    for node in [block, *block]:
        if not isinstance(node.tag, str):
            continue
        for token in re.split(r"[\s_-]+", (node.get("class") or "").lower()):
            if ptype := _norm_type(token):
                return ptype
    return None


def _media_urls(block: lxml_html.HtmlElement | None, url: str) -> list[str]:
    """Images, video and audio of a post body; theme assets and avatars left out."""
    if block is None:
        return []
    found = []
    npf = [u for raw in block.xpath(SELECTORS["npf"]) for u in _npf_media(_load_npf(str(raw)))]
    for raw in block.xpath(SELECTORS["images"]) + block.xpath(SELECTORS["media"]) + npf:
        src = absolute(url, str(raw)) if url else str(raw).strip()
        if not src:
            continue
        audio_file = dict(parse_qsl(urlsplit(src).query)).get("audio_file")
        src = audio_file or src
        if is_http_url(src) and not re.search(
            r"avatar_|(?:assets|static)\.tumblr\.com|/px\.srvcs\.|/impixu", src
        ):
            found.append(src)
    return unique(found)


def _html_date(block: lxml_html.HtmlElement, anchors: list[lxml_html.HtmlElement]) -> When | None:
    """An absolute date of the block: machine attributes, else date-looking texts (relative ones are refused)."""
    for value in block.xpath(SELECTORS["date_attrs"]):
        if parsed := parse_when(str(value)):
            return parsed
    texts = [a.get("title") or "" for a in anchors] + [a.text_content() for a in anchors]
    texts += [node.text_content() for node in block.xpath(SELECTORS["date_texts"])]
    for text in texts:
        if len(text) < 80 and (parsed := parse_when(text)):
            return parsed
    return None


def _html_post(
    block: lxml_html.HtmlElement, url: str, blog: str, pid: str, blog_title: str | None
) -> PostPage:
    """One post from its block: title, body without chrome, tags, notes, reblog attribution, media."""
    work = copy.deepcopy(block)
    permalinks = [a for a in work.iter("a") if _link_role(a, url, blog, pid) == "permalink"]
    published = _html_date(work, permalinks)
    heading = _heading_title(work)
    title = clean_text(TITLE_DECORATION.sub("", heading.text_content())) if heading is not None else None
    link_url = None
    if heading is not None:
        link_url = next(
            (h for a in heading.iter("a") if (h := absolute(url, a.get("href"))) and not _same_blog(h, blog)),
            None,
        )
        if heading.getparent() is not None:  # a block that is all heading keeps it (lxml cannot drop a root)
            heading.drop_tree()
    roles, removed = _strip_chrome(work, url, blog, pid)
    published = published or next(
        (d for line in removed if _is_date_line(line) and (d := parse_when(line))), None
    )
    extra: dict[str, Any] = {}
    if ptype := _block_type(block):
        extra["type"] = ptype
    notes = next((m for text in removed if (m := NOTE_COUNT.search(text))), None)
    if notes:
        extra["note_count"] = to_int(notes.group(1), THOUSANDS)
    for role in ("reblog_from", "reblog_root"):
        if roles.get(role):
            name, href = _reblog(roles[role][0], url)
            key = "reblogged_from" if role == "reblog_from" else "reblogged_root"
            extra.update({key: name, f"{key}_url": href})
    if link_url:
        extra["link_url"] = link_url
    body_text = element_text(work)
    alts = [unescape(alt) for alt in work.xpath(".//img/@alt") if clean_text(alt)]
    return PostPage(
        url=canonicalize(f"{blog}post/{pid}"),
        blog_url=blog,
        platform=PLATFORM,
        title=title,
        author=_blog_name(blog),
        body_html=node_html(work) if body_text else None,
        text="\n\n".join(unique(alts)) if not body_text and alts else None,
        tags=unique([t for a in roles.get("tag", []) if (t := _tag_name(a))]),
        media_urls=_media_urls(work, url),
        blog_title=blog_title,
        post_id=pid,
        extra=extra,
    ).set_published(published)


def _app_link(root: lxml_html.HtmlElement) -> dict[str, str]:
    """``al:ios:url`` = ``tumblr://x-callback-url/blog?blogName=<name>&postID=<id>`` (any theme, any domain)."""
    value = meta_content(root, prop="al:ios:url") or meta_content(root, prop="al:android:url") or ""
    return dict(parse_qsl(urlsplit(value).query)) if "?" in value else {}


def _jsonld(root: lxml_html.HtmlElement) -> dict[str, Any]:
    for raw in root.xpath(SELECTORS["jsonld"]):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if isinstance(data, dict) and ("datePublished" in data or "headline" in data):
            return data
    return {}


def _og_type(root: lxml_html.HtmlElement) -> str | None:
    value = meta_content(root, prop="og:type") or ""
    return value.split(":", 1)[1].lower() if value.startswith("tumblr-feed:") else None


def _blog_title(root: lxml_html.HtmlElement, listing: bool) -> str | None:
    title = meta_content(root, prop="og:site_name")
    if not title and _og_type(root) == "tumblelog":
        title = meta_content(root, prop="og:title")
    if not title and listing:
        title = clean_text(root.findtext(".//title"))
    return title


def _discovery_links(root: lxml_html.HtmlElement, url: str, blog: str, skip: str | None = None) -> list[Link]:
    """Permalinks (canonical) and listing pages of this blog linked from a page; tag pages last."""
    links: dict[str, Link] = {}
    for anchor in root.iter("a"):
        href = absolute(url, anchor.get("href"))
        if not href or not _same_blog(href, blog) or "route=" in href:
            continue
        if pid := post_id_of(href):
            if pid != skip:
                target = canonical_url(href)
                links.setdefault(target, Link(target, LinkKind.POST, priority=HTML_POST_PRIORITY))
            continue
        path = _split(href)[2]
        if LISTING_PATH.match(path):
            target = canonicalize(href)
            links.setdefault(
                target,
                Link(target, LinkKind.LISTING, priority=TAG_PRIORITY if path.startswith("/tagged/") else 0),
            )
    return list(links.values())


def _next_page(url: str, kind: LinkKind, links: list[Link]) -> Link | None:
    """Tumblr serves ``/page/N`` (and ``/tagged/<tag>/page/N``) on every theme: an infinite-scroll theme that
    links no page still has them. A theme that links its pages is trusted to link the next one."""
    scheme, netloc, path = _split(url)
    match = PAGED_PATH.match(path)
    if not match or (path in ("", "/") and kind is not LinkKind.HOME):
        return None
    base = match.group("base") or ""
    if any(re.match(rf"^{re.escape(base)}/page/\d+/?$", _split(link.url)[2]) for link in links):
        return None
    target = canonicalize(f"{scheme}://{netloc}{base}/page/{int(match.group('n') or 1) + 1}")
    return Link(target, LinkKind.LISTING, priority=TAG_PRIORITY if base else 0)


def _parse_listing(root: lxml_html.HtmlElement, url: str, kind: LinkKind) -> Page:
    blog = blog_root(url)
    blog_title = _blog_title(root, listing=True)
    links = _discovery_links(root, url, blog)
    if _split(url)[2].startswith("/archive"):  # the archive shows thumbnails, not posts: discovery only
        return Page(kind=kind, links=links, blog_title=blog_title, outcome=None if links else "empty")
    author = _app_link(root).get("blogName")
    posts = []
    for pid, block in _blocks(root, url, blog).items():
        if _reaches_top(block):
            generic = _generic_block(root, pid, url, blog)
            block = block if generic is None else generic
        post = _html_post(block, url, blog, pid, blog_title)
        post.author = author or post.author
        posts.append(post)
    if posts and (following := _next_page(url, kind, links)):
        links.append(following)
    # Past the last page Tumblr answers an empty listing: the end of a walk, not a fault; an empty home is one.
    outcome = "empty" if not posts and kind is LinkKind.HOME else None
    return Page(kind=kind, posts=posts, links=links, blog_title=blog_title, outcome=outcome)


def _generic_block(
    root: lxml_html.HtmlElement, pid: str, url: str, blog: str
) -> lxml_html.HtmlElement | None:
    """A themed post element (``article``, ``.post``, ``.entry``): the innermost one holding the post's
    permalink, else (a permalink page linking nowhere) the innermost one with the most text."""
    nodes = root.xpath(SELECTORS["container_generic"])
    in_notes = _notes_anchors(root)
    holding = [
        n
        for n in nodes
        if any(a not in in_notes and _link_role(a, url, blog, pid) == "permalink" for a in n.iter("a"))
    ]
    if holding:
        return max(holding, key=lambda n: len(list(n.iterancestors())))
    inner = [n for n in nodes if not any(other in nodes for other in n.iterdescendants())]
    # A "Notes" block (likes and reblogs, often a themed .post of its own) is no post.
    without_notes = [n for n in inner if not n.xpath(SELECTORS["notes"])]
    return max(without_notes or inner, key=_text_len, default=None)


def _parse_permalink(root: lxml_html.HtmlElement, url: str) -> Page:
    blog = blog_root(url)
    app = _app_link(root)
    pid = post_id_of(url) or app.get("postID")
    links = _discovery_links(root, url, blog, skip=pid)
    blog_title = _blog_title(root, listing=False)
    if not pid:
        return Page(kind=LinkKind.POST, links=links, blog_title=blog_title, outcome="not_a_post")
    block = _blocks(root, url, blog).get(pid)
    if block is None or _reaches_top(block):
        generic = _generic_block(root, pid, url, blog)
        block = generic if generic is not None else block if block is not None else root.find("body")
    if block is None:
        return Page(kind=LinkKind.POST, links=links, blog_title=blog_title, outcome="not_a_post")
    post = _html_post(block, url, blog, pid, blog_title)
    if not (post.title or post.body_html or post.text or post.media_urls):
        return Page(kind=LinkKind.POST, links=links, blog_title=blog_title, outcome="empty")
    ld = _jsonld(root)
    if stated := iso_when(str(ld.get("datePublished") or "")):
        post.set_published(stated)
    post.author = app.get("blogName") or clean_text(str(ld.get("author") or "")) or post.author
    og_type = _og_type(root)
    if og_type and og_type != "entry" and _norm_type(og_type):
        post.extra["type"] = _norm_type(og_type)
    elif og_type == "entry" and "type" not in post.extra:
        post.extra["type"] = "text"
    return Page(kind=LinkKind.POST, posts=[post], links=links, blog_title=blog_title)

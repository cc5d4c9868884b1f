"""Tumblr's APIs: v2 (``/v2/blog/<blog>/posts``, JSON, legacy fields or NPF ``content``) and the
legacy v1 read API (``/api/read/json``, JSONP, and ``/api/read`` XML), one post builder for all."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from lxml import etree

from crawler.dates import Precision, When, epoch_when, iso_when, rfc822_when
from crawler.parsers.base import Link, LinkKind, Page, PostPage, clean_text, parse_html, to_int, unique
from crawler.parsers.feeds import parse_xml
from crawler.parsers.tumblr.fields import (
    API_POST_PRIORITY,
    PLATFORM,
    THOUSANDS,
    media_urls,
    norm_type,
    post_links,
    strip_tags,
)
from crawler.parsers.tumblr.npf import npf_post
from crawler.parsers.tumblr.urls import blog_name, blog_root, canonical_url, post_id_of, with_query
from crawler.urls import is_http_url, query_params

API_PAGES_AHEAD = 1000  # v1 pages the first one names at once when it gives posts-total


def parse_api(data: dict, url: str, kind: LinkKind) -> Page:
    """A v2 response (``meta``/``response``) or a v1 JSON document."""
    if "meta" in data or "response" in data:
        return _parse_v2(data, url, kind)
    return _parse_v1_json(data, url, kind)


def _api_post(root: str, blog_title: str | None, fields: dict[str, Any]) -> PostPage | None:
    """A PostPage from normalized API fields; ``None`` when the entry has no usable URL."""
    url = fields.get("url") or (f"{root}post/{fields['id']}" if fields.get("id") else None)
    if not url or not is_http_url(url):
        return None
    ptype = norm_type(fields.get("type"))
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
        title=clean_text(strip_tags(fields.get("title"))),
        author=fields.get("author"),
        body_html=fields.get("body_html") or None,
        text=fields.get("text") or None,
        tags=unique([clean_text(str(t)) or "" for t in fields.get("tags") or []]),
        media_urls=unique([u for u in fields.get("media") or [] if u and is_http_url(u)]),
        blog_title=blog_title,
        post_id=str(fields["id"]) if fields.get("id") else post_id_of(url),
        extra=extra,
    ).set_published(fields.get("published"))


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
    return media_urls(fragment, "") if fragment is not None else []


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
        media = _player_media(post, "audio-file-url", "audio-embed", "audio-player")
        fields.update(body_html=post.get("audio-caption"), media=media)
    elif ptype == "video":
        media = _player_media(post, "video-source", "video-source", "video-player")
        fields.update(body_html=post.get("video-caption"), media=media)
    elif ptype == "answer":
        fields["body_html"] = f"<p>{post.get('question') or ''}</p>{post.get('answer') or ''}"
    return fields


def _player_media(post: dict[str, Any], file_key: str, embed_key: str, player_key: str) -> list[Any]:
    """An audio or video post's media: its file URL, then the URLs in its embed and player HTML."""
    return [post.get(file_key)] + _embed_urls(post.get(embed_key)) + _embed_urls(post.get(player_key))


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
    author = blog.get("name") or blog_name(root)
    page_posts = [
        post
        for raw in posts
        if isinstance(raw, dict)
        and (post := _api_post(root, title, _v1_fields(raw, root, author))) is not None
    ]
    links = post_links(page_posts, root, priority=API_POST_PRIORITY)
    query = query_params(url)
    start, num = to_int(query.get("start"), THOUSANDS) or 0, to_int(query.get("num"), THOUSANDS) or 20
    if raw_count := len(posts):
        links += [Link(with_query(url, start=n, num=num), LinkKind.FEED, priority=20)
                  for n in _next_starts(start, raw_count, total)]  # fmt: skip
    return Page(kind=kind, posts=page_posts, links=links, blog_title=title,
                outcome=None if page_posts else "empty", declared_posts=total)  # fmt: skip


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


def parse_v1_xml(text: str, url: str, kind: LinkKind) -> Page:
    """A v1 ``/api/read`` XML document."""
    doc = parse_xml(text)
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
        fields["body_html"] = _answer_html(post.get("asking_name"), post.get("question"), post.get("answer"))
    if isinstance(post.get("content"), list) and not (fields.get("body_html") or fields.get("text")):
        # Neue Post Format (npf=true, or posts written in the new editor): blocks, not HTML; a reblog's
        # original is in its trail, an answer's question in its layout.
        body_html, media, link_url, npf_kind = npf_post(post)
        fields.update(body_html=body_html, media=list(fields.get("media") or []) + media)
        fields["type"] = norm_type(ptype) or npf_kind
        if link_url and not fields.get("link_url"):
            fields["link_url"] = link_url
    return fields


def _answer_html(asker: Any, question: Any, answer: Any) -> str:
    """A v2 answer as its NPF form reads: who asked (``Anonymous`` when none is named), the question
    (plain text in v2), then the answer's HTML."""
    return (
        f"<p>{escape(str(asker or 'Anonymous'))} asked:</p><p>{escape(str(question or ''))}</p>{answer or ''}"
    )


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
    links = post_links(posts, root, priority=API_POST_PRIORITY)
    stamps = [t for raw in raw_posts if (t := to_int(raw.get("timestamp"), THOUSANDS))]
    limit = to_int(query_params(url).get("limit"), THOUSANDS) or 20
    if stamps and len(raw_posts) >= limit:
        links.append(Link(with_query(url, before=min(stamps), offset=None), LinkKind.FEED, priority=20))
    return Page(kind=kind, posts=posts, links=links, blog_title=title, outcome=None if posts else "empty")

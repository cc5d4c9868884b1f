"""NPF, the Neue Post Format: the content blocks of API v2 posts (``content``) and the ``data-npf``
attributes themes render them with (video, audio, images)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

NPF_TEXT_TAGS = {"heading1": "h2", "heading2": "h3", "quote": "blockquote", "indented": "blockquote",
                 "ordered-list-item": "li", "unordered-list-item": "li"}  # fmt: skip
NPF_TYPES = {"image": "photo", "link": "link", "audio": "audio", "video": "video"}


def npf_html(blocks: list[Any], asks: dict[int, str] | None = None) -> tuple[str, list[str], str | None]:
    """NPF content blocks as HTML, their media URLs and the first link block's URL.

    ``asks`` maps the first block of each question (an ``ask`` layout) to its asker's name.
    """
    parts: list[str] = []
    media: list[str] = []
    link_url = None
    for index, block in enumerate(blocks):
        if not isinstance(block, dict):
            continue
        if asks and index in asks:
            parts.append(f"<p>{escape(asks[index])} asked:</p>")
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
            media.extend(npf_media(block))
            for key in ("caption", "artist", "title"):
                if isinstance(block.get(key), str) and block[key].strip():
                    parts.append(f"<p>{escape(block[key])}</p>")
        elif kind == "poll":
            parts.append(f"<p>{escape(str(block.get('question') or ''))}</p>")
            parts.extend(f"<li>{escape(str(a.get('answer_text') or ''))}</li>" for a in block.get("answers") or []
                         if isinstance(a, dict))  # fmt: skip
    return "".join(parts), media, link_url


def npf_post(post: dict) -> tuple[str, list[str], str | None, str]:
    """An NPF post whole: its reblog trail (oldest first) then its own blocks, as HTML; the media URLs,
    the first link and the legacy post type (``answer`` when a block is a question)."""
    parts: list[str] = []
    media: list[str] = []
    link_url = None
    blocks: list[Any] = []
    asked = False
    for source in [t for t in post.get("trail") or [] if isinstance(t, dict)] + [post]:
        content = source.get("content")
        if not isinstance(content, list):
            continue
        asks = _asks(source.get("layout"))
        html, found, link = npf_html(content, asks)
        parts.append(html)
        media.extend(found)
        link_url = link_url or link
        blocks.extend(content)
        asked = asked or bool(asks)
    return "".join(parts), media, link_url, "answer" if asked else npf_type(blocks)


def _asks(layout: Any) -> dict[int, str]:
    """The first block of each question in an NPF ``layout``, with the asker ("Anonymous" when none is named)."""
    heads: dict[int, str] = {}
    for item in layout if isinstance(layout, list) else []:
        if not isinstance(item, dict) or item.get("type") != "ask":
            continue
        indexes = [i for i in item.get("blocks") or [] if isinstance(i, int)]
        attribution = item.get("attribution") if isinstance(item.get("attribution"), dict) else {}
        blog = attribution.get("blog") if isinstance(attribution.get("blog"), dict) else {}
        if indexes:
            heads[min(indexes)] = str(blog.get("name") or "Anonymous")
    return heads


def npf_type(blocks: list[Any]) -> str:
    """The legacy post type an NPF post reads as: its first media or link block's, else text."""
    for block in blocks:
        if isinstance(block, dict) and (ptype := NPF_TYPES.get(str(block.get("type")))):
            return ptype
    return "text"


def load_npf(raw: str) -> dict:
    """One NPF block from a theme's ``data-npf`` attribute ({} when it is not one)."""
    try:
        block = json.loads(raw)
    except ValueError:
        return {}
    return block if isinstance(block, dict) else {}


def npf_media(block: dict) -> list[str]:
    """A media block's own URL and its first (largest) media file."""
    media = block.get("media")
    first = next((m for m in (media if isinstance(media, list) else [media]) if isinstance(m, dict)), {})
    return [u for u in (block.get("url"), first.get("url")) if isinstance(u, str) and u]

"""Which media of a post are its own files, at which URL their largest size is, and what bytes are.

Pure rules over URLs and bytes, shared by every platform; each platform module holds its own
tables (``MEDIA_SIZES``: thumbnail form -> largest form; ``MEDIA_CHROME``: URLs that are never
post content; ``MEDIA_KINDS``: URLs with no file extension that still are a file):

| platform | thumbnail forms | largest form |
|---|---|---|
| blogspot | ``/s72-c/``, ``/s320/``, ``/w640-h480/`` path segment; ``=s400``, ``=w640-h480`` suffix | ``/s1600/``; ``=s0`` |
| tumblr | ``tumblr_<id>_75sq.jpg`` ... ``_500.jpg``, ``_540``, ``_640`` | ``_1280`` |
| typepad | ``/.a/<hex>-320wi``, ``-pi``, ``-600pi``, ``-popup``, ``-150si``; ``/.shared/image.html?/photos/x.jpg`` | ``/.a/<hex>``; ``/photos/x.jpg`` |
| canalblog | ``p7.storage.canalblog.com/NN/NN/<blog>/<id>_p.jpg`` (``_q``, ``_o``); ``/images/t-x.jpg`` | ``storage.canalblog.com/NN/NN/<blog>/<id>.jpg``; ``/images/x.jpg`` |

Never content, whatever the platform (``CHROME``): tracking pixels and stats beacons
(FeedBurner, Quantserve, Google Analytics, WordPress stats), spacers, emoji and smilies,
gravatars, share buttons; each platform adds its theme hosts and avatars.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from crawler.urls import canonicalize, is_http_url
from schemas.media import MediaKind, MediaRef

Rewrite = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]


# --media: which kinds a crawl fetches.
MEDIA_MODES: dict[str, frozenset[MediaKind]] = {
    "none": frozenset(),
    "images": frozenset({MediaKind.IMAGE}),
    "all": frozenset(MediaKind),
}

EXTENSIONS: dict[str, MediaKind] = {
    **dict.fromkeys(("jpg", "jpeg", "jpe", "png", "gif", "webp", "bmp", "svg", "avif", "tif", "tiff"),
                    MediaKind.IMAGE),
    **dict.fromkeys(("mp4", "m4v", "webm", "mov", "ogv", "flv"), MediaKind.VIDEO),
    **dict.fromkeys(("mp3", "m4a", "ogg", "oga", "wav", "flac", "aac"), MediaKind.AUDIO),
}  # fmt: skip

CHROME = tuple(
    re.compile(p, re.I)
    for p in (
        r"//feeds\.feedburner\.com/~(?:r|ff)/",  # FeedBurner's tracking pixel and flare buttons
        r"//feedburner\.google\.com/fb/images/",
        r"//(?:pixel\.quantserve\.com|www\.google-analytics\.com|stats\.wordpress\.com|b\.scorecardresearch\.com)/",
        r"//[^/]*\.gravatar\.com/",
        r"//s\.w\.org/images/core/emoji/",
        r"/(?:smilies|smileys|emoticons|emoji)/",
        r"/(?:spacer|blank|pixel|transparent)\.gif(?:$|\?)",
        r"//(?:www\.)?(?:facebook|twitter|linkedin|pinterest)\.com/",  # share buttons, like boxes
    )
)
_EXTENSION = re.compile(r"\.([a-z0-9]{2,5})$", re.I)


def _tables(
    platform: str | None,
) -> tuple[tuple[Rewrite, ...], tuple[re.Pattern[str], ...], tuple[tuple[re.Pattern[str], MediaKind], ...]]:
    if platform is None:
        return (), (), ()
    from crawler.parsers import PLATFORMS, get_parser

    if platform not in PLATFORMS:
        return (), (), ()
    module = get_parser(platform)
    return (getattr(module, "MEDIA_SIZES", ()), getattr(module, "MEDIA_CHROME", ()),
            getattr(module, "MEDIA_KINDS", ()))  # fmt: skip


def best_size(url: str, platform: str | None) -> str:
    """The URL of the largest size of an image, by the platform's thumbnail rules."""
    for pattern, replacement in _tables(platform)[0]:
        url = pattern.sub(replacement, url)
    return url


def is_chrome(url: str, platform: str | None) -> bool:
    """True for theme images, avatars, pixels, smilies and buttons: never a post's own file."""
    return any(p.search(url) for p in CHROME + _tables(platform)[1])


def media_kind(url: str, platform: str | None) -> MediaKind | None:
    """Image, video or audio by the file extension or the platform's URL forms; None: not a file."""
    path = urlsplit(url).path
    match = _EXTENSION.search(path)
    if match and match.group(1).lower() in EXTENSIONS:
        return EXTENSIONS[match.group(1).lower()]
    for pattern, kind in _tables(platform)[2]:
        if pattern.search(url):
            return kind
    return None


def select_media(urls: Iterable[str], platform: str | None) -> list[MediaRef]:
    """One reference per media URL of a post, in order: what to fetch, at its best size."""
    refs = []
    for url in urls:
        best = best_size(url, platform)
        kind = None if not is_http_url(url) or is_chrome(url, platform) else media_kind(best, platform)
        if kind is None:
            refs.append(MediaRef(url, None, None))
            continue
        fetch = canonicalize(best)
        refs.append(MediaRef(url, fetch, kind, fetch if best == url else canonicalize(url)))
    return refs


# ---------------------------------------------------------------------------------
# Bytes

# (offset, magic, MIME): what a file's first bytes say it is.
MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\xff\xd8\xff", "image/jpeg"),
    (0, b"\x89PNG\r\n\x1a\n", "image/png"),
    (0, b"GIF87a", "image/gif"),
    (0, b"GIF89a", "image/gif"),
    (0, b"BM", "image/bmp"),
    (0, b"II*\x00", "image/tiff"),
    (0, b"MM\x00*", "image/tiff"),
    (0, b"\x00\x00\x01\x00", "image/x-icon"),
    (0, b"\x1aE\xdf\xa3", "video/webm"),
    (0, b"FLV", "video/x-flv"),
    (0, b"OggS", "audio/ogg"),
    (0, b"fLaC", "audio/flac"),
    (0, b"ID3", "audio/mpeg"),
    (0, b"%PDF-", "application/pdf"),
)
_RIFF = {b"WEBP": "image/webp", b"WAVE": "audio/wav", b"AVI ": "video/x-msvideo"}
_FTYP = {b"avif": "image/avif", b"avis": "image/avif", b"heic": "image/heic", b"M4A ": "audio/mp4"}
_SVG = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]", re.S | re.I
)


def sniff_mime(head: bytes) -> str | None:
    """The MIME type the first bytes of a file prove, or None (HTML, text, unknown)."""
    for offset, magic, mime in MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return mime
    if head[:4] == b"RIFF" and head[8:12] in _RIFF:
        return _RIFF[head[8:12]]
    if head[4:8] == b"ftyp":
        return _FTYP.get(head[8:12], "video/mp4")
    if len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "audio/mpeg"  # an MPEG audio frame header (MP3 with no ID3 tag)
    if _SVG.match(head[:1024]):
        return "image/svg+xml"
    return None


def kind_of_mime(mime: str | None) -> MediaKind | None:
    top = (mime or "").split("/", 1)[0]
    return {"image": MediaKind.IMAGE, "video": MediaKind.VIDEO, "audio": MediaKind.AUDIO}.get(top)


def image_size(body: bytes) -> tuple[int | None, int | None]:
    """Width and height of an image from its header (Pillow reads no more), or (None, None)."""
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(body)) as image:
            return image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return None, None

"""Small real images for fixture blogs: generated (Pillow), deterministic, in several sizes.

``image_reply(path)`` answers a fixture image path by its file name: ``photo-*`` a JPEG
(``.jpg``) or PNG (``.png``) whose size depends on the path's size segment (the largest
for the platform's full-size form), ``broken-*`` a 404, ``error-*`` an HTML error page sent
as ``image/jpeg``, ``huge-*`` a JPEG-headed body of ``HUGE_BYTES`` streamed in blocks (never
held whole by the server), ``moved-*`` a redirect to the same path without ``moved-``, theme
and smiley paths a small GIF.
"""

from __future__ import annotations

import hashlib
import io
import re
from functools import lru_cache

from tests.fixtureweb.base import Reply

FULL_SIZE = (64, 48)  # what a crawl must archive
SIZES = {"s1600": FULL_SIZE, "s0": FULL_SIZE, "full": FULL_SIZE, "1280": FULL_SIZE, "s320": (32, 24),
         "320wi": (32, 24), "500": (40, 30), "s72-c": (8, 8), "75sq": (8, 8)}  # fmt: skip
THUMBNAIL = (16, 12)  # Canalblog's old ``/images/t-<name>`` form
HUGE_BLOCK = 64 * 1024
HUGE_BYTES = 3 * 2**20  # above the test crawls' BLOGARCHIVE_MEDIA_MAXSIZE
_SIZE = re.compile(r"(?:/|_|-)(s1600|s0|s320|s72-c|320wi|1280|500|75sq)(?=[/.]|$)")


@lru_cache(maxsize=256)
def image_bytes(key: str, width: int, height: int, fmt: str) -> bytes:
    """A ``width``x``height`` image whose colours derive from ``key``: the same bytes every time."""
    from PIL import Image

    digest = hashlib.sha256(key.encode()).digest()
    image = Image.new("RGB", (width, height), tuple(digest[:3]))
    for x in range(0, width, 4):  # a little pattern, so sizes differ in content, not just header
        for y in range(0, height, 4):
            image.putpixel((x, y), tuple(digest[3:6]))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    return buffer.getvalue()


def size_of(path: str) -> tuple[int, int]:
    """The image size a path asks for: its size segment, else the full size (a bare asset)."""
    match = _SIZE.search(path)
    if match:
        return SIZES[match.group(1)]
    return THUMBNAIL if "/t-" in path else FULL_SIZE


# The smallest bytes a media sniffer takes for these types.
AUDIO_VIDEO = {".mp3": (b"ID3\x04\x00\x00\x00\x00\x00\x00", "audio/mpeg"),
               ".mp4": (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", "video/mp4")}  # fmt: skip


def media_reply(path: str) -> Reply:
    """An image, or a tiny MP3 or MP4 (their magic numbers and nothing playable)."""
    for suffix, (body, mime) in AUDIO_VIDEO.items():
        if path.endswith(suffix):
            return Reply(200, body, [("Content-Type", mime)])
    return image_reply(path)


def image_reply(path: str) -> Reply:
    name = path.rsplit("/", 1)[-1]
    if name.startswith("moved-"):
        return Reply.redirect(path.replace("/moved-", "/"))
    if name.startswith("broken-"):
        return Reply.not_found()
    if name.startswith("error-"):
        page = b"<!DOCTYPE html><html><body><h1>503 Service Unavailable</h1></body></html>"
        return Reply(200, page, [("Content-Type", "image/jpeg")])
    if name.startswith("huge-"):
        block = image_bytes("huge", 8, 8, "JPEG").ljust(HUGE_BLOCK, b"\x00")
        return Reply(200, block, [("Content-Type", "image/jpeg")], repeat=HUGE_BYTES // HUGE_BLOCK)
    width, height = size_of(path)
    fmt = "PNG" if name.endswith((".png", ".gif")) else "JPEG"
    body = image_bytes(_SIZE.sub("", path.split("?")[0]).replace("/t-", "/"), width, height, fmt)
    return Reply(200, body, [("Content-Type", "image/png" if fmt == "PNG" else "image/jpeg")])

"""Values of the ``media_files`` column: a file's kind and what became of it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum


class MediaKind(str, Enum):
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"


# What happened to a media URL of a post (the ``media_files`` column's ``outcome``); a
# download that failed is ``http_<status>`` or the fetcher's reason (``too_large``...).
FETCHED = "fetched"  # archived: the bytes are in the WARC, their sha256 is given
NOT_CONTENT = "not_content"  # chrome, a pixel, an embed page: no file of the post's own
NOT_FETCHED = "not_fetched"  # a file this crawl did not fetch (--media none, or video with images)
WRONG_TYPE = "wrong_type"  # the bytes are not what the URL promised (an HTML error page as image/jpeg)


@dataclass(frozen=True)
class MediaRef:
    """A media URL of a post and the file to fetch for it (None: nothing to fetch).

    ``shown_url``: the URL as shown, canonical, when a file is fetched for it: the file an archive holds
    when it holds that size only (a browser's capture: the picture at the size the page displayed)."""

    url: str
    fetch_url: str | None
    kind: MediaKind | None
    shown_url: str | None = None


# The platforms' rules (crawler.parsers.media.select_media): a post's media URLs -> its files.
MediaSelector = Callable[[Iterable[str], str | None], list[MediaRef]]

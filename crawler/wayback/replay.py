"""Pages an archive replayed, in another tool's WARC: someone harvested the Wayback Machine (or any
archive of the Wayback URL scheme: pywb, OpenWayback) with wget, Heritrix or a browser.

Such a response is addressed ``<archive>/<collection>/<timestamp><modifier>/<original URL>``. A build
parses it as our own Wayback fallback's captures are parsed: as its original URL, archived at its
timestamp, source ``wayback`` (not one blog called web.archive.org). A rewritten replay (no ``id_``
modifier) has the archive's banner in its body and its links under the archive's prefix: the banner is
cut out and the links given back their original URLs, so its rows are those of the page as archived.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

_REPLAY_URL = re.compile(
    r"^(?P<prefix>https?://[^/?#]+/(?:[^/?#]+/)*?)(?P<ts>\d{14})(?P<mod>[a-z]{2}_)?/+(?P<url>https?:/+[^/].*)$",
    re.I,
)
_BANNER = re.compile(rb"<!-- BEGIN WAYBACK TOOLBAR INSERT -->.*?<!-- END WAYBACK TOOLBAR INSERT -->", re.S)
RAW_MODIFIERS = ("id_",)  # the page as archived, not rewritten
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Replay:
    """A replay URL's parts: the archive and collection (``https://web.archive.org/web/``), the capture's
    timestamp, its modifier (``id_``, ``im_``... or none) and the original URL."""

    prefix: str
    timestamp: str
    modifier: str
    original: str

    @property
    def rewritten(self) -> bool:
        return self.modifier.lower() not in RAW_MODIFIERS


def split_replay_url(url: str) -> Replay | None:
    """The parts of a replay URL with a full (14-digit) timestamp; None for any other URL."""
    match = _REPLAY_URL.match(url)
    if match is None:
        return None
    original = re.sub(r"^(https?):/+", r"\1://", match.group("url"), flags=re.I)
    return Replay(
        match.group("prefix"), match.group("ts"), match.group("mod") or "", _without_default_port(original)
    )


def _without_default_port(url: str) -> str:
    """The Wayback Machine names many captures by their URL with its default port
    (``http://x.blogspot.com:80/2008/05/a.html``): the page's URL is the one without."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return url
    if port is None or port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit(":", 1)[0]))


def unrewritten(body: bytes, replay: Replay) -> bytes:
    """A rewritten replay's bytes near the page as archived: without the archive's banner, and every URL
    the replay put under its prefix (absolute, or from its path: ``/web/20100102030405im_/http://...``)
    given back as it was."""
    parts = urlsplit(replay.prefix)
    prefixed = re.compile(
        rb"(?:(?:https?:)?//" + re.escape(parts.netloc.encode()) + rb")?" + re.escape(parts.path.encode())
        + rb"\d{1,14}(?:[a-z]{2}_)?/(?=https?:)",
        re.I,
    )  # fmt: skip
    return prefixed.sub(b"", _BANNER.sub(b"", body))

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
RAW_MODIFIERS = ("id_",)  # the page as archived, not rewritten
_DEFAULT_PORTS = {"http": 80, "https": 443}

# What an archive puts into a replay around the page: its banner (the Wayback Machine's, OpenWayback's,
# pywb's head insert) and the notes it leaves at the end.
_INSERTS = re.compile(
    rb"<!-- BEGIN WAYBACK TOOLBAR INSERT -->.*?<!-- END WAYBACK TOOLBAR INSERT -->"
    rb"|<!-- WB Insert -->.*?<!-- End WB Insert -->"
    rb"|<!-- End Wayback Rewrite JS Include -->"
    rb"|<!--\s*(?:FILE ARCHIVED ON|playback timings)\b.*?-->",
    re.S,
)
# The archive's own scripts and styles, put in the head before the banner: the replay machinery (wombat),
# its analytics and the banner's style sheets, known by what they load (from the archive's host, where the
# page's own are under the replay prefix) or call.
_ARCHIVE_SCRIPT_MARKS = re.compile(
    rb"""(?:src|href)=["']?(?:(?:https?:)?//[^/"'>]*archive\.org)?/(?:_static|static|includes)/"""
    rb"|archive_analytics|__wm\.|WB_wombat_|__wbhack|RufflePlayer",
    re.I,
)
_SCRIPT_OR_STYLE_LINK = re.compile(rb"<script\b[^>]*>.*?</script\s*>|<link\b[^>]*>", re.S | re.I)
_REWRITTEN_SCHEMES = rb"(?:https?:|mailto:|ftp:)"


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
    """A rewritten replay's bytes near the page as archived: without the archive's banner, scripts and notes,
    and every URL the replay put under its prefix given back as it was: absolute, from its path
    (``/web/20100102030405im_/http://...``) or escaped in a script's JSON (``https:\\/\\/web.archive.org\\/web\\/...``)."""
    return _without_prefix(_without_archive_markup(body), replay)


def _without_archive_markup(body: bytes) -> bytes:
    body = _INSERTS.sub(b"", body)
    return _SCRIPT_OR_STYLE_LINK.sub(lambda m: b"" if _ARCHIVE_SCRIPT_MARKS.search(m[0]) else m[0], body)


def _without_prefix(body: bytes, replay: Replay) -> bytes:
    parts = urlsplit(replay.prefix)
    for slash in (b"/", rb"\/"):
        path = re.escape(parts.path.encode()).replace(rb"/", re.escape(slash))
        prefixed = re.compile(
            rb"(?:(?:https?:)?" + re.escape(slash * 2) + re.escape(parts.netloc.encode()) + rb")?" + path
            + rb"\d{1,14}(?:[a-z]{2}_)?" + re.escape(slash) + rb"(?=" + _REWRITTEN_SCHEMES + rb")",
            re.I,
        )  # fmt: skip
        body = prefixed.sub(b"", body)
    return body

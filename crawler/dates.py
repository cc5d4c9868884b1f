"""Dates of French and English (and German) blog pages, to tz-aware UTC datetimes.

Blogs print local times without a zone ("19 novembre 2007 à 17:38"); we assume the
blog's zone (Europe/Paris by default for these platforms) unless the string or an ISO
attribute carries an offset. A fast table-driven parser handles the common shapes;
``dateparser`` (French + English) is the fallback for the rest. Relative dates
("il y a 2 ans", "2 years ago") are refused: they are not a publication date.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Europe/Paris"

MONTHS = {
    # French
    "janvier": 1, "janv": 1, "jan": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "fév": 2, "fev": 2,
    "mars": 3, "mar": 3, "avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7,
    "août": 8, "aout": 8, "aoû": 8, "septembre": 9, "sept": 9, "sep": 9, "octobre": 10, "oct": 10,
    "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
    # English
    "january": 1, "february": 2, "feb": 2, "march": 3, "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6,
    "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    # German (Blogger's German date headers: "Samstag, 5. Oktober 2013")
    "januar": 1, "februar": 2, "märz": 3, "maerz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
}  # fmt: skip

_MONTH = r"(?P<month>[a-zéûèäöü]+)\.?"
_TIME = r"(?:\s*(?:à|a|at|um|,|-|@)?\s*(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?)?"
# "19 novembre 2007 à 17:38", "1er mars 2014", "06 jan 2008 à 14:22", "5 March 2014"
_DMY = re.compile(r"(?P<day>\d{1,2})(?:er|st|nd|rd|th|\.)?\s+" + _MONTH + r"\s+(?P<year>\d{4})" + _TIME, re.I)
# "January 06, 2008 at 02:22 PM", "March 5, 2014"
_MDY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I)
_ISO = re.compile(r"^\s*\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$")
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b")
_RELATIVE = re.compile(r"\b(il y a|ago|hier|yesterday|aujourd'hui|today)\b", re.I)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_utc(value: datetime, tz: str = DEFAULT_TZ) -> datetime:
    """Make ``value`` tz-aware (assuming ``tz`` when naive) and convert it to UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(tz))
    return value.astimezone(timezone.utc)


def parse_iso(value: str | None, tz: str = DEFAULT_TZ) -> datetime | None:
    """Parse an ISO 8601 string (with or without offset) to UTC."""
    if not value or not _ISO.match(value):
        return None
    text = value.strip().replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):
        text = text[:-2] + ":" + text[-2:]
    try:
        return to_utc(datetime.fromisoformat(text), tz)
    except ValueError:
        return None


def from_epoch(seconds: float | int | str | None) -> datetime | None:
    """A Unix timestamp (seconds) to UTC."""
    try:
        return datetime.fromtimestamp(float(seconds), tz=timezone.utc) if seconds is not None else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _from_match(match: re.Match[str], tz: str) -> datetime | None:
    month = MONTHS.get(match.group("month").lower().rstrip("."))
    if month is None:
        return None
    hour = int(match.group("hour") or 0)
    minute = int(match.group("minute") or 0)
    second = int(match.group("second") or 0)
    ampm = (match.group("ampm") or "").lower().replace(".", "")
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        local = datetime(int(match.group("year")), month, int(match.group("day")), hour, minute, second)
    except ValueError:
        return None
    return to_utc(local, tz)


def parse_date(text: str | None, tz: str = DEFAULT_TZ) -> datetime | None:
    """Find and parse one absolute date (with optional time) in ``text``; UTC or ``None``.

    Signatures around the date are fine ("Posté par X, 18 août 2010 à 16:45").
    """
    if not text:
        return None
    text = " ".join(text.split())
    iso = parse_iso(text, tz)
    if iso is not None:
        return iso
    if _RELATIVE.search(text):
        return None
    for pattern in (_DMY, _MDY):
        for match in pattern.finditer(text):
            parsed = _from_match(match, tz)
            if parsed is not None:
                return parsed
    return _dateparser_fallback(text, tz)


def _dateparser_fallback(text: str, tz: str) -> datetime | None:
    # Only numeric dates ("02/03/2014", day first) reach dateparser: free text with a stray
    # number and a year ("Sat 12 2014") would otherwise be turned into a wrong date.
    if len(text) > 200 or not _NUMERIC_DATE.search(text):
        return None
    import dateparser  # slow to import: only when the fast path failed

    settings = {
        "DATE_ORDER": "DMY",
        "TIMEZONE": tz,
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "past",
    }
    try:
        parsed = dateparser.parse(text, languages=["fr", "en"], settings=settings)
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None
    return parsed.astimezone(timezone.utc) if parsed else None


def date_from_path(url: str) -> tuple[int, int, int | None] | None:
    """The ``/YYYY/MM/(DD/)`` date in a permalink path, if any."""
    match = re.search(r"/((?:19|20)\d{2})/(\d{2})/(?:(\d{2})/)?", url)
    if not match:
        return None
    day = int(match.group(3)) if match.group(3) else None
    return int(match.group(1)), int(match.group(2)), day

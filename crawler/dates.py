"""Dates of blog pages (French, English, German, Spanish, Portuguese, Italian, Dutch, Scandinavian) to UTC.

Every parse gives a :class:`When`: the UTC instant, its precision (``day``, ``minute``,
``second``) and how it was zoned:

- a date shown without a time is that calendar day, stored as 00:00 UTC of the day
  (never moved across midnight by a zone guess);
- a time with a stated offset (ISO ``+08:00``, RFC 822 ``+0200``) is exact, and its
  offset teaches the blog's zone (``When.offset``; ``Z``/``GMT`` teach nothing: machines
  write them whatever the blog's zone);
- a time without a zone ("19 novembre 2007 à 17:38") is the blog's local wall time: it is
  converted with the blog's zone when known (:func:`pipelines.zones.zone_from` over the offsets the
  blog's zoned sources stated), Europe/Paris as the last resort, and the wall time is
  kept (``When.local``) so that a later, better zone can re-zone it.

A fast table-driven parser handles the common shapes; ``dateparser`` is the fallback
for numeric dates. Relative dates ("il y a 2 ans", "2 years ago") are refused: they
are not a publication date.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime

from pipelines.zones import DEFAULT_TZ, to_utc

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
    # Spanish and Portuguese ("domingo, 20 de abril de 2014", "quarta-feira, 5 de março de 2014")
    "enero": 1, "ene": 1, "febrero": 2, "marzo": 3, "abril": 4, "abr": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "ago": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "dic": 12, "janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "maio": 5, "junho": 6, "julho": 7,
    "setembro": 9, "outubro": 10, "novembro": 11, "dezembro": 12, "dez": 12,
    # Blogger's abbreviated Portuguese headers ("2 de out de 2015", "5 de set de 2015")
    "set": 9, "out": 10,
    # Italian ("sabato 5 ottobre 2013", "24 sett. 2014")
    "gennaio": 1, "gen": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "giu": 6, "luglio": 7,
    "lug": 7, "settembre": 9, "sett": 9, "ottobre": 10, "ott": 10, "dicembre": 12, "mag": 5,
    # Dutch and the Scandinavian languages ("dinsdag 12 mei 2015", "onsdag 3. februar 2016")
    "januari": 1, "februari": 2, "maart": 3, "mrt": 3, "mei": 5, "maj": 5, "augustus": 8, "augusti": 8,
    "okt": 10, "desember": 12,
    # Indonesian and Malay ("Senin, 24 Maret 2014", "Rabu, 13 Agustus 2014", "20 Ogos 2014")
    "maret": 3, "agustus": 8, "agu": 8, "agt": 8, "des": 12, "mac": 3, "ogos": 8, "disember": 12,
    # Arabic, Blogger's Egyptian month names ("الأربعاء، 11 نوفمبر، 2015")
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12,
    # Greek, Russian and Polish date headers name the month in the genitive ("Πέμπτη, 26 Σεπτεμβρίου 2013",
    # "четверг, 26 сентября 2013 г.", "czwartek, 26 września 2013")
    "ιανουαρίου": 1, "φεβρουαρίου": 2, "μαρτίου": 3, "απριλίου": 4, "μαΐου": 5, "ιουνίου": 6, "ιουλίου": 7,
    "αυγούστου": 8, "σεπτεμβρίου": 9, "οκτωβρίου": 10, "νοεμβρίου": 11, "δεκεμβρίου": 12,
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7, "августа": 8,
    "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
    "stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7, "sierpnia": 8,
    "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
}  # fmt: skip
# Arabic clocks say AM/PM with one letter: "2:32 ص" (morning), "9:12 م" (evening).
_AMPM = {"ص": "am", "م": "pm"}
# Greek clocks' "π.μ." and "μ.μ." (before and after noon), read as "am" and "pm" ("07:30:00 μ.μ.").
_GREEK_AMPM = re.compile(r"(?<!\w)(π|μ)\.\s?μ\.")

_MONTH = r"(?P<month>[a-zéûèäöüçąćęłńśźż\u0386-\u03ce\u0430-\u044f\u0621-\u064a]+)\.?"
# Danish, Finnish and Indonesian clocks write "20.46" ("kl. 20.46", "klo 20.46", "pukul 20.46").
_TIME = r"(?:\s*(?:à|às|a las|a la|alle|a|at|um|om|kl\.?|klo|pukul|,|-|@)?\s*(?P<hour>\d{1,2})(?:[:h]|\.(?=\d{2}(?![\d.])))(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?|ص|م)?)?"
# "19 novembre 2007 à 17:38", "1er mars 2014", "06 jan 2008 à 14:22", "5 March 2014"
# "20 de abril de 2014", "5 de março de 2014" (Spanish and Portuguese join them with "de");
# "24, September, 2013" (a Tumblr theme's commas: after the day only when the month has one too)
_DMY = re.compile(
    r"(?P<day>\d{1,2})(?:er|st|nd|rd|th|º|\.)?(?:,(?=\s*[^\W\d]+\.?,))?\s+(?:de\s+)?"
    + _MONTH
    + r"[,،]?\s+(?:de\s+|del\s+)?(?P<year>\d{4})"
    + _TIME,
    re.I,
)
# A theme's compact date, the month named, one joiner twice: "16-Aug-2014", "16.Aug.14", "16/août/2014"
# (two-digit years: 19xx from 70 on, else 20xx; blogs' dates start in the late nineties).
_DMY_JOINED = re.compile(
    r"(?<![\w.])(?P<day>\d{1,2})(?P<joiner>[-./])"
    + _MONTH
    + r"(?P=joiner)(?P<year>\d{4}|\d{2})(?![\w/])"
    + _TIME,
    re.I,
)
# "January 06, 2008 at 02:22 PM", "March 5, 2014"
_MDY = re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})" + _TIME, re.I)
# A time written before its date: "Posted at 04:33:47 PM on May 22, 2013", "à 16h45 le 18 août 2010",
# "7:27 pm on Martes, Septiembre 24, 2013" (the weekday between).
_TIME_BEFORE = re.compile(
    r"(?P<hour>\d{1,2})[:h](?P<minute>\d{2})(?::(?P<second>\d{2}))?\s*(?P<ampm>[ap]\.?m\.?)?\s*(?:on|le|,)?\s*"
    r"(?:[^\W\d]+,\s*)?$",
    re.I,
)
_ISO = re.compile(
    r"^\s*\d{4}-\d{2}-\d{2}(?P<time>[T ]\d{2}:\d{2}(?P<second>:\d{2}(\.\d+)?)?)?\s*(?P<zone>Z|[+-]\d{2}:?\d{2})?\s*$"
)
# Chinese, Japanese and Korean dates: "2016年2月9日火曜日", "2013年9月24日星期二", "2016년 2월 9일 화요일".
_CJK_DATE = re.compile(r"(?P<year>\d{4})\s*[年년]\s*(?P<month>\d{1,2})\s*[月월]\s*(?P<day>\d{1,2})\s*[日일]")
# Year-first numeric dates, the date header of Blogger's East Asian and ISO-minded formats:
# "2016/02/07", "2016.02.07 14:22", "2016. 2. 7." (Korean): unambiguous, never day or month first.
_YMD = re.compile(
    r"(?<![\d/.])(?P<year>(?:19|20)\d{2})([/.])\s?(?P<month>\d{1,2})\2\s?(?P<day>\d{1,2})\b(?![/.]\d)\.?"
    + _TIME,
    re.I,
)
_NUMERIC_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})\b")
_CLOCK = re.compile(r"\b\d{1,2}[:h]\d{2}(?P<second>:\d{2})?")
_DIGIT = re.compile(r"\d")
# "ago" only after a count and a unit ("2 years ago"): alone it is August ("7 de ago de 2015").
_RELATIVE = re.compile(
    r"\b(il y a|(?:an?|\d+)\s+(?:sec|min|hour|day|week|month|year)\w*\s+ago|hier|yesterday|aujourd'hui|today)\b",
    re.I,
)

# The day and month of a date shown without its year ("February 8th", "14 juin"): a year goes after them,
# before a time that may follow ("February 8th at 12:54 PM").
DAY_MONTH = re.compile(
    r"[^\W\d_]{3,}\.?\s+\d{1,2}(?:st|nd|rd|th)?\b|\b\d{1,2}(?:er|st|nd|rd|th|\.)?\s+[^\W\d_]{3,}\.?"
)
YEARLESS_MAX = 40  # characters: a weekday, a day, a month and a time; longer is a sentence


class Precision(str, enum.Enum):
    """How much of ``published`` the source gave."""

    DAY = "day"
    MINUTE = "minute"
    SECOND = "second"


@dataclass(frozen=True)
class When:
    """A parsed date: the instant and what the source told about it."""

    utc: datetime  # tz-aware, UTC; 00:00 UTC of the day when precision is DAY
    precision: Precision
    local: datetime | None = None  # naive wall time, when the source gave a time but no zone
    offset: int | None = None  # minutes east of UTC the source stated (None for Z/GMT/epoch)


def day_when(year: int, month: int, day: int) -> When | None:
    """A date without a time: 00:00 UTC of that calendar day."""
    try:
        return When(datetime(year, month, day, tzinfo=timezone.utc), Precision.DAY)
    except ValueError:
        return None


def wall_when(local: datetime, precision: Precision, tz: str | tzinfo = DEFAULT_TZ) -> When:
    """A zone-less wall time, zoned with ``tz`` for now; the wall time is kept for re-zoning."""
    local = local.replace(tzinfo=None)
    return When(to_utc(local, tz), precision, local=local)


def zoned_when(value: datetime, precision: Precision, informative: bool = True) -> When:
    """An aware datetime; its offset is kept when it says something about the blog's zone."""
    offset = value.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None and informative else None
    return When(value.astimezone(timezone.utc), precision, offset=minutes)


def iso_when(value: str | None, tz: str | tzinfo = DEFAULT_TZ) -> When | None:
    """An ISO 8601 date, date-time or date-time with offset."""
    if not value:
        return None
    match = _ISO.match(value)
    if not match:
        return None
    text = value.strip()
    if match["time"] is None:
        return day_when(*(int(part) for part in text[:10].split("-")))
    zone = match["zone"]
    precision = Precision.SECOND if match["second"] else Precision.MINUTE
    text = text.replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):
        text = text[:-2] + ":" + text[-2:]
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if zone is None:
        return wall_when(parsed, precision, tz)
    return zoned_when(parsed, precision, informative=zone != "Z")


def parse_iso(value: str | None, tz: str | tzinfo = DEFAULT_TZ) -> datetime | None:
    """Parse an ISO 8601 string (with or without offset) to UTC."""
    when = iso_when(value, tz)
    return when.utc if when else None


def epoch_when(seconds: float | int | str | None) -> When | None:
    """A Unix timestamp (seconds): exact, but silent about the blog's zone."""
    try:
        stamp = datetime.fromtimestamp(float(seconds), tz=timezone.utc) if seconds is not None else None
    except (TypeError, ValueError, OverflowError, OSError):
        return None
    return When(stamp, Precision.SECOND) if stamp else None


def parse_rfc822(value: str | None) -> datetime | None:
    """An RFC 822 date (RSS ``pubDate``, HTTP-date) as written: naive when it gives no zone; None if bad."""
    if not value:
        return None
    try:
        return parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def rfc822_when(value: str | None) -> When | None:
    """An RSS ``pubDate``; ``+0000``/``GMT`` is how feeds write UTC, so only other offsets teach the zone."""
    parsed = parse_rfc822(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return wall_when(parsed, Precision.SECOND)
    return zoned_when(parsed, Precision.SECOND, informative=parsed.utcoffset() != timedelta(0))


def _from_match(match: re.Match[str], tz: str | tzinfo, text: str) -> When | None:
    fields = match.groupdict()
    shown = fields["month"]
    month = int(shown) if shown.isdigit() else MONTHS.get(shown.lower().rstrip("."))
    if month is None:
        return None
    if fields["hour"] is None:
        before = _TIME_BEFORE.search(text, 0, match.start())
        fields.update(before.groupdict() if before else {})
    year, day = _full_year(fields["year"]), int(fields["day"])
    if fields["hour"] is None:
        return day_when(year, month, day)
    hour = int(fields["hour"])
    minute = int(fields["minute"])
    second = int(fields["second"] or 0)
    ampm = (fields["ampm"] or "").lower().replace(".", "")
    ampm = _AMPM.get(ampm, ampm)
    if ampm == "pm" and hour < 12:
        hour += 12
    elif ampm == "am" and hour == 12:
        hour = 0
    try:
        local = datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return wall_when(local, Precision.SECOND if fields["second"] else Precision.MINUTE, tz)


def _full_year(shown: str) -> int:
    year = int(shown)
    return year if len(shown) == 4 else year + (1900 if year >= 70 else 2000)


def parse_when(text: str | None, tz: str | tzinfo = DEFAULT_TZ) -> When | None:
    """Find and parse one absolute date (with optional time) in ``text``.

    Signatures around the date are fine ("Posté par X, 18 août 2010 à 16:45").
    """
    if not text or not _DIGIT.search(text):  # every date read below holds digits: most texts asked hold none
        return None
    text = " ".join(text.split())
    if (
        "μ." in text
    ):  # a substring test first: most texts have no Greek clock, and this runs on every date line
        text = _GREEK_AMPM.sub(lambda m: "am" if m[1] == "π" else "pm", text)
    iso = iso_when(text, tz)
    if iso is not None:
        return iso
    if _RELATIVE.search(text):
        return None
    for pattern in (_DMY, _MDY, _DMY_JOINED):
        for match in pattern.finditer(text):
            parsed = _from_match(match, tz, text)
            if parsed is not None:
                return parsed
    cjk = _CJK_DATE.search(text) if "年" in text or "년" in text else None
    if cjk:
        return day_when(int(cjk["year"]), int(cjk["month"]), int(cjk["day"]))
    ymd = _YMD.search(text)
    if ymd:
        return _from_match(ymd, tz, text)
    return _dateparser_fallback(text, tz)


def parse_date(text: str | None, tz: str | tzinfo = DEFAULT_TZ) -> datetime | None:
    """:func:`parse_when`'s instant (UTC), or ``None``."""
    when = parse_when(text, tz)
    return when.utc if when else None


def _dateparser_fallback(text: str, tz: str | tzinfo) -> When | None:
    # Only numeric dates ("02/03/2014", day first) reach dateparser: free text with a stray
    # number and a year ("Sat 12 2014") would otherwise be turned into a wrong date.
    if len(text) > 200 or not _NUMERIC_DATE.search(text):
        return None
    import dateparser  # slow to import: only when the fast path failed

    parsed = None
    # Day first; month first when that reads no date ("10/31/2013 08:33:00 PM", a US template):
    # dateparser 1.4 gives None there, 1.5 swaps the two itself.
    for order in ("DMY", "MDY"):
        try:
            parsed = dateparser.parse(
                text, languages=["fr", "en"], settings={"DATE_ORDER": order, "PREFER_DATES_FROM": "past"}
            )
        except (ValueError, OverflowError, TypeError, AttributeError):
            return None
        if parsed is not None:
            break
    if parsed is None:
        return None
    timed = _CLOCK.search(text)
    if not timed:
        return day_when(parsed.year, parsed.month, parsed.day)
    if parsed.tzinfo is not None:
        return zoned_when(parsed, Precision.MINUTE)
    return wall_when(parsed, Precision.SECOND if timed["second"] else Precision.MINUTE, tz)


def insert_year(text: str, year: int) -> str:
    """``text`` with ``year`` after its day and month ("June 14 2014 at 9:05 PM"), else at its end."""
    match = DAY_MONTH.search(text)
    return f"{text[: match.end()]} {year}{text[match.end() :]}" if match else f"{text} {year}"


def yearless_when(text: str | None, url: str) -> When | None:
    """A date shown without its year ("Monday, 10 June", "June 10 at 9:05 PM") in the year of the
    permalink's ``/YYYY/MM/``, when its month is the permalink's (the month the post was published in)."""
    dated = date_from_path(url)
    if not text or dated is None or len(text) > YEARLESS_MAX or not DAY_MONTH.search(text):
        return None
    if parse_when(text) is not None:
        return None
    when = parse_when(insert_year(text, dated[0]))
    shown = None if when is None else when.local or when.utc
    return when if shown is not None and (shown.year, shown.month) == dated[:2] else None


def date_from_path(url: str) -> tuple[int, int, int | None] | None:
    """The ``/YYYY/MM/(DD/)`` date in a permalink path, if any."""
    match = re.search(r"/((?:19|20)\d{2})/(\d{2})/(?:(\d{2})/)?", url)
    if not match:
        return None
    day = int(match.group(3)) if match.group(3) else None
    return int(match.group(1)), int(match.group(2)), day

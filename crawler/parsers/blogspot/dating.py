"""A Blogger post's publication date from its block, to the precision the page shows.

In order: the post's ISO stamp (``abbr.published``, ``itemprop=datePublished``, ``<time>``);
else the day's header joined with the time or date the theme shows; an hAtom ``updated``
stamp stands for the publication date when the page has no ``published`` one (the hAtom rule)
and it agrees with the day shown; else, on a listing, the day of its day group (Blogger's
``date-outer`` holds one day's posts, and themes that show the day in the post's own line show it
on the first post of the day only); else a day shown without its year ("Monday, 10 June") in the year of
the permalink's ``/YYYY/MM/`` when the months agree. Blogger keeps a post's time to the minute: its stamps
always say ``:00`` seconds, so they are minute-precise unless the page shows the seconds.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from lxml import html as lxml_html

from crawler.dates import Precision, When, day_when, iso_when, parse_when, wall_when, yearless_when
from crawler.parsers.base import clean_text, xpath
from crawler.parsers.blogspot.fields import first_text
from crawler.parsers.blogspot.markup import SELECTORS

SHOWN_SECONDS = re.compile(r"\b\d{1,2}:\d{2}:\d{2}\b")
_DIGIT = re.compile(r"\d")
# "7:30 PM", and the Greek UI's "07:30:00 μ.μ." (``crawler.dates`` reads π.μ./μ.μ. as am/pm).
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:[ap]\.?m\.?|[πμ]\.\s?μ\.))?", re.I)
DATE_LIKE_MAX = 80  # characters: a date, a time, a weekday; longer is a sentence or a title


def post_published(container: lxml_html.HtmlElement) -> When | None:
    """The post's publication date, or ``None`` when neither its block nor its day group shows one."""
    return shown_in_block(container) or group_day(container)


def shown_in_block(container: lxml_html.HtmlElement) -> When | None:
    """The publication date the post's own block shows."""
    stamp, stamp_shown = _stamp(container, SELECTORS["published_iso"])
    stamp = stamp or _script_stamp(container)
    if stamp is not None:
        minute = whole_minute(stamp, stamp_shown)
        if minute is stamp:
            return stamp
        theme_shown = first_text(container, SELECTORS["published_text"])  # the theme's own timestamp line
        return stamp if theme_shown and SHOWN_SECONDS.search(theme_shown) else minute
    shown_when = shown_date(container)
    updated, updated_shown = _stamp(container, SELECTORS["updated_iso"])
    if updated is not None and (shown_when is None or local_day(shown_when) == local_day(updated)):
        return whole_minute(updated, updated_shown)
    return shown_when


def yearless_in_url_year(container: lxml_html.HtmlElement, url: str) -> When | None:
    """A header that shows the day without its year ("Monday, 10 June"), with the time the post shows, in the
    year of the permalink ``url`` (:func:`crawler.dates.yearless_when`)."""
    header = first_text(container, SELECTORS["date_header"])
    if header is None:
        return None
    shown = first_text(container, SELECTORS["published_text"])
    timed = yearless_when(f"{header} {shown}", url) if shown else None
    return timed or yearless_when(header, url)


def agree_with_url(when: When | None, url: str) -> When | None:
    """A shown numeric date read day-first ("2/05/2013" as 2 May) when the permalink's ``/2013/02/``
    says month-first: day and month swapped. Only for a wall time or a day (a stated zone is an ISO stamp)."""
    match = _URL_MONTH.search(url)
    if when is None or match is None or when.offset is not None:
        return when
    shown = when.local if when.local is not None else when.utc.replace(tzinfo=None)
    year, month = int(match.group(1)), int(match.group(2))
    if shown.year != year or shown.month == month or shown.day != month:
        return when
    swapped = shown.replace(month=shown.day, day=shown.month)
    if when.local is not None:
        return wall_when(swapped, when.precision)
    return day_when(swapped.year, swapped.month, swapped.day)


_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(\d{2})/[^/]+\.html")


def group_day(container: lxml_html.HtmlElement) -> When | None:
    """The day of the post's day group (``date-outer``), from the group's first dated post: the day
    only, the time shown there being that post's."""
    groups = xpath(container, SELECTORS["day_group"])
    if not groups:
        return None
    for post in xpath(groups[0], SELECTORS["group_posts"]):
        when = shown_in_block(post)
        if when is not None:
            day = local_day(when)
            return day_when(day.year, day.month, day.day)
    return None


def whole_minute(when: When | None, shown: str | None = None) -> When | None:
    """A stamp with ``:00`` seconds (and no fraction) is minute-precise, unless the page shows the seconds."""
    if when is None or when.precision is not Precision.SECOND or when.utc.second or when.utc.microsecond:
        return when
    if shown and SHOWN_SECONDS.search(shown):
        return when
    return replace(when, precision=Precision.MINUTE)


def shown_date(container: lxml_html.HtmlElement) -> When | None:
    """The day's header ("Samstag, 5. Oktober 2013") joined with the date or time the post shows."""
    header = first_text(container, SELECTORS["date_header"])
    shown = first_text(container, SELECTORS["published_text"])
    candidates = [shown] if shown else _date_like_texts(container)
    header_when = parse_when(header)
    for text in candidates:
        when = parse_when(" ".join(t for t in (header, text) if t))
        if when is not None and when.precision is not Precision.DAY:
            return when
        # A text that is a whole date and time itself (a classic footer's "5/31/2016 11:51:00 AM" under
        # "Tuesday, May 31, 2016"): read alone, on the header's day.
        alone = parse_when(text)
        if (
            alone is not None
            and alone.precision is not Precision.DAY
            and (header_when is None or local_day(alone) == local_day(header_when))
        ):
            return alone
        # A time inside a longer line (the byline "Posted By: Jason Huynh - 8:58 PM"): on the header's day.
        clock = _CLOCK.search(text)
        timed = parse_when(f"{header} {clock.group()}") if header and clock else None
        if timed is not None and timed.precision is not Precision.DAY:
            return timed
        if when is not None:
            return when
    return header_when


def header_and_clock(header: str | None, shown: str) -> When | None:
    """The day's header with the time a byline shows ("Posted 18:08 by …", "posted by Richard @ 5:30 PM")."""
    clock = _CLOCK.search(shown)
    timed = parse_when(f"{header} {clock.group()}") if header and clock else None
    return timed or parse_when(header)


def local_day(when: When) -> date:
    """The calendar day the source showed: its wall time, else its stated offset's day."""
    if when.local is not None:
        return when.local.date()
    return (when.utc + timedelta(minutes=when.offset or 0)).date()


def _date_like_texts(container: lxml_html.HtmlElement) -> list[str]:
    texts = (clean_text(node.text_content()) for node in xpath(container, SELECTORS["date_like"]))
    return [t for t in texts if t and len(t) <= DATE_LIKE_MAX and _DIGIT.search(t)]


def _script_stamp(container: lxml_html.HtmlElement) -> When | None:
    """The ISO instant a theme's script prints in the post's block (carscoops: ``document.write(
    formatDate('2014-09-29T20:45:00-04:00', 'dddd, mmmm dd, yyyy at hh:nn a/p'))``)."""
    for script in xpath(container, SELECTORS["date_script"]):
        match = _SCRIPT_ISO.search(script.text or "")
        if match and (when := iso_when(match.group(1))) is not None:
            return when
    return None


_SCRIPT_ISO = re.compile(r"""formatDate\(\s*['"](\d{4}-\d{2}-\d{2}T[^'"]+)['"]""")


def _stamp(container: lxml_html.HtmlElement, selectors: tuple[str, ...]) -> tuple[When | None, str | None]:
    """The first ISO stamp of ``selectors`` and the text its element shows."""
    for selector in selectors:
        for value in xpath(container, selector):
            when = iso_when(str(value))
            if when is not None:
                owner = value.getparent() if hasattr(value, "getparent") else None
                return when, clean_text(owner.text_content()) if owner is not None else None
    return None, None

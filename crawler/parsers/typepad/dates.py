"""Typepad dates: the entry's footer and date header (numeric dates in the template's order),
and the time a trackback RDF block states for a permalink."""

from __future__ import annotations

import re
from datetime import date, timedelta, timezone
from html import unescape

from lxml import html as lxml_html

from crawler.dates import Precision, When, iso_when, parse_when, zoned_when
from crawler.parsers.base import absolute, has_class, xpath
from crawler.parsers.typepad.urls import canonical_url, is_post_url

DATE_ATTRS = (
    f".//abbr[{has_class('published')}]/@title | .//time[@datetime]/@datetime",
    # hAtom's ``updated`` stamp, the only machine date of some templates: the star-telegram blogs'
    # footer <abbr class="updated dtstamp" title="2013-09-24T18:08:30-06:00">, blogs.elpais.com's
    # header <span class="date-header updated" title="2014-01-31T17:15+02:00">.
    f".//*[{has_class('updated')}]/@title",
)
FOOTER_TIME = re.compile(r"(?:\bat|à|@)\s*\d{1,2}[:h]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?", re.I)
HEADER_SEPARATOR = re.compile(r"\s*\|\s*")
NUMERIC_DATE = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)\d{2})\b")
# "3:03 PM EST": a US zone's abbreviation a template writes after the footer's time (minutes east of UTC).
US_ZONES = {
    "EST": -300,
    "EDT": -240,
    "CST": -360,
    "CDT": -300,
    "MST": -420,
    "MDT": -360,
    "PST": -480,
    "PDT": -420,
}
ZONE_AFTER_TIME = re.compile(r"\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\s*(" + "|".join(US_ZONES) + r")\b", re.I)
# "Sep. 27,2014": a custom template's day and year with no space between them.
DAY_COMMA_YEAR = re.compile(r"\b(\d{1,2}),((?:19|20)\d{2})\b")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")  # fmt: skip
_RDF_DESCRIPTION = re.compile(r"<rdf:Description\b([^>]*)>", re.S)
_RDF_ATTR = re.compile(r"([\w:]+)\s*=\s*\"([^\"]*)\"")


def post_date(
    entry: lxml_html.HtmlElement, header: str | None, footer: str | None, order: str
) -> When | None:
    for selector in DATE_ATTRS:
        for value in xpath(entry, selector):
            parsed = iso_when(value)
            if parsed:
                return parsed
    time_match = FOOTER_TIME.search(footer or "")
    spelled = denumber(footer, order) if footer else None
    footer_date = parse_when(spelled) if spelled and has_day(spelled) else None
    if footer_date:
        return _in_stated_zone(footer_date, spelled or "")
    if header:
        header = HEADER_SEPARATOR.sub(" ", header)  # "July 14, 2008 | 3:16 pm": the time is the header's own
        combined = f"{denumber(header, order)} {time_match.group(0) if time_match else ''}"
        return parse_when(combined)
    return None


def _in_stated_zone(when: When, text: str) -> When:
    """A zone-less wall time re-zoned by the US zone abbreviation written after it ("3:03 PM EST")."""
    match = ZONE_AFTER_TIME.search(text)
    if when.local is None or match is None:
        return when
    return zoned_when(
        when.local.replace(tzinfo=timezone(timedelta(minutes=US_ZONES[match.group(1).upper()]))),
        when.precision,
    )


def has_day(text: str) -> bool:
    return bool(
        NUMERIC_DATE.search(text) or re.search(r"\b\d{1,2}(?:er|st|nd|rd|th)?,?\s+\D*?(?:19|20)\d{2}\b", text)
    )


def numeric_order(text: str, url_month: int | None, default: str) -> str:
    """Day-first or month-first for ``MM/DD/YYYY``-style dates: the numbers, the URL, the language."""
    match = NUMERIC_DATE.search(text)
    if not match:
        return default
    a, b = int(match.group(1)), int(match.group(2))
    if a > 12 or b > 12:
        return "dmy" if a > 12 else "mdy"
    if url_month in (a, b) and a != b:
        return "mdy" if url_month == a else "dmy"
    return default


def denumber(text: str, order: str) -> str:
    """``09/17/2013`` -> ``17 September 2013`` (unambiguous for ``parse_date``), ``27,2014`` -> ``27, 2014``."""

    def spell(match: re.Match[str]) -> str:
        a, b, year = int(match.group(1)), int(match.group(2)), match.group(3)
        month, day = (a, b) if numeric_order(match.group(0), None, order) == "mdy" else (b, a)
        return f"{day} {EN_MONTHS[month - 1]} {year}" if 1 <= month <= 12 else match.group(0)

    return NUMERIC_DATE.sub(spell, DAY_COMMA_YEAR.sub(r"\1, \2", text))


def trackback_dates(root: lxml_html.HtmlElement, url: str) -> dict[str, When]:
    """The ``dc:date`` each trackback RDF block states for its permalink, by canonical URL.

    Movable Type and Typepad templates (2003-2008) print, inside an HTML comment, an
    ``<rdf:Description rdf:about="<permalink>" … dc:date="2004-08-23T10:35:20-05:00"/>`` per
    entry: the only place where those pages state the time and the zone of a post.
    """
    stated: dict[str, When] = {}
    for comment in xpath(root, "//comment()[contains(., 'rdf:Description')]"):
        for block in _RDF_DESCRIPTION.finditer(comment.text or ""):
            attrs = {name: unescape(value) for name, value in _RDF_ATTR.findall(block.group(1))}
            when = iso_when(attrs.get("dc:date"))
            for key in ("rdf:about", "dc:identifier"):
                target = absolute(url, attrs.get(key))
                if when is not None and target and is_post_url(target):
                    stated.setdefault(canonical_url(target), when)
    return stated


def with_stated(shown: When | None, stated: When | None) -> When | None:
    """The stated instant when it falls on the shown day (it adds the time and the zone), else the shown date."""
    if stated is None or (shown is not None and _day(shown) != _day(stated)):
        return shown
    return stated


def _day(when: When) -> date:
    """The calendar day a date shows: the day itself, the wall time's, or the stated zone's."""
    if when.precision is Precision.DAY:
        return when.utc.date()
    if when.local is not None:
        return when.local.date()
    return (when.utc + timedelta(minutes=when.offset or 0)).date()

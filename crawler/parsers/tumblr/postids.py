"""The day a Tumblr post id was given, roughly: ids come from one counter for every blog.

Many themes show a post's date without its year ("June 14", ``{Month} {DayOfMonth}``); the
id tells the year. The anchors are (id, day) pairs of real posts stated with their full date
(API ``date-gmt``, RSS ``pubDate``, JSON-LD) in public repositories and in the test corpus; between
two anchors the day is interpolated, and at most a year past the first or last one the
nearest segment's rate is carried on. Farther out (the 2007-2011 growth years, the 64-bit ids of
2022+) no day is estimated, and no year guessed.
"""

from __future__ import annotations

from datetime import date, timedelta

from crawler.dates import DAY_MONTH, When, insert_year, parse_when

ANCHORS = (
    (35_584_093_354, date(2012, 11, 12)),  # tragedyseries, RSS pubDate
    (41_947_243_581, date(2013, 1, 31)),  # status.twitter.com, permalink page
    (43_164_819_101, date(2013, 2, 15)),  # searchengineland, time element
    (62_525_699_435, date(2013, 9, 28)),  # gibuloto, permalink page
    (67_373_852_814, date(2013, 11, 18)),  # v1 API fixture (date-gmt)
    (96_439_224_994, date(2014, 9, 2)),  # mcupdate, JSON-LD
    (133_472_224_280, date(2015, 11, 18)),  # awesomecatvideos, v1 API (date-gmt)
    (145_296_385_874, date(2016, 6, 2)),  # yaswb, v1 API (date-gmt)
    (165_326_273_724, date(2017, 9, 14)),  # hewhophotographs, JSON-LD
    (172_752_750_628, date(2018, 4, 9)),  # clipartx, JSON-LD
    (184_215_702_871, date(2019, 4, 16)),  # twoscoopgames, v1 API (date-gmt)
)
MAX_EXTRAPOLATION = timedelta(days=365)
MAX_SPAN_DAYS = 36_500
# A year is chosen only when the shown day falls this close to the id's day.
MAX_DISTANCE = timedelta(days=183)


def day_of_id(post_id: int) -> date | None:
    """The estimated day of a post id; None outside what the anchors support."""
    pairs = list(zip(ANCHORS, ANCHORS[1:], strict=False))
    if post_id < ANCHORS[0][0]:
        segment = pairs[0]
    elif post_id > ANCHORS[-1][0]:
        segment = pairs[-1]
    else:
        segment = next(p for p in pairs if p[0][0] <= post_id <= p[1][0])
    (low_id, low_day), (high_id, high_day) = segment
    days = (high_day - low_day).days * (post_id - low_id) / (high_id - low_id)
    if (
        abs(days) > MAX_SPAN_DAYS
    ):  # a 64-bit id of 2022+: no date near enough to tell, nor a timedelta to hold
        return None
    estimate = low_day + timedelta(days=round(days))
    if not ANCHORS[0][1] - MAX_EXTRAPOLATION <= estimate <= ANCHORS[-1][1] + MAX_EXTRAPOLATION:
        return None
    return estimate


def with_year(text: str, post_id: str) -> When | None:
    """A date shown without its year ("June 14", "14 juin"), dated in the year the post id tells."""
    if not post_id.isdecimal() or len(text) > 40 or not any(c.isdigit() for c in text):
        return None
    around = day_of_id(int(post_id))
    if around is None or parse_when(text) is not None:
        return None
    options = [
        w
        for year in (around.year - 1, around.year, around.year + 1)
        if (w := parse_when(insert_year(text, year)))
    ]
    best = min(options, key=lambda w: abs(_shown_day(w) - around), default=None)
    return best if best is not None and abs(_shown_day(best) - around) <= MAX_DISTANCE else None


def is_yearless_date(text: str) -> bool:
    """Whether ``text`` reads as a date once given a year ("Friday, February 5th at 06:44PM")."""
    return DAY_MONTH.search(text) is not None and parse_when(insert_year(text, 2000)) is not None


def _shown_day(when: When) -> date:
    return (when.local or when.utc).date()

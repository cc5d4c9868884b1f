"""Dates of blog pages to UTC: true days for date-only, precision, the blog's zone."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from crawler.dates import (
    Precision,
    date_from_path,
    epoch_when,
    iso_when,
    parse_date,
    parse_iso,
    parse_rfc822,
    parse_when,
    rfc822_when,
    yearless_when,
)
from pipelines.zones import rezone, zone_from


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("19 novembre 2007 à 17:38", utc(2007, 11, 19, 16, 38)),  # CET = UTC+1
        ("Posté par opio, 18 août 2010 à 16:45", utc(2010, 8, 18, 14, 45)),  # CEST = UTC+2
        ("Rédigé par : xgc | 06 jan 2008 à 14:22", utc(2008, 1, 6, 13, 22)),
        ("06 janv. 2008 à 14:22", utc(2008, 1, 6, 13, 22)),
        ("Posted by: Bob | January 06, 2008 at 02:22 PM", utc(2008, 1, 6, 13, 22)),
        ("le 19 novembre 2007 à 17h38", utc(2007, 11, 19, 16, 38)),
        ("2014-03-05T10:22:00+01:00", utc(2014, 3, 5, 9, 22)),
        ("2014-08-23T18:29:06Z", utc(2014, 8, 23, 18, 29, 6)),
        ("viernes, 9 de octubre de 2020 a las 10:22", utc(2020, 10, 9, 8, 22)),
        ("sexta-feira, 9 de outubro de 2020 às 14:05", utc(2020, 10, 9, 12, 5)),
        ("mercoledì 14 ottobre 2020 alle 10:22", utc(2020, 10, 14, 8, 22)),
        ("tirsdag 5. mars 2013 kl. 10:22", utc(2013, 3, 5, 9, 22)),
        # The time before the date (a newspaper's Typepad template).
        ("Posted at 04:33:47 PM on May 22, 2013", utc(2013, 5, 22, 14, 33, 47)),
        ("publié à 16h45 le 18 août 2010", utc(2010, 8, 18, 14, 45)),
        # The weekday between the time and the date (a Tumblr theme in Spanish).
        ("posted 7:27 pm on Martes, Septiembre 24, 2013", utc(2013, 9, 24, 17, 27)),
        # Commas after the day and the month (a Tumblr theme): the day; a lone "3, May" is no date.
        ("Posted 24, September, 2013", utc(2013, 9, 24)),
        ("Chapter 3, May 2014", None),
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("Sunday, July 05, 2020", (2020, 7, 5)),  # a Philippine Blogger header: not 07-04T22:00Z
        ("Thursday, September 29, 2016", (2016, 9, 29)),
        ("Samstag, 5. Oktober 2013", (2013, 10, 5)),
        ("mercredi 5 mars 2014", (2014, 3, 5)),
        ("1er mars 2014", (2014, 3, 1)),
        ("Wednesday, March 5, 2014", (2014, 3, 5)),
        ("02/03/2014", (2014, 3, 2)),  # day first, as French pages write it
        ("2010-08-03", (2010, 8, 3)),
        ("31 décembre 2009", (2009, 12, 31)),  # no year moved either
        ("domingo, 20 de abril de 2014", (2014, 4, 20)),  # Blogger's Spanish header
        ("quarta-feira, 5 de março de 2014", (2014, 3, 5)),
        ("sabato 5 ottobre 2013", (2013, 10, 5)),
        ("dinsdag 12 mei 2015", (2015, 5, 12)),
        ("onsdag 3. februar 2016", (2016, 2, 3)),
        ("Πέμπτη, 26 Σεπτεμβρίου 2013", (2013, 9, 26)),  # Blogger's Greek header (never-seen tvorini-gr)
        ("четверг, 26 сентября 2013 г.", (2013, 9, 26)),
        ("czwartek, 26 września 2013", (2013, 9, 26)),
        # Blogger's abbreviated Portuguese headers and Indonesian ones (never-seen mad3linux, anggapebrian)
        ("2 de out de 2015", (2015, 10, 2)),
        ("5 de set de 2015", (2015, 9, 5)),
        ("7 de ago de 2015", (2015, 8, 7)),  # "ago" is August here, not "2 years ago"
        # September abbreviated, dotted or not: Portuguese, Spanish and Italian "set.", Italian "sett."
        ("24 set. 2014", (2014, 9, 24)),
        ("set. 24, 2014", (2014, 9, 24)),
        ("mer 24 set 2014", (2014, 9, 24)),
        ("24 sett. 2014", (2014, 9, 24)),
        ("Senin, 24 Maret 2014", (2014, 3, 24)),
        ("Rabu, 13 Agustus 2014", (2014, 8, 13)),
        # A theme's compact dates, the month named (a never-seen Tumblr theme's "16.Aug.14")
        ("16.Aug.14", (2014, 8, 16)),
        ("16-Aug-2014", (2014, 8, 16)),
        ("Posted 16/août/2014", (2014, 8, 16)),
        ("3-Mar-99", (1999, 3, 3)),
    ],
)
def test_a_date_without_time_stays_that_day(text, day):
    when = parse_when(text)
    assert when.utc == utc(*day)
    assert when.precision is Precision.DAY
    assert when.local is None and when.offset is None


@pytest.mark.parametrize(
    ("text", "precision"),
    [
        ("19 novembre 2007 à 17:38", Precision.MINUTE),
        ("Montag, 1. März 2010 um 10:15", Precision.MINUTE),
        ("January 06, 2008 at 02:22:41 PM", Precision.SECOND),
        ("2014-03-05T10:22+01:00", Precision.MINUTE),
        ("2014-03-05T10:22:00.000+01:00", Precision.SECOND),
        ("02/03/2014 10:22", Precision.MINUTE),
        ("Senin, 24 Maret 2014 20.46", Precision.MINUTE),  # a dotted clock (Indonesian, Danish, Finnish)
        ("quarta-feira, 24 set. 2014 às 10:20", Precision.MINUTE),
    ],
)
def test_precision(text, precision):
    assert parse_when(text).precision is precision


@pytest.mark.parametrize(
    "text",
    [
        "il y a 2 ans",
        "2 years ago",
        "an hour ago",
        "hier",
        "",
        None,
        "Sat 12 2014",
        "31 février 2010",
        "sunset 12, 2014",
        "16 Aug 14:30",  # a time, not a two-digit year
        "version 1.2.Aug.14",
        "16.Aug.14/2",
    ],
)
def test_relative_or_impossible_dates_are_refused(text):
    assert parse_date(text) is None


def test_zone_less_times_keep_their_wall_time_and_fall_back_to_paris_with_its_dst():
    winter = parse_when("19 novembre 2007 à 17:38")
    summer = parse_when("18 août 2010 à 16:45")
    assert (winter.local, winter.utc) == (datetime(2007, 11, 19, 17, 38), utc(2007, 11, 19, 16, 38))
    assert (summer.local, summer.utc) == (datetime(2010, 8, 18, 16, 45), utc(2010, 8, 18, 14, 45))
    assert winter.offset is None
    assert parse_iso("2010-08-03T11:41") == utc(2010, 8, 3, 9, 41)


def test_timezone_can_be_given():
    assert parse_date("5 March 2014 10:00", tz="America/New_York") == utc(2014, 3, 5, 15, 0)


def test_stated_offsets_teach_the_zone_but_utc_markers_do_not():
    assert iso_when("2020-07-05T10:00:00.000+08:00").offset == 480
    assert iso_when("2020-01-05T10:00:00+00:00").offset == 0
    assert iso_when("2020-07-05T02:00:00Z").offset is None
    assert rfc822_when("Sat, 23 Aug 2014 06:55:00 +0200").offset == 120
    assert rfc822_when("Sun, 05 Jul 2020 02:00:00 +0000").offset is None
    assert epoch_when(1593914400).offset is None
    assert epoch_when(1593914400).precision is Precision.SECOND


def test_zone_from_nothing_or_agreeing_statements_is_paris():
    assert str(zone_from([])) == "Europe/Paris"
    assert str(zone_from([(utc(2020, 7, 5), 120), (utc(2020, 1, 5), 60)])) == "Europe/Paris"


def test_zone_from_one_offset_is_that_fixed_offset():
    zone = zone_from([(utc(2020, 7, 5, 2), 480), (utc(2020, 1, 5, 2), 480)])
    assert zone.utcoffset(None) == timedelta(hours=8)
    # the Philippine blog's zone-less "July 05, 2020 10:00 AM" is 02:00 UTC, not 08:00 UTC
    assert rezone(datetime(2020, 7, 5, 10), zone) == utc(2020, 7, 5, 2)


def test_zone_from_a_dst_zone_seen_in_two_seasons():
    zone = zone_from([(utc(2020, 7, 5, 14), -240), (utc(2020, 1, 5, 15), -300)])
    assert rezone(datetime(2019, 12, 1, 10), zone) == utc(2019, 12, 1, 15)
    assert rezone(datetime(2019, 6, 1, 10), zone) == utc(2019, 6, 1, 14)


def test_zone_from_does_not_depend_on_order():
    stated = [(utc(2020, m, 1), -300 if m < 3 or m > 11 else -240) for m in range(1, 13)]
    assert zone_from(stated) == zone_from(list(reversed(stated)))


@pytest.mark.parametrize(
    ("text", "url", "expected"),
    [
        ("Monday, 10 June", "https://x.blogspot.com/2013/06/p.html", (utc(2013, 6, 10), Precision.DAY)),
        (
            "June 10 at 9:05 PM",
            "https://x.typepad.com/b/2013/06/p.html",
            (utc(2013, 6, 10, 19, 5), Precision.MINUTE),
        ),
        ("24 set.", "https://x.blogspot.com/2014/09/p.html", (utc(2014, 9, 24), Precision.DAY)),
        ("Monday, 10 June", "https://x.blogspot.com/2013/07/p.html", None),  # not the permalink's month
        ("Monday, 10 June", "https://x.blogspot.com/p/about.html", None),  # no year to take
        ("Monday, 10 June 2013", "https://x.blogspot.com/2014/06/p.html", None),  # a year is shown: not this
        ("10 comments", "https://x.blogspot.com/2013/06/p.html", None),
    ],
)
def test_a_day_shown_without_its_year_takes_the_permalinks_year_when_the_months_agree(text, url, expected):
    when = yearless_when(text, url)
    assert (when and (when.utc, when.precision)) == expected


def test_date_from_path():
    assert date_from_path("http://x.canalblog.com/archives/2010/09/07/18732506.html") == (2010, 9, 7)
    assert date_from_path("https://x.blogspot.com/2014/03/slug.html") == (2014, 3, None)
    assert date_from_path("https://x.blogspot.com/p/about.html") is None


def test_german_blogger_date_headers():
    assert parse_date("Samstag, 5. Oktober 2013") == utc(2013, 10, 5)
    assert parse_date("Montag, 1. März 2010 um 10:15") == utc(2010, 3, 1, 9, 15)


def test_arabic_blogger_date_headers_and_one_letter_am_pm():
    # taknulujia's header and time: "Wednesday, 11 November, 2015" + "2:32 AM"; Arabic commas after day names
    assert parse_date("الأربعاء، 11 نوفمبر، 2015 2:32 ص") == utc(2015, 11, 11, 1, 32)
    assert parse_date("الأربعاء، 11 نوفمبر، 2015 9:12 م") == utc(2015, 11, 11, 20, 12)
    assert parse_when("11 مارس 2015").precision is Precision.DAY


def test_cjk_blogger_date_headers():
    # manbn35gt's "2016年2月9日火曜日"; a Chinese and a Korean header; an impossible day is none
    assert parse_when("2016年2月9日火曜日") == parse_when("2016-02-09")
    assert parse_date("2013年9月24日星期二") == utc(2013, 9, 24)
    assert parse_date("2016년 2월 9일 화요일") == utc(2016, 2, 9)
    assert parse_when("2016年13月40日") is None


def test_year_first_numeric_date_headers():
    # celebritiesinleather's header "2016/02/07"; a dotted one, a Korean one and one with a time
    assert parse_when("2016/02/07") == parse_when("2016-02-07")
    assert parse_date("Sunday, 2016.02.07") == utc(2016, 2, 7)
    assert parse_date("2016. 2. 7.") == utc(2016, 2, 7)
    assert parse_date("2016/02/07 22:05") == utc(2016, 2, 7, 21, 5)
    # an impossible day, a version number and a permalink path are none
    assert parse_when("2016/02/31") is None
    assert parse_when("v2016.02.07.1") is None
    assert parse_when("http://x.blogspot.com/2016/02/07/") is None


def test_greek_am_pm():
    # kostasedessa's header and span.clock: "Δευτέρα, 8 Φεβρουαρίου 2016" + "07:30:00 μ.μ."
    assert parse_date("Δευτέρα, 8 Φεβρουαρίου 2016 07:30 μ.μ.") == utc(2016, 2, 8, 18, 30)
    assert parse_date("8 Φεβρουαρίου 2016 7:30 π.μ.") == utc(2016, 2, 8, 6, 30)


def test_a_page_states_its_own_zone_for_its_zone_less_times():
    from crawler.capture import stated_offsets, zone_wall_times
    from crawler.parsers.base import Comment, PostPage

    html = '<abbr class="published" title="2020-07-04T18:30:00+08:00">6:30 PM</abbr><time datetime="2020-07-04T10:00Z">'
    assert stated_offsets(html) == [(utc(2020, 7, 4, 10, 30), 480)]  # "Z" states nothing
    shown = PostPage(url="u", blog_url="b", platform="blogspot").set_published(
        parse_when("July 05, 2020 10:00 AM")
    )
    shown.comments = [Comment(text="Salamat!").set_published(parse_when("July 6, 2020 at 9:15 PM"))]
    zone_wall_times([shown], html)
    assert shown.published == utc(2020, 7, 5, 2, 0) and shown.published_local is None  # final: the page said
    assert (
        shown.comments[0].published == utc(2020, 7, 6, 13, 15) and shown.comments[0].published_local is None
    )
    alone = PostPage(url="u", blog_url="b", platform="blogspot").set_published(
        parse_when("July 05, 2020 10:00 AM")
    )
    zone_wall_times([alone], "<p>no zone here</p>")
    assert alone.published == utc(2020, 7, 5, 8, 0) and alone.published_local == datetime(2020, 7, 5, 10)


def test_tumblr_v1_teaches_the_offset_from_date_and_date_gmt():
    from crawler.parsers.tumblr.api import _v1_when

    when = _v1_when({"unix-timestamp": 1409661327, "date-gmt": "2014-09-02 12:35:27 GMT",
                     "date": "Tue, 02 Sep 2014 08:35:27"})  # fmt: skip
    assert (when.utc, when.offset, when.precision) == (utc(2014, 9, 2, 12, 35, 27), -240, Precision.SECOND)


def test_parse_rfc822_keeps_what_is_written():
    assert parse_rfc822("Sat, 23 Aug 2014 06:55:00 +0200").utcoffset() == timedelta(hours=2)
    assert parse_rfc822("Sat, 23 Aug 2014 06:55:00 -0000").tzinfo is None  # RFC 2822: no zone given
    assert parse_rfc822("not a date") is None
    assert parse_rfc822(None) is None

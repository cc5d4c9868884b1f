"""French and English dates of blog pages, to UTC."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.dates import date_from_path, parse_date, parse_iso


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
        ("mercredi 5 mars 2014", utc(2014, 3, 4, 23, 0)),  # local midnight
        ("1er mars 2014", utc(2014, 2, 28, 23, 0)),
        ("le 19 novembre 2007 à 17h38", utc(2007, 11, 19, 16, 38)),
        ("Wednesday, March 5, 2014", utc(2014, 3, 4, 23, 0)),
        ("2014-03-05T10:22:00+01:00", utc(2014, 3, 5, 9, 22)),
        ("2014-08-23T18:29:06Z", utc(2014, 8, 23, 18, 29, 6)),
        ("02/03/2014", utc(2014, 3, 1, 23, 0)),  # day first, as French pages write it
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text", ["il y a 2 ans", "2 years ago", "hier", "", None, "Sat 12 2014", "31 février 2010"]
)
def test_relative_or_impossible_dates_are_refused(text):
    assert parse_date(text) is None


def test_timezone_can_be_given():
    assert parse_date("5 March 2014 10:00", tz="America/New_York") == utc(2014, 3, 5, 15, 0)


def test_iso_without_offset_is_local():
    assert parse_iso("2010-08-03T11:41") == utc(2010, 8, 3, 9, 41)


def test_date_from_path():
    assert date_from_path("http://x.canalblog.com/archives/2010/09/07/18732506.html") == (2010, 9, 7)
    assert date_from_path("https://x.blogspot.com/2014/03/slug.html") == (2014, 3, None)
    assert date_from_path("https://x.blogspot.com/p/about.html") is None


def test_german_blogger_date_headers():
    assert parse_date("Samstag, 5. Oktober 2013") == utc(2013, 10, 4, 22, 0)
    assert parse_date("Montag, 1. März 2010 um 10:15") == utc(2010, 3, 1, 9, 15)

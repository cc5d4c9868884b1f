"""The zoned machine timestamps a page states (``stated_offsets``): which markup counts, which does not."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from crawler.capture import stated_offsets

NOON_PLUS_2 = [(datetime(2020, 7, 4, 10, 0, tzinfo=timezone.utc), 120)]


@pytest.mark.parametrize(
    "html",
    [
        '<abbr title="2020-07-04T12:00:00+02:00">',
        "<time datetime = '2020-07-04T12:00+0200'>",
        '<meta content=\n  "2020-07-04T12:00:00.000+02:00">',
        '{"datePublished": "2020-07-04T12:00:00+02:00"}',
        '{"dateCreated"  :\t"2020-07-04T12:00+02:00"}',
        '2019<b title="2020-07-04T12:00+02:00">',  # digits just before the attribute are no stamp
    ],
)
def test_a_stamp_after_its_attribute_or_json_key_is_stated(html: str):
    assert stated_offsets(html) == NOON_PLUS_2


@pytest.mark.parametrize(
    "html",
    [
        "<p>2020-07-04T12:00:00+02:00</p>",  # in the text: no attribute
        '<a subtitle="2020-07-04T12:00+02:00">',  # "title" inside another word
        '<a data-title="x" href="2020-07-04T12:00+02:00">',
        '<time datetime="2020-07-04T12:00Z">',  # UTC states no offset
        '<time datetime="20-07-04T12:00+02:00">',  # a two-digit year
        '{"datePublished": 2020-07-04T12:00+02:00}',  # unquoted
    ],
)
def test_other_stamps_state_nothing(html: str):
    assert stated_offsets(html) == []


def test_every_stamp_of_a_page_in_order():
    html = '<abbr title="2020-01-04T12:00+01:00"></abbr><time datetime="2020-07-04T12:00:00+02:00">'
    assert stated_offsets(html) == [(datetime(2020, 1, 4, 11, 0, tzinfo=timezone.utc), 60), *NOON_PLUS_2]

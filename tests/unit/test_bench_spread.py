"""The crawl benchmarks price extraction on post pages taken evenly over the whole crawl."""

from __future__ import annotations

from benchmarks.crawls import spread


def test_spread_takes_even_steps_from_the_first():
    assert spread(list(range(10)), 5) == [0, 2, 4, 6, 8]
    assert spread(list(range(7)), 3) == [0, 2, 4]


def test_spread_reaches_the_end_of_a_long_crawl():
    picked = spread(list(range(7115)), 300)
    assert len(picked) == 300 and len(set(picked)) == 300
    assert picked[0] == 0 and picked[-1] >= 7115 - 7115 // 300 - 1


def test_spread_keeps_everything_when_there_are_fewer():
    assert spread([1, 2], 5) == [1, 2]

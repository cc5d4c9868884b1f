"""The crawl's stats collector keeps Scrapy's stats exactly."""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from crawler.stats import CrawlStats


def test_the_stats_are_scrapys():
    collected = []
    for cls in (MemoryStatsCollector, CrawlStats):
        stats = cls(get_crawler())
        stats.open_spider()
        stats.inc_value("a")
        stats.inc_value("a", 2)
        stats.inc_value("b", start=10)
        stats.set_value("c", "x")
        stats.max_value("d", 3)
        stats.max_value("d", 1)
        stats.min_value("e", 3)
        stats.min_value("e", 1)
        collected.append((dict(stats.get_stats()), stats.get_value("a"), stats.get_value("missing", 0)))
    assert collected[0] == collected[1] == ({"a": 3, "b": 11, "c": "x", "d": 3, "e": 1}, 3, 0)

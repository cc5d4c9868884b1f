"""The log formatter: Scrapy's per-page and per-item DEBUG lines only when DEBUG is shown."""

from __future__ import annotations

from scrapy.http import Request, Response
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler

from crawler.logs import PageLogFormatter


def formatter(**settings: object) -> PageLogFormatter:
    return PageLogFormatter.from_crawler(get_crawler(Spider, settings_dict=settings))


def test_page_and_item_lines_only_at_debug():
    request = Request("http://127.0.0.1:8000/p.html")
    response = Response(request.url, request=request)
    spider = Spider("s")
    for quiet in (formatter(LOG_LEVEL="WARNING"), formatter(LOG_LEVEL="INFO"), formatter(LOG_ENABLED=False)):
        assert quiet.crawled(request, response, spider) is None
        assert quiet.scraped({"id": "1"}, response, spider) is None
    for shown in (formatter(LOG_LEVEL="DEBUG"), formatter(LOG_LEVEL=10)):
        assert shown.crawled(request, response, spider)["args"]["status"] == 200
        assert shown.scraped({"id": "1"}, response, spider)["args"]["item"] == {"id": "1"}

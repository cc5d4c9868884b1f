"""The disk frontier's request serialization: Scrapy's dict, without a search of the spider per request."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import scrapy
from scrapy.http import FormRequest

from crawler.queues import MethodNames, PickleLifoDiskQueue, request_dict
from crawler.spiders.base import BlogSpider
from crawler.spiders.tumblr import TumblrSpider


@pytest.fixture
def spider() -> BlogSpider:
    return BlogSpider(url="http://a.example/")


def requests(spider: BlogSpider) -> list[scrapy.Request]:
    return [
        scrapy.Request(
            "http://a.example/p",
            callback=spider.parse_capture,
            errback=spider.on_error,
            meta={"k": 1},
            priority=20,
            headers={"If-None-Match": "x"},
            cookies={"c": "v"},
        ),  # fmt: skip
        scrapy.Request("http://a.example/img.jpg", callback=spider.parse_media, errback=spider.media_failed),
        scrapy.Request("http://a.example/cdx", callback=spider.parse_cdx, errback=spider.on_cdx_error),
        scrapy.Request("http://a.example/"),
        FormRequest("http://a.example/f", formdata={"a": "b"}, callback=spider.parse_snapshot),
    ]


def test_the_dict_is_scrapys(spider):
    names = MethodNames(spider)
    for request in requests(spider):
        assert request_dict(request, names) == request.to_dict(spider=spider)


def test_an_overridden_callback_is_named_as_scrapy_names_it():
    tumblr = TumblrSpider(url="https://a.tumblr.com/")
    request = scrapy.Request(
        "https://a.tumblr.com/post/1", callback=tumblr.parse_capture, errback=tumblr.on_error
    )
    assert request_dict(request, MethodNames(tumblr)) == request.to_dict(spider=tumblr)


def test_a_function_of_no_spider_is_left_to_scrapy(spider):
    names = MethodNames(spider)
    with pytest.raises(ValueError):  # Scrapy cannot name it: the scheduler keeps the request in memory
        request_dict(scrapy.Request("http://a.example/", callback=lambda response: None), names)
    other = BlogSpider(url="http://b.example/")  # Scrapy names it after the function it binds
    request = scrapy.Request("http://a.example/", callback=other.parse_capture)
    assert request_dict(request, names) == request.to_dict(spider=spider)


def test_requests_come_back_from_disk_with_their_callbacks(spider, tmp_path):
    queue = PickleLifoDiskQueue.from_crawler(SimpleNamespace(spider=spider), str(tmp_path / "q"))
    request = requests(spider)[0]
    queue.push(request)
    popped = queue.pop()
    queue.close()
    assert popped.to_dict(spider=spider) == request.to_dict(spider=spider)
    assert popped.callback == spider.parse_capture and popped.errback == spider.on_error

"""The frontier: memory first, the rest on disk; the disk queue's request serialization is Scrapy's
dict, without a search of the spider per request."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import scrapy
from scrapy.http import FormRequest
from scrapy.utils.test import get_crawler

from crawler.queues import MethodNames, PickleLifoDiskQueue, SpillingScheduler, request_dict
from crawler.settings import SCHEDULER_DISK_QUEUE, SCHEDULER_PRIORITY_QUEUE
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


def test_the_frontier_spills_to_disk_beyond_its_memory_and_serves_memory_first(spider, tmp_path):
    settings = {"JOBDIR": str(tmp_path / "job"), "BLOGARCHIVE_FRONTIER_MEMORY": 2,
                "SCHEDULER_PRIORITY_QUEUE": "scrapy.pqueues.ScrapyPriorityQueue",
                "SCHEDULER_DISK_QUEUE": SCHEDULER_DISK_QUEUE}  # fmt: skip
    crawler = get_crawler(type(spider), settings)
    crawler.spider = spider  # the disk queue names the callbacks of the crawler's spider
    scheduler = SpillingScheduler.from_crawler(crawler)
    scheduler.open(spider)
    urls = [f"http://a.example/{n}" for n in range(5)]
    for url in urls:
        assert scheduler.enqueue_request(scrapy.Request(url, callback=spider.parse_capture))
    assert len(scheduler) == 5
    popped = [scheduler.next_request() for _ in range(6)]
    scheduler.close("finished")
    assert [r.url for r in popped[:2]] == urls[1::-1]  # memory first (LIFO, as Scrapy), then the disk
    assert sorted(r.url for r in popped[2:5]) == urls[2:] and popped[5] is None
    assert all(r.callback == spider.parse_capture for r in popped[:5])
    stats = crawler.stats.get_stats()
    assert stats["scheduler/enqueued/memory"] == stats["scheduler/dequeued/memory"] == 2
    assert stats["scheduler/enqueued/disk"] == stats["scheduler/dequeued/disk"] == 3


def test_the_crawl_uses_it_with_the_slot_aware_queue():
    from crawler import settings

    assert settings.SCHEDULER == "crawler.queues.SpillingScheduler"
    assert SCHEDULER_PRIORITY_QUEUE == "scrapy.pqueues.DownloaderAwarePriorityQueue"

"""`scrapy crawl typepad -a url=...`: the shared crawl loop with the platform fixed."""

from __future__ import annotations

from crawler.spiders.base import BlogSpider


class TypepadSpider(BlogSpider):
    name = "typepad"
    platform = "typepad"

"""`scrapy crawl tumblr -a url=...`: the shared crawl loop with the platform fixed."""

from __future__ import annotations

from crawler.spiders.base import BlogSpider


class TumblrSpider(BlogSpider):
    name = "tumblr"
    platform = "tumblr"

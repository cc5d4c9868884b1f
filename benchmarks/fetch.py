"""Fetch-only baseline: Scrapy with the crawl's settings replays a list of URLs, parsing nothing.

``python -m benchmarks.fetch URLS_FILE -s NAME=VALUE...``: the settings are built exactly
as ``blogarchive crawl`` builds them (project settings, then ``-s``), minus blogarchive's
own components (WARC middleware, shard pipeline, run summary): what is left is Scrapy
fetching the same pages with the same concurrency, robots.txt, retries and headers.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.blogs import slot_key
from crawler.commands.crawl import scrapy_settings

OURS = {
    "DOWNLOADER_MIDDLEWARES": {"crawler.warc.WarcMiddleware": None},
    "ITEM_PIPELINES": {},
    "EXTENSIONS": {"crawler.extensions.RunSummary": None},
}


class ReplaySpider(scrapy.Spider):
    """Requests every URL of a file, in order; responses are dropped unread."""

    name = "replay"

    def __init__(self, urls: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls_file = Path(urls)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        with open(self.urls_file, encoding="utf-8") as lines:
            for line in lines:
                url = line.strip()
                # Per host:port, as the crawl throttles: the same per-blog limits.
                yield scrapy.Request(url, callback=self.parse, meta={"download_slot": slot_key(url)})

    def parse(self, response: scrapy.http.Response) -> None:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", type=Path)
    parser.add_argument("-s", "--set", action="append", default=[])
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        settings = scrapy_settings(argparse.Namespace(output=scratch, set=args.set, loglevel=None))
        for name, value in OURS.items():
            settings.set(name, value, priority="cmdline")
        process = CrawlerProcess(settings)
        crawler = process.create_crawler(ReplaySpider)
        process.crawl(crawler, urls=str(args.urls))
        process.start()
    return 0 if crawler.stats.get_value("finish_reason") == "finished" else 1


if __name__ == "__main__":
    raise SystemExit(main())

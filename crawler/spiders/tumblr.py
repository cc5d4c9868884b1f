"""`scrapy crawl tumblr -a url=...`: the shared crawl loop, plus Tumblr's API v2 (with a key) and consent cookie.

- ``BLOGARCHIVE_TUMBLR_API_KEY`` (or env ``TUMBLR_API_KEY``): an OAuth consumer key; with it the API v2 enumerates
  the blog first. The key is added to API requests only, never to links or hints.
- ``BLOGARCHIVE_TUMBLR_API_URL``: the API's base URL (``https://api.tumblr.com``; tests point it at loopback).
- ``BLOGARCHIVE_TUMBLR_CONSENT_COOKIE``: ``name=value`` sent with every request so EU visitors get pages, not the
  GDPR interstitial (empty: none). A browser's own ``pfg`` cookie is the surest value.

Permalinks found on HTML pages wait until the spider is idle: by then the APIs and feeds have scheduled the
same posts with their hints (exact date, type, notes, tags), which the base spider keeps only for the first
link to a post it sees.

The API budget (about 1,000 requests an hour, 5,000 a day) is read from the ``X-Ratelimit-*`` headers: once it
is spent (or on a 429) the API is left alone for the rest of the crawl, which goes on with the keyless sources
(legacy API, RSS, archive, pages), so it still ends with every post; the next crawl uses the API again.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.parsers import tumblr
from crawler.parsers.base import Link, LinkKind, to_int
from crawler.spiders.base import BlogSpider
from crawler.urls import canonicalize, post_id
from crawler.warc import META_KIND

logger = logging.getLogger(__name__)

API_URL = "https://api.tumblr.com"
CONSENT_COOKIE = "pfg=" + quote(
    '#{"eu_resident":1,"gdpr_is_acceptable_age":1,"gdpr_consent_core":1,"gdpr_consent_first_party_ads":0,'
    '"gdpr_consent_third_party_ads":0,"gdpr_consent_search_history":0}#',
    safe="",
)
# The API answers these as JSON the parser names (api_unauthorized, blog_gone, api_rate_limited...).
API_STATUSES = [400, 401, 403, 404, 429]
RATE_HEADERS = (b"X-Ratelimit-Perhour-Remaining", b"X-Ratelimit-Perday-Remaining")
RESET_HEADERS = (b"X-Ratelimit-Perhour-Reset", b"X-Ratelimit-Perday-Reset")


class TumblrSpider(BlogSpider):
    name = "tumblr"
    platform = "tumblr"

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> TumblrSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.api_key = settings.get("BLOGARCHIVE_TUMBLR_API_KEY") or os.environ.get("TUMBLR_API_KEY") or ""
        spider.api_url = (settings.get("BLOGARCHIVE_TUMBLR_API_URL") or API_URL).rstrip("/")
        name, _, value = str(settings.get("BLOGARCHIVE_TUMBLR_CONSENT_COOKIE", CONSENT_COOKIE)).partition("=")
        spider.consent = {name.strip(): value.strip()} if name.strip() else {}
        spider.api_spent = False
        spider.parked = {}
        crawler.signals.connect(spider._release_parked, signal=signals.spider_idle)
        return spider

    async def start(self) -> AsyncIterator[scrapy.Request]:
        async for request in super().start():
            yield request
        if self.api_key:
            for url in self.seed_urls:
                link = Link(tumblr.api_v2_url(self.api_url, url), LinkKind.FEED, priority=25)
                yield self.make_request(link, self.platform)

    def is_api(self, url: str) -> bool:
        return url.startswith(f"{self.api_url}/v2/")

    def make_request(self, link: Link, platform: str | None) -> scrapy.Request:
        request = super().make_request(link, platform)
        if self.consent:
            request.cookies = dict(self.consent)
        if not self.is_api(link.url):
            return request
        separator = "&" if "?" in link.url else "?"
        # A retry would spend the hourly budget on an answer the keyless sources give anyway.
        meta = {**request.meta, "dont_retry": True, "handle_httpstatus_list": API_STATUSES}
        return request.replace(url=f"{link.url}{separator}api_key={quote(self.api_key, safe='')}", meta=meta)

    def _follow(
        self,
        link: Link,
        response: Response,
        platform: str,
        signatures: dict[str, tuple[int, str]],
        counts: Counter[str] | None = None,
    ) -> scrapy.Request | None:
        # The page's signatures are replayed on release; its ``counts`` are not: they are added to
        # the stats when the page's links are done, a parked link is counted when it is released.
        if link.kind is LinkKind.POST and link.hint is None:
            key = post_id(canonicalize(link.url))
            if key not in self.scheduled_posts:
                self.parked.setdefault(key, (link, response.url, platform, signatures))
            return None
        if not self.is_api(link.url):
            return super()._follow(link, response, platform, signatures, counts)
        if self.api_spent or not self.api_key:
            self.crawler.stats.inc_value("blogarchive/tumblr/api_skipped")
            return None
        return self.make_request(link, platform)

    def _release_parked(self) -> None:
        """Schedule the permalinks no API or feed gave, once every listing and feed has been read."""
        waiting = [item for key, item in self.parked.items() if key not in self.scheduled_posts]
        self.parked = {}
        scheduled = False
        for link, source, platform, signatures in waiting:
            found_on = Response(source, request=scrapy.Request(source))  # the base spider reads url and meta
            request = super()._follow(link, found_on, platform, signatures)
            if request is not None:
                self.crawler.engine.crawl(request)
                scheduled = True
        if scheduled:
            raise DontCloseSpider

    async def parse_capture(self, response: Response) -> AsyncIterator[Any]:
        if self.is_api(response.url):
            self.crawler.stats.inc_value("blogarchive/tumblr/api_requests")
            self._check_budget(response)
        async for result in super().parse_capture(response):
            yield result

    def on_error(self, failure: Failure) -> None:
        request = failure.request
        if self.is_api(request.url) and request.meta.get(META_KIND) == LinkKind.FEED.value:
            self.crawler.stats.inc_value("blogarchive/tumblr/api_errors")
        super().on_error(failure)

    def _check_budget(self, response: Response) -> None:
        """Leave the API alone once the hour's or the day's budget is spent."""
        remaining = [to_int(response.headers.get(name)) for name in RATE_HEADERS]
        if response.status != 429 and all(r is None or r > 0 for r in remaining):
            return
        if not self.api_spent:
            resets = ", ".join(
                f"{n.decode()}={v.decode()}" for n in RESET_HEADERS if (v := response.headers.get(n))
            )
            logger.warning(
                "Tumblr API budget spent (%s): going on with the keyless sources", resets or "no reset given"
            )
        self.api_spent = True
        self.crawler.stats.set_value("blogarchive/tumblr/api_budget_spent", 1)

"""Downloader middlewares that keep a crawl polite and hard to break.

- :class:`PoliteRetryMiddleware` replaces Scrapy's RetryMiddleware: the same retries,
  plus waits. ``Retry-After`` on a 429/503 pauses the whole host for that long (bounded by
  ``BLOGARCHIVE_RETRY_MAX_WAIT``); other retries back off exponentially
  (``BLOGARCHIVE_RETRY_BACKOFF`` seconds, doubled each attempt).
- :class:`CrawlDelayMiddleware` honours robots.txt ``Crawl-delay`` (Scrapy reads it but
  never applies it), even when AutoThrottle would go faster.
- :class:`RedirectGuardMiddleware` refuses redirect loops (3xx or meta refresh) and
  redirects to another host, to a non-HTTP scheme or into a private network (an address,
  or a name the crawl's resolver gives such an address) before Scrapy follows them.
- :class:`ContactUserAgentMiddleware` sends ``USER_AGENT`` with ``BLOGARCHIVE_CONTACT``.
- :class:`MetaRefreshMiddleware` is Scrapy's, skipping pages whose bytes hold no "refresh".

Every refusal is a :class:`Skipped` request whose ``slug`` the spider counts in the stats.
"""

from __future__ import annotations

import codecs
import logging
import os
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response
from scrapy.utils.asyncio import call_later, sleep
from scrapy.utils.response import get_meta_refresh, response_status_message

from crawler.dates import parse_rfc822
from crawler.parsers.base import LinkKind
from crawler.urls import is_http_url, is_ip_literal, on_private_network, private_address, same_site
from crawler.warc import META_KIND
from crawler.wayback.cdx import SLOT as ARCHIVE_SLOT

logger = logging.getLogger(__name__)

REDIRECT_STATUSES = (301, 302, 303, 307, 308)


class Skipped(IgnoreRequest):
    """A request deliberately not fetched or not followed; ``slug`` says why (a stats key)."""

    def __init__(self, slug: str, message: str) -> None:
        super().__init__(message)
        self.slug = slug


# ---------------------------------------------------------------------------------
# Pure rules


def may_refresh(response: HtmlResponse) -> bool:
    """Whether the page may hold a ``<meta http-equiv=refresh>``: not when its encoding writes
    ASCII letters as themselves and its bytes spell no "refresh" in any case.

    Most pages hold none: this costs 44 µs for a 20 KB page, where Scrapy's ``get_meta_refresh``
    decodes the page and scans its head for 130-160 µs, on the reactor.
    """
    try:
        encoding = codecs.lookup(response.encoding).name
        plain = encoding != "utf-7" and "REFRESH refresh".encode(encoding) == b"REFRESH refresh"
    except (LookupError, UnicodeError):
        return True
    return not plain or b"refresh" in response.body.lower()


def retry_after_seconds(value: str | bytes | None, now: datetime) -> float | None:
    """The wait a ``Retry-After`` header asks for (delta-seconds or HTTP-date); None if absent or bad."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    when = parse_rfc822(text)
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - now).total_seconds())


def backoff_seconds(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff: ``base`` before the first retry, doubled for each later one."""
    return min(cap, base * 2 ** max(0, attempt - 1))


def same_blog_host(a: str, b: str) -> bool:
    """Same site, counting ``example.fr`` and ``www.example.fr`` as one (custom domains move so)."""
    if same_site(a, b):
        return True
    pa, pb = urlsplit(a), urlsplit(b)
    strip = lambda host: (host or "").lower().removeprefix("www.")  # noqa: E731
    return strip(pa.hostname) == strip(pb.hostname) and pa.port == pb.port


def redirect_problem(origin: str, target: str, chain: list[str], *, feed: bool = False) -> str | None:
    """Why a redirect from a request first made for ``origin`` to ``target`` must not be followed.

    A feed may move to another host (FeedBurner): the spider still checks its links
    against the blog's own host, so only pages are kept on their host.
    """
    if not is_http_url(target):
        return "redirect_bad_scheme"
    if on_private_network(target) and not on_private_network(
        origin
    ):  # a public blog never moves into our LAN
        return "redirect_private"
    if not feed and not same_blog_host(target, origin):
        return "redirect_offsite"
    if _unfragment(target) in {_unfragment(url) for url in chain}:
        return "redirect_loop"
    return None


Resolve = Callable[[str], Awaitable[str]]  # a host name -> one of its IP addresses


async def crawl_resolve(host: str) -> str:
    """``host``'s address from the crawl's resolver: Scrapy's cached one, which the download then reuses."""
    from scrapy.utils.defer import maybe_deferred_to_future
    from twisted.internet import reactor

    return await maybe_deferred_to_future(reactor.resolver.getHostByName(host))


async def resolves_private(url: str, resolve: Resolve) -> bool:
    """True when ``url`` is on a private network, by its literal host or by the address its name resolves to.

    A name that does not resolve is not judged here: its download fails and is counted as such.
    """
    if on_private_network(url):
        return True
    host = (urlsplit(url).hostname or "").rstrip(".")
    if not host or is_ip_literal(host):
        return False
    try:
        address = await resolve(host)
    except Exception:  # a lookup error or timeout of any kind: the fetch reports it
        return False
    return is_ip_literal(address) and private_address(address)


def user_agent(base: str, contact: str) -> str:
    """``base`` with the operator's contact inside its comment: ``name/1.0 (...; contact: x)``."""
    contact = " ".join(contact.split())
    if not contact or contact in base:
        return base
    if base.endswith(")"):
        return f"{base[:-1]}; contact: {contact})"
    return f"{base} (contact: {contact})"


# ---------------------------------------------------------------------------------
# Middlewares


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's retries with waits: ``Retry-After`` honoured host-wide, backoff otherwise, all bounded."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.backoff = crawler.settings.getfloat("BLOGARCHIVE_RETRY_BACKOFF")
        self.max_wait = crawler.settings.getfloat("BLOGARCHIVE_RETRY_MAX_WAIT")

    @classmethod
    def from_crawler(cls, crawler: Any) -> PoliteRetryMiddleware:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        asked = retry_after_seconds(response.headers.get(b"Retry-After"), datetime.now(timezone.utc))
        if asked is not None or response.status == 429:
            self._pause_host(request, response.status, asked, retry.meta["retry_times"])
        else:
            await self._wait(request, retry.meta["retry_times"])
        return retry

    async def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry", False) or not isinstance(exception, self.exceptions_to_retry):
            return None
        if request.meta.get("download_slot") == ARCHIVE_SLOT and _is_dns_error(exception):
            # The archive's name does not resolve: offline, not a ban; its long backoff cannot help.
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            await self._wait(request, retry.meta["retry_times"])
        return retry

    async def _wait(self, request: Request, attempt: int) -> None:
        seconds = backoff_seconds(attempt, self.backoff, self.max_wait)
        if seconds > 0:
            self._count("backoff", seconds)
            await sleep(seconds)

    def _pause_host(self, request: Request, status: int, asked: float | None, attempt: int) -> None:
        """Hold every queued request of the host: a 429 (or a Retry-After) is about the host."""
        seconds = backoff_seconds(attempt, self.backoff, self.max_wait) if asked is None else asked
        if seconds > self.max_wait:
            self.crawler.stats.inc_value("blogarchive/retry/retry_after_capped")
            logger.warning("Retry-After %.0fs on %s capped at %.0fs", seconds, request.url, self.max_wait)
            seconds = self.max_wait
        self._count("retry_after" if asked is not None else "backoff", seconds)
        logger.info("%d on %s: pausing the host for %.1fs", status, request.url, seconds)
        pause_slot(self.crawler.engine.downloader, request, seconds)

    def _count(self, kind: str, seconds: float) -> None:
        self.crawler.stats.inc_value(f"blogarchive/retry/{kind}_waits")
        self.crawler.stats.inc_value(f"blogarchive/retry/{kind}_seconds", round(seconds, 3), start=0.0)


def _is_dns_error(exception: Exception) -> bool:
    from scrapy.exceptions import CannotResolveHostError
    from twisted.internet.error import DNSLookupError

    return isinstance(exception, (DNSLookupError, CannotResolveHostError))


def pause_slot(downloader: Any, request: Request, seconds: float) -> None:
    """Stop the download slot of ``request`` from starting anything for ``seconds``.

    Scrapy's downloader holds a slot while ``slot.latercall`` is pending; the pause replaces
    a shorter pending one and then lets the slot's queue run again.
    """
    slot = downloader.slots.get(
        request.meta.get(downloader.DOWNLOAD_SLOT) or downloader.get_slot_key(request)
    )
    if slot is None or seconds <= 0:
        return
    if slot.latercall is not None:
        slot.latercall.cancel()

    def resume() -> None:
        slot.latercall = None
        downloader._process_queue(slot)

    slot.latercall = call_later(seconds, resume)


class _WithoutTraceback(logging.Filter):
    """Log the error (its message names it), not its traceback: a dead host is no bug of ours."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = record.exc_text = None
        return True


class CrawlDelayMiddleware:
    """Keeps each host's download delay at or above its robots.txt ``Crawl-delay``.

    Scrapy parses robots.txt (``robots_parsed`` signal) but applies no Crawl-delay; this
    raises the host's download slot delay to it (jitter off, so no request comes sooner)
    and restores it after AutoThrottle lowers it. Delays above
    ``BLOGARCHIVE_CRAWL_DELAY_MAX`` are capped there.
    """

    def __init__(self, crawler: Any) -> None:
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        self.crawler = crawler
        self.max_delay = crawler.settings.getfloat("BLOGARCHIVE_CRAWL_DELAY_MAX")
        self.user_agent = crawler.settings.get("ROBOTSTXT_USER_AGENT") or crawler.settings.get("USER_AGENT")
        self.delays: dict[str, float] = {}
        crawler.signals.connect(self.robots_parsed, signal=signals.robots_parsed)
        robots_logger = logging.getLogger("scrapy.downloadermiddlewares.robotstxt")
        if not any(isinstance(f, _WithoutTraceback) for f in robots_logger.filters):
            robots_logger.addFilter(_WithoutTraceback())
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlDelayMiddleware:
        return cls(crawler)

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        delay = robotparser.crawl_delay(self.user_agent)
        if not delay or delay <= 0:
            return
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        self.delays[key] = min(float(delay), self.max_delay)
        self.crawler.stats.set_value(f"blogarchive/politeness/crawl_delay/{key}", self.delays[key])
        logger.info(
            "robots.txt of %s asks for Crawl-delay %s s (applying %.1f s)", key, delay, self.delays[key]
        )
        # Slots made later (or again after Scrapy collects idle ones) start with it.
        downloader.per_slot_settings.setdefault(key, {}).update(delay=self.delays[key], jitter=0)
        self._clamp(key)

    def response_downloaded(self, response: Response, request: Request) -> None:
        key = request.meta.get(self.crawler.engine.downloader.DOWNLOAD_SLOT)
        if key in self.delays:
            self._clamp(key)

    def _clamp(self, key: str) -> None:
        slot = self.crawler.engine.downloader.slots.get(key)
        if slot is not None:
            slot.jitter = 0
            slot.delay = max(slot.delay, self.delays[key])


class RedirectGuardMiddleware:
    """Refuses redirect loops, redirects to a non-HTTP scheme, and pages redirected to another host.

    Placed just outside Scrapy's RedirectMiddleware (600) and MetaRefreshMiddleware (580),
    so it sees their responses first (3xx, or a page whose ``<meta http-equiv=refresh>``
    they would follow); a refusal reaches the request's errback as a :class:`Skipped`
    with the reason. A page refreshing itself is an auto-reload, not a move: it is kept.
    """

    def __init__(
        self,
        max_refresh_delay: float | None,
        ignore_tags: list[str] | None = None,
        resolve: Resolve = crawl_resolve,
    ) -> None:
        self.max_refresh_delay = max_refresh_delay  # None: MetaRefreshMiddleware is off
        self.ignore_tags = ignore_tags or []
        self.resolve = resolve

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectGuardMiddleware:
        settings = crawler.settings
        delay = settings.getfloat("METAREFRESH_MAXDELAY") if settings.getbool("METAREFRESH_ENABLED") else None
        return cls(delay, settings.getlist("METAREFRESH_IGNORE_TAGS"))

    async def process_response(self, request: Request, response: Response) -> Response:
        target = self._target(request, response)
        if target is None:
            return response
        chain = [*request.meta.get("redirect_urls", []), request.url]
        if response.status not in REDIRECT_STATUSES and _unfragment(target) == _unfragment(request.url):
            request.meta["dont_redirect"] = True  # MetaRefreshMiddleware would drop the page for itself
            return response
        # A feed may move to FeedBurner; a blog's home may move to its custom domain (or to a
        # platform's "blog gone" or consent page, which the parser then names); a post's file
        # to its CDN.
        moves = request.meta.get(META_KIND) in (LinkKind.FEED.value, LinkKind.HOME.value, "media")
        problem = redirect_problem(chain[0], target, chain, feed=moves)
        if problem is None and await self._into_private_network(chain[0], target):
            problem = "redirect_private"
        if problem:
            raise Skipped(problem, f"{problem}: {request.url} -> {target}")
        return response

    async def _into_private_network(self, origin: str, target: str) -> bool:
        """A move to another host whose name resolves into a private network, from a public origin."""
        if urlsplit(target).hostname == urlsplit(origin).hostname:
            return False  # the origin's own name: already fetched, and no move
        # The origin first: a loopback seed needs no lookup, a named one was just resolved (cached).
        return not await resolves_private(origin, self.resolve) and await resolves_private(
            target, self.resolve
        )

    def _target(self, request: Request, response: Response) -> str | None:
        """Where Scrapy would go next from this response, if anywhere."""
        if response.status in REDIRECT_STATUSES:
            location = response.headers.get(b"Location")
            return urljoin(request.url, location.decode("latin-1").strip()) if location else None
        if (
            self.max_refresh_delay is None
            or not isinstance(response, HtmlResponse)
            or not may_refresh(response)
        ):
            return None
        delay, url = get_meta_refresh(response, ignore_tags=self.ignore_tags)
        return url if url and delay is not None and delay < self.max_refresh_delay else None


def _unfragment(url: str) -> str:
    return url.split("#", 1)[0]


class ContactUserAgentMiddleware:
    """Sends ``USER_AGENT`` with the operator's ``BLOGARCHIVE_CONTACT`` (setting, else environment)."""

    def __init__(self, agent: str) -> None:
        self.agent = agent

    @classmethod
    def from_crawler(cls, crawler: Any) -> ContactUserAgentMiddleware:
        settings = crawler.settings
        contact = settings.get("BLOGARCHIVE_CONTACT") or os.environ.get("BLOGARCHIVE_CONTACT", "")
        if not contact.strip():
            logger.warning(
                "BLOGARCHIVE_CONTACT is not set: the User-Agent gives blogs' hosts no way to reach you "
                "(export BLOGARCHIVE_CONTACT=you@example.org, or -s BLOGARCHIVE_CONTACT=...)"
            )
        return cls(user_agent(settings.get("USER_AGENT"), contact))

    def process_request(self, request: Request) -> None:
        request.headers.setdefault(b"User-Agent", self.agent)


class MetaRefreshMiddleware(ScrapyMetaRefreshMiddleware):
    """Scrapy's, not decoding and scanning a page whose bytes rule a meta refresh out (:func:`may_refresh`)."""

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if isinstance(response, HtmlResponse) and not may_refresh(response):
            return response
        return super().process_response(request, response)

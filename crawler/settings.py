"""Scrapy settings: polite defaults for users; benchmarks and tests override with ``-s``.

blogarchive's own settings are ``BLOGARCHIVE_*``; see README "Settings".
"""

from __future__ import annotations

from crawler import __version__

BOT_NAME = "blogarchive"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Who we are, and how to reach the operator: BLOGARCHIVE_CONTACT (setting or environment
# variable, e.g. an e-mail address) goes into the User-Agent's comment.
BLOGARCHIVE_CONTACT = ""
USER_AGENT = f"blogarchive/{__version__} (archival crawler; +https://pypi.org/project/blogarchive/)"

# Politeness: robots.txt, AutoThrottle, per-host bounds, backoff on 429/5xx.
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_DELAY = 0.5
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024  # larger responses are aborted, counted and skipped
BLOGARCHIVE_MEDIA = "images"  # post files fetched: images, all (+ video, audio) or none
BLOGARCHIVE_MEDIA_MAXSIZE = 20 * 1024 * 1024  # per file; a larger one is aborted as it streams (too_large)
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote control (an HTTP server on localhost that runs the code sent to it, on by
# default, and a job file in the user's state folder): not something an archiver's crawl should open.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0
LOG_FORMATTER = "crawler.logs.PageLogFormatter"  # no record per page or item unless LOG_LEVEL=DEBUG
# Memory stays bounded: responses waiting for the parse pool hold back the downloader.
SCRAPER_SLOT_MAX_ACTIVE_SIZE = 10_000_000
# Scrapy starts this many asyncio tasks for the output of every callback (100 by default:
# 60,000 tasks for a 300-post crawl, a tenth of the reactor's CPU); our pipelines are synchronous,
# so more tasks only cost: a page's 1-4 outputs take 93-134 us with 2 tasks, 178-191 us with 8.
CONCURRENT_ITEMS = 2
DEPTH_PRIORITY = 0
# Fair across blogs: one queue per download slot (host:port, see crawler.blogs.slot_key), the
# least busy slot served first, so one huge blog never starves the others. ``blogarchive crawl``
# keeps the frontier in memory up to BLOGARCHIVE_FRONTIER_MEMORY requests, the rest on disk
# (JOBDIR = OUT/.state/frontier; crawler/queues.py); workers keep it in Redis.
SCHEDULER_PRIORITY_QUEUE = "scrapy.pqueues.DownloaderAwarePriorityQueue"
CONCURRENT_REQUESTS_PER_IP = 0  # DownloaderAwarePriorityQueue requires it
# Scrapy's LIFO disk queue, serializing requests without searching the spider's methods (crawler/queues.py).
SCHEDULER_DISK_QUEUE = "crawler.queues.PickleLifoDiskQueue"
SCHEDULER = "crawler.queues.SpillingScheduler"
BLOGARCHIVE_FRONTIER_MEMORY = 20_000  # requests waiting in memory (~1 KB each) before the disk takes the rest
STATS_CLASS = "crawler.stats.CrawlStats"  # Scrapy's in-memory stats, without a wrapper per call

DOWNLOADER_MIDDLEWARES = {
    # Below every built-in: sees raw responses (still compressed, 3xx before redirects).
    "crawler.warc.WarcMiddleware": 950,
    # Sees 3xx before RedirectMiddleware (600): no loops, no other host, no other scheme.
    "crawler.middlewares.RedirectGuardMiddleware": 610,
    # Retries that wait: Retry-After pauses the host, backoff otherwise (replaces Scrapy's).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.PoliteRetryMiddleware": 550,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "crawler.middlewares.ContactUserAgentMiddleware": 500,
    # After RobotsTxtMiddleware (100): robots.txt Crawl-delay becomes the host's minimum delay.
    "crawler.middlewares.CrawlDelayMiddleware": 110,
    # Off: our spiders name no allowed_domains (links are kept on their blog by the spider), so it
    # allowed every request, matching each URL twice (on scheduling and on download).
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    # Scrapy's meta refresh, skipping pages whose bytes hold no "refresh" (crawler/middlewares.py).
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware": None,
    "crawler.middlewares.MetaRefreshMiddleware": 580,
}
SPIDER_MIDDLEWARES = {
    # Nearest the engine: counts each request a callback yields for its blog (crawler/blogs.py).
    "crawler.blogs.BlogAccountingMiddleware": 10,
    # Off: a spider author's lint (a warning for meta copied from a response), one more
    # asynchronous generator around every request and row a callback yields.
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}
ITEM_PIPELINES = {
    "pipelines.dedup.DedupPipeline": 400,
    "crawler.shard_pipeline.ShardPipeline": 900,  # always last
}
EXTENSIONS = {
    "crawler.extensions.RunSummary": 500,
    "crawler.extensions.Progress": 510,
}

# blogarchive
BLOGARCHIVE_OUTPUT = "output"
BLOGARCHIVE_PROGRESS_INTERVAL = 10.0  # seconds between progress lines; 0 = none
BLOGARCHIVE_WORKERS = -1  # parse/extract processes; -1 = one per core, 0 = inline (no pool)
BLOGARCHIVE_MAX_POSTS = 0  # posts scheduled per blog; 0 = no limit
BLOGARCHIVE_CONCURRENT_BLOGS = 32  # blogs crawled at once (per worker); the next seed waits for room
# Distributed workers (blogarchive worker; see crawler/distributed/).
BLOGARCHIVE_REDIS_PREFIX = "blogarchive"  # every Redis key of the crawl starts with it
BLOGARCHIVE_WORKER_ID = ""  # set by blogarchive worker
BLOGARCHIVE_WORKER_TTL = 30.0  # seconds without a heartbeat before a worker's leases are given back
BLOGARCHIVE_WORKER_TICK = 1.0  # seconds between heartbeats and looks at the seed list
BLOGARCHIVE_WORKER_LINGER = 10.0  # seconds the whole crawl stays idle before a worker stops
BLOGARCHIVE_SEGMENT_ROWS = 200  # rows per crash-safe segment flush
BLOGARCHIVE_SEGMENT_SECONDS = 5.0  # ...or this often, whichever comes first
BLOGARCHIVE_SEGMENT_THREAD = True  # segments written and fsynced off the reactor (crawler/shard_pipeline.py)
BLOGARCHIVE_SHARD_ROWS = 50_000  # rows per final Parquet shard
BLOGARCHIVE_WARC_MAX_BYTES = 1024 * 1024 * 1024  # rotate WARC files at 1 GiB
# Politeness and traps (see crawler/middlewares.py and crawler/traps.py).
BLOGARCHIVE_RETRY_BACKOFF = 2.0  # seconds before the first retry, doubled for each later one
BLOGARCHIVE_RETRY_MAX_WAIT = 120.0  # cap of any one wait, Retry-After included
BLOGARCHIVE_CRAWL_DELAY_MAX = 60.0  # robots.txt Crawl-delay is honoured up to this
BLOGARCHIVE_MAX_PAGES_PER_BLOG = 1_000_000  # distinct links followed per host:port: the last stop of a trap
BLOGARCHIVE_TRAP_BARREN_DEPTH = 10  # pages in a row with nothing new before a chain is cut
# Dead blogs: the Wayback Machine (crawler/wayback/). The archive bans
# clients that go fast (429s, then refused connections for a minute or more), so every archive
# request shares one download slot: one connection, one request a second, whatever live blogs get,
# and more retries (backing off exponentially) than a live blog's pages.
BLOGARCHIVE_SOURCE = "live"  # "wayback": read the blogs from the archive only
BLOGARCHIVE_WAYBACK_FALLBACK = True  # a gone or walled live blog is read from the archive instead
BLOGARCHIVE_WAYBACK_CDX = "https://web.archive.org/cdx/search/cdx"
BLOGARCHIVE_WAYBACK_SNAPSHOTS = "https://web.archive.org/web/"
BLOGARCHIVE_WAYBACK_FROM = ""  # captures from this timestamp (YYYY[MM[DD[hhmmss]]], inclusive); "" = any
BLOGARCHIVE_WAYBACK_TO = ""  # captures up to this timestamp; "" = any
BLOGARCHIVE_WAYBACK_PREFER = "latest"  # which capture of a URL is parsed: "latest" or "earliest"
BLOGARCHIVE_WAYBACK_CDX_PAGE = 5000  # CDX lines per request (paged with resumeKey)
BLOGARCHIVE_WAYBACK_RETRIES = 8  # retries of an archive request (429, 503, refused connections...)
DOWNLOAD_SLOTS = {"wayback": {"concurrency": 1, "delay": 1.0, "jitter": 0}}

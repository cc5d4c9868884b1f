"""``blogarchive worker --redis URL -o OUT``: join a distributed crawl (leave it at any time)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from crawler.commands.crawl import add_parse_processes, print_summary, scrapy_settings
from crawler.commands.seed import add_redis_arguments, redis_url
from crawler.failures import failure_of
from crawler.parsers import PLATFORMS

NAME = "worker"
SCRAPY_LOGGING = True  # Scrapy configures the log, from LOG_LEVEL and LOG_FILE
HELP = "crawl blogs from a shared Redis frontier (fed by `blogarchive seed`) into OUT/worker-<n>"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_redis_arguments(parser)
    parser.add_argument(
        "-o", "--output", default="output", help="output directory; this worker writes OUT/worker-<n>"
    )
    parser.add_argument(
        "--name", help="write OUT/worker-NAME (default: the first worker-<n> no live worker holds)"
    )
    parser.add_argument("--platform", choices=PLATFORMS, help="force the platform instead of detecting it")
    parser.add_argument(
        "--max-posts", type=int, default=0, help="schedule at most N posts per blog (0: no limit)"
    )
    add_parse_processes(parser)
    parser.add_argument("--linger", type=float, default=None, metavar="SECONDS",
                        help="stop once the whole crawl has been idle this long (default: 10)")  # fmt: skip
    parser.add_argument(
        "-s", "--set", action="append", default=[], metavar="NAME=VALUE", help="override a Scrapy setting"
    )


def run(args: argparse.Namespace) -> int:
    from scrapy.crawler import CrawlerProcess

    url = redis_url(args)
    from crawler.distributed.frontier import connect
    from crawler.distributed.worker import WorkerSpider, apply_worker_settings, claim_worker_dir, worker_id
    from crawler.logs import quiet_scrapy_startup

    connect(url)
    directory, lock = claim_worker_dir(Path(args.output), args.name)
    args.output = directory
    quiet_scrapy_startup()
    settings = scrapy_settings(args)
    apply_worker_settings(settings, url, worker_id(directory), args.prefix)
    if args.linger is not None:
        settings.set("BLOGARCHIVE_WORKER_LINGER", args.linger, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(WorkerSpider)
    process.crawl(crawler, platform=args.platform)
    process.start()
    print_summary(directory)
    lock.close()
    if failure_of(crawler):
        print(f"blogarchive worker: error: {failure_of(crawler)}", file=sys.stderr)
        return 1
    stats = crawler.stats.get_stats() if crawler.stats else {}
    return 0 if stats.get("finish_reason") == "finished" else 1

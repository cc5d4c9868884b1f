"""The fork server a crawl's parse workers come from (:mod:`crawler.pool`), startable early.

A light module (no parser, no Scrapy): ``blogarchive crawl`` starts the server before it
imports Scrapy and opens its output, so the server's own imports (the parse steps:
trafilatura, lxml, the parsers: a second or more) run on the other core meanwhile, and the
workers fork from a ready server when the spider is made.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing import forkserver
from typing import Any

PRELOAD = ["crawler.capture", "crawler.parse_warm"]  # imported once by the server, inherited by every worker


def fork_server() -> Any:
    """The multiprocessing context of a crawl's workers."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def start_fork_server() -> None:
    """Start the server now, without waiting for its imports."""
    fork_server()
    forkserver.ensure_running()

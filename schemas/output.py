"""The layout of a crawl's output directory: every path a crawl, a build and a finalize use."""

from __future__ import annotations

from pathlib import Path

STATE_DIR = ".state"  # what resumes a crawl: never published


class OutputDir:
    """``OUT``: ``data/`` shards, ``warc/`` captures, ``media.parquet``, ``README.md`` and ``.state/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"  # data/<platform>/part-NNNNN-<hash>.parquet
        self.warc = root / "warc"
        self.media_index = root / "media.parquet"
        self.card = root / "README.md"
        self.state = root / STATE_DIR
        self.segments = self.state / "segments"  # seg-NNNNNN.parquet: the crawl's durable record
        self.quarantine = self.state / "quarantine"  # damaged files moved aside (kept for a look)
        self.spill = self.state / "finalize"  # finalize's scratch buckets (removed when it ends)
        self.ledger = self.state / "ledger.sqlite"
        self.frontier = self.state / "frontier"  # Scrapy's JOBDIR, a crawl without workers
        self.cdx = self.state / "cdx"  # the Wayback Machine's CDX answers, cached per run

"""The layout of a crawl's output directory: every path a crawl, a build and a finalize use."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

STATE_DIR = ".state"  # what resumes a crawl: never published


@dataclass(frozen=True)
class OutputDir:
    """``OUT``: ``data/`` shards, ``warc/`` captures, ``media.parquet``, ``README.md`` and ``.state/``."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def warc(self) -> Path:
        return self.root / "warc"

    @property
    def media_index(self) -> Path:
        return self.root / "media.parquet"

    @property
    def card(self) -> Path:
        return self.root / "README.md"

    @property
    def state(self) -> Path:
        return self.root / STATE_DIR

    @property
    def segments(self) -> Path:
        return self.state / "segments"

    @property
    def quarantine(self) -> Path:
        """Damaged files of ``.state`` and ``data``, moved aside (kept for a look)."""
        return self.state / "quarantine"

    @property
    def spill(self) -> Path:
        """Finalize's scratch buckets (removed when it ends)."""
        return self.state / "finalize"

    @property
    def ledger(self) -> Path:
        return self.state / "ledger.sqlite"

    @property
    def frontier(self) -> Path:
        """Scrapy's JOBDIR (the request queues of a crawl without workers)."""
        return self.state / "frontier"

    @property
    def cdx(self) -> Path:
        return self.state / "cdx"

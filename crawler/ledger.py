"""The crawl ledger: what is durably done, what each run saw, and HTTP validators.

SQLite in WAL mode under ``OUT/.state/ledger.sqlite``. A post is marked fetched only
after the segment holding its row was renamed into place, so a crash can make us fetch
a post twice (the finalizer keeps one row) but never lose one. Each run has an id; a
run that did not finish is resumed by the next one (its fetched posts are skipped).
A run that finished makes the next one an incremental re-crawl: known posts are
skipped when their feed entry or listing block is unchanged (same signature: title,
body, declared comment count, tags, date) or their feed ``updated`` date is unchanged,
else asked with ``If-None-Match``/``If-Modified-Since`` (a page's sidebar often changes
with every new post, so validators alone rarely save a download).
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    reason TEXT
);
CREATE TABLE IF NOT EXISTS posts (
    url TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    blog_url TEXT NOT NULL,
    updated TEXT,
    etag TEXT,
    last_modified TEXT,
    content_hash TEXT,
    fetched_run INTEGER,
    seen_run INTEGER,
    feed_sig TEXT,
    listing_sig TEXT
);
CREATE INDEX IF NOT EXISTS posts_blog ON posts (blog_url);
CREATE TABLE IF NOT EXISTS media (
    url TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    sha256 TEXT,
    mime TEXT,
    bytes INTEGER,
    width INTEGER,
    height INTEGER,
    warc_file TEXT,
    warc_offset INTEGER
);
"""
MEDIA_COLUMNS = (
    "url",
    "kind",
    "outcome",
    "sha256",
    "mime",
    "bytes",
    "width",
    "height",
    "warc_file",
    "warc_offset",
)


@dataclass(frozen=True)
class KnownPost:
    url: str
    updated: str | None
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    fetched_run: int | None
    feed_sig: str | None
    listing_sig: str | None


@dataclass(frozen=True)
class Sighting:
    """A post found by the enumeration, with the signature of its feed entry or listing block."""

    url: str
    id: str
    blog_url: str
    feed_sig: str | None = None
    listing_sig: str | None = None


class Ledger:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.run, self.resumed = self._start_run()

    def _start_run(self) -> tuple[int, bool]:
        last = self.db.execute("SELECT run, finished FROM runs ORDER BY run DESC LIMIT 1").fetchone()
        if last is not None and last[1] is None:
            return last[0], True  # the previous run was interrupted: carry on with it
        now = datetime.now(timezone.utc).isoformat()
        cursor = self.db.execute("INSERT INTO runs (started) VALUES (?)", (now,))
        return int(cursor.lastrowid), False

    @property
    def is_recrawl(self) -> bool:
        """True when an earlier run finished: known posts are checked for changes."""
        row = self.db.execute(
            "SELECT 1 FROM runs WHERE run < ? AND finished IS NOT NULL LIMIT 1", (self.run,)
        ).fetchone()
        return row is not None

    def known(self, url: str) -> KnownPost | None:
        row = self.db.execute(
            "SELECT url, updated, etag, last_modified, content_hash, fetched_run, feed_sig, listing_sig FROM posts WHERE url = ?",
            (url,),
        ).fetchone()
        return KnownPost(*row) if row else None

    def mark_seen(self, sightings: Iterable[Sighting]) -> None:
        """Posts the enumeration found in this run, with the latest signatures seen."""
        with self.db:
            self.db.executemany(
                "INSERT INTO posts (url, id, blog_url, seen_run, feed_sig, listing_sig) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET seen_run = excluded.seen_run, "
                "feed_sig = COALESCE(excluded.feed_sig, feed_sig), listing_sig = COALESCE(excluded.listing_sig, listing_sig)",
                [(s.url, s.id, s.blog_url, self.run, s.feed_sig, s.listing_sig) for s in sightings],
            )

    def mark_fetched(self, rows: Iterable[dict]) -> None:
        """Permalink rows now durable in a segment, with their validators."""
        with self.db:
            self.db.executemany(
                "INSERT INTO posts (url, id, blog_url, updated, etag, last_modified, content_hash, fetched_run, seen_run) "
                "VALUES (:url, :id, :blog_url, :updated, :etag, :last_modified, :content_hash, :run, :run) "
                "ON CONFLICT(url) DO UPDATE SET updated = excluded.updated, etag = excluded.etag, "
                "last_modified = excluded.last_modified, content_hash = excluded.content_hash, "
                "fetched_run = excluded.fetched_run, seen_run = excluded.seen_run",
                [
                    {
                        "url": r["url"],
                        "id": r["id"],
                        "blog_url": r["blog_url"],
                        "updated": r["updated"].isoformat() if r.get("updated") else None,
                        "etag": r.get("_etag"),
                        "last_modified": r.get("_last_modified"),
                        "content_hash": r.get("content_hash"),
                        "run": self.run,
                    }  # fmt: skip
                    for r in rows
                ],
            )

    def unseen_ids(self, blog_urls: Iterable[str]) -> set[str]:
        """Posts of these blogs that this run's enumeration did not find (deleted upstream)."""
        blogs = list(blog_urls)
        if not blogs:
            return set()
        marks = ",".join("?" for _ in blogs)
        rows = self.db.execute(
            f"SELECT id FROM posts WHERE blog_url IN ({marks}) AND (seen_run IS NULL OR seen_run < ?)",
            (*blogs, self.run),
        )
        return {row[0] for row in rows}

    def fetched_urls(self, blog_urls: Iterable[str]) -> set[str]:
        """The posts of these blogs marked fetched by any run: the ones the output's segments hold."""
        blogs = list(blog_urls)
        marks = ",".join("?" for _ in blogs)
        rows = self.db.execute(
            f"SELECT url FROM posts WHERE blog_url IN ({marks}) AND fetched_run IS NOT NULL", blogs
        )
        return {row[0] for row in rows}

    def forget_fetched_except(self, durable_ids: set[str]) -> int:
        """Posts marked fetched whose row is in no segment (one was damaged) are fetched again; how many."""
        with self.db:
            self.db.execute("CREATE TEMP TABLE IF NOT EXISTS durable (id TEXT PRIMARY KEY)")
            self.db.execute("DELETE FROM durable")
            self.db.executemany("INSERT OR IGNORE INTO durable VALUES (?)", [(i,) for i in durable_ids])
            cursor = self.db.execute(
                "UPDATE posts SET fetched_run = NULL, etag = NULL, last_modified = NULL, content_hash = NULL, "
                "feed_sig = NULL, listing_sig = NULL, updated = NULL "
                "WHERE fetched_run IS NOT NULL AND id NOT IN (SELECT id FROM durable)"
            )
        return cursor.rowcount

    def media_archived(self, url: str) -> bool:
        """True when the file at ``url`` is in the WARC already (a failed one is tried again)."""
        row = self.db.execute("SELECT 1 FROM media WHERE url = ? AND outcome = 'fetched'", (url,)).fetchone()
        return row is not None

    def record_media(self, record: dict) -> None:
        """A media download's outcome; a file once fetched stays fetched."""
        names = ", ".join(MEDIA_COLUMNS)
        marks = ", ".join(f":{c}" for c in MEDIA_COLUMNS)
        updates = ", ".join(f"{c} = excluded.{c}" for c in MEDIA_COLUMNS[1:])
        self.db.execute(
            f"INSERT INTO media ({names}) VALUES ({marks}) ON CONFLICT(url) DO UPDATE SET {updates} "
            "WHERE media.outcome != 'fetched' OR excluded.outcome = 'fetched'",
            {c: record.get(c) for c in MEDIA_COLUMNS},
        )

    def media_records(self) -> list[dict]:
        cursor = self.db.execute(f"SELECT {', '.join(MEDIA_COLUMNS)} FROM media ORDER BY url")
        return [dict(zip(MEDIA_COLUMNS, row)) for row in cursor]

    def finish(self, reason: str) -> None:
        now = datetime.now(timezone.utc).isoformat()
        self.db.execute("UPDATE runs SET finished = ?, reason = ? WHERE run = ?", (now, reason, self.run))

    def check(self) -> None:
        """Raise ``sqlite3.DatabaseError`` unless SQLite finds the file sound."""
        verdict = self.db.execute("PRAGMA quick_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {verdict and verdict[0]}")

    def close(self) -> None:
        self.db.close()


_DISK_ERRORS = ("disk i/o error", "database or disk is full")


def _disk_error(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite's error is the disk's (full, failing), not the file's."""
    return any(message in str(exc).lower() for message in _DISK_ERRORS)


def open_ledger(path: Path, durable_rows: Callable[[], Iterable[dict]]) -> tuple[Ledger, int | None]:
    """The ledger, and None; a damaged one is moved aside and rebuilt from ``durable_rows``, with their count.

    The rebuilt ledger holds one unfinished run in which every durable post is fetched:
    the crawl resumes, fetching only what no segment holds.
    """
    try:
        ledger = Ledger(path)
    except sqlite3.OperationalError as exc:
        if _disk_error(exc):  # a full or failing disk is not damage: nothing to move aside
            raise OSError(errno.EIO, str(exc), str(path)) from exc
        reason = str(exc)
    except sqlite3.DatabaseError as exc:
        reason = str(exc)
    else:
        try:
            ledger.check()
            return ledger, None
        except sqlite3.DatabaseError as exc:
            ledger.close()
            reason = str(exc)
    aside = path.with_name(f"{path.name}.damaged-{int(time.time())}")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    ledger = Ledger(path)
    rows = list(durable_rows())
    ledger.mark_fetched(rows)
    logger.warning(
        "%s was damaged (%s): moved to %s, rebuilt from %d posts in the segments",
        path,
        reason,
        aside,
        len(rows),
    )
    return ledger, len(rows)

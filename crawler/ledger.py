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

Writes are batched: sightings and media outcomes wait in memory and go to disk in the same
transaction as the next segment's done marks (one commit per segment flush, where autocommit
made one per row), so what is durable is unchanged: a post is done only once its segment is.

In a crawl the ledger is a component of the crawler (:func:`crawl_ledger`): the spider and the
shard pipeline both take it from there, and it closes itself when the engine stops.
"""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

PENDING_SIGHTINGS = 5000  # sightings held before they are written anyway (a crawl yielding no rows yet)

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
        self.rebuilt: int | None = None  # posts a damaged ledger was rebuilt from (open_ledger)
        self._seen: list[Sighting] = []  # written with the next done marks
        self._media: dict[str, dict] = {}  # url -> outcome record, likewise

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """One commit for every statement inside (autocommit would make one per row)."""
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

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
        """Posts the enumeration found in this run, with the latest signatures seen (written with
        the next done marks: a crash loses only sightings, which the resumed run makes again)."""
        if len(self._seen) >= PENDING_SIGHTINGS:
            # Those held so far, not these: a post's first sighting is never on disk before
            # the spider asks ``known`` what earlier runs did with it.
            self.write_pending()
        self._seen.extend(sightings)

    def mark_fetched(self, rows: Iterable[dict]) -> None:
        """Permalink rows now durable in a segment, with their validators; in the same commit,
        what waits to be written."""
        values = [
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
        ]
        with self._transaction():
            self._write_pending()
            self.db.executemany(
                "INSERT INTO posts (url, id, blog_url, updated, etag, last_modified, content_hash, fetched_run, seen_run) "
                "VALUES (:url, :id, :blog_url, :updated, :etag, :last_modified, :content_hash, :run, :run) "
                "ON CONFLICT(url) DO UPDATE SET updated = excluded.updated, etag = excluded.etag, "
                "last_modified = excluded.last_modified, content_hash = excluded.content_hash, "
                "fetched_run = excluded.fetched_run, seen_run = excluded.seen_run",
                values,
            )
        self._clear_pending()

    def write_pending(self) -> None:
        """Sightings and media outcomes waiting in memory, written now (one commit)."""
        if self._seen or self._media:
            with self._transaction():
                self._write_pending()
            self._clear_pending()

    def _write_pending(self) -> None:
        if self._seen:
            self.db.executemany(
                "INSERT INTO posts (url, id, blog_url, seen_run, feed_sig, listing_sig) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET seen_run = excluded.seen_run, "
                "feed_sig = COALESCE(excluded.feed_sig, feed_sig), listing_sig = COALESCE(excluded.listing_sig, listing_sig)",
                [(s.url, s.id, s.blog_url, self.run, s.feed_sig, s.listing_sig) for s in self._seen],
            )
        if self._media:
            names = ", ".join(MEDIA_COLUMNS)
            marks = ", ".join(f":{c}" for c in MEDIA_COLUMNS)
            updates = ", ".join(f"{c} = excluded.{c}" for c in MEDIA_COLUMNS[1:])
            self.db.executemany(
                f"INSERT INTO media ({names}) VALUES ({marks}) ON CONFLICT(url) DO UPDATE SET {updates} "
                "WHERE media.outcome != 'fetched' OR excluded.outcome = 'fetched'",
                [{c: record.get(c) for c in MEDIA_COLUMNS} for record in self._media.values()],
            )

    def _clear_pending(self) -> None:
        self._seen = []
        self._media = {}

    def unseen_ids(self, blog_urls: Iterable[str]) -> set[str]:
        """Posts of these blogs that this run's enumeration did not find (deleted upstream)."""
        blogs = list(blog_urls)
        if not blogs:
            return set()
        self.write_pending()
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
        if self._media.get(url, {}).get("outcome") == "fetched":
            return True
        row = self.db.execute("SELECT 1 FROM media WHERE url = ? AND outcome = 'fetched'", (url,)).fetchone()
        return row is not None

    def record_media(self, record: dict) -> None:
        """A media download's outcome (written with the next done marks); a file once fetched stays fetched."""
        held = self._media.get(record["url"])
        if held is None or held.get("outcome") != "fetched" or record.get("outcome") == "fetched":
            self._media[record["url"]] = record

    def media_records(self) -> list[dict]:
        self.write_pending()
        cursor = self.db.execute(f"SELECT {', '.join(MEDIA_COLUMNS)} FROM media ORDER BY url")
        return [dict(zip(MEDIA_COLUMNS, row)) for row in cursor]

    def finish(self, reason: str) -> None:
        now = datetime.now(timezone.utc).isoformat()
        with self._transaction():
            self._write_pending()
            self.db.execute("UPDATE runs SET finished = ?, reason = ? WHERE run = ?", (now, reason, self.run))
        self._clear_pending()

    def check(self) -> None:
        """Raise ``sqlite3.DatabaseError`` unless SQLite finds the file sound."""
        verdict = self.db.execute("PRAGMA quick_check").fetchone()
        if verdict is None or verdict[0] != "ok":
            raise sqlite3.DatabaseError(f"quick_check: {verdict and verdict[0]}")

    def close(self) -> None:
        """Write what waits, then close (an interrupted run's sightings are kept too)."""
        try:
            self.write_pending()
        finally:
            self.db.close()


_DISK_ERRORS = ("disk i/o error", "database or disk is full")


def _disk_error(exc: sqlite3.OperationalError) -> bool:
    """Whether SQLite's error is the disk's (full, failing), not the file's."""
    return any(message in str(exc).lower() for message in _DISK_ERRORS)


def open_ledger(path: Path, durable_rows: Callable[[], Iterable[dict]]) -> Ledger:
    """The ledger; a damaged one is moved aside and rebuilt from ``durable_rows`` (their count in ``rebuilt``).

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
            return ledger
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
    ledger.rebuilt = len(rows)
    logger.warning(
        "%s was damaged (%s): moved to %s, rebuilt from %d posts in the segments",
        path,
        reason,
        aside,
        len(rows),
    )
    return ledger


def crawl_ledger(crawler: Any) -> Ledger:
    """The crawl's ledger, a component of the crawler: opened on first use and kept as
    ``crawler.ledger``, where the spider and the shard pipeline both take it.

    It closes when the engine stops, after the shard pipeline's last writes (at
    ``spider_closed``); its run is marked finished when the spider closed "finished" and
    nothing failed. A full disk at opening is the run's failure (its one line, exit 1).
    """
    ledger: Ledger | None = getattr(crawler, "ledger", None)
    if ledger is not None:
        return ledger
    from scrapy import signals

    from crawler.failures import RERUN_HINT, fail, failure_of, os_failure
    from pipelines.segments import permalink_rows
    from schemas.output import OutputDir

    out = Path(crawler.settings.get("BLOGARCHIVE_OUTPUT"))
    path = OutputDir(out).ledger
    try:
        ledger = open_ledger(path, lambda: permalink_rows(out))
    except OSError as exc:
        fail(crawler, os_failure(exc, path), stop=False)
        raise
    crawler.ledger = ledger
    closed: list[str] = []

    def spider_closed(reason: str) -> None:  # the signal's keyword
        closed.append(reason)

    def engine_stopped() -> None:
        # Scrapy only logs what a signal handler raises: a full disk here must fail the run (exit 1);
        # the run is then left unfinished in the ledger, and the next one resumes it.
        try:
            try:
                if closed == ["finished"] and not failure_of(crawler):
                    ledger.finish("finished")
            finally:
                ledger.close()
        except (OSError, sqlite3.Error) as exc:
            fail(crawler, f"{path}: {exc}: {RERUN_HINT}", stop=False)

    crawler.signals.connect(spider_closed, signal=signals.spider_closed, weak=False)
    crawler.signals.connect(engine_stopped, signal=signals.engine_stopped, weak=False)
    return ledger

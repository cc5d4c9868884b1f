"""Rows of a snapshot: crawl shards read and conformed, one row per post, left-out posts, stable rows."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crawler.errors import UserError
from crawler.release.options import LeftOut, SnapshotOptions
from crawler.urls import canonicalize, is_http_url
from pipelines.pii import redact
from pipelines.select import first_per_id
from schemas.post import ADDED_COLUMNS, PLATFORMS, POST_SCHEMA, SCHEMA_VERSION, compatible, schema_version_of

BLOCKING_ROBOTS = frozenset({"noarchive", "noindex"})
# Columns that say how a row was fetched, not what the post is: a re-fetch that only changes
# these keeps the previous version's row.
PROVENANCE = ("fetched_at", "warc_record_id", "source", "archived_at")
_WORD = re.compile(r"[a-z]+")

# id -> (fingerprint of the row without provenance, or None when nothing is compared; content_hash, url)
Index = dict[str, tuple[str | None, str, str]]


# ---------------------------------------------------------------- reading crawls


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def conform(table: pa.Table, origin: str) -> pa.Table:
    """A table of an older minor schema version as POST_SCHEMA (added columns as nulls)."""
    version = schema_version_of(table.schema)
    if not compatible(version):
        raise UserError(f"{origin}: schema version {version or 'unknown'} cannot be read as {SCHEMA_VERSION}")
    if _version_tuple(version) > _version_tuple(SCHEMA_VERSION):
        raise UserError(
            f"{origin}: schema version {version} is newer than {SCHEMA_VERSION}: upgrade blogarchive"
        )
    for name in POST_SCHEMA.names:
        if name not in table.column_names:
            if name not in ADDED_COLUMNS:
                raise UserError(f"{origin}: column {name} is missing")
            table = table.append_column(
                POST_SCHEMA.field(name), pa.nulls(table.num_rows, POST_SCHEMA.field(name).type)
            )
    return table.select(POST_SCHEMA.names).cast(POST_SCHEMA)


def read_parquet(path: Path, columns: list[str] | None = None) -> pa.Table:
    """A Parquet file of a crawl or snapshot; a missing or unreadable one is a UserError."""
    try:
        return pq.read_table(path, columns=columns)
    except (OSError, pa.ArrowInvalid) as exc:
        raise UserError(f"cannot read {path}: {exc}") from exc


def read_posts(files: Iterable[Path]) -> pa.Table:
    """Post rows of Parquet files, conformed to POST_SCHEMA."""
    tables = [conform(read_parquet(path), str(path)) for path in files]
    return pa.concat_tables(tables) if tables else POST_SCHEMA.empty_table()


def platforms_in(directories: Iterable[Path]) -> list[str]:
    """Platform folders under ``<dir>/data/``; an unknown name is an error, not a silent skip."""
    found = {p.name for d in directories for p in (d / "data").glob("*") if p.is_dir()}
    unknown = sorted(found - set(PLATFORMS))
    if unknown:
        raise UserError(f"unknown platform folders under data/: {', '.join(unknown)}")
    return sorted(found)


def crawl_stats(out: Path) -> dict[str, Any]:
    """A crawl's stats.json without Scrapy's raw dump (the grouped figures repeat it)."""
    path = out / "stats.json"
    if not path.is_file():
        return {}
    try:
        stats = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise UserError(f"{path} is not JSON ({exc})") from exc
    return {k: v for k, v in stats.items() if k != "scrapy"}


# ---------------------------------------------------------------- selecting rows


def latest_per_id(tables: list[pa.Table]) -> pa.Table:
    """One row per id, sorted by id: the latest fetch; on a tie, the crawl given last."""
    if not tables:
        return POST_SCHEMA.empty_table()
    combined = pa.concat_tables(tables)
    crawl = [i for i, t in enumerate(tables) for _ in range(t.num_rows)]
    keyed = pa.table({"id": combined["id"], "fetched_at": combined["fetched_at"],
                      "crawl": pa.array(crawl, pa.int32()), "row": pa.array(range(combined.num_rows))})  # fmt: skip
    return combined.take(first_per_id(keyed, [("fetched_at", "descending"), ("crawl", "descending"),
                                              ("row", "descending")]))  # fmt: skip


def url_key(url: str) -> str:
    """How opt-out entries and rows are compared: canonical, without scheme or trailing slash."""
    return canonicalize(url).split("://", 1)[-1].rstrip("/")


def url_prefixes(url: str) -> set[str]:
    """The url_key of a URL and of every folder above it: an opt-out of a blog covers its posts."""
    key = url_key(url)
    parts = key.split("?", 1)[0].split("/")
    return {key} | {"/".join(parts[:n]) for n in range(1, len(parts))}


def _opt_out_key(entry: str) -> str | None:
    url = entry if "://" in entry else f"http://{entry}"
    try:
        return url_key(url) if is_http_url(url) else None
    except ValueError:  # e.g. a port that is not a number
        return None


def read_opt_out(path: Path) -> frozenset[str]:
    """Blog or post URLs, one a line (blank lines and # comments ignored), as url_key()s."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise UserError(f"cannot read the opt-out file {path}: {exc.strerror}") from exc
    keys = set()
    for number, line in enumerate(lines, 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        key = _opt_out_key(entry)
        if key is None:
            raise UserError(f"{path}:{number}: not a URL: {entry!r}")
        keys.add(key)
    return frozenset(keys)


def blocks_archiving(robots: str | None) -> bool:
    """True when the page's meta robots asks not to be archived or indexed."""
    return bool(robots) and not BLOCKING_ROBOTS.isdisjoint(_WORD.findall(robots.lower()))


def split_left_out(table: pa.Table, options: SnapshotOptions, left: LeftOut) -> pa.Table:
    """Rows to publish; ids on the opt-out list or marked noarchive/noindex go to ``left``."""
    keep = []
    columns = (table[c].to_pylist() for c in ("id", "url", "blog_url", "robots"))
    for post_id, url, blog_url, robots in zip(*columns):
        keys = url_prefixes(url) | {url_key(blog_url)} if options.opt_out else set()
        opted_out = not options.opt_out.isdisjoint(keys)
        blocked = not opted_out and not options.include_noarchive and blocks_archiving(robots)
        if opted_out:
            left.opt_out.add(post_id)
        if blocked:
            left.noarchive.add(post_id)
        keep.append(not (opted_out or blocked))
    return table.filter(pa.array(keep, pa.bool_()))


def redact_row(row: dict[str, Any]) -> dict[str, Any]:
    """Mask e-mail addresses and phone numbers in the title, text and comments of a post row."""
    comments = [{**c, "text": redact(c["text"]), "author": redact(c["author"]), "author_url": redact(c["author_url"])}
                for c in row["comments"]]  # fmt: skip
    return {**row, "title": redact(row["title"]), "text": redact(row["text"]), "comments": comments}


def redact_table(table: pa.Table) -> pa.Table:
    return pa.Table.from_pylist([redact_row(r) for r in table.to_pylist()], schema=POST_SCHEMA)


def fingerprints(table: pa.Table) -> list[str]:
    """A hash per row of everything but provenance: equal when a re-fetch found the same post."""
    columns = [c for c in table.column_names if c not in PROVENANCE]
    return [hashlib.sha256(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()[:32]
            for row in table.select(columns).to_pylist()]  # fmt: skip


def index_of(table: pa.Table, fingerprinted: bool = True) -> Index:
    """The index of a table's posts; ``fingerprinted=False`` for a version with nothing to compare
    to (no previous): its rows' fingerprints would be unused (they were 10% of a first snapshot)."""
    found = fingerprints(table) if fingerprinted else [None] * table.num_rows
    return dict(
        zip(table["id"].to_pylist(), zip(found, table["content_hash"].to_pylist(), table["url"].to_pylist()))
    )


def keep_stable_rows(current: pa.Table, previous: pa.Table) -> pa.Table:
    """Posts unchanged since the previous version keep its row byte for byte."""
    if previous.num_rows == 0:
        return current
    old = {post_id: entry[0] for post_id, entry in index_of(previous).items()}
    same = [old.get(i) == f for i, f in zip(current["id"].to_pylist(), fingerprints(current))]
    reused = {i for i, s in zip(current["id"].to_pylist(), same) if s}
    from_previous = previous.filter(pa.array([i in reused for i in previous["id"].to_pylist()], pa.bool_()))
    return pa.concat_tables([from_previous, current.filter(pa.array([not s for s in same], pa.bool_()))])


def in_archive_order(posts: pa.Table) -> pa.Table:
    """Rows by (fetched_at, id): a new version appends new and changed posts after the unchanged
    ones, so content-defined chunking finds the unchanged pages again (ids would scatter them)."""
    return posts.take(pc.sort_indices(posts, sort_keys=[("fetched_at", "ascending"), ("id", "ascending")]))

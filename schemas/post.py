"""Schema v1 of a post record: the only place columns are defined.

``to_row`` is the only item -> row mapping; ``validate_table`` checks a table against
the schema and the record invariants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import pyarrow as pa

from schemas.platforms import PLATFORMS

SCHEMA_VERSION = "1.3.0"
# Columns added after 1.0.0, with the version that added them: older files lack them.
ADDED_COLUMNS = {"robots": "1.1.0", "extra": "1.1.0", "published_precision": "1.2.0", "media_files": "1.3.0"}
SCHEMA_VERSION_KEY = b"blogarchive.schema_version"
PRECISIONS = ("day", "minute", "second")
SOURCES = ("live", "feed", "wayback")

TIMESTAMP = pa.timestamp("us", tz="UTC")

COMMENT_TYPE = pa.struct(
    [
        pa.field("id", pa.string()),
        pa.field("author", pa.string()),
        pa.field("author_url", pa.string()),
        pa.field("published", TIMESTAMP),
        pa.field("text", pa.string()),
        pa.field("parent_id", pa.string()),
    ]
)

# One entry per media_urls entry: the file fetched for it (its best size), what happened, its bytes' hash.
MEDIA_FILE_TYPE = pa.struct(
    [
        pa.field("url", pa.string()),
        pa.field("file_url", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("outcome", pa.string()),
        pa.field("sha256", pa.string()),
    ]
)

COLUMN_DOCS: dict[str, str] = {
    "id": "stable hash of the canonical post URL",
    "url": "canonical permalink (scheme/host normalized, no ?m=1, tracking params or fragment; a post without "
    "a page of its own keeps its numeric anchor: archive.html#<id>)",
    "blog_url": "canonical blog root",
    "blog_title": "title of the blog",
    "platform": "blogspot, canalblog, typepad or tumblr",
    "title": "post title",
    "author": "post author as the page names them",
    "published": "publication time, UTC; a date shown without a time is 00:00 UTC of that day",
    "updated": "last update time, UTC",
    "text": "main text, paragraphs separated by a blank line, no boilerplate",
    "tags": "labels / tags / categories, as the author wrote them",
    "comments": "comments in page order: id, author, author_url, published (UTC), text, parent_id",
    "comment_count": "the comment count the page declares, to measure completeness",
    "media_urls": "images, video and audio in the post body",
    "language": "ISO 639-1 code of text (langdetect)",
    "language_score": "probability of that language",
    "source": "live, feed or wayback",
    "archived_at": "Wayback snapshot time when source = wayback",
    "fetched_at": "when the page was fetched (the WARC record date)",
    "content_hash": "sha256 of the normalized text, title and comments",
    "warc_record_id": "the WARC record the post was parsed from",
    "robots": "the page's meta robots directives (e.g. noarchive), as the owner set them",
    "extra": "platform-specific fields as a JSON object (Tumblr post type, notes, reblog source...)",
    "published_precision": "what the source gave of published: day (date only), minute or second",
    "media_files": "per media URL: the file fetched for it (largest size), its kind, the outcome (fetched, "
    "not_content, not_fetched, wrong_type, too_large, http_404...) and the sha256 of its bytes",
}

POST_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("url", pa.string(), nullable=False),
        pa.field("blog_url", pa.string(), nullable=False),
        pa.field("blog_title", pa.string()),
        pa.field("platform", pa.string(), nullable=False),
        pa.field("title", pa.string()),
        pa.field("author", pa.string()),
        pa.field("published", TIMESTAMP),
        pa.field("updated", TIMESTAMP),
        pa.field("text", pa.string(), nullable=False),
        pa.field("tags", pa.list_(pa.string()), nullable=False),
        pa.field("comments", pa.list_(COMMENT_TYPE), nullable=False),
        pa.field("comment_count", pa.int32()),
        pa.field("media_urls", pa.list_(pa.string()), nullable=False),
        pa.field("language", pa.string()),
        pa.field("language_score", pa.float32()),
        pa.field("source", pa.string(), nullable=False),
        pa.field("archived_at", TIMESTAMP),
        pa.field("fetched_at", TIMESTAMP, nullable=False),
        pa.field("content_hash", pa.string(), nullable=False),
        pa.field("warc_record_id", pa.string()),
        pa.field("robots", pa.string()),
        pa.field("extra", pa.string()),
        pa.field("published_precision", pa.string()),
        pa.field("media_files", pa.list_(MEDIA_FILE_TYPE)),
    ],
    metadata={SCHEMA_VERSION_KEY: SCHEMA_VERSION.encode()},
)

COLUMNS = tuple(POST_SCHEMA.names)
REQUIRED = tuple(f.name for f in POST_SCHEMA if not f.nullable)
_HEX = re.compile(r"^[0-9a-f]+$")


def _utc(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"naive datetime {value!r}: every timestamp must be UTC-aware")
    return value.astimezone(timezone.utc)


def to_row(record: Mapping[str, Any]) -> dict[str, Any]:
    """Map a processed post record to exactly the schema's columns (extra keys ignored)."""
    row = {name: record.get(name) for name in COLUMNS}
    for name in ("published", "updated", "archived_at", "fetched_at"):
        row[name] = _utc(row[name])
    row["tags"] = list(row["tags"] or [])
    row["media_urls"] = list(row["media_urls"] or [])
    row["comments"] = [
        {
            "id": c.get("id"),
            "author": c.get("author"),
            "author_url": c.get("author_url"),
            "published": _utc(c.get("published")),
            "text": c.get("text") or "",
            "parent_id": c.get("parent_id"),
        }
        for c in (row["comments"] or [])
    ]
    return row


def to_table(records: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Build a table with the explicit schema (never inferred from the first row)."""
    rows = [to_row(r) for r in records]
    return pa.Table.from_pylist(rows, schema=POST_SCHEMA)


def schema_version_of(schema: pa.Schema) -> str | None:
    meta = schema.metadata or {}
    value = meta.get(SCHEMA_VERSION_KEY)
    return value.decode() if value else None


def compatible(version: str | None) -> bool:
    """Whether rows of schema ``version`` can join this schema's: the same major version."""
    return version is not None and version.split(".")[0] == SCHEMA_VERSION.split(".")[0]


def _added_after(column: str, version: str | None) -> bool:
    added = ADDED_COLUMNS.get(column)
    if added is None or version is None:
        return False
    return tuple(map(int, version.split("."))) < tuple(map(int, added.split(".")))


def validate_table(table: pa.Table) -> list[str]:
    """Problems with a table of posts: schema, version, invariants. Empty list = valid."""
    problems: list[str] = []
    version = schema_version_of(table.schema)
    if version is None:
        problems.append("no schema version in the file metadata")
    elif not compatible(version):
        problems.append(f"schema version {version} is not compatible with {SCHEMA_VERSION}")
    if not table.schema.equals(POST_SCHEMA, check_metadata=False):
        expected = {f.name: f for f in POST_SCHEMA}
        for f in table.schema:
            if f.name not in expected:
                problems.append(f"unexpected column {f.name}")
            elif not f.type.equals(expected[f.name].type):
                problems.append(f"column {f.name} is {f.type}, expected {expected[f.name].type}")
        for name in expected:
            if name not in table.schema.names and not _added_after(name, version):
                problems.append(f"missing column {name}")
        return problems
    ids = table.column("id").to_pylist()
    if len(set(ids)) != len(ids):
        problems.append(f"{len(ids) - len(set(ids))} duplicate ids")
    for platform in set(table.column("platform").to_pylist()):
        if platform not in PLATFORMS:
            problems.append(f"unknown platform {platform!r}")
    for source in set(table.column("source").to_pylist()):
        if source not in SOURCES:
            problems.append(f"unknown source {source!r}")
    for precision in set(table.column("published_precision").to_pylist()) - {None}:
        if precision not in PRECISIONS:
            problems.append(f"unknown published_precision {precision!r}")
    for value in table.column("content_hash").to_pylist():
        if not _HEX.match(value or ""):
            problems.append(f"bad content_hash {value!r}")
            break
    for name in REQUIRED:
        nulls = table.column(name).null_count
        if nulls:
            problems.append(f"{nulls} null values in required column {name}")
    return problems

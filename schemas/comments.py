"""Schema of the ``comments`` config of a snapshot: one row per comment, derived from the posts."""

from __future__ import annotations

import pyarrow as pa

from schemas.post import SCHEMA_VERSION, SCHEMA_VERSION_KEY, TIMESTAMP

COMMENT_COLUMN_DOCS: dict[str, str] = {
    "post_id": "id of the post the comment belongs to (the posts' id column)",
    "post_url": "canonical permalink of that post",
    "blog_url": "canonical blog root",
    "platform": "blogspot, canalblog, typepad or tumblr",
    "position": "0-based position of the comment in page order",
    "comment_id": "the comment's id on the platform, when the page gives one",
    "parent_id": "comment_id of the comment this one answers (threaded comments)",
    "author": "comment author as the page names them",
    "author_url": "the author's link",
    "published": "publication time of the comment, UTC",
    "text": "comment text",
    "language": "ISO 639-1 code of the comment's text (langdetect; null when too short)",
    "language_score": "probability of that language",
}

# Comment rows carry the post schema's version: they are a view of the same records.
COMMENT_SCHEMA = pa.schema(
    [
        pa.field("post_id", pa.string(), nullable=False),
        pa.field("post_url", pa.string(), nullable=False),
        pa.field("blog_url", pa.string(), nullable=False),
        pa.field("platform", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("comment_id", pa.string()),
        pa.field("parent_id", pa.string()),
        pa.field("author", pa.string()),
        pa.field("author_url", pa.string()),
        pa.field("published", TIMESTAMP),
        pa.field("text", pa.string(), nullable=False),
        pa.field("language", pa.string()),
        pa.field("language_score", pa.float32()),
    ],
    metadata={SCHEMA_VERSION_KEY: SCHEMA_VERSION.encode()},
)

"""A segment row: a post row of the schema plus the columns only segments keep.

Segments (``OUT/.state/segments``) are the crawl's durable record; their extra columns
say where a row came from and hold what the finalizer still has to do to it. They never
reach a published shard.
"""

from __future__ import annotations

import pyarrow as pa

from schemas.post import POST_SCHEMA

ORIGIN = "_origin"  # a schemas.origins.Origin
PENDING_HTML = "_body_html"  # the body not yet extracted (listing and feed rows)
PUBLISHED_LOCAL = "_published_local"  # the zone-less wall time of ``published``, re-zoned at finalize
UTC_OFFSET = "_utc_offset"  # minutes east of UTC a zoned source stated for ``published``
COMMENTS_LOCAL = (
    "_comments_local"  # per comment, its zone-less wall time (null when exact), re-zoned at finalize
)

SEGMENT_ONLY = pa.schema(
    [
        pa.field(ORIGIN, pa.int8(), nullable=False),
        pa.field(PENDING_HTML, pa.string()),
        pa.field(PUBLISHED_LOCAL, pa.timestamp("us")),
        pa.field(UTC_OFFSET, pa.int16()),
        pa.field(COMMENTS_LOCAL, pa.list_(pa.timestamp("us"))),
    ]
)
# Filled at finalize: null in a segment row.
_FILLED_LATER = ("text", "content_hash")

SEGMENT_SCHEMA = pa.schema(
    [f.with_nullable(True) if f.name in _FILLED_LATER else f for f in POST_SCHEMA] + list(SEGMENT_ONLY),
    metadata=POST_SCHEMA.metadata,
)

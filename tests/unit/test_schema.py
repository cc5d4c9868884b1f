"""The schema is pinned: changing it without bumping the version fails here."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pytest

from schemas.post import POST_SCHEMA, SCHEMA_VERSION, schema_version_of, to_table, validate_table

PINNED = Path(__file__).parents[1] / "fixtures" / "schema" / "post_v1.txt"
PINNED_VERSION = "1.3.0"


def record(**changes):
    base = {
        "id": "ab" * 16, "url": "https://x.blogspot.com/2014/03/a.html", "blog_url": "https://x.blogspot.com/",
        "platform": "blogspot", "text": "Bonjour", "tags": ["a"], "comments": [], "media_urls": [],
        "source": "live", "fetched_at": datetime(2026, 1, 1, tzinfo=timezone.utc), "content_hash": "0" * 64,
    }  # fmt: skip
    return {**base, **changes}


def test_schema_is_pinned_to_its_version():
    assert POST_SCHEMA.to_string(show_schema_metadata=False) + "\n" == PINNED.read_text(), (
        "the schema changed: bump SCHEMA_VERSION, add a schemas/CHANGELOG.md entry, update the pinned file"
    )
    assert SCHEMA_VERSION == PINNED_VERSION


def test_version_is_stamped_and_valid_table_passes():
    table = to_table([record()])
    assert schema_version_of(table.schema) == SCHEMA_VERSION
    assert validate_table(table) == []


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="UTC"):
        to_table([record(fetched_at=datetime(2026, 1, 1))])


def test_invariants_are_checked():
    table = to_table([record(), record(platform="myspace")])
    problems = validate_table(table)
    assert "1 duplicate ids" in problems
    assert "unknown platform 'myspace'" in problems


def test_older_minor_version_without_new_columns_still_validates():
    old = to_table([record()]).drop_columns(["robots", "extra"])
    old = old.replace_schema_metadata({b"blogarchive.schema_version": b"1.0.0"})
    assert validate_table(old) == []


def test_a_1_1_file_without_published_precision_still_validates():
    old = to_table([record()]).drop_columns(["published_precision"])
    old = old.replace_schema_metadata({b"blogarchive.schema_version": b"1.1.0"})
    assert validate_table(old) == []
    newer = to_table([record()]).drop_columns(["published_precision"])
    assert validate_table(newer) == ["missing column published_precision"]  # a 1.2 file must have it


def test_unknown_precision_is_reported():
    assert "unknown published_precision 'hour'" in validate_table(
        to_table([record(published_precision="hour")])
    )


def test_incompatible_major_version_is_reported():
    table = to_table([record()]).replace_schema_metadata({b"blogarchive.schema_version": b"2.0.0"})
    assert any("not compatible" in p for p in validate_table(table))


def test_retyped_column_is_reported():
    table = to_table([record()])
    table = table.set_column(table.schema.get_field_index("comment_count"), "comment_count", pa.array(["3"]))
    assert any("comment_count" in p for p in validate_table(table))

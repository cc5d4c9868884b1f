"""``blogarchive validate``: the shard checks shared by the post and comment configs."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from crawler.commands.validate import validate_dir
from schemas.comments import COMMENT_SCHEMA


def _write(path: Path, table: pa.Table) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)
    return path


def _comment(platform: str, post_id: str) -> dict:
    row = {name: None for name in COMMENT_SCHEMA.names}
    row.update(post_id=post_id, post_url="https://a.example/p", blog_url="https://a.example/")
    row.update(platform=platform, position=0, text="hi")
    return row


def test_unreadable_shards_of_both_configs_are_reported_and_the_rest_checked(tmp_path):
    torn_post = tmp_path / "data" / "blogspot" / "torn.parquet"
    torn_comment = tmp_path / "comments" / "blogspot" / "torn.parquet"
    for path in (torn_post, torn_comment):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"PAR1 not parquet")
    rows = pa.Table.from_pylist([_comment("blogspot", "p1")], schema=COMMENT_SCHEMA)
    good = _write(tmp_path / "comments" / "blogspot" / "good.parquet", rows)
    problems = validate_dir(tmp_path)
    assert [p.split(": ")[0] for p in problems if ": unreadable (" in p] == [
        str(torn_post),
        str(torn_comment),
    ]
    assert f"{good}: 1 comments of posts not in data/ (e.g. p1)" in problems


def test_rows_of_another_platform_are_reported_under_their_config(tmp_path):
    posts = _write(
        tmp_path / "data" / "blogspot" / "a.parquet", pa.table({"platform": ["tumblr"], "id": ["x"]})
    )
    rows = pa.Table.from_pylist([_comment("typepad", "x")], schema=COMMENT_SCHEMA)
    comments = _write(tmp_path / "comments" / "blogspot" / "a.parquet", rows)
    problems = validate_dir(tmp_path)
    assert f"{posts}: rows of platform ['tumblr'] under data/blogspot/" in problems
    assert f"{comments}: rows of platform ['typepad'] under comments/blogspot/" in problems
    assert not any("not in data/" in p for p in problems)

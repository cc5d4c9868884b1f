"""``blogarchive validate DIR``: check a dataset's shards against the schema and invariants."""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from crawler.errors import UserError

if TYPE_CHECKING:
    import pyarrow as pa

NAME = "validate"
HELP = "check a crawl output or snapshot against the record schema"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("directory", type=Path, help="a crawl output or snapshot directory")


def dataset_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("data/*/*.parquet"))


def url_problems(table: pa.Table) -> list[str]:
    """URLs a crawl would refuse (no http(s), no host, a port out of range): never in a dataset."""
    from crawler.urls import is_http_url

    problems = []
    for column in ("url", "blog_url"):
        if column in table.column_names:
            bad = [u for u in table.column(column).to_pylist() if u is not None and not is_http_url(u)]
            if bad:
                problems.append(f"{len(bad)} rows whose {column} is no http(s) URL, e.g. {bad[0][:200]!r}")
    return problems


_CONTENT_NAME = re.compile(r"-([0-9a-f]{16})\.parquet$")


def name_problem(path: Path) -> str | None:
    """A shard named after its content whose bytes changed under that name (edited in place)."""
    from schemas.manifest import file_sha256

    match = _CONTENT_NAME.search(path.name)
    if match is None or file_sha256(path).startswith(match.group(1)):
        return None
    return (
        f"{path}: edited in place, its name no longer matches its content (datasets.load_dataset may "
        "serve a stale cached copy); rebuild the shards with `blogarchive build`"
    )


def read_shards(paths: Iterable[Path], problems: list[str]) -> Iterator[tuple[Path, pa.Table]]:
    """Each shard and its table; a torn or foreign file is reported in ``problems`` and skipped."""
    import pyarrow.parquet as pq

    for path in paths:
        try:
            table = pq.read_table(path)
        except Exception as exc:  # report it, check the rest
            problems.append(f"{path}: unreadable ({exc})")
            continue
        yield path, table


def platform_problems(path: Path, table: pa.Table, config: str) -> list[str]:
    """Rows whose platform is not the folder the shard sits in (``config/<platform>/``)."""
    wrong = {p for p in table.column("platform").to_pylist() if p != path.parent.name}
    return [f"{path}: rows of platform {sorted(wrong)} under {config}/{path.parent.name}/"] if wrong else []


def validate_dir(directory: Path) -> list[str]:
    """Problems found in every shard, plus ids duplicated across shards."""
    from schemas.post import validate_table

    problems: list[str] = []
    seen: dict[str, Path] = {}  # post id -> its shard
    for path, table in read_shards(dataset_files(directory), problems):
        problems += [f"{path}: {p}" for p in validate_table(table)] + [
            f"{path}: {p}" for p in url_problems(table)
        ]
        problems += [p for p in [name_problem(path)] if p]
        if path.parent.name != "comments" and "platform" in table.column_names:
            problems += platform_problems(path, table, "data")
        for post_id in table.column("id").to_pylist() if "id" in table.column_names else []:
            if post_id in seen and seen[post_id] != path:
                problems.append(f"{path}: id {post_id} also in {seen[post_id]}")
            seen[post_id] = path
    return problems + validate_comments(directory, set(seen))


def comment_files(directory: Path) -> list[Path]:
    """The ``comments`` config of a snapshot (a crawl output keeps comments inside the posts)."""
    return sorted(directory.glob("comments/*/*.parquet"))


def validate_comments(directory: Path, post_ids: set[str]) -> list[str]:
    """Comment shards: the comment schema, their folder's platform, and a post for every comment."""
    from schemas.comments import COMMENT_SCHEMA

    problems: list[str] = []
    for path, table in read_shards(comment_files(directory), problems):
        if not table.schema.equals(COMMENT_SCHEMA, check_metadata=False):
            problems.append(f"{path}: not the comments schema")
            continue
        problems += [p for p in [name_problem(path)] if p]
        problems += platform_problems(path, table, "comments")
        orphans = set(table.column("post_id").to_pylist()) - post_ids
        if orphans:
            problems.append(f"{path}: {len(orphans)} comments of posts not in data/ (e.g. {min(orphans)})")
    return problems


def run(args: argparse.Namespace) -> int:
    if not args.directory.is_dir():
        raise UserError(f"not a directory: {args.directory}")
    files = dataset_files(args.directory)
    if not files:
        raise UserError(f"no shards under {args.directory}/data/<platform>/")
    problems = validate_dir(args.directory)
    for problem in problems:
        print(problem)
    shards = len(files) + len(comment_files(args.directory))
    print(f"{shards} shards checked: {'OK' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0

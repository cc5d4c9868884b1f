"""What a snapshot is built with: its options, its configs' names, the posts it leaves out."""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field

import pyarrow.parquet as pq

from crawler.defaults import SNAPSHOT_SHARD_BYTES, SNAPSHOT_SHARD_ROWS
from crawler.errors import UserError
from schemas.manifest import is_semver

CHANGELOG_NAME = "CHANGELOG.md"
ALL_CONFIG = "default"  # the Hub's name for the config load_dataset(repo) reads
COMMENTS_CONFIG = "comments"
CDC_SUPPORTED = "use_content_defined_chunking" in inspect.signature(pq.ParquetWriter.__init__).parameters


@dataclass(frozen=True)
class SnapshotOptions:
    """What a snapshot is built with; the defaults suit a real dataset, tests shrink the sizes."""

    version: str
    redact_pii: bool = False
    include_noarchive: bool = False
    opt_out: frozenset[str] = frozenset()  # url_key() of blog or post URLs
    license: str = "other"
    contact: str | None = None  # shown in the card's Contact section
    pretty_name: str = "Blog archive"
    repo_id: str | None = None  # shown in the card's loading example
    max_shard_rows: int = SNAPSHOT_SHARD_ROWS
    max_shard_bytes: int = SNAPSHOT_SHARD_BYTES
    row_group_rows: int = 10_000
    row_group_bytes: int = 32 * 2**20
    media_bytes: bool = True  # False: the media config keeps the files' metadata only


@dataclass
class LeftOut:
    """Ids kept out of the snapshot, by reason (in memory only: the outputs give counts)."""

    noarchive: set[str] = field(default_factory=set)
    opt_out: set[str] = field(default_factory=set)


def check_version(version: str) -> str:
    """A version usable as a folder name and, prefixed with v, as a git tag."""
    if not is_semver(version):
        raise UserError(f"bad version {version!r}: a semantic version, e.g. 1.0.0 (the tag adds the v)")
    return version

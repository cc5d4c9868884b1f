"""Snapshots: crawl shards compacted into a versioned Hub dataset with its card, manifest and changelog."""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import math
import os
import re
import shutil
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from crawler.defaults import SNAPSHOT_SHARD_BYTES, SNAPSHOT_SHARD_ROWS
from crawler.errors import UserError, require
from crawler.progress import ProgressDisplay
from crawler.replace import clean_stale, swap_in, work_path
from crawler.snapshot_media import (
    MEDIA_COLUMN_DOCS,
    MEDIA_CONFIG,
    MEDIA_SCHEMA,
    MediaFiles,
    write_media_config,
)
from crawler.urls import canonicalize, is_http_url
from pipelines.language import detect_language, worth_detecting
from pipelines.pii import redact
from schemas.comments import COMMENT_COLUMN_DOCS, COMMENT_SCHEMA
from schemas.manifest import MANIFEST_NAME, FileEntry, Manifest, file_sha256, is_semver, read_manifest
from schemas.post import ADDED_COLUMNS, COLUMN_DOCS, PLATFORMS, POST_SCHEMA, SCHEMA_VERSION, schema_version_of

logger = logging.getLogger(__name__)

CARD_TEMPLATE = Path(__file__).resolve().parents[1] / "schemas" / "dataset_card.md"
HUB_LICENSES = Path(__file__).resolve().parents[1] / "schemas" / "hub_licenses.txt"
CHART_PATH = "images/posts_per_year.png"
CHANGELOG_NAME = "CHANGELOG.md"
ALL_CONFIG = "default"  # the Hub's name for the config load_dataset(repo) reads
COMMENTS_CONFIG = "comments"
BLOCKING_ROBOTS = frozenset({"noarchive", "noindex"})
# Columns that say how a row was fetched, not what the post is: a re-fetch that only changes
# these keeps the previous version's row.
PROVENANCE = ("fetched_at", "warc_record_id", "source", "archived_at")
MAX_FILES_PER_FOLDER = 9_999  # the Hub wants fewer than 10k files per folder
MAX_LISTED = 100  # URLs listed per section of the changelog; `blogarchive diff` lists all
CDC_SUPPORTED = "use_content_defined_chunking" in inspect.signature(pq.ParquetWriter.__init__).parameters
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))  # fmt: skip
_HEX8 = re.compile(r"^[0-9a-f]{8}")
_WORD = re.compile(r"[a-z]+")
LANGUAGE_MIN_SHARE = 0.01  # a language the card lists: at least this share of the posts (or comments)...
LANGUAGE_MIN_ROWS = 3  # ...and at least this many: stray detections are not languages of the dataset
POOL_THRESHOLD = 2_000  # texts to detect before a process pool pays for its start

Language = tuple[str | None, float | None]

# id -> (fingerprint of the row without provenance, content_hash, url)
Index = dict[str, tuple[str, str, str]]


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


@dataclass(frozen=True)
class Changes:
    """Posts of a new version compared with the previous one (ids, sorted)."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    content_changed: frozenset[str]
    unchanged: int


@dataclass
class SnapshotResult:
    manifest: Manifest
    changes: Changes | None
    path: Path


def check_version(version: str) -> str:
    """A version usable as a folder name and, prefixed with v, as a git tag."""
    if not is_semver(version):
        raise UserError(f"bad version {version!r}: a semantic version, e.g. 1.0.0 (the tag adds the v)")
    return version


# ---------------------------------------------------------------- reading crawls


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def conform(table: pa.Table, origin: str) -> pa.Table:
    """A table of an older minor schema version as POST_SCHEMA (added columns as nulls)."""
    version = schema_version_of(table.schema)
    if version is None or version.split(".")[0] != SCHEMA_VERSION.split(".")[0]:
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
    order = pc.sort_indices(keyed, sort_keys=[("id", "ascending"), ("fetched_at", "descending"),
                                              ("crawl", "descending"), ("row", "descending")])  # fmt: skip
    ids = pc.take(keyed["id"], order)
    if len(ids) < 2:
        return combined.take(order)
    first = pa.concat_arrays([pa.array([True]), pc.not_equal(ids[1:], ids[:-1]).combine_chunks()])
    return combined.take(pc.filter(order, first))


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


def index_of(table: pa.Table) -> Index:
    return dict(zip(table["id"].to_pylist(), zip(fingerprints(table), table["content_hash"].to_pylist(),
                                                 table["url"].to_pylist())))  # fmt: skip


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


def _text_key(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def detect_languages(texts: list[str], known: dict[bytes, Language]) -> list[Language]:
    """Language of each text: reused from ``known`` (e.g. the previous version), else detected,
    in a process pool when there are many (langdetect takes milliseconds a text). Texts too
    short to tell are null at once, without langdetect."""
    missing = list(dict.fromkeys(t for t in texts if _text_key(t) not in known))
    known.update((_text_key(t), (None, None)) for t in missing if not worth_detecting(t))
    missing = [t for t in missing if worth_detecting(t)]
    if len(missing) >= POOL_THRESHOLD:
        with ProcessPoolExecutor() as pool:
            found = list(pool.map(detect_language, missing, chunksize=256))
    else:
        found = [detect_language(t) for t in missing]
    known.update(zip(map(_text_key, missing), found))
    return [known[_text_key(t)] for t in texts]


def known_languages(comments: pa.Table) -> dict[bytes, Language]:
    """Comment text -> language of a previous version's comment rows."""
    columns = (comments[c].to_pylist() for c in ("text", "language", "language_score"))
    return {_text_key(text): (language, score) for text, language, score in zip(*columns)}


def comment_rows(posts: pa.Table, known: dict[bytes, Language]) -> pa.Table:
    """One row per comment, in post then page order, with the comment's own language."""
    rows = [
        {"post_id": post["id"], "post_url": post["url"], "blog_url": post["blog_url"], "platform": post["platform"],
         "position": position, "comment_id": comment["id"], "parent_id": comment["parent_id"],
         "author": comment["author"], "author_url": comment["author_url"], "published": comment["published"],
         "text": comment["text"]}
        for post in posts.select(["id", "url", "blog_url", "platform", "comments"]).to_pylist()
        for position, comment in enumerate(post["comments"])
    ]  # fmt: skip
    for row, (language, score) in zip(rows, detect_languages([r["text"] for r in rows], known)):
        row["language"], row["language_score"] = language, score
    return pa.Table.from_pylist(rows, schema=COMMENT_SCHEMA)


# ---------------------------------------------------------------- writing shards


def shard_count(rows: int, nbytes: int, options: SnapshotOptions) -> int:
    return max(1, math.ceil(rows / options.max_shard_rows), math.ceil(nbytes / options.max_shard_bytes))


def bucket_of(key: str, shards: int) -> int:
    """The shard of a row: a fixed range of the id hash space, so one new post touches one file."""
    prefix = key[:8] if _HEX8.match(key) else hashlib.sha256(key.encode()).hexdigest()[:8]
    return int(prefix, 16) * shards >> 32


def shard_name(number: int, total: int, sha256: str) -> str:
    """``train-K-of-N-<hash>.parquet``: the name changes with the bytes, so ``datasets`` never
    serves a stale cache of a snapshot rebuilt in place (see :mod:`pipelines.parquet`)."""
    return f"train-{number:05d}-of-{total:05d}-{sha256[:16]}.parquet"


def row_group_rows(table: pa.Table, options: SnapshotOptions) -> int:
    by_bytes = options.row_group_bytes * table.num_rows // max(table.nbytes, 1)
    return max(1, min(options.row_group_rows, by_bytes))


def write_parquet(table: pa.Table, path: Path, options: SnapshotOptions) -> None:
    """zstd, bounded row groups, page index, and content-defined chunking where pyarrow has it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cdc = {"use_content_defined_chunking": True} if CDC_SUPPORTED else {}
    pq.write_table(table, path, compression="zstd", row_group_size=row_group_rows(table, options),
                   write_page_index=True, **cdc)  # fmt: skip


def write_config(table: pa.Table, root: Path, folder: str, config: str, key: str,
                 options: SnapshotOptions) -> list[FileEntry]:  # fmt: skip
    """``folder/train-K-of-N-<hash>.parquet`` files of one config, rows bucketed by ``key``.

    Empty buckets get no file (datasets cannot read a Parquet file without rows), so N counts
    the files actually written; none at all for an empty table.
    """
    total = shard_count(table.num_rows, table.nbytes, options)
    if total > MAX_FILES_PER_FOLDER:
        raise UserError(
            f"{config}: {total} files would exceed the Hub's limit per folder; raise --max-shard-rows"
        )
    buckets = pa.array([bucket_of(k, total) for k in table[key].to_pylist()], pa.int32())
    parts = [table.filter(pc.equal(buckets, n)) if total > 1 else table for n in range(total)]
    parts = [part for part in parts if part.num_rows]
    entries = []
    for number, part in enumerate(parts):
        tmp = root / folder / f".part-{number}.tmp"
        write_parquet(part, tmp, options)
        sha256 = file_sha256(tmp)
        relative = f"{folder}/{shard_name(number, len(parts), sha256)}"
        size = tmp.stat().st_size
        os.replace(tmp, root / relative)
        entries.append(FileEntry(relative, config, sha256, size, part.num_rows))
    return entries


# ---------------------------------------------------------------- changes


def compare(old: Index, new: Index) -> Changes:
    """Added, removed and changed posts; ``content_changed``: text, title or comments differ."""
    changed = sorted(i for i in old.keys() & new.keys() if old[i][0] != new[i][0])
    return Changes(
        added=sorted(new.keys() - old.keys()),
        removed=sorted(old.keys() - new.keys()),
        changed=changed,
        content_changed=frozenset(i for i in changed if old[i][1] != new[i][1]),
        unchanged=len(old.keys() & new.keys()) - len(changed),
    )


def diff_document(old: Manifest, new: Manifest, changes: Changes, new_index: Index) -> dict[str, Any]:
    """The changes between two versions, machine-readable. Removed posts are given by id only."""
    return {
        "from": {"version": old.version, "schema_version": old.schema_version},
        "to": {"version": new.version, "schema_version": new.schema_version},
        "counts": {
            "added": len(changes.added),
            "changed": len(changes.changed),
            "content_changed": len(changes.content_changed),
            "removed": len(changes.removed),
            "unchanged": changes.unchanged,
        },
        "added": [{"id": i, "url": new_index[i][2]} for i in changes.added],
        "changed": [
            {"id": i, "url": new_index[i][2], "content_changed": i in changes.content_changed}
            for i in changes.changed
        ],
        "removed": [{"id": i} for i in changes.removed],
        "left_out": new.left_out,
    }


def load_index(snapshot: Path) -> tuple[Manifest, Index]:
    """A snapshot's manifest and the index of its posts."""
    manifest = load_manifest(snapshot)
    files = [snapshot / f.path for f in manifest.data_files() if f.config in PLATFORMS]
    return manifest, index_of(read_posts(files))


def load_manifest(snapshot: Path) -> Manifest:
    try:
        return read_manifest(snapshot)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def markdown_literal(url: str) -> str:
    """A URL shown as text, never a link: a code span (a URL may hold ``[x](javascript:…)``)."""
    return "`" + url.replace("`", "%60").replace("\n", "%0A").replace("\r", "%0D") + "`"


def _url_list(title: str, ids: list[str], index: Index) -> list[str]:
    if not ids:
        return []
    lines = ["", f"### {title}", ""] + [f"- {markdown_literal(index[i][2])}" for i in ids[:MAX_LISTED]]
    if len(ids) > MAX_LISTED:
        lines.append(f"- … and {len(ids) - MAX_LISTED:,} more (`blogarchive diff` lists them all)")
    return lines


def changelog_entry(manifest: Manifest, changes: Changes | None, new_index: Index, left: LeftOut) -> str:
    """This version's section of CHANGELOG.md. Removed posts are counted, never listed."""
    posts = manifest.counts["posts"]
    held = (f"- Left out of this version: {len(left.noarchive):,} posts marked noarchive/noindex by their "
            f"owners, {len(left.opt_out):,} posts on the opt-out list.")  # fmt: skip
    if changes is None:
        return "\n".join([f"## {manifest.version} (first version)", "", f"- Posts: {posts:,}", held]) + "\n"
    removed = set(changes.removed)
    on_request, noarchive = len(removed & left.opt_out), len(removed & left.noarchive)
    content = len(changes.content_changed)
    lines = [
        f"## {manifest.version} (since {manifest.previous_version})",
        "",
        f"- Added: {len(changes.added):,} posts",
        f"- Changed: {len(changes.changed):,} posts ({content:,} in their text, title or comments, "
        f"{len(changes.changed) - content:,} in other fields only)",
        f"- Removed: {len(changes.removed):,} posts ({on_request:,} at their owners' request, "
        f"{noarchive:,} newly marked noarchive/noindex, {len(removed) - on_request - noarchive:,} no longer in the crawls)",
        f"- Unchanged: {changes.unchanged:,} posts; {posts:,} posts in all",
        held,
    ]
    lines += _url_list("Added", changes.added, new_index) + _url_list("Changed", changes.changed, new_index)
    return "\n".join(lines) + "\n"


def changelog_text(entry: str, previous: Path | None) -> str:
    """CHANGELOG.md: this version's entry on top of the previous version's entries."""
    older = ""
    if previous is not None and (previous / CHANGELOG_NAME).is_file():
        older = (previous / CHANGELOG_NAME).read_text(encoding="utf-8").split("\n", 1)[-1].lstrip("\n")
    return "# Changelog\n\n" + entry + ("\n" + older if older else "")


# ---------------------------------------------------------------- card


def size_category(rows: int) -> str:
    return next((label for bound, label in SIZE_CATEGORIES if rows < bound), "1B<n<10B")


@dataclass
class Tally:
    """Counts the card shows."""

    posts_by_platform: Counter = field(default_factory=Counter)
    comments_by_platform: Counter = field(default_factory=Counter)
    posts_by_language: Counter = field(default_factory=Counter)
    comments_by_language: Counter = field(default_factory=Counter)
    years: dict[str, Counter] = field(default_factory=dict)  # platform -> year (or None) -> posts
    media_files: int = 0
    media_bytes: int = 0

    def add(self, platform: str, posts: pa.Table, comments: pa.Table) -> None:
        self.posts_by_platform[platform] += posts.num_rows
        self.comments_by_platform[platform] += comments.num_rows
        self.posts_by_language.update(posts["language"].to_pylist())
        self.comments_by_language.update(comments["language"].to_pylist())
        self.years[platform] = Counter(d.year if d else None for d in posts["published"].to_pylist())

    def languages(self) -> list[str]:
        """Languages of at least ``LANGUAGE_MIN_SHARE`` and ``LANGUAGE_MIN_ROWS`` of the posts or of the comments."""
        return sorted(set(_common(self.posts_by_language)) | set(_common(self.comments_by_language)))

    def language_rows(self) -> list[tuple[str, int]]:
        """The card's table: listed languages by posts, then the rest as one row, then unknown."""
        listed = self.languages()
        rows = sorted(((lang, n) for lang, n in self.posts_by_language.items() if lang in listed),
                      key=lambda kv: (-kv[1], kv[0]))  # fmt: skip
        rare = sum(n for lang, n in self.posts_by_language.items() if lang is not None and lang not in listed)
        if rare:
            rows.append((f"other (each under {LANGUAGE_MIN_SHARE:.0%} or {LANGUAGE_MIN_ROWS} posts)", rare))
        if self.posts_by_language[None]:
            rows.append(("unknown (text too short or detection unsure)", self.posts_by_language[None]))
        return rows


def _common(counts: Counter) -> list[str]:
    total = sum(counts.values())
    return [lang for lang, n in counts.items()
            if lang is not None and n >= LANGUAGE_MIN_ROWS and n >= LANGUAGE_MIN_SHARE * total]  # fmt: skip


def render_chart(years: dict[str, Counter], path: Path) -> None:
    """Stacked bars of posts per year (publication) per platform, as a PNG the card shows."""
    require("matplotlib", "chart", "the card's chart of posts per year")
    from matplotlib.figure import Figure  # slow import, only needed here
    from matplotlib.ticker import MaxNLocator

    dated = {y for counts in years.values() for y in counts if y is not None}
    span = list(range(min(dated), max(dated) + 1)) if dated else []
    figure = Figure(figsize=(8, 4), dpi=100)
    axes = figure.add_subplot()
    bottom = [0] * len(span)
    for platform in sorted(years):
        values = [years[platform].get(y, 0) for y in span]
        color = f"C{PLATFORMS.index(platform)}"  # a platform keeps its colour from version to version
        axes.bar(range(len(span)), values, bottom=bottom, label=platform, color=color)
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_xticks(range(len(span)), [str(y) for y in span], rotation=45)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("posts")
    axes.set_title("Posts per year of publication and platform")
    if years:
        axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", metadata={"Software": None})


LICENSE_FILE = "LICENSE"  # the rights of a snapshot whose license is `other` (the Hub asks for it)
OTHER_LICENSE_NAME = "rights-of-the-blog-authors"
OTHER_LICENSE_TEXT = """Rights of the blog authors

The texts and comments in this dataset were published on public blogs by their authors,
who keep their rights over them. They were archived for research and preservation. Use them
for research; do not republish them as your own; honour removal requests: a blog's owner
can have its posts removed from the next version (see the dataset card, "Opt-out").
"""


def hub_licenses() -> frozenset[str]:
    """The license identifiers the Hub accepts in a card (schemas/hub_licenses.txt)."""
    text = HUB_LICENSES.read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_license(license_id: str) -> str:
    """``license_id`` if the Hub knows it, else a UserError saying what to do."""
    if license_id not in hub_licenses():
        raise UserError(
            f"--license {license_id!r} is not a Hub license identifier (e.g. cc-by-4.0, cc-by-nc-sa-4.0, "
            "cc0-1.0, odc-by, other; the list: https://huggingface.co/docs/hub/repositories-licenses)"
        )
    return license_id


def multilinguality(languages: list[str]) -> str:
    return {0: "unknown", 1: "monolingual"}.get(len(languages), "multilingual")


def card_configs(tally: Tally, files: list[FileEntry]) -> list[dict[str, Any]]:
    """The ``configs`` of the card: ``default`` (every platform), one per platform, ``comments``.

    Each config lists its files by name, never a glob (see :func:`shard_name`).
    """

    def config(name: str, configs: set[str]) -> dict[str, Any]:
        paths = [f.path for f in files if f.config in configs]
        return {"config_name": name, "data_files": [{"split": "train", "path": paths}]}

    platforms = sorted(tally.posts_by_platform)
    configs = [{**config(ALL_CONFIG, set(platforms)), "default": True}]
    configs += [config(p, {p}) for p in platforms]
    if sum(tally.comments_by_platform.values()):
        configs.append(config(COMMENTS_CONFIG, {COMMENTS_CONFIG}))
    if tally.media_files:
        configs.append(config(MEDIA_CONFIG, {MEDIA_CONFIG}))
    return configs


def card_metadata(tally: Tally, options: SnapshotOptions, files: list[FileEntry]):  # -> DatasetCardData
    """The card's metadata, through ``huggingface_hub``'s ``DatasetCardData`` (the Hub's own model)."""
    require("huggingface_hub", "hub", "the dataset card")
    from huggingface_hub import DatasetCardData

    languages = tally.languages()
    license_fields = (
        {"license_name": OTHER_LICENSE_NAME, "license_link": LICENSE_FILE}
        if options.license == "other"
        else {}
    )
    return DatasetCardData(
        pretty_name=options.pretty_name,
        license=options.license,
        language=languages,
        multilinguality=multilinguality(languages),
        size_categories=[size_category(sum(tally.posts_by_platform.values()))],
        task_categories=["text-generation", "text-classification"],
        task_ids=["language-modeling"],
        annotations_creators=["no-annotation"],
        language_creators=["found"],
        source_datasets=["original"],
        tags=["blogs", "web-archive", *sorted(tally.posts_by_platform)],
        configs=card_configs(tally, files),
        **license_fields,
    )


def _rows(cells: Iterable[Iterable[Any]]) -> str:
    return "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in cells)


def _columns(schema: pa.Schema, docs: dict[str, str]) -> str:
    return _rows((f"`{f.name}`", f"`{f.type}`", docs[f.name]) for f in schema)


def media_section(tally: Tally, options: SnapshotOptions) -> str:
    """The card's part on the ``media`` config: count, size, columns, rights."""
    if not tally.media_files:
        return "No media file was archived with these posts (crawled with `--media none`, or none had any)."
    held = ("The Parquet files hold the images themselves (`image`, a `datasets` `Image` feature)."
            if options.media_bytes else "This is a light snapshot (`--no-media-bytes`): the files' metadata "
            "only; the bytes stay in the crawl's WARC files.")  # fmt: skip
    return (f"**{tally.media_files:,} files** ({tally.media_bytes / 2**20:,.1f} MiB) shown in the published "
            f"posts, one row each in the `{MEDIA_CONFIG}` config, at the largest size the platform serves "
            f"(`load_dataset(..., \"{MEDIA_CONFIG}\")` yields pictures). {held} The pictures belong to their "
            "authors, as the texts do: they are here for research, and the opt-out list removes a blog's or "
            "a post's files with its texts.\n\n| column | type | meaning |\n|---|---|---|\n"
            + _columns(MEDIA_SCHEMA, MEDIA_COLUMN_DOCS))  # fmt: skip


def render_card(tally: Tally, manifest: Manifest, options: SnapshotOptions) -> str:
    """README.md from schemas/dataset_card.md."""
    platforms = sorted(tally.posts_by_platform)
    files = Counter(f.config for f in manifest.data_files())
    posts, comments = manifest.counts["posts"], manifest.counts["comments"]
    config_rows = [
        (f"`{ALL_CONFIG}` (default)", f"{posts:,}", sum(files[p] for p in platforms), "every post")
    ]
    config_rows += [
        (f"`{p}`", f"{tally.posts_by_platform[p]:,}", files[p], f"posts from {p}") for p in platforms
    ]
    config_rows.append(
        (f"`{COMMENTS_CONFIG}`", f"{comments:,}", files[COMMENTS_CONFIG], "one row per comment")
    )
    if tally.media_files:
        config_rows.append((f"`{MEDIA_CONFIG}`", f"{tally.media_files:,}", files[MEDIA_CONFIG],
                            "one row per archived file of the posts (images as `Image`)"))  # fmt: skip
    years = sorted({y for c in tally.years.values() for y in c}, key=lambda y: (y is None, y or 0))
    left, pii = manifest.left_out, options.redact_pii
    values = {
        "front_matter": card_metadata(tally, options, manifest.data_files()).to_yaml() + "\n",
        "pretty_name": options.pretty_name,
        "platform_list": ", ".join(platforms),
        "posts": f"{posts:,}",
        "comments": f"{comments:,}",
        "language_count": len(tally.languages()),
        "version": manifest.version,
        "schema_version": manifest.schema_version,
        "previous_line": f"; previous version {manifest.previous_version}" if manifest.previous_version else "",
        "repo_hint": options.repo_id or "path/to/snapshot",
        "config_rows": _rows(config_rows),
        "platform_rows": _rows((p, f"{tally.posts_by_platform[p]:,}", f"{tally.comments_by_platform[p]:,}")
                               for p in platforms),  # fmt: skip
        "language_rows": _rows((lang, f"{n:,}") for lang, n in tally.language_rows()),
        "chart_path": CHART_PATH,
        "year_header": " | ".join(platforms),
        "year_align": "---:|" * len(platforms),
        "year_rows": _rows([y or "unknown", *(tally.years[p].get(y, 0) for p in platforms)] for y in years),
        "post_columns": _columns(POST_SCHEMA, COLUMN_DOCS),
        "comment_columns": _columns(COMMENT_SCHEMA, COMMENT_COLUMN_DOCS),
        "media_section": media_section(tally, options),
        "max_shard_rows": f"{options.max_shard_rows:,}",
        "cdc_line": ", content-defined chunking (re-publishing mostly unchanged data uploads little)"
        if CDC_SUPPORTED else "",
        "noarchive_line": f"{left['noarchive']:,} posts whose pages carry a `noarchive` or `noindex` robots "
        "directive were left out." if not options.include_noarchive else
        "Posts marked `noarchive`/`noindex` were kept on purpose for this build (their `robots` column says so).",
        "opt_out_line": f"{left['opt_out']:,} posts were removed at their owners' request (an opt-out list of blog "
        "and post URLs).",
        "pii_line": "E-mail addresses and phone numbers were masked (`[email]`, `[phone]`) in titles, texts and "
        "comments." if pii else "E-mail addresses and phone numbers were not masked: the texts are as published.",
        "license": options.license,
        "citation_key": re.sub(r"[^a-z0-9]+", "_", options.pretty_name.lower()).strip("_") or "blog_archive",
        "citation_url": f"https://huggingface.co/datasets/{options.repo_id}" if options.repo_id else "a snapshot",
        "contact_line": (f"Maintainer: {options.contact}. " if options.contact else "")
        + "For a question, a correction or a removal request, open a discussion on this dataset's page.",
        "license_line": "Each text keeps the rights its author gave it (see `LICENSE`); use it for research, and "
        "honour removal requests." if options.license == "other" else "",
    }  # fmt: skip
    return Template(CARD_TEMPLATE.read_text(encoding="utf-8")).substitute(values)


# ---------------------------------------------------------------- the whole build


def build_snapshot(outs: list[Path], dest: Path, options: SnapshotOptions, previous: Path | None = None,
                   force: bool = False, progress: ProgressDisplay | None = None) -> SnapshotResult:  # fmt: skip
    """Compact crawl outputs into the snapshot directory ``dest`` (built aside, renamed at the end).

    ``progress`` shows its steps: one per platform, the media, the card (default: log lines).
    """
    check_version(options.version)
    check_license(options.license)
    require("huggingface_hub", "hub", "the dataset card")
    for out in outs:
        if not (out / "data").is_dir():
            raise UserError(f"{out} is not a crawl output (no data/ folder)")
    if dest.exists() and any(dest.iterdir()) and not force:
        raise UserError(f"{dest} exists and is not empty (use --force to replace it)")
    previous_manifest = load_manifest(previous) if previous is not None else None
    clean_stale(dest)
    work = work_path(dest)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        with progress or ProgressDisplay("steps", None, live=False) as display:
            result = _build(outs, work, options, previous, previous_manifest, display)
        swap_in(work, dest)  # the old snapshot is deleted only once the new one is in place
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.path = dest
    return result


def _previous_posts(previous: Path | None, manifest: Manifest | None, platform: str) -> pa.Table:
    if previous is None or manifest is None:
        return POST_SCHEMA.empty_table()
    return read_posts(previous / f.path for f in manifest.data_files({platform}))


def _previous_languages(
    previous: Path | None, manifest: Manifest | None, platform: str
) -> dict[bytes, Language]:
    if previous is None or manifest is None:
        return {}
    folder = f"{COMMENTS_CONFIG}/{platform}/"
    files = [previous / f.path for f in manifest.data_files({COMMENTS_CONFIG}) if f.path.startswith(folder)]
    columns = ["text", "language", "language_score"]
    return known_languages(pa.concat_tables([read_parquet(f, columns) for f in files])) if files else {}


def _build(outs: list[Path], work: Path, options: SnapshotOptions, previous: Path | None,
           previous_manifest: Manifest | None, progress: ProgressDisplay) -> SnapshotResult:  # fmt: skip
    left, tally, media = LeftOut(), Tally(), MediaFiles()
    old_index: Index = {}
    new_index: Index = {}
    files: list[FileEntry] = []
    platforms = platforms_in([*outs, *([previous] if previous else [])])
    for platform in platforms:
        # A step per platform, then the media, then the card.
        progress.update(text=f"{platform}: reading the crawls", total=len(platforms) + 2)
        crawled = [read_posts(sorted((out / "data" / platform).glob("*.parquet"))) for out in outs]
        rows = split_left_out(latest_per_id(crawled), options, left)
        if options.redact_pii:
            rows = redact_table(rows)
        before = _previous_posts(previous, previous_manifest, platform)
        old_index.update(index_of(before))
        rows = in_archive_order(keep_stable_rows(rows, before))
        if rows.num_rows == 0:
            continue
        new_index.update(index_of(rows))
        files += write_config(rows, work, f"data/{platform}", platform, "id", options)
        media.add(rows)
        comments = comment_rows(rows, _previous_languages(previous, previous_manifest, platform))
        files += write_config(
            comments, work, f"{COMMENTS_CONFIG}/{platform}", COMMENTS_CONFIG, "post_id", options
        )
        tally.add(platform, rows, comments)
        logger.info("%s: %d posts, %d comments", platform, rows.num_rows, comments.num_rows)
        progress.update(advance=1, text=f"{len(new_index)} posts so far")
    if not new_index:
        raise UserError("no posts to publish: every crawl is empty or every post was left out")
    progress.update(completed=len(platforms), text=f"{len(new_index)} posts; media")
    entries, tally.media_files, tally.media_bytes = write_media_config(
        media.rows(outs, options.media_bytes),
        work,
        options.max_shard_bytes,
        options.max_shard_rows,
        options.row_group_bytes,
        shard_name,
    )
    files += entries
    progress.update(advance=1, text=f"{len(new_index)} posts, {tally.media_files} media files; card")
    render_chart(tally.years, work / CHART_PATH)
    if options.license == "other":  # the Hub asks for the text of an `other` license in the repo
        (work / LICENSE_FILE).write_text(OTHER_LICENSE_TEXT, encoding="utf-8")
    for path in [CHART_PATH, *([LICENSE_FILE] if options.license == "other" else [])]:
        files.append(FileEntry(path, "card", file_sha256(work / path), (work / path).stat().st_size))
    manifest = Manifest(
        version=options.version,
        schema_version=SCHEMA_VERSION,
        files=files,
        counts={
            "posts": len(new_index),
            "comments": sum(tally.comments_by_platform.values()),
            "posts_by_platform": dict(sorted(tally.posts_by_platform.items())),
            "media_files": tally.media_files,
            "media_bytes": tally.media_bytes,
        },
        left_out={"noarchive": len(left.noarchive), "opt_out": len(left.opt_out)},
        options={
            "redact_pii": options.redact_pii,
            "include_noarchive": options.include_noarchive,
            "license": options.license,
            "content_defined_chunking": CDC_SUPPORTED,
            "media_bytes": options.media_bytes,
        },
        previous_version=previous_manifest.version if previous_manifest else None,
        crawls=[{"name": out.resolve().name, "stats": crawl_stats(out)} for out in outs],
    )
    changes = compare(old_index, new_index) if previous_manifest else None
    (work / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    entry = changelog_entry(manifest, changes, new_index, left)
    (work / CHANGELOG_NAME).write_text(changelog_text(entry, previous), encoding="utf-8")
    (work / "README.md").write_text(render_card(tally, manifest, options), encoding="utf-8")
    progress.update(advance=1, text=f"{len(new_index)} posts, {tally.media_files} media files")
    return SnapshotResult(manifest, changes, work)

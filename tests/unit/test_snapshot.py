"""Snapshot building: dedup across crawls, stable rows, left-out posts, shards, card, manifest, changelog."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml

from crawler.errors import UserError
from crawler.release import comments as comments_module
from crawler.release.changelog import compare
from crawler.release.comments import CommentLanguages, cached_languages, known_languages
from crawler.release.options import LeftOut, SnapshotOptions
from crawler.release.publish import GitRemote, HubRepo, LocalStore, parse_target, tree_digest, version_key
from crawler.release.rows import (
    blocks_archiving,
    conform,
    in_archive_order,
    keep_stable_rows,
    latest_per_id,
    read_opt_out,
    redact_table,
    split_left_out,
)
from crawler.release.shards import bucket_of
from crawler.release.snapshot import build_snapshot
from schemas.comments import COMMENT_SCHEMA
from schemas.manifest import file_sha256, read_manifest
from schemas.post import POST_SCHEMA, SCHEMA_VERSION, SCHEMA_VERSION_KEY, schema_version_of, to_table
from tests.crawl_outputs import (
    CRAWL1,
    CRAWL2,
    CUISINE,
    EN,
    FR,
    PHOTOS,
    TUMBLR,
    crawl1_posts,
    ids_of,
    post,
    two_crawls,
    write_crawl,
)

OPTIONS = SnapshotOptions(version="1.0.0", redact_pii=True)


@pytest.fixture(scope="module")
def snapshots(tmp_path_factory) -> tuple[Path, Path, Path]:
    """(v1, v2, the crawl root): v1 from crawl 1, v2 from both crawls with the opt-out list."""
    root = tmp_path_factory.mktemp("snap")
    out1, out2, opt_out = two_crawls(root)
    v1 = build_snapshot([out1], root / "v1", OPTIONS).path
    options = replace(
        OPTIONS, version="1.1.0", opt_out=read_opt_out(opt_out), max_shard_rows=2, row_group_rows=1
    )
    v2 = build_snapshot([out1, out2], root / "v2", options, previous=v1).path
    return v1, v2, root


def _rows(snapshot: Path, folder: str) -> list[dict]:
    return [r for f in sorted((snapshot / folder).rglob("*.parquet")) for r in pq.read_table(f).to_pylist()]


def _front_matter(snapshot: Path) -> dict:
    text = (snapshot / "README.md").read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


# ---------------------------------------------------------------- selecting rows


def test_latest_fetch_wins_and_a_tie_goes_to_the_crawl_given_last():
    old = post(CUISINE, "canalblog", "c1", 2008, CRAWL1)
    new = {**post(CUISINE, "canalblog", "c1", 2008, CRAWL2, text="nouveau texte"), "warc_record_id": "<new>"}
    tie = {**post(CUISINE, "canalblog", "c1", 2008, CRAWL2), "warc_record_id": "<tie>"}
    other = post(CUISINE, "canalblog", "c2", 2009, CRAWL1)
    chosen = latest_per_id([to_table([new, other]), to_table([old])]).to_pylist()
    assert [r["warc_record_id"] for r in chosen if r["id"] == old["id"]] == ["<new>"]
    assert [r["id"] for r in chosen] == sorted([old["id"], other["id"]])
    assert latest_per_id([to_table([new]), to_table([tie])]).column("warc_record_id").to_pylist() == ["<tie>"]


def test_unchanged_post_keeps_the_previous_row_and_a_changed_one_takes_the_new():
    before = to_table(
        [post(CUISINE, "canalblog", "c1", 2008, CRAWL1), post(CUISINE, "canalblog", "c3", 2010, CRAWL1)]
    )
    refetched = post(CUISINE, "canalblog", "c1", 2008, CRAWL2)
    retagged = post(CUISINE, "canalblog", "c3", 2010, CRAWL2, tags=("desserts",))
    rows = {r["title"]: r for r in keep_stable_rows(to_table([refetched, retagged]), before).to_pylist()}
    assert rows["c1 title"]["fetched_at"] == CRAWL1
    assert rows["c3 title"]["fetched_at"] == CRAWL2 and rows["c3 title"]["tags"] == ["desserts"]


@pytest.mark.parametrize(("robots", "blocked"), [("noarchive", True), ("NOINDEX, nofollow", True),
                                                  ("index, follow", False), (None, False), ("", False)])  # fmt: skip
def test_noarchive_and_noindex_block_archiving(robots, blocked):
    assert blocks_archiving(robots) is blocked


def test_opt_out_matches_blog_and_post_urls_whatever_the_scheme(tmp_path):
    path = tmp_path / "opt-out.txt"
    lines = "# comment\n\nhttps://cuisine.canalblog.com\nphotos.blogspot.com/2007/05/b1.html  # one post\n"
    path.write_text(lines + "http://petitsmots.tumblr.com/post/\n", encoding="utf-8")
    table = to_table(crawl1_posts())
    left = LeftOut()
    kept = split_left_out(table, SnapshotOptions(version="1", opt_out=read_opt_out(path)), left)
    assert left.opt_out == ids_of("c1", "c2", "c3", "c4", "b1", "t1", "t2", "t3")  # t*: a folder of the blog
    assert left.noarchive == ids_of("b3")
    assert kept.num_rows == table.num_rows - 9


def test_include_noarchive_keeps_marked_posts():
    left = LeftOut()
    kept = split_left_out(
        to_table(crawl1_posts()), SnapshotOptions(version="1", include_noarchive=True), left
    )
    assert kept.num_rows == len(crawl1_posts()) and not left.noarchive


def test_an_opt_out_line_that_is_not_a_url_is_a_user_error(tmp_path):
    path = tmp_path / "opt-out.txt"
    path.write_text("mailto:someone\n", encoding="utf-8")
    with pytest.raises(UserError, match="opt-out.txt:1"):
        read_opt_out(path)


def test_redaction_masks_emails_and_phones_in_texts_and_comments():
    rows = redact_table(to_table(crawl1_posts()[:2])).to_pylist()
    assert "[email]" in rows[0]["comments"][0]["text"] and "paul.martin" not in rows[0]["comments"][0]["text"]
    assert "[phone]" in rows[1]["text"] and "01 23 45 67 89" not in rows[1]["text"]


def test_shards_of_an_older_minor_version_gain_the_new_columns():
    table = to_table(crawl1_posts()[:1]).drop_columns(["robots", "extra"])
    table = table.replace_schema_metadata({SCHEMA_VERSION_KEY: b"1.0.0"})
    conformed = conform(table, "old.parquet")
    assert conformed.schema.equals(POST_SCHEMA, check_metadata=True)
    assert conformed.column("robots").to_pylist() == [None]


@pytest.mark.parametrize("version", [b"2.0.0", b"1.9.0"])
def test_shards_of_another_major_or_a_newer_version_are_refused(version):
    table = to_table(crawl1_posts()[:1]).replace_schema_metadata({SCHEMA_VERSION_KEY: version})
    with pytest.raises(UserError, match="schema version"):
        conform(table, "x.parquet")


def test_archive_order_puts_what_a_new_version_adds_last():
    rows = [
        post(CUISINE, "canalblog", s, 2008, at) for s, at in (("c9", CRAWL2), ("c1", CRAWL1), ("c2", CRAWL1))
    ]
    ordered = in_archive_order(to_table(rows)).to_pylist()
    assert [r["fetched_at"] for r in ordered] == [CRAWL1, CRAWL1, CRAWL2]
    assert ordered[0]["id"] < ordered[1]["id"]


def test_known_languages_are_reused_and_the_rest_detected(monkeypatch):
    calls = []
    monkeypatch.setattr(
        comments_module, "detect_languages", lambda texts: calls.extend(texts) or [("xx", 1.0)] * len(texts)
    )
    known = known_languages(pa.table({"text": ["déjà vu"], "language": ["fr"], "language_score": [0.5]}))
    long_one = "a new comment long enough to be worth detecting"
    assert CommentLanguages(known).of(["déjà vu", long_one, long_one, "Merci !"]) == [
        ("fr", 0.5),
        ("xx", 1.0),
        ("xx", 1.0),
        (None, None),
    ]
    assert calls == [long_one]  # the short one is null without langdetect


def test_short_comments_are_null_without_the_detector(monkeypatch):
    monkeypatch.setattr(comments_module, "detect_languages", lambda texts: pytest.fail(f"detected {texts}"))
    short = ["Merci !", "Bravo", "", "trop bien :)", "Super photo, merci"]
    assert CommentLanguages().of(short) == [(None, None)] * len(short)


def test_a_pool_finds_what_one_process_finds(monkeypatch):
    monkeypatch.setattr(comments_module, "POOL_THRESHOLD", 10)
    monkeypatch.setattr(comments_module, "POOL_CHUNK", 7)
    texts = [f"{FR} {n}" if n % 3 else f"{EN} number {n}" for n in range(30)] + ["Merci !"]
    with CommentLanguages(workers=2) as pooled:
        parallel = pooled.of(texts)
        assert pooled._pool is not None  # the texts went through the pool
    serial = CommentLanguages(workers=1).of(texts)
    assert parallel == serial and {language for language, _ in serial} == {"fr", "en", None}


def test_bucket_is_a_fixed_range_of_the_id_space():
    assert bucket_of("00000000abc", 4) == 0 and bucket_of("ffffffffabc", 4) == 3
    assert bucket_of("7fffffff", 2) == 0 and bucket_of("80000000", 2) == 1
    assert 0 <= bucket_of("not-hex-at-all", 3) < 3


def test_compare_counts_added_removed_and_changed():
    old = {"a": ("fa", "ha", "u/a"), "b": ("fb", "hb", "u/b"), "c": ("fc", "hc", "u/c")}
    new = {
        "a": ("fa", "ha", "u/a"),
        "b": ("fb2", "hb2", "u/b"),
        "c": ("fc2", "hc", "u/c"),
        "d": ("fd", "hd", "u/d"),
    }
    changes = compare(old, new)
    assert (changes.added, changes.removed, changes.changed, changes.unchanged) == (["d"], [], ["b", "c"], 1)
    assert changes.content_changed == {"b"}


# ---------------------------------------------------------------- the whole build


def test_every_shard_has_exactly_the_schema_of_its_version(snapshots):
    for snapshot in snapshots[:2]:
        for path in snapshot.rglob("*.parquet"):
            schema = pq.read_schema(path)
            expected = COMMENT_SCHEMA if path.relative_to(snapshot).parts[0] == "comments" else POST_SCHEMA
            assert schema.remove_metadata().equals(expected.remove_metadata()), path
            assert schema_version_of(schema) == SCHEMA_VERSION


def test_shards_follow_the_hub_layout_and_bounds(snapshots):
    v2 = snapshots[1]
    canalblog = sorted(p.name for p in (v2 / "data" / "canalblog").iterdir())
    total = len(canalblog)
    assert total >= 3  # 5 posts, 2 rows per file at most (a target: ids are hashed into ranges)
    assert [re.sub(r"-[0-9a-f]{16}\.", ".", name) for name in canalblog] == [
        f"train-{k:05d}-of-{total:05d}.parquet" for k in range(total)
    ]
    assert all(
        name.endswith(f"-{file_sha256(v2 / 'data' / 'canalblog' / name)[:16]}.parquet") for name in canalblog
    )
    for path in (v2 / "data").rglob("*.parquet"):
        metadata = pq.ParquetFile(path).metadata
        assert all(metadata.row_group(i).num_rows <= 1 for i in range(metadata.num_row_groups))
        keys = list(zip(*pq.read_table(path, columns=["fetched_at", "id"]).to_pydict().values()))
        assert keys == sorted(keys)  # archive order: what a new version adds comes last
    ids = [r["id"] for r in _rows(v2, "data")]
    assert len(ids) == len(set(ids)) == 10


def test_manifest_lists_every_file_with_its_checksum_and_rows(snapshots):
    v1, v2, _ = snapshots
    manifest = read_manifest(v2)
    assert (manifest.version, manifest.schema_version, manifest.previous_version) == (
        "1.1.0",
        SCHEMA_VERSION,
        "1.0.0",
    )
    assert manifest.counts == {
        "posts": 10,
        "comments": 5,
        "posts_by_platform": {"blogspot": 3, "canalblog": 5, "typepad": 2},
        "media_files": 0,  # these crawls archived no file
        "media_bytes": 0,
    }
    assert manifest.left_out == {"noarchive": 2, "opt_out": 4}
    assert [c["name"] for c in manifest.crawls] == ["crawl1", "crawl2"]
    assert manifest.crawls[1]["stats"]["posts"] == 7
    listed = {f.path for f in manifest.files}
    on_disk = {p.relative_to(v2).as_posix() for p in v2.rglob("*") if p.is_file()}
    assert on_disk - listed == {"README.md", "manifest.json", "CHANGELOG.md"}
    for entry in manifest.files:
        assert file_sha256(v2 / entry.path) == entry.sha256
        if entry.rows is not None:
            assert pq.ParquetFile(v2 / entry.path).metadata.num_rows == entry.rows
    assert read_manifest(v1).left_out == {"noarchive": 2, "opt_out": 0}


def test_card_yaml_lists_the_configs_languages_license_and_size(snapshots):
    meta = _front_matter(snapshots[1])
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert list(configs) == ["default", "blogspot", "canalblog", "typepad", "comments"]
    assert (
        configs["default"]["default"] is True and sum(bool(c.get("default")) for c in configs.values()) == 1
    )
    # Every file by name, never a glob: datasets keys its cache on the names (huggingface/datasets#2956).
    files = {f.path: f.config for f in read_manifest(snapshots[1]).data_files()}
    assert configs["canalblog"]["data_files"] == [
        {"split": "train", "path": sorted(p for p, c in files.items() if c == "canalblog")}
    ]
    assert configs["comments"]["data_files"][0]["path"] == sorted(
        p for p, c in files.items() if c == "comments"
    )
    assert sorted(configs["default"]["data_files"][0]["path"]) == sorted(
        p for p, c in files.items() if c != "comments"
    )
    assert (meta["license"], meta["language"], meta["size_categories"]) == ("other", ["en", "fr"], ["n<1K"])


def test_card_describes_columns_counts_collection_and_shows_the_chart(snapshots):
    v2 = snapshots[1]
    card = (v2 / "README.md").read_text(encoding="utf-8")
    for column in [*POST_SCHEMA.names, *COMMENT_SCHEMA.names]:
        assert f"| `{column}` |" in card
    assert "![Posts per year and platform](images/posts_per_year.png)" in card
    assert (v2 / "images/posts_per_year.png").read_bytes().startswith(b"\x89PNG")
    assert "| canalblog | 5 | 2 |" in card and "| 2024 | 0 | 1 | 0 |" in card
    assert "## How the data was collected" in card
    assert (
        "2 posts whose pages carry a `noarchive`" in card
        and "4 posts were removed at their owners' request" in card
    )


def test_changelog_counts_changes_and_never_names_opted_out_posts(snapshots):
    v2 = snapshots[1]
    changelog = (v2 / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## 1.1.0 (since 1.0.0)" in changelog and "## 1.0.0 (first version)" in changelog
    assert "- Added: 4 posts" in changelog
    assert "- Changed: 2 posts (1 in their text, title or comments, 1 in other fields only)" in changelog
    assert "- Removed: 4 posts (4 at their owners' request" in changelog
    assert "c5.html" in changelog and "c2.html" in changelog
    assert "tumblr" not in changelog and "v2.html" not in changelog


def test_rows_are_stable_redacted_and_comments_have_their_language(snapshots):
    v2 = snapshots[1]
    posts = {r["title"]: r for r in _rows(v2, "data")}
    assert posts["c1 title"]["fetched_at"] == CRAWL1  # re-fetched unchanged: v1's row
    assert posts["c2 title"]["fetched_at"] == CRAWL2
    assert "[phone]" in posts["c2 title"]["text"]
    comments = _rows(v2, "comments")
    assert {c["language"] for c in comments} == {"fr", "en"}
    assert all(c["post_id"] in {p["id"] for p in posts.values()} for c in comments)
    assert not any("@example.fr" in c["text"] for c in comments)


def test_same_inputs_give_byte_identical_snapshots(snapshots, tmp_path):
    v1, _, root = snapshots
    again = build_snapshot([root / "crawl1"], tmp_path / "again", OPTIONS).path
    assert tree_digest(again) == tree_digest(v1)


def test_a_rebuild_reuses_the_cached_languages_and_gives_the_same_bytes(snapshots, tmp_path, monkeypatch):
    v1, _, root = snapshots
    copy = tmp_path / "v1"
    shutil.copytree(v1, copy)
    assert len(cached_languages(copy)) >= 2  # its comments' texts, with their languages
    monkeypatch.setattr(comments_module, "detect_languages", lambda texts: pytest.fail(f"detected: {texts}"))
    again = build_snapshot([root / "crawl1"], copy, OPTIONS, force=True).path
    assert tree_digest(again) == tree_digest(v1)


def test_languages_found_by_another_detector_are_not_reused(snapshots, monkeypatch):
    monkeypatch.setattr(comments_module, "detector_id", lambda: "rules 0, another detector")
    assert cached_languages(snapshots[0], None) == {}


def test_the_first_version_counts_without_listing(snapshots):
    changelog = (snapshots[0] / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "- Posts: 10" in changelog and "http" not in changelog


@pytest.mark.parametrize("version", ["v1.0", "1..2", "1.0.lock", "", "1.0/2"])
def test_bad_versions_are_user_errors(version, tmp_path):
    with pytest.raises(UserError, match="bad version"):
        build_snapshot([], tmp_path / "snap", SnapshotOptions(version=version))


def test_user_errors_for_bad_inputs(snapshots, tmp_path):
    v1, _, root = snapshots
    with pytest.raises(UserError, match="not a crawl output"):
        build_snapshot([tmp_path], tmp_path / "snap", OPTIONS)
    with pytest.raises(UserError, match="--force"):
        build_snapshot([root / "crawl1"], v1, OPTIONS)
    with pytest.raises(UserError, match="not a snapshot"):
        build_snapshot([root / "crawl1"], tmp_path / "snap", OPTIONS, previous=root / "crawl1")
    incomplete = tmp_path / "incomplete"
    shutil.copytree(v1, incomplete)
    next(incomplete.glob("data/canalblog/*.parquet")).unlink()
    with pytest.raises(UserError, match="cannot read"):
        build_snapshot([root / "crawl1"], tmp_path / "snap", OPTIONS, previous=incomplete)
    empty = tmp_path / "empty"
    (empty / "data").mkdir(parents=True)
    with pytest.raises(UserError, match="no posts"):
        build_snapshot([empty], tmp_path / "snap", OPTIONS)
    assert not (tmp_path / "snap").exists() and not list(tmp_path.glob(".snap.tmp-*"))


def test_a_previous_build_over_a_removed_blog_counts_it_as_gone(snapshots, tmp_path):
    v1, _, root = snapshots
    without_tumblr = [p for p in crawl1_posts() if not p["url"].startswith(TUMBLR)]
    out = write_crawl(
        tmp_path / "crawl",
        [{**p, "fetched_at": p["fetched_at"] + timedelta(days=1)} for p in without_tumblr],
    )
    result = build_snapshot([out], tmp_path / "v", replace(OPTIONS, version="1.0.1"), previous=v1)
    assert (len(result.changes.removed), len(result.changes.changed), result.changes.unchanged) == (3, 0, 7)
    changelog = (tmp_path / "v" / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "3 no longer in the crawls" in changelog
    assert PHOTOS not in changelog  # nothing added or changed: no lists


# ---------------------------------------------------------------- targets


@pytest.mark.parametrize(
    ("spec", "kind"),
    [("hf://datasets/me/blogs", HubRepo), ("git@github.com:me/blogs.git", GitRemote), ("https://host/x.git", GitRemote),
     ("/srv/store", LocalStore), ("file:///srv/repo", GitRemote)],
)  # fmt: skip
def test_targets_are_told_apart(spec, kind):
    assert isinstance(parse_target(spec), kind)


@pytest.mark.parametrize("spec", ["hf://models/me/x", "hf://datasets/only-one-part"])
def test_bad_hub_targets_are_user_errors(spec):
    with pytest.raises(UserError):
        parse_target(spec)


def test_versions_order_numerically():
    assert sorted(["1.10.0", "1.9.0", "1.9.1", "2.0.0"], key=version_key) == [
        "1.9.0",
        "1.9.1",
        "1.10.0",
        "2.0.0",
    ]


def test_manifest_round_trips(snapshots):
    manifest = read_manifest(snapshots[0])
    assert json.loads(manifest.to_json()) == json.loads(
        (snapshots[0] / "manifest.json").read_text(encoding="utf-8")
    )

"""Atomic replaces: a snapshot or a publish killed at any step leaves the old version whole, and the next run completes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from crawler.errors import UserError
from crawler.release.changelog import load_manifest
from crawler.release.publish import LATEST, previous_snapshot, publish_local
from crawler.release.snapshot import build_snapshot
from crawler.replace import clean_stale, swap_in
from tests.unit.test_snapshot import OPTIONS, snapshots  # noqa: F401 (the fixture)


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_swap_in_puts_the_new_directory_in_before_the_old_one_goes(tmp_path):
    dest, work = tmp_path / "snap", tmp_path / ".snap.tmp-1"
    dest.mkdir()
    (dest / "old.txt").write_text("old")
    work.mkdir()
    (work / "new.txt").write_text("new")
    swap_in(work, dest)
    assert [p.name for p in dest.iterdir()] == ["new.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["snap"]


def test_a_kill_between_the_two_renames_is_undone_and_dead_temp_folders_removed(tmp_path):
    dest = tmp_path / "snap"
    old = tmp_path / f".snap.old-{dead_pid()}"
    old.mkdir()
    (old / "train.parquet").write_text("whole old version")
    stale = tmp_path / f".snap.tmp-{dead_pid()}"
    stale.mkdir()
    live = tmp_path / f".snap.tmp-{os.getppid()}"  # a live process's work is left alone
    live.mkdir()
    assert len(clean_stale(dest)) == 2
    assert (dest / "train.parquet").read_text() == "whole old version"
    assert not old.exists() and not stale.exists() and live.exists()


def test_snapshot_force_never_deletes_before_the_new_one_is_in(snapshots, tmp_path, monkeypatch):  # noqa: F811
    v1, _, root = snapshots
    dest = tmp_path / "snap"
    shutil.copytree(v1, dest)
    before = sorted(p.relative_to(dest) for p in dest.rglob("*"))
    deleted_while_absent = []
    real_rmtree = shutil.rmtree

    def watching_rmtree(path, *args, **kwargs):
        deleted_while_absent.append(not dest.exists())
        real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr("crawler.replace.shutil.rmtree", watching_rmtree)
    result = build_snapshot([root / "crawl1"], dest, OPTIONS, force=True)
    assert result.path == dest and deleted_while_absent and not any(deleted_while_absent)
    assert sorted(p.relative_to(dest) for p in dest.rglob("*")) == before


def test_an_interrupted_publish_is_completed_not_reported_done(snapshots, tmp_path):  # noqa: F811
    v1, v2, _ = snapshots
    store = tmp_path / "store"
    publish_local(v1, load_manifest(v1), store)
    shutil.copytree(v2, store / "1.1.0")  # killed after the version's rename, before latest moved
    (store / f".latest.tmp-{dead_pid()}").symlink_to("1.1.0")
    result = publish_local(v2, load_manifest(v2), store)
    assert result.changed and result.message.startswith("completed the interrupted publish of 1.1.0")
    assert os.readlink(store / LATEST) == "1.1.0"
    assert sorted(p.name for p in store.iterdir()) == [".lock", "1.0.0", "1.1.0", LATEST]
    assert not publish_local(v2, load_manifest(v2), store).changed


def test_a_manifest_version_that_is_no_semver_is_refused(snapshots, tmp_path):  # noqa: F811
    v1, _, _ = snapshots
    snap = tmp_path / "evil"
    shutil.copytree(v1, snap)
    manifest = json.loads((snap / "manifest.json").read_text())
    manifest["version"] = "../../escaped"
    (snap / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(UserError, match="manifest version '../../escaped' is not a semantic version"):
        publish_local(snap, load_manifest(snap), tmp_path / "store")
    assert not (tmp_path / "escaped").exists()


def test_git_targets_are_never_taken_for_options(tmp_path):
    canary = tmp_path / "pwned"
    with (
        pytest.raises(UserError, match="git ls-remote failed"),
        previous_snapshot(f"--upload-pack=touch {canary};.git"),
    ):
        pass
    assert not canary.exists()

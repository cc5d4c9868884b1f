"""One writer per output: the lock's holder is named, and a dead holder's lock is free."""

from __future__ import annotations

import os

import pytest

from crawler.errors import UserError
from crawler.outlock import LOCK_NAME, holder, lock_output, try_lock


def test_a_second_writer_is_refused_with_the_holders_pid(tmp_path):
    first = try_lock(tmp_path / LOCK_NAME)
    assert first is not None
    assert holder(tmp_path / LOCK_NAME) == str(os.getpid())
    assert try_lock(tmp_path / LOCK_NAME) is None  # flock is per open file: refused in-process too
    with pytest.raises(
        UserError, match=rf"being written by another blogarchive process \(pid {os.getpid()}\)"
    ):
        lock_output(tmp_path)
    first.close()  # what the kernel does when the holder dies, kill -9 included
    second = try_lock(tmp_path / LOCK_NAME)
    assert second is not None
    second.close()


def test_the_lock_file_may_live_beside_the_directory(tmp_path):
    snap = tmp_path / "snap"
    handle = lock_output(snap, tmp_path / ".snap.lock")
    assert not snap.exists()  # the directory itself is swapped whole, so its lock is outside it
    assert try_lock(tmp_path / ".snap.lock") is None
    handle.close()

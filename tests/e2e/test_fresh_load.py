"""``datasets.load_dataset`` returns what is on disk, through ONE shared cache on purpose.

``datasets`` keys the cache of a local folder on the folder's name and the card's
``data_files`` patterns, not on the files' content (huggingface/datasets#2956): every test
here loads folders whose name was already loaded with other content.
"""

from __future__ import annotations

import socket
from pathlib import Path

import datasets
import pyarrow.parquet as pq
import pytest

from tests.fixtureweb.server import FixtureWeb
from tests.helpers import blogarchive

FAST = ["--workers", "0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"]


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hf-cache")


def rows(path: Path, cache: Path, config: str | None = None) -> int:
    return datasets.load_dataset(str(path), config, split="train", cache_dir=str(cache)).num_rows


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def crawl(spec: str, out: Path) -> None:
    with FixtureWeb(spec) as web:
        blogarchive("crawl", web.urls[0], "-o", str(out), *FAST)


def test_outputs_with_one_name_and_a_snapshot_rebuilt_with_force(tmp_path, cache):
    crawl("canalblog:posts=12,seed=3", tmp_path / "a" / "out")
    crawl("canalblog:posts=4,seed=4", tmp_path / "b" / "out")
    assert rows(tmp_path / "a" / "out", cache) == 12
    assert rows(tmp_path / "b" / "out", cache) == 4
    assert rows(tmp_path / "b" / "out", cache, "canalblog") == 4

    snap = tmp_path / "snap"
    blogarchive("snapshot", str(tmp_path / "a" / "out"), "--version", "1.0.0", "-o", str(snap))
    assert rows(snap, cache) == 12
    blogarchive("snapshot", str(tmp_path / "b" / "out"), "--version", "1.0.0", "-o", str(snap), "--force")
    assert rows(snap, cache) == 4
    assert rows(snap, cache, "canalblog") == 4


def test_recrawl_adding_posts_then_loading(tmp_path, cache):
    port, out = free_port(), tmp_path / "out"
    crawl(f"canalblog:posts=30,seed=5,port={port}", out)
    assert rows(out, cache) == 30
    crawl(f"canalblog:posts=30,seed=5,revision=1,port={port}", out)  # 3 new posts, 1 deleted
    assert rows(out, cache) == 32


def test_a_shard_replaced_in_place(tmp_path, cache):
    """Cut by hand under its old name: ``validate`` says so; ``build`` gives the crawl's bytes and name back."""
    out = tmp_path / "out"
    crawl("canalblog:posts=6,seed=6", out)
    assert rows(out, cache) == 6
    (shard,) = out.glob("data/canalblog/*.parquet")
    pq.write_table(pq.read_table(shard).slice(0, 3), shard)  # the same name, other bytes
    result = blogarchive("validate", str(out), check=False)
    assert result.returncode == 1
    assert "name no longer matches its content" in result.stdout and "blogarchive build" in result.stdout

    rebuilt = tmp_path / "rebuilt" / "out"
    blogarchive("build", str(out / "warc"), "-o", str(rebuilt), "--workers", "0")
    assert rows(rebuilt, cache) == 6
    (again,) = rebuilt.glob("data/canalblog/*.parquet")
    assert again.name == shard.name  # the crawl's bytes again: the same content keeps its name
    assert blogarchive("validate", str(rebuilt)).returncode == 0

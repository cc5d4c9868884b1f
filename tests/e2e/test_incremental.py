"""Incremental re-crawl: only new and changed posts are downloaded again; deletions show."""

from __future__ import annotations

import socket

from tests.fixtureweb.server import FixtureWeb
from tests.fixtureweb.sites.canalblog import REVISION_DELETED, REVISION_EDITED, REVISION_NOTE
from tests.helpers import blogarchive, read_posts, read_stats

FAST = ["--workers", "0", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_recrawl_fetches_only_new_and_changed_posts(tmp_path):
    port = free_port()
    out = tmp_path / "out"
    with FixtureWeb(f"canalblog:posts=30,seed=5,port={port}") as web:
        before = web.site()
        blogarchive("crawl", web.urls[0], "-o", str(out), *FAST)
    first = read_stats(out)
    assert first["posts"] == 30 and first["pages"]["post"] == 30

    with FixtureWeb(f"canalblog:posts=30,seed=5,revision=1,port={port}") as web:
        after = web.site()
        blogarchive("crawl", web.urls[0], "-o", str(out), *FAST)
    stats = read_stats(out)
    incremental = {
        k.split("/")[-1]: v for k, v in stats["scrapy"].items() if k.startswith("blogarchive/incremental/")
    }
    assert stats["pages"]["post"] == 5, "only the 3 new and 2 edited posts are downloaded again"
    assert incremental == {"new": 3, "changed": 2, "unchanged_summary": 27, "deleted": 1}, incremental

    rows = {row["url"].split(str(port))[-1]: row for row in read_posts(out)}
    assert set(rows) == {post.path for post in after.posts}
    deleted = before.posts[REVISION_DELETED].path
    assert deleted not in rows
    for index in REVISION_EDITED:
        assert rows[before.posts[index].path]["text"].endswith(REVISION_NOTE)
    assert len(rows) == 32

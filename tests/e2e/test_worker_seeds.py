"""Seeds a distributed crawl takes from Redis get the checks a crawl's seeds get."""

from __future__ import annotations

from crawler.distributed.frontier import Frontier
from tests.e2e.test_workers import WORKER
from tests.helpers import FixtureWeb, blogarchive, read_posts, read_stats
from tests.redis_server import RedisServer


def test_seeds_pushed_straight_into_redis_are_stripped_or_skipped_with_a_reason(tmp_path):
    with RedisServer(tmp_path / "redis") as redis_server, FixtureWeb("canalblog:posts=3,seed=5") as web:
        with_credentials = web.urls[0].replace("http://", "http://user:secret@") + "/"
        hostile = [
            "http://huge.invalid/" + "x" * 10_000,
            f"http://{'a' * 64}.invalid/",
            "ftp://files.invalid/",
        ]
        frontier = Frontier(redis_server.client(), "seeder")
        assert frontier.push_seeds([*hostile, with_credentials]) == (4, 0)  # no check on the way in
        out = tmp_path / "out"
        blogarchive("worker", "--redis", redis_server.url, "-o", str(out), *WORKER, timeout=120)
    (directory,) = [path for path in out.iterdir() if (path / "stats.json").exists()]
    assert len(read_posts(directory)) == 3
    errors = read_stats(directory)["errors"]
    assert (errors["seed_too_long"], errors["bad_host"], errors["bad_url"]) == (1, 1, 1)
    warc = b"".join(p.read_bytes() for p in (directory / "warc").glob("*.warc.gz"))
    assert warc and b"secret" not in warc

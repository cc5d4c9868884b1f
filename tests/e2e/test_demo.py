"""``blogarchive demo`` crawls its packaged blogs (no fixture web) and finds every post of each."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from urllib.parse import urlsplit

from crawler.demo import SITES
from tests.helpers import blogarchive, read_posts, read_stats


def recorded_posts(platform: str) -> set[tuple[str, str]]:
    data = resources.files("crawler.demo").joinpath(f"data/{platform}.json.gz").read_bytes()
    return {(post["path"], post["title"]) for post in json.loads(gzip.decompress(data))["posts"]}


def test_demo_finds_every_post_of_its_four_blogs(tmp_path):
    out = tmp_path / "demo-out"
    result = blogarchive("demo", "-o", str(out), timeout=300)
    rows = read_posts(out)
    for platform in SITES:
        expected = recorded_posts(platform)
        found = {(urlsplit(r["url"]).path, r["title"]) for r in rows if r["platform"] == platform}
        assert len(expected) >= 10, platform
        assert found == expected, platform
        assert f"{platform}: {len(expected)} posts" in result.stdout
    assert f"loaded {len(rows)} posts" in result.stdout
    stats = read_stats(out)
    assert stats["posts"] == len(rows)
    assert stats["errors"] == {}
    assert stats["media"]["failed"] == {}  # every recorded image was served

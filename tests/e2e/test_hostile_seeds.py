"""Hostile seeds in one crawl: each is normalized or skipped with a reason, and the good blog is crawled whole."""

from __future__ import annotations

from tests.helpers import blogarchive, read_posts, read_stats

LONG_HOST = ".".join(["a" * 63, "b" * 63, "c" * 63, "d" * 52, "invalid"])  # 252 characters, never resolved


def test_long_hosts_credentials_and_huge_urls_never_stop_the_other_seeds(fixture_web, tmp_path):
    web = fixture_web("canalblog:posts=3,seed=4")
    url = web.urls[0]
    with_credentials = url.replace("http://", "http://user:secret@")
    out = tmp_path / "out"
    seeds = [f"http://{LONG_HOST}/", with_credentials, url, url + "/" + "x" * 10_000]
    blogarchive("crawl", *seeds, "-o", str(out), "--workers", "0", "-s", "AUTOTHROTTLE_ENABLED=0",
                "-s", "DOWNLOAD_DELAY=0", "-s", "RETRY_TIMES=0")  # fmt: skip
    assert len(read_posts(out)) == 3
    stats = read_stats(out)
    assert stats["errors"]["seed_too_long"] == 1
    assert "accounting_leak" not in stats["blogs"]
    assert stats["blogs"]["duplicate_seed"] == 1  # the plain seed is the credentials one, stripped
    warc = b"".join(p.read_bytes() for p in (out / "warc").glob("*.warc.gz"))
    assert b"secret" not in warc

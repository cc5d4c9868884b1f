"""Crawl many blogs from a seed file: every post once, one outcome per blog, fair to small blogs."""

from __future__ import annotations

import pytest

from crawler.blogs import read_blog_records
from crawler.urls import canonicalize
from tests.helpers import FixtureWeb, blogarchive, read_posts, read_stats

BIG = "canalblog:posts=60,seed=21"
SMALL = ["canalblog:posts=6,seed=22", "typepad:posts=6,seed=23", "tumblr:posts=6,seed=24",
         "canalblog:posts=5,seed=25,template=2007"]  # fmt: skip
GONE, PLAIN = "faults:mode=gone-typepad", "faults:mode=plain"
REFUSED = "http://127.0.0.1:1/"
# Few connections, so that a blog served ahead of the others would show.
FAST = ("-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS=4",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", "-s", "RETRY_TIMES=0", "--workers", "0", "--loglevel", "WARNING")  # fmt: skip


def seed_url(web: FixtureWeb, index: int) -> str:
    """The blog's home: Typepad fixture blogs live under /blog/."""
    return web.urls[index] + ("/blog/" if web.specs[index].startswith("typepad") else "/")


def expected_urls(web: FixtureWeb, indexes: range) -> list[str]:
    return sorted(canonicalize(web.site(i).url(p.path)) for i in indexes for p in web.site(i).posts)


@pytest.fixture(scope="module")
def web():
    with FixtureWeb(BIG, *SMALL, GONE, PLAIN) as running:
        yield running


@pytest.fixture(scope="module")
def crawl(web, tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    lines = ["# the big blog first: the small ones must not wait for it", seed_url(web, 0)]
    lines += [seed_url(web, i) for i in range(1, 1 + len(SMALL))]
    lines += [
        f"{seed_url(web, 5)}   # deleted",
        seed_url(web, 6),
        REFUSED,
        "",
        seed_url(web, 1) + "  # again",
    ]
    seeds = out / "seeds.txt"
    seeds.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # A small frontier in memory: the rest of it goes to disk.
    blogarchive(
        "crawl", "--seeds", str(seeds), "-o", str(out / "out"), *FAST, "-s", "BLOGARCHIVE_FRONTIER_MEMORY=20"
    )
    return out / "out"


def test_every_post_of_every_blog_once(web, crawl):
    rows = read_posts(crawl)
    assert [r["url"] for r in rows] == expected_urls(web, range(1 + len(SMALL)))


def test_one_outcome_per_blog(web, crawl):
    records = read_blog_records(crawl / "blogs.jsonl")
    outcomes = {blog: record["outcome"] for blog, record in records.items()}
    assert outcomes == {
        **{canonicalize(seed_url(web, i)): "done" for i in range(1 + len(SMALL))},
        canonicalize(seed_url(web, 5)): "dead",
        canonicalize(seed_url(web, 6)): "unsupported_platform",
        canonicalize(REFUSED): "dead",
    }
    for i in range(1 + len(SMALL)):
        assert records[canonicalize(seed_url(web, i))]["posts"] == len(web.site(i).posts)
    stats = read_stats(crawl)
    assert stats["blogs"] == {"done": 5, "dead": 2, "unsupported_platform": 1, "opened": 8, "finished": 8,
                              "duplicate_seed": 1}  # fmt: skip


def test_small_blogs_do_not_wait_for_the_big_one(web, crawl):
    finished = [line for line in (crawl / "blogs.jsonl").read_text().splitlines() if '"done"' in line]
    assert canonicalize(seed_url(web, 0)) in finished[-1]


def test_the_frontier_beyond_its_memory_is_on_disk(crawl):
    scrapy = read_stats(crawl)["scrapy"]
    assert scrapy["scheduler/enqueued/disk"] > 20 and scrapy["scheduler/enqueued/memory"] >= 20
    assert scrapy["scheduler/enqueued/disk"] == scrapy["scheduler/dequeued/disk"]
    assert "scheduler/unserializable" not in scrapy


def test_max_posts_is_per_blog(web, tmp_path):
    out = tmp_path / "out"
    blogarchive("crawl", seed_url(web, 1), seed_url(web, 2), "--max-posts", "2", "-o", str(out), *FAST)
    per_blog: dict[str, int] = {}
    for row in read_posts(out):
        per_blog[row["blog_url"]] = per_blog.get(row["blog_url"], 0) + 1
    assert sorted(per_blog.values()) == [2, 2]
    records = read_blog_records(out / "blogs.jsonl").values()
    assert {(r["outcome"], r["limit"]) for r in records} == {("partial", "max_posts")}

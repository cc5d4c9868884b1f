"""A crawl and a build of its WARC give byte-identical shards, on every platform."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from schemas.post import SCHEMA_VERSION, schema_version_of
from tests.helpers import blogarchive, read_posts

FAST = ["-s", "AUTOTHROTTLE_ENABLED=0", "-s", "DOWNLOAD_DELAY=0", "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
PRECISIONS = {"blogspot": {"minute"}, "canalblog": {"minute", "second"}, "typepad": {"minute", "second"},
              "tumblr": {"second"}}  # fmt: skip
SITES = ["blogspot:posts=25", "canalblog:posts=20", "typepad:posts=12", "tumblr:posts=20"]


@pytest.mark.parametrize("spec", SITES, ids=lambda s: s.split(":")[0])
def test_crawl_then_build_is_byte_identical(fixture_web, tmp_path, spec):
    web = fixture_web(spec)
    out, rebuilt = tmp_path / "out", tmp_path / "rebuilt"
    # The default process pool here (one worker per core): the path users run.
    blogarchive("crawl", web.urls[0], "-o", str(out), *FAST)
    blogarchive("build", str(out / "warc"), "-o", str(rebuilt))
    crawled = sorted(p.relative_to(out) for p in (out / "data").glob("*/*.parquet"))
    built = sorted(p.relative_to(rebuilt) for p in (rebuilt / "data").glob("*/*.parquet"))
    assert crawled and crawled == built
    for path in crawled:
        assert (out / path).read_bytes() == (rebuilt / path).read_bytes(), path
        assert schema_version_of(pq.read_schema(out / path)) == SCHEMA_VERSION
    rows = read_posts(out)
    assert len(rows) == len(web.site().posts)
    assert all(row["fetched_at"] is not None and row["warc_record_id"] for row in rows)
    # Every date says how precise it is: feeds and APIs to the second (Blogger's to the minute: its
    # stamps say :00, it keeps no seconds), Canalblog and Typepad pages beyond the feed's window to
    # the minute their footer shows.
    precisions = {row["published_precision"] for row in rows if row["published"] is not None}
    assert precisions == PRECISIONS[spec.split(":")[0]]
    assert all(row["published"] is not None for row in rows)


def test_load_dataset_reads_the_crawl_output(fixture_web, tmp_path):
    import datasets

    web = fixture_web("canalblog:posts=10", "typepad:posts=6")
    out = tmp_path / "out"
    blogarchive("crawl", *web.urls, "-o", str(out), "--workers", "0", *FAST)
    everything = datasets.load_dataset(str(out), split="train")
    assert everything.num_rows == 16
    assert datasets.load_dataset(str(out), "typepad", split="train").num_rows == 6
    assert blogarchive("validate", str(out)).stdout.strip().endswith("OK")

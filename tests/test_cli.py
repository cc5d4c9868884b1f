"""CLI input validation: each bad input is one line on stderr, a non-zero exit and no traceback."""

from __future__ import annotations

import argparse

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crawler.commands.crawl import parse_duration, pool_wanted
from schemas.post import POST_SCHEMA, SCHEMA_VERSION_KEY
from tests.helpers import blogarchive

QUICK = ("-s", "BLOGARCHIVE_RETRY_BACKOFF=0", "-s", "RETRY_TIMES=0", "--workers", "0")


def one_line_error(result, *fragments: str) -> str:
    """The single error line of a failed command, checked for ``fragments``."""
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("url", "fragments"),
    [
        ("someblog.canalblog.com", ("not an http(s) URL", "did you mean http://someblog.canalblog.com?")),
        ("ftp://someblog.canalblog.com/", ("not an http(s) URL",)),
        ("http://", ("not an http(s) URL",)),
    ],
)
def test_bad_url(url, fragments, tmp_path):
    one_line_error(blogarchive("crawl", url, "-o", str(tmp_path / "out"), check=False), *fragments)


def test_output_under_a_file(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a directory")
    result = blogarchive("crawl", "http://127.0.0.1:9/", "-o", str(blocker / "out"), check=False)
    one_line_error(result, "not writable")
    result = blogarchive("crawl", "http://127.0.0.1:9/", "-o", str(blocker), check=False)
    one_line_error(result, "is not a directory")


def test_output_of_another_schema_version(tmp_path):
    out = tmp_path / "out"
    shard = out / "data" / "canalblog" / "part-00000.parquet"
    shard.parent.mkdir(parents=True)
    old = POST_SCHEMA.with_metadata({SCHEMA_VERSION_KEY: b"2.0.0"})
    pq.write_table(pa.Table.from_pylist([], schema=old), shard)
    result = blogarchive("crawl", "http://127.0.0.1:9/", "-o", str(out), check=False)
    one_line_error(result, "schema 2.0.0", "new directory")


def test_unsupported_site(fixture_web, tmp_path):
    web = fixture_web("faults:mode=plain")
    result = blogarchive("crawl", web.urls[0], "-o", str(tmp_path / "out"), *QUICK, check=False)
    one_line_error(
        result, "not a blog of a supported platform", "blogspot, canalblog, typepad, tumblr", "--platform"
    )


def test_no_seed_reachable(tmp_path):
    result = blogarchive("crawl", "http://blog.invalid/", "-o", str(tmp_path / "out"), *QUICK, check=False)
    one_line_error(result, "http://blog.invalid/", "dns error")


def test_gone_blog(fixture_web, tmp_path):
    web = fixture_web("faults:mode=gone-canalblog")
    result = blogarchive("crawl", web.urls[0], "-o", str(tmp_path / "out"), *QUICK, check=False)
    one_line_error(result, web.urls[0], "blog gone")


@pytest.mark.parametrize(("text", "seconds"), [("90", 90.0), ("90s", 90.0), ("10m", 600.0), ("1.5h", 5400.0)])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["soon", "-5", "", "10d"])
def test_bad_duration(text):
    with pytest.raises(argparse.ArgumentTypeError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("workers", "sets", "wanted"),
    [
        (None, [], True),  # the default: one worker per core
        (0, [], False),
        (2, [], True),
        (None, ["BLOGARCHIVE_WORKERS=0"], False),
        (2, [" BLOGARCHIVE_WORKERS = 0 "], False),  # -s wins over --workers, as in the settings
        (0, ["BLOGARCHIVE_WORKERS=-1"], True),
        (None, ["LOG_LEVEL=INFO"], True),
        (None, ["BLOGARCHIVE_WORKERS=many"], True),  # left to Scrapy's settings to refuse
    ],
)
def test_pool_wanted_before_scrapy_settings(workers, sets, wanted):
    """The fork server starts before Scrapy's settings exist: it must read the same choice they make."""
    assert pool_wanted(argparse.Namespace(workers=workers, set=sets)) is wanted


def test_bad_duration_on_the_command_line(tmp_path):
    result = blogarchive(
        "crawl", "http://127.0.0.1:9/", "-o", str(tmp_path), "--max-time", "soon", check=False
    )
    assert (
        result.returncode == 2
        and "not a duration: 'soon'" in result.stderr
        and "Traceback" not in result.stderr
    )

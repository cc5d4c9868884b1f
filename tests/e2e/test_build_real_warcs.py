"""``blogarchive build`` over real archive files of other tools (``tests/realwarcs``, see its README).

None holds a page of a supported blog platform: each is built for what a build must do with any archive —
read or count every record, give every capture a row or an outcome, and stop with a one-line error
(exit 2) when there is nothing to build. Then all of them at once, beside real blog pages in a WARC of
their own: every post is found, whatever the other archives hold.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.test_build_foreign_warc import PAGES, POSTS, write_foreign_warc
from tests.helpers import blogarchive, read_posts, read_stats

REALWARCS = Path(__file__).resolve().parents[1] / "realwarcs"
ARCHIVES = sorted(p.name for p in REALWARCS.iterdir() if p.name not in ("README.md", "SOURCES.tsv"))

# What each archive's records are, as the build counts them (``stats.json`` → ``warc``), where it matters.
WARC_COUNTS = {
    "browsertrix-harvester-missing_files.wacz": {"records": 68, "responses": 34},  # br-encoded ones too
    "jwarc-cc.warc.gz": {"records": 1, "responses": 1},
    "pywb-dupes.warc.gz": {
        "records": 25,
        "responses": 3,
        "revisits": 9,
        "revisit_resolved": 1,
        "revisit_unresolved": 8,
    },  # fmt: skip
    "pywb-example-wget-1-14.warc.gz": {
        "records": 6,
        "responses": 1,
        "resource_not_http": 3,
    },  # wget's own log
    "pywb-iana.warc.gz": {
        "records": 343,
        "responses": 48,
        "revisits": 123,
        "revisit_resolved": 114,
        "revisit_unresolved": 9,
    },  # fmt: skip
    "warcio-example-resource.warc.gz": {"records": 3, "resources": 1},
    "warcio-example.arc.gz": {"records": 2, "responses": 1},
}
# The responses that are a page's resources, not pages (pictures, styles, fonts, code), in the archives that hold them.
NOT_PAGES = {
    "browsertrix-harvester-missing_files.wacz": 19,
    "node-warc-books.toscrape.warc": 29,
    "pywb-dupes.warc.gz": 1,
    "pywb-iana.warc.gz": 142,
}
# Archives with nothing to build: the cause their one line gives.
NOTHING = {
    "jwarc-gzip_extra_sl.warc.gz": "no readable response record in the inputs (1 WARC records read)",
    "warcio-example-trunc.warc": "torn 1",
    "warcio-example-wrong-chunks.warc.gz": "unreadable 1",
}


@pytest.mark.parametrize("name", ARCHIVES)
def test_every_record_is_read_or_counted_and_every_capture_accounted_for(tmp_path, name):
    result = blogarchive("build", str(REALWARCS / name), "-o", str(tmp_path / "out"), "--workers", "0",
                         check=False)  # fmt: skip
    assert "Traceback" not in result.stderr
    if name in NOTHING:
        assert result.returncode == 2
        (line,) = [line for line in result.stderr.splitlines() if "error:" in line]
        assert NOTHING[name] in line and "nothing to build" in line
        return
    assert result.returncode == 0, result.stderr[-2000:]
    stats = read_stats(tmp_path / "out")
    build = stats["build"]
    assert build["captures"] > 0
    assert build.get("captures_with_rows", 0) + sum(stats["outcomes"].values()) == build["captures"]
    assert "unreadable_record" not in stats["warc"]  # br, chunked, resource, ARC: all read
    # A page's pictures, styles, fonts (typed, or binary bytes of no type) are no pages: dropped, not parsed.
    assert "binary_content" not in stats["outcomes"]
    assert stats["dropped"].get("not_a_page", 0) == NOT_PAGES.get(name, 0)
    assert {k: stats["warc"].get(k) for k in WARC_COUNTS.get(name, {})} == WARC_COUNTS.get(name, {})


def test_blog_pages_beside_other_tools_archives_are_all_found(tmp_path):
    """The rows of a WARC of real blog pages are the same built alone or beside every archive above."""
    inputs = tmp_path / "inputs"
    shutil.copytree(REALWARCS, inputs, ignore=shutil.ignore_patterns("*.md", "*.tsv"))
    write_foreign_warc(inputs / "blog.warc.gz", PAGES)
    blogarchive("build", str(inputs / "blog.warc.gz"), "-o", str(tmp_path / "alone"))
    blogarchive("build", str(inputs), "-o", str(tmp_path / "beside"))
    alone, beside = read_posts(tmp_path / "alone"), read_posts(tmp_path / "beside")
    assert set(POSTS) <= {row["url"] for row in alone}
    assert [(r["url"], r["content_hash"], len(r["comments"])) for r in beside] == [
        (r["url"], r["content_hash"], len(r["comments"])) for r in alone
    ]
    stats = read_stats(tmp_path / "beside")
    assert (
        stats["build"]["captures_with_rows"] + sum(stats["outcomes"].values()) == stats["build"]["captures"]
    )

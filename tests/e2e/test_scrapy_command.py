"""The Scrapy way works too: ``scrapy crawl <platform> -a url=...`` from the project root, or from
anywhere with ``SCRAPY_SETTINGS_MODULE=crawler.settings`` (an installed wheel has no scrapy.cfg)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.helpers import ROOT, read_posts, read_stats


@pytest.mark.parametrize("where", ["project root", "anywhere"])
def test_scrapy_crawl_with_a_platform_spider(fixture_web, tmp_path, where):
    web = fixture_web("canalblog:posts=12,seed=8")
    env = dict(os.environ)
    if where == "anywhere":  # no scrapy.cfg around: the settings module is named
        env["SCRAPY_SETTINGS_MODULE"] = "crawler.settings"
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    cwd = ROOT if where == "project root" else tmp_path
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "canalblog", "-a", f"url={web.urls[0]}",
         "-s", f"BLOGARCHIVE_OUTPUT={out}", "-s", "BLOGARCHIVE_WORKERS=0", "-s", "AUTOTHROTTLE_ENABLED=0",
         "-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=WARNING"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    rows = read_posts(out)
    assert len(rows) == 12 and {r["platform"] for r in rows} == {"canalblog"}
    assert read_stats(out)["finish_reason"] == "finished"
    assert list((out / "warc").glob("*.warc.gz"))

"""The README's Python API example runs as written (offline: a fixture blog on 127.0.0.1)."""

from __future__ import annotations

import re

import pytest

from crawler import api
from tests.helpers import ROOT


def readme_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Python API", 1)[1]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_the_readme_example_runs(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("5 posts,")
    assert "'posts': 5" in printed[2]
    assert "1.0.0" in printed[3]
    published = sorted(p.name for p in (tmp_path / "api-store").iterdir() if not p.name.startswith("."))
    assert published == ["1.0.0", "latest"]
    rebuilt = sorted(p.name for p in (tmp_path / "api-rebuilt" / "data" / "canalblog").iterdir())
    assert rebuilt == sorted(p.name for p in (tmp_path / "api-out" / "data" / "canalblog").iterdir())


def test_parse_page_of_an_unknown_platform_is_a_user_error():
    with pytest.raises(api.UserError, match="not a page of a supported platform"):
        api.parse_page("<html><body><p>hello</p></body></html>", "http://example.org/")


def test_crawl_errors_are_user_errors(tmp_path):
    with pytest.raises(api.UserError, match="not an http"):
        api.crawl(["ftp://example.org/"], tmp_path / "out")
    with pytest.raises(api.UserError, match="nothing to resume"):
        api.crawl(["http://127.0.0.1:9/"], tmp_path / "new", resume=True)

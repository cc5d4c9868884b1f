"""Security edges: private networks behind redirects, Markdown from URLs, Scrapy's remote console."""

from __future__ import annotations

import pytest
from scrapy.settings import Settings

from crawler.middlewares import redirect_problem
from crawler.release.changelog import markdown_literal
from crawler.urls import on_private_network


@pytest.mark.parametrize(
    "target",
    ["http://10.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/", "http://[::1]/",
     "http://localhost/", "http://192.168.1.1/", "http://[::ffff:10.0.0.1]/"],
)  # fmt: skip
def test_a_public_home_never_redirects_into_a_private_network(target):
    origin = "http://someblog.canalblog.com/"
    assert on_private_network(target)
    assert redirect_problem(origin, target, [origin], feed=True) == "redirect_private"


def test_a_seed_on_a_private_network_may_move_within_it():
    origin = "http://127.0.0.1:8000/"
    assert redirect_problem(origin, "http://127.0.0.1:8001/", [origin], feed=True) is None
    assert not on_private_network("http://8.8.8.8/") and not on_private_network("http://blog.example/")


def test_urls_in_markdown_are_text_not_links():
    url = "http://x.canalblog.com/a/[x](javascript:alert(1))`\n# injected"
    literal = markdown_literal(url)
    assert literal.startswith("`") and literal.endswith("`") and literal.count("`") == 2
    assert "\n" not in literal


def test_scrapy_remote_consoles_are_off():
    settings = Settings()
    settings.setmodule("crawler.settings")
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False

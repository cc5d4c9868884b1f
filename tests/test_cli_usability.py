"""What a user sees: --version, fast --help, log options, extras, and the rough edges of issue 17."""

from __future__ import annotations

import subprocess
import sys

import pytest

from crawler import __version__
from crawler.cli import build_parser, load_commands, resolve_level
from crawler.commands.demo import MARKER, prepare_output
from crawler.errors import UserError, require
from tests.helpers import ROOT, blogarchive
from tests.test_cli import one_line_error

HEAVY = ("scrapy", "twisted", "pyarrow", "numpy", "redis", "scrapy_redis", "matplotlib", "huggingface_hub",
         "datasets", "trafilatura", "lxml")  # fmt: skip


def test_version():
    result = blogarchive("--version")
    assert result.stdout.strip() == f"blogarchive {__version__}"


def test_help_imports_no_heavy_dependency():
    """What makes ``--help`` fast: building every command's parser imports none of them."""
    code = (
        "import sys; from crawler import cli; cli.build_parser(cli.load_commands());"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("argv", "level"),
    [
        (["stats", "x"], "INFO"),
        (["-v", "stats", "x"], "DEBUG"),
        (["stats", "x", "-q"], "WARNING"),
        (["-qq", "stats", "x"], "ERROR"),
        (["-q", "stats", "x", "--loglevel", "debug"], "DEBUG"),
        (["--loglevel", "error", "stats", "x"], "ERROR"),
    ],
)
def test_log_level_options(argv, level):
    assert resolve_level(build_parser(load_commands()).parse_args(argv)) == level


def test_bad_log_level_is_one_line():
    result = blogarchive("--loglevel", "foo", "stats", ".", check=False)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "invalid level 'foo'" in result.stderr.splitlines()[-1]


def test_stats_and_validate_on_a_folder_that_is_no_output(tmp_path):
    one_line_error(blogarchive("stats", str(tmp_path), check=False), "not a crawl output or snapshot")
    one_line_error(blogarchive("validate", str(tmp_path), check=False), "no shards")


def test_missing_extra_names_it():
    with pytest.raises(UserError) as error:
        require("no_such_module_blogarchive", "chart", "the card's chart")
    assert str(error.value) == (
        "the card's chart needs no_such_module_blogarchive, which is not installed: "
        "pip install 'blogarchive[chart]'"
    )
    require("json", "chart", "nothing")  # installed: no error


def test_demo_never_deletes_a_folder_it_did_not_make(tmp_path):
    mine = tmp_path / "thesis"
    mine.mkdir()
    (mine / "chapter1.tex").write_text("precious")
    with pytest.raises(UserError, match="not made by the demo"):
        prepare_output(mine)
    assert (mine / "chapter1.tex").read_text() == "precious"

    demo = tmp_path / "demo-out"
    prepare_output(demo)
    (demo / "stale.parquet").write_text("from the last demo")
    prepare_output(demo)  # its own folder: replaced
    assert sorted(p.name for p in demo.iterdir()) == [MARKER]


def test_crawl_log_is_about_the_crawl(fixture_web, tmp_path):
    """Scrapy's start-up chatter is DEBUG; -q keeps warnings only; --logfile takes the log."""
    web = fixture_web("canalblog:posts=3,seed=2")
    fast = ("--parse-processes", "0", "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0")
    result = blogarchive("crawl", web.urls[0], "-o", str(tmp_path / "a"), *fast)
    assert "blog 1 finished" in result.stderr
    for chatter in ("Enabled extensions", "Overridden settings", "Scrapy 2.", "Dumping Scrapy stats"):
        assert chatter not in result.stderr
    log = tmp_path / "crawl.log"
    quiet = blogarchive("-q", "crawl", web.urls[0], "-o", str(tmp_path / "b"), "--logfile", str(log), *fast)
    assert "INFO" not in quiet.stderr and "blog 1 finished" not in log.read_text()
    verbose = blogarchive("crawl", web.urls[0], "-o", str(tmp_path / "c"), "-v", *fast)
    assert "Enabled extensions" in verbose.stderr

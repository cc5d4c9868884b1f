"""What a user sees: --version, fast --help, log options, extras, and the rough edges of issue 17."""

from __future__ import annotations

import json
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
    result = blogarchive(
        "crawl", web.urls[0], "-o", str(tmp_path / "a"), *fast, env={"BLOGARCHIVE_CONTACT": ""}
    )
    assert "blog 1 finished" in result.stderr
    assert "BLOGARCHIVE_CONTACT is not set" in result.stderr
    for chatter in ("Enabled extensions", "Overridden settings", "Scrapy 2.", "Dumping Scrapy stats"):
        assert chatter not in result.stderr
    log = tmp_path / "crawl.log"
    quiet = blogarchive("-q", "crawl", web.urls[0], "-o", str(tmp_path / "b"), "--logfile", str(log), *fast,
                        env={"BLOGARCHIVE_CONTACT": "me@example.org"})  # fmt: skip
    assert "INFO" not in quiet.stderr and "blog 1 finished" not in log.read_text()
    assert "BLOGARCHIVE_CONTACT" not in log.read_text()
    verbose = blogarchive("crawl", web.urls[0], "-o", str(tmp_path / "c"), "-v", *fast)
    assert "Enabled extensions" in verbose.stderr


@pytest.mark.parametrize(
    ("url", "cdx", "reason"),
    [
        ("http://127.0.0.1:8000/", "https://web.archive.org/cdx/search/cdx", "private or loopback"),
        ("http://192.168.1.20/blog/", "https://web.archive.org/cdx/search/cdx", "private or loopback"),
        ("http://localhost/", "https://web.archive.org/cdx/search/cdx", "private or loopback"),
        ("http://127.0.0.1:8000/", "http://127.0.0.1:9000/cdx", None),  # a local archive may hold it
        ("https://someblog.canalblog.com/", "https://web.archive.org/cdx/search/cdx", None),
    ],
)
def test_when_the_archive_cannot_hold_a_blog(url, cdx, reason):
    from crawler.wayback.cdx import WaybackConfig, unarchivable_reason

    found = unarchivable_reason(url, "canalblog", WaybackConfig(cdx=cdx))
    assert (found is None) if reason is None else (reason in found)
    assert "no known platform" in unarchivable_reason("http://www.exemple.fr/", None, WaybackConfig())


def test_a_gone_loopback_blog_fails_fast_with_its_own_cause(fixture_web, tmp_path):
    """The Wayback fallback is on (the public archive): a loopback blog is not looked for there."""
    web = fixture_web("faults:mode=gone-canalblog")
    result = blogarchive("crawl", web.urls[0], "-o", str(tmp_path / "out"), "--parse-processes", "0",
                         "-s", "BLOGARCHIVE_WAYBACK_CDX=https://web.archive.org/cdx/search/cdx",
                         "-s", "RETRY_TIMES=0", timeout=120, check=False)  # fmt: skip
    one_line_error(result, web.urls[0], "blog gone")
    assert "not looking in the Wayback Machine" in result.stderr
    assert "falling back" not in result.stderr


def test_an_unreachable_archive_is_said_so(fixture_web, tmp_path):
    """The archive's name does not resolve: no retries, and not "holds no capture"."""
    web = fixture_web("canalblog:posts=2,seed=1")
    result = blogarchive("crawl", web.urls[0], "-o", str(tmp_path / "out"), "--source", "wayback",
                         "--platform", "canalblog", "--parse-processes", "0",
                         "-s", "BLOGARCHIVE_WAYBACK_CDX=http://archive.invalid/cdx", timeout=120, check=False)  # fmt: skip
    assert "the Wayback Machine could not be reached (dns error)" in result.stderr, result.stderr[-2000:]
    assert "holds no capture" not in result.stderr
    assert "Retrying" not in result.stderr


def test_progress_counts_leave_robots_refusals_out_of_errors():
    from crawler.extensions import pending_requests, progress_counts

    stats = {"blogarchive/rows/origin_0": 7, "blogarchive/pages/post": 7, "blogarchive/pages/listing": 3,
             "blogarchive/errors/http_500": 2, "blogarchive/outcome/robots_forbidden": 4,
             "blogarchive/blogs/finished": 1}  # fmt: skip
    assert progress_counts(stats) == {"posts": 7, "pages": 10, "errors": 2, "blogs": 1}

    class Scheduler:
        def __len__(self) -> int:
            return 5

    class Engine:
        _slot = type("Slot", (), {"scheduler": Scheduler()})()
        downloader = type("Downloader", (), {"active": {1, 2}})()

    assert pending_requests(Engine()) == 7


def test_ctrl_c_stops_and_says_how_to_resume(tmp_path):
    import signal
    import time

    from tests.fixtureweb.base import Reply, make_site
    from tests.fixtureweb.server import start

    site = make_site("canalblog", posts=80, seed=9)
    served: list[str] = []
    answer = site.handle

    def counted(path: str, headers: dict[str, str]) -> Reply:
        served.append(path)
        return answer(path, headers)

    site.handle = counted  # type: ignore[method-assign]
    (server,) = start([site])  # in this process: the test sees the crawl's requests
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "crawler.cli", "crawl", site.base_url, "-o", str(out), "--parse-processes", "0",
            "-s", "DOWNLOAD_DELAY=0.2", "-s", "AUTOTHROTTLE_ENABLED=0", "-s", "BLOGARCHIVE_WAYBACK_FALLBACK=False"]  # fmt: skip
    crawl = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    # Ctrl-C once the crawl is under way: a fixed wait interrupted a slow start-up on a loaded machine.
    while len(served) < 5 and time.monotonic() < deadline:
        time.sleep(0.1)
    asked = time.monotonic()
    crawl.send_signal(signal.SIGINT)
    _, stderr = crawl.communicate(timeout=120)
    stopped = time.monotonic() - asked
    assert crawl.returncode == 130, stderr[-2000:]
    assert "run the same command again to resume" in stderr
    assert stopped < 30, stopped  # in-flight downloads end, the shards are written; no waiting for the queue
    resume = [*argv, "-s", "DOWNLOAD_DELAY=0"]  # the rest of the crawl: no need to be slow
    again = subprocess.run(resume, cwd=ROOT, capture_output=True, text=True, timeout=300)
    server.shutdown()
    assert again.returncode == 0 and len(list(out.glob("data/canalblog/*.parquet"))) == 1


def test_max_posts_stops_walking_listings(fixture_web, tmp_path):
    from tests.helpers import read_posts, read_stats

    web = fixture_web("canalblog:posts=60,seed=4")
    out = tmp_path / "out"
    blogarchive("crawl", web.urls[0], "-o", str(out), "--max-posts", "5", "--parse-processes", "0",
                "-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=0")  # fmt: skip
    stats = read_stats(out)
    assert stats["posts"] == len(read_posts(out)) == 5
    assert stats["scrapy"]["blogarchive/links/listing_after_max_posts"] > 0
    assert stats["pages"].get("listing", 0) <= 3, stats["pages"]


@pytest.mark.parametrize(
    ("env", "shown"), [({}, "progress: "), ({"BLOGARCHIVE_PROGRESS_BAR": "1", "COLUMNS": "250"}, "━")]
)
def test_snapshot_and_publish_show_their_progress(tmp_path, env, shown):
    from tests.crawl_outputs import crawl1_posts, write_crawl

    out = write_crawl(tmp_path / "crawl", crawl1_posts())
    snap = tmp_path / "snap"
    made = blogarchive("snapshot", str(out), "--version", "1.0.0", "-o", str(snap), env=env)
    # A step per platform (blogspot, canalblog, tumblr), the media, the card.
    assert "steps 5/5" in made.stderr and shown in made.stderr
    files = len(json.loads((snap / "manifest.json").read_text(encoding="utf-8"))["files"])
    published = blogarchive("publish", str(snap), "--to", str(tmp_path / "store"), env=env)
    assert f"files {files}/{files}" in published.stderr and shown in published.stderr

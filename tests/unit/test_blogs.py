"""Per-blog accounting: pending requests, outcomes, limits, room for the next seed, OUT/blogs.jsonl."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
import scrapy
from scrapy.settings import Settings

from crawler.blogs import (
    META_BLOG,
    BlogAccountingMiddleware,
    BlogBook,
    BlogState,
    Outcome,
    blog_outcome,
    home_result,
    read_blog_records,
    slot_key,
)
from schemas.origins import Origin
from schemas.outcomes import FALLBACK_OUTCOMES, GONE
from schemas.segment import ORIGIN

SEED = "http://cuisine.canalblog.com"
BLOG = "https://cuisine.canalblog.com/"


class Stats(dict):
    def inc_value(self, key, count=1):
        self[key] = self.get(key, 0) + count

    def get_value(self, key, default=None):
        return self.get(key, default)

    def set_value(self, key, value):
        self[key] = value


def make_book(tmp_path, **settings) -> BlogBook:
    values = {
        "BLOGARCHIVE_OUTPUT": str(tmp_path),
        "BLOGARCHIVE_CONCURRENT_BLOGS": 2,
        "BLOGARCHIVE_MAX_POSTS": 0,
    }
    crawler = SimpleNamespace(settings=Settings({**values, **settings}), stats=Stats(), spider=None)
    return BlogBook(crawler)


def request_of(blog: str, path: str = "/") -> scrapy.Request:
    return scrapy.Request(blog + path.lstrip("/"), meta={META_BLOG: blog})


def records(tmp_path) -> dict:
    return read_blog_records(tmp_path / "blogs.jsonl")


def test_a_blog_finishes_when_its_last_request_ends(tmp_path):
    book = make_book(tmp_path)
    assert book.open(SEED) == BLOG
    home = request_of(BLOG)
    book.track(home)
    book.page(home, "home", "canalblog", None, 200)
    post, listing = request_of(BLOG, "/archives/1.html"), request_of(BLOG, "/archives/p2")
    book.track(post, parent=home)
    book.track(listing, parent=home)
    book.done(home)
    book.request_dropped(listing, None)  # a duplicate
    book.row(post, {ORIGIN: Origin.PERMALINK, "url": post.url, "blog_url": BLOG})
    book.row(post, {ORIGIN: Origin.LISTING, "url": post.url, "blog_url": BLOG})
    assert BLOG in book.active and not records(tmp_path)
    book.failed(post, "post", "http_500")
    record = records(tmp_path)[BLOG]
    assert record["outcome"] == "partial" and record["errors"] == {"http_500": 1}
    assert (record["platform"], record["posts"], record["pages"], record["seed"]) == ("canalblog", 1, 1, SEED)
    assert book.crawler.stats["blogarchive/blogs/partial"] == 1 and not book.active


def test_retries_and_redirects_continue_the_request_they_copy(tmp_path):
    book = make_book(tmp_path)
    book.open(SEED)
    home = request_of(BLOG)
    book.track(home)
    retry = home.replace(url=BLOG + "?again")
    book.track(retry)  # a copy: already counted
    assert book.active[BLOG].pending == 1
    book.done(retry)
    book.done(retry)  # an errback after a spider-input error, then the middleware: counted once
    assert records(tmp_path)[BLOG]["outcome"] == "partial"  # the home page never answered


def test_a_repeated_seed_is_crawled_once(tmp_path):
    book = make_book(tmp_path)
    assert book.open(SEED) == BLOG
    assert book.open(BLOG) is None
    assert book.crawler.stats["blogarchive/blogs/duplicate_seed"] == 1


def test_the_post_limit_is_per_blog(tmp_path):
    book = make_book(tmp_path, BLOGARCHIVE_MAX_POSTS=2)
    book.open(SEED)
    book.open("http://voyages.canalblog.com/")
    assert book.take_post(BLOG, "p1") and book.take_post(BLOG, "p2") and not book.take_post(BLOG, "p3")
    assert book.take_post("https://voyages.canalblog.com/", "p4")
    assert book.active[BLOG].limit == "max_posts"


def test_the_next_seed_waits_for_room(tmp_path):
    book = make_book(tmp_path, BLOGARCHIVE_CONCURRENT_BLOGS=1)

    async def scenario() -> None:
        book.open(SEED)
        home = request_of(BLOG)
        book.track(home)
        waiting = asyncio.ensure_future(book.room())
        await asyncio.sleep(0.01)
        assert not waiting.done()
        book.page(home, "home", "canalblog", None, 200)
        book.done(home)
        await asyncio.wait_for(waiting, 1)

    asyncio.run(scenario())
    assert records(tmp_path)[BLOG]["outcome"] == "done"


def test_blogs_still_open_at_the_end_are_recorded(tmp_path):
    book = make_book(tmp_path)
    book.open(SEED)
    book.track(request_of(BLOG))
    book.spider_closed(None, "shutdown")
    assert records(tmp_path)[BLOG]["outcome"] == "partial"
    assert "blogarchive/blogs/accounting_leak" not in book.crawler.stats


def state(**fields) -> BlogState:
    return BlogState(BLOG, SEED, datetime(2026, 1, 1, tzinfo=timezone.utc), **fields)


@pytest.mark.parametrize(
    ("fields", "interrupted", "outcome"),
    [({"home": "ok"}, False, Outcome.DONE), ({"home": "ok", "limit": "max_posts"}, False, Outcome.PARTIAL),
     ({"home": "ok"}, True, Outcome.PARTIAL), ({"home": None}, False, Outcome.PARTIAL),
     ({"home": "ok", "errors": {"timeout": 2}}, False, Outcome.PARTIAL),
     ({"home": "ok", "errors": {"robots_forbidden": 3}}, False, Outcome.DONE),
     ({"home": "dns_error"}, False, Outcome.DEAD), ({"home": "blog_gone"}, False, Outcome.DEAD),
     ({"home": "http_410"}, False, Outcome.DEAD), ({"home": "robots_forbidden"}, False, Outcome.ROBOTS),
     ({"home": "unsupported_platform"}, False, Outcome.UNSUPPORTED)],
)  # fmt: skip
def test_blog_outcome(fields, interrupted, outcome):
    if "errors" in fields:
        fields["errors"] = Counter(fields["errors"])
    assert blog_outcome(state(**fields), interrupted) is outcome


@pytest.mark.parametrize(
    ("args", "home"),
    [(("post", "canalblog", None, 200), None), (("home", "canalblog", None, 200), "ok"),
     (("home", None, None, 200), "unsupported_platform"), (("home", "typepad", "blog_gone", 200), "blog_gone"),
     (("home", "tumblr", None, 404), "http_404"), (("home", "canalblog", "empty", 200), "ok"),
     (("home", "typepad", "challenge", 403), "challenge"), (("home", "blogspot", "login_wall", 200), "login_wall")],
)  # fmt: skip
def test_home_result(args, home):
    assert home_result(*args) == home


def test_slot_key_is_host_and_port():
    assert slot_key("http://127.0.0.1:8042/a") == "127.0.0.1:8042"
    assert slot_key("https://Cuisine.Canalblog.com/archives/") == "cuisine.canalblog.com"


def test_the_middleware_counts_what_a_callback_yields(tmp_path):
    book = make_book(tmp_path)
    book.open(SEED)
    home = request_of(BLOG)
    book.track(home)
    response = scrapy.http.HtmlResponse(BLOG, body=b"<html></html>", request=home)
    middleware = BlogAccountingMiddleware(SimpleNamespace(spider=SimpleNamespace(blogs=book)))
    child = scrapy.Request(BLOG + "archives/1.html")
    row = {ORIGIN: Origin.PERMALINK, "url": BLOG + "archives/1.html", "blog_url": BLOG}

    async def callback_output():
        yield child
        yield row

    async def run() -> list:
        return [output async for output in middleware.process_spider_output(response, callback_output())]

    assert asyncio.run(run()) == [child, row]
    assert child.meta[META_BLOG] == BLOG
    assert (
        book.active[BLOG].pending == 1 and book.active[BLOG].run_posts == 1
    )  # the home ended, the child waits
    book.done(child)
    assert json.loads((tmp_path / "blogs.jsonl").read_text())["posts"] == 1


def test_robots_refusals_are_skipped_pages_not_errors():
    from datetime import datetime, timezone

    from crawler.blogs import BlogState, blog_outcome, blog_record

    state = BlogState("http://b.example/", "http://b.example/", datetime(2026, 1, 1, tzinfo=timezone.utc))
    state.home = "ok"
    state.errors.update({"robots_forbidden": 2, "http_500": 1})
    record = blog_record(state, blog_outcome(state), datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert record["errors"] == {"http_500": 1} and record["skipped"] == {"robots_forbidden": 2}


def test_a_resumed_blog_counts_the_posts_of_earlier_runs_once(tmp_path):
    from crawler.ledger import Ledger

    ledger = Ledger(tmp_path / "ledger.sqlite")
    done = [{"url": f"{BLOG}archives/{i}.html", "id": str(i), "blog_url": BLOG} for i in (1, 2)]
    ledger.mark_fetched(
        [*done, {"url": "https://other.canalblog.com/archives/9.html", "id": "9", "blog_url": "x"}]
    )
    book = make_book(tmp_path)
    book.crawler.ledger = ledger
    book.open(SEED)
    home = request_of(BLOG)
    book.track(home)
    book.page(home, "home", "canalblog", None, 200)
    for i in (2, 3):  # post 2 was done by the interrupted run and fetched again, post 3 is new
        book.row(home, {ORIGIN: Origin.PERMALINK, "url": f"{BLOG}archives/{i}.html", "blog_url": BLOG})
    book.done(home)
    record = records(tmp_path)[BLOG]
    assert (record["posts"], record["run_posts"]) == (3, 2)
    ledger.close()


def test_a_login_wall_is_dead_but_not_sent_to_the_archive():
    assert {"blog_gone", "login_wall", "challenge"} <= GONE
    assert GONE - {"login_wall"} == FALLBACK_OUTCOMES

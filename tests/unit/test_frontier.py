"""The Redis frontier of distributed crawls: leases, atomic dedup, fair per-slot queue, dead-worker recovery."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
import scrapy

from crawler.blogs import META_BLOG, META_COUNTED
from crawler.distributed.frontier import Frontier
from crawler.distributed.leases import META_LEASE, seed_lease
from crawler.distributed.scheduler import LeaseQueue
from crawler.parsers.base import LinkKind
from crawler.spiders.base import BlogSpider
from crawler.warc import META_HINT, META_KIND, META_PLATFORM
from tests.redis_server import RedisServer

BLOG = "http://a.example/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with RedisServer(tmp_path_factory.mktemp("redis")) as running:
        yield running


@pytest.fixture
def client(server):
    client = server.client()
    client.flushall()
    return client


def frontier(client, worker: str = "w1") -> Frontier:
    return Frontier(client, worker)


def push(
    f: Frontier, url: str, fp: str | None = None, priority: int = 0, fresh: bool = True, release: str = ""
):
    return f.push(url.encode(), url if fp is None else fp, priority, url, BLOG, fresh, release)


def pending(client) -> int:
    return int(client.hget("blogarchive:pending", BLOG) or 0)


def test_a_popped_request_is_leased_until_acked(client):
    f = frontier(client)
    f.beat(30)
    assert push(f, "http://a.example/1") == (1, 1)
    lease, data = f.pop()
    assert data == b"http://a.example/1"
    assert f.queued() == 0 and client.hlen("blogarchive:leases:w1") == 1
    assert not f.idle()
    assert f.ack(lease, BLOG) == 0
    assert f.idle()
    assert f.pop() is None


def test_the_duplicate_check_and_the_push_are_one_step(client):
    f = frontier(client)
    assert push(f, "http://a.example/1") == (1, 1)
    assert push(f, "http://a.example/1") == (0, 1)  # seen: not queued, not counted
    assert push(f, "http://a.example/1", fp="") == (0, 1)  # unfiltered, but the same bytes are queued already
    assert f.queued() == 1


def test_slots_are_served_in_turn_and_by_priority_within_a_slot(client):
    f = frontier(client)
    for n in range(4):
        push(f, f"http://big.example/{n}", priority=n)
    push(f, "http://small.example:8080/a")
    push(f, "http://small.example:8080/b")
    order = [f.pop()[1].decode() for _ in range(6)]
    assert order == ["http://big.example/3", "http://small.example:8080/a", "http://big.example/2",
                     "http://small.example:8080/b", "http://big.example/1", "http://big.example/0"]  # fmt: skip
    assert f.pop() is None and f.queued() == 0


def test_a_dead_workers_requests_and_seeds_go_back(client):
    dead, alive = frontier(client, "dead"), frontier(client, "alive")
    dead.beat(0.001)
    alive.beat(30)
    f = frontier(client)
    f.push_seeds(["http://s1.example/", "http://s2.example/"])
    push(f, "http://a.example/1", priority=5)
    push(f, "http://a.example/2")
    assert dead.pop_seed() == "http://s1.example/"
    dead.pop(), dead.pop()
    assert not alive.idle()
    # Its 1 ms heartbeat may outlive the calls above on a fast machine: wait until it has expired (bounded).
    deadline = time.monotonic() + 2
    while client.exists(dead.keys.alive(dead.worker)) and time.monotonic() < deadline:
        time.sleep(0.001)
    assert alive.reap() == {"dead": 3}
    assert client.lrange("blogarchive:seeds", 0, -1) == [b"http://s1.example/", b"http://s2.example/"]
    assert [alive.pop()[1] for _ in range(2)] == [b"http://a.example/1", b"http://a.example/2"]
    assert pending(client) == 2  # still counted: the requeued copies carry them on


def test_a_copy_made_by_a_retry_or_redirect_continues_its_lease(client):
    f = frontier(client)
    push(f, "http://a.example/1")
    lease, _ = f.pop()
    assert push(f, "http://a.example/1?retry", fresh=False, release=lease) == (1, 1)
    assert client.hlen("blogarchive:leases:w1") == 0
    lease, _ = f.pop()
    # A redirect to a page already seen: the request ends there.
    assert push(f, "http://a.example/1", fresh=False, release=lease) == (0, 0)


def test_a_copy_is_dropped_when_the_lease_was_given_back_meanwhile(client):
    f = frontier(client)
    push(f, "http://a.example/1")
    lease, _ = f.pop()
    f.requeue("w1")
    assert push(f, "http://a.example/2", fresh=False, release=lease) == (-1, -1)
    assert f.queued() == 1 and f.ack(lease, BLOG) == -1 and pending(client) == 1


def test_a_seed_is_leased_until_its_home_request_is_queued(client):
    f = frontier(client)
    assert f.push_seeds(["http://s1.example/", "http://s1.example/", "http://s2.example/"]) == (2, 1)
    assert f.push_seeds(["http://s2.example/"]) == (0, 1)
    url = f.pop_seed()
    assert client.hkeys("blogarchive:leases:w1") == [seed_lease(url).encode()]
    assert push(f, url, release=seed_lease(url)) == (1, 1)
    assert client.hlen("blogarchive:leases:w1") == 0


def test_the_post_limit_counts_distinct_posts_across_workers(client):
    one, two = frontier(client, "one"), frontier(client, "two")
    assert one.take_post(BLOG, "p1", 2) and two.take_post(BLOG, "p1", 2) and two.take_post(BLOG, "p2", 2)
    assert not one.take_post(BLOG, "p3", 2)
    assert client.hget(f"blogarchive:blog:{BLOG}", "limit") == b"max_posts"


def test_reset_forgets_the_crawl(client):
    f = frontier(client)
    f.push_seeds(["http://s1.example/"])
    push(f, "http://a.example/1")
    client.set("other:key", 1)
    assert f.reset() >= 4
    assert f.status()["requests_queued"] == 0 and client.exists("other:key")


def test_requests_survive_the_trip_through_redis(client):
    spider = BlogSpider(url="http://a.example/")
    spider.frontier = frontier(client)
    spider.blogs = SimpleNamespace(settled=lambda blog: None)
    queue = LeaseQueue(client, spider, "blogarchive:requests")
    hint = {
        "url": "http://a.example/2009/01/x.html",
        "tags": ["Cuisine"],
        "published": "2009-01-02T10:00:00+00:00",
    }
    meta = {META_KIND: LinkKind.POST.value, META_PLATFORM: "canalblog", META_HINT: hint, META_BLOG: BLOG,
            "download_slot": "a.example"}  # fmt: skip
    request = scrapy.Request(
        hint["url"], callback=spider.parse_capture, errback=spider.on_error, meta=meta, priority=20
    )
    assert queue.push(request, "fp") == 1
    got = queue.pop()
    assert got.url == request.url and got.priority == request.priority
    assert got.callback == spider.parse_capture and got.errback == spider.on_error
    assert LinkKind(got.meta[META_KIND]) is LinkKind.POST
    assert got.meta[META_HINT] == hint and got.meta[META_PLATFORM] == "canalblog"
    assert got.meta[META_BLOG] == BLOG and got.meta[META_COUNTED] and got.meta[META_LEASE]
    assert got.meta["download_slot"] == "a.example"

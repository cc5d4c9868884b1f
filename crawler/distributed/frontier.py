"""The shared frontier of a distributed crawl, in Redis, on scrapy-redis: seeds, requests, leases.

Workers (``blogarchive worker``) share one request queue and one duplicate filter
(scrapy-redis's ``RFPDupeFilter`` fingerprints in ``<prefix>:dupefilter``). What this adds
to scrapy-redis, each in one Lua script (:mod:`crawler.distributed.scripts`) so that a worker
killed at any instant loses nothing:

- **Leases.** A request popped by a worker is moved, in the same step, into the worker's
  lease hash ``<prefix>:leases:<worker>``; it leaves it only once the request is durable
  (its callback ended, the requests it made are in the queue, its rows are in a flushed
  segment). Every worker keeps ``<prefix>:alive:<worker>`` alive with a TTL; the others
  put the leases of a worker whose key expired back in the queue. Seeds taken from
  ``<prefix>:seeds`` are leased the same way until their home request is queued.
- **Atomic duplicate filter.** Checking the fingerprint and queueing the request are one
  step: a crash between the two would leave a URL marked seen but never fetched.
- **Fair queue.** One priority queue per download slot (host:port), served in turn, so a
  blog with 100,000 posts does not hold back the others.
- **Per-blog counts.** ``<prefix>:pending`` counts each blog's requests not yet durable;
  when it falls to zero the blog is finished (see :mod:`crawler.distributed.book`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from redis import Redis, RedisError

from crawler.blogs import blog_key, slot_key
from crawler.defaults import REDIS_PREFIX
from crawler.distributed.scripts import ACK, IDLE, POP, POP_SEED, PUSH, REQUEUE, TAKE_POST
from crawler.errors import UserError

DEFAULT_PREFIX = REDIS_PREFIX


def connect(url: str) -> Redis:
    """A Redis client that answered PING, or a UserError that says where it failed."""
    try:
        server = Redis.from_url(url)
        server.ping()
    except (RedisError, ValueError) as exc:
        raise UserError(f"cannot use Redis at {url}: {exc}") from None
    return server


@dataclass(frozen=True)
class Keys:
    """Every Redis key of one distributed crawl, under one prefix."""

    prefix: str = DEFAULT_PREFIX

    @property
    def seeds(self) -> str:
        return f"{self.prefix}:seeds"

    @property
    def seeded(self) -> str:
        return f"{self.prefix}:seeded"

    @property
    def queue_prefix(self) -> str:
        return f"{self.prefix}:requests:"

    @property
    def slots(self) -> str:
        return f"{self.prefix}:slots"

    @property
    def slot_set(self) -> str:
        return f"{self.prefix}:slotset"

    @property
    def queued(self) -> str:
        return f"{self.prefix}:queued"

    @property
    def dupefilter(self) -> str:
        return f"{self.prefix}:dupefilter"

    @property
    def pending(self) -> str:
        return f"{self.prefix}:pending"

    @property
    def active(self) -> str:
        return f"{self.prefix}:active"

    @property
    def workers(self) -> str:
        return f"{self.prefix}:workers"

    @property
    def finished(self) -> str:
        return f"{self.prefix}:blogs"

    @property
    def permalinks(self) -> str:
        return f"{self.prefix}:permalinks"

    @property
    def leases_prefix(self) -> str:
        return f"{self.prefix}:leases:"

    def leases(self, worker: str) -> str:
        return self.leases_prefix + worker

    def alive(self, worker: str) -> str:
        return f"{self.prefix}:alive:{worker}"

    def blog(self, blog: str) -> str:
        return f"{self.prefix}:blog:{blog}"

    def blog_posts(self, blog: str) -> str:
        return f"{self.prefix}:blogposts:{blog}"


class Frontier:
    """One worker's handle on the shared frontier (also used by ``blogarchive seed``)."""

    def __init__(self, server: Redis, worker: str = "", prefix: str = DEFAULT_PREFIX) -> None:
        self.server = server
        self.worker = worker
        self.keys = Keys(prefix)
        self._push = server.register_script(PUSH)
        self._pop = server.register_script(POP)
        self._ack = server.register_script(ACK)
        self._requeue = server.register_script(REQUEUE)
        self._pop_seed = server.register_script(POP_SEED)
        self._take_post = server.register_script(TAKE_POST)
        self._idle = server.register_script(IDLE)

    # -- requests

    def push(self, data: bytes, fingerprint: str, priority: int, url: str, blog: str, fresh: bool,
             release: str) -> tuple[int, int]:  # fmt: skip
        """Queue a request unless seen; returns (status, the blog's pending count) as PUSH says."""
        k = self.keys
        slot = slot_key(url)
        status, pending = self._push(
            keys=[
                k.dupefilter,
                k.queue_prefix + slot,
                k.slots,
                k.slot_set,
                k.queued,
                k.pending,
                k.leases(self.worker),
            ],
            args=[fingerprint, data, -priority, slot, blog, "1" if fresh else "0", release],
        )
        return int(status), int(pending)

    def pop(self) -> tuple[str, bytes] | None:
        """The next request (lease id, data), taken in turn from each slot's queue, leased to us."""
        k = self.keys
        found = self._pop(keys=[k.slots, k.slot_set, k.queued, k.leases(self.worker)], args=[k.queue_prefix])
        if not found:
            return None
        lease, data = found
        return lease.decode() if isinstance(lease, bytes) else lease, data

    def ack(self, lease: str, blog: str) -> int:
        """A leased request is durable: drop the lease; the blog's pending count afterwards (-1: none)."""
        return int(self._ack(keys=[self.keys.leases(self.worker), self.keys.pending], args=[lease, blog]))

    def queued(self) -> int:
        return int(self.server.get(self.keys.queued) or 0)

    # -- seeds

    def push_seeds(self, urls: Iterable[str], batch: int = 1000) -> tuple[int, int]:
        """Append seeds of blogs not seeded yet to the seed list; returns (pushed, already seeded)."""
        pushed = known = 0
        chunk: list[str] = []
        for url in urls:
            chunk.append(url)
            if len(chunk) >= batch:
                new, old = self._push_seed_chunk(chunk)
                pushed, known, chunk = pushed + new, known + old, []
        if chunk:
            new, old = self._push_seed_chunk(chunk)
            pushed, known = pushed + new, known + old
        return pushed, known

    def _push_seed_chunk(self, urls: list[str]) -> tuple[int, int]:
        pipe = self.server.pipeline()
        for url in urls:
            pipe.sadd(self.keys.seeded, blog_key(url))
        fresh = [url for url, added in zip(urls, pipe.execute()) if added]
        if fresh:
            self.server.rpush(self.keys.seeds, *fresh)
        return len(fresh), len(urls) - len(fresh)

    def pop_seed(self) -> str | None:
        """The next seed URL, leased to us until its home request is queued."""
        url = self._pop_seed(keys=[self.keys.seeds, self.keys.leases(self.worker)])
        return url.decode() if isinstance(url, bytes) else url

    # -- blogs

    def take_post(self, blog: str, post_id: str, maximum: int) -> bool:
        k = self.keys
        return bool(self._take_post(keys=[k.blog_posts(blog), k.blog(blog)], args=[post_id, maximum]))

    def have_permalinks(self, post_ids: list[str], batch: int = 10_000) -> set[str]:
        """Those of ``post_ids`` whose own page some worker holds."""
        found: set[str] = set()
        for start in range(0, len(post_ids), batch):
            chunk = post_ids[start : start + batch]
            found.update(
                p for p, held in zip(chunk, self.server.smismember(self.keys.permalinks, chunk)) if held
            )
        return found

    # -- workers

    def beat(self, ttl: float) -> None:
        pipe = self.server.pipeline()
        pipe.set(self.keys.alive(self.worker), 1, px=max(1, int(ttl * 1000)))
        pipe.sadd(self.keys.workers, self.worker)
        pipe.execute()

    def reap(self) -> dict[str, int]:
        """Give back the leases of workers whose heartbeat expired; {worker: leases given back}."""
        gone = {}
        for worker in self._members(self.keys.workers):
            if worker != self.worker and not self.server.exists(self.keys.alive(worker)):
                gone[worker] = self.requeue(worker)
                self.server.srem(self.keys.workers, worker)
        return gone

    def requeue(self, worker: str) -> int:
        """Put a worker's leased requests back in the queue and its leased seeds back in the seed list."""
        k = self.keys
        return int(
            self._requeue(
                keys=[k.leases(worker), k.slots, k.slot_set, k.queued, k.seeds], args=[k.queue_prefix]
            )
        )

    def leave(self) -> None:
        self.server.delete(self.keys.alive(self.worker))
        self.server.srem(self.keys.workers, self.worker)

    def live_workers(self) -> int:
        return int(self.server.scard(self.keys.workers))

    def leased(self) -> int:
        """Requests and seeds leased to any worker, alive or not yet known dead."""
        pipe = self.server.pipeline()
        for worker in self._members(self.keys.workers):
            pipe.hlen(self.keys.leases(worker))
        return sum(pipe.execute())

    def idle(self) -> bool:
        """Nothing to do anywhere: no seed waiting, no request queued, nothing leased (one atomic look)."""
        k = self.keys
        return bool(self._idle(keys=[k.seeds, k.queued, k.workers], args=[k.leases_prefix]))

    def _members(self, key: str) -> list[str]:
        return sorted(m.decode() if isinstance(m, bytes) else m for m in self.server.smembers(key))

    def status(self) -> dict[str, int]:
        k = self.keys
        return {
            "seeds_waiting": int(self.server.llen(k.seeds)),
            "seeds_total": int(self.server.scard(k.seeded)),
            "requests_queued": self.queued(),
            "requests_leased": self.leased(),
            "blogs_active": int(self.server.scard(k.active)),
            "blogs_finished": int(self.server.hlen(k.finished)),
            "workers": self.live_workers(),
        }

    def reset(self) -> int:
        """Delete every key of this crawl (a new crawl starts from scratch); how many."""
        keys = list(self.server.scan_iter(match=f"{self.keys.prefix}:*", count=1000))
        for start in range(0, len(keys), 1000):
            self.server.delete(*keys[start : start + 1000])
        return len(keys)

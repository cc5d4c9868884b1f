"""The shared frontier of a distributed crawl, in Redis, on scrapy-redis: seeds, requests, leases.

Workers (``blogarchive worker``) share one request queue and one duplicate filter
(scrapy-redis's ``RFPDupeFilter`` fingerprints in ``<prefix>:dupefilter``). What this adds
to scrapy-redis, each in one Lua script so that a worker killed at any instant loses nothing:

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
  when it falls to zero the blog is finished (see ``crawler.distributed.worker``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from redis import Redis, RedisError
from scrapy_redis.queue import Base
from scrapy_redis.scheduler import Scheduler

from crawler.blogs import META_BLOG, META_COUNTED, blog_key, slot_key
from crawler.defaults import REDIS_PREFIX
from crawler.errors import UserError

logger = logging.getLogger(__name__)

META_LEASE = "blogarchive_lease"  # the lease of a popped request (or of the seed a home request comes from)
META_PARENT = "blogarchive_parent"  # the lease of the request whose callback yielded this one
DEFAULT_PREFIX = REDIS_PREFIX

# KEYS: dupefilter, slot queue, slots, slot set, queued, pending, my leases
# ARGV: fingerprint ('' = not filtered), data, score, slot, blog, fresh ('1'/'0'), lease to release ('' = none)
# -> {status, pending}: status 1 queued, 0 duplicate, -1 our lease was taken back (the requeued copy goes on);
#    pending: the blog's count afterwards, -1 when there is no blog.
PUSH = """
local fp, data, score, slot, blog, fresh, release = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
if release ~= '' and redis.call('HDEL', KEYS[7], release) == 0 then return {-1, -1} end
local function settled(delta)
  if blog == '' then return -1 end
  if delta ~= 0 then return redis.call('HINCRBY', KEYS[6], blog, delta) end
  return tonumber(redis.call('HGET', KEYS[6], blog) or '0')
end
local ends = 0
if fresh == '0' and release ~= '' then ends = -1 end
if fp ~= '' and redis.call('SADD', KEYS[1], fp) == 0 then return {0, settled(ends)} end
if redis.call('ZADD', KEYS[2], score, data) == 0 then return {0, settled(ends)} end
if redis.call('SADD', KEYS[4], slot) == 1 then redis.call('RPUSH', KEYS[3], slot) end
redis.call('INCR', KEYS[5])
if fresh == '1' then return {1, settled(1)} end
return {1, settled(0)}
"""

# KEYS: slots, slot set, queued, my leases; ARGV: slot queue prefix -> {lease, data} or nil
POP = """
local n = redis.call('LLEN', KEYS[1])
for i = 1, n do
  local slot = redis.call('LMOVE', KEYS[1], KEYS[1], 'LEFT', 'RIGHT')
  if not slot then return false end
  local queue = ARGV[1] .. slot
  local item = redis.call('ZPOPMIN', queue)
  if redis.call('ZCARD', queue) == 0 then
    redis.call('LREM', KEYS[1], 0, slot)
    redis.call('SREM', KEYS[2], slot)
  end
  if item[1] then
    local lease = redis.sha1hex(item[1])
    redis.call('HSET', KEYS[4], lease, 'r' .. item[2] .. ' ' .. slot .. '\\n' .. item[1])
    redis.call('DECR', KEYS[3])
    return {lease, item[1]}
  end
end
return false
"""

# KEYS: my leases, pending; ARGV: lease, blog -> the blog's pending count, or -1
ACK = """
if redis.call('HDEL', KEYS[1], ARGV[1]) == 1 and ARGV[2] ~= '' then
  return redis.call('HINCRBY', KEYS[2], ARGV[2], -1)
end
return -1
"""

# KEYS: leases to give back, slots, slot set, queued, seeds; ARGV: slot queue prefix -> how many
REQUEUE = """
local entries = redis.call('HGETALL', KEYS[1])
for i = 2, #entries, 2 do
  local value = entries[i]
  if string.sub(value, 1, 1) == 's' then
    redis.call('LPUSH', KEYS[5], string.sub(value, 3))
  else
    local nl = string.find(value, '\\n', 1, true)
    local head = string.sub(value, 2, nl - 1)
    local sp = string.find(head, ' ', 1, true)
    local slot = string.sub(head, sp + 1)
    if redis.call('ZADD', ARGV[1] .. slot, string.sub(head, 1, sp - 1), string.sub(value, nl + 1)) == 1 then
      if redis.call('SADD', KEYS[3], slot) == 1 then redis.call('RPUSH', KEYS[2], slot) end
      redis.call('INCR', KEYS[4])
    end
  end
end
redis.call('DEL', KEYS[1])
return #entries / 2
"""

# KEYS: seeds, my leases -> the seed URL, or nil
POP_SEED = """
local url = redis.call('LPOP', KEYS[1])
if url then redis.call('HSET', KEYS[2], 's:' .. url, 's\\n' .. url) end
return url
"""

# KEYS: the blog's post ids, the blog's hash; ARGV: post id, max -> 1 taken (or already), 0 over the limit
TAKE_POST = """
if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[2], 'limit', 'max_posts')
  return 0
end
redis.call('SADD', KEYS[1], ARGV[1])
return 1
"""


# KEYS: seeds, queued, workers; ARGV: lease key prefix -> 1 when nothing is waiting, queued or leased
IDLE = """
if redis.call('LLEN', KEYS[1]) > 0 then return 0 end
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[3])) do
  if redis.call('HLEN', ARGV[1] .. worker) > 0 then return 0 end
end
return 1
"""


def connect(url: str) -> Redis:
    """A Redis client that answered PING, or a UserError that says where it failed."""
    try:
        server = Redis.from_url(url)
        server.ping()
    except (RedisError, ValueError) as exc:
        raise UserError(f"cannot use Redis at {url}: {exc}") from None
    return server


def seed_lease(url: str) -> str:
    return "s:" + url


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


class LeaseQueue(Base):
    """scrapy-redis queue over :class:`Frontier`: per-slot queues served in turn, pops leased."""

    def __init__(self, server: Redis, spider: Any, key: str, serializer: Any = None) -> None:
        super().__init__(server, spider, key, serializer)
        self.frontier: Frontier = spider.frontier

    def __len__(self) -> int:
        return self.frontier.queued()

    def push(self, request: Any, fingerprint: str = "") -> int:
        """Queue ``request`` (and settle the request or seed it continues); PUSH's status."""
        meta = request.meta
        fresh = not meta.get(META_COUNTED)
        meta[META_COUNTED] = True
        release = meta.pop(META_LEASE, None) or ""
        parent = meta.pop(META_PARENT, None)
        blog = meta.get(META_BLOG) or ""
        status, pending = self.frontier.push(self._encode_request(request), fingerprint, request.priority,
                                             request.url, blog, fresh, release)  # fmt: skip
        if parent:
            self.spider.blogs.queued(parent)
        if blog and pending == 0:
            self.spider.blogs.settled(blog)
        return status

    def pop(self, timeout: int = 0) -> Any:
        found = self.frontier.pop()
        if found is None:
            return None
        lease, data = found
        request = self._decode_request(data)
        request.meta[META_LEASE] = lease
        return request


class LeaseScheduler(Scheduler):
    """scrapy-redis's scheduler, with the duplicate check and the push made one atomic step."""

    def enqueue_request(self, request: Any) -> bool:
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        status = self.queue.push(request, fingerprint)
        if status == 0:
            self.df.log(request, self.spider)
        if status != 1:
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Any:
        request = self.queue.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

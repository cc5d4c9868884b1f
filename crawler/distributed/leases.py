"""Leases: a request or seed a worker took from the frontier stays its own until it is durable.

A popped request is moved, in the same atomic step, into the worker's lease hash
``<prefix>:leases:<worker>`` (see :mod:`crawler.distributed.scripts`); it leaves it only once
its callback ended, the requests it made are in the queue and its rows are in a flushed
segment. Requests carry their lease in ``META_LEASE``, the requests a callback yielded carry
their parent's in ``META_PARENT``, and rows carry theirs in ``ROW_LEASE`` until then.
"""

from __future__ import annotations

META_LEASE = "blogarchive_lease"  # the lease of a popped request (or of the seed a home request comes from)
META_PARENT = "blogarchive_parent"  # the lease of the request whose callback yielded this one
ROW_LEASE = "_lease"


def seed_lease(url: str) -> str:
    """The lease of a seed taken from the seed list: the URL as it was pushed."""
    return "s:" + url


class Leases:
    """Requests this worker popped and has not made durable yet, with their rows still in flight."""

    def __init__(self) -> None:
        self.units: dict[str, int] = {}  # 1 for the callback until it ends, +1 per row or request in flight
        self.blogs: dict[str, str] = {}

    def add(self, lease: str, blog: str) -> None:
        """One more thing (a row, a request) the lease waits for."""
        self.units[lease] = self.units.get(lease, 1) + 1
        self.blogs[lease] = blog

    def release(self, lease: str) -> str | None:
        """One unit of ``lease`` is done; its blog when the lease is now durable, else None."""
        left = self.units.get(lease, 1) - 1
        if left > 0:
            self.units[lease] = left
            return None
        self.units.pop(lease, None)
        return self.blogs.pop(lease, "")

"""A blog's zone, from the offsets its zoned sources stated, and wall times read in it.

A time shown without a zone is the blog's local wall time: it is read in the zone
:func:`zone_from` gives over the offsets the blog's zoned sources stated (Europe/Paris,
with its DST, as the last resort), and :func:`rezone` reads it again once a better zone
is known (at finalize, over every page of the blog).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_TZ = "Europe/Paris"


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_utc(value: datetime, tz: str | tzinfo = DEFAULT_TZ) -> datetime:
    """Make ``value`` tz-aware (assuming ``tz`` when naive) and convert it to UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_zone(tz) if isinstance(tz, str) else tz)
    return value.astimezone(timezone.utc)


def zone_from(observations: Iterable[tuple[datetime, int]], default: str = DEFAULT_TZ) -> tzinfo:
    """The zone of a blog whose sources stated these ``(instant, minutes east of UTC)`` pairs.

    ``default`` (Europe/Paris, with its DST) when nothing was stated or when it agrees
    with every statement; else a fixed offset when all statements agree on one; else the
    first IANA zone (by name) that agrees with all of them (e.g. America/Detroit for a blog
    seen at -04:00 in summer and -05:00 in winter); else the most frequent offset. The
    answer depends only on the set of statements, never on their order.
    """
    seen = _representatives(observations)
    if not seen or _agrees(default, seen):
        return _zone(default)
    offsets = sorted({offset for _, offset in seen})
    if len(offsets) == 1:
        return timezone(timedelta(minutes=offsets[0]))
    for name in _zone_names():
        if _agrees(name, seen):
            return _zone(name)
    counts = {offset: sum(1 for _, o in seen if o == offset) for offset in offsets}
    return timezone(timedelta(minutes=max(offsets, key=lambda o: (counts[o], -o))))


def _representatives(observations: Iterable[tuple[datetime, int]]) -> tuple[tuple[datetime, int], ...]:
    # One statement per (month, offset) is enough to test a zone's rules: a feed of
    # thousands of entries costs as much as one of a few dozen.
    first: dict[tuple[int, int, int], datetime] = {}
    for instant, offset in observations:
        key = (instant.year, instant.month, offset)
        if key not in first or instant < first[key]:
            first[key] = instant
    return tuple(sorted((instant, offset) for (_, _, offset), instant in first.items()))


def _agrees(name: str, seen: tuple[tuple[datetime, int], ...]) -> bool:
    zone = _zone(name)
    return all(instant.astimezone(zone).utcoffset() == timedelta(minutes=offset) for instant, offset in seen)


@lru_cache(maxsize=1)
def _zone_names() -> tuple[str, ...]:
    # Area/City zones only: the "Etc/GMT+5" style fixed zones are the fixed-offset case above.
    return tuple(
        sorted(n for n in available_timezones() if "/" in n and not n.startswith(("Etc/", "SystemV/")))
    )


def rezone(local: datetime, zone: tzinfo) -> datetime:
    """A zone-less wall time read in ``zone``, to UTC."""
    return to_utc(local.replace(tzinfo=None), zone)

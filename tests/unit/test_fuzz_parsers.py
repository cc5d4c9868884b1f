"""Fuzz the platform parsers with mutated real pages: the parse contract says they never raise.

Real pages and feeds come from the corpus (``tests/realpages/*/*/input.*``), synthetic feeds and pages
from the fixture blogs. Each iteration takes one, applies one to three mutations (flipped bytes,
truncation, shuffled or unclosed tags, wrong or missing charsets, absurd dates, deep
nesting...), decodes it as a crawl would, parses it as some kind of page and builds the
segment rows of what came out. The iterations are split in ``SHARDS`` tests (each its own seeded
random stream), so xdist spreads them and a failure names a smaller run; a parse is "slow" by the
CPU time it took (``time.process_time``), not wall time, so a loaded machine does not fail it.
Seeded: ``BLOGARCHIVE_FUZZ_ITERATIONS`` (default 2000 in all) and ``BLOGARCHIVE_FUZZ_SEED`` make
longer or other runs; a failure prints how to replay it.
"""

from __future__ import annotations

import os
import random
import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache

import pytest

from crawler.capture import Capture, post_row
from crawler.encoding import decode_body
from crawler.parsers import PLATFORMS, get_parser
from crawler.parsers.base import LinkKind
from schemas.origins import Origin
from tests.corpus import case_dirs, case_id, input_file, load_meta
from tests.fixtureweb.base import make_site

ITERATIONS = int(os.environ.get("BLOGARCHIVE_FUZZ_ITERATIONS", "2000"))
SEED = int(os.environ.get("BLOGARCHIVE_FUZZ_SEED", "20240501"))
EDGE, WINDOW = 6 * 1024, 28 * 1024  # bigger pages are spliced down first: head, a window, tail
SHARDS = 8
SLOW = 10.0  # CPU seconds: a parse this slow on one page is a hang waiting to happen
KINDS = (LinkKind.HOME, LinkKind.LISTING, LinkKind.FEED, LinkKind.POST, LinkKind.COMMENTS)
FIXTURE_FEEDS = {
    "blogspot": ("/feeds/posts/default", "/feeds/posts/default?alt=json"),
    "canalblog": ("/rss.xml",),
    "typepad": ("/blog/atom.xml", "/blog/rss.xml"),
    "tumblr": ("/rss", "/api/read/json?num=20&start=0"),
}
FIXTURE_HOMES = {"blogspot": "/", "canalblog": "/", "typepad": "/blog/", "tumblr": "/"}


@dataclass(frozen=True)
class Sample:
    platform: str
    url: str
    kind: LinkKind
    body: bytes
    content_type: str | None
    name: str


# ---------------------------------------------------------------------------------
# Corpus


@cache
def corpus() -> tuple[Sample, ...]:
    return tuple(_real_pages()) + tuple(_fixture_pages())


def _real_pages() -> list[Sample]:
    samples = []
    for case in case_dirs():
        meta = load_meta(case)
        body = input_file(case).read_bytes()
        kind = LinkKind(meta["kind"])
        samples.append(
            Sample(case.parent.name, meta["url"], kind, body, meta.get("content_type"), case_id(case))
        )
    return samples


def _fixture_pages() -> list[Sample]:
    samples = []
    for platform in PLATFORMS:
        site = make_site(platform)
        site.base_url = f"http://fuzz-{platform}.example:8080"
        posts = site.posts[:2]
        targets = [(FIXTURE_HOMES[platform], LinkKind.HOME)]
        targets += [(path, LinkKind.FEED) for path in FIXTURE_FEEDS[platform]]
        targets += [(post.path, LinkKind.POST) for post in posts]
        for path, kind in targets:
            reply = site.handle(path, {})
            content_type = dict((k.lower(), v) for k, v in reply.headers).get("content-type")
            if reply.status == 200 and reply.body:
                samples.append(
                    Sample(platform, site.url(path), kind, reply.body, content_type, f"{platform}{path}")
                )
    return samples


# ---------------------------------------------------------------------------------
# Mutations: bytes in, bytes out, all driven by one Random


def flip_bytes(rng: random.Random, body: bytes) -> bytes:
    data = bytearray(body)
    for _ in range(rng.randint(1, 64)):
        if data:
            data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def truncate(rng: random.Random, body: bytes) -> bytes:
    return body[: rng.randrange(len(body) + 1)]


TAG = re.compile(rb"<[^<>]{0,400}>")


def shuffle_tags(rng: random.Random, body: bytes) -> bytes:
    tags = TAG.findall(body)
    if len(tags) < 2:
        return body
    start = rng.randrange(len(tags))
    window = tags[start : start + rng.randint(2, 40)]
    shuffled = window[:]
    rng.shuffle(shuffled)
    replacements = iter(shuffled)
    chosen = set(range(start, start + len(window)))
    counter = iter(range(len(tags)))
    return TAG.sub(lambda m: next(replacements) if next(counter) in chosen else m.group(0), body)


def drop_closing_tags(rng: random.Random, body: bytes) -> bytes:
    rate = rng.choice((0.1, 0.5, 1.0))
    return re.sub(rb"</[a-zA-Z][^>]{0,20}>", lambda m: b"" if rng.random() < rate else m.group(0), body)


def inject_encoding(rng: random.Random, body: bytes) -> bytes:
    text = body.decode("utf-8", "replace")
    encoding = rng.choice(("cp1252", "latin-1", "utf-16", "utf-16-le", "koi8-r", "shift_jis", "utf-8-sig"))
    declared = rng.choice(("utf-8", "iso-8859-1", "windows-1252", "koi8-r", "utf-16", "x-bogus", ""))
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'
    text = (
        re.sub(r"charset=[\w-]+", f"charset={declared}", text, count=2) if rng.random() < 0.5 else meta + text
    )
    return text.encode(encoding, "replace")


def absurd_dates(rng: random.Random, body: bytes) -> bytes:
    """Years, months, days and hours out of range: date parsers must say None, not raise."""
    values = (b"0", b"00", b"13", b"32", b"99", b"0000", b"9999", b"99999999999", b"-1", b"2147483648")
    return re.sub(rb"\b\d{1,4}\b", lambda m: rng.choice(values) if rng.random() < 0.3 else m.group(0), body)


def deep_nesting(rng: random.Random, body: bytes) -> bytes:
    at = rng.randrange(len(body) + 1)
    depth = rng.choice((200, 2000, 20000))
    return body[:at] + rng.choice((b"<div>", b"<b>", b"<table><tr><td>", b"<ul><li>")) * depth + body[at:]


def splice(rng: random.Random, body: bytes) -> bytes:
    """A chunk of the page copied somewhere else in it (broken templates do that)."""
    if not body:
        return body
    a = rng.randrange(len(body))
    chunk = body[a : a + rng.randint(1, 4096)]
    at = rng.randrange(len(body) + 1)
    return body[:at] + chunk + body[at:]


def control_chars(rng: random.Random, body: bytes) -> bytes:
    data = bytearray(body)
    for _ in range(rng.randint(1, 20)):
        data.insert(rng.randrange(len(data) + 1), rng.choice((0, 1, 8, 11, 12, 27, 127)))
    return bytes(data)


def junk_markup(rng: random.Random, body: bytes) -> bytes:
    junk = rng.choice((b"<!--", b"<![CDATA[", b"<script>", b"<?xml version='1.0'?>", b"<!DOCTYPE x [",
                       b"&#xD800;", b"&#99999999;", b"&unknown;", b"<a href='javascript:alert(1)'>",
                       b"<a href='http://[::1'>", b"<a href='http://a:99999/'>", b"<img src='data:,x'>",
                       b"<base href='ftp://x/'>", b"\xef\xbb\xbf", b"\xff\xfe"))  # fmt: skip
    at = rng.randrange(len(body) + 1)
    return body[:at] + junk + body[at:]


MUTATIONS: tuple[Callable[[random.Random, bytes], bytes], ...] = (
    flip_bytes, truncate, shuffle_tags, drop_closing_tags, inject_encoding, absurd_dates, deep_nesting,
    splice, control_chars, junk_markup,
)  # fmt: skip


def crop(rng: random.Random, body: bytes) -> bytes:
    """Big pages cost the run its speed: keep their head (charset, blog), a window and their tail."""
    if len(body) <= 2 * EDGE + WINDOW:
        return body
    start = rng.randrange(EDGE, len(body) - EDGE - WINDOW)
    return body[:EDGE] + body[start : start + WINDOW] + body[-EDGE:]


# ---------------------------------------------------------------------------------
# The run


def run_one(rng: random.Random, sample: Sample) -> tuple[list[str], float]:
    """Mutate, decode, parse, build rows; (mutations applied, CPU seconds the parse took)."""
    body = crop(rng, sample.body)
    applied = []
    for mutation in rng.sample(MUTATIONS, rng.randint(1, 3)):
        body = mutation(rng, body)
        applied.append(mutation.__name__)
    kind = sample.kind if rng.random() < 0.7 else rng.choice(KINDS)
    content_type = sample.content_type if rng.random() < 0.5 else rng.choice((None, "text/html", "text/xml"))
    text, _ = decode_body(body, content_type)
    started = time.process_time()
    page = get_parser(sample.platform).parse(text, sample.url, kind)
    elapsed = time.process_time() - started
    capture = Capture(sample.url, body, content_type, kind, datetime(2024, 5, 1, tzinfo=timezone.utc))
    for post in page.posts:
        post_row(post, capture, Origin.PERMALINK)
    return [*applied, kind.value], elapsed


def test_corpus_covers_every_platform():
    assert {sample.platform for sample in corpus()} == set(PLATFORMS)


def shard_iterations(shard: int) -> range:
    """The iterations of one shard: ITERATIONS split as evenly as SHARDS allows."""
    return range(shard * ITERATIONS // SHARDS, (shard + 1) * ITERATIONS // SHARDS)


def test_shards_cover_every_iteration_once():
    assert [i for shard in range(SHARDS) for i in shard_iterations(shard)] == list(range(ITERATIONS))


@pytest.mark.timeout(600)
@pytest.mark.parametrize("shard", range(SHARDS))
def test_parsers_never_raise_on_mutated_pages(shard):
    samples = corpus()
    rng = random.Random(f"{SEED}/{shard}")
    iterations = shard_iterations(shard)
    failures, slowest = [], (0.0, "")
    for iteration in iterations:
        sample = samples[iteration % len(samples)]
        state = rng.getstate()
        try:
            applied, elapsed = run_one(rng, sample)
        except Exception:
            failures.append(f"iteration {iteration} ({sample.name}, replay with BLOGARCHIVE_FUZZ_SEED={SEED}, "
                            f"shard {shard}): {traceback.format_exc(limit=-3)}")  # fmt: skip
            rng.setstate(state)
            rng.random()  # move on from the failing draw
            continue
        if elapsed > slowest[0]:
            slowest = (elapsed, f"{sample.name} {applied}")
    assert not failures, f"{len(failures)} of {len(iterations)} parses raised:\n" + "\n".join(failures[:5])
    assert slowest[0] < SLOW, f"slowest parse {slowest[0]:.1f} CPU s: {slowest[1]}"

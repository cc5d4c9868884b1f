"""WARC records are whole or absent: torn, lying, oversized and badly addressed records never become rows."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.build import build
from crawler.errors import UserError
from crawler.extensions import group_stats, summary_line
from crawler.warc import (
    WarcFileWriter,
    WarcMiddleware,
    build_records,
    gzip_member,
    iter_captures,
    recover_open_files,
)
from tests.unit.test_warc import WHEN, exchange


def record_bytes(url: str, body: bytes, gzip: bool = False, kind: str = "response") -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    if kind == "request":
        headers = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
    writer.write_record(writer.create_warc_record(url, kind, payload=io.BytesIO(body), http_headers=headers))
    return buffer.getvalue()


def read(path, **options) -> tuple[list[bytes], Counter]:
    counters: Counter = Counter()
    return [c.body for c in iter_captures(path, counters, **options)], counters


def test_an_open_warc_cut_inside_a_gzip_member_keeps_only_whole_records(tmp_path):
    writer = WarcFileWriter(tmp_path, max_bytes=10**9)
    for i in range(2):
        writer.write(build_records(*exchange(f"<p>{i}</p>".encode() * 500), WHEN, {})[0])
    (open_file,) = tmp_path.glob("*.open")
    whole = open_file.stat().st_size
    torn = gzip_member(record_bytes("http://127.0.0.1/torn.html", b"<p>torn</p>" * 2000))
    with open(open_file, "ab") as handle:  # a kill (or a full disk) inside the last member
        handle.write(torn[: len(torn) // 2])
    recovery: Counter = Counter()
    (recovered,) = recover_open_files(tmp_path, recovery)
    assert recovered.stat().st_size == whole and recovery == {"warc/torn": 1}
    bodies, counters = read(recovered)
    assert bodies == [b"<p>0</p>" * 500, b"<p>1</p>" * 500] and not counters["warc/torn"]


def test_a_crawl_counts_the_torn_tail_its_recovery_dropped_in_stats_and_summary(tmp_path):
    warc = tmp_path / "warc"
    writer = WarcFileWriter(warc, max_bytes=10**9)
    writer.write(build_records(*exchange(b"<p>whole</p>"), WHEN, {})[0])
    (whole, untouched) = (next(warc.glob("*.open")), warc / "b.warc.gz.open")
    untouched.write_bytes(whole.read_bytes())  # a second crashed file, with no torn tail
    with open(whole, "ab") as handle:
        handle.write(b"\x1f\x8b\x08\x00garbage")
    crawler = get_crawler(settings_dict={"BLOGARCHIVE_OUTPUT": str(tmp_path)})
    crawler.stats = MemoryStatsCollector(crawler)
    WarcMiddleware.from_crawler(crawler).close()
    document = group_stats(crawler.stats.get_stats())
    assert document["warc"] == {"torn": 1}
    assert summary_line(document).endswith("; torn WARC records dropped: 1")


def test_a_closed_warc_cut_mid_record_drops_that_record_and_counts_it(tmp_path):
    path = tmp_path / "cut.warc.gz"
    torn = gzip_member(record_bytes("http://127.0.0.1/torn.html", b"<p>torn</p>" * 2000))
    path.write_bytes(
        gzip_member(record_bytes("http://127.0.0.1/a.html", b"<p>a</p>")) + torn[: len(torn) // 2]
    )
    bodies, counters = read(path)
    assert bodies == [b"<p>a</p>"] and counters["warc/torn"] == 1


def test_a_content_length_longer_than_the_body_is_a_torn_record(tmp_path):
    good = record_bytes("http://127.0.0.1/a.html", b"<p>a</p>")
    lying = record_bytes("http://127.0.0.1/b.html", b"<p>short</p>")
    length = lying.split(b"Content-Length: ")[1].split(b"\r\n")[0]
    lying = lying.replace(b"Content-Length: " + length, b"Content-Length: 3000000000", 1)
    path = tmp_path / "lying.warc"
    path.write_bytes(good + lying)
    bodies, counters = read(path)
    assert bodies == [b"<p>a</p>"] and counters["warc/torn"] == 1


def test_a_block_that_fails_its_block_digest_is_dropped(tmp_path):
    rotten = record_bytes("http://127.0.0.1/b.html", b"<p>original</p>").replace(b"original", b"bit-rot!")
    path = tmp_path / "rot.warc"
    path.write_bytes(rotten + record_bytes("http://127.0.0.1/c.html", b"<p>c</p>"))
    bodies, counters = read(path)
    assert bodies == [b"<p>c</p>"] and counters["warc/torn"] == 1


def test_a_payload_digest_computed_otherwise_keeps_the_whole_record_and_counts_it(tmp_path):
    """Writers disagree on payload digests (chunked, compressed bodies): a whole block is kept."""
    record = record_bytes("http://127.0.0.1/b.html", b"<p>b</p>")
    digest = record.split(b"WARC-Payload-Digest: ")[1].split(b"\r\n")[0]
    other = b"sha1:" + b"A" * (len(digest) - len(b"sha1:"))
    path = tmp_path / "other-digest.warc"
    path.write_bytes(record.replace(digest, other, 1))
    bodies, counters = read(path)
    assert bodies == [b"<p>b</p>"]
    assert counters["warc/payload_digest_mismatch"] == 1 and not counters["warc/torn"]


@pytest.mark.parametrize("url", ["", "ftp://127.0.0.1/x", "http://127.0.0.1:99999/x", "javascript:alert(1)"])
def test_a_bad_target_uri_skips_that_record_not_the_file(url, tmp_path):
    path = tmp_path / "bad.warc"
    path.write_bytes(
        record_bytes("http://127.0.0.1/a.html", b"a")
        + record_bytes(url, b"bad")
        + record_bytes("http://127.0.0.1/c", b"c")
    )
    bodies, counters = read(path)
    assert bodies == [b"a", b"c"] and counters["warc/bad_target_uri"] == 1


def test_records_over_the_size_limit_are_skipped_and_counted(tmp_path):
    path = tmp_path / "big.warc"
    path.write_bytes(
        record_bytes("http://127.0.0.1/big", b"x" * 5000) + record_bytes("http://127.0.0.1/c", b"c")
    )
    bodies, counters = read(path, max_bytes=1000)
    assert bodies == [b"c"] and counters["warc/too_large"] == 1


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "0 WARC records read"),
        (record_bytes("http://127.0.0.1/", b"", kind="request"), "1 WARC records read"),
        (b"\x00garbage, not a WARC at all" * 10, r"\d+ WARC records read"),
    ],
)
def test_inputs_without_a_response_record_are_an_error_with_the_count(content, fragment, tmp_path):
    path = tmp_path / "input.warc"
    path.write_bytes(content)
    with pytest.raises(UserError, match=rf"no readable response record in the inputs \({fragment}"):
        build([path], tmp_path / "out")
    assert not list((tmp_path / "out").glob("data/*/*.parquet"))


def test_validate_refuses_urls_a_crawl_would_refuse():
    import pyarrow as pa

    from crawler.commands.validate import url_problems

    table = pa.table({"url": ["http://127.0.0.1/a", "http://127.0.0.1:99999/b", "javascript:alert(1)"],
                      "blog_url": ["http://127.0.0.1/"] * 3})  # fmt: skip
    assert url_problems(table) == ["2 rows whose url is no http(s) URL, e.g. 'http://127.0.0.1:99999/b'"]

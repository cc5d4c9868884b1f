"""The lean gzip WARC reader yields and counts exactly what warcio's reading does, odd records included."""

from __future__ import annotations

import contextlib
import gzip
import io
from collections import Counter
from pathlib import Path

import brotli
import pytest
from scrapy.http import Request, Response
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.media_warc import MediaIndex, _Scan, _warcio_records
from crawler.warc import WarcFileWriter, build_records, gzip_member, iter_captures
from crawler.warc_lean import iter_warc_captures
from pipelines.media import MediaRecord
from tests.unit.test_media_index import BASE, png
from tests.unit.test_warc import WHEN, exchange

PAGE = b"<html><p>un billet</p></html>" * 200


def record(url: str = "http://127.0.0.1/a.html", body: bytes = PAGE, kind: str = "response",
           http: list[tuple[str, str]] | None = None, warc: dict[str, str] | None = None) -> bytes:  # fmt: skip
    """One uncompressed record as warcio writes it (digests computed)."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    headers = StatusAndHeaders("200 OK", http or [("Content-Type", "text/html")], protocol="HTTP/1.1")
    made = writer.create_warc_record(url, kind, payload=io.BytesIO(body), http_headers=headers,
                                     warc_headers_dict=warc or {})  # fmt: skip
    writer.write_record(made)
    return buffer.getvalue()


def ours(tmp_path: Path) -> bytes:
    """Two exchanges as a crawl writes them (response, request, metadata), warcinfo first."""
    writer = WarcFileWriter(tmp_path / "w", max_bytes=10**9)
    for i in range(2):
        writer.write(
            build_records(*exchange(f"<p>{i}</p>".encode() * 300), WHEN, {"blogarchive_kind": "post"})[0]
        )
    writer.close()
    (path,) = (tmp_path / "w").glob("*.warc.gz")
    return path.read_bytes()


def revisit() -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    made = writer.create_revisit_record("http://127.0.0.1/a.html", "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                                        "http://127.0.0.1/a.html", "2026-11-01T12:00:00Z")  # fmt: skip
    writer.write_record(made)
    return buffer.getvalue()


def resource(url: str = "http://127.0.0.1/saved.html", content_type: str = "text/html") -> bytes:
    """A page stored as a resource record (no HTTP exchange), as warcit writes a saved site's files."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    writer.write_record(writer.create_warc_record(url, "resource", payload=io.BytesIO(PAGE), length=len(PAGE),
                                                  warc_content_type=content_type))  # fmt: skip
    return buffer.getvalue()


def tampered(data: bytes) -> bytes:
    """The record with one byte of its body changed: its digests fail."""
    return data.replace(b"billet", b"Billet", 1)


CASES = {
    "ours": lambda tmp: ours(tmp),
    "chunked_and_gzip_encoded": lambda tmp: (
        gzip_member(
            record(
                http=[("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
                body=b"%x\r\n%s\r\n0\r\n\r\n" % (len(z := gzip.compress(PAGE)), z),
            )
        )
        + gzip_member(record())
    ),  # fmt: skip
    "bad_block_digest": lambda tmp: gzip_member(tampered(record())) + gzip_member(record()),
    "torn_last_member": lambda tmp: gzip_member(record()) + gzip_member(record())[:-300],
    "torn_last_member_tail": lambda tmp: gzip_member(record()) + gzip_member(record())[:-100],
    "garbage_after": lambda tmp: gzip_member(record()) + b"not a gzip member" * 10,
    "one_member_for_all": lambda tmp: gzip_member(record() + record(url="http://127.0.0.1/b.html")),
    "revisit": lambda tmp: gzip_member(record()) + gzip_member(revisit()),
    "truncated": lambda tmp: gzip_member(record(warc={"WARC-Truncated": "length"})),
    "too_large": lambda tmp: gzip_member(record(body=PAGE * 10)) + gzip_member(record()),
    "not_http": lambda tmp: gzip_member(record(url="ftp://127.0.0.1/a")) + gzip_member(record()),
    "spaced_uri": lambda tmp: gzip_member(record(url="http://127.0.0.1/a b.html")),
    "bracketed_uri": lambda tmp: gzip_member(record(url="<http://127.0.0.1/a.html>")),
    "latin1_header": lambda tmp: gzip_member(
        record(http=[("Content-Type", "text/html"), ("X-T", "caf\xe9")])
    ),
    "base16_digest": lambda tmp: gzip_member(record().replace(b"WARC-Block-Digest: sha1:", b"X-Old: sha1:")),
    "plain_warc": lambda tmp: record() + record(url="http://127.0.0.1/b.html"),
    "brotli_encoded": lambda tmp: gzip_member(
        record(http=[("Content-Encoding", "br")], body=brotli.compress(PAGE))
    ),
    "resource": lambda tmp: gzip_member(resource()) + gzip_member(record()),
    "resource_no_type": lambda tmp: gzip_member(resource(content_type="")),
    "resource_not_http": lambda tmp: (
        gzip_member(resource(url="urn:pageinfo:http://127.0.0.1/")) + gzip_member(record())
    ),
    "resource_tampered": lambda tmp: gzip_member(tampered(resource())) + gzip_member(record()),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_lean_reader_matches_warcio(tmp_path, case):
    path = tmp_path / "in.warc.gz"
    path.write_bytes(CASES[case](tmp_path))
    expected_counters: Counter = Counter()
    expected = list(iter_captures(path, expected_counters, max_bytes=len(PAGE) * 5))
    counters: Counter = Counter()
    assert list(iter_warc_captures(path, counters, max_bytes=len(PAGE) * 5)) == expected
    assert counters == expected_counters and counters["warc/records"] > 0


def test_odd_records_are_counted_as_warcio_counts_them(tmp_path):
    path = tmp_path / "in.warc.gz"
    odd = [
        tampered(record()),
        record(body=PAGE * 10),
        record(url="ftp://x/"),
        record(warc={"WARC-Truncated": "time"}),
    ]
    path.write_bytes(b"".join(gzip_member(r) for r in odd) + gzip_member(record())[:-100])
    counters: Counter = Counter()
    captures = list(iter_warc_captures(path, counters, max_bytes=len(PAGE) * 5))
    assert [c.body for c in captures] == [PAGE]  # the truncated one: kept
    assert {k: counters[k] for k in ("warc/torn", "warc/too_large", "warc/bad_target_uri", "warc/truncated")} == {
        "warc/torn": 2, "warc/too_large": 1, "warc/bad_target_uri": 1, "warc/truncated": 1}  # fmt: skip


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_a_content_encoded_page_is_read_decoded(tmp_path, encoding):
    """Browsers (so browsertrix) get br-encoded pages from Blogger and most sites, stored as sent."""
    path = tmp_path / "in.warc.gz"
    encoded = brotli.compress(PAGE) if encoding == "br" else gzip.compress(PAGE)
    path.write_bytes(gzip_member(record(http=[("Content-Encoding", encoding)], body=encoded)))
    counters: Counter = Counter()
    (capture,) = iter_warc_captures(path, counters)
    assert capture.body == PAGE and counters == {"warc/records": 1, "warc/responses": 1}


def test_a_page_stored_as_a_resource_record_is_a_capture_and_crawler_notes_are_counted_quietly(
    tmp_path, caplog
):
    path = tmp_path / "in.warc.gz"
    path.write_bytes(
        gzip_member(resource()) + gzip_member(resource(url="urn:text:http://127.0.0.1/saved.html"))
    )
    counters: Counter = Counter()
    with caplog.at_level("WARNING"):
        (capture,) = iter_warc_captures(path, counters)
    assert (capture.url, capture.status, capture.content_type, capture.body) == (
        "http://127.0.0.1/saved.html", 200, "text/html", PAGE)  # fmt: skip
    assert counters == {"warc/records": 2, "warc/resources": 1, "warc/resource_not_http": 1}
    assert not caplog.records


def test_the_media_index_reads_plain_records_as_warcio_does(tmp_path):
    media = {"blogarchive_kind": "media", "blogarchive_media_kind": "image"}
    writer = WarcFileWriter(tmp_path / "w", max_bytes=10**9)
    for url, status, body, headers in (("a.png", 200, png(), {}), ("gone.png", 404, b"no", {}),
                                       ("z.png", 200, gzip.compress(png(2, 2)), {"Content-Encoding": "gzip"}),
                                       ("page.html", 200, PAGE, {})):  # fmt: skip
        meta = media if url.endswith(".png") else {"blogarchive_kind": "post"}
        request = Request(f"{BASE}/{url}", meta=meta)
        response = Response(request.url, status=status, body=body, request=request,
                            headers={"Content-Type": "image/png", **headers})  # fmt: skip
        writer.write(build_records(request, response, WHEN, meta)[0])
    writer.close()
    (path,) = (tmp_path / "w").glob("*.warc.gz")
    with open(path, "ab") as handle:  # a torn tail: warcio reads on from there
        handle.write(gzip_member(record())[:-300])
    expected: list[MediaRecord] = []
    with open(path, "rb") as stream, contextlib.suppress(Exception):
        # warcio reads the torn tail as the end or raises, by how much of it inflates (its record id
        # and date are new each run): the media index stops there either way.
        expected.extend(_warcio_records(_Scan(str(path.resolve())), stream, 0))
    index = MediaIndex()
    list(iter_warc_captures(path, observer=index))  # the media seen beside the pages, in one read
    assert index.records() == expected
    assert sorted(r.outcome for r in expected) == ["fetched", "fetched", "http_404"]


def test_a_misframed_record_is_one_log_line_not_a_dump_on_stderr(tmp_path, caplog, capfd):
    """warcio writes the bytes it found after a record whose Content-Length is wrong to stderr itself
    (binary dumps, one per record): a log line instead."""
    data = record()
    length = data.split(b"Content-Length: ")[1].split(b"\r\n")[0]
    path = tmp_path / "in.warc"
    path.write_bytes(
        data.replace(b"Content-Length: " + length, b"Content-Length: %d" % (int(length) - 7), 1) + record()
    )
    with caplog.at_level("WARNING"):
        list(iter_captures(path, Counter()))
    assert "not followed by a blank line" in caplog.text
    assert "Remainder" not in capfd.readouterr().err

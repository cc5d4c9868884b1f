"""WARC records as they came off the wire, read back by any reader; torn files recovered."""

from __future__ import annotations

import gzip
import io
import ipaddress
import itertools
import json
import threading
import uuid
from datetime import datetime, timezone
from typing import Any

from scrapy.http import Request, Response
from warcio.archiveiterator import ArchiveIterator
from warcio.recordbuilder import RecordBuilder
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler import warc
from crawler.warc import META_KIND, WarcFileWriter, build_records, iter_captures, recover_open_files

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)


def exchange(body: bytes = b"<html>caf\xe9</html>", **headers: object):
    request = Request(
        "http://127.0.0.1:8000/a.html?x=1&y=2", headers={"Accept-Encoding": "gzip"}, meta={META_KIND: "post"}
    )
    response = Response(
        request.url,
        status=200,
        body=body,
        headers={"Content-Type": "text/html; charset=latin-1", "Set-Cookie": ["a=1", "b=2"], **headers},
        request=request,
    )
    return request, response


def write(tmp_path, exchanges, metadata=None):
    writer = WarcFileWriter(tmp_path, max_bytes=10**9)
    ids = []
    for request, response in exchanges:
        records, record_id = build_records(request, response, WHEN, metadata or {"blogarchive_kind": "post"})
        writer.write(records)
        ids.append(record_id)
    writer.close()
    return sorted(tmp_path.glob("*.warc.gz")), ids


def test_records_keep_raw_bytes_query_repeated_headers_and_digests(tmp_path):
    compressed = gzip.compress(b"<html>caf\xe9</html>")
    (path,), _ = write(
        tmp_path, [exchange(compressed, **{"Content-Encoding": "gzip", "Transfer-Encoding": "chunked"})]
    )
    with open(path, "rb") as stream:
        records = list(ArchiveIterator(stream))
    kinds = [r.rec_type for r in records]
    assert kinds == ["warcinfo", "response", "request", "metadata"]
    response = records[1]
    assert response.rec_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
    assert [v for k, v in response.http_headers.headers if k == "Set-Cookie"] == ["a=1", "b=2"]
    assert response.http_headers.get_header("Transfer-Encoding") is None  # Twisted already de-chunked
    assert response.http_headers.get_header("Content-Encoding") == "gzip"
    request = records[2]
    assert request.http_headers.statusline == "/a.html?x=1&y=2 HTTP/1.1"  # the query string is kept
    assert request.http_headers.protocol == "GET"
    assert request.rec_headers.get_header("WARC-Concurrent-To") == response.rec_headers.get_header(
        "WARC-Record-ID"
    )


def test_reading_back_decodes_content_and_joins_metadata(tmp_path):
    compressed = gzip.compress(b"<html>caf\xe9</html>")
    _, (record_id,) = write(tmp_path, [exchange(compressed, **{"Content-Encoding": "gzip"})])
    (capture,) = list(iter_captures(next(tmp_path.glob("*.warc.gz"))))
    assert capture.body == b"<html>caf\xe9</html>"  # latin-1 bytes untouched
    assert capture.record_id == record_id
    assert capture.metadata == {"blogarchive_kind": "post"}
    assert capture.date == WHEN


def test_torn_open_file_is_truncated_to_whole_records(tmp_path):
    writer = WarcFileWriter(tmp_path, max_bytes=10**9)
    for i in range(3):
        records, _ = build_records(*exchange(f"<p>{i}</p>".encode()), WHEN, {})
        writer.write(records)
    open_file = next(tmp_path.glob("*.open"))
    whole = open_file.stat().st_size
    with open(open_file, "ab") as handle:  # a crash in the middle of a record
        handle.write(b"\x1f\x8b\x08\x00garbage")
    (recovered,) = recover_open_files(tmp_path)
    assert recovered.stat().st_size == whole
    assert [c.body for c in iter_captures(recovered)] == [b"<p>0</p>", b"<p>1</p>", b"<p>2</p>"]


def test_files_rotate_at_size(tmp_path):
    writer = WarcFileWriter(tmp_path, max_bytes=1)
    for _ in range(3):
        writer.write(build_records(*exchange(), WHEN, {})[0])
    writer.close()
    assert len(list(tmp_path.glob("*.warc.gz"))) == 3 and not list(tmp_path.glob("*.open"))


def test_api_keys_never_reach_the_warc(tmp_path):
    request = Request("http://127.0.0.1:8000/v2/blog/x/posts?api_key=s3cr3t&offset=0")
    response = Response(request.url, status=200, body=b"{}", request=request)
    (path,), _ = write(tmp_path, [(request, response)])
    assert b"s3cr3t" not in gzip.decompress(path.read_bytes())


def test_a_write_from_another_thread_never_takes_the_offset_of_one_in_progress(tmp_path, monkeypatch):
    """The writer thread compresses a response while the reactor writes a media outcome record.

    Each group's returned offset must be where its own records start (a media file's bytes
    are read back from there), whichever thread wrote first.
    """
    started, go = threading.Event(), threading.Event()
    compress = warc.gzip_member

    def stalling(data: bytes) -> bytes:  # the response is being compressed: hold it there
        if b"WARC-Type: response" in data:
            started.set()
            go.wait(5)
        return compress(data)

    monkeypatch.setattr(warc, "gzip_member", stalling)
    request, response = exchange(b"\x89PNG the picture")
    response_records, _ = build_records(request, response, WHEN, {META_KIND: "media"})
    outcome = WarcFileWriter.record_factory().create_warc_record(
        "http://127.0.0.1:8000/big.jpg", "metadata", payload=io.BytesIO(b'{"outcome": "too_large"}'),
        warc_content_type="application/json", warc_headers_dict={"WARC-Date": "2026-11-01T12:00:00Z"},
    )  # fmt: skip
    writer = WarcFileWriter(tmp_path, max_bytes=10**9)
    writer.write([outcome])  # the file is open: both writes below go to it
    where: dict[str, tuple[str, int]] = {}
    slow = threading.Thread(target=lambda: where.update(response=writer.write(response_records)))
    slow.start()
    assert started.wait(5)
    fast = threading.Thread(target=lambda: where.update(outcome=writer.write([outcome])))
    fast.start()
    fast.join(0.3)  # time for the outcome record to be written while the response is not yet
    go.set()
    slow.join(5)
    fast.join(5)
    writer.close()

    def record_at(location: tuple[str, int]) -> tuple[str, str]:
        with open(tmp_path / location[0], "rb") as stream:
            stream.seek(location[1])
            record = next(iter(ArchiveIterator(stream)))
            return record.rec_type, record.rec_headers.get_header("WARC-Target-URI")

    assert where["response"] != where["outcome"]
    assert record_at(where["response"]) == ("response", response.url)
    assert record_at(where["outcome"]) == ("metadata", "http://127.0.0.1:8000/big.jpg")


def _warcio_bytes(request: Request, response: Response, metadata: dict[str, Any]) -> list[bytes]:
    """The exchange's records as warcio's record builder and writer make them."""
    builder, date = RecordBuilder(), "2026-11-01T12:00:00Z"
    headers = [(k.decode(), v.decode("latin-1")) for k, vs in response.headers.items() for v in vs]
    extra = {"WARC-IP-Address": str(response.ip_address)} if response.ip_address else {}
    resp = builder.create_warc_record(
        response.url, "response", payload=io.BytesIO(response.body), length=len(response.body),
        http_headers=StatusAndHeaders(f"{response.status} OK", headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": date, **extra},
    )  # fmt: skip
    concurrent = {"WARC-Date": date, "WARC-Concurrent-To": resp.rec_headers.get_header("WARC-Record-ID")}
    request_headers = [("Host", "127.0.0.1:8000")] + [
        (k.decode(), v.decode()) for k, vs in request.headers.items() for v in vs
    ]
    req = builder.create_warc_record(
        response.url, "request", payload=io.BytesIO(request.body), length=len(request.body),
        http_headers=StatusAndHeaders(f"{request.method} /a HTTP/1.1", request_headers, is_http_request=True),
        warc_headers_dict=concurrent,
    )  # fmt: skip
    payload = json.dumps(metadata, sort_keys=True, ensure_ascii=False).encode()
    meta = builder.create_warc_record(response.url, "metadata", payload=io.BytesIO(payload), length=len(payload),
                                      warc_content_type="application/json", warc_headers_dict=concurrent)  # fmt: skip
    plain = []
    for record in (resp, req, meta):
        buffer = io.BytesIO()
        WARCWriter(buffer, gzip=False).write_record(record)
        plain.append(buffer.getvalue())
    return plain


def test_records_are_the_bytes_warcio_writes(monkeypatch):
    """The records are built by hand (half warcio's CPU): byte for byte what warcio's builder and
    writer make, non-ASCII header values %-encoded as warcio does, an IP address, a body sent."""
    request = Request("http://127.0.0.1:8000/a", method="POST", body=b"q=1", headers={"Accept": "text/html"})
    response = Response(request.url, status=200, body=b"<html>caf\xe9</html>" * 500, request=request,
                        headers={"Content-Type": "text/html", "Set-Cookie": ["a=1", "b=2"],
                                 "Content-Disposition": 'attachment; filename="caf\xe9 \u2603.html"'.encode()},
                        ip_address=ipaddress.ip_address("127.0.0.1"))  # fmt: skip
    metadata = {META_KIND: "post", "blogarchive_hint": {"title": "caf\xe9"}}

    def same_ids() -> None:
        count = itertools.count(1)
        monkeypatch.setattr(uuid, "uuid4", lambda: uuid.UUID(int=next(count)))

    same_ids()
    built, _ = build_records(request, response, WHEN, metadata)
    same_ids()
    assert built == _warcio_bytes(request, response, metadata)

"""WARC records as they came off the wire, read back by any reader; torn files recovered."""

from __future__ import annotations

import gzip
import io
import threading
from datetime import datetime, timezone
from typing import Any

from scrapy.http import Request, Response
from warcio.archiveiterator import ArchiveIterator

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


def test_a_write_from_another_thread_never_takes_the_offset_of_one_in_progress(tmp_path):
    """The writer thread compresses a response while the reactor writes a media outcome record.

    Each group's returned offset must be where its own records start (a media file's bytes
    are read back from there), whichever thread wrote first.
    """
    started, go = threading.Event(), threading.Event()

    class Stalling(io.BytesIO):
        def read(self, *args: Any) -> bytes:  # the response is being serialized: hold it there
            started.set()
            go.wait(5)
            return super().read(*args)

    request, response = exchange(b"\x89PNG the picture")
    response_records, _ = build_records(request, response, WHEN, {META_KIND: "media"})
    response_records[0].raw_stream = Stalling(response_records[0].raw_stream.read())
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

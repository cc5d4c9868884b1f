"""Reading other tools' archives: ArchiveTeam's ``.warc.zst`` (frames, dictionary, torn tail) and revisit records."""

from __future__ import annotations

from collections import Counter
from io import BytesIO
from pathlib import Path

import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.warc import iter_captures
from crawler.warc_read import DICT_MAGIC
from crawler.warc_revisit import read_captures


def record(n: int) -> bytes:
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    body = b"<p>%d</p>" % n + bytes(range(256)) * 40  # incompressible enough to span many blocks
    writer.write_record(writer.create_warc_record(f"https://example.org/{n}", "response",
                                                  payload=BytesIO(body), http_headers=headers))  # fmt: skip
    return buffer.getvalue()


def zst(path: Path, count: int) -> bytes:
    dictionary = zstandard.ZstdCompressionDict(record(99)[:4096], dict_type=zstandard.DICT_TYPE_RAWCONTENT)
    frame = zstandard.ZstdCompressor().compress(dictionary.as_bytes())
    compressor = zstandard.ZstdCompressor(dict_data=dictionary)
    data = DICT_MAGIC + len(frame).to_bytes(4, "little") + frame
    extension = (
        b"\x50\x2a\x4d\x18" + (5).to_bytes(4, "little") + b"other"
    )  # a skippable frame the spec allows
    data += extension.join(compressor.compress(record(n)) for n in range(count))
    path.write_bytes(data)
    return data


def test_every_frame_is_a_record_extension_frames_skipped_whatever_the_file_is_named(tmp_path):
    path = tmp_path / "renamed.bin"  # told by its first bytes, not its name
    zst(path, 3)
    counters: Counter[str] = Counter()
    assert [c.url for c in iter_captures(path, counters)] == [f"https://example.org/{n}" for n in range(3)]
    assert counters == {"warc/records": 3, "warc/responses": 3}


def test_a_last_frame_cut_short_is_counted_not_silent(tmp_path):
    path = tmp_path / "torn.warc.zst"
    data = zst(path, 3)
    path.write_bytes(data[:-5])
    counters: Counter[str] = Counter()
    urls = [c.url for c in iter_captures(path, counters)]
    assert urls == ["https://example.org/0", "https://example.org/1"]
    assert counters["warc/unreadable"] == 1


def test_a_server_not_modified_revisit_takes_the_original_status_and_body(tmp_path):
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    ok = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    original = writer.create_warc_record("https://example.org/p", "response", payload=BytesIO(b"<p>post</p>"),
                                         http_headers=ok)  # fmt: skip
    writer.write_record(original)
    not_modified = StatusAndHeaders("304 Not Modified", [], protocol="HTTP/1.1")
    revisit = writer.create_revisit_record("https://example.org/p", original.rec_headers["WARC-Payload-Digest"],
                                           "https://example.org/p", "2024-01-01T00:00:00Z",
                                           http_headers=not_modified)  # fmt: skip
    revisit.rec_headers.replace_header(
        "WARC-Profile", "http://netpreserve.org/warc/1.1/revisit/server-not-modified"
    )
    revisit.rec_headers.add_header("WARC-Refers-To", original.rec_headers["WARC-Record-ID"])
    writer.write_record(revisit)
    (tmp_path / "a.warc.gz").write_bytes(buffer.getvalue())
    counters: Counter[str] = Counter()
    first, second = read_captures([tmp_path], counters)
    assert (second.status, second.body, second.content_type) == (200, b"<p>post</p>", "text/html")
    assert second.record_id == revisit.rec_headers["WARC-Record-ID"] != first.record_id
    assert counters["warc/revisit_resolved"] == 1 and counters["warc/revisits"] == 1

"""The media index: outcomes from bytes, from the ledger and from WARC files; post rows' media_files."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
from collections import Counter
from datetime import datetime, timezone

from PIL import Image
from scrapy.http import Request, Response

from crawler.ledger import Ledger
from crawler.media_warc import MediaIndex, read_payload, record_of_body
from crawler.parsers.media import select_media
from crawler.warc import WarcFileWriter, build_records
from crawler.warc_revisit import read_captures
from pipelines.media import MediaRecord, media_files, merge, read_index, write_index

WHEN = datetime(2026, 11, 1, 12, 0, tzinfo=timezone.utc)
BASE = "http://127.0.0.1:8000"


def png(width: int = 5, height: int = 3) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_real_image_is_fetched_with_its_hash_and_size():
    body = png()
    record = record_of_body(f"{BASE}/a.png", "image", body)
    assert (record.outcome, record.mime, record.bytes, record.width, record.height) == (
        "fetched", "image/png", len(body), 5, 3)  # fmt: skip
    assert record.sha256 == hashlib.sha256(body).hexdigest()


def test_an_html_page_sent_as_an_image_is_wrong_type():
    record = record_of_body(f"{BASE}/a.jpg", "image", b"<html><body>Not here</body></html>")
    assert record.outcome == "wrong_type" and record.sha256 is None
    assert record_of_body(f"{BASE}/a.mp3", "image", b"ID3\x03\x00\x00").outcome == "wrong_type"
    assert record_of_body(f"{BASE}/a.ogg", "video", b"OggS\x00\x02").outcome == "fetched"


def test_a_fetched_file_is_never_forgotten_by_a_later_failure():
    good = MediaRecord("u", "image", "fetched", "ab")
    assert merge(good, MediaRecord("u", "image", "http_503")) is good
    assert merge(MediaRecord("u", "image", "http_503"), good) is good
    assert merge(None, good) is good


def test_post_cells_one_per_media_url():
    index = {f"{BASE}/img/s1600/a.jpg": MediaRecord(f"{BASE}/img/s1600/a.jpg", "image", "fetched", "ff")}
    refs = select_media([f"{BASE}/img/s320/a.jpg", f"{BASE}/img/smilies/x.gif", f"{BASE}/v.mp4",
                         "https://www.youtube.com/embed/x"], "blogspot")  # fmt: skip
    cells = media_files(refs, index)
    assert [(c["file_url"], c["kind"], c["outcome"], c["sha256"]) for c in cells] == [
        (f"{BASE}/img/s1600/a.jpg", "image", "fetched", "ff"),
        (None, None, "not_content", None),
        (f"{BASE}/v.mp4", "video", "not_fetched", None),
        (None, None, "not_content", None),
    ]


def test_index_round_trip_sorted(tmp_path):
    records = [
        MediaRecord("https://b/x.jpg", "image", "http_404"),
        MediaRecord("https://a/y.jpg", "image", "fetched", "00"),
    ]
    assert write_index(tmp_path, records) == 2
    assert list(read_index(tmp_path)) == ["https://a/y.jpg", "https://b/x.jpg"]
    assert write_index(tmp_path, []) == 0 and read_index(tmp_path) == {}


def test_ledger_keeps_a_fetched_file_fetched(tmp_path):
    ledger = Ledger(tmp_path / "ledger.sqlite")
    url = f"{BASE}/a.png"
    ledger.record_media({"url": url, "kind": "image", "outcome": "http_503"})
    assert not ledger.media_archived(url)
    ledger.record_media(
        {
            "url": url,
            "kind": "image",
            "outcome": "fetched",
            "sha256": "ab",
            "warc_file": "f",
            "warc_offset": 9,
        }
    )
    ledger.record_media({"url": url, "kind": "image", "outcome": "timeout"})
    assert ledger.media_archived(url)
    [row] = ledger.media_records()
    assert (row["outcome"], row["sha256"], row["warc_offset"]) == ("fetched", "ab", 9)
    ledger.close()


def _exchange(url: str, status: int, body: bytes, meta: dict) -> tuple[Request, Response]:
    request = Request(url, meta=meta)
    return request, Response(
        url, status=status, body=body, headers={"Content-Type": "image/png"}, request=request
    )


def test_build_reads_the_same_records_back_from_the_warc(tmp_path):
    body = png(7, 4)
    writer = WarcFileWriter(tmp_path / "warc", max_bytes=10**9)
    media = {"blogarchive_kind": "media", "blogarchive_media_kind": "image"}
    where = {}
    for url, status, payload in ((f"{BASE}/a.png", 200, body), (f"{BASE}/gone.png", 404, b"no"),
                                 (f"{BASE}/page.html", 200, b"<html></html>")):  # fmt: skip
        meta = media if url.endswith(".png") else {"blogarchive_kind": "post"}
        records, _ = build_records(*_exchange(url, status, payload, meta), WHEN, meta)
        where[url] = writer.write(records)
    lone = writer.record_factory().create_warc_record(
        f"{BASE}/huge.jpg", "metadata", warc_content_type="application/json",
        payload=io.BytesIO(json.dumps({**media, "blogarchive_media_outcome": "too_large"}).encode()),
    )  # fmt: skip
    writer.write([lone])
    writer.close()
    index = MediaIndex()
    list(read_captures([tmp_path / "warc"], Counter(), observer=index))  # the build's one read of its WARCs
    found = {r.url: r for r in index.records()}
    assert {u: r.outcome for u, r in found.items()} == {
        f"{BASE}/a.png": "fetched", f"{BASE}/gone.png": "http_404", f"{BASE}/huge.jpg": "too_large"}  # fmt: skip
    fetched = found[f"{BASE}/a.png"]
    assert fetched.warc_offset == where[f"{BASE}/a.png"][1] and (fetched.width, fetched.height) == (7, 4)
    assert read_payload(tmp_path, fetched) == body
    # As a crawl records it: the file name only, read under OUT/warc.
    relative = MediaRecord(**{**fetched.__dict__, "warc_file": where[f"{BASE}/a.png"][0]})
    assert read_payload(tmp_path, relative) == body


def test_a_warc_that_is_no_gzip_one_is_read_for_media_by_warcio(tmp_path):
    writer = WarcFileWriter(tmp_path / "gz", max_bytes=10**9)
    media = {"blogarchive_kind": "media", "blogarchive_media_kind": "image"}
    for url, status, payload in (
        (f"{BASE}/a.png", 200, png(3, 2)),
        (f"{BASE}/page.html", 200, b"<html></html>"),
    ):
        meta = media if url.endswith(".png") else {"blogarchive_kind": "post"}
        writer.write(build_records(*_exchange(url, status, payload, meta), WHEN, meta)[0])
    writer.close()
    (packed,) = (tmp_path / "gz").glob("*.warc.gz")
    plain = tmp_path / "plain" / "in.warc"
    plain.parent.mkdir()
    plain.write_bytes(gzip.decompress(packed.read_bytes()))  # every member: one uncompressed WARC
    index = MediaIndex()
    captures = list(read_captures([plain], Counter(), observer=index))
    [found] = index.records()  # read on a thread beside the pages
    assert [c.url for c in captures] == [f"{BASE}/a.png", f"{BASE}/page.html"]
    assert (found.url, found.outcome, found.width, found.warc_file) == (
        f"{BASE}/a.png",
        "fetched",
        3,
        str(plain),
    )

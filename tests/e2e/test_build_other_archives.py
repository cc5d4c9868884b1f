"""``blogarchive build`` over the archive files other tools write, beyond gzip WARC.

Real bytes, written here as those tools write them: ArchiveTeam's ``.warc.zst`` (one zstd
frame a record, a dictionary in a skippable frame first — trained and zstd-compressed, or raw
and stored as is), Internet Archive's ``.arc.gz``, Heritrix/wget ``revisit`` records (the
payload is another record's) and ``WARC-Truncated`` records. The pages are real captures from
``tests/realpages``. Every capture gives a row or a counted outcome; a revisit whose original is
in no input is counted and named in the log; inputs with nothing to read exit non-zero.
"""

from __future__ import annotations

import gzip
import hashlib
from base64 import b32encode
from io import BytesIO
from pathlib import Path

import pytest
import zstandard
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.warc_read import DICT_MAGIC
from tests.helpers import blogarchive, read_posts, read_stats

REALPAGES = Path(__file__).resolve().parents[1] / "realpages"
HASSAN = "https://www.hassanchef.com/2020/09/bhindi-masala-okra-stir-fry.html"
LINKNAIJA = "https://www.linknaija.com/2018/10/nollywood-actress-kate-henshaw-is.html"
LUXURY = (
    "https://www.luxuryhaven.co/2019/05/nam-nghi-phu-quoc-unbound-collection-by-hyatt-officially-opens.html"
)
PAPIER = "https://www.derpapierplanet.de/2015/06/through-booking-glass-juni-genre.html"
BOIRE = "http://www.boiremanger.net/archives/2014/08/23/30458956.html"
GONE = "https://www.hassanchef.com/2019/01/a-post-deduplicated-against-another-crawl.html"
BODIES = {
    HASSAN: "blogspot/post-2020-hassanchef-2017-theme-data-num-comments",
    LINKNAIJA: "blogspot/post-2018-linknaija-custom-theme-data-num-comments",
    LUXURY: "blogspot/post-2019-luxuryhaven-24-comments-date-only-timestamp",
    PAPIER: "blogspot/post-2015-derpapierplanet-13-comments-with-replies",
    BOIRE: "canalblog/post-2014-boiremanger-custom-domain-no-footer",
}
HTML = [("Content-Type", "text/html; charset=utf-8")]


def body(url: str) -> bytes:
    return (REALPAGES / BODIES[url] / "input.html").read_bytes()


def digest(payload: bytes) -> str:
    return "sha1:" + b32encode(hashlib.sha1(payload).digest()).decode()


def records(build: list[tuple[str, ...]]) -> list[bytes]:
    """Uncompressed WARC records, one bytes each.

    ("response", url[, truncated]) or ("revisit", url, refers-to id or "", refers-to URI, the page of its digest).
    """
    out = []
    for kind, url, *rest in build:
        buffer = BytesIO()
        writer = WARCWriter(buffer, gzip=False)
        headers = StatusAndHeaders("200 OK", list(HTML), protocol="HTTP/1.1")
        if kind == "response":
            extra = {"WARC-Date": "2024-05-01T00:00:00Z", "WARC-Record-ID": f"<urn:uuid:{url[-12:]}>"}
            payload = body(url)
            if rest:  # cut at a length limit, as Heritrix does: the block is whole, the payload is not
                payload, extra["WARC-Truncated"] = payload[: len(payload) * 2 // 3], rest[0]
            record = writer.create_warc_record(url, "response", payload=BytesIO(payload),
                                               http_headers=headers, warc_headers_dict=extra)  # fmt: skip
        else:
            refers_to, refers_uri, same_as = rest
            record = writer.create_revisit_record(url, digest(body(same_as)), refers_uri,
                                                  "2024-05-01T00:00:00Z", http_headers=headers,
                                                  warc_headers_dict={"WARC-Date": "2024-06-01T00:00:00Z"})  # fmt: skip
            if refers_to:
                record.rec_headers.add_header("WARC-Refers-To", refers_to)
        writer.write_record(record)
        out.append(buffer.getvalue())
    return out


def zst_warc(path: Path, raw_records: list[bytes], dictionary: zstandard.ZstdCompressionDict | None,
             compress_dictionary: bool = True) -> None:  # fmt: skip
    """ArchiveTeam's layout: the dictionary's skippable frame, then a zstd frame per record."""
    compressor = zstandard.ZstdCompressor(level=3, dict_data=dictionary)
    with path.open("wb") as stream:
        if dictionary is not None:
            data = dictionary.as_bytes()
            data = zstandard.ZstdCompressor().compress(data) if compress_dictionary else data
            stream.write(DICT_MAGIC + len(data).to_bytes(4, "little") + data)
        for record in raw_records:
            stream.write(compressor.compress(record))


def arc_gz(path: Path, urls: list[str]) -> None:
    """An ARC v1 file as the Internet Archive wrote them, each record its own gzip member."""
    version = b"1 0 InternetArchive\nURL IP-address Archive-date Content-type Archive-length\n"
    members = [b"filedesc://test.arc 0.0.0.0 20080101000000 text/plain %d\n%s\n" % (len(version), version)]
    for url in urls:
        payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + body(url)
        members.append(
            b"%s 127.0.0.1 20080101000000 text/html %d\n%s\n" % (url.encode(), len(payload), payload)
        )
    path.write_bytes(b"".join(gzip.compress(m, mtime=0) for m in members))


def trained_dictionary() -> zstandard.ZstdCompressionDict:
    samples = [
        chunk for url in BODIES for chunk in (body(url)[i : i + 2048] for i in range(0, 200_000, 2048))
    ]
    return zstandard.train_dictionary(4096, [s for s in samples if s])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    inputs = tmp_path_factory.mktemp("others")
    (inputs / "at").mkdir()
    # ArchiveTeam: a trained, compressed dictionary; a revisit of LUXURY by record id (its original is
    # in the plain WARC below, a later file), and one of a crawl not given.
    zst_warc(inputs / "at" / "at-00000.warc.zst", records([
        ("response", HASSAN),
        ("revisit", LUXURY, "<urn:uuid:" + LUXURY[-12:] + ">", LUXURY, LUXURY),
        ("revisit", GONE, "<urn:uuid:not-in-these-inputs>", GONE, HASSAN),
    ]), trained_dictionary())  # fmt: skip
    # A raw-content dictionary, stored uncompressed (the spec allows both).
    zst_warc(inputs / "at" / "at-00001.warc.zst", records([("response", PAPIER)]),
             zstandard.ZstdCompressionDict(body(HASSAN)[:8192], dict_type=zstandard.DICT_TYPE_RAWCONTENT),
             compress_dictionary=False)  # fmt: skip
    (inputs / "heritrix.warc").write_bytes(
        b"".join(records([("response", LUXURY), ("response", BOIRE, "length")]))
    )
    arc_gz(inputs / "ia.arc.gz", [LINKNAIJA])
    (inputs / "notes.txt").write_text("not an archive\n", encoding="utf-8")  # not picked up from a directory
    out = tmp_path_factory.mktemp("out") / "out"
    result = blogarchive("build", str(inputs), "-o", str(out), "--workers", "0")
    return result, read_stats(out), {row["url"]: row for row in read_posts(out)}


def test_zstd_arc_revisit_and_truncated_captures_give_their_rows(built):
    _, _, rows = built
    assert set(rows) == {HASSAN, LINKNAIJA, LUXURY, PAPIER, BOIRE}
    assert all(row["text"] for row in rows.values())
    assert len(rows[LUXURY]["comments"]) == 24 and len(rows[PAPIER]["comments"]) == 13


def test_every_capture_and_record_is_counted(built):
    result, stats, _ = built
    build, warc = stats["build"], stats["warc"]
    # 5 responses (2 zst, 2 plain WARC, 1 ARC) + the revisit resolved (same payload as LUXURY's response).
    assert warc["responses"] == 5 and warc["revisits"] == 2
    assert warc["revisit_resolved"] == 1 and warc["revisit_unresolved"] == 1
    assert warc["truncated"] == 1
    assert build["captures"] == 6 and build["captures_with_rows"] == 6
    assert f"revisit_unresolved: {GONE}" in result.stderr
    assert "was truncated by its crawler (length)" in result.stderr


def test_a_revisit_found_by_uri_and_digest_gives_the_original_payload(tmp_path):
    # No WARC-Refers-To (wget --warc-dedup without it): the URI and payload digest find the original.
    (tmp_path / "in").mkdir()
    zst_warc(tmp_path / "in" / "dedup.warc.zst", records([("response", HASSAN), ("revisit", HASSAN, "", HASSAN, HASSAN)]),
             None)  # fmt: skip
    blogarchive("build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "0")
    stats = read_stats(tmp_path / "out")
    assert stats["warc"]["revisit_resolved"] == 1 and "revisit_unresolved" not in stats["warc"]
    assert stats["build"]["captures"] == 2 and stats["build"]["captures_with_rows"] == 2
    assert [row["url"] for row in read_posts(tmp_path / "out")] == [HASSAN]


@pytest.mark.parametrize(
    ("name", "content", "cause"),
    [
        (
            "notes.txt",
            b"not an archive\n",
            "no WARC, ARC or WACZ files (*.warc, *.warc.gz, *.warc.zst, *.arc, *.arc.gz, *.wacz)",
        ),
        ("broken.warc.zst", DICT_MAGIC + b"\xff\xff\xff\x7f", "no readable response record in the inputs"),
        ("empty.warc.zst", b"", "no readable response record in the inputs"),
    ],
)
def test_inputs_with_nothing_readable_exit_non_zero_with_one_line(tmp_path, name, content, cause):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / name).write_bytes(content)
    result = blogarchive("build", str(tmp_path / "in"), "-o", str(tmp_path / "out"), check=False)
    assert result.returncode == 2  # a usage error, as every build input error
    errors = [line for line in result.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1 and cause in errors[0], result.stderr

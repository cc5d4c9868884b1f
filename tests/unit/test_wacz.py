"""WACZ inputs: the WARCs of the ``archive/`` folder are read, nothing else of the zip, nothing outside the scratch."""

from __future__ import annotations

import zipfile
from collections import Counter

import pytest

from crawler.wacz import is_warc_member, open_warc, unpacked


@pytest.mark.parametrize(
    ("name", "wanted"),
    [
        ("archive/data.warc.gz", True),
        ("archive/rec-20231006185409984249-5188c8f5bc62.warc.gz", True),
        ("archive/sub/old.arc.gz", True),
        ("archive/../../../etc/evil.warc.gz", True),  # read, under its name only: never outside the scratch
        ("indexes/index.cdx.gz", False),
        ("pages/pages.jsonl", False),
        ("data.warc.gz", False),  # not in archive/
        ("archive/notes.txt", False),
    ],
)
def test_only_the_warcs_of_the_archive_folder_are_read(name, wanted):
    assert is_warc_member(name) is wanted


def test_members_are_copied_under_the_scratch_by_name_and_a_bad_one_is_counted(tmp_path):
    wacz = tmp_path / "in.wacz"
    with zipfile.ZipFile(wacz, "w") as archive:
        archive.writestr("archive/a.warc.gz", b"A" * 1000, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("archive/../../b.warc.gz", b"B" * 1000, compress_type=zipfile.ZIP_STORED)
        archive.writestr("archive/c.warc.gz", b"C" * 1000, compress_type=zipfile.ZIP_STORED)
        archive.writestr("pages/pages.jsonl", b"{}")
    data = bytearray(wacz.read_bytes())
    data[data.index(b"C" * 1000)] = ord("X")  # c's CRC fails
    wacz.write_bytes(bytes(data))
    other = tmp_path / "plain.warc.gz"
    other.write_bytes(b"")
    scratch = tmp_path / "out" / ".state" / "wacz"
    counters: Counter = Counter()
    with unpacked([wacz, other], scratch, counters) as found:
        files = list(found)
        assert [f.name for f in files] == ["a.warc.gz", "b.warc.gz", "plain.warc.gz"]
        assert all(f.is_relative_to(scratch) for f in files[:2]) and files[2] == other
        assert files[0].read_bytes() == b"A" * 1000 and files[1].read_bytes() == b"B" * 1000
        assert not list(scratch.rglob("c.warc.gz"))  # the partial copy removed
        # Where their records stay once the copies are gone: the WACZ's members, the file itself.
        assert list(found.values()) == [
            f"{wacz}#archive/a.warc.gz",
            f"{wacz}#archive/../../b.warc.gz",
            str(other),
        ]
    assert counters == {"warc/unreadable": 1}
    assert not scratch.exists()
    with open_warc(f"{wacz}#archive/a.warc.gz") as stream:
        stream.seek(10)
        assert stream.read(5) == b"AAAAA"
    with open_warc(str(other)) as stream:
        assert stream.read() == b""


def test_a_zip_without_warcs_is_counted(tmp_path):
    wacz = tmp_path / "empty.wacz"
    with zipfile.ZipFile(wacz, "w") as archive:
        archive.writestr("datapackage.json", b"{}")
    counters: Counter = Counter()
    with unpacked([wacz], tmp_path / "scratch", counters) as files:
        assert files == {}
    assert counters == {"warc/wacz_without_warc": 1}


def test_a_member_whose_header_is_damaged_is_counted_and_the_others_read(tmp_path):
    """Found by building mutated real WACZs: a bad local header fails before the copy is opened."""
    wacz = tmp_path / "in.wacz"
    with zipfile.ZipFile(wacz, "w") as archive:
        archive.writestr("archive/a.warc.gz", b"A" * 100, compress_type=zipfile.ZIP_STORED)
        archive.writestr("archive/b.warc.gz", b"B" * 100, compress_type=zipfile.ZIP_STORED)
    data = wacz.read_bytes()
    wacz.write_bytes(b"XX" + data[2:])  # the first member's local header: no magic number
    counters: Counter = Counter()
    with unpacked([wacz], tmp_path / "scratch", counters) as files:
        assert [f.name for f in files] == ["b.warc.gz"]
    assert counters == {"warc/unreadable": 1}

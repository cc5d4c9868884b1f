"""Seed files: one URL a line with comments, or CSV with a url column, read lazily."""

from __future__ import annotations

from itertools import islice

import pytest

from crawler.errors import UserError
from crawler.seeds import check_seed_file, csv_url_column, normalize_seed, parse_seeds, read_seeds


def test_a_text_seed_file(tmp_path):
    path = tmp_path / "seeds.txt"
    path.write_text(
        "# French cooking blogs, 2005-2012\n\n"
        "http://cuisine.canalblog.com/\n"
        "  https://example.blogspot.com   # moved in 2011\n"
        "monblog.typepad.com\n"
        "\t# an indented comment\n",
        encoding="utf-8",
    )
    assert list(read_seeds(path)) == [
        "http://cuisine.canalblog.com/",
        "https://example.blogspot.com",
        "http://monblog.typepad.com",
    ]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_a_csv_seed_file_uses_its_url_column(tmp_path, delimiter):
    path = tmp_path / "seeds.csv"
    rows = [["name", "URL", "posts"], ["Cuisine", "http://cuisine.canalblog.com/", "120"],
            ["# left out", "http://no.canalblog.com/", "1"], ["Short row"], ["Quoted", '"http://a.typepad.com/"', "3"]]  # fmt: skip
    path.write_text("\n".join(delimiter.join(row) for row in rows) + "\n", encoding="utf-8")
    assert list(read_seeds(path)) == ["http://cuisine.canalblog.com/", "http://a.typepad.com/"]


def test_a_utf8_bom_does_not_hide_the_header(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes("\ufeffurl,title\nhttp://a.canalblog.com/,Été\n".encode())
    assert list(read_seeds(path)) == ["http://a.canalblog.com/"]


def test_seeds_are_read_only_as_they_are_needed():
    def lines():
        yield "a.canalblog.com"
        yield "b.canalblog.com"
        raise AssertionError("read past the seeds asked for")

    assert list(islice(parse_seeds(lines()), 2)) == ["http://a.canalblog.com", "http://b.canalblog.com"]


@pytest.mark.parametrize(
    ("line", "seed"),
    [("  # only a comment", None), ("", None), ("https://x.tumblr.com/#top", "https://x.tumblr.com/#top"),
     ("not a url", "not a url"), ("x.tumblr.com/archive", "http://x.tumblr.com/archive")],
)  # fmt: skip
def test_normalize_seed(line, seed):
    assert normalize_seed(line) == seed


def test_csv_header_detection():
    assert csv_url_column("id;blog_url;title") == (";", 1)
    assert csv_url_column("http://a.example/?x=1,2") is None
    assert csv_url_column("name,site") is None


def test_unusable_seed_files_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="not found"):
        check_seed_file(tmp_path / "missing.txt")
    binary = tmp_path / "seeds.gz"
    binary.write_bytes(b"\x1f\x8b\x08\x00\x00\x00")
    with pytest.raises(UserError, match="not a text seed file"):
        check_seed_file(binary)

"""``blogarchive build`` over a WARC another tool wrote: real pages, no crawl metadata.

The pages are real captures kept in ``tests/realpages``; the WARC holds each at the URL it
was fetched from and nothing else, as Heritrix, wget or ArchiveTeam write them. The
platform and the kind of page come from the HTML (custom domains), every capture gives a
row or is counted under an outcome, and the log names each capture that gave no row.
"""

from __future__ import annotations

import json
import re
import zipfile
from hashlib import sha256
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.media_warc import read_payload
from pipelines.media import read_index
from tests.helpers import blogarchive, read_posts
from tests.unit.test_media_index import png

REALPAGES = Path(__file__).resolve().parents[1] / "realpages"

# case folder -> (URL it was fetched from, comments visible on the page or None for no row)
PAGES = {
    "blogspot/post-2019-luxuryhaven-24-comments-date-only-timestamp": (
        "https://www.luxuryhaven.co/2019/05/nam-nghi-phu-quoc-unbound-collection-by-hyatt-officially-opens.html", 24),
    "blogspot/post-2015-derpapierplanet-13-comments-with-replies": (
        "https://www.derpapierplanet.de/2015/06/through-booking-glass-juni-genre.html", 13),
    "blogspot/post-2020-hassanchef-2017-theme-data-num-comments": (
        "https://www.hassanchef.com/2020/09/bhindi-masala-okra-stir-fry.html", 0),
    "blogspot/post-2018-linknaija-custom-theme-data-num-comments": (
        "https://www.linknaija.com/2018/10/nollywood-actress-kate-henshaw-is.html", 0),
    "canalblog/post-2009-evacuisine-custom-domain-paginated-comments": (
        "http://www.evacuisine.fr/archives/2009/02/28/12603374.html", 50),
    "canalblog/post-2014-boiremanger-custom-domain-no-footer": (
        "http://www.boiremanger.net/archives/2014/08/23/30458956.html", 3),
    "blogspot/other-bjori-in-blog-404-not-found": ("https://bjori.blogspot.com/2015/04/missing-post.html", None),
    "blogspot/archive-2011-unexpecteduser-year-page-country-domain": ("http://unexpecteduser.blogspot.de/2011/", None),
    "typepad/page-author-allan-koech-not-a-post": ("https://getcoreinterface.typepad.com/blog/allan-koech.html", None),
}  # fmt: skip
POSTS = {url: comments for url, comments in PAGES.values() if comments is not None}


def write_foreign_warc(path: Path, pages: dict[str, tuple[str, int | None]]) -> None:
    """Response records only, as a non-blogarchive crawler writes them."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for case, (url, _) in pages.items():
            body = (REALPAGES / case / "input.html").read_bytes()
            write_response(writer, url, "200 OK", body)
        # What a crawler also stores and a build does not parse: counted, not silent.
        write_response(writer, "https://www.hassanchef.com/robots.txt", "200 OK", b"User-agent: *")
        write_response(
            writer, "https://www.hassanchef.com/2020/09/gone.html", "404 Not Found", b"<html></html>"
        )
        # A browser's capture (browsertrix) holds each page's pictures, styles and fonts too: no pages.
        write_response(writer, "https://www.hassanchef.com/logo.png", "200 OK", b"\x89PNG\r\n", "image/png")
        write_response(
            writer, "https://www.hassanchef.com/theme.css", "200 OK", b"p {}", "text/css; charset=utf-8"
        )


def write_response(
    writer: WARCWriter, url: str, status: str, body: bytes, content_type: str = "text/html"
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=headers,
                                       warc_headers_dict={"WARC-Date": "2024-05-01T00:00:00Z"})  # fmt: skip
    writer.write_record(record)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("foreign")
    write_foreign_warc(tmp / "foreign.warc.gz", PAGES)
    result = blogarchive("build", str(tmp / "foreign.warc.gz"), "-o", str(tmp / "out"), "--workers", "0")
    stats = json.loads((tmp / "out" / "stats.json").read_text(encoding="utf-8"))
    return result, stats, read_posts(tmp / "out")


def test_custom_domain_permalinks_give_their_rows_and_comments(built):
    _, _, rows = built
    by_url = {row["url"]: row for row in rows}
    for url, comments in POSTS.items():
        assert url in by_url, url
        assert len(by_url[url]["comments"]) == comments, url
        assert by_url[url]["text"], url


def test_every_capture_gives_a_row_or_an_outcome(built):
    result, stats, _ = built
    build = stats["build"]
    assert build["captures"] == len(PAGES)
    assert build["captures_with_rows"] + sum(stats["outcomes"].values()) == build["captures"]
    # The author page is no post: a listing of links (INFO in the log), the 404 is a warning.
    assert stats["outcomes"] == {"not_found": 1, "links_only": 1}
    assert stats["dropped"] == {"http_404": 1, "robots_txt": 1, "not_a_page": 2}
    assert "logo.png" not in result.stderr  # counted, not logged one by one
    # The log names every capture that gave no row; the summary table is printed.
    assert "not_found: https://bjori.blogspot.com/2015/04/missing-post.html" in result.stderr
    assert "blogarchive build" in result.stderr and "outcomes" in result.stderr


def test_pages_stored_as_resource_records_give_their_rows(tmp_path):
    """warcit turns a saved copy of a site (a blog backup, a mirror) into a WARC of ``resource`` records:
    the document without an HTTP exchange. Its posts are posts; the tools' own notes are counted."""
    saved = {
        case: PAGES[case]
        for case in list(PAGES)[:2] + ["canalblog/post-2014-boiremanger-custom-domain-no-footer"]
    }
    with (tmp_path / "saved.warc.gz").open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for case, (url, _) in saved.items():
            body = (REALPAGES / case / "input.html").read_bytes()
            writer.write_record(writer.create_warc_record(url, "resource", payload=BytesIO(body), length=len(body),
                                                          warc_content_type="text/html"))  # fmt: skip
        note = b'{"pages": 3}'
        writer.write_record(writer.create_warc_record("urn:pageinfo:https://www.luxuryhaven.co/", "resource",
                                                      payload=BytesIO(note), length=len(note),
                                                      warc_content_type="application/json"))  # fmt: skip
    blogarchive("build", str(tmp_path / "saved.warc.gz"), "-o", str(tmp_path / "out"), "--workers", "0")
    by_url = {row["url"]: row for row in read_posts(tmp_path / "out")}
    assert {url: len(by_url[url]["comments"]) for url, _ in saved.values()} == dict(saved.values())
    stats = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))
    assert stats["warc"] == {"records": 4, "resources": 3, "resource_not_http": 1}


def test_a_wacz_is_built_from_the_warcs_of_its_archive_folder_and_a_torn_one_is_counted(tmp_path):
    """browsertrix-crawler and ArchiveWeb.page save a WACZ: a zip with the WARCs in ``archive/``. A WACZ
    cut short (no central directory) is counted and logged; the inputs beside it are built."""
    write_foreign_warc(tmp_path / "data.warc.gz", dict(list(PAGES.items())[:2]))
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    with zipfile.ZipFile(
        inputs / "crawl.wacz", "w"
    ) as wacz:  # WARCs stored, the rest deflated, as py-wacz does
        wacz.write(tmp_path / "data.warc.gz", "archive/data.warc.gz", compress_type=zipfile.ZIP_STORED)
        wacz.writestr(
            "pages/pages.jsonl", '{"format": "json-pages-1.0"}\n', compress_type=zipfile.ZIP_DEFLATED
        )
        wacz.writestr("datapackage.json", "{}", compress_type=zipfile.ZIP_DEFLATED)
    (inputs / "torn.wacz").write_bytes((inputs / "crawl.wacz").read_bytes()[:-200])
    result = blogarchive("build", str(inputs), "-o", str(tmp_path / "out"), "--workers", "0")
    urls = {row["url"] for row in read_posts(tmp_path / "out")}
    assert urls == {url for url, _ in list(PAGES.values())[:2]}
    stats = json.loads((tmp_path / "out" / "stats.json").read_text(encoding="utf-8"))
    assert (
        stats["warc"]["unreadable"] == 1 and "torn.wacz: stopped reading an unreadable WACZ" in result.stderr
    )
    assert not (tmp_path / "out" / ".state" / "wacz").exists()  # the copies are removed


def rewritten_replay(body: bytes, timestamp: str) -> bytes:
    """The page as the Wayback Machine replays it without ``id_``: its banner after ``<body>``, its links
    and pictures under the archive's prefix (absolute for links, from the path for pictures)."""
    banner = (b"<!-- BEGIN WAYBACK TOOLBAR INSERT --><div id='wm-ipp-base'>The Wayback Machine - "
              b"https://web.archive.org/web/%s/ 12 captures 01 Jul 2015 - 02 Aug 2019</div>"
              b"<!-- END WAYBACK TOOLBAR INSERT -->" % timestamp.encode())  # fmt: skip
    body = re.sub(rb"(<body[^>]*>)", lambda m: m.group(1) + banner, body, count=1, flags=re.I)
    body = re.sub(rb'href="(https?:)', rb'href="https://web.archive.org/web/%s/\1' % timestamp.encode(), body)
    return re.sub(rb'src="(https?:)', rb'src="/web/%sim_/\1' % timestamp.encode(), body)


def test_pages_harvested_from_an_archives_replay_are_their_originals(tmp_path):
    """Someone saved a dead blog by harvesting the Wayback Machine with wget: the pages are addressed
    under web.archive.org, raw (``id_``) or rewritten, and old captures are named with their default port
    (``http://host:80/``). Each gives its original's row, source wayback, archived at its timestamp: the
    rewritten one as the raw one (no banner, original URLs)."""
    # The Typepad post was saved under a URL it moved from: its canonical link names where it is.
    cases = ["blogspot/post-2015-derpapierplanet-13-comments-with-replies",
             "canalblog/post-2014-boiremanger-custom-domain-no-footer",
             "typepad/post-2018-saved-under-moved-url"]  # fmt: skip
    rows = {}
    for name, modifier in (("live", None), ("raw", "id_"), ("rewritten", ""), ("with_port", "")):
        with (tmp_path / f"{name}.warc.gz").open("wb") as stream:
            writer = WARCWriter(stream, gzip=True)
            for case in cases:
                url = json.loads((REALPAGES / case / "meta.json").read_text(encoding="utf-8"))["url"]
                body = (REALPAGES / case / "input.html").read_bytes()
                if name == "with_port":
                    url = re.sub(r"^(http(s?)://[^/]+)", lambda m: m[1] + (":443" if m[2] else ":80"), url)
                if modifier is not None:
                    url = f"https://web.archive.org/web/20150701203040{modifier}/{url}"
                    body = rewritten_replay(body, "20150701203040") if modifier == "" else body
                write_response(writer, url, "200 OK", body)
        blogarchive("build", str(tmp_path / f"{name}.warc.gz"), "-o", str(tmp_path / name), "--workers", "0")
        rows[name] = {row["url"]: row for row in read_posts(tmp_path / name)}
    assert len(rows["live"]) == len(cases)
    assert set(rows["raw"]) == set(rows["rewritten"]) == set(rows["with_port"]) == set(rows["live"])
    for url, live in rows["live"].items():
        for name in ("raw", "rewritten", "with_port"):
            row = rows[name][url]
            assert (row["source"], row["archived_at"].isoformat()) == ("wayback", "2015-07-01T20:30:40+00:00")
            same = ("blog_url", "title", "author", "published", "text", "tags", "comments", "media_urls")
            assert {k: row[k] for k in same} == {k: live[k] for k in same}, (name, url)


def test_a_browsers_capture_gives_the_posts_pictures_it_holds(tmp_path):
    """A browser's capture (browsertrix, in a WACZ) holds the pictures of each page at the size shown:
    the post's ``media_files`` name them, fetched, with their hash, and the bytes are read back from the
    WACZ once the build's copies are gone. A picture it does not hold stays not_fetched."""
    case = "blogspot/post-2015-derpapierplanet-13-comments-with-replies"
    url, body = PAGES[case][0], (REALPAGES / case / "input.html").read_bytes()
    same_size = (
        "https://2.bp.blogspot.com/-jDJ7mMMWS84/VSfAzvYNuCI/AAAAAAAAAOs/XF5R8DiXyxU/s1600/ttbgnormal.png"
    )
    shown = (
        "https://lh3.googleusercontent.com/proxy/J_jf4Z287GB6w2KIDYJb-Za-P2mRVPWBXH8g1TJnF7JHhY1DA_xQBk5s_AG5eC"
        "FvGXT12uq5qRXke-VTdJeU1nO_thAXggxUumrSuQfmDKyD-HvLNC55k23f1qg=s0-d"
    )  # its best size (=s0) not held
    pictures = {same_size: png(4, 4), shown: png(6, 2)}
    with (tmp_path / "data.warc.gz").open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        write_response(writer, url, "200 OK", body)
        for picture, data in pictures.items():
            write_response(writer, picture, "200 OK", data, "image/png")
    with zipfile.ZipFile(tmp_path / "crawl.wacz", "w") as wacz:
        wacz.write(tmp_path / "data.warc.gz", "archive/data.warc.gz", compress_type=zipfile.ZIP_STORED)
    blogarchive("build", str(tmp_path / "crawl.wacz"), "-o", str(tmp_path / "out"), "--workers", "0")
    (row,) = read_posts(tmp_path / "out")
    files = {cell["url"]: cell for cell in row["media_files"]}
    for picture, data in pictures.items():
        cell = files[picture]
        assert (cell["outcome"], cell["file_url"], cell["sha256"]) == (
            "fetched",
            picture,
            sha256(data).hexdigest(),
        )
    assert (
        files["https://babylonbaroque.files.wordpress.com/2010/08/getimage-6.jpg"]["outcome"] == "not_fetched"
    )
    index = read_index(tmp_path / "out")
    assert {read_payload(tmp_path / "out", index[picture]) for picture in pictures} == set(pictures.values())

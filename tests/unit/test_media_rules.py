"""Media URL rules (best size, chrome, kind) and byte sniffing, on real pages and on URLs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from crawler.parsers import get_parser
from crawler.parsers.base import LinkKind
from crawler.parsers.media import (
    MediaKind,
    best_size,
    image_size,
    is_chrome,
    media_kind,
    select_media,
    sniff_mime,
)

PAGES = Path(__file__).resolve().parents[1] / "realpages"  # the corpus: see its SOURCES.tsv


def fetch_urls(platform: str, page: str, url: str, kind: LinkKind = LinkKind.POST) -> list[list[str | None]]:
    text = (PAGES / page / "input.html").read_text(encoding="utf-8", errors="replace")
    posts = get_parser(platform).parse(text, url, kind).posts
    return [[ref.fetch_url for ref in select_media(post.media_urls, platform)] for post in posts]


def test_blogger_post_image_at_s1600():
    [urls] = fetch_urls("blogspot", "blogspot/post-2019-luxuryhaven-24-comments-date-only-timestamp",
                        "https://www.luxuryhaven.co/2019/05/nam-nghi-phu-quoc-unbound-collection-by-hyatt-officially-opens.html")  # fmt: skip
    assert urls == ["https://1.bp.blogspot.com/-Jjz3ADyH9O0/XO6LJPoykpI/AAAAAAAA05w/"
                    "P90cMH89cZYECmTDOuBPK9G-l0nHzNbFgCLcBGAs/s1600/nam-nghi-phu-quoc-unbound-collection-by-hyatt.jpg"]  # fmt: skip


def test_canalblog_post_images_original_on_storage_host_sidebar_left_out():
    [urls] = fetch_urls(
        "canalblog",
        "canalblog/post-2014-boiremanger-custom-domain-no-footer",
        "http://www.boiremanger.net/archives/2014/08/23/30458956.html",
    )
    # The page holds 18 storage.canalblog.com images (sidebar previews of other posts and
    # blogs): the post body has two.
    assert urls == ["https://storage.canalblog.com/05/78/71856/98356837.jpg",
                    "https://storage.canalblog.com/22/69/71856/98357224.jpg"]  # fmt: skip


def test_typepad_assets_without_size_suffix():
    [urls] = fetch_urls("typepad", "typepad/post-2013-devdays-images",
                        "https://getcoreinterface.typepad.com/blog/2013/12/me-devdays-2013-apac-and-las-vegas.html")  # fmt: skip
    assert urls == [f"https://getcoreinterface.typepad.com/.a/6a019104a31725970c019b02d36{tail}970c"
                    for tail in ("82a", "84e", "866")]  # fmt: skip


def test_tumblr_photos_at_1280_and_no_avatar():
    posts = fetch_urls(
        "tumblr",
        "tumblr/home-2012-fashionwithoutheels-photo-grid",
        "http://fashionwithoutheels.tumblr.com/",
        LinkKind.HOME,
    )
    assert len(posts) == 9
    for urls in posts:
        assert len(urls) == 1 and urls[0].endswith("_1280.jpg") and "media.tumblr.com/tumblr_" in urls[0]
    html = (PAGES / "tumblr/home-2012-fashionwithoutheels-photo-grid/input.html").read_text(
        encoding="utf-8", errors="replace"
    )
    assert "avatar_0bbef19b5a0e_128.png" in html  # the theme shows the avatar: it is not a post's


@pytest.mark.parametrize(
    ("url", "platform", "expected"),
    [
        ("https://1.bp.blogspot.com/-a/b/c/s72-c/x.jpg", "blogspot", "https://1.bp.blogspot.com/-a/b/c/s1600/x.jpg"),
        ("https://1.bp.blogspot.com/-a/b/c/w640-h480/x.jpg", "blogspot", "https://1.bp.blogspot.com/-a/b/c/s1600/x.jpg"),
        ("https://1.bp.blogspot.com/-a/b/c/s2048/x.jpg", "blogspot", "https://1.bp.blogspot.com/-a/b/c/s2048/x.jpg"),
        ("https://blogger.googleusercontent.com/img/a/AVvXsEh=w400-h300", "blogspot",
         "https://blogger.googleusercontent.com/img/a/AVvXsEh=s0"),
        ("https://64.media.tumblr.com/tumblr_abc123o1_500.png", "tumblr", "https://64.media.tumblr.com/tumblr_abc123o1_1280.png"),
        ("https://64.media.tumblr.com/tumblr_abc123o1_raw.jpg", "tumblr", "https://64.media.tumblr.com/tumblr_abc123o1_raw.jpg"),
        ("https://x.typepad.com/.a/6a00d8341c4e0153ef0120a5e0e2c6970c-320wi", "typepad",
         "https://x.typepad.com/.a/6a00d8341c4e0153ef0120a5e0e2c6970c"),
        ("https://x.typepad.com/.a/6a00d8341c4e0153ef0120a5e0e2c6970c-popup", "typepad",
         "https://x.typepad.com/.a/6a00d8341c4e0153ef0120a5e0e2c6970c"),
        ("http://x.typepad.com/blog/.shared/image.html?/photos/uncategorized/foo.jpg", "typepad",
         "http://x.typepad.com/blog/photos/uncategorized/foo.jpg"),
        ("http://p5.storage.canalblog.com/51/41/71856/22535465_p.jpg", "canalblog",
         "http://storage.canalblog.com/51/41/71856/22535465.jpg"),
        ("http://maflo.canalblog.com/images/t-vacances.jpg", "canalblog", "http://maflo.canalblog.com/images/vacances.jpg"),
    ],
)  # fmt: skip
def test_best_size(url, platform, expected):
    assert best_size(url, platform) == expected


@pytest.mark.parametrize(
    ("url", "platform"),
    [
        ("https://resources.blogblog.com/img/icon18_edit_allbkg.gif", "blogspot"),
        ("https://www.blogger.com/img/icon18_wrench_allbkg.png", "blogspot"),
        ("https://blogger.googleusercontent.com/tracker/123-456?l=x", "blogspot"),
        ("http://feeds.feedburner.com/~r/blog/~4/abc", "blogspot"),
        ("http://static.canalblog.com/sharedDocs/images/smilies/icon_smile.gif", "canalblog"),
        ("http://profilepics.canalblog.com/profilepics/1/2/123.jpg", "canalblog"),
        ("http://25.media.tumblr.com/avatar_0bbef19b5a0e_128.png", "tumblr"),
        ("https://assets.tumblr.com/images/og/fb_landscape_share.png", "tumblr"),
        ("https://x.typepad.com/.shared/images/circle-twitter.png", "typepad"),
        ("http://www.gravatar.com/avatar/0", "canalblog"),
        ("https://s.w.org/images/core/emoji/2.2.1/72x72/1f600.png", None),
        ("https://example.org/img/spacer.gif", None),
    ],
)
def test_chrome_is_never_content(url, platform):
    assert is_chrome(url, platform)
    assert select_media([url], platform)[0].fetch_url is None


def test_kinds_and_what_is_not_a_file():
    assert media_kind("https://x.org/a/b.JPG", None) is MediaKind.IMAGE
    assert media_kind("https://x.org/a/b.mp4", None) is MediaKind.VIDEO
    assert media_kind("https://x.org/a/b.mp3?x=1", None) is MediaKind.AUDIO
    assert (
        media_kind("https://x.typepad.com/.a/6a00d8341c4e0153ef0120a5e0e2c6970c", "typepad")
        is MediaKind.IMAGE
    )
    assert media_kind("https://www.youtube.com/embed/abc", "tumblr") is None  # an embed page, not a file
    assert select_media(["javascript:alert(1)", "data:image/png;base64,AAAA"], None)[0].fetch_url is None


def _image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (12, 7), (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(("fmt", "mime"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("GIF", "image/gif"),
                                           ("WEBP", "image/webp"), ("BMP", "image/bmp")])  # fmt: skip
def test_sniff_real_images_and_their_size(fmt, mime):
    body = _image(fmt)
    assert sniff_mime(body[:64]) == mime
    assert image_size(body) == (12, 7)


def test_sniff_refuses_html_served_as_an_image():
    assert sniff_mime(b"<!DOCTYPE html><html><body>Error 404</body></html>") is None
    assert sniff_mime(b"") is None
    assert sniff_mime(b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>") == "image/svg+xml"
    assert sniff_mime(b"ID3\x03\x00") == "audio/mpeg"
    assert sniff_mime(b"\x00\x00\x00\x18ftypmp42") == "video/mp4"
    assert image_size(b"<html>") == (None, None)

"""The shared parser helpers that stand in for slower equivalents give the same answers."""

from urllib.parse import urljoin

import pytest

from crawler.parsers.base import absolute, has_class, parse_html, with_classes, xpath

PAGE = """<html><head><title>t</title></head><body class="home">
<div class="post\tbody x" id="a"><p class="post-body">one</p></div>
<div class="posts"><span class=" post-body ">two</span></div>
<article class="x\npost-body\ry"><div itemprop="articleBody">three</div></article>
<div class="post-bodyx">no</div><div class="xpost-body">no</div><div class="">no</div>
</body></html>"""


@pytest.mark.parametrize(
    ("names", "union"),
    [
        (frozenset({"post-body"}), ""),
        (frozenset({"post-body", "home", "posts"}), ""),
        (frozenset({"post-body"}), "//@itemprop[contains(., 'articleBody')]/.."),
        (frozenset({"absent"}), "//p"),
        (frozenset({"absent"}), ""),
    ],
)
def test_with_classes_selects_what_has_class_selects(names, union):
    root = parse_html(PAGE)
    tests = " or ".join(has_class(name) for name in sorted(names))
    expected = xpath(root, f"//*[{tests}]" + (f" | {union}" if union else ""))
    assert with_classes(root, names, union) == expected


def test_with_classes_splits_on_xml_white_space_only():
    found = with_classes(parse_html(PAGE), frozenset({"post-body"}))
    assert [node.tag for node in found] == ["p", "span", "article"]


@pytest.mark.parametrize(
    "base",
    [
        "http://a.com",
        "http://a.com/x/y.html?q=1#f",
        "HTTPS://A.com:8080/p/",
        "http://u:p@a.com/x;p?q",
        "http://[::1]:80/x",
    ],
)
@pytest.mark.parametrize(
    "href", ["/x", "/x/../y", "/./z?q#f", "/", "/?a", "/;p", "/\t/evil.com/x", "/a//b", " /pad "]
)
def test_absolute_joins_a_rooted_href_as_urljoin_does(base, href):
    assert absolute(base, href) == urljoin(base, href.strip())

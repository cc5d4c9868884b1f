"""The shared parser helpers that stand in for slower equivalents give the same answers."""

from urllib.parse import urljoin

import pytest
from lxml import etree

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


STRAY = (
    "<html><head><title>t</title></head><body><div class=post><p>a</p>{}<p>b</p></div><p>c</p></body></html>"
)


@pytest.mark.parametrize(
    "stray", ["</html>", "</body>", "</BODY></HTML>", "</body >\n</html>", "</html><!-- x -->"]
)
@pytest.mark.parametrize("as_bytes", [False, True])
def test_a_stray_document_end_leaves_what_follows_in_the_open_elements_as_a_browser_does(stray, as_bytes):
    # libxml2 alone closes every element at </html> and puts the rest in a second <html> beside the
    # document's (root.iter() never reaches it), or beside <body> at </body>.
    page = STRAY.format(stray)
    root = parse_html(page.encode() if as_bytes else page)
    assert [p.text for p in root.iter("p")] == ["a", "b", "c"]
    assert [p.text for p in xpath(root, "//div[@class='post']/p")] == ["a", "b"]
    assert [p.getparent().tag for p in root.iter("p")] == ["div", "div", "body"]
    assert not any(node.tag == "html" for node in root.itersiblings())


def test_comments_after_the_document_end_are_not_a_stray_end():
    root = parse_html(STRAY.format("") + "\n<!-- cached -->\n")
    assert root.getnext() is not None and etree.tostring(root) == etree.tostring(parse_html(STRAY.format("")))


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

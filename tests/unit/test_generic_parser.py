"""The generic fallback: themes the platform selectors do not know still give their post."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from crawler.capture import Capture, process_capture
from crawler.parsers.base import LinkKind, to_int

WHEN = datetime(2024, 5, 1, tzinfo=timezone.utc)
BLOGGER_HEAD = "<meta name='generator' content='blogger'/>"

JSON_LD_PAGE = f"""<html><head>{BLOGGER_HEAD}
<script type="application/ld+json">{{"@context": "https://schema.org", "@graph": [{{"@type": "WebSite"}},
 {{"@type": "BlogPosting", "headline": "Un thème inconnu", "datePublished": "2019-03-04T10:20:00+01:00",
   "author": {{"@type": "Person", "name": "Marie"}}, "keywords": "cuisine, hiver"}}]}}</script></head>
<body><div class="entry"><h1>Un thème inconnu</h1>
<div itemprop="articleBody"><p>Le corps du billet, dans un thème tiers.</p><p>Deuxième paragraphe.</p></div>
</div></body></html>"""

HATOM_PAGE = """<html><head><meta name="generator" content="http://www.typepad.com/"/></head><body>
<div class="hentry"><h2 class="entry-title">An hAtom post</h2>
<abbr class="published" title="2007-06-01T08:30:00Z">June 1, 2007</abbr>
<span class="author vcard"><span class="fn">Alice</span></span>
<div class="entry-content"><p>The body of a 2007 template.</p></div>
<a rel="tag" href="/tags/x">templates</a></div>
<div id="comments"><ol class="commentlist">
<li class="comment" id="c1"><cite class="comment-author">Bob</cite>
 <time datetime="2007-06-02T09:00:00Z">2 June</time><div class="comment-content"><p>First comment.</p></div></li>
<li class="comment" id="c2"><cite class="comment-author">Carol</cite>
 <time datetime="2007-06-03T10:00:00Z">3 June</time><div class="comment-content"><p>Second comment.</p></div></li>
</ol></div></body></html>"""

MICRODATA_PAGE = f"""<html><head>{BLOGGER_HEAD}</head><body>
<div itemscope itemtype="http://schema.org/BlogPosting"><h3 itemprop="headline">Microdata post</h3>
<meta itemprop="datePublished" content="2015-06-07T12:00:00Z"/>
<div class="texte"><p>Text outside any known body class.</p></div>
<section itemprop="articleBody"><p>The microdata body.</p></section>
<div itemprop="comment" itemscope itemtype="http://schema.org/Comment">
 <span itemprop="author">Dan</span><meta itemprop="dateCreated" content="2015-06-08T07:00:00Z"/>
 <p itemprop="text">A microdata comment.</p></div></div></body></html>"""


def run(html: str, url: str) -> dict:
    processed = process_capture(Capture(url, html.encode(), "text/html; charset=utf-8", LinkKind.POST, WHEN))
    assert processed.outcome is None and len(processed.rows) == 1
    return processed.rows[0]


def test_json_ld_blog_posting_on_an_unknown_blogger_theme():
    row = run(JSON_LD_PAGE, "https://www.example.org/2019/03/theme.html")
    assert (row["platform"], row["title"], row["author"]) == ("blogspot", "Un thème inconnu", "Marie")
    assert row["published"] == datetime(2019, 3, 4, 9, 20, tzinfo=timezone.utc)
    assert row["text"] == "Le corps du billet, dans un thème tiers.\n\nDeuxième paragraphe."
    # Blogger's selectors find the body (itemprop=articleBody) and the heading before it in the
    # post's block: the fallback fills the rest.
    assert json.loads(row["extra"])["fallback"] == ["author", "published"]


def test_hatom_post_and_comment_list_on_an_old_typepad_template():
    row = run(HATOM_PAGE, "https://old.typepad.com/blog/2007/06/post.html")
    assert (row["title"], row["author"], row["tags"]) == ("An hAtom post", "Alice", ["templates"])
    assert row["published"] == datetime(2007, 6, 1, 8, 30, tzinfo=timezone.utc)
    assert row["text"] == "The body of a 2007 template."
    assert [(c["author"], c["published"].day, c["text"]) for c in row["comments"]] == [
        ("Bob", 2, "First comment."),
        ("Carol", 3, "Second comment."),
    ]
    assert json.loads(row["extra"])["fallback"] == ["post", "hentry"]


def test_microdata_post_and_comment():
    row = run(MICRODATA_PAGE, "https://example.blogspot.com/2015/06/micro.html")
    assert (row["title"], row["text"]) == ("Microdata post", "The microdata body.")
    assert [(c["author"], c["text"]) for c in row["comments"]] == [("Dan", "A microdata comment.")]
    assert json.loads(row["extra"])["fallback"] == ["comments"]  # the title: the heading before the body


NO_BODY_CLASS_PAGE = f"""<html><head>{BLOGGER_HEAD}</head><body><div class='blog-posts hfeed'>
<div class='post-outer'><div class='post hentry' itemprop='blogPost' itemscope itemtype='http://schema.org/BlogPosting'>
<h1 class='post-title entry-title' itemprop='name'>A third-party theme</h1>
<div class='post-header'><span class='post-author vcard'>Posted by <span class='fn' itemprop='author'>Irfan</span></span>
<abbr class='published' title='2015-03-13T09:00:00+05:00'>Friday, March 13, 2015</abbr></div>
<div dir='ltr'><p>The body sits right in the post block.</p><p>About author: someone.</p></div>
<div class='post-footer'><span class='post-labels'>Labels: <a rel='tag' href='/search/label/x'>x</a></span></div>
</div></div></div></body></html>"""


def test_a_post_block_without_a_body_class_is_read_without_its_header_and_footer():
    row = run(NO_BODY_CLASS_PAGE, "http://www.example.com/2015/03/third-party.html")
    assert (row["title"], row["author"], row["tags"]) == ("A third-party theme", "Irfan", ["x"])
    assert row["published"] == datetime(2015, 3, 13, 4, 0, tzinfo=timezone.utc)
    assert row["text"] == "The body sits right in the post block.\n\nAbout author: someone."
    assert json.loads(row["extra"])["fallback"] == ["post", "microdata_post"]


@pytest.mark.parametrize(
    ("value", "separators", "number"),
    [(b"42", "", 42), (" 7 ", "", 7), (12, "", 12), (None, "", None), ("n/a", "", None), (b"\xff", "", None),
     ("1,234", "", None), ("1,234", ", .", 1234), ("1.234", ", .", 1234), ("1 234", ", .", 1234)],
)  # fmt: skip
def test_to_int(value, separators, number):
    assert to_int(value, separators) == number

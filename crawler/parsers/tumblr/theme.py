"""Tumblr theme HTML: permalink pages and listings (home, ``/page/N``, ``/tagged/…``) of any theme.

A post's block is found from what every theme must print, a link to the post's permalink, or
from an element naming the post's id; the chrome inside it is taken out (``chrome``) and
the rest is the post.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from html import unescape
from typing import Any

from lxml import html as lxml_html

from crawler.dates import Precision, When, epoch_when, iso_when, parse_when
from crawler.parsers.base import (
    PAGE_HREFS,
    Link,
    LinkKind,
    Page,
    PostPage,
    absolute,
    by_class,
    by_id,
    clean_text,
    element_text,
    has_class,
    meta_content,
    node_html,
    to_int,
    unique,
    xpath,
)
from crawler.parsers.tumblr.chrome import (
    AVATAR_FILE,
    EPOCH_LINE,
    heading_title,
    is_date_line,
    is_labelled_yearless,
    is_permalink,
    reblog,
    slug_matches,
    slug_title,
    strip_chrome,
    tag_name,
)
from crawler.parsers.tumblr.fields import (
    HTML_POST_PRIORITY,
    PLATFORM,
    TAG_PRIORITY,
    THOUSANDS,
    TYPE_ALIASES,
    TYPES,
    media_urls,
    norm_type,
)
from crawler.parsers.tumblr.postids import with_year
from crawler.parsers.tumblr.urls import (
    LISTING_PATH,
    PAGED_PATH,
    POST_PATH,
    blog_name,
    blog_root,
    canonical_url,
    post_id_of,
    same_blog,
    split,
)
from crawler.urls import canonicalize, is_http_url, query_params

SELECTORS = {
    # A block that names its post: id="post_123", id="post-123", data-post-id="123"...
    # (the id is matched in Python: :func:`_named_blocks`)...
    "named": "(//@id | //@data-post-id | //@data-postid | //@data-id)/parent::*"  # //*[@id or ...] at half the cost
    # ...but not Tumblr's like button, which names the post too (``<div class="like_button" data-post-id>``),
    # nor a theme's share button (``<a class="share_button" data-postid>`` "Share"), nor a theme's own like
    # button scripted from the reblog URL (``<div class="my-like" data-reblog data-id>`` "Like": a label at most).
    "[not(contains(@class, 'like_button') or contains(@class, 'reblog_button') or contains(@class, 'share'))]"
    "[not(@data-reblog and not(*[not(self::br)]))]",
    # Fallback blocks on a permalink page whose theme links no other post.
    "container_generic": f"//article | //*[{has_class('post')}]"
    f" | //*[{has_class('entry')}] | //*[@id='content' or @id='posts']"
    # A permalink page's one-post list ("posts", "entries").
    f" | //*[{has_class('posts')}]"
    f" | //*[{has_class('entries')}]",
    # Blocks a theme classes by the post's type ("post regular", "conversation"...).
    "container_typed": " | ".join(
        f"//*[self::div or self::li or self::article or self::section][{has_class(t)}]"
        for t in sorted(TYPES | set(TYPE_ALIASES))
    ),
    # The notes list (a reblog note links the post it is of); a theme's ``div#notes`` holding no list
    # is its footer line, with the permalink and time ("6:03pm").
    "notes": f"descendant::ol[contains(@class, 'notes')] | {by_id('notes', scope='')}[descendant::li]",
    "photoset_frames": "//iframe[contains(@src, '/photoset_iframe/')]",
    # Links and frames naming a post without being its permalink: the photo's page (``/image/<id>``), the
    # reblog button (``www.tumblr.com/reblog/<id>/<key>``), the audio and video players
    # (``/post/<id>/audio_player_iframe/…``, ``www.tumblr.com/video/<blog>/<id>/``).
    "stand_ins": "/descendant::a[contains(@href, '/image/') or contains(@href, '/reblog/')]"
    " | /descendant::iframe[contains(@src, '/video/') or contains(@src, '/post/')]",
    # A theme's like and reblog buttons drawn as images (their alt is no caption).
    "button_images": ".//a[starts-with(normalize-space(@href), 'javascript:') or contains(@href, '/reblog/')]//img",
    "beacons": "//img[contains(@src, '/impixu?')]/@src",
    "own_buttons": "descendant-or-self::*[@data-post-id='{pid}' or substring(@id, string-length(@id) - {n} + 1) = '{pid}']"
    " | descendant-or-self::a[contains(@href, '/reblog/{pid}/')]",
    "buttons": "//*[@data-post-id='{pid}'] | //a[contains(@href, '/reblog/{pid}/')]",
    "date_attrs": ".//time/@datetime | .//*[@itemprop='datePublished']/@content | .//*[@itemprop='datePublished']/@datetime"
    " | .//abbr[contains(@class, 'published')]/@title",
    # A theme's {Timestamp} (Unix seconds) in a data attribute of the post's element (``data-date="1455829632"``).
    "epoch_attrs": "descendant-or-self::*/@data-date | descendant-or-self::*/@data-timestamp",
    "date_texts": "descendant::*/@class[contains(., 'date') or contains(., 'time')]/parent::*",
    "notes_sections": by_class("notes", scope=""),
    "jsonld": "//script[@type='application/ld+json']/text()",
}
THEME_FILE = re.compile(r"//(?:assets|static|secure\.static|secure\.assets)\.tumblr\.com/|/spacer\.gif", re.I)
BUTTON_SCRIPT = re.compile(r"like|reblog", re.I)  # onclick="LikePost('123', ...)"
NAV_LINK_TEXT = re.compile(r"^\W*(?:previous|prev|next|older|newer)(?:\s+(?:post|entry|page))?\W*$", re.I)
NAV_CONTAINER = re.compile(r"(?:^|[\s_-])(?:navigation|pagination)(?:$|[\s_-])", re.I)
TITLE_DECORATION = re.compile(r"[\s→»›]+$")  # "Lien →": a theme's arrow after a link post's title
NOTE_COUNT = re.compile(r"(\d[\d\s.,]*)\s*notes?\b", re.I)
UNTITLED_TYPES = frozenset({"quote", "photo", "answer", "audio", "video"})
DATE_LINE_WORDS = 8
CLOCK_DIGITS = re.compile(r"\d:\d\d")
EPOCH_VALUE = re.compile(r"^\s*\d{9,10}\s*$")
# A quote's source line as themes class it ("source", "quote-source", "quote_source").
SOURCE_CLASS = re.compile(r"(?:^|[\s_-])source(?:$|[\s_-])", re.I)
# The themed elements that box one post (not a list of them: ``#posts``, ``.entries``).
POST_BOX = re.compile(r"^article\b|^\S+ (?:.*\s)?(?:post|entry)(?:\s|$)")
# A link with this many words of its paragraph around it is part of a sentence, not a theme's link line.
SENTENCE_MIN_WORDS = 8
SENTENCE_TAGS = frozenset({"p", "li", "blockquote", "em", "strong", "b", "i", "span", "dd", "td"})
# Posts found among a page's sibling post elements before the others' places are read from the beacon.
MIN_SLOTS_FOUND = 2  # a run of text longer than this is no theme's date line
# A time of day a theme prints alone ("2:29am", "at 14:05"), the day shown elsewhere or not at all.
CLOCK = re.compile(
    r"^\s*(?:at\s+)?(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?:(?P<ampm>[ap])\.?m\.?)?\s*$", re.I
)
IMAGE_PATH = re.compile(r"^/image/(?P<id>\d+)/?$")
REBLOG_PATH = re.compile(r"^/reblog/(?P<id>\d+)(?:/|$)")
VIDEO_PATH = re.compile(r"^/video/[\w-]+/(?P<id>\d+)(?:/|$)")
# A Tumblr blog's name, as an avatar's ``alt`` gives the member's ("mattrobenolt", "the-kid-2").
MEMBER_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,31}$", re.I)
# The UTC offsets zones have used (UTC-12:00 to UTC+14:00), in minutes.
OFFSETS = range(-12 * 60, 14 * 60 + 1)


def _own_post_anchors(
    root: lxml_html.HtmlElement, url: str, blog: str, skip_navigation: bool = False
) -> list[tuple[lxml_html.HtmlElement, str]]:
    """Anchors to this blog's permalinks, with their post id, in document order (notes left out:
    a reblog note links the post it is a note of; previous/next-post links when asked)."""
    found = []
    in_notes = _notes_anchors(root)
    for anchor in root.iter("a"):
        if anchor in in_notes or (skip_navigation and _is_post_navigation(anchor)):
            continue
        href = absolute(url, anchor.get("href"))
        if href and same_blog(href, blog) and (pid := post_id_of(href)):
            found.append((anchor, pid))
    # A photoset's frame (``<iframe src=".../post/<id>/photoset_iframe/...">``): on a listing the only
    # link to a photoset post whose theme prints no permalink.
    for frame in xpath(root, SELECTORS["photoset_frames"]):
        src = absolute(url, frame.get("src"))
        if src and same_blog(src, blog) and (pid := post_id_of(src)):
            found.append((frame, pid))
    return found


def _stand_in_anchors(
    root: lxml_html.HtmlElement, url: str, blog: str, linked: set[str]
) -> list[tuple[lxml_html.HtmlElement, str]]:
    """For the posts no permalink shows, the links and frames that name them all the same (a photo's
    ``/image/<id>`` page, the reblog button, the video player), in document order; notes left out."""
    in_notes = _notes_anchors(root)
    found = []
    for node in xpath(root, SELECTORS["stand_ins"]):
        if node in in_notes:
            continue
        frame = node.tag == "iframe"
        href = absolute(url, node.get("src") if frame else node.get("href"))
        pid = _stand_in_id(href, blog, frame) if href else None
        if pid and pid not in linked:
            found.append((node, pid))
    return found


def _stand_in_id(href: str, blog: str, frame: bool) -> str | None:
    """The post a reblog button, ``/image/<id>`` link or player frame names (a frame of the blog's own
    ``/post/<id>/…`` too); None for any other link."""
    _, netloc, path = split(href)
    own = same_blog(href, blog)
    tumblr = netloc == "tumblr.com" or netloc.endswith(".tumblr.com")
    if frame:
        match = VIDEO_PATH.match(path) if tumblr else None
        return match.group("id") if match else post_id_of(href) if own else None
    match = (IMAGE_PATH.match(path) if own else None) or (REBLOG_PATH.match(path) if own or tumblr else None)
    return match.group("id") if match else None


def _is_post_navigation(anchor: lxml_html.HtmlElement) -> bool:
    """A permalink page's link to the previous or next post ("Previous", "Next →"), which shows no other
    post: left out, or the block of the page's own post stops below the box that holds both."""
    if NAV_LINK_TEXT.match(anchor.text_content() or ""):
        return True
    return any(
        NAV_CONTAINER.search(f"{node.get('class') or ''} {node.get('id') or ''}")
        for node in anchor.iterancestors()
    )


def _notes_anchors(root: lxml_html.HtmlElement) -> set[lxml_html.HtmlElement]:
    return {a for notes in xpath(root, SELECTORS["notes"]) for a in notes.iter("a")}


def _blocks(
    root: lxml_html.HtmlElement,
    url: str,
    blog: str,
    skip_navigation: bool = False,
    listed: dict[str, str | None] | None = None,
    shown: str | None = None,
) -> dict[str, lxml_html.HtmlElement]:
    """Each post shown on a page and its block: a themed element naming it, else the highest
    ancestor of its permalink anchor that holds no other post's permalink.

    ``listed``: the posts Tumblr's beacon says the page shows (:func:`_beacon_posts`); when known, a
    link to any other of the blog's posts (a sidebar's favourites, a self-reblog's "via") shows no
    post, and an element naming a listed post is its block though no permalink is printed.
    ``shown``: a permalink page's post, whose text may link others of the blog in its sentences."""
    anchors = _own_post_anchors(root, url, blog, skip_navigation)
    listed = listed or {}
    if listed:
        anchors = [(anchor, pid) for anchor, pid in anchors if pid in listed]
        anchors += _root_anchors(root, url, listed, {pid for _, pid in anchors})
    stand_ins = _stand_in_anchors(root, url, blog, {pid for _, pid in anchors})
    anchors += [(node, pid) for node, pid in stand_ins if not listed or pid in listed]
    owners: dict[lxml_html.HtmlElement, set[str]] = {}
    for anchor, pid in anchors:
        if shown and pid != shown and _in_sentence(anchor):
            continue  # the post's text linking another post of the blog ("we passed the <a>six month mark</a>")
        for node in anchor.iterancestors():
            owners.setdefault(node, set()).add(pid)
    top = {root, root.find("body")}
    named = _named_blocks(root, {pid for _, pid in anchors} | set(listed))
    blocks: dict[str, lxml_html.HtmlElement] = dict(named)
    for anchor, pid in anchors:
        if pid in named:
            continue
        node = anchor
        while (parent := node.getparent()) is not None and parent not in top and owners.get(parent) == {pid}:
            node = parent
        if pid not in blocks or _text_len(node) > _text_len(blocks[pid]):
            blocks[pid] = node
    blocks.update(_unlinked_slots(blocks, listed))
    return dict(sorted(blocks.items(), key=lambda item: _tree_position(item[1], root)))


def _in_sentence(anchor: lxml_html.HtmlElement) -> bool:
    """A link set in running text: its paragraph says at least ``SENTENCE_MIN_WORDS`` words besides the
    link's own. A theme's permalink, date, "Previous"/"Next", "(via name)" or related-posts line never does."""
    parent = anchor.getparent()
    if parent is None or parent.tag not in SENTENCE_TAGS:
        return False
    words = len("".join(parent.itertext()).split()) - len(anchor.text_content().split())
    return words >= SENTENCE_MIN_WORDS


def _unlinked_slots(
    blocks: dict[str, lxml_html.HtmlElement], listed: dict[str, str | None]
) -> dict[str, lxml_html.HtmlElement]:
    """The blocks of listed posts that nothing on the page links or names (an answer post whose theme prints
    no permalink, a photo without caption or button): when the posts found sit in sibling elements alike
    (the same tag, class and id: ``div#post``, ``div.post``), and those siblings are as many as the beacon
    lists, each found post in the beacon's order, the others take the places left."""
    missing = [pid for pid in listed if pid not in blocks]
    if not missing or len(blocks) < MIN_SLOTS_FOUND:
        return {}
    common = _common_ancestor(list(blocks.values()))
    if common is None:
        return {}
    found = {pid: _child_towards(common, block) for pid, block in blocks.items()}
    signatures = {_signature(slot) for slot in found.values()}
    if len(signatures) != 1:
        return {}
    signature = signatures.pop()
    slots = [child for child in common if isinstance(child.tag, str) and _signature(child) == signature]
    order = {pid: index for index, pid in enumerate(listed)}
    if len(slots) != len(order) or any(
        pid not in order or slots[order[pid]] is not slot for pid, slot in found.items()
    ):
        return {}
    return {pid: slots[order[pid]] for pid in missing}


def _common_ancestor(nodes: list[lxml_html.HtmlElement]) -> lxml_html.HtmlElement | None:
    """The innermost element holding every node, each strictly inside it."""
    shared = None
    for node in nodes:
        chain = list(node.iterancestors())
        if shared is not None:
            kept = set(shared)
            chain = [a for a in chain if a in kept]
        shared = chain
    return shared[0] if shared else None


def _child_towards(parent: lxml_html.HtmlElement, node: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The child of ``parent`` that is ``node`` or holds it."""
    while (up := node.getparent()) is not None and up is not parent:
        node = up
    return node


def _signature(node: lxml_html.HtmlElement) -> tuple[str, str, str]:
    return str(node.tag), " ".join((node.get("class") or "").split()), node.get("id") or ""


def _root_anchors(
    root: lxml_html.HtmlElement, url: str, listed: dict[str, str | None], linked: set[str]
) -> list[tuple[lxml_html.HtmlElement, str]]:
    """A theme that links each reblog's source post instead of its permalink: the beacon names every
    reblog's root post, and a link to that root stands for the blog's post that no permalink shows."""
    by_root: dict[str, str] = {}
    for pid, root_id in listed.items():
        if root_id and pid not in linked:
            by_root.setdefault(root_id, pid)
    if not by_root:
        return []
    in_notes = _notes_anchors(root)
    found = []
    for anchor in root.iter("a"):
        href = absolute(url, anchor.get("href"))
        if href and anchor not in in_notes and (root_id := post_id_of(href)) in by_root:
            found.append((anchor, by_root[root_id]))
    return found


def _named_blocks(root: lxml_html.HtmlElement, pids: set[str]) -> dict[str, lxml_html.HtmlElement]:
    """The first element naming each post (``id="post_123"``, ``"post-123"``, ``"post123"``, ``"123"``,
    ``data-post-id="123"``...): one walk of the page's named elements for all of them."""
    named: dict[str, lxml_html.HtmlElement] = {}
    if not pids:
        return named
    for node in xpath(root, SELECTORS["named"]):
        ident = node.get("id")
        names = {node.get("data-post-id"), node.get("data-postid"), node.get("data-id"), ident}
        if ident is not None:
            names |= {
                ident[len(prefix) :] for prefix in ("post_", "post-", "post") if ident.startswith(prefix)
            }
        for pid in names & pids:
            named.setdefault(pid, node)
    return named


def _tree_position(node: lxml_html.HtmlElement, root: lxml_html.HtmlElement) -> tuple[int, ...]:
    """Where ``node`` comes in ``root``'s document order: its path of child indexes (tuples compare
    as the tree is walked), ``()`` for ``root`` itself or a node outside it. Cheaper than numbering
    every node of the page for a few blocks."""
    path = []
    while (parent := node.getparent()) is not None:
        path.append(parent.index(node))
        node = parent
    return tuple(reversed(path)) if node is root else ()


def _text_len(node: lxml_html.HtmlElement) -> int:
    return len("".join(node.itertext()).strip())


def _reaches_top(node: lxml_html.HtmlElement) -> bool:
    parent = node.getparent()
    return parent is None or parent.tag in ("body", "html")


def _block_type(block: lxml_html.HtmlElement) -> str | None:
    """The post type a theme writes in its classes (``post text``, ``type-photo``), the block's own first."""
    for node in [block, *block]:
        if not isinstance(node.tag, str):
            continue
        for token in re.split(r"[\s_-]+", (node.get("class") or "").lower()):
            if ptype := norm_type(token):
                return ptype
    return None


def _slug(href: str) -> str | None:
    """The slug of a permalink (``/post/<id>/<slug>``), if it has one."""
    match = POST_PATH.match(split(href)[2])
    return match.group("slug") or None if match else None


def _date_texts(block: lxml_html.HtmlElement, anchors: list[lxml_html.HtmlElement]) -> list[str]:
    """Short texts of the block that may be its date: the permalinks' titles and texts, date-classed nodes."""
    texts = [a.get("title") or "" for a in anchors] + [a.text_content() for a in anchors]
    dated = xpath(block, SELECTORS["date_texts"])
    texts += [node.text_content() for node in dated]
    # Runs a theme writes without a space between its elements ("September<span>24</span>2013").
    texts += [" ".join(node.itertext()) for node in dated]
    # A date-classed line printing the day and its age in two runs ("February 14, 2013" "7 months ago").
    texts += [run for node in dated for run in node.itertext() if any(c.isdigit() for c in run)]
    # The time in parentheses after the day ("May 15, 2014 (12:10 pm)"), read as the day's time.
    texts = [text.replace("(", " ").replace(")", " ") if "(" in text else text for text in texts]
    # A theme printing its date line in the post's notes section, which goes whole as chrome.
    texts += [
        run
        for section in xpath(block, SELECTORS["notes_sections"])
        for node in section.iter()
        if isinstance(node.tag, str) and not xpath(node, "ancestor-or-self::ol")
        for run in (node.text, node.tail if node is not section else None)
        if run and any(c.isdigit() for c in run) and len(run.split()) <= DATE_LINE_WORDS
    ]
    # A theme's indentation inside the link ("\n      Sep 24\n    ") is no part of its length.
    return [text for text in (" ".join(t.split()) for t in texts) if len(text) < 80]


def _html_date(block: lxml_html.HtmlElement, texts: list[str]) -> When | None:
    """An absolute date of the block: machine attributes, else date-looking texts (relative ones are refused)."""
    for value in xpath(block, SELECTORS["date_attrs"]):
        if parsed := parse_when(str(value)):
            return parsed
    for value in xpath(block, SELECTORS["epoch_attrs"]):
        if EPOCH_VALUE.match(str(value)) and (parsed := epoch_when(str(value))):
            return parsed
    return next((parsed for text in texts if (parsed := parse_when(text))), None)


def _shown_clock(texts: list[str]) -> tuple[int, int] | None:
    """The hour and minute of a date-looking text that is only a time of day (``2:29am``)."""
    for text in texts:
        if match := CLOCK.match(text):
            hour, minute = int(match["hour"]), int(match["minute"])
            ampm = (match["ampm"] or "").lower()
            hour = hour % 12 + 12 if ampm == "p" else hour % 12 if ampm == "a" else hour
            if hour < 24 and minute < 60:
                return hour, minute
    return None


def _quarter_offset(wall: datetime, instant: datetime) -> int | None:
    """Minutes east of UTC of a clock showing ``wall`` (to the minute) at the naive UTC ``instant``,
    when a real zone's offset (a multiple of 15 minutes) explains it."""
    minutes = (wall - instant).total_seconds() / 60
    quarter = round(minutes / 15) * 15
    return quarter if abs(minutes - quarter) < 1 and quarter in OFFSETS else None


def _shown_when(post: PostPage) -> When | None:
    """The date the theme shows for ``post``, as read before any better source replaced it."""
    if post.published is None or post.published_precision is None:
        return None
    return When(post.published, Precision(post.published_precision), local=post.published_local)


def _day_header(block: lxml_html.HtmlElement) -> When | None:
    """The day a theme prints above the post's block, outside it (``<div class="date">January 29, 2017</div>``)."""
    for sibling in block.itersiblings(preceding=True):
        if isinstance(sibling.tag, str) and "date" in (sibling.get("class") or "").lower().split():
            return parse_when(sibling.text_content())
    return None


def _beside(block: lxml_html.HtmlElement, url: str, blog: str, pid: str) -> Iterator[lxml_html.HtmlElement]:
    """What a permalink page prints beside the post's block: the siblings of the block and of its ancestors
    (the body's children last), nearest first, but never one that links another of the blog's posts (related
    posts, previous/next) or holds the notes."""
    for node in (block, *block.iterancestors()):
        if node.tag in ("body", "html"):
            return
        for sibling in (*node.itersiblings(preceding=True), *node.itersiblings()):
            if not isinstance(sibling.tag, str) or sibling.tag in ("script", "style", "noscript"):
                continue
            if not _links_another_post(sibling, url, blog, pid) and not xpath(sibling, SELECTORS["notes"]):
                yield sibling


def _date_beside(block: lxml_html.HtmlElement, url: str, blog: str, pid: str) -> When | None:
    """The date a permalink page prints outside the post's block, for a block that shows none: the theme's
    date line above the post (``div#designline`` > "24th Sep 2013" linking the post, ``div.date`` "Jan 30
    '13"), its permalink's title or text or a date-classed element beside the block; without its year, in
    the year the post id tells."""
    for sibling in _beside(block, url, blog, pid):
        permalinks = [
            a for a in sibling.iter("a") if isinstance(a.tag, str) and is_permalink(a, url, blog, pid)
        ]
        texts = [text for text in _date_texts(sibling, permalinks) if len(text.split()) <= DATE_LINE_WORDS]
        if any(word in (sibling.get("class") or "").lower() for word in ("date", "time")):
            texts.append(sibling.text_content())
        # A date line of its own in the sibling (``div#permapage`` > ``center`` "Posted on Septiembre 24th,
        # 2013 at 6:27 pm with 29 714 notas" under the caption), linking nothing.
        texts += [str(run) for run in xpath(sibling, ".//text()") if is_date_line(str(run))]
        # Or a date without its year after its label ("Posted on <font>Monday, 10 June</font>").
        texts += [
            node.text
            for node in sibling.iter()
            if isinstance(node.tag, str) and node.text and is_labelled_yearless(node, node.text)
        ]
        for text in texts:
            if when := parse_when(text) or with_year(" ".join(text.split()), pid):
                return when
    return None


def _time_beside(block: lxml_html.HtmlElement, shown: When, url: str, blog: str, pid: str) -> When | None:
    """The minute of the shown day that a permalink page prints outside the post's block (``div.perma``
    "Posted on 24 September, 2013, 7:27pm. Reblogged from …" beside ``div#outer``): a short sentence
    beside the block (:func:`_beside`) that reads as a time on that same day."""
    day = _shown_day(shown)
    for sibling in _beside(block, url, blog, pid):
        for run in xpath(sibling, ".//text()"):
            for sentence in re.split(r"(?<=[.!?…])\s+", " ".join(str(run).split())):
                if len(sentence.split()) > DATE_LINE_WORDS or not CLOCK_DIGITS.search(sentence):
                    continue
                when = parse_when(sentence)
                if when is not None and when.precision is not Precision.DAY and _shown_day(when) == day:
                    return when
    return None


def _shown_day(when: When) -> date:
    return (when.local or when.utc).date()


def _day_before_or_after(shown: When | None, stated: When) -> bool:
    """Whether a day the theme shows is the day before or after ``stated``'s in the zone it is stated in."""
    if shown is None or shown.precision is not Precision.DAY:
        return False
    stated_day = (stated.utc + timedelta(minutes=stated.offset or 0)).date()
    return abs((shown.utc.date() - stated_day).days) == 1


def display_offset(shown: When | None, clock: tuple[int, int] | None, instant: datetime) -> int | None:
    """The blog's UTC offset at ``instant``, from the wall time its theme shows the post at.

    Tumblr's JSON-LD states the instant in its own zone (New York), never the blog's; the theme
    prints the same instant in the blog's zone, which the page does not name: the shown minute
    minus the instant is that zone's offset. ``shown`` is the theme's date (a wall time, or a day
    that picks among the clock's readings); ``clock`` a time of day printed apart from it. None
    when the theme shows no time of day, or one that no zone explains.
    """
    utc = instant.astimezone(timezone.utc).replace(tzinfo=None)
    if shown is not None and shown.local is not None:
        return _quarter_offset(shown.local, utc)
    if clock is None:
        return None
    walls = [
        utc.replace(hour=clock[0], minute=clock[1], second=0, microsecond=0) + timedelta(days=d)
        for d in (-1, 0, 1)
    ]
    if shown is not None and shown.precision is Precision.DAY:
        walls = [w for w in walls if w.date() == shown.utc.date()]
    offsets = {q for wall in walls if (q := _quarter_offset(wall, utc)) is not None}
    return offsets.pop() if len(offsets) == 1 else None


def _html_post(
    block: lxml_html.HtmlElement,
    url: str,
    blog: str,
    pid: str,
    blog_title: str | None,
    page_type: str | None = None,
) -> PostPage:
    """One post from its block: title, body without chrome, tags, notes, reblog attribution, media.

    ``page_type`` is the post type the page states (``og:type``), else the block's classes tell it.
    """
    work = copy.deepcopy(block)
    permalinks = [a for a in work.iter("a") if is_permalink(a, url, blog, pid)]
    date_texts = _date_texts(work, permalinks)
    published = _html_date(work, date_texts)
    post_type = page_type or _block_type(block)
    # A quote, photo, answer, audio or video post has no title: a heading in it is its content.
    heading = None
    if post_type not in UNTITLED_TYPES:
        slugs = [s for href in [url] + [a.get("href") or "" for a in permalinks] if (s := _slug(href))]
        heading = next(
            (
                t
                for slug in slugs
                if (t := slug_title(work, slug, permalinks, post_type == "link", post_type == "text"))
                is not None
            ),
            None,
        )
        if heading is None and (heading := heading_title(work)) is not None:
            # Not a title after all: the caption below a photo that Tumblr made the slug of.
            heading = None if any(slug_matches(heading, slug) for slug in slugs) else heading
    # A quote post whose theme prints the quote as a heading (``<h1>"…"</h1><div class="source">``): no title.
    quoted = heading is not None and _source_follows(heading)
    heading = None if quoted else heading
    title = clean_text(TITLE_DECORATION.sub("", heading.text_content())) if heading is not None else None
    if heading is not None:  # the whole heading leaves the body, the relative date beside the title too
        heading = next((a for a in heading.iterancestors() if a.tag in ("h1", "h2", "h3", "h4")), heading)
    link_url = None
    if heading is not None:
        link_url = next(
            (h for a in heading.iter("a") if (h := absolute(url, a.get("href"))) and not same_blog(h, blog)),
            None,
        )
        if heading.getparent() is not None:  # a block that is all heading keeps it (lxml cannot drop a root)
            heading.drop_tree()
    roles, removed = strip_chrome(work, url, blog, pid)
    buttons = set(xpath(work, SELECTORS["button_images"]))
    # A tag is no date ("#specifically oct 31"): the chrome lines are read for one without their tags.
    tag_texts = [t for a in roles.get("tag", []) if (t := a.text_content().strip())]
    dateable = [line for line in removed if any(c.isdigit() for c in _without(line, tag_texts))]
    published = (
        published
        or next((d for line in dateable if is_date_line(line) and (d := parse_when(line))), None)
        or next((epoch_when(m[1]) for line in dateable if (m := EPOCH_LINE.match(line))), None)
        or next((d for text in dict.fromkeys(date_texts + dateable) if (d := with_year(text, pid))), None)
    )
    extra: dict[str, Any] = {}
    if ptype := _block_type(block) or ("quote" if quoted else None):
        extra["type"] = ptype
    notes = next((m for text in removed if (m := NOTE_COUNT.search(text))), None)
    if notes:
        extra["note_count"] = to_int(notes.group(1), THOUSANDS)
    for key, anchors in (
        ("reblogged_from", roles.get("reblog_from") or roles.get("via")),
        ("reblogged_root", roles.get("reblog_root")),
    ):
        if anchors:
            name, href = reblog(anchors[0], url)
            extra.update({key: name, f"{key}_url": href})
    if post_type == "link" and not link_url:  # a link post whose theme prints its link outside a heading
        link_url = next(
            (h for a in work.iter("a") if (h := absolute(url, a.get("href"))) and not same_blog(h, blog)),
            None,
        )
    if link_url:
        extra["link_url"] = _unwrapped(link_url)
        for anchor in list(work.iter("a")):  # the link's address printed by the theme: the link, not text
            if anchor is not work and clean_text(anchor.text_content()) == link_url:
                anchor.drop_tree()
    # The links left are content; their text is the post's (trafilatura prunes a link-only caption).
    for anchor in list(work.iter("a")):
        if anchor is not work:
            anchor.drop_tag()
    body_text = element_text(work)
    alts = [
        unescape(alt)
        for img in xpath(work, ".//img[@alt]")
        if img not in buttons and (alt := _content_alt(img))
    ]
    return PostPage(
        url=canonicalize(f"{blog}post/{pid}"),
        blog_url=blog,
        platform=PLATFORM,
        title=title,
        author=_member(roles.get("member")) or _avatar_member(block) or blog_name(blog),
        body_html=node_html(work) if body_text else None,
        text="\n\n".join(unique(alts)) if not body_text and alts else None,
        tags=unique([t for a in roles.get("tag", []) if (t := tag_name(a))]),
        media_urls=media_urls(work, url),
        blog_title=blog_title,
        post_id=pid,
        extra=extra,
    ).set_published(published)


def _source_follows(heading: lxml_html.HtmlElement) -> bool:
    """Whether the element after a heading (or after the heading holding it) is a quote's source line
    (``div.source``, ``p.quote-source``, ``<cite>``): the heading is then the quote, not a title."""
    node = next((a for a in heading.iterancestors() if a.tag in ("h1", "h2", "h3", "h4")), heading)
    following = node.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    if following is None:
        return False
    return following.tag == "cite" or SOURCE_CLASS.search(following.get("class") or "") is not None


def _unwrapped(url: str) -> str:
    """The address behind Tumblr's outbound-link wrapper (``http://t.umblr.com/redirect?z=<url>&t=<key>``,
    2015+), else ``url``."""
    _, netloc, path = split(url)
    if netloc != "t.umblr.com" or not path.startswith("/redirect"):
        return url
    target = query_params(url).get("z", "")
    return target if is_http_url(target) else url


def _beacon_posts(root: lxml_html.HtmlElement) -> dict[str, str | None]:
    """The ids of the posts a page shows, each with its reblog's root post id (None for an original), as
    Tumblr's page-view beacon lists them (2013-2016 themes: ``<img src="//www.tumblr.com/impixu?T=..&J=
    <base64 JSON>">``, ``J`` = ``{"type": "post", "posts": [{"postid": "123", "root_postid": 45}, ...]}``);
    empty when the page carries none."""
    ids: dict[str, str | None] = {}
    for src in xpath(root, SELECTORS["beacons"]):
        encoded = query_params(str(src)).get("J", "")
        try:
            data = json.loads(base64.b64decode(encoded, validate=True))
        except ValueError:
            continue
        if isinstance(data, dict) and data.get("type") == "post" and isinstance(data.get("posts"), list):
            for post in data["posts"]:
                if isinstance(post, dict) and post.get("postid"):
                    root_id = post.get("root_postid")
                    ids.setdefault(str(post["postid"]), str(root_id) if root_id else None)
    return ids


def _content_alt(img: lxml_html.HtmlElement) -> str | None:
    """The alt text of a content image; None for a theme's button ("Like this post" on a spacer in a
    ``javascript:`` link, "reblog" on its icon: the caller leaves out images in button links) or file."""
    if BUTTON_SCRIPT.search(img.get("onclick") or "") or THEME_FILE.search(img.get("src") or ""):
        return None
    alt = img.get("alt") or ""
    return alt if clean_text(alt) else None


def _without(line: str, parts: list[str]) -> str:
    for part in parts:
        line = line.replace(part, "")
    return line


def _app_link(root: lxml_html.HtmlElement) -> dict[str, str]:
    """``al:ios:url`` = ``tumblr://x-callback-url/blog?blogName=<name>&postID=<id>`` (any theme, any domain);
    before App Links (2013) the same URL was the Twitter card's ``twitter:app:url:iphone``."""
    value = (
        meta_content(root, prop="al:ios:url")
        or meta_content(root, prop="al:android:url")
        or meta_content(root, name="twitter:app:url:iphone")
        or ""
    )
    return query_params(value)


def _jsonld(root: lxml_html.HtmlElement) -> dict[str, Any]:
    for raw in xpath(root, SELECTORS["jsonld"]):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        if isinstance(data, dict) and ("datePublished" in data or "headline" in data):
            return data
    return {}


def _og_type(root: lxml_html.HtmlElement) -> str | None:
    value = meta_content(root, prop="og:type") or ""
    return value.split(":", 1)[1].lower() if value.startswith("tumblr-feed:") else None


def _blog_title(root: lxml_html.HtmlElement, listing: bool) -> str | None:
    title = meta_content(root, prop="og:site_name")
    if not title and _og_type(root) == "tumblelog":
        title = meta_content(root, prop="og:title")
    if not title and listing:
        title = clean_text(root.findtext(".//title"))
    return title


def _discovery_links(root: lxml_html.HtmlElement, url: str, blog: str, skip: str | None = None) -> list[Link]:
    """Permalinks (canonical) and listing pages of this blog linked from a page; tag pages last."""
    links: dict[str, Link] = {}
    for raw in dict.fromkeys(PAGE_HREFS(root)):  # each distinct href once: the rest repeat it
        href = absolute(url, raw)
        if not href or not same_blog(href, blog) or "route=" in href:
            continue
        if pid := post_id_of(href):
            if pid != skip:
                target = canonical_url(href)
                links.setdefault(target, Link(target, LinkKind.POST, priority=HTML_POST_PRIORITY))
            continue
        path = split(href)[2]
        if LISTING_PATH.match(path):
            target = canonicalize(href)
            links.setdefault(
                target,
                Link(target, LinkKind.LISTING, priority=TAG_PRIORITY if path.startswith("/tagged/") else 0),
            )
    return list(links.values())


def _next_page(url: str, kind: LinkKind, links: list[Link]) -> Link | None:
    """Tumblr serves ``/page/N`` (and ``/tagged/<tag>/page/N``) on every theme: an infinite-scroll theme that
    links no page still has them. A theme that links its pages is trusted to link the next one."""
    scheme, netloc, path = split(url)
    match = PAGED_PATH.match(path)
    if not match or (path in ("", "/") and kind is not LinkKind.HOME):
        return None
    base = match.group("base") or ""
    if any(re.match(rf"^{re.escape(base)}/page/\d+/?$", split(link.url)[2]) for link in links):
        return None
    target = canonicalize(f"{scheme}://{netloc}{base}/page/{int(match.group('n') or 1) + 1}")
    return Link(target, LinkKind.LISTING, priority=TAG_PRIORITY if base else 0)


def parse_listing(root: lxml_html.HtmlElement, url: str, kind: LinkKind, follow: bool) -> Page:
    blog = blog_root(url)
    blog_title = _blog_title(root, listing=True)
    links = _discovery_links(root, url, blog) if follow else []
    if split(url)[2].startswith("/archive"):  # the archive shows thumbnails, not posts: discovery only
        return Page(kind=kind, links=links, blog_title=blog_title, outcome=None if links else "empty")
    author = _app_link(root).get("blogName")
    posts = []
    blocks = _blocks(root, url, blog, listed=_beacon_posts(root))
    shown = {node for block in blocks.values() for node in (block, *block.iterancestors())}
    for pid, block in blocks.items():
        if _reaches_top(block):
            generic = _generic_block(root, pid, url, blog)
            block = block if generic is None else generic
        else:
            block = _with_content_before(block, url, blog, pid, shown)
        post = _html_post(block, url, blog, pid, blog_title)
        if post.published is None and (above := _date_above(block, url, blog, pid, shown)):
            post.set_published(above)
        post.author = _author(post, blog, author)
        posts.append(post)
    if follow and posts and (following := _next_page(url, kind, links)):
        links.append(following)
    # Past the last page Tumblr answers an empty listing: the end of a walk, not a fault; an empty home is one.
    outcome = "empty" if not posts and kind is LinkKind.HOME else None
    return Page(kind=kind, posts=posts, links=links, blog_title=blog_title, outcome=outcome)


def _with_content_before(
    block: lxml_html.HtmlElement, url: str, blog: str, pid: str, shown: set[lxml_html.HtmlElement]
) -> lxml_html.HtmlElement:
    """A theme printing each post as sibling elements of one flat list (``div#posts`` with the content,
    then ``div.info`` with the permalink): the block found, the permalink's line, is widened to the
    siblings since the previous post's block (``shown``: the blocks and their ancestors) when they hold
    this post's own like or reblog button or an element named after its id (``photoset_<id>``), which tie
    them to it. A copy: the page is left as is."""
    run = []
    for sibling in block.itersiblings(preceding=True):
        if sibling in shown or _links_another_post(sibling, url, blog, pid):
            break
        run.append(sibling)
    elements = [node for node in run if isinstance(node.tag, str)]
    if not any(xpath(node, SELECTORS["own_buttons"].format(pid=pid, n=len(pid))) for node in elements):
        return block
    wrapper = lxml_html.Element("div")
    for node in [*reversed(run), block]:
        wrapper.append(copy.deepcopy(node))
    return wrapper


def _date_above(
    block: lxml_html.HtmlElement, url: str, blog: str, pid: str, shown: set[lxml_html.HtmlElement]
) -> When | None:
    """The date a listing prints above the post's block, outside it, for a block that shows none: the
    nearest sibling since the previous post's block that links this post (``div#designline`` > "7th Sep
    2013", then ``article``). A sibling linking no post may be the previous post's footer: not read."""
    for sibling in block.itersiblings(preceding=True):
        if sibling in shown or _links_another_post(sibling, url, blog, pid):
            return None
        if not isinstance(sibling.tag, str):
            continue
        permalinks = [
            a for a in sibling.iter("a") if isinstance(a.tag, str) and is_permalink(a, url, blog, pid)
        ]
        if permalinks:
            return _html_date(sibling, _date_texts(sibling, permalinks))
    return None


def _links_another_post(node: lxml_html.HtmlElement, url: str, blog: str, pid: str) -> bool:
    """Whether ``node`` links a post of this blog other than ``pid`` (its permalink line, say)."""
    if not isinstance(node.tag, str):
        return False
    for raw in xpath(node, "descendant-or-self::a/@href"):
        href = absolute(url, str(raw))
        if href and same_blog(href, blog) and (other := post_id_of(href)) and other != pid:
            return True
    return False


def _generic_block(
    root: lxml_html.HtmlElement, pid: str, url: str, blog: str
) -> lxml_html.HtmlElement | None:
    """A themed post element (``article``, ``.post``, ``.entry``): the innermost one holding the post's
    permalink, else (a permalink page linking nowhere) the innermost one with the most text."""
    nodes = xpath(root, SELECTORS["container_generic"])
    in_notes = _notes_anchors(root)
    holding = [
        n for n in nodes if any(a not in in_notes and is_permalink(a, url, blog, pid) for a in n.iter("a"))
    ]
    # A block classed by its post type (``<li class="regular">``) and holding a permalink with text (not a
    # photo's link around its image, whose ``div.photo`` is only part of the post).
    holding += [
        n
        for n in xpath(root, SELECTORS["container_typed"])
        if any(
            a not in in_notes and is_permalink(a, url, blog, pid) and (a.text_content() or "").strip()
            for a in n.iter("a")
        )
    ]
    # A typed block without the permalink whose parent holds it beside (``div#post.chat`` and
    # ``div#meta`` with the date link in ``div#outer``): the parent, never the page's body.
    holding += [
        parent
        for n in xpath(root, SELECTORS["container_typed"])
        if (parent := n.getparent()) is not None
        and parent.tag not in ("body", "html")
        and not _reaches_top(parent)
        and any(a not in in_notes and is_permalink(a, url, blog, pid) for a in parent.iter("a"))
    ]
    # A theme printing no permalink in the post (share links only): the element holding the post's own
    # like or reblog button (``data-post-id``, ``/reblog/<id>/``), not a sidebar's longer text.
    buttons = {a for b in xpath(root, SELECTORS["buttons"].format(pid=pid)) for a in b.iterancestors()}
    holding += [n for n in nodes if n in buttons and not _reaches_top(n)]
    if holding:
        best = max(holding, key=lambda n: len(list(n.iterancestors())))
        return _post_box(best, holding, url, blog, pid, in_notes)
    inner = [n for n in nodes if not any(other in nodes for other in n.iterdescendants())]
    # An empty one (a theme's ``div#content`` left blank beside ``div#posts``) is no post either.
    said = [
        n for n in inner if _text_len(n) > sum(_text_len(notes) for notes in xpath(n, SELECTORS["notes"]))
    ]
    # A "Notes" block (likes and reblogs, often a themed .post of its own) is no post.
    without_notes = [n for n in said if not xpath(n, SELECTORS["notes"])]
    return max(without_notes or said or inner, key=_text_len, default=None)


def _post_box(
    best: lxml_html.HtmlElement,
    holding: list[lxml_html.HtmlElement],
    url: str,
    blog: str,
    pid: str,
    in_notes: set[lxml_html.HtmlElement],
) -> lxml_html.HtmlElement:
    """``best`` widened to the innermost ``article``/``.post``/``.entry`` holding it that prints the post's permalink
    beside it too: a theme's post box with the content (``div.content.text``) and, in a sibling column, the date,
    the notes and the tags (``div.sidebar``), which are the post's own."""
    boxes = [
        n
        for n in holding
        if n is not best
        and POST_BOX.match(f"{n.tag} {n.get('class') or ''}")
        and any(ancestor is n for ancestor in best.iterancestors())
        and any(
            a not in in_notes
            and not any(x is best for x in a.iterancestors())
            and is_permalink(a, url, blog, pid)
            for a in n.iter("a")
        )
    ]
    return max(boxes, key=lambda n: len(list(n.iterancestors())), default=best)


def _enclosing_box(block: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The nearest ``article``/``.post``/``.entry`` around ``block`` short of the page's top, if any."""
    for ancestor in block.iterancestors():
        if _reaches_top(ancestor):
            return None
        if POST_BOX.match(f"{ancestor.tag} {ancestor.get('class') or ''}"):
            return ancestor
    return None


def _with_named(
    root: lxml_html.HtmlElement, pid: str, block: lxml_html.HtmlElement | None
) -> lxml_html.HtmlElement | None:
    """``block`` widened to its parent when the element the theme names by the post's id is its
    sibling: a theme can put the post's content (``<article id=ID>``) and its date and tags in
    sibling elements that no permalink ties together. Never widened to the page's body."""
    named = _named_blocks(root, {pid}).get(pid)
    if block is None or named is None or named is block:
        return block
    parent = block.getparent()
    if parent is None or named.getparent() is not parent or parent.tag in ("body", "html"):
        return block
    return parent


def _permalink_block(
    root: lxml_html.HtmlElement, url: str, blog: str, pid: str, skip_navigation: bool = False
) -> lxml_html.HtmlElement | None:
    """The block of a permalink page's post: its own, else a themed post element, else the body."""
    block = _blocks(root, url, blog, skip_navigation, shown=pid).get(pid)
    if block is None or _reaches_top(block):
        generic = _generic_block(root, pid, url, blog)
        generic = _anchors_box(root, url, blog, pid) if generic is None else generic
        block = generic if generic is not None else block if block is not None else root.find("body")
        block = _with_named(root, pid, block)
    return block


def _anchors_box(root: lxml_html.HtmlElement, url: str, blog: str, pid: str) -> lxml_html.HtmlElement | None:
    """A photoset post in a theme without post elements (``div.shadow`` > ``div.image`` with the photoset's
    frame, then ``div.caption`` and the permalink line): the innermost element holding the frame and the
    permalinks, when it stops short of the page's top (the sidebar left out) and says more than the links."""
    own = [node for node, owner in _own_post_anchors(root, url, blog) if owner == pid]
    framed = len(own) > 1 and any(node.tag == "iframe" for node in own)
    box = _common_ancestor(own) if framed else None
    if box is None or _reaches_top(box):
        return None
    return box if _words(box) > sum(_words(node) for node in own) else None


def _words(node: lxml_html.HtmlElement) -> int:
    return len("".join(node.itertext()).split())


def _member(anchors: list[lxml_html.HtmlElement] | None) -> str | None:
    """The group blog's member who posted: the name of the first member link's blog."""
    return blog_name(blog_root(anchors[0].get("href") or "")) if anchors else None


def _avatar_member(block: lxml_html.HtmlElement) -> str | None:
    """A group blog's member shown by the avatar Tumblr names after them, in an element classed ``author``
    (``div.author > img[src=…/avatar_7b187e1b509b_64.png][alt=mattrobenolt]``, blog.disqus.com)."""
    for img in block.iter("img"):
        name = (img.get("alt") or img.get("title") or "").strip()
        if not AVATAR_FILE.search(img.get("src") or "") or not MEMBER_NAME.match(name):
            continue
        for node in (img, *img.iterancestors()):
            if "author" in (node.get("class") or "").lower():
                return name
            if node is block:
                break
    return None


def _author(post: PostPage, blog: str, blog_author: str | None) -> str | None:
    """The member who posted when the block names one, else the blog (``blog_author``, the blog's name)."""
    member = post.author if post.author and post.author != blog_name(blog) else None
    return member or blog_author or post.author


def parse_permalink(root: lxml_html.HtmlElement, url: str, follow: bool) -> Page:
    blog = blog_root(url)
    app = _app_link(root)
    pid = post_id_of(url) or app.get("postID")
    links = _discovery_links(root, url, blog, skip=pid) if follow else []
    blog_title = _blog_title(root, listing=False)
    if not pid:
        return Page(kind=LinkKind.POST, links=links, blog_title=blog_title, outcome="not_a_post")
    block = _permalink_block(root, url, blog, pid)
    if block is None:
        return Page(kind=LinkKind.POST, links=links, blog_title=blog_title, outcome="not_a_post")
    og_type = _og_type(root)
    page_type = "text" if og_type == "entry" else norm_type(og_type)
    post = _html_post(block, url, blog, pid, blog_title, page_type)
    if not (post.title or post.body_html or post.text or post.media_urls):
        # A theme's previous/next-post links inside the post's own box cut its block down to the
        # permalink line: the block again without them.
        wider = _permalink_block(root, url, blog, pid, skip_navigation=True)
        if wider is not None and wider is not block:
            block, post = wider, _html_post(wider, url, blog, pid, blog_title, page_type)
    if not (post.title or post.body_html or post.text or post.media_urls):
        # The post's body lists links to other posts of the blog ("What is Swarm?"), which cut its block down
        # to its title: the themed post element holding the permalink.
        generic = _with_named(root, pid, _generic_block(root, pid, url, blog))
        if generic is not None and generic is not block:
            block, post = generic, _html_post(generic, url, blog, pid, blog_title, page_type)
    if (
        not (post.title or post.body_html or post.text or post.media_urls)
        and (box := _enclosing_box(block)) is not None
    ):
        # The block holds only the footer (date, "Reblogged from - x", "Source - y"): the photo before it
        # is in the theme's post box around both (``div.entry`` > ``a > img`` + ``div.text``).
        block, post = box, _html_post(box, url, blog, pid, blog_title, page_type)
    if not (post.title or post.body_html or post.text or post.media_urls):
        return Page(kind=LinkKind.POST, links=links, blog_title=blog_title, outcome="empty")
    if post.published is None and (beside := _date_beside(block, url, blog, pid)):
        post.set_published(beside)
    shown_day = _shown_when(post)
    if (
        shown_day is not None
        and shown_day.precision is Precision.DAY
        and (beside := _time_beside(block, shown_day, url, blog, pid))
    ):
        post.set_published(beside)
    ld = _jsonld(root)
    if stated := iso_when(str(ld.get("datePublished") or "")):
        shown = _shown_when(post) or _day_header(block)
        permalinks = [a for a in block.iter("a") if is_permalink(a, url, blog, pid)]
        offset = display_offset(shown, _shown_clock(_date_texts(block, permalinks)), stated.utc)
        if stated.local:
            post.set_published(stated)
        elif offset is None and _day_before_or_after(shown, stated):
            # The theme shows the day before or after the instant's in Tumblr's zone (New York) and no time of
            # day that would place the blog's: the day its readers see is kept (25 Feb, 2017-02-26T01:24-05:00).
            post.set_published(shown)
        else:
            post.set_published(When(stated.utc, stated.precision, offset=offset))
    post.author = _author(post, blog, app.get("blogName") or clean_text(str(ld.get("author") or "")))
    if og_type and og_type != "entry" and norm_type(og_type):
        post.extra["type"] = norm_type(og_type)
    elif og_type == "entry" and "type" not in post.extra:
        post.extra["type"] = "text"
    return Page(kind=LinkKind.POST, posts=[post], links=links, blog_title=blog_title)

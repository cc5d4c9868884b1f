"""A byline inside a post's body: the post's author, not its text.

Google's blogs (and guest posts anywhere) open or close the body with "Posted by Jane Doe,
Engineer" while the theme's author field names the blog's account ("Google"). A line is a
byline when it is marked as one by its class, or when it opens or closes the body, is short,
and starts with a byline phrase (``markup.BYLINE``). After a bare "By", "Par" or "Von",
which also start sentences ("By 2020, ...", "Par exemple"), the words up to the first
comma must read as a name: capitalized, a few of them.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from crawler.parsers.base import clean_text, xpath
from crawler.parsers.blogspot.markup import (
    BYLINE,
    BYLINE_ASIDE,
    BYLINE_SEPARATOR,
    BYLINE_TEAM,
    BYLINE_TITLE_WORDS,
    SELECTORS,
)

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BYLINE_MAX = 200  # characters of the whole line
NAME_MAX_WORDS = 5
# Lower-case words a name may hold: "Vincent van Gogh", "Jean de La Fontaine".
NAME_PARTICLES = frozenset(
    {"de", "du", "des", "la", "le", "van", "von", "der", "den", "da", "di", "del", "y", "e"}
)
_NAME_END = re.compile(r",|;|\s[-–—|]\s|\s(?:and|und|et|y|e|en|og|i)\s")
_SENTENCE_END = (".", "!", "?", ":")


def take_byline(body: lxml_html.HtmlElement) -> str | None:
    """The author a byline in ``body`` names, or ``None``; the byline's element is removed from ``body``."""
    marked = [(node, True) for node in xpath(body, SELECTORS["byline"])]
    edges = [
        (node, False)
        for node in (*edge_nodes(body, first=True), *edge_nodes(body, first=False))
        if node.tag not in HEADINGS  # "By The Sea": a title in title case, not a byline
    ]
    for node, is_marked in marked + edges:
        name = byline_name(clean_text(node.text_content()), marked=is_marked)
        if name:
            node.drop_tree()
            return name
    return None


def edge_nodes(body: lxml_html.HtmlElement, first: bool) -> list[lxml_html.HtmlElement]:
    """The elements that open (or close) the body's text, outermost first; images and empty ones skipped."""
    found = []
    child = _edge_child(body, first)
    while child is not None:
        found.append(child)
        child = _edge_child(child, first)
    return found


def _edge_child(node: lxml_html.HtmlElement, first: bool) -> lxml_html.HtmlElement | None:
    """The child element holding the first (``first``) or last text of ``node``; ``None`` when bare
    text of ``node`` itself comes before (after) it."""
    if first and not _blank(node.text):
        return None
    for child in node if first else reversed(node):
        if not first and not _blank(child.tail):
            return None
        if isinstance(child.tag, str) and not _blank(child.text_content()):
            return child
        if first and not _blank(child.tail):
            return None
    return None


def _blank(text: str | None) -> bool:
    return not (text or "").strip()


def byline_name(line: str | None, marked: bool) -> str | None:
    """``"Posted by Jane Doe, Engineer"`` -> ``"Jane Doe"``; ``None`` when it is no byline."""
    if not line or len(line) > BYLINE_MAX:
        return None
    match = BYLINE.match(line)
    if match is None:
        return None
    name = match.group("name").strip(" ,;-–—")
    if not name or name.endswith(_SENTENCE_END):
        return None
    if match.group("bare") and not marked and not looks_like_name(name):
        return None
    return person_names(name)


def person_names(name: str) -> str:
    """The people a byline names, without their job titles or team.

    ``"Jane Doe, Software Engineer"`` -> ``"Jane Doe"``; ``"A B, C D and E F - Chrome team"`` ->
    ``"A B, C D and E F"``; ``"Jane Doe, Product Manager and John Roe, Engineer"`` ->
    ``"Jane Doe and John Roe"``. The first name is kept as written. After a comma comes a job
    title, unless the byline lists people ("A, B and C"): the segment reads as a name, no job
    word in it, and a conjunction followed by a name comes later. After a conjunction comes a
    person, unless the segment holds a job word ("Research and Development").
    """
    head = BYLINE_TEAM.split(BYLINE_ASIDE.sub("", name), maxsplit=1)[0].strip(" ,;")
    parts = BYLINE_SEPARATOR.split(head)
    segments, separators = parts[0::2], parts[1::2]
    kept = [0]
    in_title = False
    for index, (separator, segment) in enumerate(zip(separators, segments[1:]), start=1):
        if _is_conjunction(separator):
            in_title = not _is_person(segment)
        else:
            listing = not in_title and any(
                _is_conjunction(s) and _is_person(segments[i + 1])
                for i, s in enumerate(separators[index:], start=index)
            )
            in_title = not (listing and _is_person(segment))
        if not in_title:
            kept.append(index)
    if kept == list(range(len(kept))):
        return "".join(parts[: 2 * kept[-1] + 1]).strip() or name
    people = [segments[i].strip() for i in kept]
    last_and = separators[kept[-1] - 1].strip(" ,")
    return ", ".join(people[:-1]) + f" {last_and} " + people[-1]


def _is_conjunction(separator: str) -> bool:
    return bool(separator.strip(" ,"))


def _is_person(segment: str) -> bool:
    """A name ("Kiran C Nair"), not a job title ("Product Manager")."""
    words = segment.split()
    return looks_like_name(segment) and not any(w.casefold().strip(".") in BYLINE_TITLE_WORDS for w in words)


def looks_like_name(value: str) -> bool:
    """A few capitalized words before the first comma or "and": "Jane Doe", "Vincent van Gogh"."""
    words = _NAME_END.split(value, maxsplit=1)[0].split()
    if not 1 <= len(words) <= NAME_MAX_WORDS or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or w in NAME_PARTICLES for w in words)

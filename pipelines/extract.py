"""Main text of a post body with trafilatura (boilerplate out, paragraphs kept)."""

from __future__ import annotations

import html
import logging
import re
from functools import lru_cache

import trafilatura
from lxml import etree
from lxml import html as lxml_html
from trafilatura.settings import Extractor, use_config

logger = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _config():
    # The parsers already isolated the post body: keep short posts ("Joyeux Noël !")
    # that trafilatura's page-level size thresholds would throw away.
    config = use_config()
    for key in ("MIN_EXTRACTED_SIZE", "MIN_OUTPUT_SIZE", "MIN_EXTRACTED_COMM_SIZE", "MIN_OUTPUT_COMM_SIZE"):
        config.set("DEFAULT", key, "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


@lru_cache(maxsize=1)
def _options() -> Extractor:
    # Made once: trafilatura's extract made it again on every call from its keywords (its config
    # read, its date parameters set), 7 % of an extraction's CPU; it never changes a shared one.
    return Extractor(config=_config(), output_format="txt", fast=True, comments=False, tables=True,
                     images=False, links=False, dedup=False)  # fmt: skip


# The queries of the rewrites below, compiled once (``root.xpath`` compiles its expression at each call).
# A <div> holding no block of its own is a paragraph written with styled wrappers.
_LEAF_DIVS = etree.XPath(
    "//div[not(.//p | .//div | .//ul | .//ol | .//table | .//blockquote | .//pre | .//dl"
    " | .//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//li)][normalize-space()]"
)
# A <div> that shows nothing but line breaks and images: Blogger's editor writes every blank line as
# <div><br></div>, every picture as <div class="separator"><a><img></a></div>.
_BLANK_DIVS = etree.XPath(
    "//div[not(normalize-space())][not(.//*[not(self::br or self::img or self::div or self::span"
    " or self::font or self::b or self::i or self::u or self::em or self::strong)])]"
)
_P_TEXTS = etree.XPath("//p//text()")
_AFTER = etree.XPath("following::text()[normalize-space()] | following-sibling::*")
_NEVER_TEXT = etree.XPath("//script|//style|//noscript")
_BREAKS = re.compile(r"\s*\n\s*")
# Elements that hold one line of the text (a list item, a cell) or more.
_LINE_BLOCKS = frozenset(
    {"li", "td", "th", "dd", "dt", "p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
)
# Elements that break a run of text into paragraphs.
_BLOCKS = frozenset(
    {"p", "div", "ul", "ol", "table", "blockquote", "pre", "dl", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
     "figure", "section", "article", "header", "footer", "center", "form"}
)  # fmt: skip

# A line break inside a run of text, between two characters that are neither blank nor a tag's edge.
_SOURCE_BREAK = re.compile(r"(?<=[^ \t\r\n>])[ \t]*[\r\n]+[ \t]*(?=[^ \t\r\n<])")
# The tags the rewrites below change: without one, trafilatura reads the body as it is.
_REWRITTEN_TAG = re.compile(r"<(?:div|center|a|h[1-6]|blink|marquee)[\s>]", re.I)
# Obsolete elements whose text shows but that trafilatura drops with their content (a 2006 post's
# "<blink>BLOCKADE=BLOCKAID</blink>", an old blog's scrolling <marquee>). Not <time>: in a body it is
# mostly a theme's date line.
_SHOWN_INLINE = ("blink", "marquee")
_HEADINGS = etree.XPath("//h1|//h2|//h3|//h4|//h5|//h6")
# A Blogger static page ("About", "Impressum", "Info zur Bewertung"): the blog's navigation.
_STATIC_PAGE = re.compile(r"/p/[^/?#]+\.html")
_PREFORMATTED = re.compile(r"(<pre\b.*?</pre\s*>|<textarea\b.*?</textarea\s*>)", re.I | re.S)

# MIN_EXTRACTED_SIZE (1, see _config) x 3: below this much <p> text trafilatura reads <div>s too.
_P_TEXT_FLOOR = 3


def _wrap(body_html: str) -> str:
    # trafilatura scores whole documents; a bare fragment loses text outside <p>.
    return f"<html><body><article>{_as_paragraphs(body_html)}</article></body></html>"


def _as_paragraphs(body_html: str) -> str:
    """The body with its text in the blocks trafilatura reads (see the rewrites below)."""
    body_html = _source_lines_joined(body_html)
    if not _REWRITTEN_TAG.search(body_html):
        return body_html  # one kind of block, no link: trafilatura reads it whole
    try:
        root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return body_html
    changed = _links_unwrapped(root)
    changed = _shown_inline_unwrapped(root) or changed
    changed = _centers_as_divs(root) or changed
    changed = _last_headings_as_paragraphs(root) or changed
    changed = _blank_divs_as_breaks(root) or changed
    changed = _leaf_divs_as_paragraphs(root) or changed
    changed = _bare_runs_as_paragraphs(root) or changed
    return _children_html(root) if changed else body_html


def _source_lines_joined(body_html: str) -> str:
    """A line break of the HTML source inside a run of text is a space (outside ``<pre>``), as a browser shows it.

    trafilatura keeps the source's line breaks in a ``<p>`` that holds a ``<br>``: Typepad's
    editor wraps long lines ("as the Phillies \\nconclude their…"), and each became a paragraph.
    A break next to a tag stays (trafilatura may need it between blocks); one inside a tag is a
    space there too.
    """
    if "\n" not in body_html:
        return body_html
    parts = _PREFORMATTED.split(body_html)  # odd parts: <pre>/<textarea> elements, kept as written
    return "".join(part if i % 2 else _SOURCE_BREAK.sub(" ", part) for i, part in enumerate(parts))


def _links_unwrapped(root: lxml_html.HtmlElement) -> bool:
    """Each ``<a>`` replaced by what it holds: the body's links are its author's text.

    trafilatura prunes blocks dense in links as a page's navigation (``link_density_test``),
    but the parsers already cut the body out of the page: an ingredient list of links, a
    heading beside a picture link, a last line "Full events page here." were lost. A link to
    one of the blog's static pages standing alone in its block is the blog's navigation, dropped (a
    review signed with "Info zur Bewertung" under its rating); inside a sentence it is text too.
    """
    links = list(root.iter("a"))
    for a in links:
        if _STATIC_PAGE.search(a.get("href", "")) and _alone_in_block(a):
            a.drop_tree()
        else:
            a.drop_tag()
    return bool(links)


def _alone_in_block(node: lxml_html.HtmlElement) -> bool:
    """``node``'s text is all the text of its nearest block (through inline wrappers: ``<div><i><a>``)."""
    block = node.getparent()
    while block is not None and block.tag not in _LINE_BLOCKS and block.getparent() is not None:
        block = block.getparent()
    return block is not None and " ".join(block.text_content().split()) == " ".join(
        node.text_content().split()
    )


def _shown_inline_unwrapped(root: lxml_html.HtmlElement) -> bool:
    """The text of ``<blink>`` and ``<marquee>`` kept in its line (see ``_SHOWN_INLINE``)."""
    inline = list(root.iter(*_SHOWN_INLINE))
    for node in inline:
        node.drop_tag()
    return bool(inline)


def _centers_as_divs(root: lxml_html.HtmlElement) -> bool:
    """Each ``<center>`` as the ``<div>`` it shows as; trafilatura reads no text in a ``<center>``."""
    centers = list(root.iter("center"))
    for center in centers:
        center.tag = "div"
    return bool(centers)


def _last_headings_as_paragraphs(root: lxml_html.HtmlElement) -> bool:
    """The headings that end the body, as paragraphs: trafilatura drops a page's trailing titles.

    A post may end on its loudest line (``<p>FITTED TO WHOM</p><h2>MEEEE BABY!!!</h2>``).
    """
    last = []
    for heading in reversed(_HEADINGS(root)):
        if _AFTER(heading):
            break
        last.append(heading)
    for heading in last:
        heading.tag = "p"
    return bool(last)


def _blank_divs_as_breaks(root: lxml_html.HtmlElement) -> bool:
    """Each ``<div>`` holding only line breaks and images, as one ``<br>``, the text after it kept.

    trafilatura drops an empty ``<div>`` with its tail: the text run after a blank line
    (``<div><br></div>Maintenance releases…``) was lost with it.
    """
    blanks = [div for div in _BLANK_DIVS(root) if div is not root]
    for div in blanks:
        br = lxml_html.Element("br")
        br.tail = div.tail
        div.getparent().replace(div, br)
    return bool(blanks)


def _leaf_divs_as_paragraphs(root: lxml_html.HtmlElement) -> bool:
    """Text in ``<div>``s beside ``<p>``s, as paragraphs.

    trafilatura reads ``<div>`` text only when the ``<p>``s of the frame hold almost no text
    (``main_extractor._extract``: "div" joins the potential tags below MIN_EXTRACTED_SIZE x 3
    characters of ``<p>`` text): a Blogger post whose first paragraphs sit in
    ``<div style=…><span>`` after an image separator, then a few ``<p>``, kept only the ``<p>``s.
    """
    if len("".join(_P_TEXTS(root)).strip()) < _P_TEXT_FLOOR:
        return False  # trafilatura reads the <div>s already; <p>s made of them would hide bare text runs
    leaves = [div for div in _LEAF_DIVS(root) if div is not root]
    for div in leaves:
        div.tag = "p"
    return bool(leaves)


def _bare_runs_as_paragraphs(root: lxml_html.HtmlElement) -> bool:
    """Text written straight in a ``<div>`` beside its ``<p>``s, as paragraphs of its own; beside
    ``<div>``s only, in ``<div>``s of its own.

    trafilatura drops such a run when it is a nested ``<div>``'s own text: a Typepad body
    ``<div class="entry-body">ARLINGTON -- In the first…<p>Texas avoided…</p>`` lost its lead. Without
    ``<p>``, it puts a ``<div>``'s own lead text after its child ``<div>``s (a Blogger body "Bad block ou
    setor…<div><br></div><div>Vários…" gave its lead paragraph last) and drops a child ``<div>`` it
    prunes with the text after it (a recipe card, then "I picked up all the supplies…").
    """
    changed = False
    for div in list(root.iter("div")):
        if div is root or not _has_bare_text(div):
            continue
        if any(child.tag == "p" for child in div):
            _wrap_runs(div)
            changed = True
            continue
        if any(child.tag == "div" and (child.tail or "").strip() for child in div):
            _wrap_tails(div)
            changed = True
        if (div.text or "").strip() and any(child.tag == "div" for child in div):
            _wrap_lead(div)
            changed = True
    return changed


def _wrap_tails(div: lxml_html.HtmlElement) -> None:
    """The text run after each child ``<div>`` (up to the next block) moves into a new ``<div>`` after it."""
    for child in [c for c in div if c.tag == "div" and (c.tail or "").strip()]:
        run = lxml_html.Element("div")
        run.text, child.tail = child.tail, None
        node = child.getnext()
        while node is not None and not _is_block(node):
            following = node.getnext()
            run.append(node)
            node = following
        _spaces_for_breaks(run)
        child.addnext(run)


def _spaces_for_breaks(run: lxml_html.HtmlElement) -> None:
    """A run of inline text shows its source line breaks as spaces; trafilatura, reading the run as a
    ``<div>``, cut it at a break that opens an inline element ("sehingga tidak<span>\\n dapat ditarik")."""
    if run.find(".//code") is not None or run.find(".//textarea") is not None:
        return  # verbatim text keeps its lines
    for node in run.iter():
        for attr in ("text", "tail") if node is not run else ("text",):
            value = getattr(node, attr)
            if value and "\n" in value:
                setattr(node, attr, _BREAKS.sub(" ", value))
    run.text = (run.text or "").lstrip() or None  # the start of a block


def _wrap_lead(div: lxml_html.HtmlElement) -> None:
    """The text and inline elements that open ``div``, up to its first block, move into a new first ``<div>``."""
    lead = lxml_html.Element("div")
    lead.text, div.text = div.text, None
    for child in list(div):
        if _is_block(child):
            break
        lead.append(child)  # moves the inline element with its tail
    _spaces_for_breaks(lead)
    while len(lead) and lead[-1].tag == "br" and not (lead[-1].tail or "").strip():
        lead.remove(lead[-1])  # the blank line before the next block: the block ends the line already
    if len(lead):
        lead[-1].tail = (lead[-1].tail or "").rstrip() or None
    else:
        lead.text = (lead.text or "").rstrip()  # trafilatura keeps a <div>'s trailing space
    div.insert(0, lead)


def _has_bare_text(div: lxml_html.HtmlElement) -> bool:
    if (div.text or "").strip():
        return True
    return any((child.tail or "").strip() for child in div if _is_block(child))


def _is_block(node: lxml_html.HtmlElement) -> bool:
    return isinstance(node.tag, str) and node.tag in _BLOCKS


def _wrap_runs(div: lxml_html.HtmlElement) -> None:
    """Each run of text and inline elements between the blocks of ``div`` moves into a new ``<p>``."""
    children, text = list(div), div.text
    div.text = None
    for child in children:
        div.remove(child)
    run: lxml_html.HtmlElement | None = None

    def add_text(value: str | None) -> None:
        nonlocal run
        if run is None:
            if not (value or "").strip():
                return
            run = lxml_html.Element("p")
            div.append(run)
        if len(run):
            run[-1].tail = (run[-1].tail or "") + (value or "")
        else:
            run.text = (run.text or "") + (value or "")

    add_text(text)
    for child in children:
        tail, child.tail = child.tail, None
        if _is_block(child):
            run = None
            div.append(child)
        else:
            if run is None:
                run = lxml_html.Element("p")
                div.append(run)
            run.append(child)
        add_text(tail)


def _children_html(root: lxml_html.HtmlElement) -> str:
    """The inside of a fragment's wrapper: its text, then its children with their tails."""
    lead = html.escape(root.text or "", quote=False)
    return lead + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def _plain_text(body_html: str) -> str:
    try:
        root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for bad in _NEVER_TEXT(root):
        bad.drop_tree()
    return root.text_content()


def extract_main_text(body_html: str | None) -> str:
    """The main text of a post body fragment; '' when there is none."""
    if not body_html or not body_html.strip():
        return ""
    try:
        text = trafilatura.extract(_wrap(body_html), options=_options())
    except Exception:  # trafilatura raises assorted errors on pathological markup
        logger.debug("trafilatura failed, using plain text", exc_info=True)
        text = None
    return text if text else _plain_text(body_html)

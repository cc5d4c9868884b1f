"""Main text of a post body with trafilatura (boilerplate out, paragraphs kept)."""

from __future__ import annotations

import html
import logging
from functools import lru_cache

import trafilatura
from lxml import html as lxml_html
from trafilatura.settings import use_config

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


# A <div> holding no block of its own is a paragraph written with styled wrappers.
_LEAF_DIVS = "//div[not(.//p | .//div | .//ul | .//ol | .//table | .//blockquote | .//pre | .//dl"
_LEAF_DIVS += " | .//h1 | .//h2 | .//h3 | .//h4 | .//h5 | .//h6 | .//li)][normalize-space()]"


# MIN_EXTRACTED_SIZE (1, see _config) x 3: below this much <p> text trafilatura reads <div>s too.
_P_TEXT_FLOOR = 3


def _wrap(body_html: str) -> str:
    # trafilatura scores whole documents; a bare fragment loses text outside <p>.
    return f"<html><body><article>{_leaf_divs_as_paragraphs(_blank_divs_as_breaks(body_html))}</article></body></html>"


# A <div> that shows nothing but line breaks: Blogger's editor writes every blank line as <div><br></div>.
_BLANK_DIVS = "//div[not(normalize-space())][not(.//*[not(self::br or self::span or self::font or self::b or self::i)])]"


def _blank_divs_as_breaks(body_html: str) -> str:
    """Each ``<div>`` holding only line breaks, as one ``<br>``, the text after it kept.

    trafilatura drops an empty ``<div>`` with its tail: with the text run after a blank line
    (``<div><br></div>Maintenance releases…``) was lost with it.
    """
    if "<div" not in body_html:
        return body_html
    try:
        root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return body_html
    blanks = [div for div in root.xpath(_BLANK_DIVS) if div is not root]
    if not blanks:
        return body_html
    for div in blanks:
        br = lxml_html.Element("br")
        br.tail = div.tail
        div.getparent().replace(div, br)
    return _children_html(root)


def _leaf_divs_as_paragraphs(body_html: str) -> str:
    """Text in ``<div>``s beside ``<p>``s, as paragraphs.

    trafilatura reads ``<div>`` text only when the ``<p>``s of the frame hold almost no text
    (``main_extractor._extract``: "div" joins the potential tags below MIN_EXTRACTED_SIZE x 3
    characters of ``<p>`` text): a Blogger post whose first paragraphs sit in
    ``<div style=…><span>`` after an image separator, then a few ``<p>``, kept only the ``<p>``s.
    """
    if "<p" not in body_html or "<div" not in body_html:
        return body_html  # one kind of block: trafilatura reads it whole
    try:
        root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return body_html
    if len("".join(root.xpath("//p//text()")).strip()) < _P_TEXT_FLOOR:
        return body_html  # trafilatura reads the <div>s already; <p>s made of them would hide bare text runs
    leaves = root.xpath(_LEAF_DIVS)
    if not leaves:
        return body_html
    for div in leaves:
        if div is not root:
            div.tag = "p"
    return _children_html(root)


def _children_html(root: lxml_html.HtmlElement) -> str:
    """The inside of a fragment's wrapper: its text, then its children with their tails."""
    lead = html.escape(root.text or "", quote=False)
    return lead + "".join(lxml_html.tostring(child, encoding="unicode") for child in root)


def _plain_text(body_html: str) -> str:
    try:
        root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    except (ValueError, lxml_html.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    return root.text_content()


def extract_main_text(body_html: str | None) -> str:
    """The main text of a post body fragment; '' when there is none."""
    if not body_html or not body_html.strip():
        return ""
    try:
        text = trafilatura.extract(
            _wrap(body_html),
            config=_config(),
            fast=True,
            include_comments=False,
            include_tables=True,
            include_images=False,
            include_links=False,
            deduplicate=False,
            output_format="txt",
        )
    except Exception:  # trafilatura raises assorted errors on pathological markup
        logger.debug("trafilatura failed, using plain text", exc_info=True)
        text = None
    return text if text else _plain_text(body_html)

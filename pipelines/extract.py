"""Main text of a post body with trafilatura (boilerplate out, paragraphs kept)."""

from __future__ import annotations

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


def _wrap(body_html: str) -> str:
    # trafilatura scores whole documents; a bare fragment loses text outside <p>.
    return f"<html><body><article>{body_html}</article></body></html>"


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

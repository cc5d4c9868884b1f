"""Bytes off the wire to text, the same way in a crawl and in a build from WARC."""

from __future__ import annotations

from w3lib.encoding import html_to_unicode, http_content_type_encoding

REPLACEMENT = "\ufffd"


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding) of an HTML/XML body.

    Follows the HTTP header, then the BOM and ``<meta charset>``, as browsers do. 2000s
    French pages often say UTF-8 (or nothing) while sending windows-1252: when the
    declared decoding produces replacement characters and windows-1252 decodes
    cleanly, windows-1252 wins, so "é" comes out right.
    """
    header = (
        f"charset={http_content_type_encoding(content_type)}"
        if content_type and "charset" in content_type.lower()
        else None
    )
    encoding, text = html_to_unicode(header, body, auto_detect_fun=_auto_detect)
    if REPLACEMENT in text and REPLACEMENT.encode() not in body:
        try:
            return body.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    return text, encoding


def _auto_detect(body: bytes) -> str | None:
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"

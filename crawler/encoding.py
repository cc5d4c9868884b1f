"""Bytes off the wire to text, the same way in a crawl and in a build from WARC."""

from __future__ import annotations

import re

from w3lib.encoding import html_to_unicode, http_content_type_encoding

REPLACEMENT = "\ufffd"
# Signatures of files that are never pages, whatever their Content-Type says.
BINARY_MAGIC = (b"\x89PNG", b"GIF87a", b"GIF89a", b"\xff\xd8\xff", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"\x7fELF")  # fmt: skip
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SINGLE_BYTE_WESTERN = frozenset({"cp1252", "iso8859-1", "iso8859-15", "latin-1"})
# C0 control characters lxml refuses in any string it is given (NUL becomes U+FFFD as in
# browsers, form feed is whitespace, the others carry nothing); tab, LF and CR stay.
CONTROLS = {c: None for c in range(32) if chr(c) not in "\t\n\r"} | {0: REPLACEMENT, 12: " "}
# str.translate costs ~10 ms on a 100 KB page that is not ASCII, so it runs only on a page that
# has one: a substring test per character (memchr) tells in 0.04 ms, a regex search in 0.7 ms.
CONTROL_CHARS = "".join(chr(c) for c in CONTROLS)
# Numeric references to UTF-16 halves (``&#55357;&#56832;``, emoji as old feeds wrote them):
# libxml2 turns them into bytes no Python string can hold. A pair becomes its character,
# a lone half (or a code point past U+10FFFF) U+FFFD, as a browser shows it. References to
# control characters (``&#0;``, or ``&#x2`` with no semicolon, as HTML allows) go as the
# characters themselves do.
_REF = r"&#(?:[xX]([0-9a-fA-F]{1,8})|(\d{1,10}));?"
SURROGATE_PAIR = re.compile(_REF + _REF)
CHAR_REF = re.compile(_REF)


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str]:
    """(text, encoding) of an HTML/XML body.

    Follows the HTTP header, then the BOM and ``<meta charset>``, as browsers do. 2000s
    French pages often say UTF-8 (or nothing) while sending windows-1252: when the
    declared decoding produces replacement characters and windows-1252 decodes
    cleanly, windows-1252 wins, so "é" comes out right. The reverse happens too (a
    server's default ISO-8859-1 over a UTF-8 page): a body declared in a Western
    single-byte charset that is valid UTF-8 with non-ASCII bytes is UTF-8 ("Ã©" never).
    Control characters are dropped (NUL becomes U+FFFD) and numeric references to UTF-16
    halves are repaired: no parser can take them.
    """
    text, encoding = _decode(body, content_type)
    if "&#" in text:
        text = CHAR_REF.sub(_bad_ref, SURROGATE_PAIR.sub(_pair, text))
    return (text.translate(CONTROLS) if any(c in text for c in CONTROL_CHARS) else text), encoding


def _code_point(hex_digits: str | None, digits: str | None) -> int:
    return int(hex_digits, 16) if hex_digits else int(digits or 0)


def _pair(match: re.Match[str]) -> str:
    high, low = _code_point(match[1], match[2]), _code_point(match[3], match[4])
    if 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
        return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return match[0]


def _bad_ref(match: re.Match[str]) -> str:
    point = _code_point(match[1], match[2])
    if 0xD800 <= point <= 0xDFFF or point > 0x10FFFF:
        return REPLACEMENT
    return chr(point).translate(CONTROLS) if point < 32 and chr(point) not in "\t\n\r" else match[0]


def _decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    header = (
        f"charset={http_content_type_encoding(content_type)}"
        if content_type and "charset" in content_type.lower()
        else None
    )
    encoding, text = html_to_unicode(header, body, auto_detect_fun=_auto_detect)
    if encoding in SINGLE_BYTE_WESTERN and not body.isascii():
        try:
            return body.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
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


def looks_binary(body: bytes) -> bool:
    """True for an image, archive or other binary file served as a page (NUL bytes or a magic number).

    UTF-16 pages (with their BOM) have NUL bytes too and are text.
    """
    head = body[:4096]
    if head.startswith(UTF16_BOMS):
        return False
    return head.startswith(BINARY_MAGIC) or b"\x00" in head

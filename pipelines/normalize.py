"""Text normalization: Unicode NFC, control characters out, paragraphs split by a blank line."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def normalize_text(text: str | None) -> str:
    """NFC, no control characters, spaces folded, one blank line between paragraphs."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n\n".join(line for line in lines if line)


def normalize_inline(value: str | None) -> str | None:
    """A one-line field (title, author): NFC, spaces folded; ``None`` when empty."""
    if value is None:
        return None
    value = _SPACES.sub(" ", _CONTROL.sub("", unicodedata.normalize("NFC", value))).strip()
    value = " ".join(value.split())
    return value or None

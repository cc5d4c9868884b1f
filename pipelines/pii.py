"""Opt-in PII masking for published snapshots: e-mail addresses and phone numbers."""

from __future__ import annotations

import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)
# French numbers (01 23 45 67 89, 01.23.45.67.89, +33 1 23 45 67 89) and international ones.
PHONE = re.compile(r"(?<![\w/])(?:\+\d{1,3}[\s.-]?)?(?:\(?0?\d\)?[\s.-]?)(?:\d{2}[\s.-]?){3}\d{2}(?!\w)")
EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"


def redact(text: str | None) -> str | None:
    """Mask e-mail addresses and phone numbers in ``text``."""
    if not text:
        return text
    return PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, text))

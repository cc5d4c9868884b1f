"""Opt-in PII masking for published snapshots: e-mail addresses, phone numbers, IP addresses.

Phone numbers are found by ``phonenumbers`` (Google's libphonenumber): a number is masked
only when it is a valid number of one of ``REGIONS`` in its national form, or of any country
in international form, so "(415) 555-2671" and "+44 20 7946 0958" are masked and an order
number such as "Réf. commande 123456789" is not.
"""

from __future__ import annotations

import ipaddress
import re

import phonenumbers

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.I)
# Candidates only: ipaddress decides (no 999.1.1.1, no "1:2").
IP_CANDIDATE = re.compile(
    r"(?<![\w.:])(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7})(?![\w.:])", re.I
)
# The blogs' countries: their national formats are recognised ("01 23 45 67 89", "(415) 555-2671").
REGIONS = ("FR", "US", "GB", "CA", "BE", "CH")
MIN_PHONE_DIGITS = 7
EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
IP_MASK = "[ip]"


def phone_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every valid phone number in ``text``, merged across regions."""
    if sum(c.isdigit() for c in text) < MIN_PHONE_DIGITS:
        return []
    spans = {
        (match.start, match.end)
        for region in REGIONS
        for match in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID)
    }
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mask_spans(text: str, spans: list[tuple[int, int]], mask: str) -> str:
    for start, end in reversed(spans):
        text = text[:start] + mask + text[end:]
    return text


def _ip(match: re.Match[str]) -> str:
    try:
        ipaddress.ip_address(match.group())
    except ValueError:
        return match.group()
    return IP_MASK


def redact(text: str | None) -> str | None:
    """Mask e-mail addresses, IP addresses and phone numbers in ``text``."""
    if not text:
        return text
    text = IP_CANDIDATE.sub(_ip, EMAIL.sub(EMAIL_MASK, text))
    return mask_spans(text, phone_spans(text), PHONE_MASK)

"""Language of a text with langdetect: seeded, input capped (it is slow on long text)."""

from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

DetectorFactory.seed = 0  # langdetect is random unless seeded: same text, same answer
MAX_CHARS = 1000
MIN_CHARS = 20


def detect_language(text: str | None) -> tuple[str | None, float | None]:
    """(ISO 639-1 code, probability) of ``text``; (None, None) when too short or unknown."""
    if not text:
        return None, None
    sample = text[:MAX_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_CHARS:
        return None, None
    try:
        best = detect_langs(sample)[0]
    except LangDetectException:
        return None, None
    code = best.lang.split("-")[0]  # zh-cn -> zh: the column holds ISO 639-1 codes
    return code, round(float(best.prob), 4)

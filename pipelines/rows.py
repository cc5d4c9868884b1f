"""A segment row's finishing: its text extracted and normalized, its language, its content hash."""

from __future__ import annotations

import json

from pipelines.dedup import content_hash
from pipelines.extract import extract_main_text
from pipelines.language import detect_language
from pipelines.normalize import normalize_text
from schemas.segment import PENDING_HTML


def extra_json(post_id: str | None, extra: dict) -> str | None:
    """The ``extra`` column: the platform's post id and fields as a JSON object, or null."""
    if not (post_id or extra):
        return None
    return json.dumps({"post_id": post_id, **extra}, sort_keys=True, ensure_ascii=False, default=str)


def finish_row(row: dict) -> dict:
    """Extract, normalize, detect the language and hash a pending row (in place)."""
    body_html = row.pop(PENDING_HTML, None)
    parts = [normalize_text(row.get("text")), normalize_text(extract_main_text(body_html))]
    row["text"] = "\n\n".join(p for p in parts if p)
    row["language"], row["language_score"] = detect_language(row["text"] or row["title"])
    row["content_hash"] = content_hash(row["title"], row["text"], row["comments"])
    row[PENDING_HTML] = None
    return row

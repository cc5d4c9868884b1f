"""Golden cases: a real page in, the expected records out (web-poet fixture layout).

Each case is a folder ``tests/realpages/<platform>/<case>/`` (see ``tests/corpus.py``) holding the
page, ``input.html`` (``input.xml`` for a feed), and ``meta.json``::

    {"url": "http://blog.python.org/2016/...",   # the URL the page was fetched from
     "kind": "post",                             # a LinkKind value: how the crawler schedules it
     "platform": "blogspot",
     "must_contain": ["a sentence of the body"],
     "must_not_contain": ["Enregistrer un commentaire"],   # substrings never in text
     "boilerplate_lines": ["Pages"]}                        # whole lines never in text

and ``expected.json``: the records ``process_capture`` makes of it (reviewed by hand),
written by ``python -m tests.update_golden``.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from crawler.capture import Capture, process_capture
from crawler.parsers.base import LinkKind
from pipelines.rows import finish_row
from schemas.segment import ORIGIN, PENDING_HTML
from tests.corpus import case_dirs, input_file, load_json, load_meta

__all__ = ["FIELDS", "case_dirs", "load_expected", "load_meta", "run_case", "write_expected"]

FIXED_FETCH = datetime(2026, 11, 1, tzinfo=timezone.utc)
# Fields compared per record; the rest (ids, fetch metadata) follow from these.
FIELDS = ("url", "blog_url", "blog_title", "platform", "title", "author", "published", "published_precision", "updated", "text", "tags",
          "comments", "comment_count", "media_urls", "language", "robots", "extra")  # fmt: skip


def load_expected(case: Path) -> dict[str, Any]:
    return load_json(case / "expected.json")


def run_case(case: Path) -> dict[str, Any]:
    """Parse the case's page and return ``{"outcome": ..., "records": [...]}`` as JSON data."""
    meta = load_meta(case)
    capture = Capture(
        url=meta["url"],
        body=input_file(case).read_bytes(),
        content_type=meta.get("content_type", "text/html"),
        kind=LinkKind(meta["kind"]),
        fetched_at=FIXED_FETCH,
        platform=meta.get("platform"),
    )
    processed = process_capture(capture)
    records = []
    for row in processed.rows:
        if row.get(PENDING_HTML) is not None or row.get("content_hash") is None:
            row = finish_row(row)
        record = {name: row[name] for name in FIELDS}
        record["origin"] = row[ORIGIN]
        records.append(json.loads(json.dumps(record, default=_default, ensure_ascii=False)))
    return {"platform": processed.platform, "outcome": processed.outcome, "records": records}


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(type(value))


def write_expected(case: Path) -> None:
    result = run_case(case)
    (case / "expected.json").write_text(
        json.dumps(result, sort_keys=True, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )

"""The real-page corpus in ``tests/realpages/``: where the cases are and what a well-formed one holds.

One folder per case, ``tests/realpages/<platform>/<case-slug>/``, with ``input.html`` (the page's
bytes as stored in the source repository; ``input.xml`` for a feed, ``input.json`` for an API's
answer), ``meta.json`` (how to run it), ``truth.json`` (the hand-checked expectation), optionally
``gold.txt`` (the whole main text of a post) and ``expected.json`` (our parser's output, the
regression golden). ``SOURCES.tsv`` gives every case's
origin and licence. The format is described in ``tests/realpages/README.md``.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crawler.parsers.base import LinkKind

REALPAGES_DIR = Path(__file__).parent / "realpages"
SOURCES_TSV = REALPAGES_DIR / "SOURCES.tsv"
SOURCES_HEADER = (
    "case",
    "platform",
    "original_url",
    "source_repo",
    "path_in_repo",
    "commit",
    "licence",
    "notes",
)
CORPUS_PLATFORMS = ("blogspot", "canalblog", "tumblr", "typepad")
INPUT_NAMES = ("input.html", "input.xml", "input.json")  # a page, a feed, or an API's JSON
REQUIRED_FILES = ("meta.json", "truth.json")
TRUTH_KINDS = ("post", "home", "listing", "archive", "other")
PRECISIONS = ("day", "minute", "second")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SHOWN_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?$")
_OFFSET = re.compile(r"^[+-](?:0\d|1[0-4]):[0-5]\d$")


def case_dirs() -> list[Path]:
    """Every case folder (``<platform>/<slug>/``), whether or not its files are all there."""
    return sorted(p for p in REALPAGES_DIR.glob("*/*") if p.is_dir())


def case_id(case: Path) -> str:
    """``<platform>/<case-slug>``: the case's name in test ids and in SOURCES.tsv."""
    return f"{case.parent.name}/{case.name}"


def input_file(case: Path) -> Path:
    """The case's input: ``input.html`` (a page), ``input.xml`` (a feed) or ``input.json`` (an API's answer)."""
    present = [case / name for name in INPUT_NAMES if (case / name).is_file()]
    return present[0] if present else case / INPUT_NAMES[0]


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load_meta(case: Path) -> dict[str, Any]:
    return load_json(case / "meta.json")


def read_sources() -> list[dict[str, str]]:
    """SOURCES.tsv as rows keyed by the header's names (the header itself is checked by the tests)."""
    with open(SOURCES_TSV, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))


def sources_header() -> tuple[str, ...]:
    with open(SOURCES_TSV, encoding="utf-8", newline="") as stream:
        return tuple(stream.readline().rstrip("\r\n").split("\t"))


# ---------------------------------------------------------------------------------
# Well-formedness: each function returns the problems found, [] when there are none


def case_problems(case: Path) -> list[str]:
    """The folder, its required files and its meta.json."""
    problems = []
    if case.parent.name not in CORPUS_PLATFORMS:
        problems.append(f"platform folder {case.parent.name!r} is not one of {CORPUS_PLATFORMS}")
    if not _SLUG.match(case.name):
        problems.append(f"case slug {case.name!r}: lowercase letters, digits and '-' only")
    inputs = [name for name in INPUT_NAMES if (case / name).is_file()]
    if len(inputs) != 1:
        problems.append(f"one input expected ({' or '.join(INPUT_NAMES)}), found {inputs or 'none'}")
    elif (case / inputs[0]).stat().st_size == 0:
        problems.append(f"{inputs[0]} is empty")
    problems += [f"{name} is missing" for name in REQUIRED_FILES if not (case / name).is_file()]
    if (case / "meta.json").is_file():
        problems += meta_problems(load_meta(case), case.parent.name)
    return problems


def meta_problems(meta: Any, platform: str) -> list[str]:
    if not isinstance(meta, dict):
        return ["meta.json is not an object"]
    problems = []
    if "input" in meta:
        problems.append(
            "meta.json names an input: the input is the input.html (or input.xml, input.json) beside it"
        )
    if not isinstance(meta.get("url"), str) or not re.match(r"^https?://[^/\s]+", meta.get("url") or ""):
        problems.append(f"meta url {meta.get('url')!r} is not an http(s) URL")
    if meta.get("kind") not in {kind.value for kind in LinkKind}:
        problems.append(f"meta kind {meta.get('kind')!r} is not a LinkKind")
    if meta.get("platform", platform) != platform:
        problems.append(f"meta platform {meta.get('platform')!r} is not the folder's {platform!r}")
    for key in ("must_contain", "must_not_contain", "boilerplate_lines"):
        if not _strings(meta.get(key, [])):
            problems.append(f"meta {key} is not a list of strings")
    if "known_gap" in meta and not _text(meta["known_gap"]):
        problems.append("meta known_gap is not a sentence saying what the parser misses")
    return problems


def truth_problems(truth: Any, case: Path) -> list[str]:
    """truth.json against the format of tests/realpages/README.md: keys, types, allowed values, dates."""
    if not isinstance(truth, dict):
        return ["truth.json is not an object"]
    problems = _keys(truth, TRUTH_KEYS, "truth")
    if truth.get("kind") not in TRUTH_KINDS:
        problems.append(f"kind {truth.get('kind')!r} is not one of {TRUTH_KINDS}")
    if not isinstance(truth.get("custom_domain"), bool):
        problems.append("custom_domain is not true/false")
    if truth.get("checked_by") != "hand":
        problems.append("checked_by is not 'hand'")
    if not _strings(truth.get("boilerplate")):
        problems.append("boilerplate is not a list of strings")
    if not isinstance(truth.get("notes"), str):
        problems.append("notes is not a string")
    gold = truth.get("gold_text")
    if gold is not None and (not isinstance(gold, str) or not (case / gold).is_file()):
        problems.append(f"gold_text {gold!r} names no file beside truth.json")
    elif isinstance(gold, str) and not (case / gold).read_text(encoding="utf-8").strip():
        problems.append(f"{gold} is empty")
    records = truth.get("records")
    if not isinstance(records, list):
        return [*problems, "records is not a list"]
    if truth.get("kind") == "post" and len(records) > 1:
        problems.append(f"a post page with {len(records)} records")
    for i, record in enumerate(records):
        problems += [f"records[{i}]: {problem}" for problem in record_problems(record)]
    return problems


TRUTH_KEYS = ("kind", "custom_domain", "records", "gold_text", "boilerplate", "checked_by", "notes")
RECORD_KEYS = ("url", "title", "published", "published_utc_offset", "published_precision", "author", "tags",
               "comments_visible", "comments_declared", "comments_sample", "first_sentence", "last_sentence")  # fmt: skip
COMMENT_KEYS = ("author", "published", "text_start")


def record_problems(record: Any) -> list[str]:
    if not isinstance(record, dict):
        return ["not an object"]
    problems = _keys(record, RECORD_KEYS, "record")
    url = record.get("url")
    if url is not None and (not isinstance(url, str) or not re.match(r"^https?://[^/\s]+", url)):
        problems.append(f"url {url!r} is not an http(s) URL or null")
    for key in ("title", "author"):
        if record.get(key) is not None and not _text(record.get(key)):
            problems.append(f"{key} is not a non-empty string or null")
    for key in ("first_sentence", "last_sentence"):
        if record.get(key) is not None and not _text(record.get(key)):
            problems.append(f"{key} is not a non-empty string or null (a post without text)")
    if (record.get("first_sentence") is None) != (record.get("last_sentence") is None):
        problems.append("first_sentence and last_sentence are both null (no text) or both given")
    published, precision = record.get("published"), record.get("published_precision")
    if published is None:
        if precision is not None:
            problems.append("published_precision without published")
    else:
        problems += _date_problems(published, "published")
        if precision not in PRECISIONS:
            problems.append(f"published_precision {precision!r} is not one of {PRECISIONS}")
        elif isinstance(published, str) and precision != _precision_of(published):
            problems.append(f"published {published!r} does not show precision {precision!r}")
    offset = record.get("published_utc_offset")
    if offset is not None and (not isinstance(offset, str) or not _OFFSET.match(offset)):
        problems.append(f"published_utc_offset {offset!r} is not ±HH:MM or null")
    if offset is not None and published is None:
        problems.append("published_utc_offset without published")
    if not _strings(record.get("tags")):
        problems.append("tags is not a list of strings")
    visible, declared = record.get("comments_visible"), record.get("comments_declared")
    if not _count(visible):
        problems.append("comments_visible is not a count")
    if declared is not None and not _count(declared):
        problems.append("comments_declared is not a count or null")
    sample = record.get("comments_sample")
    if not isinstance(sample, list):
        return [*problems, "comments_sample is not a list"]
    if _count(visible) and len(sample) != min(visible, 2):
        problems.append(f"comments_sample holds {len(sample)}, not the first and last of {visible} comments")
    for j, comment in enumerate(sample):
        problems += [f"comments_sample[{j}]: {problem}" for problem in comment_problems(comment)]
    return problems


def comment_problems(comment: Any) -> list[str]:
    if not isinstance(comment, dict):
        return ["not an object"]
    problems = _keys(comment, COMMENT_KEYS, "comment")
    if comment.get("author") is not None and not _text(comment.get("author")):
        problems.append("author is not a non-empty string or null")
    if comment.get("published") is not None:
        problems += _date_problems(comment["published"], "published")
    if not _text(comment.get("text_start")):
        problems.append("text_start is not a non-empty string")
    return problems


def _keys(data: dict, expected: tuple[str, ...], what: str) -> list[str]:
    missing = [key for key in expected if key not in data]
    unknown = sorted(set(data) - set(expected))
    return [f"{what} lacks {key!r}" for key in missing] + [
        f"{what} has unknown key {key!r}" for key in unknown
    ]


def _date_problems(value: Any, name: str) -> list[str]:
    if not isinstance(value, str) or not _SHOWN_DATE.match(value):
        return [f"{name} {value!r} is not YYYY-MM-DD[THH:MM[:SS]]"]
    try:
        (date.fromisoformat if len(value) == 10 else datetime.fromisoformat)(value)
    except ValueError as error:
        return [f"{name} {value!r}: {error}"]
    return []


def _precision_of(shown: str) -> str:
    return {10: "day", 16: "minute", 19: "second"}.get(len(shown), "?")


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item for item in value)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0

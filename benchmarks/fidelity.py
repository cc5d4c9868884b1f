"""Fidelity on real pages: ``blogarchive build`` over the real-page corpus, scored against truth.

``python -m benchmarks.fidelity [--corpus tests/realpages]`` writes every case's
input (``input.html``, ``input.xml`` for a feed) into a WARC at its ``meta.json`` URL with no crawl metadata (a foreign
WARC, as Heritrix or wget write them), runs ``build`` over it and scores the rows (a second WARC and build
hold the post pages that show a post already in the first, so each page is scored on its own row)
against each case's ``truth.json`` and ``gold.txt`` (format: ``tests/realpages`` in
CORPUS.md). Per platform, over post pages:

- posts found: a row at the post's URL;
- title, date, author: share of truth records matched exactly (a date compares the shown
  day when ``published_precision`` is ``day``, else the shown minute; in the page's
  ``published_utc_offset`` when it states one, else in UTC or Europe/Paris, the zone
  the parsers assume for zone-less times);
- tags: recall of the truth's tags; comments: recall of visible comments, and of those
  with an author and a date;
- text F1: bag-of-words token F1 of the row's text against ``gold.txt`` (as trafilatura's
  and the article-extraction-benchmark's evaluations score), beside bare
  ``trafilatura.extract(html, include_comments=False)`` on the same pages;
- silent: captures that gave no row and have no outcome in the build's counters (must be 0).

It prints a table and writes it with every per-case figure to
``benchmarks/results/<time>-fidelity.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, uuid5
from zoneinfo import ZoneInfo

import pyarrow.parquet as pq
import trafilatura
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from crawler.build import build
from crawler.encoding import decode_body
from crawler.urls import canonicalize
from tests.corpus import input_file

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "realpages"
RESULTS = ROOT / "benchmarks" / "results"
FETCHED = "2026-11-01T00:00:00Z"
PARIS = ZoneInfo("Europe/Paris")
_TOKEN = re.compile(r"\w+", re.UNICODE)
_OFFSET = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


@dataclass
class Case:
    """One corpus folder: its page, how it was fetched, and the hand-checked truth."""

    name: str
    platform: str
    kind: str  # what the page really is (truth.json), else how a crawler would schedule it
    url: str
    html: bytes
    content_type: str
    truth: dict[str, Any] | None
    gold: str | None


@dataclass
class Score:
    """Sums over the post pages of one platform."""

    post_pages: int = 0
    posts_found: int = 0
    records: int = 0
    title: int = 0
    date: int = 0
    dated: int = 0
    author: int = 0
    tags_truth: int = 0
    tags_found: int = 0
    comments_visible: int = 0
    comments_found: int = 0
    comments_full: int = 0
    f1: list[float] = field(default_factory=list)
    f1_trafilatura: list[float] = field(default_factory=list)


def load_cases(corpus: Path) -> list[Case]:
    """Every ``<platform>/<case>/`` folder with a meta.json (and its page or feed), sorted."""
    cases = []
    for meta_path in sorted(corpus.glob("*/*/meta.json")):
        folder = meta_path.parent
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        truth_path, gold_path = folder / "truth.json", folder / "gold.txt"
        truth = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else None
        cases.append(
            Case(
                name=f"{folder.parent.name}/{folder.name}",
                platform=meta.get("platform") or folder.parent.name,
                kind=(truth or {}).get("kind") or meta.get("kind") or "other",
                url=meta["url"],
                html=input_file(folder).read_bytes(),
                content_type=meta.get("content_type") or "text/html",
                truth=truth,
                gold=gold_path.read_text(encoding="utf-8") if gold_path.exists() else None,
            )
        )
    return cases


def record_id(case: Case) -> str:
    """The case's WARC-Record-ID, the same in every run (a name-based UUID of the case)."""
    return f"<urn:uuid:{uuid5(NAMESPACE_URL, 'blogarchive-fidelity:' + case.name)}>"


def write_warc(cases: list[Case], path: Path) -> dict[str, str]:
    """One response record per case at its URL, and nothing else (no crawl metadata).

    Returns each case's WARC-Record-ID: a row names the capture it came from. The ids are
    stable: two captures of one post fetched at the same time rank alike in every run.
    """
    record_ids = {}
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for case in cases:
            headers = StatusAndHeaders("200 OK", [("Content-Type", case.content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                case.url, "response", payload=BytesIO(case.html), http_headers=headers,
                warc_headers_dict={"WARC-Date": FETCHED, "WARC-Record-ID": record_id(case)},
            )  # fmt: skip
            writer.write_record(record)
            record_ids[case.name] = record.rec_headers.get_header("WARC-Record-ID")
    return record_ids


def post_key(case: Case) -> str:
    """The post a post page shows: its truth's URL, else the page's, canonical."""
    record = ((case.truth or {}).get("records") or [{}])[0]
    return canonicalize(record.get("url") or case.url)


def build_rounds(cases: list[Case]) -> list[list[Case]]:
    """The cases split into builds where no two post pages show the same post.

    A build keeps one row per post, so two captures of one post (bjori's Contempo page and
    its Dynamic Views snapshot) in one build would score one capture's row for both cases.
    Everything else goes in the first build.
    """
    rounds: list[list[Case]] = [[]]
    taken: list[set[str]] = [set()]
    for case in cases:
        key = post_key(case) if case.kind == "post" else None
        index = next((i for i, keys in enumerate(taken) if key not in keys), len(rounds))
        if index == len(rounds):
            rounds.append([])
            taken.append(set())
        rounds[index].append(case)
        if key:
            taken[index].add(key)
    return rounds


def read_rows(out: Path) -> dict[str, list[dict]]:
    """The build's rows by the WARC record they came from."""
    rows: dict[str, list[dict]] = defaultdict(list)
    for shard in sorted((out / "data").glob("*/*.parquet")):
        for row in pq.read_table(shard).to_pylist():
            rows[row["warc_record_id"]].append(row)
    return rows


def tokens(text: str | None) -> Counter[str]:
    return Counter(_TOKEN.findall(unicodedata.normalize("NFC", text or "").lower()))


def token_f1(candidate: str | None, gold: str) -> float:
    """Bag-of-words F1 of ``candidate`` against ``gold``."""
    got, want = tokens(candidate), tokens(gold)
    common = sum((got & want).values())
    if not common:
        return 0.0
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return 2 * precision * recall / (precision + recall)


def _offset(value: str | None) -> timezone | None:
    match = _OFFSET.match(value or "")
    if not match:
        return None
    delta = timedelta(hours=int(match.group(2)), minutes=int(match.group(3)))
    return timezone(-delta if match.group(1) == "-" else delta)


def date_matches(published: datetime | None, truth: dict) -> bool:
    """The row's date shows what the page shows, to the page's precision."""
    shown = truth.get("published")
    if not shown or published is None:
        return not shown and published is None
    if published.tzinfo is None:
        published = published.replace(tzinfo=timezone.utc)
    precision = truth.get("published_precision") or ("day" if len(shown) == 10 else "minute")
    width = 10 if precision == "day" else 16
    zone = _offset(truth.get("published_utc_offset"))
    zones = [zone] if zone else [timezone.utc, PARIS]
    return any(published.astimezone(z).isoformat()[:width] == shown[:width] for z in zones)


def _same(a: str | None, b: str | None) -> bool:
    def norm(s: str | None) -> str:
        return " ".join(unicodedata.normalize("NFC", s or "").split()).casefold()

    return norm(a) == norm(b)


def score_case(case: Case, rows: list[dict], by_url: dict[str, dict], score: Score) -> dict[str, Any]:
    """Adds one post page to ``score`` given the rows of its capture; returns its own figures.

    The row of the page's own URL, else the first of its capture; two captures of one post
    (``blogspot.fr`` and ``.com``) give one row, found by URL.
    """
    truth = case.truth or {}
    record = (truth.get("records") or [{}])[0]
    url = canonicalize(record.get("url") or case.url)
    row = next((r for r in rows if r["url"] == url), rows[0] if rows else by_url.get(url))
    score.post_pages += 1
    found = row is not None
    score.posts_found += found
    detail: dict[str, Any] = {"case": case.name, "found": found}
    if case.truth and truth.get("records"):
        score.records += 1
        row = row or {}
        checks = {
            "title": _same(row.get("title"), record.get("title")),
            "author": record.get("author") is None or _same(row.get("author"), record.get("author")),
            "date": date_matches(row.get("published"), record),
        }
        score.title += checks["title"]
        score.author += checks["author"]
        score.date += checks["date"]
        want_tags = {t.casefold() for t in record.get("tags") or []}
        got_tags = {t.casefold() for t in row.get("tags") or []}
        score.tags_truth += len(want_tags)
        score.tags_found += len(want_tags & got_tags)
        visible = record.get("comments_visible") or 0
        comments = row.get("comments") or []
        full = [c for c in comments if c.get("author") and c.get("published")]
        score.comments_visible += visible
        score.comments_found += min(len(comments), visible)
        score.comments_full += min(len(full), visible)
        detail.update(
            checks,
            comments=f"{len(comments)}/{visible}",
            tags=f"{len(want_tags & got_tags)}/{len(want_tags)}",
        )
    if case.gold:
        html, _ = decode_body(case.html, case.content_type)
        ours = token_f1((row or {}).get("text"), case.gold)
        bare = token_f1(trafilatura.extract(html, include_comments=False), case.gold)
        score.f1.append(ours)
        score.f1_trafilatura.append(bare)
        detail.update(f1=round(ours, 3), f1_trafilatura=round(bare, 3))
    return detail


def run(corpus: Path) -> dict[str, Any]:
    """Build the corpus from a foreign WARC and score it; the report as a JSON-able dict."""
    cases = load_cases(corpus)
    counters: Counter[str] = Counter()
    record_ids: dict[str, str] = {}
    rows: dict[str, list[dict]] = {}
    by_url: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="fidelity-") as tmp:
        for number, batch in enumerate(build_rounds(cases)):
            warc, out = Path(tmp) / f"corpus-{number}.warc.gz", Path(tmp) / f"out-{number}"
            record_ids.update(write_warc(batch, warc))
            counters.update(build([warc], out, workers=0))
            batch_rows = read_rows(out)
            rows.update(batch_rows)
            for capture_rows in batch_rows.values():
                for row in capture_rows:
                    by_url.setdefault(row["url"], row)
    outcomes = sum(v for k, v in counters.items() if k.startswith("outcome/"))
    silent = counters.get("captures", 0) - counters.get("captures_with_rows", 0) - outcomes
    scores: dict[str, Score] = defaultdict(Score)
    details = [
        score_case(c, rows.get(record_ids[c.name], []), by_url, scores[c.platform])
        for c in cases
        if c.kind == "post"
    ]
    return {
        "corpus": str(corpus),
        "cases": len(cases),
        "captures": counters.get("captures", 0),
        "silent": silent,
        "outcomes": {k.split("/", 1)[1]: v for k, v in sorted(counters.items()) if k.startswith("outcome/")},
        "platforms": {p: summarize(s) for p, s in sorted(scores.items())},
        "all": summarize(_total(scores.values())),
        "details": details,
    }


def _total(scores: Any) -> Score:
    total = Score()
    for score in scores:
        for name, value in vars(score).items():
            setattr(total, name, getattr(total, name) + value)
    return total


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def summarize(score: Score) -> dict[str, Any]:
    return {
        "post_pages": score.post_pages,
        "posts_found": score.posts_found,
        "with_truth": score.records,
        "title": _ratio(score.title, score.records),
        "date": _ratio(score.date, score.records),
        "author": _ratio(score.author, score.records),
        "tags": _ratio(score.tags_found, score.tags_truth),
        "comments": _ratio(score.comments_found, score.comments_visible),
        "comments_full": _ratio(score.comments_full, score.comments_visible),
        "gold_pages": len(score.f1),
        "text_f1": _mean(score.f1),
        "trafilatura_f1": _mean(score.f1_trafilatura),
    }


COLUMNS = ("post_pages", "posts_found", "with_truth", "title", "date", "author", "tags", "comments",
           "comments_full", "gold_pages", "text_f1", "trafilatura_f1")  # fmt: skip


def table(report: dict[str, Any]) -> str:
    """The report for people: one line per platform, then the total."""
    lines = ["platform   " + " ".join(f"{c:>14}" for c in COLUMNS)]
    for name, figures in [*report["platforms"].items(), ("all", report["all"])]:
        cells = ("-" if figures[c] is None else str(figures[c]) for c in COLUMNS)
        lines.append(f"{name:<10} " + " ".join(f"{cell:>14}" for cell in cells))
    lines.append(f"captures {report['captures']}, with no row and no outcome: {report['silent']}")
    lines.append("outcomes: " + (", ".join(f"{k} {v}" for k, v in report["outcomes"].items()) or "none"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fidelity", description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a folder of <platform>/<case>/ cases")
    args = parser.parse_args(argv)
    report = run(args.corpus)
    if not report["cases"]:
        print(f"no cases under {args.corpus}", file=sys.stderr)
        return 1
    print(table(report))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{stamp}-fidelity.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    print(f"written: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 1 if report["silent"] else 0


if __name__ == "__main__":
    sys.exit(main())

"""CPU of a post's language, one text at a time as a crawl's parse worker asks for it.

``python -m benchmarks.language [--pages 300]`` parses post pages of the benchmark blogs
(``benchmarks.site``, the platforms in turn) and keeps the text each row's language is
detected on; then, in this process, it measures per text: langdetect's own seeded detector
on the text cut at ``MAX_CHARS`` (the baseline), ``detect_language`` (screening, n-grams,
trials) and ``detect_languages`` of all the texts at once (trials in lockstep). It checks
that the two paths give the same languages and prints ms of CPU per text and the ratios to
the baseline.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime, timezone

from langdetect import detector_factory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from benchmarks.site import SITES, BenchSite
from crawler.capture import Capture, process_capture
from crawler.parsers.base import LinkKind
from pipelines.language import MAX_CHARS, detect_language, detect_languages


def post_texts(pages: int) -> list[str]:
    """The texts ``finish_row`` detects the language of, on ``pages`` benchmark post pages."""
    fetched, platforms = datetime.now(timezone.utc), sorted(SITES)
    sites = [BenchSite(platform, posts=pages // len(platforms) + 1) for platform in platforms]
    texts = []
    for n in range(pages):
        site = sites[n % len(sites)]
        site.base_url = "http://127.0.0.1:8000"
        path = site.posts[n // len(sites)].path
        capture = Capture(site.url(path), site.handle(path, {}).body, "text/html; charset=utf-8",
                          LinkKind.POST, fetched, site.platform)  # fmt: skip
        texts += [row["text"] or row["title"] for row in process_capture(capture).rows]
    return texts


def langdetect_own(text: str) -> None:
    detector = Detector(detector_factory._factory)
    detector.append(text[:MAX_CHARS])
    with suppress(LangDetectException):  # "No features in text"
        detector.get_probabilities()


def cpu_per_text(function: Callable[[str], object], texts: list[str]) -> float:
    """ms of CPU per text of ``function`` called on each text (after a short warm-up)."""
    for text in texts[:3]:
        function(text)
    started = time.process_time()
    for text in texts:
        function(text)
    return (time.process_time() - started) / len(texts) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pages", type=int, default=300, help="benchmark post pages whose texts are measured"
    )
    args = parser.parse_args(argv)
    texts = post_texts(args.pages)
    detector_factory.init_factory()
    baseline = cpu_per_text(langdetect_own, texts)
    alone = cpu_per_text(detect_language, texts)
    started = time.process_time()
    together = detect_languages(texts)
    lockstep = (time.process_time() - started) / len(texts) * 1000
    if together != [detect_language(text) for text in texts]:
        raise SystemExit("detect_languages and detect_language disagree")
    print(
        f"{len(texts)} texts of {args.pages} post pages, {sum(map(len, texts)) / len(texts):.0f} characters each"
    )
    print(f"langdetect's own detector   {baseline:6.2f} ms CPU/text")
    print(f"detect_language, one text   {alone:6.2f} ms CPU/text  {alone / baseline:.2f}x langdetect")
    print(f"detect_languages, all texts {lockstep:6.2f} ms CPU/text  {lockstep / baseline:.2f}x langdetect")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Seed lists: blog URLs read lazily from a text file (one a line) or a CSV file with a url column.

A text seed file holds one URL per line; blank lines and ``#`` comments (a whole line, or
after the URL following a space) are skipped; a bare host (``monblog.canalblog.com``)
gets ``http://``. A CSV file (comma, semicolon or tab) is recognized by its header: the
first non-comment line naming a ``url`` column (any case); other columns are ignored.
Seeds are yielded one by one, so a file of millions of blogs is never held in memory.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from crawler.errors import UserError
from crawler.urls import is_http_url

logger = logging.getLogger(__name__)

URL_COLUMNS = ("url", "blog_url", "seed")
DELIMITERS = ",;\t"
MAX_HOST = 253  # DNS: longer is no host name
MAX_LABEL = 63
MAX_SEED_LENGTH = 2083  # Scrapy's URLLENGTH_LIMIT, when a crawl's settings do not say


def normalize_seed(value: str) -> str | None:
    """A seed as a URL: comments and spaces removed, ``http://`` added to a bare host."""
    value = value.split(" #", 1)[0].split("\t#", 1)[0].strip()
    if not value or value.startswith("#"):
        return None
    if "://" not in value and "." in value.split("/", 1)[0] and " " not in value:
        return "http://" + value
    return value


def csv_url_column(header: str) -> tuple[str, int] | None:
    """(delimiter, index of the url column) when ``header`` is a CSV header naming one."""
    for delimiter in DELIMITERS:
        if delimiter not in header:
            continue
        names = [
            name.strip().strip("\"'").lower() for name in next(csv.reader([header], delimiter=delimiter))
        ]
        for column in URL_COLUMNS:
            if column in names:
                return delimiter, names.index(column)
    return None


def parse_seeds(lines: Iterator[str]) -> Iterator[str]:
    """Seed URLs from the lines of a seed file, in order (duplicates included)."""
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        found = csv_url_column(stripped)
        if found is not None:
            yield from _csv_seeds(lines, *found)
            return
        seed = normalize_seed(stripped)
        if seed is not None:
            yield seed
        break
    for line in lines:
        seed = normalize_seed(line)
        if seed is not None:
            yield seed


def _csv_seeds(lines: Iterator[str], delimiter: str, column: int) -> Iterator[str]:
    for row in csv.reader((line for line in lines if not line.lstrip().startswith("#")), delimiter=delimiter):
        if len(row) > column:
            seed = normalize_seed(row[column])
            if seed is not None:
                yield seed


def read_seeds(path: Path) -> Iterator[str]:
    """Seed URLs of a seed file, read lazily (the file stays open while iterating)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        yield from parse_seeds(iter(handle))


def check_seed_file(path: Path) -> None:
    """A readable seed file, or a UserError that says what is wrong."""
    if not path.is_file():
        raise UserError(f"seed file not found: {path}")
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise UserError(f"cannot read seed file {path}: {exc.strerror}") from None
    if b"\0" in head:
        raise UserError(f"{path} is not a text seed file (one URL a line, or CSV with a url column)")


def strip_credentials(url: str) -> str:
    """``url`` without ``user:password@``: a seed names a public blog, and secrets never reach the archive."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def seed_problem(url: str, max_length: int) -> str | None:
    """Why ``url`` cannot be a seed (an error slug), or None.

    Checked one seed at a time, so a bad one is skipped and never stops the others.
    """
    if len(url) > max_length:
        return "seed_too_long"
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return "bad_url"
    if len(host) > MAX_HOST or any(len(label) > MAX_LABEL for label in host.split(".")):
        return "bad_host"
    return None


def vet_seed(url: str, max_length: int) -> tuple[str, str | None]:
    """``url`` with its credentials stripped, and why it cannot be a seed (an error slug) or None.

    The one check of every seed, whether it comes from the command line, a seed file or a
    distributed crawl's shared list: what it changes or refuses is logged.
    """
    if not is_http_url(url):
        logger.error("not an http(s) URL, skipped: %s", url[:200])
        return url, "bad_url"
    clean = strip_credentials(url)
    if clean != url:
        logger.warning("seed %s: credentials removed from the URL", clean[:200])
    problem = seed_problem(clean, max_length)
    if problem is not None:
        logger.error("seed skipped (%s): %s", problem.replace("_", " "), clean[:200])
    return clean, problem


def checked_seeds(urls: Iterable[str], max_length: int, on_skip: Callable[[str, str], None]) -> Iterator[str]:
    """Seeds as :func:`vet_seed` leaves them; those with a problem reported to ``on_skip`` and left out."""
    for url in urls:
        clean, problem = vet_seed(url, max_length)
        if problem is None:
            yield clean
        else:
            on_skip(clean, problem)

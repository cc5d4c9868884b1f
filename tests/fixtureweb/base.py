"""The contract of a fixture site and the ground truth it exposes to tests."""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Reply:
    """What the server sends for one request."""

    status: int = 200
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)
    # Fault injection: "reset" closes the connection after half the body; "no-length" sends
    # no Content-Length (the body ends when the connection closes).
    fault: str | None = None
    repeat: int = 1  # the body is sent this many times over: a huge page never held in memory

    @classmethod
    def html(cls, text: str, status: int = 200, charset: str = "utf-8") -> Reply:
        return cls(status, text.encode(charset), [("Content-Type", f"text/html; charset={charset}")])

    @classmethod
    def xml(cls, text: str, content_type: str = "application/atom+xml") -> Reply:
        return cls(200, text.encode("utf-8"), [("Content-Type", f"{content_type}; charset=utf-8")])

    @classmethod
    def json(cls, text: str) -> Reply:
        return cls(200, text.encode("utf-8"), [("Content-Type", "application/json; charset=utf-8")])

    @classmethod
    def redirect(cls, location: str, status: int = 301) -> Reply:
        return cls(status, b"", [("Location", location)])

    @classmethod
    def not_found(cls) -> Reply:
        return cls.html("<html><body><h1>Not found</h1></body></html>", status=404)


@dataclass
class ExpectedComment:
    author: str
    published: datetime  # UTC
    text: str  # a distinctive sentence the comment's text must contain
    id: str | None = None
    parent_id: str | None = None


@dataclass
class ExpectedPost:
    """What a crawl must find for one post (paths relative to the site root)."""

    path: str  # e.g. "/2014/03/slug.html"
    title: str
    author: str | None
    published: datetime  # UTC
    tags: list[str]
    text: str  # a distinctive sentence the post's text must contain
    comments: list[ExpectedComment] = field(default_factory=list)
    comment_count: int | None = None
    media_urls: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


class FixtureSite:
    """A synthetic blog. Subclasses implement ``handle`` and fill ``posts``."""

    platform: str = ""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.base_url = "http://127.0.0.1:0"  # set by the server once the port is bound
        self.posts: list[ExpectedPost] = []

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        """Answer ``path`` (path + query string, e.g. ``/feeds/posts/default?alt=json``)."""
        raise NotImplementedError

    def url(self, path: str) -> str:
        return self.base_url + path

    def expected(self) -> list[ExpectedPost]:
        return self.posts


def make_site(name: str, **options: Any) -> FixtureSite:
    """Build the site ``tests.fixtureweb.sites.<name>`` with its options."""
    module = importlib.import_module(f"tests.fixtureweb.sites.{name}")
    return module.make_site(**options)


# Words for synthetic text: French and English, so language detection has work to do.
# fmt: off
FR_WORDS = (
    "le", "la", "les", "un", "une", "des", "et", "est", "dans", "pour", "avec", "sur", "pas", "plus",
    "nous", "vous", "ils", "elle", "mais", "comme", "tout", "bien", "blog", "jardin", "maison", "cuisine",
    "recette", "voyage", "livre", "lecture", "musique", "soleil", "hiver", "printemps", "été", "automne",
    "ville", "campagne", "enfants", "famille", "amis", "souvenir", "photo", "dessin", "couture", "tricot",
    "gâteau", "chocolat", "café", "thé", "très", "aussi", "encore", "toujours", "jamais", "souvent",
    "aujourd'hui", "demain", "hier", "semaine", "mois", "année", "matin", "soir", "écrire", "lire",
    "partager", "aimer", "regarder", "trouver", "penser", "faire", "prendre", "donner", "venir", "aller",
    "voir", "savoir",
)
EN_WORDS = (
    "the", "a", "of", "and", "to", "in", "is", "it", "that", "for", "on", "with", "as", "was", "at", "by",
    "this", "be", "from", "or", "have", "not", "are", "but", "blog", "garden", "house", "kitchen", "recipe",
    "travel", "book", "reading", "music", "sun", "winter", "spring", "summer", "autumn", "city", "country",
    "children", "family", "friends", "memory", "photo", "drawing", "sewing", "cake", "chocolate", "coffee",
    "tea", "very", "also", "still", "always", "never", "often", "today", "tomorrow", "yesterday", "week",
    "month", "year", "morning", "evening", "write", "read", "share",
)
# fmt: on


def sentence(rng: random.Random, words: tuple[str, ...] | list[str], n: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(n))
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: tuple[str, ...] | list[str], sentences: int) -> str:
    return " ".join(sentence(rng, words, rng.randint(8, 18)) for _ in range(sentences))

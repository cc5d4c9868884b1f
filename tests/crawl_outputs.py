"""Crawl output directories built from records, for snapshot and publish tests (no crawl needed).

Two crawls of five blogs with known differences:

- crawl 1 (fetched 2024-01-10): canalblog cuisine c1-c4 (c4 noarchive) and voyages v1-v2,
  blogspot b1-b3 (b3 noindex), tumblr t1-t3. c1 has an e-mail in a comment, c2 a phone number.
- crawl 2 (fetched 2024-06-01): c1 re-fetched unchanged, c2 with a new paragraph (content
  changed), c3 with new tags (metadata changed), new posts c5, b4 and typepad p1-p2.

A second snapshot of both crawls with the opt-out list ``OPT_OUT`` (the tumblr blog, post v2)
therefore adds 4 posts, changes 2 (1 in content), removes 4 (all on request) and keeps 4.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from crawler.urls import canonicalize, post_id
from schemas.post import to_table

CRAWL1 = datetime(2024, 1, 10, 12, 0, tzinfo=timezone.utc)
CRAWL2 = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)
CUISINE = "http://cuisine.canalblog.com/"
VOYAGES = "http://voyages.canalblog.com/"
PHOTOS = "https://photos.blogspot.com/"
TUMBLR = "https://petitsmots.tumblr.com/"
TYPEPAD = "https://vieuxblog.typepad.com/"
OPT_OUT = f"# owners who asked\n{TUMBLR}\nhttp://voyages.canalblog.com/archives/2012/05/02/v2.html\n"
FR = "Nous avons passé une belle journée au marché, les pommes étaient rouges et le pain encore chaud."
EN = "We spent the whole afternoon walking along the river and taking pictures of the old bridges."


def _utc(year: int, month: int = 5, day: int = 2) -> datetime:
    return datetime(year, month, day, 9, 30, tzinfo=timezone.utc)


def comment(author: str, text: str, year: int) -> dict[str, Any]:
    return {"id": f"c-{author}-{year}", "author": author, "author_url": None, "published": _utc(year, 6),
            "text": text, "parent_id": None}  # fmt: skip


def post(blog: str, platform: str, slug: str, year: int, fetched: datetime, *, text: str = FR, language: str = "fr",
         comments: tuple[dict[str, Any], ...] = (), tags: tuple[str, ...] = ("souvenirs",), robots: str | None = None,
         path: str | None = None) -> dict[str, Any]:  # fmt: skip
    """A post record as a crawl writes it: id and content_hash computed like the pipelines do."""
    url = canonicalize(blog.rstrip("/") + (path or f"/archives/{year}/05/02/{slug}.html"))
    title = f"{slug} title"
    hashed = json.dumps([title, text, [c["text"] for c in comments]], ensure_ascii=False)
    return {
        "id": post_id(url), "url": url, "blog_url": canonicalize(blog), "blog_title": f"{platform} blog",
        "platform": platform, "title": title, "author": "Marie", "published": _utc(year), "updated": None,
        "text": f"{text}\n\n{slug}", "tags": list(tags), "comments": list(comments), "comment_count": len(comments),
        "media_urls": [], "language": language, "language_score": 0.99, "source": "live", "archived_at": None,
        "fetched_at": fetched, "content_hash": hashlib.sha256(hashed.encode()).hexdigest(),
        "warc_record_id": f"<urn:uuid:{slug}-{fetched:%Y%m%d}>", "robots": robots, "extra": None,
    }  # fmt: skip


def crawl1_posts() -> list[dict[str, Any]]:
    at = CRAWL1
    mail = comment("Paul", "Super recette, écris-moi à paul.martin@example.fr pour la suite du menu !", 2008)
    return [
        post(CUISINE, "canalblog", "c1", 2008, at, comments=(mail, comment("Léa", "Merci pour cette recette de tarte aux pommes, je la referai dimanche.", 2008))),
        post(CUISINE, "canalblog", "c2", 2009, at, text=FR + " Appelez-moi au 01 23 45 67 89 pour les cours."),
        post(CUISINE, "canalblog", "c3", 2010, at),
        post(CUISINE, "canalblog", "c4", 2011, at, robots="noarchive"),
        post(VOYAGES, "canalblog", "v1", 2012, at),
        post(VOYAGES, "canalblog", "v2", 2012, at),
        post(PHOTOS, "blogspot", "b1", 2007, at, text=EN, language="en", comments=(comment("John", "Lovely pictures of the bridges, which camera did you use for these?", 2007),), path="/2007/05/b1.html"),
        post(PHOTOS, "blogspot", "b2", 2008, at, text=EN, language="en", path="/2008/05/b2.html"),
        post(PHOTOS, "blogspot", "b3", 2013, at, robots="noindex, nofollow", path="/2013/05/b3.html"),
        post(TUMBLR, "tumblr", "t1", 2014, at, comments=(comment("Zoé", "Très joli texte, il me rappelle les étés chez ma grand-mère.", 2014),), path="/post/1/t1"),
        post(TUMBLR, "tumblr", "t2", 2015, at, path="/post/2/t2"),
        post(TUMBLR, "tumblr", "t3", 2015, at, path="/post/3/t3"),
    ]  # fmt: skip


def crawl2_posts() -> list[dict[str, Any]]:
    at = CRAWL2
    first = {p["url"]: p for p in crawl1_posts()}
    c1 = {
        **first[canonicalize(CUISINE + "archives/2008/05/02/c1.html")],
        "fetched_at": at,
        "warc_record_id": "<urn:uuid:c1-2>",
    }
    return [
        c1,
        post(CUISINE, "canalblog", "c2", 2009, at, text=FR + " Appelez-moi au 01 23 45 67 89 pour les cours. Nouveau : les cours reprennent en septembre."),
        post(CUISINE, "canalblog", "c3", 2010, at, tags=("souvenirs", "desserts")),
        post(CUISINE, "canalblog", "c5", 2024, at),
        post(PHOTOS, "blogspot", "b4", 2023, at, text=EN, language="en", path="/2023/05/b4.html",
             comments=(comment("Ann", "Beautiful light in this one, the river looks like silver at dawn.", 2023),
                       comment("Bob", "I walked there last summer and it was exactly like this picture.", 2023))),
        post(TYPEPAD, "typepad", "p1", 2005, at, text=EN, language="en", path="/blog/2005/05/p1.html"),
        post(TYPEPAD, "typepad", "p2", 2006, at, text=EN, language="en", path="/blog/2006/05/p2.html"),
    ]  # fmt: skip


def write_crawl(out: Path, records: list[dict[str, Any]], stats: dict[str, Any] | None = None) -> Path:
    """``out/data/<platform>/part-00000.parquet`` (rows sorted by id), stats.json and an empty warc/."""
    by_platform: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        by_platform.setdefault(record["platform"], []).append(record)
    for platform, rows in by_platform.items():
        (out / "data" / platform).mkdir(parents=True, exist_ok=True)
        table = to_table(sorted(rows, key=lambda r: r["id"]))
        pq.write_table(table, out / "data" / platform / "part-00000.parquet", compression="zstd")
    (out / "warc").mkdir(exist_ok=True)
    document = stats or {
        "posts": len(records),
        "posts_by_platform": {p: len(r) for p, r in by_platform.items()},
    }
    (out / "stats.json").write_text(json.dumps(document), encoding="utf-8")
    return out


def two_crawls(root: Path) -> tuple[Path, Path, Path]:
    """(OUT1, OUT2, opt-out file) under ``root``."""
    out1 = write_crawl(root / "crawl1", crawl1_posts())
    out2 = write_crawl(root / "crawl2", crawl2_posts())
    opt_out = root / "opt-out.txt"
    opt_out.write_text(OPT_OUT, encoding="utf-8")
    return out1, out2, opt_out


def ids_of(*slugs: str) -> set[str]:
    """Post ids of fixture posts by slug."""
    every = {p["title"].split()[0]: p["id"] for p in crawl1_posts() + crawl2_posts()}
    return {every[s] for s in slugs}

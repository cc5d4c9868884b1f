"""The dataset card: README.md with the Hub's metadata, the chart of posts per year, the license."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from string import Template
from typing import Any

import pyarrow as pa

from crawler.errors import UserError, require
from crawler.release.media import MEDIA_COLUMN_DOCS, MEDIA_CONFIG, MEDIA_SCHEMA
from crawler.release.options import ALL_CONFIG, CDC_SUPPORTED, COMMENTS_CONFIG, SnapshotOptions
from schemas.comments import COMMENT_COLUMN_DOCS, COMMENT_SCHEMA
from schemas.manifest import FileEntry, Manifest
from schemas.post import COLUMN_DOCS, PLATFORMS, POST_SCHEMA

CARD_TEMPLATE = Path(__file__).resolve().parents[2] / "schemas" / "dataset_card.md"
HUB_LICENSES = Path(__file__).resolve().parents[2] / "schemas" / "hub_licenses.txt"
CHART_PATH = "images/posts_per_year.png"
SIZE_CATEGORIES = ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M"),
                   (10_000_000, "1M<n<10M"), (100_000_000, "10M<n<100M"), (1_000_000_000, "100M<n<1B"))  # fmt: skip
LANGUAGE_MIN_SHARE = 0.01  # a language the card lists: at least this share of the posts (or comments)...
LANGUAGE_MIN_ROWS = 3  # ...and at least this many: stray detections are not languages of the dataset


def size_category(rows: int) -> str:
    return next((label for bound, label in SIZE_CATEGORIES if rows < bound), "1B<n<10B")


@dataclass
class Tally:
    """Counts the card shows."""

    posts_by_platform: Counter = field(default_factory=Counter)
    comments_by_platform: Counter = field(default_factory=Counter)
    posts_by_language: Counter = field(default_factory=Counter)
    comments_by_language: Counter = field(default_factory=Counter)
    years: dict[str, Counter] = field(default_factory=dict)  # platform -> year (or None) -> posts
    media_files: int = 0
    media_bytes: int = 0

    def add(self, platform: str, posts: pa.Table, comments: pa.Table) -> None:
        self.posts_by_platform[platform] += posts.num_rows
        self.comments_by_platform[platform] += comments.num_rows
        self.posts_by_language.update(posts["language"].to_pylist())
        self.comments_by_language.update(comments["language"].to_pylist())
        self.years[platform] = Counter(d.year if d else None for d in posts["published"].to_pylist())

    def languages(self) -> list[str]:
        """Languages of at least ``LANGUAGE_MIN_SHARE`` and ``LANGUAGE_MIN_ROWS`` of the posts or of the comments."""
        return sorted(set(_common(self.posts_by_language)) | set(_common(self.comments_by_language)))

    def language_rows(self) -> list[tuple[str, int]]:
        """The card's table: listed languages by posts, then the rest as one row, then unknown."""
        listed = self.languages()
        rows = sorted(((lang, n) for lang, n in self.posts_by_language.items() if lang in listed),
                      key=lambda kv: (-kv[1], kv[0]))  # fmt: skip
        rare = sum(n for lang, n in self.posts_by_language.items() if lang is not None and lang not in listed)
        if rare:
            rows.append((f"other (each under {LANGUAGE_MIN_SHARE:.0%} or {LANGUAGE_MIN_ROWS} posts)", rare))
        if self.posts_by_language[None]:
            rows.append(("unknown (text too short or detection unsure)", self.posts_by_language[None]))
        return rows


def _common(counts: Counter) -> list[str]:
    total = sum(counts.values())
    return [lang for lang, n in counts.items()
            if lang is not None and n >= LANGUAGE_MIN_ROWS and n >= LANGUAGE_MIN_SHARE * total]  # fmt: skip


def render_chart(years: dict[str, Counter], path: Path) -> None:
    """Stacked bars of posts per year (publication) per platform, as a PNG the card shows."""
    require("matplotlib", "chart", "the card's chart of posts per year")
    from matplotlib.figure import Figure  # slow import, only needed here
    from matplotlib.ticker import MaxNLocator

    dated = {y for counts in years.values() for y in counts if y is not None}
    span = list(range(min(dated), max(dated) + 1)) if dated else []
    figure = Figure(figsize=(8, 4), dpi=100)
    axes = figure.add_subplot()
    bottom = [0] * len(span)
    for platform in sorted(years):
        values = [years[platform].get(y, 0) for y in span]
        color = f"C{PLATFORMS.index(platform)}"  # a platform keeps its colour from version to version
        axes.bar(range(len(span)), values, bottom=bottom, label=platform, color=color)
        bottom = [b + v for b, v in zip(bottom, values)]
    axes.set_xticks(range(len(span)), [str(y) for y in span], rotation=45)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("posts")
    axes.set_title("Posts per year of publication and platform")
    if years:
        axes.legend()
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", metadata={"Software": None})


LICENSE_FILE = "LICENSE"  # the rights of a snapshot whose license is `other` (the Hub asks for it)
OTHER_LICENSE_NAME = "rights-of-the-blog-authors"
OTHER_LICENSE_TEXT = """Rights of the blog authors

The texts and comments in this dataset were published on public blogs by their authors,
who keep their rights over them. They were archived for research and preservation. Use them
for research; do not republish them as your own; honour removal requests: a blog's owner
can have its posts removed from the next version (see the dataset card, "Opt-out").
"""


def hub_licenses() -> frozenset[str]:
    """The license identifiers the Hub accepts in a card (schemas/hub_licenses.txt)."""
    text = HUB_LICENSES.read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def check_license(license_id: str) -> str:
    """``license_id`` if the Hub knows it, else a UserError saying what to do."""
    if license_id not in hub_licenses():
        raise UserError(
            f"--license {license_id!r} is not a Hub license identifier (e.g. cc-by-4.0, cc-by-nc-sa-4.0, "
            "cc0-1.0, odc-by, other; the list: https://huggingface.co/docs/hub/repositories-licenses)"
        )
    return license_id


def multilinguality(languages: list[str]) -> str:
    return {0: "unknown", 1: "monolingual"}.get(len(languages), "multilingual")


def card_configs(tally: Tally, files: list[FileEntry]) -> list[dict[str, Any]]:
    """The ``configs`` of the card: ``default`` (every platform), one per platform, ``comments``.

    Each config lists its files by name, never a glob (see :func:`shard_name`).
    """

    def config(name: str, configs: set[str]) -> dict[str, Any]:
        paths = [f.path for f in files if f.config in configs]
        return {"config_name": name, "data_files": [{"split": "train", "path": paths}]}

    platforms = sorted(tally.posts_by_platform)
    configs = [{**config(ALL_CONFIG, set(platforms)), "default": True}]
    configs += [config(p, {p}) for p in platforms]
    if sum(tally.comments_by_platform.values()):
        configs.append(config(COMMENTS_CONFIG, {COMMENTS_CONFIG}))
    if tally.media_files:
        configs.append(config(MEDIA_CONFIG, {MEDIA_CONFIG}))
    return configs


def card_metadata(tally: Tally, options: SnapshotOptions, files: list[FileEntry]):  # -> DatasetCardData
    """The card's metadata, through ``huggingface_hub``'s ``DatasetCardData`` (the Hub's own model)."""
    require("huggingface_hub", "hub", "the dataset card")
    from huggingface_hub import DatasetCardData

    languages = tally.languages()
    license_fields = (
        {"license_name": OTHER_LICENSE_NAME, "license_link": LICENSE_FILE}
        if options.license == "other"
        else {}
    )
    return DatasetCardData(
        pretty_name=options.pretty_name,
        license=options.license,
        language=languages,
        multilinguality=multilinguality(languages),
        size_categories=[size_category(sum(tally.posts_by_platform.values()))],
        task_categories=["text-generation", "text-classification"],
        task_ids=["language-modeling"],
        annotations_creators=["no-annotation"],
        language_creators=["found"],
        source_datasets=["original"],
        tags=["blogs", "web-archive", *sorted(tally.posts_by_platform)],
        configs=card_configs(tally, files),
        **license_fields,
    )


def _rows(cells: Iterable[Iterable[Any]]) -> str:
    return "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in cells)


def _columns(schema: pa.Schema, docs: dict[str, str]) -> str:
    return _rows((f"`{f.name}`", f"`{f.type}`", docs[f.name]) for f in schema)


def media_section(tally: Tally, options: SnapshotOptions) -> str:
    """The card's part on the ``media`` config: count, size, columns, rights."""
    if not tally.media_files:
        return "No media file was archived with these posts (crawled with `--media none`, or none had any)."
    held = ("The Parquet files hold the images themselves (`image`, a `datasets` `Image` feature)."
            if options.media_bytes else "This is a light snapshot (`--no-media-bytes`): the files' metadata "
            "only; the bytes stay in the crawl's WARC files.")  # fmt: skip
    return (f"**{tally.media_files:,} files** ({tally.media_bytes / 2**20:,.1f} MiB) shown in the published "
            f"posts, one row each in the `{MEDIA_CONFIG}` config, at the largest size the platform serves "
            f"(`load_dataset(..., \"{MEDIA_CONFIG}\")` yields pictures). {held} The pictures belong to their "
            "authors, as the texts do: they are here for research, and the opt-out list removes a blog's or "
            "a post's files with its texts.\n\n| column | type | meaning |\n|---|---|---|\n"
            + _columns(MEDIA_SCHEMA, MEDIA_COLUMN_DOCS))  # fmt: skip


def render_card(tally: Tally, manifest: Manifest, options: SnapshotOptions) -> str:
    """README.md from schemas/dataset_card.md."""
    platforms = sorted(tally.posts_by_platform)
    files = Counter(f.config for f in manifest.data_files())
    posts, comments = manifest.counts["posts"], manifest.counts["comments"]
    config_rows = [
        (f"`{ALL_CONFIG}` (default)", f"{posts:,}", sum(files[p] for p in platforms), "every post")
    ]
    config_rows += [
        (f"`{p}`", f"{tally.posts_by_platform[p]:,}", files[p], f"posts from {p}") for p in platforms
    ]
    config_rows.append(
        (f"`{COMMENTS_CONFIG}`", f"{comments:,}", files[COMMENTS_CONFIG], "one row per comment")
    )
    if tally.media_files:
        config_rows.append((f"`{MEDIA_CONFIG}`", f"{tally.media_files:,}", files[MEDIA_CONFIG],
                            "one row per archived file of the posts (images as `Image`)"))  # fmt: skip
    years = sorted({y for c in tally.years.values() for y in c}, key=lambda y: (y is None, y or 0))
    left, pii = manifest.left_out, options.redact_pii
    values = {
        "front_matter": card_metadata(tally, options, manifest.data_files()).to_yaml() + "\n",
        "pretty_name": options.pretty_name,
        "platform_list": ", ".join(platforms),
        "posts": f"{posts:,}",
        "comments": f"{comments:,}",
        "language_count": len(tally.languages()),
        "version": manifest.version,
        "schema_version": manifest.schema_version,
        "previous_line": f"; previous version {manifest.previous_version}" if manifest.previous_version else "",
        "repo_hint": options.repo_id or "path/to/snapshot",
        "config_rows": _rows(config_rows),
        "platform_rows": _rows((p, f"{tally.posts_by_platform[p]:,}", f"{tally.comments_by_platform[p]:,}")
                               for p in platforms),  # fmt: skip
        "language_rows": _rows((lang, f"{n:,}") for lang, n in tally.language_rows()),
        "chart_path": CHART_PATH,
        "year_header": " | ".join(platforms),
        "year_align": "---:|" * len(platforms),
        "year_rows": _rows([y or "unknown", *(tally.years[p].get(y, 0) for p in platforms)] for y in years),
        "post_columns": _columns(POST_SCHEMA, COLUMN_DOCS),
        "comment_columns": _columns(COMMENT_SCHEMA, COMMENT_COLUMN_DOCS),
        "media_section": media_section(tally, options),
        "max_shard_rows": f"{options.max_shard_rows:,}",
        "cdc_line": ", content-defined chunking (re-publishing mostly unchanged data uploads little)"
        if CDC_SUPPORTED else "",
        "noarchive_line": f"{left['noarchive']:,} posts whose pages carry a `noarchive` or `noindex` robots "
        "directive were left out." if not options.include_noarchive else
        "Posts marked `noarchive`/`noindex` were kept on purpose for this build (their `robots` column says so).",
        "opt_out_line": f"{left['opt_out']:,} posts were removed at their owners' request (an opt-out list of blog "
        "and post URLs).",
        "pii_line": "E-mail addresses and phone numbers were masked (`[email]`, `[phone]`) in titles, texts and "
        "comments." if pii else "E-mail addresses and phone numbers were not masked: the texts are as published.",
        "license": options.license,
        "citation_key": re.sub(r"[^a-z0-9]+", "_", options.pretty_name.lower()).strip("_") or "blog_archive",
        "citation_url": f"https://huggingface.co/datasets/{options.repo_id}" if options.repo_id else "a snapshot",
        "contact_line": (f"Maintainer: {options.contact}. " if options.contact else "")
        + "For a question, a correction or a removal request, open a discussion on this dataset's page.",
        "license_line": "Each text keeps the rights its author gave it (see `LICENSE`); use it for research, and "
        "honour removal requests." if options.license == "other" else "",
    }  # fmt: skip
    return Template(CARD_TEMPLATE.read_text(encoding="utf-8")).substitute(values)

"""Changes between two versions: the changelog's entry and ``blogarchive diff``'s document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.errors import UserError
from crawler.release.options import CHANGELOG_NAME, LeftOut
from crawler.release.rows import Index, index_of, read_posts
from schemas.manifest import Manifest, read_manifest
from schemas.post import PLATFORMS

MAX_LISTED = 100  # URLs listed per section of the changelog; `blogarchive diff` lists all


@dataclass(frozen=True)
class Changes:
    """Posts of a new version compared with the previous one (ids, sorted)."""

    added: list[str]
    removed: list[str]
    changed: list[str]
    content_changed: frozenset[str]
    unchanged: int


def compare(old: Index, new: Index) -> Changes:
    """Added, removed and changed posts; ``content_changed``: text, title or comments differ."""
    changed = sorted(i for i in old.keys() & new.keys() if old[i][0] != new[i][0])
    return Changes(
        added=sorted(new.keys() - old.keys()),
        removed=sorted(old.keys() - new.keys()),
        changed=changed,
        content_changed=frozenset(i for i in changed if old[i][1] != new[i][1]),
        unchanged=len(old.keys() & new.keys()) - len(changed),
    )


def diff_document(old: Manifest, new: Manifest, changes: Changes, new_index: Index) -> dict[str, Any]:
    """The changes between two versions, machine-readable. Removed posts are given by id only."""
    return {
        "from": {"version": old.version, "schema_version": old.schema_version},
        "to": {"version": new.version, "schema_version": new.schema_version},
        "counts": {
            "added": len(changes.added),
            "changed": len(changes.changed),
            "content_changed": len(changes.content_changed),
            "removed": len(changes.removed),
            "unchanged": changes.unchanged,
        },
        "added": [{"id": i, "url": new_index[i][2]} for i in changes.added],
        "changed": [
            {"id": i, "url": new_index[i][2], "content_changed": i in changes.content_changed}
            for i in changes.changed
        ],
        "removed": [{"id": i} for i in changes.removed],
        "left_out": new.left_out,
    }


def load_index(snapshot: Path) -> tuple[Manifest, Index]:
    """A snapshot's manifest and the index of its posts."""
    manifest = load_manifest(snapshot)
    files = [snapshot / f.path for f in manifest.data_files() if f.config in PLATFORMS]
    return manifest, index_of(read_posts(files))


def load_manifest(snapshot: Path) -> Manifest:
    try:
        return read_manifest(snapshot)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def markdown_literal(url: str) -> str:
    """A URL shown as text, never a link: a code span (a URL may hold ``[x](javascript:…)``)."""
    return "`" + url.replace("`", "%60").replace("\n", "%0A").replace("\r", "%0D") + "`"


def _url_list(title: str, ids: list[str], index: Index) -> list[str]:
    if not ids:
        return []
    lines = ["", f"### {title}", ""] + [f"- {markdown_literal(index[i][2])}" for i in ids[:MAX_LISTED]]
    if len(ids) > MAX_LISTED:
        lines.append(f"- … and {len(ids) - MAX_LISTED:,} more (`blogarchive diff` lists them all)")
    return lines


def changelog_entry(manifest: Manifest, changes: Changes | None, new_index: Index, left: LeftOut) -> str:
    """This version's section of CHANGELOG.md. Removed posts are counted, never listed."""
    posts = manifest.counts["posts"]
    held = (f"- Left out of this version: {len(left.noarchive):,} posts marked noarchive/noindex by their "
            f"owners, {len(left.opt_out):,} posts on the opt-out list.")  # fmt: skip
    if changes is None:
        return "\n".join([f"## {manifest.version} (first version)", "", f"- Posts: {posts:,}", held]) + "\n"
    removed = set(changes.removed)
    on_request, noarchive = len(removed & left.opt_out), len(removed & left.noarchive)
    content = len(changes.content_changed)
    lines = [
        f"## {manifest.version} (since {manifest.previous_version})",
        "",
        f"- Added: {len(changes.added):,} posts",
        f"- Changed: {len(changes.changed):,} posts ({content:,} in their text, title or comments, "
        f"{len(changes.changed) - content:,} in other fields only)",
        f"- Removed: {len(changes.removed):,} posts ({on_request:,} at their owners' request, "
        f"{noarchive:,} newly marked noarchive/noindex, {len(removed) - on_request - noarchive:,} no longer in the crawls)",
        f"- Unchanged: {changes.unchanged:,} posts; {posts:,} posts in all",
        held,
    ]
    lines += _url_list("Added", changes.added, new_index) + _url_list("Changed", changes.changed, new_index)
    return "\n".join(lines) + "\n"


def changelog_text(entry: str, previous: Path | None) -> str:
    """CHANGELOG.md: this version's entry on top of the previous version's entries."""
    older = ""
    if previous is not None and (previous / CHANGELOG_NAME).is_file():
        older = (previous / CHANGELOG_NAME).read_text(encoding="utf-8").split("\n", 1)[-1].lstrip("\n")
    return "# Changelog\n\n" + entry + ("\n" + older if older else "")

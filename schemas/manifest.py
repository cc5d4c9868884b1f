"""The ``manifest.json`` of a snapshot: version, schema version, files with checksums, counts, crawl stats."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

MANIFEST_FORMAT = "blogarchive-snapshot-manifest/1"
MANIFEST_NAME = "manifest.json"
# semver.org 2.0.0: versions become folder names and git tags, so nothing else is accepted.
SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*)?"
    r"(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$"
)


def is_semver(version: object) -> bool:
    """True for a semantic version such as 1.0.0 or 2.1.0-rc.1 (no leading v)."""
    return isinstance(version, str) and SEMVER.match(version) is not None


@dataclass(frozen=True)
class FileEntry:
    """One data file of the snapshot: where it is, which config reads it, what it holds."""

    path: str  # relative, with forward slashes
    config: str  # a platform, "comments", or "card" for the card's chart
    sha256: str
    bytes: int
    rows: int | None = None  # None for files that are not Parquet


@dataclass
class Manifest:
    """Everything a consumer needs to check a snapshot and a publisher to compare two."""

    version: str
    schema_version: str
    files: list[FileEntry]
    counts: dict[str, Any]  # posts, comments, posts_by_platform
    left_out: dict[str, int]  # noarchive, opt_out: rows kept out of this version
    options: dict[str, Any]  # redact_pii, include_noarchive, license
    previous_version: str | None = None
    crawls: list[dict[str, Any]] = field(default_factory=list)  # {"name": OUT dir name, "stats": stats.json}
    format: str = MANIFEST_FORMAT

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def data_files(self, configs: set[str] | None = None) -> list[FileEntry]:
        """The Parquet files, optionally of some configs only."""
        return [f for f in self.files if f.rows is not None and (configs is None or f.config in configs)]


def manifest_from_dict(data: dict[str, Any]) -> Manifest:
    """Parse a manifest document; ValueError names what is missing or foreign."""
    if data.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"not a blogarchive snapshot manifest (format {data.get('format')!r})")
    missing = [
        k for k in ("version", "schema_version", "files", "counts", "left_out", "options") if k not in data
    ]
    if missing:
        raise ValueError(f"manifest lacks {', '.join(missing)}")
    for key in ("version", "previous_version"):
        if (key == "version" or data.get(key) is not None) and not is_semver(data.get(key)):
            raise ValueError(f"manifest {key} {data.get(key)!r} is not a semantic version (e.g. 1.0.0)")
    files = [FileEntry(**entry) for entry in data["files"]]
    for entry in files:
        if entry.path.startswith("/") or ".." in entry.path.split("/"):
            raise ValueError(f"manifest file path {entry.path!r} leaves the snapshot")
    fields = {k: v for k, v in data.items() if k != "files"}
    return Manifest(files=files, **fields)


def read_manifest(snapshot: Path) -> Manifest:
    """The manifest of a snapshot directory; ValueError when absent or malformed."""
    path = snapshot / MANIFEST_NAME
    if not path.is_file():
        raise ValueError(f"{snapshot} has no {MANIFEST_NAME}: not a snapshot")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON ({exc})") from exc
    return manifest_from_dict(data)


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read a MiB at a time (manifests list every file with it)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(2**20), b""):
            digest.update(block)
    return digest.hexdigest()

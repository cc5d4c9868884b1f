"""Publishing snapshots: a local versioned store, a git remote or a Hugging Face dataset repo, one tag per version."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from crawler.errors import UserError, require
from crawler.outlock import lock_output
from crawler.progress import ProgressDisplay
from crawler.release.changelog import load_manifest
from crawler.release.options import CHANGELOG_NAME
from crawler.replace import clean_stale, swap_in, work_path
from schemas.manifest import MANIFEST_NAME, Manifest, file_sha256, is_semver

logger = logging.getLogger(__name__)

HUB_PREFIX = "hf://datasets/"
LATEST = "latest"
BRANCH = "main"
# Remote files a new version replaces: stale shards (other -of-N counts) are deleted in the same commit.
HUB_STALE_PATTERNS = ["data/**", "comments/**", "images/**"]
LFS_PATTERNS = ("*.parquet", "*.png")
_REPO_ID = re.compile(r"^[\w.-]+/[\w.-]+$")
_USERINFO = re.compile(r"(://)[^/@\s]+@")


@dataclass(frozen=True)
class LocalStore:
    root: Path

    def __str__(self) -> str:
        return f"local store {self.root}"


@dataclass(frozen=True)
class GitRemote:
    url: str

    def __str__(self) -> str:
        return f"git remote {scrub(self.url)}"


@dataclass(frozen=True)
class HubRepo:
    repo_id: str

    def __str__(self) -> str:
        return f"{HUB_PREFIX}{self.repo_id}"


Target = LocalStore | GitRemote | HubRepo


@dataclass(frozen=True)
class Published:
    changed: bool
    message: str


def scrub(text: str) -> str:
    """Credentials in URLs (https://user:token@host) never reach a message."""
    return _USERINFO.sub(r"\1***@", text)


def tag_name(version: str) -> str:
    return f"v{version}"


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """Order of versions: numeric parts as numbers (1.10.0 after 1.9.0)."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"[._-]", version))


def _is_git_dir(path: Path) -> bool:
    return (path / ".git").exists() or ((path / "HEAD").is_file() and (path / "objects").is_dir())


def parse_target(spec: str) -> Target:
    """``hf://datasets/<owner>/<name>``, a git URL or repository, or a local directory (the store)."""
    if spec.startswith(HUB_PREFIX):
        repo_id = spec[len(HUB_PREFIX) :].strip("/")
        if not _REPO_ID.match(repo_id):
            raise UserError(f"bad Hub dataset {spec!r}: expected {HUB_PREFIX}<owner>/<name>")
        return HubRepo(repo_id)
    if spec.startswith("hf://"):
        raise UserError(f"only dataset repos can be published to: {HUB_PREFIX}<owner>/<name>, not {spec}")
    if "://" in spec or spec.startswith("git@") or spec.endswith(".git") or _is_git_dir(Path(spec)):
        return GitRemote(spec.removeprefix("git+"))
    return LocalStore(Path(spec))


def tree_digest(root: Path) -> dict[str, str]:
    """sha256 of every file under ``root`` by relative path; hidden files and folders (.git, .cache) skipped."""
    return {
        path.relative_to(root).as_posix(): file_sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(root).parts)
    }


def verify_snapshot(snapshot: Path, progress: ProgressDisplay | None = None) -> Manifest:
    """The snapshot's manifest, after checking every file it lists: a damaged snapshot is never published.

    ``progress`` counts the files checked.
    """
    manifest = load_manifest(snapshot)
    checked = 0
    for n, entry in enumerate(manifest.files, 1):
        path = snapshot / entry.path
        if not path.is_file() or file_sha256(path) != entry.sha256:
            raise UserError(f"{path} is missing or differs from {MANIFEST_NAME}: rebuild the snapshot")
        checked += entry.bytes
        if progress is not None:
            progress.update(n, f"checked, {checked / 2**20:.1f} MiB", total=len(manifest.files))
    return manifest


def publish(snapshot: Path, target: Target, private: bool = False,
            progress: ProgressDisplay | None = None) -> Published:  # fmt: skip
    """Check every file of ``snapshot``, then publish it to ``target``; ``progress`` shows both steps."""
    with progress or ProgressDisplay("files", None, live=False) as display:
        manifest = verify_snapshot(snapshot, display)
        display.update(text=f"checked; publishing to {target}")
        if isinstance(target, LocalStore):
            return publish_local(snapshot, manifest, target.root)
        if isinstance(target, GitRemote):
            return publish_git(snapshot, manifest, target.url)
        return publish_hub(snapshot, manifest, target.repo_id, private)


def _unchanged(manifest: Manifest, target: Target) -> Published:
    return Published(
        False, f"{manifest.version} is already published to {target} with the same content: nothing changed"
    )


def _conflict(manifest: Manifest, target: Target) -> UserError:
    return UserError(
        f"{manifest.version} is already published to {target} with other content: use a new version"
    )


def _summary(manifest: Manifest) -> str:
    counts = manifest.counts
    return f"blogarchive snapshot {manifest.version} (schema {manifest.schema_version}): {counts['posts']} posts, {counts['comments']} comments"


# ---------------------------------------------------------------- local store


def published_versions(root: Path) -> list[str]:
    """Versions in a local store, oldest first."""
    found = [
        p.name for p in root.iterdir() if p.is_dir() and not p.is_symlink() and (p / MANIFEST_NAME).is_file()
    ]
    return sorted((v for v in found if is_semver(v)), key=version_key)


def publish_local(snapshot: Path, manifest: Manifest, root: Path) -> Published:
    """``root/<version>/`` (a full copy, made aside and renamed) and ``root/latest`` -> the greatest version.

    A publish killed half-way is completed by the next one: a version in place whose
    ``latest`` was not moved yet gets it moved, and killed processes' temp folders go.
    """
    target = LocalStore(root)
    root.mkdir(parents=True, exist_ok=True)
    lock_output(root)
    dest = root / manifest.version
    clean_stale(dest)
    clean_stale(root / LATEST)
    if dest.exists():
        if tree_digest(dest) != tree_digest(snapshot):
            raise _conflict(manifest, target)
        latest, moved = _point_latest(root)
        if moved:
            return Published(
                True,
                f"completed the interrupted publish of {manifest.version} to {target} ({LATEST} -> {latest})",
            )
        return _unchanged(manifest, target)
    work = work_path(dest)
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(snapshot, work, ignore=shutil.ignore_patterns(".*"))
    swap_in(work, dest)
    latest, _ = _point_latest(root)
    return Published(True, f"published {manifest.version} to {target} ({LATEST} -> {latest})")


def _point_latest(root: Path) -> tuple[str, bool]:
    """``root/latest`` -> the greatest version (one atomic rename); whether it had to move."""
    latest = published_versions(root)[-1]
    link = root / LATEST
    if link.is_symlink() and os.readlink(link) == latest:
        return latest, False
    work = work_path(link)
    work.unlink(missing_ok=True)
    work.symlink_to(latest, target_is_directory=True)
    swap_in(work, link)
    return latest, True


# ---------------------------------------------------------------- git


def git(*args: str, cwd: Path | None = None) -> str:
    """Run git; a failure is a UserError with git's last line (credentials scrubbed)."""
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env={**os.environ, "GIT_TERMINAL_PROMPT": "0"})  # fmt: skip
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()] or ["(no message)"]
        raise UserError(f"git {args[0]} failed: {scrub(lines[-1])}")
    return result.stdout


def remote_tags(url: str) -> dict[str, str]:
    """Tag name -> commit of a git remote."""
    tags = {}
    for line in git("ls-remote", "--tags", "--", url).splitlines():
        sha, ref = line.split("\t")
        name = ref.removeprefix("refs/tags/")
        if name.endswith("^{}"):
            tags[name[:-3]] = sha  # the commit an annotated tag points to
        else:
            tags.setdefault(name, sha)
    return tags


def _replace_tree(work: Path, snapshot: Path) -> None:
    for child in work.iterdir():
        if child.name != ".git":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    shutil.copytree(snapshot, work, ignore=shutil.ignore_patterns(".*"), dirs_exist_ok=True)


def _track_with_lfs(work: Path) -> bool:
    """Large files go to git-lfs when it is installed; plain git otherwise."""
    if subprocess.run(["git", "lfs", "version"], capture_output=True).returncode != 0:
        return False
    git("lfs", "install", "--local", cwd=work)
    lines = [f"{pattern} filter=lfs diff=lfs merge=lfs -text" for pattern in LFS_PATTERNS]
    (work / ".gitattributes").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return True


def _ensure_identity(work: Path) -> None:
    """Commits need an author: the user's own if git knows it, else a neutral one for this clone."""
    for key, value in (("user.name", "blogarchive"), ("user.email", "blogarchive@localhost")):
        if subprocess.run(["git", "config", key], cwd=work, capture_output=True).returncode != 0:
            git("config", key, value, cwd=work)


def publish_git(snapshot: Path, manifest: Manifest, url: str) -> Published:
    """Commit the snapshot on ``main`` of a clone, tag it ``v<version>`` (annotated), push both atomically."""
    target, tag = GitRemote(url), tag_name(manifest.version)
    with tempfile.TemporaryDirectory(prefix="blogarchive-git-") as tmp:
        work = Path(tmp) / "repo"
        git("clone", "--quiet", "--", url, str(work))
        if git("ls-remote", "--heads", "origin", BRANCH, cwd=work).strip():
            git("checkout", "--quiet", "-B", BRANCH, f"origin/{BRANCH}", cwd=work)
        else:
            git("symbolic-ref", "HEAD", f"refs/heads/{BRANCH}", cwd=work)
        _replace_tree(work, snapshot)
        lfs = _track_with_lfs(work)
        git("add", "--all", cwd=work)
        if tag in remote_tags(url):
            same = (
                git("write-tree", cwd=work).strip() == git("rev-parse", f"{tag}^{{tree}}", cwd=work).strip()
            )
            if same:
                return _unchanged(manifest, target)
            raise _conflict(manifest, target)
        _ensure_identity(work)
        git("commit", "--quiet", "--allow-empty", "-m", _summary(manifest), cwd=work)
        git("tag", "--annotate", tag, "-m", _summary(manifest), cwd=work)
        git(
            "push", "--quiet", "--atomic", "origin", f"HEAD:refs/heads/{BRANCH}", f"refs/tags/{tag}", cwd=work
        )
    storage = "git-lfs" if lfs else "plain git (git-lfs not installed)"
    return Published(
        True, f"published {manifest.version} to {target} as tag {tag} on {BRANCH}, large files in {storage}"
    )


# ---------------------------------------------------------------- Hugging Face Hub


def _hub_api(require_token: bool):  # -> huggingface_hub.HfApi (imported lazily: it is slow to import)
    """The real client; endpoint from HF_ENDPOINT, token from HF_TOKEN or a saved login (never shown)."""
    require("huggingface_hub", "hub", "publishing to the Hugging Face Hub")
    from huggingface_hub import HfApi, get_token

    token = get_token()
    if require_token and not token:
        raise UserError("no Hugging Face token: set HF_TOKEN or run `hf auth login`")
    return HfApi(endpoint=os.environ.get("HF_ENDPOINT") or None, token=token)


def _hub_tags(api, repo_id: str) -> set[str] | None:
    """Tags of a dataset repo; None when the repo does not exist yet."""
    from huggingface_hub.errors import RepositoryNotFoundError

    try:
        return {ref.name for ref in api.list_repo_refs(repo_id, repo_type="dataset").tags}
    except RepositoryNotFoundError:
        return None


def _hub_matches(api, repo_id: str, tag: str, snapshot: Path) -> bool:
    """Whether the files at ``tag`` are the snapshot's files (LFS files by sha256, others by git blob id)."""
    from huggingface_hub.hf_api import RepoFile
    from huggingface_hub.utils.sha import git_hash

    remote = {f.path: f for f in api.list_repo_tree(repo_id, revision=tag, recursive=True, repo_type="dataset")
              if isinstance(f, RepoFile) and not f.path.startswith(".")}  # fmt: skip
    local = tree_digest(snapshot)
    if set(remote) != set(local):
        return False
    for path, entry in remote.items():
        if entry.lfs is not None:
            if entry.lfs.sha256 != local[path]:
                return False
        elif entry.blob_id != git_hash((snapshot / path).read_bytes()):
            return False
    return True


def publish_hub(snapshot: Path, manifest: Manifest, repo_id: str, private: bool) -> Published:
    """create_repo, upload_folder (stale shards deleted in the same commit), create_tag ``v<version>``."""
    from huggingface_hub.errors import HfHubHTTPError

    target, tag = HubRepo(repo_id), tag_name(manifest.version)
    api = _hub_api(require_token=True)
    try:
        tags = _hub_tags(api, repo_id)
        if tags is not None and tag in tags:
            if _hub_matches(api, repo_id, tag, snapshot):
                return _unchanged(manifest, target)
            raise _conflict(manifest, target)
        api.create_repo(repo_id, repo_type="dataset", private=private, exist_ok=True)
        commit = api.upload_folder(repo_id=repo_id, repo_type="dataset", folder_path=snapshot,
                                   commit_message=_summary(manifest), delete_patterns=HUB_STALE_PATTERNS)  # fmt: skip
        api.create_tag(
            repo_id, tag=tag, tag_message=_summary(manifest), revision=commit.oid, repo_type="dataset"
        )
    except HfHubHTTPError as exc:
        raise UserError(f"Hugging Face Hub: {scrub(str(exc).splitlines()[0])}") from exc
    return Published(
        True, f"published {manifest.version} to {target} as tag {tag} (commit {commit.oid[:12]})"
    )


def _hub_latest(repo_id: str, dest: Path) -> Path | None:
    """The latest tagged version's manifest, changelog and Parquet files, downloaded into ``dest``."""
    from huggingface_hub.errors import HfHubHTTPError

    api = _hub_api(require_token=False)
    try:
        versions = [t[1:] for t in _hub_tags(api, repo_id) or () if t.startswith("v") and is_semver(t[1:])]
        if not versions:
            return None
        tag = tag_name(max(versions, key=version_key))
        api.hf_hub_download(repo_id, MANIFEST_NAME, repo_type="dataset", revision=tag, local_dir=dest)
        names = [CHANGELOG_NAME] + [f.path for f in load_manifest(dest).data_files()]
        for name in names:
            api.hf_hub_download(repo_id, name, repo_type="dataset", revision=tag, local_dir=dest)
    except HfHubHTTPError as exc:
        raise UserError(f"Hugging Face Hub: {scrub(str(exc).splitlines()[0])}") from exc
    return dest


def _git_latest(url: str, dest: Path) -> Path | None:
    versions = [t[1:] for t in remote_tags(url) if t.startswith("v") and is_semver(t[1:])]
    if not versions:
        return None
    git(
        "clone",
        "--quiet",
        "--depth",
        "1",
        "--branch",
        tag_name(max(versions, key=version_key)),
        "--",
        url,
        str(dest),
    )
    return dest


@contextmanager
def previous_snapshot(spec: str) -> Iterator[Path | None]:
    """The snapshot to compare with: a snapshot directory, or the latest version of a publish target.

    None when the target has no version yet (the first one). Downloads live in a temp dir
    for the duration of the ``with`` block.
    """
    path = Path(spec)
    if (path / MANIFEST_NAME).is_file():
        yield path
        return
    target = parse_target(spec)
    if isinstance(target, LocalStore):
        if not target.root.is_dir():
            raise UserError(f"{spec}: no snapshot or publish target there")
        latest = target.root / LATEST
        yield latest if (latest / MANIFEST_NAME).is_file() else None
        return
    with tempfile.TemporaryDirectory(prefix="blogarchive-previous-") as tmp:
        dest = Path(tmp) / "previous"
        yield (
            _git_latest(target.url, dest)
            if isinstance(target, GitRemote)
            else _hub_latest(target.repo_id, dest)
        )

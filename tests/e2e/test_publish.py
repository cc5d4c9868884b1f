"""Snapshots end to end through the CLI: datasets loads them, changelog and diff agree, and they publish
to a local store, a real bare git repository and a loopback fake of the Hugging Face Hub."""

from __future__ import annotations

import io
import json
import re
import subprocess
from contextlib import redirect_stdout
from pathlib import Path
from types import SimpleNamespace

import datasets
import pytest

from crawler.cli import main
from crawler.release.publish import tree_digest
from tests.crawl_outputs import ids_of, two_crawls
from tests.fakehub import FakeHub
from tests.helpers import blogarchive

TOKEN = "hf_fake_SECRET_0123456789"
REPO = "me/blogs"


def cli(*args: str | Path) -> str:
    """``blogarchive ARGS`` in-process; its stdout. Fails the test on a non-zero exit."""
    buffer = io.StringIO()
    with redirect_stdout(buffer):
        code = main([str(a) for a in args])
    assert code == 0, buffer.getvalue()
    return buffer.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> SimpleNamespace:
    """Crawl outputs and two snapshots: v1 (crawl 1) and v2 (both crawls, opt-out list, previous v1)."""
    root = tmp_path_factory.mktemp("publish")
    out1, out2, opt_out = two_crawls(root)
    cli("snapshot", out1, "--version", "1.0.0", "-o", root / "v1", "--redact-pii")
    cli("snapshot", out1, out2, "--version", "1.1.0", "-o", root / "v2", "--redact-pii", "--opt-out", opt_out,
        "--previous", root / "v1")  # fmt: skip
    return SimpleNamespace(root=root, out1=out1, out2=out2, opt_out=opt_out, v1=root / "v1", v2=root / "v2")


def _v2_args(built: SimpleNamespace, version: str, dest: Path, previous: str) -> list[str | Path]:
    return ["snapshot", built.out1, built.out2, "--version", version, "-o", dest, "--redact-pii",
            "--opt-out", built.opt_out, "--previous", previous]  # fmt: skip


def git(*args: str | Path) -> str:
    return subprocess.run(["git", *map(str, args)], check=True, capture_output=True, text=True).stdout


# ---------------------------------------------------------------- datasets


@pytest.mark.parametrize(
    ("name", "platform", "platform_rows", "comments"),
    [("v1", "tumblr", 3, 4), ("v2", "typepad", 2, 5)],
)
def test_datasets_loads_plain_per_config_and_streaming(
    built, tmp_path, name, platform, platform_rows, comments
):
    snapshot, cache = str(getattr(built, name)), str(tmp_path / "cache")
    everything = datasets.load_dataset(snapshot, cache_dir=cache)
    assert list(everything) == ["train"] and everything["train"].num_rows == 10
    canalblog = datasets.load_dataset(snapshot, "canalblog", cache_dir=cache)["train"]
    assert canalblog.num_rows == 5 and set(canalblog["platform"]) == {"canalblog"}
    assert datasets.load_dataset(snapshot, platform, cache_dir=cache)["train"].num_rows == platform_rows
    thread = datasets.load_dataset(snapshot, "comments", cache_dir=cache)["train"]
    assert thread.num_rows == comments and set(thread["language"]) == {"fr", "en"}
    streamed = list(datasets.load_dataset(snapshot, streaming=True)["train"])
    assert sorted(r["id"] for r in streamed) == sorted(everything["train"]["id"])
    assert datasets.get_dataset_config_names(snapshot)[0] == "default"


# ---------------------------------------------------------------- changelog and diff


def test_diff_gives_the_known_changes_and_agrees_with_the_changelog(built):
    document = json.loads(cli("diff", built.v1, built.v2))
    assert (document["from"]["version"], document["to"]["version"]) == ("1.0.0", "1.1.0")
    assert {e["id"] for e in document["added"]} == ids_of("c5", "b4", "p1", "p2")
    assert {e["id"] for e in document["changed"]} == ids_of("c2", "c3")
    assert {e["id"] for e in document["changed"] if e["content_changed"]} == ids_of("c2")
    assert document["removed"] == [{"id": i} for i in sorted(ids_of("t1", "t2", "t3", "v2"))]  # ids only
    assert document["counts"] == {
        "added": 4,
        "changed": 2,
        "content_changed": 1,
        "removed": 4,
        "unchanged": 4,
    }
    assert document["left_out"] == {"noarchive": 2, "opt_out": 4}
    changelog = (built.v2 / "CHANGELOG.md").read_text(encoding="utf-8")
    counts = document["counts"]
    assert f"- Added: {counts['added']} posts" in changelog
    assert f"- Changed: {counts['changed']} posts ({counts['content_changed']} in their text" in changelog
    assert (
        f"- Removed: {counts['removed']} posts ({document['left_out']['opt_out']} at their owners' request"
        in changelog
    )
    assert all(e["url"] in changelog for e in document["added"] + document["changed"])


def test_diff_of_a_snapshot_with_itself_is_empty(built):
    document = json.loads(cli("diff", built.v2, built.v2))
    assert document["counts"] == {
        "added": 0,
        "changed": 0,
        "content_changed": 0,
        "removed": 0,
        "unchanged": 10,
    }


# ---------------------------------------------------------------- local store


def test_publish_to_a_local_store_is_versioned_and_idempotent(built, tmp_path, capsys):
    store = tmp_path / "store"
    assert "latest -> 1.0.0" in cli("publish", built.v1, "--to", store)
    assert "latest -> 1.1.0" in cli("publish", built.v2, "--to", store)
    before = tree_digest(store)
    assert "nothing changed" in cli("publish", built.v2, "--to", store)
    assert "nothing changed" in cli("publish", built.v1, "--to", store)
    assert tree_digest(store) == before and (store / "latest").resolve() == (store / "1.1.0").resolve()
    assert tree_digest(store / "1.0.0") == tree_digest(built.v1) and tree_digest(
        store / "latest"
    ) == tree_digest(built.v2)
    loaded = datasets.load_dataset(str(store / "latest"), "typepad", cache_dir=str(tmp_path / "cache"))
    assert loaded["train"].num_rows == 2

    with_previous = _v2_args(built, "1.1.0", tmp_path / "again", str(store))
    assert "since 1.1.0: 0 added, 0 changed, 0 removed, 10 unchanged" in cli(*with_previous)

    (tmp_path / "again" / "README.md").write_text("edited\n", encoding="utf-8")
    assert main(["publish", str(tmp_path / "again"), "--to", str(store)]) == 2
    assert "already published" in capsys.readouterr().err and tree_digest(store) == before


def test_a_damaged_snapshot_is_not_published(built, tmp_path, capsys):
    damaged = tmp_path / "damaged"
    subprocess.run(["cp", "-r", str(built.v1), str(damaged)], check=True)
    next(damaged.glob("data/canalblog/*.parquet")).write_bytes(b"torn")
    assert main(["publish", str(damaged), "--to", str(tmp_path / "store")]) == 2
    assert "rebuild the snapshot" in capsys.readouterr().err and not (tmp_path / "store").exists()


# ---------------------------------------------------------------- git


def test_publish_to_a_bare_git_repository_tags_each_version(built, tmp_path):
    bare = tmp_path / "blogs.git"
    git("init", "--quiet", "--bare", bare)
    assert "as tag v1.0.0" in cli("publish", built.v1, "--to", bare)

    from_git = tmp_path / "v2-from-git"
    cli(*_v2_args(built, "1.1.0", from_git, str(bare)))
    assert (from_git / "CHANGELOG.md").read_bytes() == (built.v2 / "CHANGELOG.md").read_bytes()
    assert tree_digest(from_git) == tree_digest(built.v2)

    assert "as tag v1.1.0" in cli("publish", built.v2, "--to", bare)
    head = git("--git-dir", bare, "rev-parse", "main").strip()
    assert "nothing changed" in cli("publish", built.v2, "--to", bare)
    assert git("--git-dir", bare, "rev-parse", "main").strip() == head

    assert git("--git-dir", bare, "tag", "--list").split() == ["v1.0.0", "v1.1.0"]
    assert git("--git-dir", bare, "cat-file", "-t", "v1.1.0").strip() == "tag"  # annotated
    assert git("--git-dir", bare, "rev-parse", "v1.1.0^{commit}").strip() == head
    for version, snapshot in (("v1.0.0", built.v1), ("v1.1.0", built.v2)):
        files = git("--git-dir", bare, "ls-tree", "-r", "--name-only", version).split()
        assert files == sorted(tree_digest(snapshot))
        shown = subprocess.run(["git", "--git-dir", str(bare), "show", f"{version}:manifest.json"], check=True,
                               capture_output=True).stdout  # fmt: skip
        assert shown == (snapshot / "manifest.json").read_bytes()


# ---------------------------------------------------------------- Hugging Face Hub


def _hub_env(hub: FakeHub, home: Path, token: str = TOKEN) -> dict[str, str]:
    return {"HF_ENDPOINT": hub.url, "HF_TOKEN": token, "HF_HOME": str(home), "HF_HUB_VERBOSITY": "debug",
            "HF_HUB_DISABLE_TELEMETRY": "1"}  # fmt: skip


def test_publish_to_the_hub_through_huggingface_hub(built, tmp_path):
    runs = []
    with FakeHub(TOKEN) as hub:
        env = _hub_env(hub, tmp_path / "hf")
        target = f"hf://datasets/{REPO}"
        runs.append(blogarchive("publish", str(built.v1), "--to", target, env=env))
        assert "as tag v1.0.0" in runs[-1].stdout
        commits = len(hub.commits(REPO))
        runs.append(blogarchive("publish", str(built.v1), "--to", target, env=env))
        assert "nothing changed" in runs[-1].stdout and len(hub.commits(REPO)) == commits
        runs.append(blogarchive("publish", str(built.v2), "--to", target, env=env))

        v3 = tmp_path / "v3"  # the same posts again: only the card, manifest and changelog differ
        runs.append(blogarchive(*map(str, _v2_args(built, "1.2.0", v3, target)), env=env))
        assert "since 1.1.0: 0 added, 0 changed, 0 removed, 10 unchanged" in runs[-1].stdout
        runs.append(blogarchive("publish", str(v3), "--to", target, env=env))
        assert set(hub.commits(REPO)[-1].uploaded) == {"README.md", "manifest.json", "CHANGELOG.md"}

        no_token = blogarchive("publish", str(v3), "--to", "hf://datasets/me/other",
                               env=_hub_env(hub, tmp_path / "empty-home", token=""), check=False)  # fmt: skip
        assert no_token.returncode == 2 and "no Hugging Face token" in no_token.stderr
        assert "Traceback" not in no_token.stderr

        repo = hub.repos[REPO]
        assert set(repo.tags) == {"v1.0.0", "v1.1.0", "v1.2.0"}
        for tag, snapshot in (("v1.0.0", built.v1), ("v1.1.0", built.v2), ("v1.2.0", v3)):
            files = {p: d for p, d in hub.files_at(REPO, tag).items() if p != ".gitattributes"}
            assert files == {p: (snapshot / p).read_bytes() for p in tree_digest(snapshot)}
        assert any(re.fullmatch(r"data/tumblr/train-00000-of-00001-[0-9a-f]{16}\.parquet", p)
                   for p in hub.files_at(REPO, "v1.0.0"))  # fmt: skip
        assert not any(p.startswith("data/tumblr/") for p in hub.files_at(REPO, "main"))
        assert all(r.authorized for r in hub.requests if r.method == "POST")
        assert any("/tag/" in r.path for r in hub.requests)

    shown = "".join(r.stdout + r.stderr for r in [*runs, no_token])
    assert "Request" in shown  # debug logging was on, so the check below means something
    assert TOKEN not in shown
    assert not any(TOKEN.encode() in p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())

"""A loopback fake of the Hugging Face Hub: the routes huggingface_hub calls to publish and read a dataset.

Routes (as huggingface_hub 2.x sends them):

- ``POST /api/repos/create`` (create_repo): 409 when the repo exists.
- ``GET  /api/datasets/<repo>/refs`` (list_repo_refs), ``.../revision/<rev>`` (repo_info),
  ``.../tree/<rev>[/<path>]`` (list_repo_tree, list_repo_files).
- ``POST /api/datasets/<repo>/preupload/<rev>``: every file is "regular" (sent inline in the
  commit), with the remote git blob id so that unchanged files are skipped by the client.
- ``POST /api/datasets/<repo>/commit/<rev>``: the ndjson commit (header, file, deletedFile,
  deletedFolder).
- ``POST /api/datasets/<repo>/tag/<rev>`` (create_tag): 409 when the tag exists.
- ``HEAD|GET /datasets/<repo>/resolve/<rev>/<path>`` (hf_hub_download).
- ``POST /api/validate-yaml`` (upload_folder checks README.md first): the front matter must
  parse, and every config must have a name and data files.
- ``GET  /api/agent-harnesses`` (the client's user-agent registry): empty.

Writes need ``Authorization: Bearer <token>``. Every request is recorded (method, path,
whether it was authorized, body size), never the token itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

_API = re.compile(
    r"^/api/datasets/(?P<repo>[^/]+/[^/]+)/(?P<op>refs|revision|tree|preupload|commit|tag)(?:/(?P<rest>.*))?$"
)
_RESOLVE = re.compile(r"^/datasets/(?P<repo>[^/]+/[^/]+)/resolve/(?P<rev>[^/]+)/(?P<path>.+)$")
GITATTRIBUTES = b"*.parquet filter=lfs diff=lfs merge=lfs -text\n"


def git_blob_id(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


@dataclass
class Commit:
    oid: str
    summary: str
    files: dict[str, bytes]
    uploaded: dict[str, int]  # path -> bytes sent in this commit
    deleted: list[str]


@dataclass
class Repo:
    private: bool
    commits: dict[str, Commit] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    tags: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # name -> (oid, message)

    def resolve(self, revision: str) -> Commit | None:
        oid = self.branches.get(revision) or (self.tags.get(revision) or (None,))[0] or revision
        return self.commits.get(oid)


@dataclass
class Recorded:
    method: str
    path: str
    authorized: bool
    body_bytes: int


class FakeHub:
    """Start with ``with FakeHub(token) as hub:``; point HF_ENDPOINT at ``hub.url``."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.repos: dict[str, Repo] = {}
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeHub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def files_at(self, repo_id: str, revision: str) -> dict[str, bytes]:
        commit = self.repos[repo_id].resolve(revision)
        return dict(commit.files) if commit else {}

    def commits(self, repo_id: str) -> list[Commit]:
        return list(self.repos[repo_id].commits.values())

    # ------------------------------------------------------------ state changes (under the lock)

    def create(self, repo_id: str, private: bool) -> bool:
        if repo_id in self.repos:
            return False
        repo = Repo(private=private)
        self.repos[repo_id] = repo
        self.commit(repo, "main", "initial commit", {".gitattributes": GITATTRIBUTES}, [], [])
        return True

    def commit(self, repo: Repo, branch: str, summary: str, added: dict[str, bytes], deleted: list[str],
               folders: list[str]) -> Commit:  # fmt: skip
        parent = repo.resolve(branch)
        files = dict(parent.files) if parent else {}
        for path in deleted:
            files.pop(path, None)
        for folder in folders:
            files = {p: d for p, d in files.items() if not p.startswith(folder.rstrip("/") + "/")}
        files.update(added)
        seed = json.dumps(
            [parent.oid if parent else None, summary, sorted((p, git_blob_id(d)) for p, d in files.items())]
        )
        commit = Commit(hashlib.sha1(seed.encode()).hexdigest(), summary, files, {p: len(d) for p, d in added.items()},
                        deleted + folders)  # fmt: skip
        repo.commits[commit.oid] = commit
        repo.branches[branch] = commit.oid
        return commit


def _handler_for(hub: FakeHub) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read hub.requests
            return

        def do_GET(self) -> None:
            self._dispatch()

        def do_HEAD(self) -> None:
            self._dispatch()

        def do_POST(self) -> None:
            self._dispatch()

        # -------------------------------------------------------- plumbing

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                chunks = []
                while size := int(self.rfile.readline().strip() or b"0", 16):
                    chunks.append(self.rfile.read(size))
                    self.rfile.readline()
                self.rfile.readline()
                return b"".join(chunks)
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _json(self, status: int, document: Any, error_code: str | None = None) -> None:
            headers = {"Content-Type": "application/json"}
            if error_code:
                headers["X-Error-Code"] = error_code
            self._send(status, json.dumps(document).encode(), headers)

        def _error(self, status: int, message: str, code: str | None = None) -> None:
            self._json(status, {"error": message}, code)

        def _dispatch(self) -> None:
            url = urlsplit(self.path)
            body = self._body() if self.command == "POST" else b""
            authorized = self.headers.get("Authorization") == f"Bearer {hub.token}"
            with hub.lock:
                hub.requests.append(Recorded(self.command, url.path, authorized, len(body)))
                if self.command == "POST" and not authorized:
                    return self._error(401, "Invalid credentials in Authorization header")
                if url.path == "/api/repos/create" and self.command == "POST":
                    return self._create(json.loads(body))
                if url.path == "/api/validate-yaml" and self.command == "POST":
                    return self._validate_yaml(json.loads(body)["content"])
                if url.path == "/api/agent-harnesses":
                    return self._json(200, {"standardEnvVars": [], "harnesses": {}})
                if match := _API.match(url.path):
                    return self._api(
                        match["repo"], match["op"], unquote(match["rest"] or ""), body, parse_qs(url.query)
                    )
                if (match := _RESOLVE.match(url.path)) and self.command in ("GET", "HEAD"):
                    return self._resolve(match["repo"], unquote(match["rev"]), unquote(match["path"]))
                return self._error(404, f"no route {self.command} {url.path}")

        # -------------------------------------------------------- routes

        def _create(self, payload: dict[str, Any]) -> None:
            repo_id = f"{payload['organization']}/{payload['name']}"
            if payload.get("type") != "dataset":
                return self._error(400, "this fake hub only hosts datasets")
            if not hub.create(repo_id, payload.get("visibility") == "private"):
                return self._json(
                    409,
                    {
                        "error": "You already created this dataset repo",
                        "url": f"{hub.url}/datasets/{repo_id}",
                    },
                )
            self._json(200, {"url": f"{hub.url}/datasets/{repo_id}", "name": repo_id})

        def _validate_yaml(self, content: str) -> None:
            try:
                meta = yaml.safe_load(content.split("---\n", 2)[1]) if content.startswith("---\n") else None
            except yaml.YAMLError as exc:
                return self._json(400, {"errors": [{"message": f"YAML does not parse: {exc}"}]})
            configs = meta.get("configs", []) if isinstance(meta, dict) else None
            if configs is None or not all(c.get("config_name") and c.get("data_files") for c in configs):
                return self._json(400, {"errors": [{"message": "front matter missing or configs malformed"}]})
            self._json(200, {"errors": [], "warnings": []})

        def _api(self, repo_id: str, op: str, rest: str, body: bytes, query: dict[str, list[str]]) -> None:
            repo = hub.repos.get(repo_id)
            if repo is None:
                return self._error(404, "Repository not found", "RepoNotFound")
            revision, _, subpath = rest.partition("/")
            if op == "refs":
                return self._json(200, {
                    "branches": [{"name": n, "ref": f"refs/heads/{n}", "targetCommit": o} for n, o in repo.branches.items()],
                    "tags": [{"name": n, "ref": f"refs/tags/{n}", "targetCommit": o} for n, (o, _) in repo.tags.items()],
                    "converts": [], "pullRequests": [],
                })  # fmt: skip
            commit = repo.resolve(revision)
            if commit is None:
                return self._error(404, f"Invalid rev id: {revision}", "RevisionNotFound")
            if op == "revision":
                return self._json(200, {"id": repo_id, "sha": commit.oid, "private": repo.private,
                                        "siblings": [{"rfilename": p} for p in sorted(commit.files)]})  # fmt: skip
            if op == "tree":
                prefix = subpath.rstrip("/") + "/" if subpath else ""
                return self._json(200, [{"type": "file", "path": p, "size": len(d), "oid": git_blob_id(d)}
                                        for p, d in sorted(commit.files.items()) if p.startswith(prefix)])  # fmt: skip
            if op == "preupload":
                files = json.loads(body)["files"]
                return self._json(200, {"files": [
                    {"path": f["path"], "uploadMode": "regular", "shouldIgnore": False,
                     "oid": git_blob_id(commit.files[f["path"]]) if f["path"] in commit.files else None}
                    for f in files]})  # fmt: skip
            if op == "commit":
                return self._commit(repo, repo_id, revision, body)
            return self._tag(repo, commit, json.loads(body))

        def _commit(self, repo: Repo, repo_id: str, branch: str, body: bytes) -> None:
            summary, added, deleted, folders = "", {}, [], []
            for line in body.splitlines():
                item = json.loads(line)
                value = item["value"]
                if item["key"] == "header":
                    summary = value["summary"]
                elif item["key"] == "file":
                    added[value["path"]] = base64.b64decode(value["content"])
                elif item["key"] == "deletedFile":
                    deleted.append(value["path"])
                elif item["key"] == "deletedFolder":
                    folders.append(value["path"])
                else:
                    return self._error(400, f"unsupported commit operation {item['key']}")
            commit = hub.commit(repo, branch, summary, added, deleted, folders)
            self._json(200, {"commitUrl": f"{hub.url}/datasets/{repo_id}/commit/{commit.oid}",
                             "commitOid": commit.oid, "pullRequestUrl": None})  # fmt: skip

        def _tag(self, repo: Repo, commit: Commit, payload: dict[str, Any]) -> None:
            if payload["tag"] in repo.tags:
                return self._error(409, f"tag {payload['tag']} already exists")
            repo.tags[payload["tag"]] = (commit.oid, payload.get("message"))
            self._json(200, {})

        def _resolve(self, repo_id: str, revision: str, path: str) -> None:
            repo = hub.repos.get(repo_id)
            if repo is None:
                return self._error(404, "Repository not found", "RepoNotFound")
            commit = repo.resolve(revision)
            if commit is None:
                return self._error(404, f"Invalid rev id: {revision}", "RevisionNotFound")
            if path not in commit.files:
                return self._error(404, f"{path} does not exist", "EntryNotFound")
            data = commit.files[path]
            self._send(200, data, {"X-Repo-Commit": commit.oid, "ETag": f'"{git_blob_id(data)}"',
                                   "Content-Type": "application/octet-stream"})  # fmt: skip

    return Handler

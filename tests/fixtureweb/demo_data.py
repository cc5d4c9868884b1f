"""Record the demo's slim blogs from the fixture web: ``python -m tests.fixtureweb.demo_data``.

``blogarchive demo`` ships no fixture web (it is test code): it serves the pages a crawl of
four plain fixture blogs (no fault pages, no Wayback) asked for, recorded here into
``crawler/demo/data/<platform>.json.gz`` with each blog's posts (path and title). Run again
when a fixture site or the crawl's requests change; ``tests/e2e/test_demo.py`` fails until then.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import re
import tempfile
import threading
from pathlib import Path
from typing import Any

from crawler import api
from crawler.commands.demo import FAST
from crawler.demo import HOST, HOST_QUOTED
from crawler.demo import SITES as PLATFORMS
from tests.fixtureweb.base import FixtureSite, Reply, make_site
from tests.fixtureweb.server import start

PORTED = re.compile(rb"127\.0\.0\.1(?::|%3A|%253A)\d+", re.IGNORECASE)
DATA = Path(__file__).resolve().parents[2] / "crawler" / "demo" / "data"
# The four plain blogs, small: the demo shows each platform, not the crawler's speed.
SPECS = {
    "blogspot": {"posts": 12, "seed": 3},
    "canalblog": {"posts": 12, "seed": 4},
    "typepad": {"posts": 12},
    "tumblr": {"posts": 12},
}
# The demo's own settings, so that the crawl asks for what the demo will be asked for.
SETTINGS = dict(pair.split("=", 1) for pair in FAST)


class Recorder:
    """Wraps a fixture site: answers as it does and keeps every reply by request path."""

    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.replies: dict[str, Reply] = {}
        self.lock = threading.Lock()

    def handle(self, path: str, headers: dict[str, str]) -> Reply:
        reply = self.site.handle(path, headers)
        if reply.fault or reply.repeat != 1:
            raise ValueError(f"{path}: a fault page has no place in the demo's plain blogs")
        with self.lock:  # a copy: the server adds its ETag (of port-dependent bytes) to the reply's headers
            self.replies[path] = Reply(reply.status, reply.body, list(reply.headers))
        return reply


def placeholders(data: bytes, authority: str) -> bytes:
    """The blog's ``127.0.0.1:PORT`` (plain or percent-encoded) replaced by the demo's placeholders."""
    data = data.replace(authority.encode(), HOST.encode())
    return data.replace(authority.replace(":", "%3A").encode(), HOST_QUOTED.encode())


def page_record(reply: Reply, authority: str) -> dict[str, Any]:
    body = placeholders(reply.body, authority)
    if left := PORTED.search(body):  # a bare 127.0.0.1 (a host name) is right on any port
        raise ValueError(f"a port left in a recorded page, add its encoding to placeholders(): {left[0]!r}")
    headers = [[name, placeholders(value.encode(), authority).decode()] for name, value in reply.headers]
    try:
        return {"status": reply.status, "headers": headers, "text": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"status": reply.status, "headers": headers, "base64": base64.b64encode(body).decode()}


def record(out: Path) -> None:
    sites = {name: make_site(name, **options) for name, options in SPECS.items()}
    recorders = {name: Recorder(site) for name, site in sites.items()}
    servers = start(list(recorders.values()))  # type: ignore[arg-type]  # duck-typed site
    for recorder, site in zip(recorders.values(), sites.values(), strict=True):
        site.base_url = recorder.base_url  # type: ignore[attr-defined]  # set by start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            api.crawl([site.base_url for site in sites.values()], Path(tmp) / "out", settings=SETTINGS)
    finally:
        for server in servers:
            server.shutdown()
    out.mkdir(parents=True, exist_ok=True)
    for name, recorder in recorders.items():
        authority = sites[name].base_url.removeprefix("http://")
        blog = {
            "platform": name,
            "posts": [{"path": post.path, "title": post.title} for post in sites[name].expected()],
            "pages": {
                placeholders(path.encode(), authority).decode(): page_record(reply, authority)
                for path, reply in sorted(recorder.replies.items())
            },
        }
        text = json.dumps(blog, ensure_ascii=False, sort_keys=True, indent=0).encode("utf-8")
        (out / f"{name}.json.gz").write_bytes(gzip.compress(text, compresslevel=9, mtime=0))
        print(f"{name}: {len(blog['posts'])} posts, {len(blog['pages'])} pages")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.fixtureweb.demo_data", description=__doc__)
    parser.add_argument("--out", type=Path, default=DATA, help=f"default: {DATA}")
    args = parser.parse_args(argv)
    if set(SPECS) != set(PLATFORMS):
        raise SystemExit(f"the demo serves {PLATFORMS}, the recorder records {tuple(SPECS)}")
    record(args.out)


if __name__ == "__main__":
    main()

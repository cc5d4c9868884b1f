"""The demo's four plain blogs, served on 127.0.0.1 from recorded pages (``data/*.json.gz``).

Each file holds one small synthetic blog (``tests/fixtureweb`` made it, and
``python -m tests.fixtureweb.demo_data`` records it again): its posts (path and title) and
every page a crawl of it asks for, by request path, with the blog's own address written as
:data:`HOST` (percent-encoded: :data:`HOST_QUOTED`) so it can be served on any port.
Anything else is a 404, as a blog host answers a page it does not have.
"""

from __future__ import annotations

import base64
import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any

SITES = ("blogspot", "canalblog", "typepad", "tumblr")
HOST = "{demo-host}"
HOST_QUOTED = "{demo-host-quoted}"
NOT_FOUND = b"<html><body><h1>Not found</h1></body></html>"


@dataclass(frozen=True)
class Page:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


@dataclass
class DemoBlog:
    """One recorded blog: its platform, posts (``{"path", "title"}``) and pages by request path."""

    platform: str
    posts: list[dict[str, str]]
    pages: dict[str, Page]
    url: str = ""  # set once it is served


def load(platform: str, authority: str) -> DemoBlog:
    """The recorded blog of ``platform`` with its address ``authority`` (``127.0.0.1:PORT``)."""
    raw = json.loads(
        gzip.decompress(resources.files(__package__).joinpath(f"data/{platform}.json.gz").read_bytes())
    )

    def fill(text: str) -> str:
        return text.replace(HOST, authority).replace(HOST_QUOTED, authority.replace(":", "%3A"))

    pages = {fill(path): _page(record, fill) for path, record in raw["pages"].items()}
    return DemoBlog(raw["platform"], raw["posts"], pages)


def _page(record: dict[str, Any], fill: Any) -> Page:
    body = fill(record["text"]).encode("utf-8") if "text" in record else base64.b64decode(record["base64"])
    return Page(record["status"], tuple((name, fill(value)) for name, value in record["headers"]), body)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    blog: DemoBlog

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        page = self.blog.pages.get(self.path) or Page(
            404, (("Content-Type", "text/html; charset=utf-8"),), NOT_FOUND
        )
        self.send_response(page.status)
        for name, value in page.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:  # the demo prints its own summary
        return


@contextmanager
def serve(platforms: tuple[str, ...] = SITES) -> Iterator[list[DemoBlog]]:
    """Serve each recorded blog on its own 127.0.0.1 port in daemon threads until the block ends."""
    servers, blogs = [], []
    try:
        for platform in platforms:
            server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
            server.daemon_threads = True
            authority = f"127.0.0.1:{server.server_address[1]}"
            blog = load(platform, authority)
            blog.url = f"http://{authority}"
            server.RequestHandlerClass = type("Handler", (_Handler,), {"blog": blog})
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            blogs.append(blog)
        yield blogs
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()

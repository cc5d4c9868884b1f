"""Serve fixture sites on 127.0.0.1, one port per site, in threads or a subprocess.

``python -m tests.fixtureweb.server SPEC...`` where SPEC is ``name`` or
``name:key=value,key=value`` (e.g. ``blogspot:posts=40,feeds=0``) prints one JSON line
``{"sites": [{"name": ..., "url": ...}, ...]}`` once every site listens, then serves
until killed or until its standard input closes.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import pkgutil
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from tests.fixtureweb import sites as fixture_sites
from tests.fixtureweb.base import FixtureSite, Reply, make_site

ROOT = Path(__file__).resolve().parents[2]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: FixtureSite

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._answer(send_body=True)

    def _answer(self, send_body: bool) -> None:
        try:
            reply = self.site.handle(self.path, {k.lower(): v for k, v in self.headers.items()})
        except Exception as exc:  # a fixture bug shows as a 500, as a broken server would
            reply = Reply.html(f"<html><body>fixture error: {exc!r}</body></html>", status=500)
        body = reply.body
        names = {name.lower() for name, _ in reply.headers}
        if reply.status == 200 and "etag" not in names:
            # Conditional GET, as real blog hosts answer it: incremental re-crawls rely on it.
            etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
            reply.headers.append(("ETag", etag))
            names.add("etag")
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if reply.fault == "no-length":
            self.send_header("Connection", "close")
            self.close_connection = True
        elif "content-length" not in names:
            self.send_header("Content-Length", str(len(body) * reply.repeat))
        self.end_headers()
        if not send_body:
            return
        if reply.fault == "reset":
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
            self.close_connection = True
            return
        try:
            for _ in range(reply.repeat):
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (e.g. its size limit)
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read stats, not logs
        return


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A crawler killed mid-request (the resume tests do it on purpose) resets its
        # connections: that is the client's business, not a fixture failure to print.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def start(sites: list[FixtureSite], host: str = "127.0.0.1", ports: list[int] | None = None) -> list[_Server]:
    """Bind each site to its own port on ``host`` (0: any free port) and serve in daemon threads."""
    servers = []
    for site, port in zip(sites, ports or [0] * len(sites), strict=True):
        handler = type("Handler", (_Handler,), {"site": site})
        server = _Server((host, port), handler)
        port = server.server_address[1]
        site.base_url = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
    return servers


def parse_spec(spec: str) -> tuple[str, dict[str, Any]]:
    """``name:key=value,...`` -> (name, options) with ints and bools converted."""
    name, _, rest = spec.partition(":")
    options: dict[str, Any] = {}
    for pair in filter(None, rest.split(",")):
        key, _, value = pair.partition("=")
        options[key] = int(value) if value.lstrip("-").isdigit() else value
    return name, options


class FixtureWeb:
    """The fixture web in a subprocess (its own GIL, as a real server would have)."""

    def __init__(self, *specs: str) -> None:
        self.specs = specs
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.fixtureweb.server", "--until-stdin-closes", *specs],
            cwd=ROOT,  # ``-m tests...`` needs the checkout on the path, wherever pytest runs
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if not line:
            self.proc.kill()
            raise RuntimeError("the fixture web did not start")
        self.urls: list[str] = [site["url"] for site in json.loads(line)["sites"]]

    def site(self, index: int = 0) -> FixtureSite:
        """The same site built in-process (deterministic), with its ground truth."""
        name, options = parse_spec(self.specs[index])
        options.pop("port", None)
        site = make_site(name, **options)
        site.base_url = self.urls[index]
        return site

    def close(self) -> None:
        if self.proc.poll() is None:
            if self.proc.stdin:
                self.proc.stdin.close()
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def __enter__(self) -> FixtureWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fixtureweb.server",
        description="Serve synthetic blogs on 127.0.0.1 (offline tests and benchmarks); prints their URLs "
        "as one JSON line, then serves until Ctrl-C.",
    )
    sites = sorted(m.name for m in pkgutil.iter_modules(fixture_sites.__path__))
    parser.add_argument(
        "specs",
        nargs="*",
        default=["blogspot"],
        metavar="SITE[:OPTION=VALUE,...]",
        help=f"sites: {', '.join(sites)}; e.g. canalblog:posts=30,seed=5,port=8001 (default: blogspot)",
    )
    parser.add_argument(
        "--until-stdin-closes", action="store_true", help="stop when stdin closes (for a parent process)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    specs = args.specs
    sites, ports = [], []
    for name, options in map(parse_spec, specs):
        # A fixed port (``port=N``) lets a test serve a changed blog at the same URL.
        ports.append(int(options.pop("port", 0)))
        sites.append(make_site(name, **options))
    start(sites, ports=ports)
    print(
        json.dumps({"sites": [{"name": spec, "url": site.base_url} for spec, site in zip(specs, sites)]}),
        flush=True,
    )
    if args.until_stdin_closes:
        sys.stdin.read()  # serve until the parent closes our stdin (or kills us)
        return
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the normal way to stop
        threading.Event().wait()


if __name__ == "__main__":
    main()

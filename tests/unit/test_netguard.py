"""The no-internet guard holds in the subprocesses the tests start, not only in the test process."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.helpers import ROOT
from tests.netguard.blogarchive_netguard import is_local


def python(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter with the environment every test subprocess inherits."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "call",
    [
        "socket.getaddrinfo('example.com', 80)",
        "socket.gethostbyname('example.com')",
        "socket.gethostbyname_ex('example.com')",
        "socket.create_connection(('192.0.2.1', 80), timeout=5)",
        "socket.socket().connect_ex(('192.0.2.1', 80))",
        "socket.socket(socket.AF_INET6).connect(('2001:db8::1', 80, 0, 0))",
    ],
)
def test_a_subprocess_cannot_reach_the_internet(call):
    result = python(f"import socket\n{call}\nprint('reached')")
    assert result.returncode != 0 and "reached" not in result.stdout
    assert "tests stay on loopback" in result.stderr


def test_a_subprocess_reaches_the_loopback():
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        result = python(
            "import socket\n"
            f"socket.create_connection(('127.0.0.1', {port}), timeout=5).close()\n"
            f"socket.create_connection(('localhost', {port}), timeout=5).close()\n"
            "print('reached')"
        )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "reached"


def test_the_cli_subprocess_loads_the_guard():
    """``python -m crawler.cli`` (tests/helpers.py) starts an interpreter that has installed the guard."""
    result = python("import sys, blogarchive_netguard, socket; print(socket.getaddrinfo.__module__)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "blogarchive_netguard"


@pytest.mark.parametrize(
    ("host", "local"),
    [("127.0.0.1", True), ("127.9.9.9", True), ("::1", True), ("[::1]", True), ("::ffff:127.0.0.1", True),
     ("localhost", True), ("blog.localhost", True), ("0.0.0.0", True), (None, True), (b"127.0.0.1", True),
     ("example.com", False), ("10.0.0.1", False), ("192.0.2.1", False), ("2001:db8::1", False),
     ("127.0.0.1.example.com", False), ("localhost.example.com", False)],
)  # fmt: skip
def test_what_is_local(host, local):
    assert is_local(host) is local

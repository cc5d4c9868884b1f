"""Shared fixtures: the fixture web on loopback, and a guard against real network use."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tests.helpers import FixtureWeb
from tests.netguard import blogarchive_netguard

NETGUARD_DIR = Path(__file__).parent / "netguard"
# Every Python subprocess a test starts (the CLI, workers, the fixture web server) runs
# tests/netguard/sitecustomize.py first: connections and name lookups stay on the loopback.
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NETGUARD_DIR), os.environ.get("PYTHONPATH")]))


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """Tests never touch the internet: connecting to a non-loopback address fails loudly."""

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and not blogarchive_netguard.is_local(host):
            raise OSError(f"test tried to reach {host}: tests stay on loopback")
        return blogarchive_netguard.real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def fixture_web():
    """Factory: ``fixture_web("blogspot:posts=40", "canalblog")`` -> a started FixtureWeb."""
    started: list[FixtureWeb] = []

    def start(*specs: str) -> FixtureWeb:
        web = FixtureWeb(*specs)
        started.append(web)
        return web

    yield start
    for web in started:
        web.close()

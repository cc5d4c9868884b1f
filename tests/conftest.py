"""Shared fixtures: the fixture web on loopback, and a guard against real network use."""

from __future__ import annotations

import socket

import pytest

from tests.helpers import FixtureWeb

_LOOPBACK = ("127.", "::1", "localhost")


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch):
    """Tests never touch the internet: connecting to a non-loopback address fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else str(address)
        if self.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(_LOOPBACK):
            raise OSError(f"test tried to reach {host}: tests stay on loopback")
        return real_connect(self, address)

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

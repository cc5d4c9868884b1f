"""No internet from a test's Python: connections and name lookups stay on the loopback.

``install()`` replaces ``socket.socket.connect``/``connect_ex`` (an IPv4/IPv6 address that is not
loopback raises ``OSError``) and ``socket.getaddrinfo``/``gethostbyname``/``gethostbyname_ex`` (a
name that is not local raises ``socket.gaierror``), so a test that would reach the network fails
loudly instead of depending on it. The pytest process installs it through ``tests/conftest.py``;
every Python subprocess the tests start (the CLI, workers, the fixture web) installs it through
``sitecustomize.py`` beside this file, which ``tests/conftest.py`` puts first on ``PYTHONPATH``.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", ""})
_real = {
    "connect": socket.socket.connect,
    "connect_ex": socket.socket.connect_ex,
    "getaddrinfo": socket.getaddrinfo,
    "gethostbyname": socket.gethostbyname,
    "gethostbyname_ex": socket.gethostbyname_ex,
}


def is_local(host: Any) -> bool:
    """True for loopback addresses, the unspecified address and the local host's names."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    name = str(host).strip().strip("[]").lower()
    if name in LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback or address.is_unspecified


def real_connect(sock: socket.socket, address: Any) -> None:
    """The unguarded ``socket.connect`` (for guards that wrap it themselves)."""
    return _real["connect"](sock, address)


def _refuse(host: Any) -> OSError:
    return OSError(f"test tried to reach {host!r}: tests stay on loopback")


def _guarded_connect(self: socket.socket, address: Any) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
        raise _refuse(address[0])
    return _real["connect"](self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> int:
    if self.family in (socket.AF_INET, socket.AF_INET6) and not is_local(address[0]):
        raise _refuse(address[0])
    return _real["connect_ex"](self, address)


def _lookup(name: str):
    real = _real[name]

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not is_local(host):
            raise socket.gaierror(
                socket.EAI_NONAME, f"test tried to resolve {host!r}: tests stay on loopback"
            )
        return real(host, *args, **kwargs)

    guarded.__name__ = name
    return guarded


def install() -> None:
    """Guard this process (idempotent)."""
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
        setattr(socket, name, _lookup(name))

"""The parser registry: each platform of ``schemas.post.PLATFORMS`` has its module
``crawler.parsers.<platform>``, and they share one contract.

See ``crawler.parsers.base`` for the contract every platform module follows.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from schemas.platforms import PLATFORMS

__all__ = ["PLATFORMS", "get_parser"]


def get_parser(platform: str) -> ModuleType:
    """The parser module of ``platform``; ``ValueError`` for an unknown name."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}; supported: {', '.join(PLATFORMS)}")
    return importlib.import_module(f"crawler.parsers.{platform}")

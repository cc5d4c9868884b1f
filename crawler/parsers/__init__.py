"""The one registry of platforms: ``crawler.parsers.<platform>`` modules share one contract.

See ``crawler.parsers.base`` for the contract every platform module follows.
"""

from __future__ import annotations

import importlib
from types import ModuleType

PLATFORMS = ("blogspot", "canalblog", "typepad", "tumblr")


def get_parser(platform: str) -> ModuleType:
    """The parser module of ``platform``; ``ValueError`` for an unknown name."""
    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}; supported: {', '.join(PLATFORMS)}")
    return importlib.import_module(f"crawler.parsers.{platform}")

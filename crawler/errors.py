"""Errors a user can cause: the CLI prints them in one line and exits non-zero."""

from __future__ import annotations


class UserError(Exception):
    """A bad argument, path or environment; the message says what to do."""


def require(module: str, extra: str, purpose: str) -> None:
    """Raise a one-line ``UserError`` naming the pip extra when ``module`` is not installed."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise UserError(
            f"{purpose} needs {module}, which is not installed: pip install 'blogarchive[{extra}]'"
        )

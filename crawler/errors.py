"""Errors a user can cause: the CLI prints them in one line and exits non-zero."""

from __future__ import annotations


class UserError(Exception):
    """A bad argument, path or environment; the message says what to do."""

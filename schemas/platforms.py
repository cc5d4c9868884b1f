"""The platforms blogarchive knows: the one list (the `platform` column's values, parser names).

Kept apart from ``schemas.post`` so that what needs only the names (the command line's
choices) does not import pyarrow.
"""

from __future__ import annotations

PLATFORMS = ("blogspot", "canalblog", "typepad", "tumblr")

"""What a crawl's parse workers need, loaded by their fork server before any worker forks.

Named in :data:`crawler.parse_server.PRELOAD`: importing this module loads every platform's
parser and langdetect's profiles (0.13 s and 0.13 s of CPU in a fresh process), so each
worker inherits them ready instead of paying for them at its first pages, and the first
post's row is not held up by them. ``gc.freeze`` then moves what is loaded out of the
collector's reach: a worker's collections neither walk it nor touch its pages, which
stay shared with the server.
"""

from __future__ import annotations

import gc

from crawler.parsers import PLATFORMS, get_parser
from pipelines.language import detect_language

WARM_TEXT = "Le chat dort sur la table de la cuisine pendant que nous préparons le repas du soir."

for _platform in PLATFORMS:
    get_parser(_platform)
detect_language(WARM_TEXT)
gc.freeze()

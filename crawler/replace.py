"""Atomic directory replaces: build aside, swap in, and clean up what a killed process left.

A directory ``D`` is built as ``.D.tmp-<pid>`` beside it, then swapped in: the old ``D``
renamed to ``.D.old-<pid>``, the new one renamed to ``D``, the old one deleted. At every
instant ``D`` is whole (old or new) or, for the instant between the two renames, absent
with ``.D.old-<pid>`` whole beside it; :func:`clean_stale` puts that one back and removes
the temp folders of dead processes.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

logger = logging.getLogger(__name__)

_SIBLING = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<pid>\d+)$")


def work_path(dest: Path) -> Path:
    """Where this process builds the new ``dest``."""
    return dest.with_name(f".{dest.name}.tmp-{os.getpid()}")


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def clean_stale(dest: Path) -> list[Path]:
    """Leftovers of killed replaces of ``dest``: an old copy put back if ``dest`` is gone, temp folders removed."""
    if not dest.parent.is_dir():
        return []
    cleaned = []
    for sibling in sorted(dest.parent.iterdir()):
        match = _SIBLING.match(sibling.name)
        if (
            not match
            or match["name"] != dest.name
            or int(match["pid"]) == os.getpid()
            or pid_alive(int(match["pid"]))
        ):
            continue
        if match["kind"] == "old" and not os.path.lexists(dest):
            os.replace(sibling, dest)
            logger.warning("%s: a replace was interrupted; the previous version is back", dest)
        else:
            _remove(sibling)
            logger.info("removed %s, left by a killed process", sibling)
        cleaned.append(sibling)
    return cleaned


def swap_in(work: Path, dest: Path) -> None:
    """Replace ``dest`` (a directory or a symlink, or nothing) by ``work``: the new one in before the old one goes."""
    if not os.path.lexists(dest):
        os.replace(work, dest)
        return
    if dest.is_symlink() and work.is_symlink():
        os.replace(work, dest)  # one atomic step for links
        return
    aside = dest.with_name(f".{dest.name}.old-{os.getpid()}")
    os.replace(dest, aside)
    os.replace(work, dest)
    _remove(aside)

"""WACZ inputs of a build: what browsertrix-crawler and ArchiveWeb.page save, a zip whose ``archive/``
folder holds the WARCs (beside its indexes, page list and logs).

A build reads the WARCs of a WACZ as it reads any other: copied out of the zip into a scratch folder
of the output (the readers seek in their files, and a revisit is resolved by reading its file again),
removed when the build ends. A zip that cannot be read, and a member that cannot, are counted
(``warc/unreadable``) and logged; the other inputs are built.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from crawler.warc_read import is_archive_name

logger = logging.getLogger(__name__)
WACZ_SUFFIX = ".wacz"
# What zipfile raises on a damaged zip or member (NotImplementedError: a compression it cannot read).
_UNREADABLE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError)


def is_wacz(path: Path) -> bool:
    """Whether an input is a WACZ: by its name (one cut short is no zip any more), else by its bytes."""
    return path.is_file() and (path.name.lower().endswith(WACZ_SUFFIX) or zipfile.is_zipfile(path))


@contextlib.contextmanager
def unpacked(files: list[Path], scratch: Path, counters: Counter[str]) -> Iterator[dict[Path, str]]:
    """``files`` with each WACZ replaced by the WARCs of its ``archive/`` folder, copied under ``scratch``
    (``scratch/<input>/<member>/<name>``: in input order, under the names the WACZ gives them), which is
    removed afterwards — and first, if a build killed before left it. Each file comes with where its
    records stay once the copies are gone: its own path, or ``<the WACZ>#<its member>`` (:func:`open_warc`)."""
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        found: dict[Path, str] = {}
        for number, path in enumerate(files):
            if is_wacz(path):
                found |= _warcs_of(path, scratch / f"{number:06d}", counters)
            else:
                found[path] = str(path.resolve())
        yield found
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def open_warc(location: str) -> Iterator[BinaryIO]:
    """A WARC by where :func:`unpacked` said its records stay: a file, or a member of a WACZ (seekable)."""
    wacz, _, member = location.rpartition("#")
    if not wacz.lower().endswith(WACZ_SUFFIX) or not Path(wacz).is_file():
        with open(location, "rb") as stream:
            yield stream
        return
    with zipfile.ZipFile(wacz) as archive, archive.open(member) as stream:
        yield stream


def _warcs_of(path: Path, into: Path, counters: Counter[str]) -> dict[Path, str]:
    """The WARCs of one WACZ, copied under ``into``, and their members; none when the zip cannot be read (counted)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if is_warc_member(info.filename)]
            if not members:
                counters["warc/wacz_without_warc"] += 1
                logger.warning("%s: a zip with no WARC in its archive/ folder: nothing read from it", path)
            return {
                target: f"{path.resolve()}#{info.filename}"
                for number, info in enumerate(members)
                if (target := _copy(archive, info, into / f"{number:06d}", path, counters)) is not None
            }
    except _UNREADABLE as exc:  # no central directory (a download cut short), a bad header
        counters["warc/unreadable"] += 1
        logger.warning("%s: stopped reading an unreadable WACZ (%s)", path, exc)
        return {}


def is_warc_member(name: str) -> bool:
    """A WARC in the WACZ's ``archive/`` folder (its name only is kept: no path from the zip is trusted)."""
    parts = PurePosixPath(name).parts
    return len(parts) >= 2 and parts[0] == "archive" and is_archive_name(parts[-1])


def _copy(archive: zipfile.ZipFile, info: zipfile.ZipInfo, into: Path, path: Path,
          counters: Counter[str]) -> Path | None:  # fmt: skip
    """The member copied to ``into``; None (counted, the partial copy removed) if it cannot be read whole."""
    into.mkdir(parents=True)
    target = into / PurePosixPath(info.filename).name
    try:
        with archive.open(info) as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, 1 << 20)
    except _UNREADABLE as exc:  # a CRC that fails, a member cut short
        target.unlink(missing_ok=True)  # the member may fail before its copy opens (a bad local header)
        counters["warc/unreadable"] += 1
        logger.warning("%s: skipping its unreadable member %s (%s)", path, info.filename, exc)
        return None
    return target

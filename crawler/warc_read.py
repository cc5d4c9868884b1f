"""Opening archive files of other tools for reading: WARC (plain, gzip, zstd) and ARC.

warcio reads plain and gzipped WARC and ARC files itself. ArchiveTeam's ``.warc.zst``
(`The WARC Zstd extension`) it does not: every record is its own zstd frame, all
compressed with one dictionary that the file carries first, in a skippable frame
(magic 0x184D2A5D, 4-byte little-endian size, then the dictionary — itself possibly
zstd-compressed). :func:`open_archive` hands warcio the decompressed record stream.
The format is told by the first bytes, not the name, so a renamed file still reads.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import zstandard

# What a directory given to ``build`` is searched for (a file named on the command line is read whatever its name).
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".warc.zst", ".arc", ".arc.gz")
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # 0xFD2FB528, little-endian: a zstd frame
DICT_MAGIC = b"\x5d\x2a\x4d\x18"  # 0x184D2A5D, little-endian: the skippable frame holding the dictionary
_DICT_LIMIT = 1 << 27  # a dictionary frame claiming more (128 MiB) is damage, not a dictionary


def is_archive_name(name: str, extra_suffixes: tuple[str, ...] = ()) -> bool:
    """Whether a file found in a directory is one to read (by its name)."""
    return name.endswith(ARCHIVE_SUFFIXES + extra_suffixes)


@contextlib.contextmanager
def open_archive(path: Path) -> Iterator[BinaryIO]:
    """The file's record bytes as warcio reads them: zstd decompressed here, gzip left to warcio."""
    with open(path, "rb") as raw:
        head = raw.read(4)
        raw.seek(0)
        if head not in (ZSTD_MAGIC, DICT_MAGIC):
            yield raw
            return
        dictionary = _read_dictionary(raw) if head == DICT_MAGIC else None
        yield _ZstdFrames(raw, zstandard.ZstdDecompressor(dict_data=dictionary))  # type: ignore[misc]


class _ZstdFrames(io.RawIOBase):
    """The decompressed bytes of consecutive zstd frames, raising on a last frame cut short.

    zstandard's own ``stream_reader`` ends quietly inside a cut frame, which would hide a torn
    last record; here that raises (the reader counts it as ``warc/unreadable``).
    """

    def __init__(self, raw: BinaryIO, decompressor: zstandard.ZstdDecompressor) -> None:
        super().__init__()
        self._raw, self._decompressor = raw, decompressor
        self._frame: Any = None  # the decompressobj of the frame being read
        self._input = b""  # compressed bytes read past the end of the last frame
        self._output = bytearray()
        self._position = 0
        self._done = False

    def readable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def readinto(self, buffer: Any) -> int:
        while not self._output and not self._done:
            self._fill()
        count = min(len(buffer), len(self._output))
        buffer[:count] = self._output[:count]
        del self._output[:count]
        self._position += count
        return count

    def _fill(self) -> None:
        data, self._input = self._input or self._raw.read(1 << 16), b""
        if not data:
            if self._frame is not None:
                raise zstandard.ZstdError(
                    f"zstd frame cut short at byte {self._raw.tell()}: a torn last record"
                )
            self._done = True
            return
        if self._frame is None:
            self._frame = self._decompressor.decompressobj()
        self._output += self._frame.decompress(data)
        if self._frame.eof:
            self._input, self._frame = self._frame.unused_data, None


def is_zstd(path: Path) -> bool:
    """Whether the file is zstd-compressed (by its first bytes)."""
    with open(path, "rb") as raw:
        return raw.read(4) in (ZSTD_MAGIC, DICT_MAGIC)


def _read_dictionary(raw: BinaryIO) -> zstandard.ZstdCompressionDict:
    """The dictionary frame at the start of ``raw`` (left positioned after it)."""
    header = raw.read(8)
    size = int.from_bytes(header[4:8], "little")
    if len(header) < 8 or size > _DICT_LIMIT:
        raise zstandard.ZstdError(f"damaged zstd dictionary frame (size {size})")
    data = raw.read(size)
    if len(data) < size:
        raise zstandard.ZstdError(f"zstd dictionary frame cut short ({len(data)} of {size} bytes)")
    if data[:4] == ZSTD_MAGIC:  # the spec allows the dictionary itself to be zstd-compressed
        data = zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return zstandard.ZstdCompressionDict(data)


def stream_end(stream: BinaryIO) -> int:
    """How many bytes the stream holds in all (reading what is left): where a whole file's last record ends."""
    while stream.read(1 << 16):
        pass
    return stream.tell()

"""Reading an untrusted Avaamo export ZIP safely, and writing one, streaming.

Avaamo exports reach 4 GB, so no member is ever read whole unless it is JSON we
normalize (and that only below JSON_LIMIT). Every check that can refuse an archive
runs on the central directory before anything is written (issue 7: unsafe paths,
symlinks, duplicates, zip bombs, corrupt archives: one line, exit 2, nothing written).
"""

from __future__ import annotations

import re
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import zipfile

from ...errors import InputError
from ..ziparchive import DRIVE

MAX_TOTAL = 4 * 1024**3  # Avaamo's import limit
MAX_RATIO = 200  # deflate tops out near 1032:1; real JSON stays far below 200:1
RATIO_FLOOR = 1024 * 1024  # small members may compress as they like...
TOTAL_RATIO_FLOOR = 16 * 1024 * 1024  # ...but not many of them together (issue 11: 100 x 1 MiB of zeros)
JSON_LIMIT = 16 * 1024 * 1024  # larger JSON members are kept byte for byte, unparsed (memory: issue 11)
CHUNK = 1024 * 1024
COMPRESSION_NAMES = {0: "stored", 8: "deflated", 12: "bzip2", 14: "lzma"}
COMPRESSION_CODES = {name: code for code, name in COMPRESSION_NAMES.items()}


def read_errors() -> tuple:
    """Exceptions that mean a damaged or unreadable archive."""
    import zipfile

    return (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)


def unsafe_name_reason(name: str) -> str | None:
    """Why a member name may not be extracted or written, or None when it is fine."""
    if not name:
        return "an empty member name"
    if "\x00" in name:
        return "a NUL character"
    if name.startswith(("/", "\\")):
        return "an absolute path"
    if DRIVE.match(name):
        return "a drive letter (an absolute path on Windows)"
    parts = re.split(r"[/\\]", name.rstrip("/"))
    if ".." in parts:
        return "'..' (it would escape the target folder)"
    if any(part in ("", ".") for part in parts):
        return "an empty or '.' path segment"
    return None


@dataclass
class Archive:
    """An opened, checked export: the ZipFile and its members in archive order."""

    path: Path
    zip: zipfile.ZipFile
    members: list

    def close(self) -> None:
        self.zip.close()


def open_archive(path: Path) -> Archive:
    """Open and check an export; raises InputError (one line) for anything unsafe or damaged."""
    import zipfile

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file" if not path.exists() else f"{path}: is not a file")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise InputError(f"{path}: not a readable ZIP archive ({error}); re-download the export") from None
    try:
        members = archive.infolist()
        check_members(path, members)
    except BaseException:
        archive.close()
        raise
    return Archive(path, archive, members)


def check_members(path: Path, members: list) -> None:
    seen: dict = {}
    total = packed = 0
    for info in members:
        name = info.filename
        reason = unsafe_name_reason(name)
        if reason:
            raise InputError(f"{path}: member '{name}' has {reason}; refusing to extract it")
        if name in seen:
            raise InputError(f"{path}: member '{name}' appears twice; refusing an ambiguous archive")
        seen[name] = info
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InputError(f"{path}: member '{name}' is a symbolic link; refusing to extract it")
        if info.flag_bits & 0x1:
            raise InputError(f"{path}: member '{name}' is encrypted; export the agent again without a password")
        if info.compress_type not in COMPRESSION_NAMES:
            raise InputError(f"{path}: member '{name}' uses an unsupported compression (method {info.compress_type})")
        total += info.file_size
        packed += info.compress_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise InputError(
                f"{path}: member '{name}' would expand {ratio}:1 ({info.file_size:,} bytes); refusing a likely ZIP bomb"
            )
    if total > TOTAL_RATIO_FLOOR and total > MAX_RATIO * max(packed, 1):
        raise InputError(
            f"{path}: the members would expand {total // max(packed, 1)}:1 ({total:,} bytes from {packed:,}); "
            "refusing a likely ZIP bomb"
        )
    if total > MAX_TOTAL:
        raise InputError(
            f"{path}: the members add up to {total / 1024**3:.1f} GB; Avaamo exports hold at most 4 GB "
            "(refusing a likely ZIP bomb)"
        )


def read_member(archive: Archive, info) -> bytes:
    """A (small) member's bytes, its CRC checked."""
    try:
        return archive.zip.read(info)
    except read_errors() as error:
        raise InputError(
            f"{archive.path}: member '{info.filename}' is damaged ({error}); re-download the export"
        ) from None


class MemberSource:
    """A member streamed into a tree file by tree.write_tree, never held whole."""

    def __init__(self, archive: Archive, info) -> None:
        self.archive = archive
        self.info = info

    def write_to(self, handle) -> None:
        errors = read_errors()
        try:
            source = self.archive.zip.open(self.info)
        except errors as error:
            raise self._damaged(error) from None
        with source:
            while True:
                try:
                    chunk = source.read(CHUNK)
                except errors as error:
                    raise self._damaged(error) from None
                if not chunk:
                    return
                handle.write(chunk)

    def _damaged(self, error) -> InputError:
        return InputError(
            f"{self.archive.path}: member '{self.info.filename}' is damaged ({error}); nothing was written"
        )


def zip_info(name: str, compression: str, date_time: tuple, size: int = 0):
    import zipfile

    info = zipfile.ZipInfo(name, date_time=date_time)
    info.compress_type = COMPRESSION_CODES.get(compression, zipfile.ZIP_DEFLATED)
    info.file_size = size  # lets zipfile pick ZIP64 for members over 2 GB
    if name.endswith("/"):
        info.external_attr = (0o40755 << 16) | 0x10
    else:
        info.external_attr = 0o644 << 16
    return info


def write_member(archive, info, source_path: Path | None = None, data: bytes | None = None) -> None:
    """Add one member, copying a tree file in chunks (never through a link) or writing bytes."""
    from ...tree import open_source

    if info.filename.endswith("/"):
        archive.writestr(info, b"")
        return
    with archive.open(info, "w") as target:
        if data is not None:
            target.write(data)
            return
        assert source_path is not None  # data or a file: one of them is given
        with open_source(source_path) as source:
            while chunk := source.read(CHUNK):
                target.write(chunk)


# `"key": value` in JSON text, for a scalar value (a text or a number): keys up to 256 characters.
_PAIR = re.compile(rb'"((?:[^"\\\n]|\\.){1,256})"\s*:\s*("(?:[^"\\\n]|\\.){0,256}|-?[0-9])')


def scan_member(archive: Archive, info, wanted) -> str | None:
    """The first key of a `"key": scalar` pair of the member's text for which wanted(key, value
    text) is true, or None. Streams the member (it may be any size), overlapping chunks so a
    pair cut between two is still seen."""
    errors = read_errors()
    tail = b""
    try:
        with archive.zip.open(info) as source:
            while True:
                chunk = source.read(CHUNK)
                if not chunk and not tail:
                    return None
                window = tail + chunk
                for match in _PAIR.finditer(window):
                    key = match.group(1).decode("utf-8", "replace")
                    value = match.group(2).decode("utf-8", "replace")
                    if wanted(key, value):
                        return key
                if not chunk:
                    return None
                tail = window[-1024:]
    except errors as error:
        raise InputError(
            f"{archive.path}: member '{info.filename}' is damaged ({error}); re-download the export"
        ) from None

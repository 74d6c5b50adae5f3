"""Reading and writing ZIP exports safely: what every ZIP format shares (the magic number,
the fixed timestamp, the drive-letter pattern) and the checked reader of ZIPs read whole
into memory (the published-version ZIP; any ZIP export diff explodes). Avaamo streams
its archives itself (formats/avaamo/zip.py), with member-name rules of its own.

A ZIP from a download is untrusted: it is never extracted to disk. `SafeZip.open`
checks the whole central directory first (member paths that escape the target,
symlinks, encrypted members, duplicates, too many members) and each `read` checks the
declared size before decompressing and the real size while decompressing, so a
malformed or hostile archive fails with one line before anything is written.
`zipfile` is imported inside functions: the CLI must start fast.
"""

from __future__ import annotations

import io
import re
import stat

from ..errors import InputError, LimitError

ZIP_MAGIC = b"PK\x03\x04"  # how every ZIP file starts (a local file header)
MAX_MEMBERS = 100_000  # a bound on the central directory; each format sets its own rules
DRIVE = re.compile(r"^[A-Za-z]:")  # `C:...`: an absolute path on Windows
# A fixed timestamp: the same tree gives a byte-identical ZIP.
EPOCH = (1980, 1, 1, 0, 0, 0)


def _corrupt(path, error) -> InputError:
    return InputError(f"{path}: not a valid ZIP archive ({error}); download it again")


def unsafe_reason(name: str) -> str | None:
    """Why a member name must not be used as a path, or None when it is safe."""
    posix = name.replace("\\", "/")
    if not posix:
        return "has an empty name"
    if posix.startswith("/") or DRIVE.match(posix):
        return "is an absolute path"
    if any(part == ".." for part in posix.split("/")):
        return "escapes the target folder ('..')"
    if "\x00" in posix:
        return "has a NUL character in its name"
    return None


class SafeZip:
    """An opened, checked archive: `names` (files only, in archive order) and `read`."""

    def __init__(self, archive, infos: dict, path):
        self._archive = archive
        self._infos = infos
        self.path = path
        self.names = list(infos)

    @classmethod
    def open(cls, raw: bytes, path) -> SafeZip:
        import zipfile

        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            infos = archive.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as error:
            raise _corrupt(path, error) from None
        if len(infos) > MAX_MEMBERS:
            raise InputError(f"{path}: the ZIP holds {len(infos)} members; at most {MAX_MEMBERS} are accepted")
        files: dict = {}
        folded: set = set()
        for info in infos:
            reason = unsafe_reason(info.filename)
            if reason:
                raise InputError(f"{path}: member '{info.filename}' {reason}; refusing the archive")
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                raise InputError(f"{path}: member '{info.filename}' is a symbolic link; refusing the archive")
            if info.flag_bits & 0x1:
                raise InputError(f"{path}: member '{info.filename}' is encrypted; export it again without a password")
            if info.is_dir():
                continue
            name = info.filename.replace("\\", "/")
            if name.casefold() in folded:
                raise InputError(f"{path}: member '{name}' appears twice; refusing the archive")
            folded.add(name.casefold())
            files[name] = info
        return cls(archive, files, path)

    def check_size(self, name: str, limit: int, what: str = "a member") -> None:
        """Refuse a member whose declared (uncompressed) size is over `limit`, before reading it."""
        size = self._infos[name].file_size
        if size > limit:
            raise LimitError(
                f"{self.path}: member '{name}' is {size:,} bytes; {what} may be at most "
                f"{limit / 1048576:.0f} MB ({limit:,} bytes)"
            )

    def read(self, name: str, limit: int, what: str = "a member") -> bytes:
        """A member's bytes, refused when its declared or real size is over `limit`."""
        import zipfile
        import zlib

        info = self._infos[name]
        self.check_size(name, limit, what)
        try:
            with self._archive.open(info) as member:
                data = member.read(limit + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, NotImplementedError) as error:
            raise _corrupt(self.path, f"member '{name}': {error}") from None
        if len(data) > limit:  # the directory lied about the size
            raise LimitError(
                f"{self.path}: member '{name}' is over {limit / 1048576:.0f} MB; {what} may be at most that"
            )
        return data


def build_zip(members: list[tuple[str, bytes]]) -> bytes:
    """A deterministic ZIP (fixed timestamps, deflated, regular files) of (name, bytes) pairs."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            archive.writestr(info, content)
    return buffer.getvalue()

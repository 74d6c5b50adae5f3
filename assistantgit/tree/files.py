"""Files of a source tree: which ones a format owns, reading them, writing one atomically,
and how a message names them.

A source tree arrives in a pull request and CI runs every command on it, so this module
is the one place where its files are listed, opened and replaced, and it trusts nothing
it finds (issue 11): a listing refuses symbolic links and anything that is not a regular
file or a folder; a read opens without following a link (O_NOFOLLOW), checks with fstat
that it got a regular file, and refuses one over MAX_SOURCE_BYTES; a write replaces a
regular file or creates one, never writes through a link. Each costs no more system calls
than a plain open: the tree is walked once with scandir, whose entries know their type.
"""

from __future__ import annotations

import errno
import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from .temporary import new_private_file

# A source file larger than this is refused before it is read, so parsing one stays within a
# few hundred MB: a whole Watson skill is at most 10 MB of JSON, and Avaamo JSON members whose
# YAML would be larger are kept byte for byte (formats/avaamo).
MAX_SOURCE_BYTES = 32 * 1024 * 1024
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)
_READ_FLAGS = os.O_RDONLY | _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS |= getattr(os, "O_BINARY", 0)
_LINK_ERRNOS = {errno.ELOOP, errno.EMLINK}  # what O_NOFOLLOW gives for a link (Linux, macOS; FreeBSD)
_BOM = b"\xef\xbb\xbf"
LINK_REFUSED = "is a symbolic link; a source tree may hold only regular files and folders (a link can reach outside it)"


@dataclass(frozen=True)
class Managed:
    """A path a format owns: a file, or a folder whose files (of one suffix, or all) it owns."""

    path: str
    suffix: str | None = ".yaml"
    is_folder: bool = True


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def not_regular(path, mode: int) -> InputError:
    """The one-line refusal of a tree entry that is a link, a FIFO, a device..."""
    if stat.S_ISLNK(mode):
        return InputError.at(path, LINK_REFUSED)
    return InputError.at(path, f"is {_kind(mode)}, not a regular file; a source tree holds only regular files")


def walk_managed(root: Path, managed: list[Managed]) -> tuple[set[str], set[str]]:
    """(owned, others): relative paths (with '/') of the files the managed paths cover, and of
    the other files in managed folders (hidden files aside). Raises InputError on the first
    link or special file among them, so nothing below ever opens one."""
    owned: set[str] = set()
    others: set[str] = set()
    base = os.fspath(root)
    for spec in managed:
        target = os.path.join(base, spec.path)
        try:
            mode = os.lstat(target).st_mode
        except OSError:
            continue
        if not spec.is_folder:
            if stat.S_ISREG(mode):
                owned.add(spec.path)
            elif not stat.S_ISDIR(mode):
                raise not_regular(target, mode)
            continue
        if stat.S_ISLNK(mode):
            raise not_regular(target, mode)
        if not stat.S_ISDIR(mode):
            continue
        suffix = spec.suffix
        stack = [(target, spec.path)]
        while stack:
            folder, rel_folder = stack.pop()
            try:
                entries = list(os.scandir(folder))
            except OSError as error:
                raise InputError(f"{folder}: cannot read the folder ({error.strerror or error})") from None
            for entry in entries:
                name = entry.name
                if entry.is_dir(follow_symlinks=False):
                    if not name.startswith("."):
                        stack.append((entry.path, f"{rel_folder}/{name}"))
                elif entry.is_file(follow_symlinks=False):
                    rel = f"{rel_folder}/{name}"
                    if suffix is None or name.endswith(suffix):
                        owned.add(rel)
                    elif not name.startswith("."):
                        others.add(rel)
                else:
                    raise not_regular(entry.path, entry.stat(follow_symlinks=False).st_mode)
    return owned, others


def owned_files(root: Path, managed: list[Managed]) -> set[str]:
    """Relative paths (with '/') of the existing files that the managed paths cover.

    Raises InputError for a link or special file in the managed paths (see walk_managed)."""
    return walk_managed(root, managed)[0]


def check_no_links(base: Path, rel) -> None:
    """Refuse when a folder or file on the way from `base` to `base/rel` is a link (or not a
    folder), e.g. `source:` in assistantgit.yaml or `.assistantgit/` committed as a link."""
    current = os.fspath(base)
    parts = Path(rel).parts
    for index, part in enumerate(parts):
        current = os.path.join(current, part)
        try:
            mode = os.lstat(current).st_mode
        except FileNotFoundError:
            return
        except OSError as error:
            raise InputError(f"{current}: cannot read ({error.strerror or error})") from None
        if stat.S_ISLNK(mode) or (index < len(parts) - 1 and not stat.S_ISDIR(mode)):
            raise not_regular(current, mode)


def make_folders(base: Path, rel) -> Path:
    """Create `base/rel` (and the folders on the way), refusing a link on the way."""
    check_no_links(base, rel)
    target = Path(base) / rel
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{target}: could not create the folder ({error.strerror or error})") from None
    check_no_links(base, rel)  # a link that appeared meanwhile
    return target


def _open_regular(path, limit: int | None):
    """(fd, size) of a regular file opened without following a link."""
    if not _NO_FOLLOW:  # no O_NOFOLLOW (Windows): look first
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            mode = 0
        if stat.S_ISLNK(mode):
            raise not_regular(path, mode)
    try:
        handle = os.open(path, _READ_FLAGS)
    except OSError as error:
        if error.errno in _LINK_ERRNOS:
            raise InputError.at(path, LINK_REFUSED) from None
        raise InputError.at(path, f"cannot read ({error.strerror or error})") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise not_regular(path, info.st_mode)
        if limit is not None and info.st_size > limit:
            raise InputError.at(path, f"{info.st_size:,} bytes; a source file may be at most {limit // 1048576} MB")
    except BaseException:
        os.close(handle)
        raise
    return handle, info.st_size


def read_bytes(path, limit: int | None = MAX_SOURCE_BYTES) -> bytes:
    """A source file's bytes: a regular file, never through a link, at most `limit` bytes."""
    handle, size = _open_regular(path, limit)
    try:
        chunks: list[bytes] = []
        total = 0
        wanted = size + 1  # one byte more shows a file that grew meanwhile
        while True:
            chunk = os.read(handle, max(wanted - total, 65536))
            if not chunk:
                break
            if not chunks and len(chunk) == size:  # all fstat counted, and no more: no read to see the end
                return chunk  # (one read a file, not two: 17,000 files on a push)
            chunks.append(chunk)
            total += len(chunk)
            if limit is not None and total > limit:
                raise InputError.at(path, f"grew over {limit // 1048576} MB while being read")
    except OSError as error:
        raise InputError.at(path, f"cannot read ({error.strerror or error})") from None
    finally:
        os.close(handle)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def owned_paths(paths, managed: list[Managed]) -> list[str]:
    """The paths (relative, with '/') that a format owns, like owned_files for a listing (git's)."""
    found = []
    for path in paths:
        for spec in managed:
            if not spec.is_folder:
                if path == spec.path:
                    found.append(path)
                    break
                continue
            prefix = spec.path + "/"
            if not path.startswith(prefix):
                continue
            if any(part.startswith(".") for part in path[len(prefix) :].split("/")[:-1]):
                continue
            if spec.suffix is None or path.endswith(spec.suffix):
                found.append(path)
                break
    return sorted(found)


@contextmanager
def open_source(path):
    """A binary handle on a regular file of the tree (never through a link), for streaming."""
    handle, _size = _open_regular(path, None)
    with os.fdopen(handle, "rb") as stream:
        yield stream


def decode_source(raw: bytes, path) -> str:
    """A source file's text (UTF-8, a BOM accepted) with a one-line error naming the bad byte."""
    try:  # what decode("utf-8-sig") does, without its codec's Python-level wrapper (17k files)
        return raw[3:].decode("utf-8") if raw[:3] == _BOM else raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError.at(
            path, f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})", line
        ) from None


def read_text(path: str | os.PathLike) -> str:
    """Read a UTF-8 source file (a BOM is accepted) with a one-line error on failure; a
    link, a FIFO, a device or a file over MAX_SOURCE_BYTES is refused (see read_bytes)."""
    return decode_source(read_bytes(path), path)


@contextmanager
def atomic_output(path: Path, private: bool = True, named_by_user: bool = False):
    """Yield a binary handle whose content replaces `path` only if the block succeeds.

    For outputs too large to build in memory (a 4 GB Avaamo ZIP); write_file_atomic
    does the same for bytes. `private` files (uploads with filled secrets, backups, logs)
    are readable by the owner only; others keep an existing file's mode, or get the
    umask's, as any editor would leave them.

    A path in a source tree or a project (the default) must be a regular file or new: a
    link or a FIFO there came with a pull request and is refused. A path a person named
    on the command line (`named_by_user`, e.g. --out) is theirs: a symlink is written
    through (the link stays), and a device or pipe (`--out /dev/stdout`) is written to
    directly, as there is nothing to replace atomically.
    """
    path = Path(path)
    try:
        existing = os.stat(path) if named_by_user else os.lstat(path)
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode) and not stat.S_ISDIR(existing.st_mode):
        if not named_by_user:
            raise not_regular(path, existing.st_mode)
        try:
            with open(path, "wb") as out:
                yield out
        except OSError as error:
            raise InputError(f"{path}: could not write ({error.strerror or error})") from None
        return
    if named_by_user and path.is_symlink():
        path = Path(os.path.realpath(path))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{path}: the folder {parent} does not exist")
    try:
        handle, temp = new_private_file(parent, f".{path.name}.", ".tmp")
    except OSError as error:  # a read-only folder: the new file is written next to its destination
        raise InputError(f"{path}: could not write ({error.strerror or error} in {parent})") from None
    try:
        with os.fdopen(handle, "w+b") as out:
            if not private:  # new_private_file made it 0600
                os.fchmod(out.fileno(), stat.S_IMODE(existing.st_mode) if existing is not None else 0o666 & ~_umask())
            yield out
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"{path}: could not write ({error.strerror or error})") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def refuse_overwrite(path: Path, force: bool) -> None:
    """An output file that exists is not replaced without --force: it may be the original
    download, or another skill's upload (issue 10). A pipe or device (`--out /dev/stdout`)
    is written to, not replaced, and is always accepted."""
    if force:
        return
    try:
        existing = os.stat(path)  # follows symlinks: a link to a file is that file
    except OSError:
        return
    if stat.S_ISREG(existing.st_mode):
        raise InputError(f"{path}: already exists; give --force to replace it, or another --out")


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def write_file_atomic(path: Path, content: bytes, private: bool = True, named_by_user: bool = False) -> None:
    """Write a file next to its destination, then move it into place (see atomic_output)."""
    with atomic_output(path, private, named_by_user) as out:
        out.write(content)


def display_path(path) -> str:
    """How a message names a file: relative to the current folder when it is inside it,
    else as given (a relative path keeps its ../); always with '/' so editors and CI
    annotations find it. Commands name a tree's root relative to the current folder when
    that folder is inside the tree (tree_root_as_shown), so one report never mixes the two."""
    text = os.fspath(path)  # strings, not Path objects: fmt and validate name thousands of files
    try:
        shown = os.path.relpath(text)  # normalized already, as Path would make it
    except ValueError:  # another drive on Windows
        return Path(text).as_posix()
    if os.sep != "/":
        shown = shown.replace(os.sep, "/")
    if shown.startswith("../") and Path(text).is_absolute():
        return Path(text).as_posix()
    return shown


def tree_root_as_shown(root) -> Path:
    """A tree's root as reports name it: relative when the current folder is inside the tree
    (../..) or the tree inside it, else as given."""
    root = Path(root)
    if not root.is_absolute():
        return root
    here = Path.cwd().resolve()
    resolved = root.resolve()
    if resolved == here or resolved in here.parents or here in resolved.parents:
        return Path(os.path.relpath(resolved, here))
    return root

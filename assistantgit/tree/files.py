"""Files of a source tree: which ones a format owns, reading them, writing one atomically,
and how a message names them."""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError


@dataclass(frozen=True)
class Managed:
    """A path a format owns: a file, or a folder whose files (of one suffix, or all) it owns."""

    path: str
    suffix: str | None = ".yaml"
    is_folder: bool = True


def owned_files(root: Path, managed: list[Managed]) -> set[str]:
    """Relative paths (with '/') of the existing files that the managed paths cover."""
    found: set[str] = set()
    for spec in managed:
        target = root / spec.path
        if not spec.is_folder:
            if target.is_file():
                found.add(spec.path)
            continue
        if not target.is_dir():
            continue
        for folder, dirs, files in os.walk(target):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            rel_folder = Path(folder).relative_to(root).as_posix()
            for name in files:
                if spec.suffix is None or name.endswith(spec.suffix):
                    found.add(f"{rel_folder}/{name}")
    return found


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
def atomic_output(path: Path, private: bool = True):
    """Yield a binary handle whose content replaces `path` only if the block succeeds.

    For outputs too large to build in memory (a 4 GB Avaamo ZIP); write_file_atomic
    does the same for bytes. `private` files (uploads with filled secrets, backups, logs)
    are readable by the owner only; others keep an existing file's mode, or get the
    umask's, as any editor would leave them. A symlink is written through (the link
    stays), and a device or pipe (`--out /dev/stdout`) is written to directly: there is
    nothing to replace atomically, and replacing it would break it.
    """
    path = Path(path)
    try:
        existing = os.stat(path)  # follows symlinks
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode) and not stat.S_ISDIR(existing.st_mode):
        try:
            with open(path, "wb") as out:
                yield out
        except OSError as error:
            raise InputError(f"{path}: could not write ({error.strerror or error})") from None
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{path}: the folder {parent} does not exist")
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as error:  # a read-only folder: the new file is written next to its destination
        raise InputError(f"{path}: could not write ({error.strerror or error} in {parent})") from None
    try:
        with os.fdopen(handle, "w+b") as out:
            if not private:  # mkstemp made it 0600
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


def read_text(path: Path) -> str:
    """Read a UTF-8 source file (a BOM is accepted) with a one-line error on failure."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise InputError.at(path, f"cannot read ({error.strerror or error})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError.at(
            path, f"not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})", line
        ) from None


def write_file_atomic(path: Path, content: bytes, private: bool = True) -> None:
    """Write a file next to its destination, then move it into place (see atomic_output)."""
    with atomic_output(path, private) as out:
        out.write(content)


def display_path(path) -> str:
    """How a message names a file: relative to the current folder when it is inside it,
    else as given (a relative path keeps its ../); always with '/' so editors and CI
    annotations find it. Commands name a tree's root relative to the current folder when
    that folder is inside the tree (tree_root_as_shown), so one report never mixes the two."""
    path = Path(path)
    try:
        shown = Path(os.path.relpath(path)).as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()
    return path.as_posix() if shown.startswith("../") and path.is_absolute() else shown


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

"""Writing and reading source trees safely.

A pull replaces only the files the tool owns (the managed paths a format declares),
writes only files whose bytes change, and is all-or-nothing: every new file is first
written under a staging folder inside the tree, and only when all of them are on
disk are they moved into place. A failure before that point leaves the previous
tree exactly as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

STAGING_PREFIX = ".assistantgit-staging-"


@dataclass(frozen=True)
class Managed:
    """A path a format owns: a file, or a folder whose files (of one suffix, or all) it owns."""

    path: str
    suffix: str | None = ".yaml"
    is_folder: bool = True


@dataclass
class WriteReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def touched(self) -> int:
        return len(self.created) + len(self.changed) + len(self.deleted)


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


def write_tree(root: Path, files: dict[str, bytes], managed: list[Managed], progress=None) -> WriteReport:
    """Make the managed part of `root` hold exactly `files` (relative path -> bytes)."""
    root.mkdir(parents=True, exist_ok=True)
    existing = owned_files(root, managed)
    report = WriteReport()
    staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    try:
        fresh_folders = {spec.path for spec in managed if spec.is_folder and not (root / spec.path).exists()}
        to_move: list[str] = []
        made_dirs: set[Path] = set()
        for index, (rel, content) in enumerate(sorted(files.items())):
            if progress:
                progress(index + 1, len(files))
            if rel in existing:
                if _same_bytes(root / rel, content):
                    report.unchanged += 1
                    continue
                report.changed.append(rel)
            else:
                report.created.append(rel)
            staged = staging / rel
            if staged.parent not in made_dirs:
                staged.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(staged.parent)
            with open(staged, "wb") as handle:
                handle.write(content)
            if rel.split("/", 1)[0] not in fresh_folders:
                to_move.append(rel)
        report.deleted = sorted(existing - files.keys())
        # Everything is on disk: move it into place.
        for folder in sorted(fresh_folders):
            if (staging / folder).exists():
                os.replace(staging / folder, root / folder)
        for rel in to_move:
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, target)
        for rel in report.deleted:
            (root / rel).unlink()
        _remove_empty_folders(root, managed)
    except OSError as error:
        raise InputError(f"{root}: could not write the source tree ({error.strerror or error}); nothing was changed") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _same_bytes(path: Path, content: bytes) -> bool:
    try:
        if path.stat().st_size != len(content):
            return False
        return path.read_bytes() == content
    except OSError:
        return False


def _remove_empty_folders(root: Path, managed: list[Managed]) -> None:
    for spec in managed:
        if not spec.is_folder:
            continue
        target = root / spec.path
        if not target.is_dir():
            continue
        for folder, _dirs, _files in sorted(os.walk(target, topdown=False), reverse=False):
            try:
                os.rmdir(folder)
            except OSError:
                pass


def write_file_atomic(path: Path, content: bytes) -> None:
    """Write a file next to its destination, then move it into place."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"{path}: the folder {parent} does not exist")
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.replace(temp, path)
    except OSError as error:
        Path(temp).unlink(missing_ok=True)
        raise InputError(f"{path}: could not write ({error.strerror or error})") from None


def read_text(path: Path) -> str:
    """Read a UTF-8 source file (a BOM is accepted) with a one-line error on failure."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise InputError(f"{path}:{line}: not valid UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start})") from None

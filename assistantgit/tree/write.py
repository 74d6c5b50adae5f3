"""Writing a source tree safely (pull).

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

from ..errors import InputError
from .files import Managed, owned_files

STAGING_PREFIX = ".assistantgit-staging-"
_PEEK_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0)


@dataclass
class WriteReport:
    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0


def write_tree(root: Path, files: dict, managed: list[Managed], progress=None) -> WriteReport:
    """Make the managed part of `root` hold exactly `files` (relative path -> content).

    Content is bytes, or a streamed source: an object whose `write_to(handle)` writes
    the file in chunks, so a file larger than memory never has to be held whole.
    """
    if root.exists() and not root.is_dir():
        raise InputError(f"{root}: is a file, not a folder; give --dir the folder of the source tree")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{root}: could not create the folder ({error.strerror or error})") from None
    existing = owned_files(root, managed)  # refuses a link or a FIFO where a source file goes
    report = WriteReport()
    try:
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=root))
    except OSError as error:  # a read-only folder
        raise InputError(
            f"{root}: could not write the source tree ({error.strerror or error}); nothing was changed"
        ) from None
    try:
        fresh_folders = {spec.path for spec in managed if spec.is_folder and not (root / spec.path).exists()}
        to_move: list[str] = []
        made_dirs: set[str] = set()
        # Plain strings and os calls below, not Path objects and open(): this loop runs
        # for every file of a 10 MB skill, and each saved system call counts (issue 2).
        root_text, staging_text = os.fspath(root), os.fspath(staging)
        for index, (rel, content) in enumerate(sorted(files.items())):
            if progress:
                progress(index + 1, len(files))
            streamed = not isinstance(content, bytes)
            if rel in existing and not streamed and _same_bytes(os.path.join(root_text, rel), content):
                report.unchanged += 1
                continue
            staged_text = os.path.join(staging_text, rel)
            folder = os.path.dirname(staged_text)
            if folder not in made_dirs:
                os.makedirs(folder, exist_ok=True)
                made_dirs.add(folder)
            if streamed:  # a large member copied in chunks (Avaamo exports reach 4 GB)
                with open(staged_text, "wb") as handle:
                    content.write_to(handle)
            else:
                _write_new(staged_text, content)
            if rel in existing:
                if streamed and _same_file(root / rel, Path(staged_text)):
                    os.unlink(staged_text)
                    report.unchanged += 1
                    continue
                report.changed.append(rel)
            else:
                report.created.append(rel)
            if rel.split("/", 1)[0] not in fresh_folders:
                to_move.append(rel)
        report.deleted = sorted(existing - files.keys())
        _move_into_place(root, staging, sorted(fresh_folders), to_move, existing, report.deleted)
        _remove_empty_folders(root, managed)
    except OSError as error:
        raise InputError(
            f"{root}: could not write the source tree ({error.strerror or error}{_culprit(error, root, staging)}); "
            "nothing was changed"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _culprit(error: OSError, root: Path, staging: Path) -> str:
    """': <the tree path that failed>' for an error message, staging paths mapped to the tree."""
    name = error.filename2 or error.filename
    if not name:
        return ""
    path = Path(os.fsdecode(name))
    for base in (staging / ".previous", staging):
        if path.is_relative_to(base):
            path = root / path.relative_to(base)
            break
    return f": {path}"


def _move_into_place(
    root: Path, staging: Path, fresh_folders: list, to_move: list, existing: set, deleted: list
) -> None:
    """Move the staged files into the tree; on a failure (a read-only folder, a folder where
    a file should go) undo every move made so far, so the tree is as it was (issue 2)."""
    backup = staging / ".previous"
    done: list[tuple[Path, Path | None]] = []  # (path now in the tree, its previous version or None)
    gone = set(deleted)
    backup_dirs: set = set()
    try:
        for folder in fresh_folders:
            if (staging / folder).exists():
                os.replace(staging / folder, root / folder)
                done.append((root / folder, None))
        for rel in to_move + deleted:
            target = root / rel
            if rel in existing:  # keep the previous version until every move succeeded
                saved = backup / rel
                if saved.parent not in backup_dirs:
                    saved.parent.mkdir(parents=True, exist_ok=True)
                    backup_dirs.add(saved.parent)
                os.replace(target, saved)
                done.append((target, saved))
            if rel in gone:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / rel, target)
            if rel not in existing:
                done.append((target, None))
    except BaseException:  # an OSError, or Ctrl-C half-way through the moves
        for target, saved in reversed(done):
            try:
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                else:
                    target.unlink(missing_ok=True)
                if saved is not None:
                    os.replace(saved, target)
            except OSError:
                pass
        raise


def _write_new(path: str, content: bytes) -> None:
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(handle, view) :]
    finally:
        os.close(handle)


def _same_bytes(path: str, content: bytes) -> bool:
    """True when the file holds exactly `content`: one open and one read, no stat."""
    try:  # the walk refused links and FIFOs; O_NOFOLLOW and O_NONBLOCK hold if one appears meanwhile
        handle = os.open(path, _PEEK_FLAGS)
    except OSError:
        return False
    try:
        chunks, size, wanted = [], 0, len(content) + 1  # one byte more shows a longer file
        while size < wanted:
            chunk = os.read(handle, wanted - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError:
        return False
    finally:
        os.close(handle)
    return (chunks[0] if len(chunks) == 1 else b"".join(chunks)) == content


def _same_file(path: Path, other: Path) -> bool:
    import filecmp

    try:
        return filecmp.cmp(path, other, shallow=False)
    except OSError:
        return False


def _remove_empty_folders(root: Path, managed: list[Managed]) -> None:
    for spec in managed:
        if not spec.is_folder:
            continue
        target = root / spec.path
        if not target.is_dir():
            continue
        # Deepest folders first (reverse order puts 'a/b' before 'a'), so a folder that only
        # held empty folders goes too.
        for folder, _dirs, _files in sorted(os.walk(target), reverse=True):
            try:
                os.rmdir(folder)
            except OSError:
                pass

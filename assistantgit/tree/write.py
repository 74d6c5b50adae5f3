"""Writing a source tree safely (pull).

A pull replaces only the files the tool owns (the managed paths a format declares),
writes only files whose bytes change, and leaves the tree exactly as it was or exactly
as the export says, whatever happens: every new file is first written under a staging
folder inside the tree, and only when all of them are on disk does the journal of
tree/journal.py move them into place. The whole write holds the tree's lock (tree/lock.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .files import Managed, owned_files
from .journal import Plan, commit, discard, new_staging, settle, staged
from .lock import tree_lock

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
    with tree_lock(root):
        settle(root)  # what an earlier pull, killed, left behind
        return _write_locked(root, files, managed, progress)


def _write_locked(root: Path, files: dict, managed: list[Managed], progress) -> WriteReport:
    existing = owned_files(root, managed)  # refuses a link or a FIFO where a source file goes
    report = WriteReport()
    try:
        staging = new_staging(root)
    except OSError as error:  # a read-only folder
        raise InputError(
            f"{root}: could not write the source tree ({error.strerror or error}); nothing was changed"
        ) from None
    try:
        fresh_folders = {spec.path for spec in managed if spec.is_folder and not (root / spec.path).exists()}
        plan = Plan(fresh=sorted(fresh_folders), folders=[spec.path for spec in managed if spec.is_folder])
        made_dirs: set[str] = set()
        # Plain strings and os calls below, not Path objects and open(): this loop runs
        # for every file of a 10 MB skill, and each saved system call counts (issue 2).
        root_text, staging_text = os.fspath(root), os.fspath(staged(staging))
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
                plan.existing.append(rel)
            else:
                report.created.append(rel)
            if rel.split("/", 1)[0] not in fresh_folders:
                plan.moves.append(rel)
        report.deleted = plan.deletes = sorted(existing - files.keys())
        plan.made = _missing_folders(root_text, plan.moves)
        commit(root, staging, plan)
    except OSError as error:
        raise InputError(
            f"{root}: could not write the source tree ({error.strerror or error}{_culprit(error, root, staging)}); "
            "nothing was changed"
        ) from None
    finally:
        discard(staging)
    return report


def _missing_folders(root: str, rels: list[str]) -> list[str]:
    """The folders that moving these files into the tree creates (a rollback removes them)."""
    known: dict[str, bool] = {}
    missing = []
    for rel in rels:
        folder = rel.rpartition("/")[0]
        while folder and folder not in known:
            known[folder] = os.path.isdir(os.path.join(root, folder))
            if not known[folder]:
                missing.append(folder)
            folder = folder.rpartition("/")[0]
    return missing


def _culprit(error: OSError, root: Path, staging: Path) -> str:
    """': <the tree path that failed>' for an error message, staging paths mapped to the tree."""
    name = error.filename2 or error.filename
    if not name:
        return ""
    path = Path(os.fsdecode(name))
    for base in (staging / "old", staging / "new", staging):
        if path.is_relative_to(base):
            path = root / path.relative_to(base)
            break
    return f": {path}"


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

"""A pull that leaves the tree exactly old or exactly new, whenever it is killed (issue 10).

write_tree stages every new file under a staging folder inside the tree and touches
nothing else until all of them are on disk. Then `commit` writes a journal into the
staging folder, listing every move and deletion: from that instant the pull is
decided. Each file replaced or deleted keeps its previous version under `old/` (a
hard link where the file system has them, so a replaced file is never missing from
the tree, not even for an instant), and only then does the new one move in.

Killed before the journal exists, a pull has changed nothing: the next command
deletes its staging folder. Killed after, the next command finds the journal and
completes the moves (or, when they cannot be done, puts every previous version back),
before it reads anything (`settle`, called when a tree is opened). Ctrl-C and SIGTERM
wait during the moves, a fraction of a second, so the command itself ends with the
new tree. Every step below can be run again from any state a kill leaves.

A staging folder holds a `.gitignore` of `*`, written first: `git add -A` never commits it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import InputError
from .lock import tree_lock
from .temporary import new_private_folder

STAGING_PREFIX = ".assistantgit-staging-"
JOURNAL = "journal.json"
NEW = "new"  # staged files, at their path in the tree
OLD = "old"  # previous versions of the files replaced or deleted
FORWARD, BACK = "forward", "back"
_VERSION = 1
_live: set[str] = set()  # staging folders this process is still filling


@dataclass
class Plan:
    """What a pull changes, as relative paths with '/'."""

    moves: list[str] = field(default_factory=list)  # files staged under new/, moved into the tree
    existing: list[str] = field(default_factory=list)  # those of `moves` that replace a file
    deletes: list[str] = field(default_factory=list)  # files taken out of the tree
    fresh: list[str] = field(default_factory=list)  # managed folders new to the tree, moved whole
    folders: list[str] = field(default_factory=list)  # managed folders: emptied sub-folders go
    made: list[str] = field(default_factory=list)  # folders the moves create: a rollback removes them


def new_staging(root: Path) -> Path:
    """A staging folder inside the tree (same file system, so moves are renames), ignored by git."""
    staging = Path(new_private_folder(root, STAGING_PREFIX))
    _live.add(os.fspath(staging))
    with open(staging / ".gitignore", "wb") as handle:
        handle.write(b"# an assistantgit pull in progress: never committed\n*\n")
    return staging


def staged(staging: Path) -> Path:
    """Where write_tree puts the new files: `staged(staging) / rel`."""
    return staging / NEW


def commit(root: Path, staging: Path, plan: Plan) -> None:
    """Make the tree the new one. When this raises, the tree is the old one, or (only if
    even that failed) the journal is left for the next command to settle."""
    with _signals_deferred():
        _write_journal(staging, plan, FORWARD)
        try:
            _forward(root, staging, plan)
        except BaseException:
            try:
                _roll_back(root, staging, plan)
            except OSError as error:
                raise InputError(
                    f"{root}: a pull failed half-way and could not be undone ({error.strerror or error}: "
                    f"{error.filename}); the next assistantgit command in this tree completes or undoes it"
                ) from None
            _finish(staging)
            raise
        _finish(staging)


def discard(staging: Path) -> None:
    """Remove a staging folder whose pull stopped before its journal was written."""
    _live.discard(os.fspath(staging))
    if not os.path.lexists(staging / JOURNAL):
        shutil.rmtree(staging, ignore_errors=True)


def leftovers(root: Path) -> list[Path]:
    """Staging folders in the tree that no running command of this process owns."""
    try:
        with os.scandir(root) as entries:
            return sorted(
                Path(entry.path)
                for entry in entries
                if entry.name.startswith(STAGING_PREFIX)
                and entry.is_dir(follow_symlinks=False)
                and entry.path not in _live
            )
    except OSError:
        return []


def settle(root: Path) -> None:
    """Finish or undo what a killed pull left in the tree, under the tree's lock.

    Cheap when there is nothing to do (one listing of the root folder): every command
    that opens a tree calls it first.
    """
    if not leftovers(root):
        return
    with tree_lock(root):
        for staging in leftovers(root):  # listed again: the lock holder may have finished meanwhile
            _recover(root, staging)


def _recover(root: Path, staging: Path) -> None:
    journal = staging / JOURNAL
    if not os.path.lexists(journal):
        shutil.rmtree(staging, ignore_errors=True)  # killed while staging: the tree was not touched
        return
    plan, direction = _read_journal(journal)
    try:
        if direction == FORWARD:
            try:
                _forward(root, staging, plan, checked=True)
            except OSError:
                _roll_back(root, staging, plan, checked=True)
                _finish(staging)
                return
        else:
            _roll_back(root, staging, plan, checked=True)
    except OSError as error:
        raise InputError(
            f"{root}: an interrupted pull could not be completed or undone ({error.strerror or error}: "
            f"{error.filename}); its previous files are in {staging / OLD}"
        ) from None
    _finish(staging)


def _forward(root: Path, staging: Path, plan: Plan, checked: bool = False) -> None:
    new, old = os.fspath(staging / NEW), os.fspath(staging / OLD)
    base = os.fspath(root)
    made: set[str] = set()
    for folder in plan.fresh:
        if os.path.lexists(os.path.join(new, folder)):
            _check(root, folder, checked)
            os.replace(os.path.join(new, folder), os.path.join(base, folder))
    replaced = set(plan.existing)
    for rel in plan.moves:
        source = os.path.join(new, rel)
        if not os.path.lexists(source):
            continue  # moved already (this is a second run)
        _check(root, rel, checked)
        target = os.path.join(base, rel)
        if rel in replaced:
            _keep(target, os.path.join(old, rel), made, link=True)
        _parent(target, made)
        os.replace(source, target)
    for rel in plan.deletes:
        _check(root, rel, checked)
        _keep(os.path.join(base, rel), os.path.join(old, rel), made, link=False)
    remove_empty_folders(root, plan.folders)


def _roll_back(root: Path, staging: Path, plan: Plan, checked: bool = False) -> None:
    """Put every previous version back and take every new file out; the journal says so first,
    so that a kill during the rollback is followed by the rest of the rollback."""
    _write_journal(staging, plan, BACK)
    new, old = os.fspath(staging / NEW), os.fspath(staging / OLD)
    base = os.fspath(root)
    made: set[str] = set()
    replaced, deleted = set(plan.existing), set(plan.deletes)
    for rel in plan.deletes + plan.moves[::-1]:
        _check(root, rel, checked)
        backup, target = os.path.join(old, rel), os.path.join(base, rel)
        if os.path.lexists(backup):
            _parent(target, made)
            os.replace(backup, target)
        elif rel not in replaced and rel not in deleted and not os.path.lexists(os.path.join(new, rel)):
            with suppress(FileNotFoundError):  # a new file that was moved in
                os.unlink(target)
    for folder in plan.fresh:
        _check(root, folder, checked)
        if os.path.lexists(os.path.join(base, folder)) and not os.path.lexists(os.path.join(new, folder)):
            os.replace(os.path.join(base, folder), os.path.join(new, folder))
    for folder in sorted(plan.made, key=lambda rel: rel.count("/"), reverse=True):
        with suppress(OSError):  # only when empty: the tree's own folders stay as they were
            os.rmdir(os.path.join(base, folder))


def _keep(path: str, backup: str, made: set, link: bool) -> None:
    """Keep a file's previous version as `backup` (once): a hard link leaves it in place."""
    if os.path.lexists(backup) or not os.path.lexists(path):
        return
    _parent(backup, made)
    if link:
        try:
            os.link(path, backup, follow_symlinks=False)
            return
        except OSError:  # no hard links here (FAT, some network mounts): a move will do
            pass
    os.replace(path, backup)


def _parent(path: str, made: set) -> None:
    folder = os.path.dirname(path)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)


def _finish(staging: Path) -> None:
    """The journal goes first: a staging folder without one is only deleted."""
    _live.discard(os.fspath(staging))
    with suppress(FileNotFoundError):
        os.unlink(staging / JOURNAL)
    shutil.rmtree(staging, ignore_errors=True)


def remove_empty_folders(root: Path, folders) -> None:
    """Remove the empty sub-folders of the managed folders, and those folders if empty."""
    for name in folders:
        target = os.path.join(root, name)
        if not os.path.isdir(target) or os.path.islink(target):
            continue
        # Deepest folders first (reverse order puts 'a/b' before 'a'), so a folder that only
        # held empty folders goes too.
        for folder, _dirs, _files in sorted(os.walk(target), reverse=True):
            with suppress(OSError):
                os.rmdir(folder)


# -- the journal ------------------------------------------------------------------------
def _write_journal(staging: Path, plan: Plan, direction: str) -> None:
    """Written whole then renamed into place: it exists complete or not at all."""
    temp = staging / (JOURNAL + ".tmp")
    with open(temp, "w", encoding="utf-8") as handle:
        json.dump({"version": _VERSION, "direction": direction, **asdict(plan)}, handle)
    os.replace(temp, staging / JOURNAL)


def _read_journal(path: Path) -> tuple[Plan, str]:
    """The plan and direction of a journal; anything unexpected in it (a staging folder
    may arrive in a pull request like any file) is refused before a file is moved."""
    from .files import read_bytes

    raw = read_bytes(path)  # a regular file, never through a link, size-capped: a commit can bring it
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as error:
        raise InputError(f"{path}: the journal of an interrupted pull cannot be read ({error})") from None
    problem = None
    if not isinstance(data, dict) or data.get("version") != _VERSION or data.get("direction") not in (FORWARD, BACK):
        problem = "not a journal this version of assistantgit wrote"
    else:
        lists = {}
        for name in ("moves", "existing", "deletes", "fresh", "folders", "made"):
            value = data.get(name)
            if not isinstance(value, list) or not all(_safe(rel) for rel in value):
                problem = f"'{name}' is not a list of paths inside the tree"
                break
            lists[name] = value
    if problem:
        raise InputError(f"{path}: {problem}; remove the folder {path.parent} if no pull is running")
    return Plan(**lists), data["direction"]


def _safe(rel) -> bool:
    if not isinstance(rel, str) or not rel or "\\" in rel or "\0" in rel or rel.startswith("/"):
        return False
    parts = rel.split("/")
    # never into git's own folder (a planted journal would move a hook there); git itself
    # refuses `.git` in any case spelling as a name in a commit
    return all(part not in ("", ".", "..") and part.lower() != ".git" for part in parts) and not parts[0].startswith(
        STAGING_PREFIX
    )


def _check(root: Path, rel: str, checked: bool) -> None:
    """In a recovery, refuse a path whose folders include a symbolic link: a journal must
    never move a file outside the tree."""
    if not checked:
        return
    current = os.fspath(root)
    for part in rel.split("/")[:-1]:
        current = os.path.join(current, part)
        if os.path.islink(current):
            raise InputError(f"{current}: is a symbolic link; an interrupted pull is not completed through it")


@contextmanager
def _signals_deferred():
    """Ctrl-C, SIGTERM and SIGHUP wait until the moves are done, then take effect."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    wanted = [signal.SIGINT, signal.SIGTERM] + ([signal.SIGHUP] if hasattr(signal, "SIGHUP") else [])
    previous = {number: signal.signal(number, lambda number, _frame: caught.append(number)) for number in wanted}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        if caught:
            signal.raise_signal(caught[0])

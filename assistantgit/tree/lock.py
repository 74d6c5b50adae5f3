"""One writer per source tree at a time (issue 10).

Two commands writing one tree at once (two pulls, a pull and fmt) corrupted it: one
pull's rollback deleted a file the other had just written, and the other reported
success. Every command that writes a tree holds a lock on its root folder, and push
holds it while it reads the tree, so it never reads one half-way through a pull. A
second command waits a little (ASSISTANTGIT_LOCK_WAIT seconds, 10 by default), then
refuses with a message that says what is going on.

The lock is flock(2) on the root folder itself: no lock file to leave behind or to
commit, and the kernel releases it when the holder dies, even by SIGKILL. A process
may take the lock of a tree it already holds (pull holds it, write_tree takes it again).
On systems without flock (Windows) there is no lock.
"""

from __future__ import annotations

import errno
import os
import time
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

WAIT_VARIABLE = "ASSISTANTGIT_LOCK_WAIT"
DEFAULT_WAIT = 10.0
_POLL = 0.05

# real path of a locked root -> [folder descriptor, how many holders in this process]
_held: dict[str, list] = {}


def lock_wait() -> float:
    """How long a command waits for another one's lock, in seconds."""
    try:
        return max(0.0, float(os.environ.get(WAIT_VARIABLE, DEFAULT_WAIT)))
    except ValueError:
        raise InputError(f"{WAIT_VARIABLE}: must be a number of seconds, not {os.environ[WAIT_VARIABLE]!r}") from None


def holds(root: Path) -> bool:
    """True when this process holds the lock of the tree at `root`."""
    return os.path.realpath(root) in _held


@contextmanager
def tree_lock(root: Path):
    """Hold the tree's lock for the block (again, if this process holds it already)."""
    key = os.path.realpath(root)
    entry = _held.get(key)
    if entry is not None:
        entry[1] += 1
        try:
            yield
        finally:
            entry[1] -= 1
        return
    handle = _acquire(root, key)
    _held[key] = [handle, 1]
    try:
        yield
    finally:
        del _held[key]
        if handle is not None:
            os.close(handle)  # closing the descriptor releases the flock


def _acquire(root: Path, key: str) -> int | None:
    if fcntl is None:  # pragma: no cover - Windows
        return None
    try:
        handle = os.open(key, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as error:
        raise InputError(f"{root}: cannot open the tree's folder ({error.strerror or error})") from None
    wait = lock_wait()
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return handle
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(handle)
                raise InputError(
                    f"{root}: another assistantgit command is working on this tree (waited {wait:g} s); "
                    f"run this again when it has finished (set {WAIT_VARIABLE} to wait longer)"
                ) from None
            time.sleep(_POLL)
        except OSError as error:  # a file system without flock (some network mounts)
            os.close(handle)
            if error.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
                return None
            raise InputError(f"{root}: cannot lock the tree ({error.strerror or error})") from None

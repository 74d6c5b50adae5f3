"""What the xdist workers of one test session share: a folder, and a lock to build
something in it once (the first worker builds, the others wait and reuse)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def session_folder(tmp_path_factory) -> Path:
    """The temp folder every worker of this session shares (xdist's workers each get a
    child of it as their base temp), or this process's base temp without xdist."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def exclusive(lock_file: Path) -> Iterator[None]:
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)

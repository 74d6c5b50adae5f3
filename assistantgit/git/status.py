"""What git sees as changed in a folder since HEAD: edited, added, deleted, untracked.

pull asks before it replaces a tree's files, so that an edit nobody committed is never
overwritten without --force (issue 10). The git command line, not gitpython: one
`git status -z` is all it takes, and it costs a pull no import.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

# git status --porcelain letters, as a person reads them
_WHAT = {"M": "edited", "A": "added", "D": "deleted", "R": "renamed", "C": "copied", "T": "retyped", "U": "unmerged"}


@dataclass(frozen=True)
class Change:
    path: str  # relative to the folder asked about, with '/'
    what: str  # edited, added, deleted, untracked...


def changes(folder: Path) -> list[Change] | None:
    """Every path under `folder` whose content differs from HEAD, or None when `folder`
    is not inside a git work tree (or git is not installed)."""
    folder = Path(folder)
    try:
        prefix = _git(folder, "rev-parse", "--show-prefix")
        if prefix is None:
            return None
        listing = _git(folder, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", ".")
    except FileNotFoundError:  # no git on this machine
        return None
    if listing is None:
        return None
    prefix = prefix.strip()
    found = []
    for entry in listing.split("\0"):
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if not path.startswith(prefix):
            continue
        found.append(Change(path[len(prefix) :], _describe(code)))
    return found


def _describe(code: str) -> str:
    if code == "??":
        return "untracked"
    letter = code[1] if code[1] != " " else code[0]
    return _WHAT.get(letter, "changed")


def _git(folder: Path, *args: str) -> str | None:
    """git's output, or None when it fails (not a repository)."""
    result = subprocess.run(
        ["git", *args],
        cwd=folder,
        capture_output=True,
        env={**os.environ, "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"},
    )
    if result.returncode != 0:
        return None
    return os.fsdecode(result.stdout)

"""Backups of what an environment held before assistantgit replaced it.

`.assistantgit/backups/<env>/<UTC timestamp>.json`, the service's own export, byte
for byte what the API returned (so a dialog backup can also be uploaded in the UI),
readable by the owner only, git-ignored, newest N kept.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from ..errors import InputError


def save(folder: Path, content, keep: int) -> Path:
    from ..tree import write_file_atomic

    make_folder(folder)
    ignore_in_git(folder)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")
    path = folder / f"{stamp}.json"
    # mkstemp inside write_file_atomic creates the file 0600: backups may hold webhook secrets.
    write_file_atomic(path, json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    prune(folder, keep)
    return path


def prune(folder: Path, keep: int) -> list[Path]:
    backups = sorted(folder.glob("*.json"))
    old = backups[: max(0, len(backups) - keep)]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def load(path: Path):
    from ..exportjson import read_json_export

    data = read_json_export(Path(path))
    if not isinstance(data, dict):
        raise InputError(f"{path}: not a backup or export (the JSON is a {type(data).__name__})")
    return data


def make_folder(folder: Path) -> None:
    """Create a folder under the project's .assistantgit/, refusing a link on the way: a pull
    request could commit `.assistantgit` as a link, and backups hold secrets (issue 11)."""
    from ..tree import make_folders

    folder = Path(folder)
    base = next((p.parent for p in folder.parents if p.name == ".assistantgit"), None)
    if base is None:
        folder.mkdir(parents=True, exist_ok=True)  # a folder the user named (--out-dir)
    else:
        make_folders(base, folder.relative_to(base))


def ignore_in_git(folder: Path) -> None:
    """A .gitignore at .assistantgit/ so backups stay out of git even without `assistantgit init`."""
    from ..tree import write_file_atomic

    for parent in folder.parents:
        if parent.name == ".assistantgit":
            marker = parent / ".gitignore"
            if not os.path.lexists(marker):
                text = "# assistantgit backups may hold secrets: never commit them\n*\n"
                write_file_atomic(marker, text.encode("utf-8"), private=False)  # never through a link
            return

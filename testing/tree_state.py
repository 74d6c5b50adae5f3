"""What a tree holds on disk, byte for byte: for tests that an interrupted write left it whole."""

from __future__ import annotations

import os
from pathlib import Path

from assistantgit.tree import STAGING_PREFIX


def state(root: Path) -> dict:
    """Every file (with its bytes) and every folder under root."""
    found: dict[str, bytes | None] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root) + "/"] = None
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, root)] = Path(path).read_bytes()
    return found


def staging_left(root: Path) -> list:
    """Staging folders a write left behind under root."""
    return [p for p in root.rglob("*") if p.name.startswith(STAGING_PREFIX)]

"""assistantgit validate: rules over a source tree, each with a stable id (docs/rules.md).

`validate(paths, root)` returns the findings; nothing here prints or exits.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ._core import ERROR, RULES, WARNING, Finding, rule  # noqa: F401


def validate(paths: list[Path], root: Path | None = None, only: set | None = None) -> list[Finding]:
    """Findings for the named files (or the whole tree), references resolved against the whole tree."""
    from ._core import run_rules
    from ._tree import open_tree

    tree = open_tree(list(paths), root)
    cwd = Path.cwd()

    @lru_cache(maxsize=None)
    def shown(rel: str) -> str:
        path = tree.root / rel
        try:
            shown = Path(os.path.relpath(path, cwd)).as_posix()
        except ValueError:  # another drive on Windows
            shown = "../"
        return path.as_posix() if shown.startswith("../") else shown

    findings = run_rules(tree, shown, only)
    if tree.cache is not None:
        tree.cache.save(set(tree.files))
    return findings


def all_rules():
    from . import rules  # noqa: F401

    return [RULES[key] for key in sorted(RULES)]

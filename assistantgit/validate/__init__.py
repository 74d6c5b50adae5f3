"""assistantgit validate: rules over a source tree, each with a stable id (docs/rules.md).

`validate(paths, root)` returns the findings; nothing here prints or exits.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ._core import ERROR, RULES, WARNING, Finding, rule  # noqa: F401


def validate(paths: list[Path], root: Path | None = None, only: set | None = None) -> list[Finding]:
    """Findings for the named files (or the whole tree), references resolved against the whole tree."""
    from ..tree import display_path
    from ..tree.source import open_tree
    from ._core import run_rules
    from ._tree import Tree

    tree = Tree.of(open_tree(list(paths), root))
    if tree.fmt.name == "watson-assistant-zip":
        return _validate_zip_parts(tree, paths, only)
    if tree.fmt.name == "avaamo-agent":
        return _validate_avaamo(tree)

    @lru_cache(maxsize=None)
    def shown(rel: str) -> str:
        return display_path(tree.root / rel)

    findings = run_rules(tree, shown, only)
    if tree.cache is not None:
        tree.cache.save(set(tree.files))
    return findings


def _validate_zip_parts(tree, paths, only) -> list[Finding]:
    """A published-version ZIP tree: each part (actions/, dialog/) is a skill tree of its own."""
    from ..formats.watson.zip import KINDS
    from ..tree.source import absolute

    findings = []
    for kind in KINDS:
        part = tree.root / kind.folder
        if not part.is_dir():
            continue
        part_path = absolute(part)
        inside = [p for p in paths if absolute(p).is_relative_to(part_path)]
        if paths and not inside and not any(part_path.is_relative_to(absolute(p)) for p in paths):
            continue
        findings.extend(validate(inside, part, only))
    return findings


AVAAMO_UNCHECKED = (
    "Avaamo tree: checked that every file parses and that push can rebuild the ZIP (AG801); "
    "names, training data and references inside Avaamo's JSON are not checked (its layout is undocumented)"
)


def _validate_avaamo(tree) -> list[Finding]:
    """An Avaamo tree: its structure (agent.yaml, split files, references), not its meaning."""
    from ..formats.avaamo.format import check_tree
    from ..tree import display_path

    findings = []
    for problem in check_tree(tree.root):
        where, _, message = problem.partition(": ")
        path, line, column = _avaamo_location(where, tree.root)
        findings.append(
            Finding(
                display_path(path) if path else display_path(tree.root / "agent.yaml"),
                line,
                column,
                "AG801",
                ERROR,
                message if path else problem,
            )
        )
    return findings


def _avaamo_location(where: str, root: Path) -> tuple:
    """(file, line, column) of a problem's `path[:line[:column]]` head, named from the current
    folder or from the tree; (None, 1, 1) when it names no file, so editors point at the right line."""
    import re

    match = re.fullmatch(r"(.+?)(?::(\d+))?(?::(\d+))?", where)
    if not where or match is None:
        return None, 1, 1
    for candidate in (Path(match.group(1)), root / match.group(1)):
        if candidate.is_file():
            return candidate, int(match.group(2) or 1), int(match.group(3) or 1)
    return None, 1, 1


def all_rules():
    from . import rules  # noqa: F401

    return [RULES[key] for key in sorted(RULES)]

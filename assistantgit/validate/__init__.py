"""assistantgit validate: rules over a source tree, each with a stable id (docs/rules.md).

`validate(paths, root)` returns the findings; nothing here prints or exits.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from ._core import ERROR, RULES, WARNING, Finding, rule  # noqa: F401


def validate(paths: list[Path], root: Path | None = None, only: set | None = None) -> list[Finding]:
    """Findings for the named files (or the whole tree), references resolved against the whole tree.

    The tree's format says how it is validated: which rules apply (`rules`), whether it
    checks its own structure (a CheckedFormat: AG801), or whether it is a tree of parts,
    each validated as the tree it is (a PartedFormat).
    """
    from ..conversations.model import selected_suite_files
    from ..formats.base import CheckedFormat, PartedFormat
    from ..tree import display_path
    from ..tree.source import open_tree
    from ._core import run_rules
    from ._tree import Tree

    opened = open_tree(list(paths), root)
    tree = Tree.of(opened)
    tree.conversations = selected_suite_files(tree.root, list(paths))  # conversations/ of the tree (AG9xx)
    if isinstance(opened.fmt, PartedFormat):
        return _validate_parts(opened.root, opened.fmt, paths, only) + _conversation_findings(tree, only)

    @cache
    def shown(rel: str) -> str:
        return display_path(tree.root / rel)

    findings = run_rules(tree, shown, only)
    if isinstance(tree.fmt, CheckedFormat):
        findings += _structure_findings(tree.fmt, tree.root)
    if tree.cache is not None:
        tree.cache.save(set(tree.files))
    return findings


def _validate_parts(root: Path, fmt, paths, only) -> list[Finding]:
    """A tree of trees (the published-version ZIP's actions/ and dialog/): each part on its own."""
    findings = []
    for folder in fmt.parts:
        part = root / folder
        if not part.is_dir():
            continue
        inside = [p for p in paths if Path(p).resolve().is_relative_to(part.resolve())]
        if paths and not inside and not any(part.resolve().is_relative_to(Path(p).resolve()) for p in paths):
            continue
        findings.extend(validate(inside, part, only))
    return findings


def _conversation_findings(tree, only) -> list[Finding]:
    """The AG9xx rules on a tree whose skill rules run in its parts (a published-version ZIP tree)."""
    from ..tree import display_path
    from ._core import run_rules

    wanted = {r.id for r in all_rules() if r.id.startswith("AG9")}
    wanted = (only & wanted) if only else wanted
    if not tree.conversations or not wanted:  # run_rules reads an empty selection as "every rule"
        return []
    return run_rules(tree, lambda rel: display_path(tree.root / rel), wanted)


def _structure_findings(fmt, root: Path) -> list[Finding]:
    """AG801: what keeps a tree that checks its own structure (Avaamo) from becoming an export,
    at the file and line the error names (named from the current folder or from the tree), or
    on the root file when it names no file."""
    from ..tree import display_path

    findings = []
    for error in fmt.check_tree(root):
        path = _existing_file(error.path, root)
        if path is None:
            findings.append(Finding(display_path(root / fmt.root_file), 1, 1, "AG801", ERROR, error.message))
        else:
            line, column = error.line or 1, error.column or 1
            findings.append(Finding(display_path(path), line, column, "AG801", ERROR, error.problem))
    return findings


def _existing_file(path, root: Path) -> Path | None:
    if path is None or str(path) == "":
        return None
    for candidate in (Path(path), root / path):
        if candidate.is_file():
            return candidate
    return None


def all_rules():
    from . import rules  # noqa: F401

    return [RULES[key] for key in sorted(RULES)]

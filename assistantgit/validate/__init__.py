"""assistantgit validate: rules over a source tree, each with a stable id (docs/rules.md).

`validate(paths, root)` returns the findings; nothing here prints or exits.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ._core import ERROR, RULES, WARNING, Finding, refuses, rule  # noqa: F401


def validate(paths: list[Path], root: Path | None = None, select=None, ignore=None) -> list[Finding]:
    """Findings for the named files (or the whole tree), references resolved against the whole tree.

    Which rules run and their severity come from the project's assistantgit.yaml
    (validate/_settings.py); `select` replaces its selection, `ignore` adds to it.
    """
    from ..tree.source import open_tree
    from ._settings import settings_for
    from ._tree import Tree

    tree = Tree.of(open_tree(list(paths), root))
    settings = settings_for(tree.root).with_options(select, ignore)
    return _findings(tree, paths, settings)


def refusals(root: Path, parsed: dict | None = None) -> list[Finding]:
    """The findings of the rules that mirror a refusal of the service (AG1xx-AG3xx) on the
    whole tree: push stops on any of them before it writes or sends anything (issue 10).

    `parsed` ({relative path: data}) are files push has already read: not parsed twice.
    Rules the project ignores do not run; the project's severities do not matter here.
    """
    from ..tree.source import open_tree
    from ._settings import settings_for
    from ._tree import Tree

    tree = Tree.of(open_tree([], root))
    for rel, data in (parsed or {}).items():
        source = tree.files.get(rel)
        if source is not None and not isinstance(data, bytes) and not source.parsed:
            source.preload(data)
    return _findings(tree, [], settings_for(tree.root), refuses)


def _findings(tree, paths, settings, runs=None) -> list[Finding]:
    from ..tree import display_path
    from ._core import run_rules

    if tree.fmt.name == "watson-assistant-zip":
        return _validate_zip_parts(tree, paths, settings, runs)
    if tree.fmt.name == "avaamo-agent":
        return _validate_avaamo(tree) if runs is None else []  # push_tree checks what it rebuilds

    @lru_cache(maxsize=None)
    def shown(rel: str) -> str:
        return display_path(tree.root / rel)

    findings = run_rules(tree, shown, settings, runs)
    if tree.cache is not None:
        tree.cache.save(set(tree.files))
    return findings


def _validate_zip_parts(tree, paths, settings, runs) -> list[Finding]:
    """A published-version ZIP tree: each part (actions/, dialog/) is a skill tree of its own."""
    from ..formats.watson.zip import KINDS
    from ..tree.source import open_tree
    from ._tree import Tree

    findings = []
    for kind in KINDS:
        part = tree.root / kind.folder
        if not part.is_dir():
            continue
        inside = [p for p in paths if Path(p).resolve().is_relative_to(part.resolve())]
        if paths and not inside and not any(part.resolve().is_relative_to(Path(p).resolve()) for p in paths):
            continue
        findings.extend(_findings(Tree.of(open_tree(inside, part)), inside, settings, runs))
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


def rule_patterns(patterns, where: str) -> list[str]:
    """Rule ids or prefixes (AG502, AG5) upper-cased, each checked to name a rule."""
    from ._settings import checked

    return checked(patterns, where)


def all_rules():
    from . import rules  # noqa: F401

    return [RULES[key] for key in sorted(RULES)]

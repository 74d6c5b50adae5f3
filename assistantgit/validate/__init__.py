"""assistantgit validate: rules over a source tree, each with a stable id (docs/rules.md).

`validate(paths, root)` returns the findings; nothing here prints or exits.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from ._cache import FactCache, ParseCache, canonical_key, keep_data, kept_data  # noqa: F401  (fmt and push use them)
from ._core import ERROR, RULES, WARNING, Finding, refuses, rule  # noqa: F401


def validate(paths: list[Path], root: Path | None = None, select=None, ignore=None) -> list[Finding]:
    """Findings for the named files (or the whole tree), references resolved against the whole tree.

    The tree's format says how it is validated: which rules apply (`rules`), whether it
    checks its own structure (a CheckedFormat: AG801), or whether it is a tree of parts,
    each validated as the tree it is (a PartedFormat). Which of those rules run, and their
    severity, come from the project's assistantgit.yaml (validate/_settings.py); `select`
    replaces its selection, `ignore` adds to it.
    """
    from ..tree.source import open_tree
    from ._settings import settings_for

    opened = open_tree(list(paths), root)
    settings = settings_for(opened.root).with_options(select, ignore)
    return _findings(opened, paths, settings)


def refusals(
    root: Path, parsed: dict | None = None, fitted: dict | None = None, listing: tuple | None = None
) -> list[Finding]:
    """The findings of the rules that mirror a refusal of the service (AG1xx-AG3xx) on the
    whole tree: push stops on any of them before it writes or sends anything (issue 10).

    `parsed` ({relative path: data}) are files push has already read: not parsed twice;
    `fitted` ({relative path: shape}) says which field shape each was checked against
    (formats/fields.check), so AG103 does not walk their fields a second time; `listing`
    ((owned, others), as tree.walk_managed gives them) is the tree as push found it: not walked twice.
    Rules the project ignores do not run; the project's severities do not matter here.
    A tree that checks its own structure (Avaamo) is checked by its push_tree.
    """
    from ..tree.source import open_tree
    from ._settings import settings_for

    opened = open_tree([], root, listing)
    fitted = fitted or {}
    for rel, data in (parsed or {}).items():
        source = opened.files.get(rel)
        if source is not None and not isinstance(data, bytes) and not source.parsed:
            source.preload(data, fitted.get(rel))
    return _findings(opened, [], settings_for(opened.root), refuses)


def _findings(opened, paths, settings, runs: Callable[[str], bool] | None = None) -> list[Finding]:
    from ..conversations.model import selected_suite_files
    from ..formats.base import CheckedFormat, PartedFormat
    from ..tree import display_path
    from ._core import run_rules
    from ._tree import Tree

    tree = Tree.of(opened)
    if runs is None:  # push's refusals (AG1xx-AG3xx) never read the conversation tests
        tree.conversations = selected_suite_files(tree.root, list(paths))  # conversations/ of the tree (AG9xx)
    else:  # nor compare examples (AG5xx: the only rules that read the examples of tree.intents)
        from . import rules  # noqa: F401  (registers the rules)

        tree.examples_uncompared = not any(runs(rule_id) for rule_id in RULES if rule_id.startswith("AG5"))
    if isinstance(opened.fmt, PartedFormat):
        return _validate_parts(opened.root, opened.fmt, paths, settings, runs) + _conversation_findings(
            tree, settings, runs
        )

    @cache
    def shown(rel: str) -> str:
        return display_path(tree.root / rel)

    parse_cached = tree.whole and runs is None  # validate of a whole tree (not push's refusals)
    if parse_cached:
        tree.preload_parsed()
    findings = run_rules(tree, shown, settings, runs)
    if parse_cached:
        tree.keep_parsed()
    if isinstance(tree.fmt, CheckedFormat) and runs is None and settings.runs("AG801"):
        findings += _structure_findings(tree.fmt, tree.root)
    for name in ("cache", "facts_cache"):  # only those a rule opened: push's refusals read neither
        opened_cache = tree.__dict__.get(name)
        if opened_cache is not None:
            opened_cache.save(set(tree.files))
    return findings


def _validate_parts(root: Path, fmt, paths, settings, runs) -> list[Finding]:
    """A tree of trees (the published-version ZIP's actions/ and dialog/): each part on its own."""
    from ..tree.source import absolute, open_tree

    findings = []
    for folder in fmt.parts:
        part = root / folder
        if not part.is_dir():
            continue
        part_path = absolute(part)
        inside = [p for p in paths if absolute(p).is_relative_to(part_path)]
        if paths and not inside and not any(part_path.is_relative_to(absolute(p)) for p in paths):
            continue
        findings.extend(_findings(open_tree(inside, part), inside, settings, runs))
    return findings


def _conversation_findings(tree, settings, runs) -> list[Finding]:
    """The AG9xx rules (the format's `rules`) on a tree whose skill rules run in its parts
    (a published-version ZIP tree)."""
    from ..tree import display_path
    from ._core import run_rules

    if not tree.conversations:
        return []
    return run_rules(tree, lambda rel: display_path(tree.root / rel), settings, runs)


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


def rule_patterns(patterns, where: str) -> list[str]:
    """Rule ids or prefixes (AG502, AG5) upper-cased, each checked to name a rule."""
    from ._settings import checked

    return checked(patterns, where)


def all_rules():
    from . import rules  # noqa: F401

    return [RULES[key] for key in sorted(RULES)]

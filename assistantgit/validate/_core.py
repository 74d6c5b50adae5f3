"""Rules, findings and the runner.

A rule is a generator function registered with `@rule(id, severity, title)`. It gets
the Tree and yields `(rel, key_path, message)`; the runner turns that into a Finding
with the rule's id and severity and finds the line and column of `key_path` only for
findings that are reported. Ids are stable: AG1xx structure, AG2xx names and limits,
AG3xx links (dialog tree, actions flow), AG4xx references, AG5xx training data,
AG6xx size, AG7xx form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    title: str
    check: Callable
    # Started before any rule of the run runs (work done meanwhile in a child, assistantgit/forked.py):
    # gets the Tree, returns what `check` takes from tree.prepared[id] (with a close()), or None.
    prepare: Callable | None = None


RULES: dict[str, Rule] = {}
# Helpers the rules of one run share, cached per tree (per_tree); emptied when the run ends.
_PER_TREE: list = []


def rule(rule_id: str, severity: str, title: str, prepare: Callable | None = None):
    """Register a check under a stable id (see docs/rules.md)."""

    def register(check: Callable) -> Callable:
        if rule_id in RULES:
            raise ValueError(f"rule {rule_id} is registered twice")
        RULES[rule_id] = Rule(rule_id, severity, title, check, prepare)
        return check

    return register


@dataclass(frozen=True)
class Finding:
    path: str  # as given to the user: relative to the current folder when possible
    line: int
    column: int
    rule: str
    severity: str
    message: str

    def text(self, severity: bool = True) -> str:
        """path:line:column: error: ID message; without `severity` where the line already
        says it (push's refusal is an `error: ...` line)."""
        label = f"{self.severity}: " if severity else ""
        return f"{self.path}:{self.line}:{self.column}: {label}{self.rule} {self.message}"

    def as_dict(self) -> dict:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
        }


def per_tree(helper: Callable) -> Callable:
    """Cache a helper's answer for a tree, for the other rules of the same run. The answers
    are dropped when the run ends (run_rules): a cache that outlived it would keep the
    tree, with every file's data, alive (a push's whole parsed tree, issue 14)."""
    cached = lru_cache(maxsize=8)(helper)
    _PER_TREE.append(cached)
    return cached


# What the service itself refuses (AG1xx files, AG2xx names and limits, AG3xx links): push
# runs these before it writes or sends anything. Advice (AG4xx references, AG5xx training
# data) and form (AG7xx) never stop a push; AG6xx size is checked by push itself.
REFUSALS = ("AG1", "AG2", "AG3")


def refuses(rule_id: str) -> bool:
    """True for a rule whose finding the service would refuse (push stops on it)."""
    return rule_id.startswith(REFUSALS)


def run_rules(tree, shown: Callable[[str], str], settings, runs: Callable[[str], bool] | None = None) -> list[Finding]:
    """Every finding of every rule `settings` (validate/_settings.RuleSettings) runs on the
    tree's selected files, sorted by place; `runs` narrows the rules further."""
    from . import rules  # noqa: F401  (registers the rules)

    chosen = _chosen(tree, settings, runs)
    try:
        for rule_id in chosen:
            prepare = RULES[rule_id].prepare
            if prepare is not None:
                tree.prepared[rule_id] = prepare(tree)
        findings = _run(tree, shown, settings, chosen)
    finally:
        for helper in _PER_TREE:
            helper.cache_clear()
        for started in tree.prepared.values():
            if started is not None:
                started.close()
        tree.prepared.clear()
    findings.sort(key=lambda f: (f.path, f.line, f.column, f.rule))
    return findings


def _chosen(tree, settings, runs: Callable[[str], bool] | None) -> list[str]:
    """The ids of the rules this run runs, in order."""
    applies = tuple(tree.fmt.rules)  # the id prefixes of the rules the tree's format asks for
    return [
        rule_id
        for rule_id in sorted(RULES)
        if rule_id.startswith(applies) and settings.runs(rule_id) and (runs is None or runs(rule_id))
    ]


def _run(tree, shown: Callable[[str], str], settings, chosen: list[str]) -> list[Finding]:
    findings = []
    seen = set()
    for rule_id in chosen:
        current = RULES[rule_id]
        severity = settings.severity(current)
        for rel, key_path, message, *where in current.check(tree):
            source = tree.files.get(rel)
            if where:
                line, column = where[0]
            else:
                line, column = source.locate(tuple(key_path)) if source else (1, 1)
            finding = Finding(shown(rel), line, column, rule_id, severity, message)
            if finding not in seen:
                seen.add(finding)
                findings.append(finding)
    return findings

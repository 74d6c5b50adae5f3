"""Which rules run and how much their findings weigh: the `validate:` section of
assistantgit.yaml, and the command line's --select and --ignore (issue 10).

Rules are named by id or by prefix, as ruff names its rules: `AG502`, `AG5` (every
training-data rule), `AG` (every rule). When several entries match a rule, the longest
wins, so `select: [AG]` with `ignore: [AG5]` and `select: [AG502]` runs AG502 alone of
the AG5xx rules. The same for severity: `error: [AG5]` with `warning: [AG503]`.

    validate:
      ignore: [AG503]      # rules that do not run
      error: [AG502]       # their findings fail validate (the hook, CI)
      warning: [AG104]     # reported, but validate still passes (push may still refuse)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import InputError
from ._core import ERROR, WARNING, Rule

PATTERN = re.compile(r"AG\d{0,3}\Z")
KEYS = ("select", "ignore", "error", "warning")


@dataclass(frozen=True)
class RuleSettings:
    select: tuple[str, ...] = ("AG",)
    ignore: tuple[str, ...] = ()
    error: tuple[str, ...] = ()
    warning: tuple[str, ...] = ()

    def runs(self, rule_id: str) -> bool:
        chosen = _longest(rule_id, self.select)
        return chosen > 0 and chosen > _longest(rule_id, self.ignore)

    def severity(self, rule: Rule) -> str:
        as_error, as_warning = _longest(rule.id, self.error), _longest(rule.id, self.warning)
        if as_error == as_warning:  # neither names it
            return rule.severity
        return ERROR if as_error > as_warning else WARNING

    def with_options(self, select=None, ignore=None) -> RuleSettings:
        """The command line's --select replaces the file's; its --ignore adds to it."""
        changed = self
        if select:
            changed = replace(changed, select=tuple(checked(select, "--select")))
        if ignore:
            changed = replace(changed, ignore=changed.ignore + tuple(checked(ignore, "--ignore")))
        return changed


DEFAULT = RuleSettings()


def _longest(rule_id: str, patterns) -> int:
    return max((len(p) for p in patterns if rule_id.startswith(p)), default=0)


def checked(patterns, where: str) -> list[str]:
    """Rule ids or prefixes, each naming at least one rule."""
    from . import all_rules

    known = [r.id for r in all_rules()]
    result = []
    for pattern in patterns:
        text = str(pattern).strip().upper()
        if not PATTERN.match(text) or not any(rule_id.startswith(text) for rule_id in known):
            raise InputError(
                f"{where}: no rule {pattern!r} (give rule ids like AG502 or prefixes like AG5; docs/rules.md lists them)"
            )
        result.append(text)
    return result


def parse(data, where: str) -> RuleSettings:
    """The `validate:` mapping of assistantgit.yaml."""
    if data is None:
        return DEFAULT
    if not isinstance(data, dict):
        raise InputError(f"{where}: validate must be a mapping ({', '.join(KEYS)})")
    extra = sorted(str(k) for k in data if k not in KEYS)
    if extra:
        raise InputError(f"{where}: validate: unknown key {', '.join(extra)} (allowed: {', '.join(KEYS)})")
    lists = {}
    for key in KEYS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise InputError(f"{where}: validate.{key} must be a list of rule ids or prefixes")
        lists[key] = tuple(checked(value, f"{where}: validate.{key}"))
    both = sorted(set(lists.get("error", ())) & set(lists.get("warning", ())))
    if both:
        raise InputError(f"{where}: validate: {', '.join(both)} is both an error and a warning")
    return replace(DEFAULT, **lists)


def settings_for(root: Path) -> RuleSettings:
    """The settings of the project that holds the tree at `root` (none: every rule as documented)."""
    from ..project import PROJECT_FILE, load_project

    start = Path(root).resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            project = load_project(folder)
            return parse(project.validate, str(folder / PROJECT_FILE))
    return DEFAULT

"""What differs between two versions of a skill, in items people recognize.

Uses the semantic diff (assistantgit/diff/) on the exploded files, so a
commit message or a dry run says "+2 intents, 3 dialog nodes changed"; both sides
go through the format's `explode`, which drops volatile fields and orders set-like
arrays, so only real content differences show.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Change:
    status: str  # added | removed | changed | renamed
    kind: str  # folder or file: "intents", "settings"
    what: str  # "intent"
    name: str  # "#cancel_order"


def semantic_diff(fmt, before: dict, after: dict, left: str = "before", right: str = "after"):
    """The semantic diff (diff.SemanticDiff) from `before` to `after` (path -> data)."""
    from .compare import compare
    from .sources import Entry, ItemSet

    sides = [
        ItemSet(label, fmt, {p: Entry.of_data(f"{label}: {p}", d) for p, d in files.items()})
        for label, files in ((left, before), (right, after))
    ]
    return compare(*sides)


def compare_files(fmt, before: dict, after: dict, left: str = "before", right: str = "after") -> list[Change]:
    """Changes from `before` to `after` (source files: path -> data)."""
    try:
        diff = semantic_diff(fmt, before, after, left, right)
    except ImportError:  # pragma: no cover - diff is part of the package
        return _file_changes(before, after)
    return changes_of(diff)


def changes_of(diff) -> list[Change]:
    return [Change(c.status, c.kind, c.what, c.name) for c in diff.changes]


def _file_changes(before: dict, after: dict) -> list[Change]:
    changes = []
    for path in sorted(before.keys() | after.keys()):
        kind, _, name = path.partition("/") if "/" in path else ("settings", "", path)
        if path not in after:
            changes.append(Change("removed", kind, kind.rstrip("s"), name))
        elif path not in before:
            changes.append(Change("added", kind, kind.rstrip("s"), name))
        elif before[path] != after[path]:
            changes.append(Change("changed", kind, kind.rstrip("s"), name))
    return changes


def _plural(count: int, what: str) -> str:
    if count == 1:
        return f"1 {what}"
    if what.endswith("y") and not what.endswith(("ay", "ey", "oy")):
        return f"{count} {what[:-1]}ies"
    return f"{count} {what}{'' if what.endswith('s') else 's'}"


def summary(changes: list[Change]) -> str:
    """One line: '+2 intents, 3 dialog nodes changed, -1 entity' (or 'no changes')."""
    if not changes:
        return "no changes"
    counts: dict = {}
    for change in changes:
        counts.setdefault((change.what, change.status), 0)
        counts[(change.what, change.status)] += 1
    parts = []
    for (what, status), count in counts.items():
        if what.endswith("settings"):  # one file, not countable items
            parts.append(f"{what} {status}")
        elif status == "added":
            parts.append("+" + _plural(count, what))
        elif status == "removed":
            parts.append("-" + _plural(count, what))
        else:
            parts.append(f"{_plural(count, what)} {status}")
    return ", ".join(parts)


SIGNS = {"added": "+", "removed": "-", "changed": "~", "renamed": ">"}


def lines(changes: list[Change]) -> list[str]:
    """One line per change: '+ intent #cancel_order'."""
    return [f"{SIGNS.get(c.status, '?')} {c.what} {c.name}" for c in changes]


def counts_text(diff) -> str:
    """Changes counted by kind, as a status line says them: 'intents +1, dialog nodes ~2'."""
    labels = {kind.key: kind.label.lower() for kind in diff.kinds}
    parts = []
    for key, row in diff.counts().items():
        signs = " ".join(f"{SIGNS.get(status, '?')}{count}" for status, count in row.items() if count)
        parts.append(f"{labels.get(key, key)} {signs}")
    return ", ".join(parts)

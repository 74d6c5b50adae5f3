"""Pictures of what a diff changed in the flows, for the pull-request comment.

For each changed flow (a dialog branch under one root node, or one action) a Mermaid
picture of the changed nodes or steps with their immediate neighbourhood: parent,
siblings, children and jumps in and out. Both sides are merged into one graph: added
nodes green, removed red (drawn where they were), changed yellow, and a moved node both
at its new place and, dashed grey, at its old one. A picture holds at most MAX_NODES
nodes; the changes it cannot hold, and flows beyond MAX_PICTURES, are listed in words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import diffsteps, source
from .mermaid import Diagram
from .model import Flow, FlowNode, Jump
from .pictures import DIRECTIONS, fenced, sketch

MAX_NODES = 40
MAX_PICTURES = 6           # per kind of item
MAX_CHARS = 24_000         # of pictures in one comment (GitHub takes 65,536 characters in all)
NAMES_LISTED = 15
FOLDERS = {kind: folder for folder, kind in (("dialog_nodes", "dialog"), ("actions", "actions"))}
CSS = {"added": "added", "removed": "removed", "changed": "changed", "renamed": "changed", "old": "old"}
LEGEND = {"added": "green: added", "removed": "red: removed", "changed": "yellow: changed",
          "old": "dashed grey: where a moved node was"}


@dataclass
class Group:
    """One changed flow: the merged graph, the status of its changed nodes, what to say about them."""

    title: str
    flow: Flow
    focus: list[str]
    status: dict[str, str]
    notes: dict[str, list[str]] = field(default_factory=dict)
    context: list[str] = field(default_factory=list)


def sections(left, right, diff) -> dict[str, list[str]]:
    """kind key -> markdown lines (a <details> per changed flow) for the diff's markdown."""
    wanted = {c.kind for c in diff.changes if c.kind.rsplit("/", 1)[-1] in FOLDERS.values()}
    if not wanted:
        return {}
    from ..semdiff_sources import preload

    preload(right, [p for p in right.entries if source.wanted(p)])
    preload(left, [p for p in left.entries if source.wanted(p) and _own(left, right, p)])
    old = {(f.part, f.kind): f for f in source.flows_in(left.entries, _shared_reader(left, right))}
    new = {(f.part, f.kind): f for f in source.flows_in(right.entries, right.data)}
    budget = [MAX_CHARS]
    found = {}
    for part, kind in sorted(set(old) | set(new)):
        key = f"{part}/{FOLDERS[kind]}" if part else FOLDERS[kind]
        changes = [c for c in diff.changes if c.kind == key]
        if not changes:
            continue
        before, after = old.get((part, kind)) or Flow(kind, part), new.get((part, kind)) or Flow(kind, part)
        groups = dialog_groups(before, after, changes) if kind == "dialog" else diffsteps.action_groups(before, after, changes)
        found[key] = render(groups, budget)
    return found


def _shared_reader(side, other):
    """Read `side`'s files, taking those with the same blob from `other`: a file both sides
    share is parsed once (reading a whole flow from git costs a round trip per file)."""
    return lambda path: side.data(path) if _own(side, other, path) else other.data(path)


def _own(side, other, path: str) -> bool:
    """True when `other` does not hold the same blob at `path`."""
    mine, theirs = side.entries[path], other.entries.get(path)
    return mine.sha is None or theirs is None or theirs.sha != mine.sha


def clone(flow: Flow) -> Flow:
    """A copy whose nodes can be rewired without touching `flow`."""
    nodes = {k: replace(n, children=list(n.children), jumps=list(n.jumps)) for k, n in flow.nodes.items()}
    return Flow(flow.kind, flow.part, nodes, list(flow.roots))


def changed_fields(change) -> list[str]:
    if change.status == "renamed":
        return [f"renamed from {change.old_id}"]
    fields = sorted({re.split(r"[.\[]", d.field, 1)[0] for d in change.details if d.change != "moved"})
    moved = ["moved"] if any(d.change == "moved" for d in change.details) else []
    return moved + ([f"changed: {', '.join(fields)}"] if fields and change.status == "changed" else [])


def place(flow: Flow, key: str, parent: str | None, after: str | None) -> None:
    """Put `key` under `parent` (a root when it is not in the flow) right after `after`, or first."""
    parent = parent if parent in flow.nodes and parent != key else None
    flow.nodes[key].parent = parent
    siblings = flow.nodes[parent].children if parent else flow.roots
    siblings.insert(siblings.index(after) + 1 if after in siblings else 0, key)


def dialog_groups(old: Flow, new: Flow, changes) -> list[Group]:
    merged = clone(new)
    status: dict[str, str] = {}
    notes: dict[str, list[str]] = {}
    for change in changes:
        status[change.id] = change.status
        notes[change.id] = changed_fields(change)
    removed = [k for k, _ in old.depth_first() if status.get(k) == "removed"]
    for key in removed:  # tree order: a removed parent is back before its removed children
        node = old.nodes[key]
        merged.nodes[key] = replace(node, children=[], jumps=[j for j in node.jumps])
        siblings = old.nodes[node.parent].children if node.parent else old.roots
        index = siblings.index(key)
        place(merged, key, node.parent, siblings[index - 1] if index else None)
    for change in changes:
        if change.status != "changed" or change.id not in merged.nodes or change.id not in old.nodes:
            continue
        _old_jumps(merged, old, change.id)
        move = next((d for d in change.details if d.change == "moved"), None)
        if move is not None:
            ghost = f"{change.id}\0old"
            node = merged.nodes[change.id]
            merged.nodes[ghost] = FlowNode(ghost, node.kind, node.ident, title=node.title, marker="old place",
                                           jumps=[Jump(change.id, "moved to", "jump")])
            place(merged, ghost, move.before.get("parent"), move.before.get("previous_sibling"))
            status[ghost] = "old"
    for node in merged.nodes.values():  # a jump to a node that only the other side has
        node.jumps = [j if j.target is None or j.target in merged.nodes else replace(j, target=None, kind="missing",
                      missing=j.target) for j in node.jumps]
    by_root: dict[str, list[str]] = {}
    for key, _ in merged.depth_first():
        if key in status and status[key] != "old":
            by_root.setdefault((merged.ancestors(key) or [key])[-1], []).append(key)
    at_root = [key for focus in by_root.values() for key in focus if all(merged.nodes[k].parent is None for k in focus)]
    groups = []
    for root, focus in by_root.items():
        if focus[0] in at_root:  # changes to root nodes alone: one picture of the root level
            if focus[0] != at_root[0]:
                continue
            title, focus = "Root nodes", at_root
        else:
            title = f"Flow of {_quoted(merged.nodes[root].name)}"
        groups.append(Group(title, merged, focus, status, notes, _around(merged, focus, status)))
    return groups


def _old_jumps(merged: Flow, old: Flow, key: str) -> None:
    """A changed node's jumps that the new side no longer has, drawn as what it did before."""
    now = {(j.target, j.missing) for j in merged.nodes[key].jumps}
    for jump in old.nodes[key].jumps:
        if (jump.target, jump.missing) not in now:
            merged.nodes[key].jumps.append(replace(jump, label=f"before: {jump.label}"))


def _around(flow: Flow, focus: list[str], status: dict[str, str]) -> list[str]:
    """The immediate neighbourhood of the changed nodes, nearest first."""
    incoming = flow.incoming()
    near: list[str] = []
    for key in focus:
        node = flow.nodes[key]
        siblings = flow.nodes[node.parent].children if node.parent else flow.roots
        index = siblings.index(key) if key in siblings else -1
        near += [f"{key}\0old"] if f"{key}\0old" in flow.nodes else []
        near += [node.parent] if node.parent else []
        near += siblings[max(0, index - 1):index] + siblings[index + 1:index + 2] if index >= 0 else []
        near += [j.target for j in node.jumps if j.target] + [source for source, _ in incoming.get(key, [])]
        near += node.children[:3]
    return [k for k in dict.fromkeys(near) if k not in focus]


def render(groups: list[Group], budget: list[int]) -> list[str]:
    """A <details> with a picture for each group while the budgets last, the rest in words."""
    lines: list[str] = []
    for number, group in enumerate(groups):
        diagram, drawn = fit(group) if number < MAX_PICTURES and budget[0] > 0 else (None, [])
        counts = _counts(group)
        lines += ["", f"<details><summary>{html(group.title)}: {counts}</summary>", ""]
        if diagram is None:
            lines.append("Not drawn: this comment already holds as many pictures as it can.")
        else:
            budget[0] -= len(diagram.text)
            present = {group.status.get(k, "") for k in drawn} & set(LEGEND)
            lines += [fenced(diagram.text), "", "; ".join(LEGEND[s] for s in LEGEND if s in present) + "."]
        missed = [k for k in group.focus if k not in drawn]
        if missed and diagram is not None:
            listed = ", ".join(f"{html(group.flow.nodes[k].name)} ({group.status[k]})" for k in missed[:NAMES_LISTED])
            more = f" and {len(missed) - NAMES_LISTED} more" if len(missed) > NAMES_LISTED else ""
            lines += ["", f"Not drawn ({MAX_NODES} nodes per picture): {listed}{more}."]
        lines += ["", "</details>"]
    return lines


def fit(group: Group) -> tuple[Diagram, list[str]]:
    """The largest picture of the changed nodes first, then their neighbours, within MAX_NODES."""
    order = {key: index for index, (key, _) in enumerate(group.flow.depth_first())}
    ranked = list(dict.fromkeys(group.focus + group.context))
    css = lambda node: CSS.get(group.status.get(node.key, ""), "context")  # noqa: E731
    extra = lambda node: group.notes.get(node.key, [])  # noqa: E731
    for count in range(min(len(ranked), MAX_NODES), 0, -1):
        keys = sorted(ranked[:count], key=lambda k: order.get(k, len(order)))
        diagram = Diagram(MAX_NODES, DIRECTIONS[group.flow.kind])
        if diagram.add(*sketch(group.flow, keys, css_of=css, extra_lines=extra)):
            return diagram, keys
    return Diagram(MAX_NODES, DIRECTIONS[group.flow.kind]), []


def _counts(group: Group) -> str:
    tally: dict[str, int] = {}
    for key in group.focus:
        tally[group.status[key]] = tally.get(group.status[key], 0) + 1
    return ", ".join(f"{tally[status]} {status}" for status in ("added", "removed", "changed", "renamed") if status in tally)


def _quoted(name: str) -> str:
    return f"'{name}'"


def html(text: str) -> str:
    """Skill text inside the comment's HTML and markdown: every mark that could format or
    open a tag written as a character reference."""
    return "".join(ch if ch.isalnum() or ch in " .,-'()" else f"&#{ord(ch)};" for ch in text)

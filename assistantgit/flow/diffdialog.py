"""A dialog's changes merged into one graph: the new tree, removed nodes back where they
were, and the old place of each moved node, grouped by the root branch they are in."""

from __future__ import annotations

from dataclasses import replace

from .diffmodel import Group, changed_fields, clone, no_dangling_jumps, place
from .model import Flow, FlowNode, Jump


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
        merged.nodes[key] = replace(node, children=[], jumps=list(node.jumps))
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
            merged.nodes[ghost] = FlowNode(
                ghost,
                node.kind,
                node.ident,
                title=node.title,
                marker="old place",
                jumps=[Jump(change.id, "moved to", "jump")],
            )
            place(merged, ghost, move.before.get("parent"), move.before.get("previous_sibling"))
            status[ghost] = "old"
    no_dangling_jumps(merged)
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
            title = f"Flow of '{merged.nodes[root].name}'"
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
        near += siblings[max(0, index - 1) : index] + siblings[index + 1 : index + 2] if index >= 0 else []
        near += [j.target for j in node.jumps if j.target] + [source for source, _ in incoming.get(key, [])]
        near += node.children[:3]
    return [k for k in dict.fromkeys(near) if k not in focus]

"""What both sides of a diff say about one flow, merged: the graph the pictures draw."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .model import Flow


@dataclass
class Group:
    """One changed flow: the merged graph, the status of its changed nodes, what to say about them."""

    title: str
    flow: Flow
    focus: list[str]
    status: dict[str, str]
    notes: dict[str, list[str]] = field(default_factory=dict)
    context: list[str] = field(default_factory=list)


def clone(flow: Flow) -> Flow:
    """A copy whose nodes can be rewired without touching `flow`."""
    nodes = {k: replace(n, children=list(n.children), jumps=list(n.jumps)) for k, n in flow.nodes.items()}
    return Flow(flow.kind, flow.part, nodes, list(flow.roots))


def changed_fields(change) -> list[str]:
    if change.status == "renamed":
        return [f"renamed from {change.old_id}"]
    fields = sorted({re.split(r"[.\[]", d.field, maxsplit=1)[0] for d in change.details if d.change != "moved"})
    moved = ["moved"] if any(d.change == "moved" for d in change.details) else []
    return moved + ([f"changed: {', '.join(fields)}"] if fields and change.status == "changed" else [])


def no_dangling_jumps(flow: Flow) -> None:
    """A jump to a node that only the other side has ends at a "no X" terminal: the merged
    graph holds one side's nodes, and a picture can draw only what it holds."""
    for node in flow.nodes.values():
        node.jumps = [
            j
            if j.target is None or j.target in flow.nodes
            else replace(j, target=None, kind="missing", missing=j.target)
            for j in node.jumps
        ]


def place(flow: Flow, key: str, parent: str | None, after: str | None) -> None:
    """Put `key` under `parent` (a root when it is not in the flow) right after `after`, or first."""
    parent = parent if parent in flow.nodes and parent != key else None
    flow.nodes[key].parent = parent
    siblings = flow.nodes[parent].children if parent else flow.roots
    siblings.insert(siblings.index(after) + 1 if after in siblings else 0, key)

"""The graph of one flow: nodes in tree order, with the jumps between them.

A dialog skill gives one tree (root nodes, children, jumps); an actions skill gives one
root per action whose children are its steps. Renderers only read this model, so the
outline and the Mermaid pictures agree on what the flow is.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# Where a jump can end without another node: a picture draws these as small terminal shapes.
TERMINALS = {"end": "End", "agent": "Agent", "fallback": "Fallback"}


@dataclass
class Jump:
    """An edge that is not the tree's parent-child link: a dialog jump, a step's way on."""

    target: str | None  # key of a node of the flow; None for a terminal or a missing node
    label: str  # what people read: "jump to (check condition)", "continue", "end"
    kind: str = "jump"  # jump | continue | call | end | agent | fallback | missing
    missing: str | None = None  # the id named when the target does not exist


@dataclass
class FlowNode:
    key: str  # unique in the flow: a dialog node id, an action id, "action/step"
    kind: str  # node | folder | frame | slot | handler | response | action | step
    ident: str  # the vendor's id (dialog_node, action, step)
    title: str | None = None
    condition: str | None = None
    marker: str | None = None  # "slot $size", "handler nomatch", "skip user input"...
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    jumps: list[Jump] = field(default_factory=list)
    path: str | None = None  # the file that holds it, relative to the tree's root
    data: object = None  # the item as stored, for a diff to compare
    problem: str | None = None  # "parent missing", "in a cycle": drawn, not refused

    @property
    def name(self) -> str:
        """How people call it: the title, else the id."""
        return self.title if self.title else self.ident


@dataclass
class Flow:
    kind: str  # "dialog" or "actions"
    part: str  # "" for a one-skill tree, else its folder ("dialog", "actions")
    nodes: dict[str, FlowNode] = field(default_factory=dict)
    roots: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        what = "Dialog" if self.kind == "dialog" else "Actions"
        return f"{what} ({self.part}/)" if self.part else what

    def depth_first(self, start: list[str] | None = None, depth: int | None = None):
        """(key, level) in tree order from `start` (the roots by default), `depth` levels below it."""
        stack = [(key, 0) for key in reversed(self.roots if start is None else start)]
        seen: set[str] = set()
        while stack:
            key, level = stack.pop()
            if key in seen or key not in self.nodes:
                continue
            seen.add(key)
            yield key, level
            if depth is None or level < depth:
                stack.extend((child, level + 1) for child in reversed(self.nodes[key].children))

    def incoming(self) -> dict[str, list[tuple[str, Jump]]]:
        """target key -> [(source key, jump)] for every jump that reaches a node."""
        found: dict[str, list[tuple[str, Jump]]] = {}
        for key, node in self.nodes.items():
            for jump in node.jumps:
                if jump.target is not None and jump.kind != "continue":
                    found.setdefault(jump.target, []).append((key, jump))
        return found

    def ancestors(self, key: str) -> list[str]:
        """Parent, grandparent... up to a root (a cycle stops the walk)."""
        chain, seen = [], {key}
        parent = self.nodes[key].parent if key in self.nodes else None
        while parent is not None and parent in self.nodes and parent not in seen:
            chain.append(parent)
            seen.add(parent)
            parent = self.nodes[parent].parent
        return chain

    def subtree_size(self, key: str) -> int:
        return sum(1 for _ in self.depth_first([key]))


def as_dict(value: Any) -> dict:
    """A field that should be a mapping, as one (empty when an untrusted file gave something else)."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def as_name(value: Any) -> str | None:
    """An id or a name: a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def text_of(value) -> str | None:
    """A field as one line of text, whatever type an untrusted file gave it."""
    if value is None:
        return None
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return " ".join(text.split()) or None


_BROKEN = object()  # a previous_sibling of another type than text: no sibling follows it


def order_siblings(members: list[str], previous: dict[str, object]) -> list[str]:
    """Siblings in the order their `previous_sibling` links give; nodes the chain misses
    (a broken or ambiguous link, or one that is not text) follow in their given order, so
    nothing disappears."""
    after: dict[object, list[str]] = {}
    for key in members:
        link = previous.get(key)
        after.setdefault(link if link is None or isinstance(link, str) else _BROKEN, []).append(key)
    ordered, seen = [], set()
    current = after.get(None, [])[:1]
    while current and current[0] not in seen:
        seen.add(current[0])
        ordered.append(current[0])
        current = after.get(current[0], [])[:1]
    ordered.extend(key for key in members if key not in seen)
    return ordered

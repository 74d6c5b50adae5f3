"""Which parts of the skill a run reached: intents (top intent of a turn), dialog nodes
(v1 `output.nodes_visited`, v2 node_visited events) and actions and steps (v2 debug
turn events), against what the source tree defines. Folders are left out: they never
answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError


@dataclass
class Section:
    name: str  # "intents", "dialog nodes", "actions", "steps"
    items: dict  # id -> label for messages
    reached: set = field(default_factory=set)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def hit(self) -> int:
        return len(self.reached & set(self.items))

    @property
    def percent(self) -> float:
        return 100.0 * self.hit / self.total if self.total else 100.0

    @property
    def unreached(self) -> list:
        return [self.items[key] for key in self.items if key not in self.reached]


@dataclass
class Coverage:
    sections: list

    def below(self, minimum: float) -> list:
        return [s for s in self.sections if s.total and s.percent < minimum]

    def as_dict(self) -> dict:
        return {
            s.name: {"total": s.total, "reached": s.hit, "percent": round(s.percent, 1), "unreached": s.unreached}
            for s in self.sections
        }


def skill_part(root: Path, expected) -> Path:
    """The tree of the skill format `expected`: the tree itself, or its part in a tree of parts
    (the published-version ZIP's dialog/ or actions/)."""
    from ..formats.base import PartedFormat
    from ..formats.registry import tree_format

    fmt = tree_format(root)
    if isinstance(fmt, PartedFormat):
        for folder, part in fmt.parts.items():
            if part.name == expected.name:
                return Path(root) / folder
    return Path(root)


def inventory(root: Path, kind: str) -> list[Section]:
    """Empty sections listing everything the source tree defines, for an environment of `kind`."""
    from ..pipeline import build_export
    from ..remote.sync import kind_format

    expected = kind_format(kind)
    part = skill_part(root, expected)
    fmt, export = build_export(part)
    if fmt.name != expected.name:
        raise InputError(f"{part}: a {fmt.name} tree, but the environment is a {kind} one; use --dir")
    workspace = export.get("workspace") if isinstance(export.get("workspace"), dict) else export
    intents = {}
    for intent in workspace.get("intents") or []:
        if isinstance(intent, dict) and isinstance(intent.get("intent"), str):
            intents[intent["intent"]] = f"#{intent['intent']}"
    if kind == "dialog":
        nodes = {
            n["dialog_node"]: _label(n["dialog_node"], n.get("title"))
            for n in workspace.get("dialog_nodes") or []
            if isinstance(n, dict) and isinstance(n.get("dialog_node"), str) and n.get("type") != "folder"
        }
        return [Section("intents", intents), Section("dialog nodes", nodes)]
    actions, steps = {}, {}
    for action in workspace.get("actions") or []:
        if not isinstance(action, dict) or not isinstance(action.get("action"), str):
            continue
        ident, title = action["action"], action.get("title")
        actions[ident] = _label(ident, title)
        intent = (action.get("condition") or {}).get("intent") if isinstance(action.get("condition"), dict) else None
        if intent in intents:
            intents[intent] = f"#{intent} ({title or ident})"
        for step in action.get("steps") or []:
            if isinstance(step, dict) and isinstance(step.get("step"), str):
                steps[(ident, step["step"])] = f"{title or ident} / {step['step']}"
    return [Section("intents", intents), Section("actions", actions), Section("steps", steps)]


def _label(ident: str, title) -> str:
    return f"{ident} ({title})" if isinstance(title, str) and title and title != ident else ident


def measure(sections: list, outcomes: list) -> Coverage:
    """Mark what the replies of a run reached."""
    by_name = {s.name: s for s in sections}
    for outcome in outcomes:
        for reply in outcome.replies:
            if reply.top_intent and "intents" in by_name:
                by_name["intents"].reached.add(reply.top_intent[0])
            if "dialog nodes" in by_name:
                by_name["dialog nodes"].reached.update(reply.nodes)
            if "actions" in by_name:
                by_name["actions"].reached.update(reply.actions)
                by_name["steps"].reached.update(reply.steps)
    return Coverage(sections)

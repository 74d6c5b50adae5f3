"""Watson exports whose link and name fields now and then take a wrong type (hypothesis
strategies): a dialog whose nodes name parents, siblings and jump targets, or actions whose
steps go on to steps and call other actions, edited (moved, renamed, dropped, retitled), and
then one field or more given a mapping, a list, a number, null or a boolean where an id or a
name belongs. A source tree is untrusted input: diff and show must say what they see or
refuse the file in one line, never crash."""

from __future__ import annotations

import copy
import itertools
from typing import Any

from hypothesis import strategies as st

WRONG = st.sampled_from([{}, {"a": "b"}, [], ["a"], 0, 7, 1.5, None, True, False]).map(copy.deepcopy)  # no value shared
NODES = ["a", "b", "c", "d", "e"]
ACTIONS = ["x", "y", "z"]

# Where an id or a name is read, per item kind: a path of keys (an int indexes a list).
DIALOG_FIELDS: list[tuple] = [
    ("dialog_node",),
    ("title",),
    ("parent",),
    ("previous_sibling",),
    ("type",),
    ("conditions",),
    ("event_name",),
    ("variable",),
    ("next_step",),
    ("next_step", "dialog_node"),
    ("next_step", "behavior"),
    ("next_step", "selector"),
]
ACTION_FIELDS: list[tuple] = [
    ("action",),
    ("title",),
    ("next_action",),
    ("condition",),
    ("condition", "intent"),
    ("intent",),
    ("intent", "intent"),
    ("intent", "examples"),
    ("steps",),
    ("variables",),
    ("variables", 0, "variable"),
    ("variables", 0, "title"),
    *[
        ("steps", 0, *rest)
        for rest in [
            (),
            ("step",),
            ("title",),
            ("next_step",),
            ("variable",),
            ("condition",),
            ("resolver",),
            ("resolver", "type"),
            ("resolver", "invoke_action"),
            ("resolver", "invoke_action", "action"),
            ("context",),
            ("context", "variables", 0, "skill_variable"),
            ("output", "generic", 0, "values", 0, "text"),
        ]
    ],
]
INTENT_FIELDS: list[tuple] = [("intent",), ("examples",), ("examples", 0, "text")]
FIELDS = {"dialog_nodes": DIALOG_FIELDS, "actions": ACTION_FIELDS, "intents": INTENT_FIELDS}


@st.composite
def dialog_nodes(draw) -> list[dict]:
    """A small tree: each node under an earlier one (or a root), after the sibling before it,
    some jumping to another node."""
    nodes: list[dict] = []
    last: dict = {}
    for ident in NODES:
        parent = draw(st.none() | st.sampled_from([n["dialog_node"] for n in nodes] or [None]))
        node: dict[str, Any] = {"dialog_node": ident, "title": ident.upper(), "conditions": f"#{ident}"}
        if parent is not None:
            node["parent"] = parent
        if last.get(parent) is not None:
            node["previous_sibling"] = last[parent]
        if draw(st.integers(0, 2)) == 0:
            node["next_step"] = {"behavior": "jump_to", "selector": "body", "dialog_node": draw(st.sampled_from(NODES))}
        if draw(st.integers(0, 3)) == 0:
            node["type"] = draw(st.sampled_from(["slot", "event_handler", "frame"]))
            node["event_name"], node["variable"] = "focus", "$size"
        last[parent] = ident
        nodes.append(node)
    return nodes


@st.composite
def actions(draw) -> list[dict]:
    """Actions whose steps go on to another step, end, or call another action."""
    found = []
    for ident in ACTIONS:
        steps = []
        for number in range(draw(st.integers(1, 3))):
            step: dict[str, Any] = {"step": f"s{number}", "title": f"{ident} step {number}", "variable": f"v{number}"}
            how = draw(st.sampled_from(["continue", "end_action", "invoke_another_action", "next", "fallback"]))
            if how == "next":
                step["next_step"] = "s0"
            elif how in ("invoke_another_action", "fallback"):
                called = draw(st.sampled_from([*ACTIONS, "fallback"])) if how != "fallback" else "fallback"
                step["resolver"] = {"type": "invoke_another_action", "invoke_action": {"action": called}}
            else:
                step["resolver"] = {"type": how}
            if draw(st.booleans()):
                step["condition"] = {"expression": "${v0} > 1"}
            step["output"] = {"generic": [{"response_type": "text", "values": [{"text": f"hello {number}"}]}]}
            steps.append(step)
        action = {
            "action": ident,
            "title": ident.upper(),
            "condition": {"intent": f"i_{ident}"},
            "steps": steps,
            "variables": [{"variable": "v0", "title": "First"}],
        }
        if draw(st.booleans()):
            action["next_action"] = draw(st.sampled_from(ACTIONS))
        found.append(action)
    return found


def _set(item: dict, path: tuple, value) -> None:
    """Set the field at `path` in `item`, making the mappings and lists on the way."""
    holder: Any = item
    for step, following in itertools.pairwise(path):
        inner = holder.get(step) if isinstance(holder, dict) else holder[step]
        if isinstance(following, int) and not (isinstance(inner, list) and inner):
            inner = [{}]
        elif isinstance(following, str) and not isinstance(inner, dict):
            inner = {}
        holder[step] = inner
        holder = inner
    holder[path[-1]] = value


@st.composite
def edited(draw, workspace: dict) -> dict:
    """The workspace with some items moved, renamed (and, now and then, their callers along),
    dropped or retitled."""
    workspace = copy.deepcopy(workspace)
    for key, id_field in (("dialog_nodes", "dialog_node"), ("actions", "action"), ("intents", "intent")):
        items = workspace.get(key, [])
        for item in list(items):
            what = draw(st.sampled_from(["keep", "keep", "keep", "move", "rename", "drop", "retitle"]))
            if what == "move" and key == "dialog_nodes":
                item["parent"] = draw(st.sampled_from(NODES))
                item["previous_sibling"] = draw(st.none() | st.sampled_from(NODES))
            elif what == "rename":
                old, new = item[id_field], item[id_field] + "_r"
                item[id_field] = new
                if draw(st.booleans()):  # the references along, as the tool's editor does
                    for other in items:
                        _rename_references(other, old, new)
            elif what == "drop":
                items.remove(item)
            elif what == "retitle":
                item["title"] = "Changed"
    return workspace


def _rename_references(item, old: str, new: str):
    """Every text equal to `old` in the item's link fields becomes `new`."""
    if isinstance(item, dict):
        for key, value in item.items():
            if value == old and key in {"parent", "previous_sibling", "dialog_node", "action", "next_action"}:
                item[key] = new
            else:
                _rename_references(value, old, new)
    elif isinstance(item, list):
        for value in item:
            _rename_references(value, old, new)


@st.composite
def spoiled(draw, workspace: dict) -> dict:
    """The workspace with up to three link or name fields given a wrong type."""
    workspace = copy.deepcopy(workspace)
    keys = [k for k in ("dialog_nodes", "actions", "intents") if workspace.get(k)]
    if not keys:  # the edit dropped every item: nothing is left to spoil
        return workspace
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(keys))
        fields = FIELDS[key]
        item = draw(st.sampled_from(workspace[key]))
        _set(item, draw(st.sampled_from(fields)), draw(WRONG))
    return workspace


@st.composite
def odd_pairs(draw) -> tuple[dict, dict]:
    """Two versions of a skill, one or both with link or name fields of a wrong type."""
    if draw(st.booleans()):
        workspace: dict = {"dialog_nodes": draw(dialog_nodes()), "intents": [{"intent": "a", "examples": []}]}
    else:
        workspace = {
            "actions": draw(actions()),
            "intents": [{"intent": f"i_{a}", "examples": [{"text": f"do {a}"}]} for a in ACTIONS],
        }
    before, after = workspace, draw(edited(workspace))
    which = draw(st.sampled_from(["before", "after", "both"]))
    if which != "after":
        before = draw(spoiled(before))
    if which != "before":
        after = draw(spoiled(after))
    shape = draw(st.sampled_from(["bare", "envelope"]))
    if shape == "envelope":
        kind = "action" if "actions" in workspace else "dialog"
        return {"type": kind, "workspace": before}, {"type": kind, "workspace": after}
    return before, after

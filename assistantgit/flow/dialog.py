"""A dialog skill's nodes as a tree with jumps.

Every node is kept, whatever its links say: a `parent` that names no node, or a cycle of
parents, makes the node a root marked with its problem (validate and push refuse such
trees; a picture of a pull request that breaks the tree should still show it).
"""

from __future__ import annotations

from .model import Flow, FlowNode, Jump, as_name, order_siblings, text_of

KINDS = {
    "standard": "node",
    "folder": "folder",
    "frame": "frame",
    "slot": "slot",
    "event_handler": "handler",
    "response_condition": "response",
}
# next_step.selector: what happens at the target of a jump.
SELECTORS = {
    "condition": "check its condition",
    "body": "respond",
    "user_input": "wait for input",
    "client": "client action",
}
# next_step.behavior without a target, shown next to the node.
BEHAVIORS = {
    "skip_user_input": "skip user input",
    "reprompt": "reprompt",
    "skip_all_slots": "skip all slots",
    "skip_slot": "skip slot",
    "move_on": "move on",
}


def build(items: list[tuple[str, object]], part: str = "") -> Flow:
    """The dialog tree from (path, node data) pairs, in the order of the files."""
    flow = Flow("dialog", part)
    previous: dict[str, object] = {}
    for path, data in items:
        node = _node(path, data if isinstance(data, dict) else {})
        while node.key in flow.nodes:  # two files with one id: keep both, the second renamed
            node.key += "'"
        flow.nodes[node.key] = node
        previous[node.key] = data.get("previous_sibling") if isinstance(data, dict) else None
    _link(flow, previous)
    for node in flow.nodes.values():
        for jump in node.jumps:
            if jump.missing is not None and jump.missing in flow.nodes:
                jump.target, jump.missing = jump.missing, None
            elif jump.missing is not None:
                jump.kind, jump.label = "missing", f"{jump.label}: no node {jump.missing}"
    return flow


def _node(path: str, data: dict) -> FlowNode:
    ident = as_name(data.get("dialog_node")) or f"({path})"
    kind = KINDS.get(as_name(data.get("type")) or "standard", "node")
    node = FlowNode(
        ident,
        kind,
        ident,
        title=text_of(data.get("title")),
        condition=text_of(data.get("conditions")),
        path=path,
        data=data,
    )
    node.parent = as_name(data.get("parent"))
    if kind == "slot":
        node.marker = f"slot {text_of(data.get('variable')) or '(no variable)'}"
    elif kind == "handler":
        node.marker = f"handler {text_of(data.get('event_name')) or '(no event)'}"
    elif kind in ("folder", "frame", "response"):
        node.marker = {"folder": "folder", "frame": "slots", "response": "response"}[kind]
    step = data.get("next_step")
    if isinstance(step, dict):
        behavior = step.get("behavior")
        target = step.get("dialog_node")
        if behavior == "jump_to" or (isinstance(target, str) and target):
            chosen = as_name(step.get("selector")) or "condition"
            selector = SELECTORS.get(chosen, chosen)
            node.jumps.append(Jump(None, f"jump to, {selector}", "jump", missing=text_of(target) or "(none)"))
        elif isinstance(behavior, str):
            extra = BEHAVIORS.get(behavior, behavior)
            node.marker = f"{node.marker}, {extra}" if node.marker else extra
    return node


def _link(flow: Flow, previous: dict[str, object]) -> None:
    """Children lists in sibling order; roots; problems for broken parents and cycles."""
    for node in flow.nodes.values():
        if node.parent is not None and node.parent not in flow.nodes:
            node.problem = f"parent {node.parent} missing"
            node.parent = None
    done: set[str] = set()
    for key in flow.nodes:  # a cycle of parents is cut where the walk up first closes it
        walked: list[str] = []
        current: str | None = key
        while current is not None and current not in done:
            if current in walked:
                flow.nodes[current].problem = "in a cycle of parents"
                flow.nodes[current].parent = None
                break
            walked.append(current)
            current = flow.nodes[current].parent
        done.update(walked)
    members: dict[str | None, list[str]] = {}
    for key, node in flow.nodes.items():
        members.setdefault(node.parent, []).append(key)
    for parent, keys in members.items():
        ordered = order_siblings(keys, previous)
        if parent is None:
            flow.roots = ordered
        else:
            flow.nodes[parent].children = ordered

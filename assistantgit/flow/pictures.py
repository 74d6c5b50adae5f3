"""Flows as Mermaid pictures: one bounded overview, every node in parts, or one item's neighbourhood.

Parts follow the outline's order: consecutive root nodes (or actions) share a picture
while they fit, a larger branch is cut into consecutive pieces, and a piece that starts
inside a branch draws that branch's parent as a grey context node. Every node is drawn in
exactly one part; jumps to a node drawn elsewhere end at a grey copy of it.
"""

from __future__ import annotations

from .mermaid import Diagram, Link, Shape
from .model import Flow, FlowNode

PART_NODES = 60  # nodes of the flow per part (context nodes come on top)
OVERVIEW_NODES = 100  # nodes of the single bounded picture
NEIGHBOURHOOD_NODES = 60
SHAPES = {
    "node": "box",
    "frame": "box",
    "folder": "subroutine",
    "slot": "stadium",
    "handler": "flag",
    "response": "round",
    "action": "stadium",
    "step": "box",
}
# A dialog reads top to bottom at each level and deeper to the right; an action's steps read downwards.
DIRECTIONS = {"dialog": "LR", "actions": "TD"}
TERMINAL_NAMES = {"end": "End", "agent": "Agent transfer", "fallback": "Fallback"}
START = "\0start"
# Jumps whose line needs no words: the shape it ends at says it.
QUIET = {"continue": "continue", "end": "end", "agent": "agent transfer", "fallback": "fallback"}


def node_lines(node: FlowNode) -> list[str]:
    lines = [f"({node.marker}) {node.name}" if node.marker else node.name]  # first: a long name is cut, not the marker
    if node.condition:
        lines.append(("when " if node.kind == "action" else "if ") + node.condition)
    if node.problem:
        lines.append(f"! {node.problem}")
    return lines


def default_css(node: FlowNode) -> str | None:
    return {"folder": "folder", "action": "action"}.get(node.kind)


def sketch(flow: Flow, keys: list[str], css_of=default_css, extra_lines=None, visible: set | None = None):
    """Shapes and links drawing `keys`: tree links, jumps, terminals; a parent or jump
    target outside `keys` as a grey context node; children outside `visible` as a count."""
    drawn = set(keys)
    shapes, links = [], []

    def context(key: str) -> None:
        if key not in drawn:
            shapes.append(Shape(key, [flow.nodes[key].name], SHAPES[flow.nodes[key].kind], "more"))

    for key in keys:
        node = flow.nodes[key]
        lines = node_lines(node) + (extra_lines(node) if extra_lines else [])
        shapes.append(Shape(key, lines, SHAPES[node.kind], css_of(node)))
        if node.parent is not None and not _follows_drawn_step(flow, node, drawn):
            context(node.parent)
            links.append(Link(node.parent, key))
        elif node.parent is None and flow.kind == "dialog":  # root nodes hang off one start, in their order
            shapes.append(Shape(START, ["Start"], "circle", "terminal"))
            links.append(Link(START, key))
        if visible is not None and node.children and not any(c in visible for c in node.children):
            stub = f"{key}\0below"
            shapes.append(Shape(stub, [f"+{flow.subtree_size(key) - 1} below"], "round", "more"))
            links.append(Link(key, stub, style="dashed"))
        for jump in node.jumps:
            words = None if QUIET.get(jump.kind) == jump.label else jump.label
            if jump.kind == "replay":
                links.append(Link(key, key, "replay", "dashed"))
            elif jump.target is None:
                owner = node.parent if node.kind == "step" else ""
                terminal = f"{owner}\0{jump.kind}\0{jump.missing or ''}"
                name = TERMINAL_NAMES.get(jump.kind) or f"no {jump.missing}"
                shapes.append(Shape(terminal, [name], "round", "missing" if jump.kind == "missing" else "terminal"))
                links.append(Link(key, terminal, words, "solid" if jump.kind != "missing" else "dashed"))
            else:
                context(jump.target)
                links.append(Link(key, jump.target, words, "solid" if jump.kind == "continue" else "dashed"))
    return shapes, links


def _follows_drawn_step(flow: Flow, node: FlowNode, drawn: set) -> bool:
    """A step after a drawn step is reached through it: a line from its action would only clutter."""
    if node.kind != "step" or node.parent is None:
        return False
    siblings = flow.nodes[node.parent].children
    index = siblings.index(node.key)
    return index > 0 and siblings[index - 1] in drawn


def draw(flow: Flow, keys: list[str], max_nodes: int, **options) -> list[Diagram]:
    """Diagrams drawing `keys`: one when they fit, else halves until each fits."""
    diagram = Diagram(max_nodes, DIRECTIONS[flow.kind])
    if diagram.add(*sketch(flow, keys, **options)):
        return [diagram]
    if len(keys) == 1:
        diagram.left_out = f"{flow.nodes[keys[0]].name}, too large to draw"
        return [diagram]
    middle = len(keys) // 2
    return draw(flow, keys[:middle], max_nodes, **options) + draw(flow, keys[middle:], max_nodes, **options)


def visible_keys(flow: Flow, depth: int | None) -> list[str]:
    return [key for key, _ in flow.depth_first(depth=depth)]


def chunks(flow: Flow, keys: list[str], budget: int = PART_NODES) -> list[list[str]]:
    """`keys` (in outline order) cut into parts of at most `budget`, at root boundaries when that suffices."""
    roots = set(flow.roots)
    groups: list[list[str]] = []
    for key in keys:
        if key in roots or not groups:
            groups.append([])
        groups[-1].append(key)
    parts: list[list[str]] = []
    current: list[str] = []
    for group in groups:
        if len(current) + len(group) > budget and current:
            parts.append(current)
            current = []
        while len(group) > budget:
            parts.append(group[:budget])
            group = group[budget:]
        current += group
    return parts + ([current] if current else [])


def overview(flow: Flow, depth: int | None = None) -> Diagram:
    """The whole flow in one picture, or, when it is too large, its top levels with counts
    of what lies below (and, with too many roots, the first roots)."""
    limit = depth
    keys = visible_keys(flow, limit)
    while _cost(flow, keys) > OVERVIEW_NODES:
        deepest = max((level for _, level in flow.depth_first(depth=limit)), default=0)
        if deepest == 0:
            break
        limit = deepest - 1
        keys = visible_keys(flow, limit)
    keys = keys[:OVERVIEW_NODES]
    diagram = draw(flow, keys, 3 * OVERVIEW_NODES, visible=set(keys))[0]
    hidden = len(flow.nodes) - sum(1 for k in keys if k in diagram.ids)
    if hidden:
        diagram.left_out = (
            f"{hidden:,} of {len(flow.nodes):,} {'nodes' if flow.kind == 'dialog' else 'actions and steps'}"
        )
    return diagram


def _cost(flow: Flow, keys: list[str]) -> int:
    """Nodes a picture of `keys` draws: theirs, and one count for each node whose children are left out."""
    shown = set(keys)
    return len(keys) + sum(
        1 for k in keys if flow.nodes[k].children and not any(c in shown for c in flow.nodes[k].children)
    )


def neighbourhood(flow: Flow, key: str, depth: int = 1) -> Diagram:
    """One node or action with its parent, nearby siblings, children to `depth` and jumps in and out."""
    node = flow.nodes[key]
    if node.kind == "action":
        keys = [k for k, _ in flow.depth_first([key])]
    else:
        siblings = flow.nodes[node.parent].children if node.parent else flow.roots
        index = siblings.index(key) if key in siblings else 0
        keys = ([node.parent] if node.parent else []) + siblings[max(0, index - 5) : index + 6]
        keys += [k for k, _ in flow.depth_first([key], depth=depth) if k != key]
    keys += [source for source, _ in flow.incoming().get(key, [])]
    keys = list(dict.fromkeys(keys))[:NEIGHBOURHOOD_NODES]
    if key not in keys:
        keys.append(key)
    keys.sort(key=lambda k: k != key)  # the item first: if the text limit cuts, it cuts neighbours
    diagram = draw(
        flow,
        keys,
        3 * NEIGHBOURHOOD_NODES,
        visible=set(keys),
        css_of=lambda n: "focus" if n.key == key else default_css(n) or "context",
    )[0]
    hidden = sum(1 for k in keys if k not in diagram.ids)
    if hidden:
        diagram.left_out = f"{hidden} of the {len(keys)} nodes around {flow.nodes[key].name}"
    return diagram


def fenced(text: str) -> str:
    return f"```mermaid\n{text.rstrip()}\n```"


def markdown(flows: list[Flow], depth: int | None = None) -> str:
    """Every flow in parts, each part a ```mermaid block under a heading."""
    out = []
    for flow in flows:
        keys = visible_keys(flow, depth)
        diagrams = [d for part in chunks(flow, keys) for d in draw(flow, part, 3 * PART_NODES, visible=set(keys))]
        count = f"{len(flow.nodes):,} nodes" if flow.kind == "dialog" else f"{len(flow.roots):,} actions"
        out.append(f"### {flow.label}: {count}, in {len(diagrams)} picture{'s' if len(diagrams) != 1 else ''}")
        for number, diagram in enumerate(diagrams, start=1):
            if len(diagrams) > 1:
                out += ["", f"#### Part {number} of {len(diagrams)}"]
            out += ["", fenced(diagram.text)]
        out.append("")
    return "\n".join(out)

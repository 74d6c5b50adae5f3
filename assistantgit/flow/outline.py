"""A flow as an indented outline for the terminal: one line per node or step.

Lines are lists of (text, style) segments; the command decides whether styles become
colour. Text from the skill is cleaned of control characters first, so a title cannot
move the cursor or recolour a terminal.
"""

from __future__ import annotations

import sys

from .model import Flow, FlowNode, Jump

Line = list  # [(text, style or None)]
CONDITION_MAX = 100
SIBLINGS_AROUND = 5  # an item among many siblings shows this many on each side
BIDI_CONTROLS = set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
UNICODE_BRANCHES = ("├─ ", "└─ ", "│  ", "   ")
ASCII_BRANCHES = ("|- ", "`- ", "|  ", "   ")


def clean(text: str) -> str:
    """Text safe to print: control characters (escape sequences too) and bidi overrides shown as escapes."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch.isprintable() and ord(ch) not in BIDI_CONTROLS else ch.encode("unicode_escape").decode("ascii")
        for ch in text
    )


def short(text: str, limit: int = CONDITION_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def branches() -> tuple[str, str, str, str]:
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return UNICODE_BRANCHES if encoding.startswith("utf") else ASCII_BRANCHES


def node_segments(flow: Flow, node: FlowNode, hidden: int = 0) -> Line:
    """One node's line after its tree prefix: marker, name, condition, jumps, problems."""
    line: Line = []
    if node.marker:
        line.append((f"[{clean(node.marker)}] ", "marker"))
    line.append((clean(node.name), "title" if node.title else "id"))
    if node.kind == "action":
        line.append((f"  ({clean(node.ident)})", "id"))
    if node.condition:
        line.append(("  when " if node.kind == "action" else "  if ", None))
        line.append((clean(short(node.condition)), "condition"))
    for jump in node.jumps:
        if not _obvious(flow, node, jump):
            line.append((f"  → {jump_text(flow, jump)}", "problem" if jump.kind == "missing" else "jump"))
    if hidden:
        line.append((f"  (+{hidden} below)", "id"))
    if node.problem:
        line.append((f"  ! {clean(node.problem)}", "problem"))
    return line


def _obvious(flow: Flow, node: FlowNode, jump: Jump) -> bool:
    """A step that just continues to the step after it: the outline's order says it already."""
    if jump.kind != "continue" or node.parent is None:
        return False
    siblings = flow.nodes[node.parent].children
    index = siblings.index(node.key) if node.key in siblings else -1
    return 0 <= index < len(siblings) - 1 and siblings[index + 1] == jump.target and jump.label in ("continue", "else")


def jump_text(flow: Flow, jump: Jump) -> str:
    if jump.target is None:
        return clean(jump.label)
    target = flow.nodes[jump.target]
    return f"{clean(jump.label)}: {describe(target)}"


def describe(node: FlowNode) -> str:
    """'Title' (id), or the id alone."""
    if node.kind == "step" or not node.title:
        return clean(node.name)
    return f"'{clean(node.title)}' ({clean(node.ident)})"


def heading(flow: Flow) -> Line:
    if flow.kind == "dialog":
        text = f"{flow.label}: {len(flow.nodes)} nodes, {len(flow.roots)} at the root"
    else:
        steps = sum(1 for n in flow.nodes.values() if n.kind == "step")
        text = f"{flow.label}: {len(flow.roots)} actions, {steps} steps"
    return [(text, "heading")]


def outline(flows: list[Flow], depth: int | None = None) -> list[Line]:
    """Every flow as a tree, `depth` levels below the roots (all when None)."""
    lines: list[Line] = []
    for flow in flows:
        if lines:
            lines.append([])
        lines.append(heading(flow))
        lines.extend(_tree(flow, list(flow.depth_first(depth=depth))))
    return lines


def _tree(flow: Flow, rows: list[tuple[str, int]], focus: str | None = None) -> list[Line]:
    """Rows (key, level) in depth-first order, drawn with branch characters; a node whose
    children are not among the rows says how many nodes it hides."""
    tee, elbow, pipe, space = branches()
    last = [False] * len(rows)
    following: dict[int, int] = {}  # level -> next row at that level, walking backwards
    for index in range(len(rows) - 1, -1, -1):
        level = rows[index][1]
        last[index] = level not in following
        following = {lv: i for lv, i in following.items() if lv < level}
        following[level] = index
    lines: list[Line] = []
    more_below: list[bool] = []
    for index, (key, level) in enumerate(rows):
        node = flow.nodes[key]
        del more_below[level:]
        prefix = "".join(pipe if more else space for more in more_below) + (elbow if last[index] else tee)
        more_below.append(not last[index])
        shown_below = index + 1 < len(rows) and rows[index + 1][1] > level
        hidden = flow.subtree_size(key) - 1 if node.children and not shown_below else 0
        segments = node_segments(flow, node, hidden)
        if key == focus:
            segments = [("▶ ", "focus")] + [
                (text, "focus" if style in ("title", "id") else style) for text, style in segments
            ]
        lines.append([(prefix, "tree")] + segments)
    return lines


def neighbourhood(flow: Flow, key: str, depth: int = 1) -> list[Line]:
    """One node or action: where it sits (parent, siblings), what is below it to `depth`,
    and the jumps that reach it or leave it."""
    node = flow.nodes[key]
    lines: list[Line] = [[(describe(node), "heading"), (f"  {node.path}" if node.path else "", "id")]]
    if node.kind == "action":  # an action is drawn whole: its steps are its flow
        siblings, shown, rows = [key], [key], list(flow.depth_first([key]))
    else:
        siblings = flow.nodes[node.parent].children if node.parent else flow.roots
        index = siblings.index(key) if key in siblings else 0
        shown = siblings[max(0, index - SIBLINGS_AROUND) : index + SIBLINGS_AROUND + 1]
        base = 1 if node.parent else 0
        rows = [(node.parent, 0)] if node.parent else []
        for sibling in shown:
            rows.extend((k, lv + base) for k, lv in flow.depth_first([sibling], depth=depth if sibling == key else 0))
    lines.extend(_tree(flow, rows, focus=key))
    skipped = len(siblings) - len(shown)
    if skipped:
        lines.append([(f"({skipped} more sibling{'s' if skipped > 1 else ''} not shown)", "id")])
    incoming = flow.incoming().get(key, [])
    if incoming:
        lines.append([("Jumps here:", "heading")])
        lines.extend(
            [("  ← ", "jump"), (describe(flow.nodes[source]), None), (f"  {clean(jump.label)}", "jump")]
            for source, jump in incoming
        )
    below = flow.depth_first([key], depth=None if node.kind == "action" else depth)
    outgoing = [j for k, _ in below for j in flow.nodes[k].jumps if j.kind in ("jump", "call", "missing")]
    if outgoing:
        lines.append([("Jumps from here:", "heading")])
        lines.extend(
            [("  → ", "jump"), (jump_text(flow, jump), "problem" if jump.kind == "missing" else None)]
            for jump in outgoing
        )
    return lines

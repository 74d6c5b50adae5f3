"""Pictures of what a diff changed in the flows, for the pull-request comment.

For each changed flow (a dialog branch under one root node, or one action) a Mermaid
picture of the changed nodes or steps with their immediate neighbourhood: parent,
siblings, children and jumps in and out. Both sides are merged into one graph: added
nodes green, removed red (drawn where they were), changed yellow, and a moved node both
at its new place and, dashed grey, at its old one. A picture holds at most MAX_NODES
nodes; the changes it cannot hold, and flows beyond MAX_PICTURES, are listed in words.
"""

from __future__ import annotations

from . import diffdialog, diffsteps, source
from .diffmodel import Group
from .mermaid import Diagram
from .model import Flow
from .pictures import DIRECTIONS, fenced, sketch

MAX_NODES = 40
MAX_PICTURES = 6  # per kind of item
MAX_CHARS = 24_000  # of pictures in one comment (GitHub takes 65,536 characters in all)
NAMES_LISTED = 15
FOLDERS = {kind: folder for folder, kind in (("dialog_nodes", "dialog"), ("actions", "actions"))}
CSS = {"added": "added", "removed": "removed", "changed": "changed", "renamed": "changed", "old": "old"}
LEGEND = {
    "added": "green: added",
    "removed": "red: removed",
    "changed": "yellow: changed",
    "old": "dashed grey: where a moved node was",
}


def sections(left, right, diff) -> dict[str, list[str]]:
    """kind key -> markdown lines (a <details> per changed flow) for the diff's markdown."""
    wanted = {c.kind for c in diff.changes if c.kind.rsplit("/", 1)[-1] in FOLDERS.values()}
    if not wanted:
        return {}
    right.load([p for p in right.entries if source.wanted(p)])
    left.load([p for p in left.entries if source.wanted(p) and _own(left, right, p)])
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
        groups = (
            diffdialog.dialog_groups(before, after, changes)
            if kind == "dialog"
            else diffsteps.action_groups(before, after, changes)
        )
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


def render(groups: list[Group], budget: list[int]) -> list[str]:
    """A <details> with a picture for each group while the budgets last; the rest named in words."""
    lines: list[str] = []
    undrawn: list[Group] = []
    for group in groups:
        if lines.count("</details>") >= MAX_PICTURES or budget[0] <= 0:
            undrawn.append(group)
            continue
        diagram, drawn = fit(group)
        budget[0] -= len(diagram.text)
        present = {CSS.get(group.status.get(k, ""), "") for k in drawn} & set(LEGEND)  # renamed is drawn as changed
        lines += [
            "",
            f"<details><summary>{html(group.title)}: {_counts(group)}</summary>",
            "",
            fenced(diagram.text),
            "",
            "; ".join(LEGEND[s] for s in LEGEND if s in present) + ".",
        ]
        missed = [k for k in group.focus if k not in drawn]
        if missed:
            listed = ", ".join(f"{html(group.flow.nodes[k].name)} ({group.status[k]})" for k in missed[:NAMES_LISTED])
            more = f" and {len(missed) - NAMES_LISTED} more" if len(missed) > NAMES_LISTED else ""
            lines += ["", f"Not drawn ({MAX_NODES} nodes per picture): {listed}{more}."]
        lines += ["", "</details>"]
    if undrawn:
        listed = "; ".join(f"{html(g.title)} ({_counts(g)})" for g in undrawn[:NAMES_LISTED])
        more = f"; and {len(undrawn) - NAMES_LISTED} more" if len(undrawn) > NAMES_LISTED else ""
        lines += [
            "",
            f"{len(undrawn)} more changed flow{'s' if len(undrawn) > 1 else ''}, not drawn to keep this "
            f"comment readable: {listed}{more}.",
        ]
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
    return ", ".join(
        f"{tally[status]} {status}" for status in ("added", "removed", "changed", "renamed") if status in tally
    )


def html(text: str) -> str:
    """Skill text inside the comment's HTML and markdown: every mark that could format or
    open a tag written as a character reference."""
    return "".join(ch if ch.isalnum() or ch in " .,-'()" else f"&#{ord(ch)};" for ch in text)

"""AG3xx: the dialog tree is a tree. Every link a node holds (parent, previous_sibling,
next_step) is checked against the ids of all nodes, so a pre-commit run on one file
still catches a link to a node that another change deleted."""

from __future__ import annotations

from operator import attrgetter

from .._core import ERROR, per_tree, rule

JUMP_BEHAVIORS = {"jump_to"}
_PARENT = attrgetter("parent")
_PREVIOUS = attrgetter("previous")


@per_tree
def _named(tree) -> list:
    """The facts of every node file whose node has an id (a text)."""
    return [facts for facts in tree.nodes if isinstance(facts.ident, str)]


@per_tree
def _index(tree):
    """id -> the facts of the nodes that hold it, in the tree's order."""
    named = _named(tree)
    by_id = {facts.ident: [facts] for facts in named}
    if len(by_id) == len(named):  # each id held once (nearly every tree): no appending
        return by_id
    by_id = {}
    for facts in named:
        by_id.setdefault(facts.ident, []).append(facts)
    return by_id


@per_tree
def _unique(tree) -> dict:
    """id -> its node, for the ids one node holds (the only ones a link can follow)."""
    return {ident: nodes[0] for ident, nodes in _index(tree).items() if len(nodes) == 1}


@per_tree
def _selected_nodes(tree) -> tuple:
    """The facts of the named node files; none without reading any node's facts when no node
    file is named (a commit of an intent file does not pay for the 3,000 nodes' links).
    Made once per run for the seven rules below (a push names every node: 13,500 on the
    stress skill, ~0.1 s a time)."""
    if not tree.of_kind("dialog_nodes"):
        return ()
    if tree.whole:  # every file is selected (push's refusals, a whole-tree validate)
        return tuple(_named(tree))
    chosen = set(tree.selected)
    return tuple(f for f in tree.nodes if f.rel in chosen and isinstance(f.ident, str))


@rule("AG301", ERROR, "two dialog nodes with the same id")
def unique_ids(tree):
    selected = _selected_nodes(tree)
    if not selected or len(_index(tree)) == len(_named(tree)):  # each id held once: nothing to report
        return
    by_id = _index(tree)
    for facts in selected:
        holders = by_id[facts.ident]
        if len(holders) == 1 and holders[0] is facts:  # this node alone (nearly all of them: no sort each)
            continue
        others = sorted(f.rel for f in holders if f.rel != facts.rel)
        if others:
            yield facts.rel, ("dialog_node",), f"dialog node id '{facts.ident}' is also used by {', '.join(others)}"


@rule("AG302", ERROR, "a parent that does not exist")
def parent_exists(tree):
    selected = _selected_nodes(tree)
    by_id = _index(tree) if selected else {}
    if by_id.keys() >= set(map(_PARENT, selected)) - {None}:  # every parent exists (checked at once)
        return
    for facts in selected:
        if facts.parent is not None and facts.parent not in by_id and not tree.incomplete("dialog_nodes"):
            yield facts.rel, ("parent",), f"parent '{facts.parent}' is not a dialog node of this skill"


@rule("AG303", ERROR, "a previous_sibling that does not exist")
def previous_exists(tree):
    selected = _selected_nodes(tree)
    by_id = _index(tree) if selected else {}
    if by_id.keys() >= set(map(_PREVIOUS, selected)) - {None}:  # every previous_sibling exists
        return
    for facts in selected:
        if facts.previous is not None and facts.previous not in by_id and not tree.incomplete("dialog_nodes"):
            yield (
                facts.rel,
                ("previous_sibling",),
                f"previous_sibling '{facts.previous}' is not a dialog node of this skill",
            )


@rule("AG304", ERROR, "a previous_sibling under another parent")
def previous_same_parent(tree):
    selected = _selected_nodes(tree)
    if not selected:
        return
    # Each node's previous sibling's parent where one node holds that id, else the node's own
    # parent: the same list as the nodes' parents when no sibling is under another parent.
    parent_of = {ident: node.parent for ident, node in _unique(tree).items()}
    parents = list(map(_PARENT, selected))
    if list(map(parent_of.get, map(_PREVIOUS, selected), parents)) == parents:
        return
    by_id = _index(tree)
    for facts in selected:
        siblings = by_id.get(facts.previous) if facts.previous is not None else None
        if siblings and len(siblings) == 1 and siblings[0].parent != facts.parent:
            where = f"under '{siblings[0].parent}'" if siblings[0].parent else "at the root"
            yield (
                facts.rel,
                ("previous_sibling",),
                (f"previous_sibling '{facts.previous}' is {where}, not under this node's parent"),
            )


@rule("AG305", ERROR, "two nodes claim the same place (same parent and previous_sibling)")
def one_per_place(tree):
    selected = _selected_nodes(tree)
    named = _named(tree) if selected else []
    if len(set(zip(map(_PARENT, named), map(_PREVIOUS, named)))) == len(named):  # no two in one place
        return
    places: dict = {}
    for facts in named:
        places.setdefault((facts.parent, facts.previous), []).append(facts)
    for facts in selected:
        claimants = places[(facts.parent, facts.previous)]
        if len(claimants) == 1 and claimants[0] is facts:  # this node alone (nearly all of them: no sort each)
            continue
        rivals = sorted(f.ident for f in claimants if f is not facts)
        if rivals:
            spot = f"right after '{facts.previous}'" if facts.previous is not None else "first"
            under = f"under '{facts.parent}'" if facts.parent is not None else "at the root"
            yield (
                facts.rel,
                ("previous_sibling",) if facts.previous is not None else ("dialog_node",),
                (
                    f"dialog node '{facts.ident}' and '{rivals[0]}' both come {spot} {under}: the order is ambiguous "
                    "(often after a merge); set the previous_sibling of one of them to the other"
                ),
            )


@rule("AG306", ERROR, "a cycle in previous_sibling or parent links")
def no_cycles(tree):
    selected = _selected_nodes(tree)
    if not selected:
        return
    unique = _unique(tree)
    cycles = {attr: _cycle_texts(unique, attr) for attr in ("previous", "parent")}
    if not cycles["previous"] and not cycles["parent"]:
        return
    for facts in selected:
        for attr, key, what in (("previous", "previous_sibling", "previous_sibling"), ("parent", "parent", "parent")):
            chain = cycles[attr].get(id(facts))
            if chain is not None:
                yield facts.rel, (key,), f"the {what} links form a cycle ({chain}): the node can never be reached"


CYCLE_NAMES_SHOWN = 10


def cycle_text(members: list) -> str:
    """The sorted ids of a cycle's nodes, the first few of a long one: a cycle through
    20,000 nodes named in full on each of its nodes was 4 GB of output."""
    shown = " -> ".join(members[:CYCLE_NAMES_SHOWN])
    return shown if len(members) <= CYCLE_NAMES_SHOWN else f"{shown} -> ... ({len(members)} nodes in all)"


def _cycle_texts(unique: dict, attr: str) -> dict:
    """id(node) -> its cycle as cycle_text names it (made once per cycle), for every node on
    a cycle of `attr` links.

    A cycle passes only through ids one node holds (a target id held by two nodes links
    nowhere), and each of those links to at most one other: one walk from each id, stopping
    at any id already walked, finds every cycle. Linear, where walking each node's chain to
    its end was quadratic on a long sibling chain (13,500 root nodes: 2 million steps); on
    ids rather than nodes, as the links name them. `unique`: id -> node, for the ids one node holds."""
    targets = map(attrgetter(attr), unique.values())
    links = {ident: target for ident, target in zip(unique, targets) if target in unique}
    members: dict = {}
    walked_from: dict = {}  # id -> the id whose walk reached it first
    for start in links:
        if start in walked_from:
            continue
        path = []
        current = start
        while current is not None and current not in walked_from:
            walked_from[current] = start
            path.append(current)
            current = links.get(current)
        if current is not None and walked_from[current] == start:  # back on this walk: a cycle from there
            cycle = path[path.index(current) :]
            chain = cycle_text(sorted(cycle))
            for ident in cycle:
                members[id(unique[ident])] = chain
    return members


@rule("AG307", ERROR, "a next_step jump to a node that does not exist")
def jump_target(tree):
    selected = _selected_nodes(tree)
    by_id = _index(tree) if selected else {}
    for facts in selected:
        if facts.jump is not None and facts.jump not in by_id and not tree.incomplete("dialog_nodes"):
            yield (
                facts.rel,
                ("next_step", "dialog_node"),
                f"next_step jumps to '{facts.jump}', which is not a dialog node",
            )
        elif facts.jump is None and facts.behavior in JUMP_BEHAVIORS:
            yield facts.rel, ("next_step",), "next_step says jump_to but names no dialog_node"

"""Watson Assistant dialog skill: the v1 workspace JSON, bare or in the new
experience's skill envelope (`type: dialog`, `workspace: {...}`).

Tree layout (see docs/source-format.md):
    skill.yaml              format, skill-level settings, envelope fields
    counterexamples.yaml    irrelevant inputs (present when the export has the key)
    webhooks.yaml           webhooks (present when the export has the key)
    intents/<name>.yaml     one intent with its examples
    entities/<name>.yaml    one entity with its values
    dialog_nodes/<title or id>.yaml   one dialog node

Dialog order is kept the vendor's way, with `parent` and `previous_sibling` in each
node file: a change to one node touches one file, and two branches that each add a
node merge without a conflict. When a merge leaves the order ambiguous (two nodes
after the same sibling), `assemble` refuses with a message that says how to fix it.
"""

from __future__ import annotations

from typing import ClassVar

from ...errors import InputError
from ..collection import Collection, ListFile
from .common import (
    COUNTEREXAMPLES,
    ENTITIES,
    INTENTS,
    SETTINGS_FILE,
    WEBHOOKS,
    SkillFormat,
    holds_actions,
    read_settings_file,
    settings_file,
    settings_from_export,
    wrap,
)

NAME = "watson-dialog"
DIALOG_NODES = Collection("dialog_nodes", "dialog_nodes", "dialog_node", name_field="title", what="dialog node")
FOLDER_COLLECTIONS = (INTENTS, ENTITIES, DIALOG_NODES)
HANDLED = {"intents", "entities", "dialog_nodes", "counterexamples", "webhooks"}


class DialogFormat(SkillFormat):
    name = NAME
    description = "Watson Assistant dialog skill (v1 workspace JSON)"
    collections: ClassVar[tuple[Collection, ...]] = FOLDER_COLLECTIONS
    list_files: ClassVar[tuple[ListFile, ...]] = (COUNTEREXAMPLES, WEBHOOKS)

    def detect(self, data) -> bool:
        if not isinstance(data, dict):
            return False
        if isinstance(data.get("workspace"), dict):
            workspace = data["workspace"]
            if holds_actions(workspace):  # a 2022 actions download says `type: dialog` too
                return False
            return data.get("type") == "dialog" or (data.get("type") is None and "dialog_nodes" in workspace)
        if "actions" in data or "type" in data:
            return False
        return any(isinstance(data.get(k), list) for k in ("dialog_nodes", "intents", "entities"))

    def explode(self, export: dict, where: str = "export") -> dict:
        workspace = export["workspace"] if isinstance(export.get("workspace"), dict) else export
        files: dict = {}
        omitted = []
        for collection in FOLDER_COLLECTIONS:
            if collection.array in workspace:
                files.update(collection.explode(workspace[collection.array], where))
            else:
                omitted.append(collection.array)
        for list_file in self.list_files:
            list_file.explode(workspace, files, where)
        settings, envelope = settings_from_export(export, HANDLED)
        files[SETTINGS_FILE] = settings_file(NAME, settings, envelope, omitted)
        return files

    def assemble(self, files: dict, where: str = "tree") -> dict:
        settings, envelope, omitted = read_settings_file(files, NAME, where)
        workspace = {k: settings.pop(k) for k in ("name", "description", "language") if k in settings}
        for collection in FOLDER_COLLECTIONS:
            if collection.array not in omitted:
                workspace[collection.array] = collection.assemble(files)
        workspace["dialog_nodes"] = order_dialog_nodes(workspace.get("dialog_nodes", []), files)
        if "dialog_nodes" in omitted and not workspace["dialog_nodes"]:
            del workspace["dialog_nodes"]
        for list_file in self.list_files:
            list_file.assemble(files, workspace)
        workspace.update(settings)
        return wrap(workspace, envelope, where)


def _describe(node: dict) -> str:
    title = node.get("title")
    ident = node["dialog_node"]
    return f"'{title}' ({ident})" if isinstance(title, str) and title else f"'{ident}'"


def order_dialog_nodes(nodes: list, files: dict | None = None) -> list:
    """Return the nodes in tree order, or raise when parent/previous_sibling do not form a tree.

    The error names the file of the node whose link is wrong (and, through `key_path`, the
    line of that link), not a neighbour that merely cannot be placed because of it."""
    ordered = _tree_order(nodes)
    return ordered if ordered is not None else _ordered_or_refused(nodes, files)


def _tree_order(nodes: list) -> list | None:
    """The nodes in tree order, or None when anything is amiss (order_dialog_nodes then finds
    what, and says it). A third of the time of the walk that checks as it goes (13,500 nodes
    of the stress skill): one dict of places, each node in the place its links name, and a
    walk from the root's first place that visits each place once."""
    at: dict = {}  # (parent, previous_sibling) -> the node in that place
    try:
        ids = {node["dialog_node"] for node in nodes}
        for node in nodes:
            at[node.get("parent"), node.get("previous_sibling")] = node
    except (TypeError, KeyError, AttributeError):  # a node or a link of the wrong type: the checking walk decides
        return None
    if len(ids) != len(nodes) or None in ids:
        return None
    ordered: list = []
    places: list = [(None, None)]  # the places to visit, the next one last
    while places:
        place = places.pop()
        node = at.get(place)
        if node is not None:
            ordered.append(node)
            ident = node["dialog_node"]
            places.append((place[0], ident))  # its next sibling, after...
            places.append((ident, None))  # ...its first child
    # A place is visited once its node's parent or previous sibling is placed, and only that
    # node (ids are unique, none is None) leads to it: a node placed twice would need one
    # placed twice before it. So each is placed once at most, and all are when the links
    # lead to each from the root (of two nodes in one place, `at` kept one: one is missing).
    return ordered if len(ordered) == len(nodes) else None


def _ordered_or_refused(nodes: list, files: dict | None) -> list:
    """order_dialog_nodes, checking each link as it goes: the error names the first one wrong."""
    by_id = {node["dialog_node"]: node for node in nodes}
    files_of = _NodeFiles(files)

    def problem(node: dict, key: str, message: str) -> InputError:
        rel = files_of.get(node["dialog_node"])
        error = InputError.at(rel, message) if rel else InputError(message)
        error.key_path = (key,)
        return error

    children: dict = {}
    for node in nodes:
        parent = node.get("parent")
        if parent is not None and parent not in by_id:
            raise problem(node, "parent", f"dialog node {_describe(node)}: its parent '{parent}' does not exist")
        previous = node.get("previous_sibling")
        if previous is not None:
            if previous not in by_id:
                raise problem(
                    node,
                    "previous_sibling",
                    f"dialog node {_describe(node)}: its previous_sibling '{previous}' does not exist",
                )
            if by_id[previous].get("parent") != parent:
                raise problem(
                    node,
                    "previous_sibling",
                    f"dialog node {_describe(node)}: its previous_sibling {_describe(by_id[previous])} is "
                    f"{_under(by_id[previous].get('parent'), by_id)}, not {_under(parent, by_id)} like this node: "
                    "a node follows a sibling under the same parent",
                )
        children.setdefault(parent, {}).setdefault(previous, []).append(node)
    ordered: list = []
    placed: set = set()

    # Handed itself rather than naming itself: a closure that names itself is a reference cycle,
    # which kept the whole tree's files alive after a push assembled them (push pauses the collector).
    def place_children(parent, place_children) -> None:
        after = children.get(parent)
        if not after:
            return
        current = None
        while True:
            followers = after.get(current, [])
            if len(followers) > 1:
                rivals = sorted(followers, key=lambda n: n["dialog_node"])
                names = " and ".join(_describe(n) + _in(n, files_of) for n in rivals)
                spot = f"right after {_describe(by_id[current])}" if current else "first"
                raise problem(
                    rivals[-1],
                    "previous_sibling" if current else "dialog_node",
                    f"dialog nodes {names} both come {spot} {_under(parent, by_id)}: the order is ambiguous "
                    "(often after a merge); set the previous_sibling of one of them to the other",
                )
            if not followers:
                break
            node = followers[0]
            ident = node["dialog_node"]
            if ident in placed:
                break
            placed.add(ident)
            ordered.append(node)
            place_children(ident, place_children)
            current = ident

    place_children(None, place_children)
    if len(ordered) != len(nodes):
        cycle = _sibling_cycle(nodes, placed, by_id)
        first = cycle[0]
        names = [_describe(n) + _in(n, files_of) for n in cycle]
        chain = (
            f"{names[0]} follows itself"
            if len(cycle) == 1
            else f"{names[0]} follows {names[1]}"
            + "".join(f", which follows {name}" for name in names[2:])
            + f", which follows {_describe(first)}"
        )
        rivals = [
            n
            for n in nodes
            if n is not first
            and n.get("parent") == first.get("parent")
            and n.get("previous_sibling") == first.get("previous_sibling")
        ]
        taken = (
            f"; {_describe(first)} also takes the place of {_describe(rivals[0])}{_in(rivals[0], files_of)}, so its "
            "previous_sibling is probably the one that changed"
            if rivals
            else ""
        )
        raise problem(
            first,
            "previous_sibling",
            f"dialog node {_describe(first)}: the previous_sibling links form a cycle ({chain}), so none of these "
            f"siblings comes first{taken}; set the previous_sibling of the one that should come first to null, "
            "or to the node it follows",
        )
    return ordered


class _NodeFiles:
    """dialog node id -> the file that holds it, worked out when an error first names one:
    a tree that assembles never needs it (13.5k nodes on a push of the stress skill)."""

    def __init__(self, files: dict | None):
        self.files = files
        self.found: dict | None = None

    def get(self, ident) -> str | None:
        if self.found is None:
            self.found = _files_of(self.files)
        return self.found.get(ident)


def _files_of(files: dict | None) -> dict:
    """dialog node id -> the file that holds it."""
    found: dict[str, str] = {}
    for rel, data in (files or {}).items():
        if rel.startswith("dialog_nodes/") and isinstance(data, dict) and isinstance(data.get("dialog_node"), str):
            found.setdefault(data["dialog_node"], rel)
    return found


def _in(node: dict, files_of: _NodeFiles) -> str:
    rel = files_of.get(node["dialog_node"])
    return f" in {rel}" if rel else ""


def _under(parent, by_id: dict) -> str:
    return f"under {_describe(by_id[parent])}" if parent is not None and parent in by_id else "at the root"


def _sibling_cycle(nodes: list, placed: set, by_id: dict) -> list:
    """The nodes of a previous_sibling cycle among the nodes that could not be placed: the
    chain followed from an unplaced node whose parent is placed (or the root), until it
    repeats. Children of unplaced nodes are not it: they only hang below the cycle."""
    unplaced = sorted((n for n in nodes if n["dialog_node"] not in placed), key=lambda n: n["dialog_node"])
    start = next((n for n in unplaced if n.get("parent") is None or n.get("parent") in placed), unplaced[0])
    seen: list = []
    node = start
    while node is not None and node["dialog_node"] not in [n["dialog_node"] for n in seen]:
        seen.append(node)
        node = by_id.get(node.get("previous_sibling"))
    if node is None:  # no cycle on this chain (cannot happen once the checks above passed)
        return [start]
    cycle = seen[[n["dialog_node"] for n in seen].index(node["dialog_node"]) :]
    # The likely culprit: a node of the cycle that took a place another sibling holds (same
    # parent and previous_sibling), as a first child that was given a previous_sibling does.
    places: dict = {}
    for other in nodes:
        places.setdefault((other.get("parent"), other.get("previous_sibling")), []).append(other)
    shared = [i for i, n in enumerate(cycle) if len(places[(n.get("parent"), n.get("previous_sibling"))]) > 1]
    first = min(shared or range(len(cycle)), key=lambda i: cycle[i]["dialog_node"])
    return cycle[first:] + cycle[:first]


FORMAT = DialogFormat()

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
    """Return the nodes in tree order, or raise when parent/previous_sibling do not form a tree."""
    by_id = {node["dialog_node"]: node for node in nodes}
    children: dict = {}
    for node in nodes:
        parent = node.get("parent")
        if parent is not None and parent not in by_id:
            raise InputError(f"dialog node {_describe(node)}: its parent '{parent}' does not exist")
        previous = node.get("previous_sibling")
        if previous is not None:
            if previous not in by_id:
                raise InputError(f"dialog node {_describe(node)}: its previous_sibling '{previous}' does not exist")
            if by_id[previous].get("parent") != parent:
                raise InputError(
                    f"dialog node {_describe(node)}: its previous_sibling {_describe(by_id[previous])} "
                    "has another parent"
                )
        children.setdefault(parent, {}).setdefault(previous, []).append(node)
    ordered: list = []
    placed: set = set()

    def place_children(parent) -> None:
        after = children.get(parent)
        if not after:
            return
        current = None
        while True:
            followers = after.get(current, [])
            if len(followers) > 1:
                names = " and ".join(_describe(n) for n in sorted(followers, key=lambda n: n["dialog_node"]))
                spot = f"right after {_describe(by_id[current])}" if current else "first"
                under = f"under {_describe(by_id[parent])}" if parent else "at the root"
                raise InputError(
                    f"dialog nodes {names} both come {spot} {under}: the order is ambiguous "
                    "(often after a merge); set the previous_sibling of one of them to the other"
                )
            if not followers:
                break
            node = followers[0]
            ident = node["dialog_node"]
            if ident in placed:
                break
            placed.add(ident)
            ordered.append(node)
            place_children(ident)
            current = ident

    place_children(None)
    if len(ordered) != len(nodes):
        stray = sorted((n for n in nodes if n["dialog_node"] not in placed), key=lambda n: n["dialog_node"])
        raise InputError(
            f"dialog node {_describe(stray[0])} cannot be placed: its previous_sibling chain "
            "is a cycle or does not start at a first child"
            + (f" ({len(stray) - 1} more such nodes)" if len(stray) > 1 else "")
        )
    return ordered


FORMAT = DialogFormat()

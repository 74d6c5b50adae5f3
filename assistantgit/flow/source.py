"""Where flows come from: a source tree on disk or one side of a diff, and finding an item.

A tree may hold one skill (dialog or actions) or, for the published-version ZIP, one skill
per folder; each skill with a flow gives one `Flow`. Files are read through the project's
readers only (`pipeline.read_tree`, a diff side's entries), and only those a flow needs.
"""
from __future__ import annotations

import difflib
from pathlib import Path
from typing import Callable, Iterable

from ..errors import InputError
from ..formats import watson_actions, watson_dialog
from . import actions, dialog
from .model import Flow, FlowNode

ROOT_FILE = "skill.yaml"  # every Watson skill tree's root file, at the top or in a part's folder
FLOW_FOLDERS = {watson_dialog.NAME: (watson_dialog.DIALOG_NODES.folder, dialog.build),
                watson_actions.NAME: (watson_actions.ACTIONS.folder, actions.build)}
WANTED_FOLDERS = {folder for folder, _ in FLOW_FOLDERS.values()}


def wanted(rel: str) -> bool:
    """Files a flow is made of: root files and the dialog-node and action folders, at any part."""
    parts = rel.split("/")
    return parts[-1] == ROOT_FILE or any(part in WANTED_FOLDERS for part in parts[:-1])


def flows_in(paths: Iterable[str], load: Callable[[str], object]) -> list[Flow]:
    """The flows of a tree given its relative file paths and a reader of their data."""
    paths = sorted(paths)
    prefixes = [""] + sorted({p.split("/")[0] + "/" for p in paths if p.count("/") == 1 and p.endswith("/" + ROOT_FILE)})
    found = []
    for prefix in prefixes:
        if prefix + ROOT_FILE not in paths:
            continue
        settings = load(prefix + ROOT_FILE)
        fmt = settings.get("format") if isinstance(settings, dict) else None
        if fmt not in FLOW_FOLDERS:
            continue
        folder, build = FLOW_FOLDERS[fmt]
        start = f"{prefix}{folder}/"
        items = [(p, load(p)) for p in paths if p.startswith(start) and p.endswith(".yaml")]
        found.append(build(items, prefix.rstrip("/")))
    return found


def read_flows(root: Path, progress=None) -> list[Flow]:
    """The flows of the source tree at `root`; an error when its format has none."""
    from ..pipeline import read_tree

    fmt, files = read_tree(Path(root), progress, select=wanted)
    flows = flows_in(files, files.__getitem__)
    if not flows:
        raise InputError(f"{root}: holds a {fmt.name} tree, which has no dialog nodes or actions to draw "
                         "(show draws Watson Assistant dialog and actions skills)")
    return flows


def find(flows: list[Flow], item: str, root: Path | None = None) -> tuple[Flow, FlowNode]:
    """The node or action an ITEM names: its id, its title (any case) or its file path."""
    wanted_path = _tree_relative(item, root)
    for test in (lambda n: n.ident == item, lambda n: n.title == item,
                 lambda n: n.path == wanted_path and n.kind != "step",
                 lambda n: (n.title or "").casefold() == item.casefold()):
        hits = [(flow, node) for flow in flows for node in flow.nodes.values() if node.kind != "step" and test(node)]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            listed = "; ".join(f"{node.ident} ({node.path})" for _, node in hits[:8])
            raise InputError(f"{item}: names {len(hits)} items: {listed}; give the id or the file instead")
    names = [n.title or n.ident for flow in flows for n in flow.nodes.values() if n.kind != "step"]
    close = difflib.get_close_matches(item, names, n=3)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise InputError(f"{item}: no dialog node or action with this id, title or file{hint}")


def _tree_relative(item: str, root: Path | None) -> str:
    """ITEM as a path relative to the tree's root, when it is a path to a file in the tree."""
    if root is None:
        return item
    candidate = Path(item)
    for base in (Path.cwd(), Path(root)):
        try:
            return (base / candidate).resolve().relative_to(Path(root).resolve()).as_posix()
        except (ValueError, OSError):
            continue
    return item

"""Where flows come from: a source tree on disk or one side of a diff, and finding an item.

A tree may hold one skill (dialog or actions) or, for the published-version ZIP, one skill
per folder; each skill with a flow gives one `Flow`. Files are read through the project's
readers only (`pipeline.read_tree`, a diff side's entries), and only those a flow needs.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from .. import canonical
from ..errors import InputError
from ..formats.watson import actions as watson_actions
from ..formats.watson import dialog as watson_dialog
from ..tree import read_text
from . import actions, dialog
from .model import Flow, FlowNode

ROOT_FILE = "skill.yaml"  # every Watson skill tree's root file, at the top or in a part's folder
FLOW_FOLDERS = {
    watson_dialog.NAME: (watson_dialog.DIALOG_NODES.folder, dialog.build),
    watson_actions.NAME: (watson_actions.ACTIONS.folder, actions.build),
}
WANTED_FOLDERS = {folder for folder, _ in FLOW_FOLDERS.values()}


def wanted(rel: str) -> bool:
    """Files a flow is made of: root files and the dialog-node and action folders, at any part."""
    parts = rel.split("/")
    return parts[-1] == ROOT_FILE or any(part in WANTED_FOLDERS for part in parts[:-1])


def flows_in(paths: Iterable[str], load: Callable[[str], object]) -> list[Flow]:
    """The flows of a tree given its relative file paths and a reader of their data."""
    paths = sorted(paths)
    prefixes = [""] + sorted(
        {p.split("/")[0] + "/" for p in paths if p.count("/") == 1 and p.endswith("/" + ROOT_FILE)}
    )
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
    from ..formats.registry import tree_format
    from ..tree import owned_files

    root = Path(root)
    fmt = tree_format(root)
    paths = sorted(rel for rel in owned_files(root, fmt.managed()) if wanted(rel))

    done = [0]

    def load(rel: str):
        done[0] += 1
        if progress:
            progress(done[0], len(paths))
        return read_file(root, rel, fmt)

    flows = flows_in(paths, load)
    if not flows:
        raise InputError(
            f"{root}: holds a {fmt.name} tree, which has no dialog nodes or actions to draw "
            "(show draws Watson Assistant dialog and actions skills)"
        )
    return flows


def read_file(root: Path, rel: str, fmt=None):
    """A file's data; of a dialog node only the fields a flow uses (its responses can be
    most of it, and reading a 3,000-node tree is most of what `show` does). Given the
    tree's format, the fields are checked for type (formats/fields.py) as every reader does:
    the file may come from a pull request."""
    from ..formats import fields

    path = root / rel
    where = str(path)
    text = read_text(path)
    data = None
    if NODES_FOLDER in "/" + rel:
        part = _node_fields(text)
        if part is not None:
            try:
                data = canonical.loads(part, where)
            except InputError:  # e.g. an alias to an anchor in a part left out: read it all
                data = None
    if not isinstance(data, dict):
        data = canonical.loads(text, where)
    if fmt is not None:
        fields.check(fmt, rel, data, text, where)
    return data


NODES_FOLDER = f"/{watson_dialog.DIALOG_NODES.folder}/"
# What a flow reads of a dialog node.
NODE_FIELDS = frozenset(
    {"title", "dialog_node", "type", "parent", "previous_sibling", "conditions", "next_step", "event_name", "variable"}
)
_ENTRY = re.compile(r"(?<=\n)(?=[^ \n])")  # a top-level entry starts at column 0; each keeps its line ends
_TOP_LINE = re.compile(r'[A-Za-z_][A-Za-z0-9_]*:(?:$| (?!["\'\[{])| "(?:[^"\\]|\\.)*"$| \{\}$| \[\]$)')


def _node_fields(text: str) -> str | None:
    """The top-level entries of NODE_FIELDS cut out of a node file's text, or None when the
    text is not plainly a block mapping with one simple line per key (then it is read whole).

    Every line at column 0 must be `key:`, `key: value`, `key: "one-line string"`, `key: {}`
    or `key: []`, keys once each: then each key's entry is its line and the indented lines
    below it, and the cut text means what those entries mean in the whole file."""
    if "\r" in text:
        return None
    kept, seen = [], set()
    for entry in _ENTRY.split(text):
        line = entry.split("\n", 1)[0]
        if not _TOP_LINE.match(line):
            return None
        key = line[: line.index(":")]
        if key in seen:
            return None
        seen.add(key)
        if key in NODE_FIELDS:
            kept.append(entry)
    return "".join(kept)


def find(flows: list[Flow], item: str, root: Path | None = None) -> tuple[Flow, FlowNode]:
    """The node or action an ITEM names: its id, its title (any case) or its file path."""
    wanted_path = _tree_relative(item, root)
    for test in (
        lambda n: n.ident == item,
        lambda n: n.title == item,
        lambda n: n.path == wanted_path and n.kind != "step",
        lambda n: (n.title or "").casefold() == item.casefold(),
    ):
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

"""The two sides of a semantic diff, as item sets: relative path -> source data.

A side is a source tree on disk, an export file exploded in memory, or a source tree
inside a git revision (git/revisions.py builds those from git objects). Every file carries the
git blob id of its bytes when that is cheap to know, so two sides that share most
files are compared by id and only the files that differ are parsed: a diff of two
commits of a 10 MB skill reads a handful of YAML files, not five thousand.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .. import canonical
from ..errors import InputError
from ..formats import fields, registry
from ..formats.base import Format
from ..tree import Managed, owned_files, owned_paths, read_bytes


def blob_id(content: bytes) -> str:
    """The id git gives a blob with these bytes (what `git hash-object` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def parse_source(content: bytes, where: str, fmt=None, rel: str | None = None):
    """A source file's data: YAML files parsed, other members kept as bytes.

    Given the tree's format and the file's path in it, the fields the code reads are
    checked for type (formats/fields.py): a wrong one is refused with its line and column."""
    if not where.endswith(".yaml"):
        return content
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{where}: not valid UTF-8 (byte 0x{content[error.start]:02x} at offset {error.start})"
        ) from None
    data = canonical.loads(text, where)
    if fmt is not None and rel is not None:
        fields.check(fmt, rel, data, text, where)
    return data


@dataclass
class Entry:
    """One source file of a side: its blob id when known, and its data on demand."""

    where: str
    sha: str | None
    _load: Callable[[], Any] | None = None
    _data: Any = None
    _loaded: bool = False

    @classmethod
    def of_data(cls, where: str, data) -> Entry:
        return cls(where, None, None, data, True)

    @property
    def data(self) -> Any:
        if not self._loaded:
            assert self._load is not None  # only of_data makes an Entry without a loader, and loads it
            self.fill(self._load())
        return self._data

    @property
    def loaded(self) -> bool:
        return self._loaded

    def fill(self, data: Any) -> None:
        """Give the entry its data, read elsewhere (with other entries, at once)."""
        self._data, self._loaded = data, True


@dataclass
class ItemSet:
    """One side of a diff: a label people recognize, the format, and the files."""

    label: str
    fmt: Format
    entries: dict[str, Entry] = field(default_factory=dict)
    names: dict = field(default_factory=dict)  # folder -> {id: display name}, filled on demand
    read_many: Callable[[list[Entry]], None] | None = None  # reads many entries at once, for a side that can
    held: Any = None  # an export read item by item: the other side's export may share its items (not parsed again)

    def data(self, path: str):
        return self.entries[path].data

    def load(self, paths) -> None:
        """Read these files now. A side from git reads them in one go (`read_many`): one
        round trip per blob costs about a millisecond, and a picture of a flow reads every node."""
        waiting = [self.entries[p] for p in paths if p in self.entries and not self.entries[p].loaded]
        if self.read_many is not None and len(waiting) > 1:
            self.read_many(waiting)


def managed_paths(paths, managed: list[Managed]) -> list[str]:
    """The paths (relative, with '/') that a format owns, like tree.owned_files for a listing."""
    return owned_paths(paths, managed)


# --- exports -----------------------------------------------------------------------------------


def from_export_bytes(raw: bytes, where: str, label: str | None = None, like: ItemSet | None = None) -> ItemSet:
    """Explode an export in memory (no file is written). `like`: the other side of the
    diff, whose items this export may share byte for byte."""
    held = _held_export(raw, where, label, like.held if like is not None else None)
    if held is not None:
        return held
    fmt, export = registry.format_for_export(raw, where)
    from ..secrets import extract  # the same placeholders pull writes: a diff never shows a credential

    files = extract(fmt.explode(export, where))
    entries = {rel: Entry.of_data(f"{where}: {rel}", data) for rel, data in files.items()}
    return ItemSet(label or where, fmt, entries)


def _held_export(raw: bytes, where: str, label: str | None, like) -> ItemSet | None:
    """A Watson JSON export read item by item (formats/watson/stream.py), or None where that
    reader declines. Each item's file is made only when its data is asked for, and its id is
    its JSON text: two exports of one skill share most items byte for byte, and an item whose
    text is the same on both sides (at the same file) is the same, so the diff makes the files
    of the items that differ only. Items that may hold a secret, and the settings, are made at
    once and carry no id: their placeholders' names depend on the other such files."""
    from ..formats.watson.stream import Declined, read_export, source_data
    from ..secrets import extract

    if where.lower().endswith(".zip"):
        return None
    try:
        streamed = read_export(raw, where, held=True, like=like)
    except Declined:
        return None
    eager = dict(streamed.settings)
    lazy = {}
    for rel, collection, item in streamed.named_items():
        if item.risky or (item.owned is not None and item.owned.risky):
            eager[rel] = source_data(collection, item)
        else:
            text = item.source if item.owned is None else f"{item.source}\0{item.owned.source}"
            # JSON text holds no NUL: the format's name, the item's text (and its intent's) tell items apart
            lazy[rel] = (f"{streamed.format.name}\0{text}", partial(source_data, collection, item))
    eager = extract(eager)
    entries = {}
    for rel in sorted(eager.keys() | lazy.keys()):
        at = f"{where}: {rel}"
        entries[rel] = Entry.of_data(at, eager[rel]) if rel in eager else Entry(at, *lazy[rel])
    return ItemSet(label or where, streamed.format, entries, held=streamed)


def from_export_file(path: Path, label: str | None = None, like: ItemSet | None = None) -> ItemSet:
    from ..exportjson import read_export_bytes

    return from_export_bytes(read_export_bytes(Path(path)), str(path), label, like)


# --- source trees on disk ------------------------------------------------------------------------


def from_tree(root: Path, label: str | None = None) -> ItemSet:
    """A source tree on disk (the working tree, or any folder)."""
    from ..formats.registry import tree_format

    root = Path(root)
    fmt = tree_format(root)
    entries = {}
    for rel in sorted(owned_files(root, fmt.managed())):
        path = root / rel
        content = read_bytes(path)  # never through a link (tree/files.py)
        entries[rel] = Entry(str(path), blob_id(content), partial(parse_source, content, str(path), fmt, rel))
    return ItemSet(label or str(root), fmt, entries)

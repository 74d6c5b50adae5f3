"""The tree a validation looks at: its files, which of them to report on, and the
cross-file facts (names, examples, node links) that rules resolve references against.

A pre-commit run names a few files of a tree that may hold thousands. Those files are
parsed fully; every other file is only scanned for the few facts rules need (an
intent's name and examples, an entity's values, a node's links), line by line, which
is exact for canonical text and ten times faster than parsing (see _scan), and kept
in a cache between runs (see _cache). A file the scan does not recognise as canonical
is parsed instead.
"""
from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .. import canonical_yaml
from ..conversations.model import suite_files
from ..errors import InputError
from ..formats.watson_common import COUNTEREXAMPLES_FILE, SETTINGS_FILE, WEBHOOKS_FILE
from ..treeio import owned_files, read_text
from ._cache import FactCache
from ._locate import Lines, locate_canonical, locate_roundtrip
from ._scan import (
    NodeFacts, _freeze, _from_data, _scan_action_id, _scan_action_intent, _scan_entity, _scan_intent, _scan_node,
    _thaw,
)

_YAML_ERROR = re.compile(r":(\d+):(\d+): YAML error: (.*)$")


@dataclass
class SourceFile:
    rel: str
    path: str                      # a plain string: thousands of Path objects cost a commit hook 50 ms
    kind: str                      # "intents", "dialog_nodes", "skill", "counterexamples", ...
    _text: str | None = None
    _loaded: bool = False
    data: object = None
    canonical: bool = False
    error: tuple | None = None     # (line, column, message) when it cannot be read or parsed
    _lines: object = None

    @property
    def text(self) -> str | None:
        if self._text is None and self.error is None:
            try:
                with open(self.path, "rb") as handle:
                    self._text = handle.read().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                try:
                    self._text = read_text(Path(self.path))
                except InputError as problem:
                    line = re.search(r":(\d+): ", problem.message)
                    self.error = (int(line.group(1)) if line else 1, 1, problem.message.split(": ", 1)[-1])
        return self._text

    def load(self):
        """Parse the file (once); returns its data, or None with `error` set."""
        if self._loaded:
            return self.data
        self._loaded = True
        text = self.text
        if text is None:
            return None
        try:
            self.data = canonical_yaml._fast_loads(text)
            self.canonical = True
        except (canonical_yaml._NotCanonical, TypeError):
            try:
                self.data = canonical_yaml.slow_loads(text, self.rel)
            except InputError as problem:
                where = _YAML_ERROR.search(problem.message)
                if where:
                    self.error = (int(where.group(1)), int(where.group(2)), where.group(3))
                else:
                    self.error = (1, 1, problem.message.split(": ", 1)[-1])
                return None
        return self.data

    def locate(self, path: tuple) -> tuple[int, int]:
        if not path or self.text is None:
            return (1, 1)
        self.load()
        if not self.canonical:
            return locate_roundtrip(self.text, path)
        if self._lines is None:
            self._lines = Lines(self.text)
        return locate_canonical(self._lines, path)


def kind_of(rel: str, folders: dict, root_file: str = SETTINGS_FILE) -> str:
    """The kind of an owned file: a root file, a collection folder, "other" YAML, or "bytes"."""
    if not rel.endswith(".yaml"):
        return "bytes"
    if rel == root_file:
        return "skill"
    if rel == COUNTEREXAMPLES_FILE:
        return "counterexamples"
    if rel == WEBHOOKS_FILE:
        return "webhooks"
    folder = rel.split("/", 1)[0]
    return folder if folder in folders else "other"


@dataclass(eq=False)
class Tree:
    root: Path
    fmt: object
    files: dict                    # rel -> SourceFile, every file the format manages
    selected: list                 # rels to report on
    unknown: list                  # rels of files in managed folders that the format does not own
    whole: bool                    # the whole tree is checked (no file names given)
    folders: dict = field(default_factory=dict)   # folder -> Collection
    conversations: list = field(default_factory=list)   # rels of conversation test files to check (AG9xx)

    def yaml_selected(self, known_only: bool = False) -> list[SourceFile]:
        """The selected YAML files (all, or only those whose kind the rules know)."""
        skip = {"bytes", "other"} if known_only else {"bytes"}
        return [self.files[r] for r in self.selected if self.files[r].kind not in skip]

    def of_kind(self, kind: str, selected_only: bool = True) -> list[SourceFile]:
        rels = self.selected if selected_only else sorted(self.files)
        return [self.files[r] for r in rels if r in self.files and self.files[r].kind == kind]

    def mapping(self, source: SourceFile) -> dict | None:
        data = source.load()
        return data if isinstance(data, dict) else None

    # -- cross-file facts -------------------------------------------------------------
    @cached_property
    def cache(self) -> "FactCache | None":
        return None if self.whole else FactCache(str(self.root))

    @cached_property
    def _chosen(self) -> set:
        return set(self.selected)

    def _compute(self, source: SourceFile, key: str, scan):
        facts = None
        if not source._loaded and source.text is not None:
            facts = scan(source.text)
        if facts is None:
            data = source.load()
            facts = _from_data(key, data) if isinstance(data, dict) else None
        return facts

    def _facts(self, kind: str, scan, key: str | None = None):
        """(source, facts) of every file of a kind: named files parsed, the others scanned or cached."""
        key = key or kind
        for source in self.of_kind(kind, selected_only=False):
            if self.whole or source.rel in self._chosen:
                source.load()
                facts = self._compute(source, key, scan)
            else:
                facts = _thaw(self.cache.get(source, key, lambda: _freeze(self._compute(source, key, scan))))
            if facts is not None:
                yield source, facts

    @cached_property
    def intents(self) -> dict:
        """intent name -> [(rel, [example texts])]; inline intents of actions included."""
        found: dict = {}
        for source, (name, examples) in self._facts("intents", _scan_intent):
            found.setdefault(name, []).append((source.rel, examples))
        for source, (name, examples) in self._facts("actions", _scan_action_intent):
            if name is not None:
                found.setdefault(name, []).append((source.rel, examples))
        return found

    @cached_property
    def entities(self) -> dict:
        """entity name -> [(rel, set of its values)]."""
        found: dict = {}
        for source, (name, values) in self._facts("entities", _scan_entity):
            found.setdefault(name, []).append((source.rel, values))
        return found

    @cached_property
    def actions(self) -> dict:
        """action id -> [rel]."""
        found: dict = {}
        for source, ident in self._facts("actions", _scan_action_id, "action_id"):
            found.setdefault(ident, []).append(source.rel)
        return found

    @cached_property
    def nodes(self) -> list[NodeFacts]:
        found = []
        for source, facts in self._facts("dialog_nodes", _scan_node):
            facts.rel = source.rel
            found.append(facts)
        return found

# -- finding the tree ----------------------------------------------------------------------
def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding a tree's root file."""
    from ..formats import registry

    current = start if start.is_dir() else start.parent
    for folder in (current, *current.parents):
        if any(_is_root_file(folder / name) for name in registry.ROOT_FILES):
            return folder
    return None


def group_by_tree(paths, folder) -> dict:
    """{tree root (None: find it from the current folder): the paths in it}, as fmt and validate take them."""
    if folder is not None or not paths:
        return {folder: list(paths or [])}
    groups: dict = {}
    for path in paths:
        root = find_root(Path(path).resolve())
        if root is None:
            raise InputError(f"{path}: not inside an assistantgit source tree (no skill.yaml above it); use --dir")
        groups.setdefault(root, []).append(path)
    return groups


def _is_root_file(path: Path) -> bool:
    """A root file says `format:`; a vendor file of the same name (Avaamo's skill.yaml) does not."""
    try:
        with open(path, encoding="utf-8-sig", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return False
    return head.startswith("format:") or "\nformat:" in head


def folders_of(fmt) -> dict:
    module = sys.modules[type(fmt).__module__]
    return {c.folder: c for c in getattr(module, "FOLDER_COLLECTIONS", ())}


def open_tree(paths: list[Path], root: Path | None) -> Tree:
    """The tree holding `paths` (or `root`, or the current folder), and which files to report on."""
    from ..pipeline import tree_format

    if root is None:
        start = Path(paths[0]) if paths else Path.cwd()
        root = find_root(start.resolve())
        if root is None:
            raise InputError(f"{start}: not inside an assistantgit source tree (no skill.yaml above it); use --dir")
    root = Path(root)
    fmt = tree_format(root)
    folders = folders_of(fmt)
    managed = fmt.managed()
    files = {}
    base = str(root)
    for rel in owned_files(root, managed):
        files[rel] = SourceFile(rel, os.path.join(base, rel), kind_of(rel, folders, fmt.root_file))
    unknown = sorted(_unknown_files(root, managed) - set(files))
    conversations = [p.relative_to(root).as_posix() for p in suite_files(root)]
    if not paths:
        return Tree(root, fmt, files, sorted(files), unknown, True, folders, conversations)
    selected, chosen_unknown, chosen_conversations = [], [], []
    resolved_root = root.resolve()
    for path in paths:
        absolute = Path(path).resolve()
        if not absolute.exists():
            raise InputError(f"{path}: no such file")
        try:
            rel = absolute.relative_to(resolved_root).as_posix()
        except ValueError:
            raise InputError(f"{path}: not inside the tree at {root}") from None
        if absolute.is_dir():
            inside = [r for r in sorted(files) if rel == "." or r.startswith(rel + "/")]
            selected.extend(inside)
            chosen_unknown.extend(r for r in unknown if rel == "." or r.startswith(rel + "/"))
            chosen_conversations.extend(r for r in conversations if rel == "." or r.startswith(rel + "/"))
        elif rel in files:
            selected.append(rel)
        elif rel in unknown:
            chosen_unknown.append(rel)
        elif rel in conversations:
            chosen_conversations.append(rel)
    return Tree(root, fmt, files, sorted(set(selected)), sorted(set(chosen_unknown)), False, folders,
                sorted(set(chosen_conversations)))


def _unknown_files(root: Path, managed) -> set:
    """Every file inside a managed folder (hidden ones aside): the format owns only some."""
    found = set()
    for spec in managed:
        if not spec.is_folder or not (root / spec.path).is_dir():
            continue
        for folder, dirs, names in os.walk(root / spec.path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            rel_folder = Path(folder).relative_to(root).as_posix()
            found.update(f"{rel_folder}/{name}" for name in names if not name.startswith("."))
    return found

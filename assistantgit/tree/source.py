"""Finding and opening source trees: which tree a path is in, its format, the files the
format owns (and the stray ones in its folders), and which of them a command was named.

fmt and validate take file names from pre-commit or a person; this module turns them
into the tree they belong to and each file's kind, read lazily: a commit hook names a
few files of a tree that may hold thousands.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .. import canonical
from ..errors import InputError
from ..formats import registry
from ..formats.base import Format
from ..formats.collection import Collection
from .files import decode_source, open_source, read_bytes, walk_managed


@dataclass
class SourceFile:
    rel: str
    path: str  # a plain string: thousands of Path objects cost a commit hook 50 ms
    kind: str  # "intents", "dialog_nodes", "skill", "counterexamples", ...
    _text: str | None = None
    _loaded: bool = False
    data: object = None
    canonical: bool = False
    error: tuple[int, int, str] | None = None  # (line, column, message) when it cannot be read or parsed
    _lines: object = None
    fits: object = None  # the field shape (formats/fields.py) `data` was found to fit when it was preloaded

    @property
    def parsed(self) -> bool:
        """True once `load` ran (whether or not the file parsed)."""
        return self._loaded

    @property
    def text(self) -> str | None:
        if self._text is None and self.error is None:
            try:  # never through a link, never a FIFO (tree/files.py); the walk refused those already
                self._text = decode_source(read_bytes(self.path), self.path)
            except InputError as problem:
                self.error = (problem.line or 1, 1, problem.problem)
        return self._text

    def preload(self, data, fits=None) -> None:
        """Data another step already parsed from this file (push read it): `load` returns it,
        and the text is read only if a finding needs its line. `fits`: the field shape that
        step checked the data against (fields.check), so AG103 need not check it again."""
        self._loaded = True
        self.data = data
        self.fits = fits

    def read_fast(self, text: str, data) -> None:
        """The file's text and the data the fast reader read from it, as `load` leaves them
        for canonical text (another process read them: tree/fastread.py)."""
        self._text = text
        self._loaded = True
        self.data = data
        self.canonical = True

    def load(self):
        """Parse the file (once); returns its data, or None with `error` set."""
        if self._loaded:
            return self.data
        self._loaded = True
        text = self.text
        if text is None:
            return None
        try:
            self.data = canonical.fast_loads(text)
            self.canonical = True
        except (canonical.NotCanonical, TypeError):
            try:
                self.data = canonical.slow_loads(text, self.rel)
            except canonical.YamlError as problem:
                if problem.line is not None and problem.column is not None:  # the parser's words, at its place
                    self.error = (problem.line, problem.column, problem.reason)
                else:
                    self.error = (1, 1, problem.problem)
                return None
            except InputError as problem:
                self.error = (1, 1, problem.problem)
                return None
        return self.data

    def locate(self, path: tuple) -> tuple[int, int]:
        if not path or self.text is None:
            return (1, 1)
        self.load()
        if not self.canonical:
            return canonical.locate_roundtrip(self.text, path)
        if self._lines is None:
            self._lines = canonical.Lines(self.text)
        return canonical.locate_canonical(self._lines, path)


def kind_of(rel: str, fmt: Format) -> str:
    """The kind of an owned file: "skill" (the root file), a list file's array
    ("counterexamples"), a collection's folder ("intents"), "other" YAML, or "bytes"."""
    if not rel.endswith(".yaml"):
        return "bytes"
    if rel == fmt.root_file:
        return "skill"
    for list_file in fmt.list_files:
        if rel == list_file.file:
            return list_file.kind
    folder = rel.split("/", 1)[0]
    return folder if any(c.folder == folder for c in fmt.collections) else "other"


def _kinds_of(fmt: Format):
    """kind_of for the files of one tree, its answer for a folder's files made once per
    folder: a commit hook opens a tree of thousands of files to check a few."""
    special = {fmt.root_file, *(list_file.file for list_file in fmt.list_files)}
    by_folder: dict[str, str] = {}

    def kind(rel: str) -> str:
        folder, slash, _ = rel.partition("/")
        if not slash or rel in special or not rel.endswith(".yaml"):
            return kind_of(rel, fmt)
        known = by_folder.get(folder)
        if known is None:
            known = by_folder[folder] = kind_of(rel, fmt)
        return known

    return kind


@dataclass(eq=False)
class SourceTree:
    """An opened tree: its format, every file the format owns, and which of them to report on."""

    root: Path
    fmt: Format
    files: dict[str, SourceFile]  # rel -> SourceFile, every file the format manages
    selected: list[str]  # rels to report on
    unknown: list[str]  # rels of files in managed folders that the format does not own
    whole: bool  # the whole tree is checked (no file names given)
    folders: dict[str, Collection] = field(default_factory=dict)  # folder -> Collection

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


def absolute(path) -> Path:
    """A named path made absolute without following links (Path.resolve would: a file named
    by pre-commit may be a link a pull request added, and its target is not in the tree)."""
    return Path(os.path.abspath(path))


def find_root(start: Path) -> Path | None:
    """The nearest folder at or above `start` holding a tree's root file (a link is never a root)."""
    names = registry.root_files()
    start = absolute(start)
    current = start if start.is_dir() and not start.is_symlink() else start.parent
    for folder in (current, *current.parents):
        if folder.is_symlink():
            continue
        if any(_is_root_file(folder / name) for name in names):
            return folder
    return None


def is_root(folder: Path) -> bool:
    """Whether `folder` holds a tree's root file (one that says `format:`)."""
    return any(_is_root_file(folder / name) for name in registry.root_files())


def group_by_tree(paths, folder) -> dict:
    """{tree root: the paths named in it}, as fmt and validate take them. A named folder
    that is in no tree stands for every tree below it (a monorepo's skills/)."""
    if folder is not None or not paths:
        return {folder: list(paths or [])}
    groups: dict = {}
    for path in paths:
        root = find_root(absolute(path))
        if root is not None:
            groups.setdefault(root, []).append(path)
            continue
        below = trees_below(Path(path)) if Path(path).is_dir() else []
        if not below:
            raise InputError(f"{path}: not inside an assistantgit source tree (no skill.yaml above it); use --dir")
        for tree in below:
            groups.setdefault(tree.resolve(), [])
    return groups


# Folders never searched for trees: tools' caches and dependencies, not a team's skills.
_NOT_SEARCHED = {"node_modules", "__pycache__", "site-packages"}


def trees_below(folder: Path) -> list[Path]:
    """Every tree root inside `folder` (not inside another tree), hidden and ignored folders skipped."""
    names = registry.root_files()
    folder = Path(folder)
    listed = _git_listed_roots(folder, names)
    candidates = listed if listed is not None else _walked_roots(folder, names)
    roots: list[Path] = []
    for candidate in sorted(candidates, key=lambda p: (len(p.parts), p.as_posix())):
        if any(candidate == r or r in candidate.parents for r in roots):
            continue  # a part of a tree (a ZIP tree's actions/ and dialog/) is checked with it
        if is_root(candidate):
            roots.append(candidate)
    return sorted(roots)


def _git_listed_roots(folder: Path, names) -> set[Path] | None:
    """Root-file folders git knows here (tracked, or new and not ignored); None outside git."""
    import subprocess

    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *[f"*{n}" for n in names]],
            cwd=folder,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    found = set()
    for rel in filter(None, listed.decode("utf-8", "surrogateescape").split("\0")):
        path = Path(rel)
        if path.name in names and not any(part.startswith(".") for part in path.parts[:-1]):
            found.add(folder / path.parent)
    return found


def _walked_roots(folder: Path, names) -> set[Path]:
    found = set()
    for current, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _NOT_SEARCHED)
        if any(name in files for name in names):
            found.add(Path(current))
    return found


def _is_root_file(path: Path) -> bool:
    """A root file says `format:`; a vendor file of the same name (Avaamo's skill.yaml) does not.

    A link or a FIFO by that name counts as a root: the command then stops on it with the
    reader's one-line refusal, instead of following it or hanging on it."""
    try:
        with open_source(path) as handle:
            head = handle.read(65536).decode("utf-8-sig", errors="replace")
    except InputError:
        return os.path.lexists(path) and not os.path.isdir(path)
    return head.startswith("format:") or "\nformat:" in head


def open_tree(paths: list[Path], root: Path | None, listing: tuple | None = None) -> SourceTree:
    """The tree holding `paths` (or `root`, or the current folder), and which files to report on.
    `listing`: the tree's (owned, others) files as walk_managed found them, when a caller walked it."""
    if root is None:
        start = Path(paths[0]) if paths else Path.cwd()
        root = find_root(absolute(start))
        if root is None:
            raise InputError(f"{start}: not inside an assistantgit source tree (no skill.yaml above it); use --dir")
    root = Path(root)
    fmt = registry.tree_format(root)
    folders = {collection.folder: collection for collection in fmt.collections}
    managed = fmt.managed()
    files = {}
    prefix = os.path.join(str(root), "")  # + rel: os.path.join's result, 5,000 calls cheaper
    owned, others = listing or walk_managed(root, managed)  # one walk; a link or a FIFO in it stops here
    kinds = _kinds_of(fmt)
    for rel in owned:
        files[rel] = SourceFile(rel, prefix + rel, kinds(rel))
    unknown = sorted(others - set(files))
    if not paths:
        return SourceTree(root, fmt, files, sorted(files), unknown, True, folders)
    selected: list[str] = []
    chosen_unknown: list[str] = []
    root_path = absolute(root)
    for path in paths:
        named = absolute(path)
        if not os.path.lexists(named):
            raise InputError(f"{path}: no such file")
        try:
            rel = named.relative_to(root_path).as_posix()
        except ValueError:
            raise InputError(f"{path}: not inside the tree at {root}") from None
        if named.is_dir() and not named.is_symlink():
            inside = [r for r in sorted(files) if rel == "." or r.startswith(rel + "/")]
            selected.extend(inside)
            chosen_unknown.extend(r for r in unknown if rel == "." or r.startswith(rel + "/"))
        elif rel in files:
            selected.append(rel)
        elif rel in unknown:
            chosen_unknown.append(rel)
    return SourceTree(root, fmt, files, sorted(set(selected)), sorted(set(chosen_unknown)), False, folders)

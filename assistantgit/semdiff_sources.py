"""The two sides of a semantic diff, as item sets: relative path -> source data.

A side is a source tree on disk, a source tree inside a git revision (read from git
objects, no checkout), or an export file exploded in memory. Every file carries the
git blob id of its bytes when that is cheap to know, so two sides that share most
files are compared by id and only the files that differ are parsed: a diff of two
commits of a 10 MB skill reads a handful of YAML files, not five thousand.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import canonical_yaml
from .errors import InputError
from .formats import registry
from .treeio import Managed, owned_files

ZIP_MAGIC = b"PK\x03\x04"


def blob_id(content: bytes) -> str:
    """The id git gives a blob with these bytes (what `git hash-object` prints)."""
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


def parse_source(content: bytes, where: str):
    """A source file's data: YAML files parsed, other members kept as bytes."""
    if not where.endswith(".yaml"):
        return content
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{where}: not valid UTF-8 (byte 0x{content[error.start]:02x} at offset {error.start})") from None
    return canonical_yaml.loads(text, where)


@dataclass
class Entry:
    """One source file of a side: its blob id when known, and its data on demand."""

    where: str
    sha: str | None
    _load: Callable[[], object] | None = None
    _data: object = None
    _loaded: bool = False

    @classmethod
    def of_data(cls, where: str, data) -> "Entry":
        return cls(where, None, None, data, True)

    @property
    def data(self):
        if not self._loaded:
            self._data = self._load()
            self._loaded = True
        return self._data


@dataclass
class ItemSet:
    """One side of a diff: a label people recognize, the format, and the files."""

    label: str
    fmt: object
    entries: dict[str, Entry] = field(default_factory=dict)
    names: dict = field(default_factory=dict)   # folder -> {id: display name}, filled on demand
    repo: object = None                         # the git repository a side's blobs come from

    def data(self, path: str):
        return self.entries[path].data


def managed_paths(paths, managed: list[Managed]) -> list[str]:
    """The paths (relative, with '/') that a format owns, like treeio.owned_files for a listing."""
    found = []
    for path in paths:
        for spec in managed:
            if not spec.is_folder:
                if path == spec.path:
                    found.append(path)
                    break
                continue
            prefix = spec.path + "/"
            if not path.startswith(prefix):
                continue
            if any(part.startswith(".") for part in path[len(prefix):].split("/")[:-1]):
                continue
            if spec.suffix is None or path.endswith(spec.suffix):
                found.append(path)
                break
    return sorted(found)


# --- exports -----------------------------------------------------------------------------------


def from_export_bytes(raw: bytes, where: str, label: str | None = None) -> ItemSet:
    """Explode an export in memory (no file is written)."""
    from .exportjson import parse_json_bytes

    if raw.startswith(ZIP_MAGIC) or where.lower().endswith(".zip"):
        fmt, export = registry.format_for_zip(where, raw)
    else:
        export = parse_json_bytes(raw, where)
        fmt = registry.format_for_json(export, where)
    from .secrets import extract  # the same placeholders pull writes: a diff never shows a credential

    files = extract(fmt.explode(export, where))
    entries = {rel: Entry.of_data(f"{where}: {rel}", data) for rel, data in files.items()}
    return ItemSet(label or where, fmt, entries)


def from_export_file(path: Path, label: str | None = None) -> ItemSet:
    from .pipeline import read_export_bytes

    return from_export_bytes(read_export_bytes(Path(path)), str(path), label)


# --- source trees on disk ------------------------------------------------------------------------


def from_tree(root: Path, label: str | None = None) -> ItemSet:
    """A source tree on disk (the working tree, or any folder)."""
    from .pipeline import tree_format

    root = Path(root)
    fmt = tree_format(root)
    entries = {}
    for rel in sorted(owned_files(root, fmt.managed())):
        path = root / rel
        try:
            content = path.read_bytes()
        except OSError as error:
            raise InputError(f"{path}: cannot read ({error.strerror or error})") from None
        entries[rel] = Entry(str(path), blob_id(content), lambda c=content, w=str(path): parse_source(c, w))
    return ItemSet(label or str(root), fmt, entries)


# --- git -----------------------------------------------------------------------------------------


def open_repo(start: Path):
    """The git repository that holds `start`, or an error saying there is none."""
    import git

    try:
        return git.Repo(Path(start).resolve(), search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise InputError(f"{start}: not inside a git repository (give two export files or folders instead)") from None


def repo_relative(repo, folder: Path) -> str:
    """The path of `folder` inside the repository ('' for its top), with '/'."""
    top = Path(repo.working_tree_dir).resolve()
    try:
        rel = Path(folder).resolve().relative_to(top)
    except ValueError:
        raise InputError(f"{folder}: is outside the git repository at {top}") from None
    return "" if str(rel) == "." else rel.as_posix()


def resolve_object(repo, spec: str):
    """A revision ('HEAD~1', 'main') -> its commit; 'REV:path' -> that blob or tree; None if unknown."""
    import git

    try:
        return repo.rev_parse(spec)
    except (git.BadName, git.BadObject, ValueError, IndexError, KeyError):
        return None


def from_git_tree(repo, tree, where: str, label: str, fallback_fmt=None) -> ItemSet:
    """The source tree held by a git tree object; blobs are read only when their data is needed."""
    fmt = _git_tree_format(repo, tree, where) if tree is not None else None
    if fmt is None:
        if fallback_fmt is None:
            raise InputError(
                f"{where}: no assistantgit source tree there (no {' or '.join(registry.ROOT_FILES)}); "
                "use --dir to name the folder that holds it"
            )
        return ItemSet(label, fallback_fmt, {})
    blobs = {}
    for obj in tree.traverse(predicate=lambda o, _depth: o.type == "blob"):
        blobs[obj.path[len(tree.path) + 1:] if tree.path else obj.path] = obj.binsha
    entries = {}
    for rel in managed_paths(blobs, fmt.managed()):
        binsha = blobs[rel]
        at = f"{where}/{rel}" if where else rel
        # hold the Repo itself: when it is collected, git's cat-file process is closed under the odb
        entries[rel] = Entry(at, binsha.hex(), lambda b=binsha, w=at, r=repo: parse_source(r.odb.stream(b).read(), w))
    return ItemSet(label, fmt, entries, repo=repo)


def preload(side: ItemSet, paths) -> None:
    """Read many files of a side at once. A git side reads their blobs in one `git cat-file
    --batch` run: one round trip per blob costs about a millisecond, and a picture of the
    dialog flow needs every node."""
    wanted = [side.entries[p] for p in paths if p in side.entries and not side.entries[p]._loaded]
    if side.repo is None or len(wanted) < 2 or any(e.sha is None for e in wanted):
        return
    import subprocess

    done = subprocess.run(["git", "cat-file", "--batch"], cwd=side.repo.git_dir, capture_output=True,
                          input="".join(e.sha + "\n" for e in wanted).encode("ascii"))
    if done.returncode != 0:
        return  # each file is read on its own, which reports what is wrong with it
    output, start = done.stdout, 0
    for entry in wanted:
        header_end = output.index(b"\n", start)
        name, kind, size = output[start:header_end].split(b" ")
        start = header_end + 1 + int(size) + 1
        if kind == b"blob" and name.decode("ascii") == entry.sha:
            entry._data, entry._loaded = parse_source(output[header_end + 1:start - 1], entry.where), True


def _git_tree_format(repo, tree, where: str):
    for name in registry.ROOT_FILES:
        try:
            blob = tree / name
        except KeyError:
            continue
        doc = parse_source(repo.odb.stream(blob.binsha).read(), f"{where}/{name}")
        if isinstance(doc, dict) and "format" in doc:
            return registry.format_by_name(doc["format"], f"{where}/{name}")
    return None


def subtree(commit, path: str):
    """The tree at `path` inside a commit, or None when the commit has no such folder."""
    if not path:
        return commit.tree
    try:
        obj = commit.tree / path
    except KeyError:
        return None
    return obj if obj.type == "tree" else None


def from_git_object(repo, obj, spec: str, folder: str, fallback_fmt=None) -> ItemSet:
    """A commit (its tree at `folder`), a tree, or a blob holding an export."""
    if obj.type == "tag":
        obj = obj.object
    if obj.type == "commit":
        where = f"{spec}:{folder}" if folder else f"{spec}"
        return from_git_tree(repo, subtree(obj, folder), where, spec, fallback_fmt)
    if obj.type == "tree":
        return from_git_tree(repo, obj, spec, spec)
    if obj.type == "blob":
        return from_export_bytes(obj.data_stream.read(), spec, spec)
    raise InputError(f"{spec}: a git {obj.type}, not a commit, folder or export file")


# --- what the command line names -----------------------------------------------------------------


def _repo_or_none(start: Path):
    try:
        return open_repo(start)
    except InputError:
        return None


def side_for(spec: str, folder: Path, repo, fallback_fmt=None) -> ItemSet:
    """An argument of `diff`: an export file or a tree folder on disk, else a git revision
    (its tree at `folder`), or REV:PATH (an export file or tree folder inside a revision)."""
    path = Path(spec)
    if path.is_file():
        return from_export_file(path)
    if path.is_dir():
        return from_tree(path)
    obj = resolve_object(repo, spec) if repo is not None else None
    if obj is None:
        hint = "" if repo is not None else " (and this folder is not in a git repository)"
        raise InputError(f"{spec}: not an export file, a source-tree folder or a git revision{hint}")
    return from_git_object(repo, obj, spec, repo_relative(repo, folder), fallback_fmt)


def sides(first: str | None, second: str | None, folder: Path) -> tuple[ItemSet, ItemSet]:
    """The two sides of `diff [A [B]] --dir folder`, like git diff: none = HEAD against the
    working tree; one = A against the working tree; two = A against B."""
    folder = Path(folder)
    repo = _repo_or_none(folder if folder.is_dir() else Path("."))
    if first is None:
        if repo is None:
            raise InputError(f"{folder}: not inside a git repository; give two export files, folders or revisions")
        first = "HEAD"
    if second is None:
        try:
            right = from_tree(folder, "working tree" if str(folder) in (".", "") else f"working tree ({folder})")
        except InputError as error:
            raise InputError(f"{error.message}; or use --dir to name the tree's folder") from None
        if first == "HEAD" and repo is not None and not repo.head.is_valid():
            return ItemSet("HEAD (no commit yet)", right.fmt), right
        return side_for(first, folder, repo, right.fmt), right
    left, right = _pair(first, second, folder, repo)
    return left, right


def _pair(first: str, second: str, folder: Path, repo) -> tuple[ItemSet, ItemSet]:
    try:
        left = side_for(first, folder, repo)
    except InputError as error:
        if "no assistantgit source tree there" not in error.message:
            raise
        right = side_for(second, folder, repo)  # A has no tree yet: everything in B is new
        return side_for(first, folder, repo, right.fmt), right
    return left, side_for(second, folder, repo, left.fmt)

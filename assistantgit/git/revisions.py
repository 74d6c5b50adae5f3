"""The sides of a semantic diff that git holds: a source tree or an export file inside a
revision, read from git objects (no checkout), and what `diff`'s arguments name.

Blobs are read only when their data is needed, and each entry carries its blob id, so
two commits of a 10 MB skill are compared by id and only the files that differ parse.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from ..diff.sources import Entry, ItemSet, from_export_bytes, from_export_file, from_tree, managed_paths, parse_source
from ..errors import InputError
from ..formats import registry
from ..tree import LINK_REFUSED
from .repo import list_blobs, open_plain, read_blobs, repo_relative, resolve_object

LINK_MODE = 0o120000  # git's file mode of a symbolic link


def from_git_tree(repo, tree, where: str, label: str, fallback_fmt=None) -> ItemSet:
    """The source tree held by a git tree object; blobs are read only when their data is needed."""
    fmt = _git_tree_format(repo, tree, where) if tree is not None else None
    if fmt is None:
        if fallback_fmt is None:
            raise InputError(
                f"{where}: no assistantgit source tree there (no {' or '.join(registry.root_files())}); "
                "use --dir to name the folder that holds it"
            )
        return ItemSet(label, fallback_fmt, {})
    blobs, links = {}, set()
    for rel, mode, binsha in _files_below(repo, tree):
        blobs[rel] = binsha
        if mode & 0o170000 == LINK_MODE:
            links.add(rel)
    for rel in sorted(links):  # as on disk (tree/files.py): a link where the format owns files is refused
        if any(rel == spec.path or rel.startswith(spec.path + "/") for spec in fmt.managed()):
            raise InputError.at(f"{where}/{rel}" if where else rel, LINK_REFUSED)
    entries = {}
    for rel in managed_paths(blobs, fmt.managed()):
        binsha = blobs[rel]
        at = f"{where}/{rel}" if where else rel
        entries[rel] = Entry(at, binsha.hex(), partial(_read_blob, repo, binsha, at, fmt, rel))
    return ItemSet(label, fmt, entries, read_many=partial(_read_entries, repo, fmt, where))


def _files_below(repo, tree) -> list:
    """(path inside `tree`, mode, binary id) of every file below a git tree object."""
    listed = list_blobs(repo, tree.hexsha)
    if listed is not None:
        return listed
    if not hasattr(tree, "traverse"):  # a PlainRepo's tree: git is all it has
        raise InputError(f"{tree.hexsha}: git cannot list this tree")
    return [  # git could not list it: gitpython walks the tree (the same answer, ten times slower)
        (obj.path[len(tree.path) + 1 :] if tree.path else obj.path, obj.mode, obj.binsha)
        for obj in tree.traverse(predicate=lambda o, _depth: o.type == "blob")
    ]


def _read_entries(repo, fmt, where: str, entries: list[Entry]) -> None:
    """Fill entries from their blobs, read in one `git cat-file --batch` run; an entry the
    run cannot give is left to be read on its own (which reports what is wrong with it).
    Each file's fields are checked for type, as when it is read on its own."""
    known = [entry for entry in entries if entry.sha is not None]
    contents = read_blobs(repo, [entry.sha for entry in known if entry.sha is not None])
    prefix = f"{where}/" if where else ""
    for entry, content in zip(known, contents):
        if content is not None:
            rel = entry.where[len(prefix) :] if entry.where.startswith(prefix) else entry.where
            entry.fill(parse_source(content, entry.where, fmt, rel))


def _read_blob(repo, binsha: bytes, where: str, fmt=None, rel: str | None = None):
    # holds the Repo itself: when it is collected, git's cat-file process is closed under the odb
    return parse_source(repo.odb.stream(binsha).read(), where, fmt, rel)


def _git_tree_format(repo, tree, where: str):
    for name in registry.root_files():
        try:
            blob = tree / name
        except KeyError:
            continue
        if blob.mode & 0o170000 == LINK_MODE:
            raise InputError.at(f"{where}/{name}", LINK_REFUSED)
        content = repo.odb.stream(blob.binsha).read()
        doc = parse_source(content, f"{where}/{name}")
        if isinstance(doc, dict) and "format" in doc:
            return registry.format_of(doc, content.decode("utf-8-sig"), f"{where}/{name}")
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


def from_git_object(repo, obj, spec: str, folder: str, fallback_fmt=None, like: ItemSet | None = None) -> ItemSet:
    """A commit (its tree at `folder`), a tree, or a blob holding an export (which may share
    the items of `like`'s export)."""
    if obj.type == "tag":
        obj = obj.object
    if obj.type == "commit":
        where = f"{spec}:{folder}" if folder else f"{spec}"
        return from_git_tree(repo, subtree(obj, folder), where, spec, fallback_fmt)
    if obj.type == "tree":
        return from_git_tree(repo, obj, spec, spec)
    if obj.type == "blob":
        return from_export_bytes(obj.data_stream.read(), spec, spec, like)
    raise InputError(f"{spec}: a git {obj.type}, not a commit, folder or export file")


# --- what the command line names -----------------------------------------------------------------


def _repo_or_none(start: Path):
    try:
        return open_plain(start)  # diff reads objects only: git's own commands, no gitpython
    except InputError:
        return None


def side_for(spec: str, folder: Path, repo, fallback_fmt=None, like: ItemSet | None = None) -> ItemSet:
    """An argument of `diff`: an export file or a tree folder on disk, else a git revision
    (its tree at `folder`), or REV:PATH (an export file or tree folder inside a revision).
    `like`: the other side, whose items an export file may share (they are not parsed again)."""
    path = Path(spec)
    if path.is_file():
        return from_export_file(path, like=like)
    if path.is_dir():
        return from_tree(path)
    obj = resolve_object(repo, spec) if repo is not None else None
    if obj is None:
        hint = "" if repo is not None else " (and this folder is not in a git repository)"
        raise InputError(f"{spec}: not an export file, a source-tree folder or a git revision{hint}")
    return from_git_object(repo, obj, spec, repo_relative(repo, folder), fallback_fmt, like)


def sides(first: str | None, second: str | None, folder: Path) -> tuple[ItemSet, ItemSet]:
    """The two sides of `diff [A [B]] --dir folder`, like git diff: none = HEAD against the
    working tree; one = A against the working tree; two = A against B."""
    folder = Path(folder)
    if first is not None and second is not None and Path(first).exists() and Path(second).exists():
        repo = None  # two files or folders on disk: no repository to open (gitpython costs 60 ms to import)
    else:
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
    return left, side_for(second, folder, repo, left.fmt, like=left)

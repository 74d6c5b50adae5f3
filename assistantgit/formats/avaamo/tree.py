"""Where Avaamo export members live in a source tree, and how a JSON member is split
into one file per item and joined back exactly.

Splitting (issue 7): a JSON array of objects that all carry a unique `id`, `uuid`,
`key` or `name` becomes a folder with one YAML file per object. In the file that held
the array, the array becomes a list of file references, one string `<< path` per
item (path relative to that file's folder), in the original order. Any real string
that starts with `<<` gets one more `<` on disk, so a reference can never be confused
with data. Splits happen at the top of a member and under mapping keys, recursively
inside split items; arrays inside other arrays stay whole.

Push reads the references back in order; a `.yaml` file added to a split folder
without a reference is appended after the listed ones (in file-name order), so adding
an item is adding a file, and two branches that each add one merge without conflict.
"""

from __future__ import annotations

import posixpath
import re

from ...errors import InputError
from ...tree import assign_stems, short_hash, slug

ID_FIELDS = ("id", "uuid", "key", "name")
REF = "<< "
_UNPORTABLE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')  # '/' too: a JSON key ("/", "a/") is one segment
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", "clock$"} | {f"{p}{n}" for p in ("com", "lpt") for n in range(10)}
MAX_SEGMENT = 120


def portable_segment(segment: str, is_dir: bool) -> str:
    """The segment itself when it is a safe file name everywhere, else a slug of it."""
    base = segment.split(".")[0].casefold()
    if (
        segment not in ("", ".", "..")
        and not _UNPORTABLE.search(segment)
        and segment[-1] not in ". "
        and base not in _WINDOWS_RESERVED
        and len(segment.encode("utf-8", "surrogatepass")) <= MAX_SEGMENT
        and segment.isprintable()
        and not (is_dir and segment.startswith("."))  # tree.owned_files skips hidden folders
    ):
        return segment
    stem, dot, ext = segment.rpartition(".")
    if not dot or not stem or is_dir:
        return slug(segment)
    return f"{slug(stem)}.{slug(ext)}"


class TreePaths:
    """Hands out tree paths that are unique even on case-insensitive file systems.

    The first claimant of a name gets it as is; later ones get `name~hash`, the hash
    of who they are, so the outcome depends only on the claims and their order.
    """

    def __init__(self) -> None:
        self._taken: dict[str, set[str]] = {}
        self._dirs: dict[tuple, str] = {}

    def dir(self, parent: str, want: str, owner) -> str:
        hit = self._dirs.get((parent, owner))
        if hit is None:
            hit = f"{parent}/{self._free(parent, portable_segment(want, True), owner, False)}"
            self._dirs[(parent, owner)] = hit
        return hit

    def file(self, parent: str, want: str, owner) -> str:
        return f"{parent}/{self._free(parent, portable_segment(want, False), owner, True)}"

    def _free(self, parent: str, segment: str, owner, keep_suffix: bool) -> str:
        names = self._taken.setdefault(parent, set())
        candidate, attempt = segment, 0
        while candidate.casefold() in names:
            attempt += 1
            tag = short_hash(f"{owner!r}#{attempt}")
            stem, dot, ext = segment.rpartition(".")
            candidate = f"{stem}~{tag}.{ext}" if keep_suffix and dot and stem else f"{segment}~{tag}"
        names.add(candidate.casefold())
        return candidate


def member_path(paths: TreePaths, root: str, name: str, suffix: str | None = None) -> str:
    """Claim the tree path of a member (`suffix` replaces its extension, for JSON members)."""
    parts = name.split("/")
    parent = root
    for depth, part in enumerate(parts[:-1]):
        parent = paths.dir(parent, part, ("member-dir", "/".join(parts[: depth + 1])))
    leaf = parts[-1]
    if suffix is not None:
        stem, dot, _ext = leaf.rpartition(".")
        leaf = (stem if dot and stem else leaf) + suffix
    return paths.file(parent, leaf, ("member", name))


def split_field(array) -> str | None:
    """The field that identifies each object of the array, or None when it is not splittable."""
    if not isinstance(array, list) or not array or not all(isinstance(item, dict) for item in array):
        return None
    for field in ID_FIELDS:
        values = [item.get(field) for item in array]
        if all(isinstance(v, (str, int)) and not isinstance(v, bool) and v != "" for v in values):
            if len({str(v) for v in values}) == len(values):
                return field
    return None


def _escape(text: str) -> str:
    return "<" + text if text.startswith("<<") else text


def _unescape(text: str) -> str:
    return text[1:] if text.startswith("<<<") else text


def _escaped(value):
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, dict):
        return {k: _escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    return value


def _stem_names(array: list, field: str) -> list[str]:
    names = [item.get("name") for item in array]
    if all(isinstance(n, str) and n.strip() for n in names):
        return names
    return [str(item[field]) for item in array]


def explode(data, file_path: str, paths: TreePaths) -> dict:
    """Split one JSON member's data: returns {tree path: data} with the member's own file first."""
    out: dict = {}
    out[file_path] = None  # keeps the member's file first
    out[file_path] = _transform(data, file_path, (), paths, out)
    return out


def _transform(value, file_path: str, keys: tuple, paths: TreePaths, out: dict):
    if isinstance(value, dict):
        # claim names in key order, not in the member's order: a re-download may order keys differently
        return {k: _transform(value[k], file_path, keys + (k,), paths, out) for k in sorted(value)}
    field = None if keys[-1:] == ("headers",) else split_field(value)  # headers stay whole: secrets.extract reads them
    if field is None:
        return _escaped(value)
    base_parent, _, base_name = file_path[: -len(".yaml")].rpartition("/")
    folder = paths.dir(base_parent, base_name, ("split", file_path))
    for depth, key in enumerate(keys):
        folder = paths.dir(folder, key, ("split", file_path, keys[: depth + 1]))
    here = posixpath.dirname(file_path)
    refs = []
    stems = assign_stems(_stem_names(value, field))
    item_paths = [paths.file(folder, f"{stem}.yaml", ("item", folder, stem)) for stem in stems]
    for item, item_path in zip(value, item_paths):
        out[item_path] = None
        out[item_path] = _transform(item, item_path, (), paths, out)
        refs.append(REF + posixpath.relpath(item_path, here))
    return refs


class Joiner:
    """Reads split members back: `load(path)` gives a tree file's data (from the caller)."""

    def __init__(self, load, listing) -> None:
        self.load = load  # tree path -> data
        self.listing = listing  # folder -> sorted names of its .yaml files
        self.used: dict[str, str] = {}

    def join(self, file_path: str, via: str = "agent.yaml"):
        if file_path in self.used:
            raise InputError.at(file_path, f"referenced twice (from {self.used[file_path]} and {via})")
        self.used[file_path] = via
        return self._restore(self.load(file_path), file_path)

    def _restore(self, value, file_path: str):
        if isinstance(value, dict):
            return {k: self._restore(v, file_path) for k, v in value.items()}
        if isinstance(value, list):
            refs = [isinstance(v, str) and v.startswith(REF) for v in value]
            if value and all(refs):
                return self._items(value, file_path)
            if any(refs):
                raise InputError.at(file_path, f"a list mixes file references ('{REF}...') and values")
            return [self._restore(v, file_path) for v in value]
        if isinstance(value, str):
            if value.startswith(REF):
                raise InputError.at(file_path, f"a file reference '{value}' must be an item of a list")
            return _unescape(value)
        return value

    def _items(self, refs: list, file_path: str) -> list:
        here = posixpath.dirname(file_path)
        targets = []
        for ref in refs:
            target = posixpath.normpath(posixpath.join(here, ref[len(REF) :]))
            if not target.startswith("files/") or not target.endswith(".yaml"):
                raise InputError.at(file_path, f"'{ref}' does not name a .yaml file inside files/")
            targets.append(target)
        folders = {posixpath.dirname(t) for t in targets}
        if len(folders) == 1:
            folder = folders.pop()
            listed = set(targets)
            targets += [
                f"{folder}/{n}"
                for n in self.listing(folder)
                if f"{folder}/{n}" not in listed and f"{folder}/{n}" not in self.used
            ]
        return [self.join(t, file_path) for t in targets]

"""The item-per-file machinery formats share: a set-like array of the export kept as one
file per item (`Collection`) or as one list file (`ListFile`), and the order and
normalization every source file gets.

A format declares its collections and list files (formats/base.py); validate, fmt
and diff learn from those declarations which files hold what, how pull normalizes
them, and how people name their items.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from .. import canonical
from ..canonical import canonical_json
from ..errors import InputError
from ..tree import assign_stems, read_text

if TYPE_CHECKING:
    from .base import Format

# Fields that describe a copy of a skill (where and when it lives), not its content.
VOLATILE_FIELDS = frozenset(
    {
        "created",
        "updated",
        "status",
        "status_description",
        "status_errors",
        "workspace_id",
        "skill_id",
        "assistant_id",
        "environment_id",
        "environment",
        "valid",
        "next_snapshot_version",
        "snapshot",
        "counts",
        "dialog_settings_updated",
    }
)
AUDIT_FIELDS = ("created", "updated")


def without_audit(item):
    """The item without its created/updated timestamps."""
    if isinstance(item, dict) and ("created" in item or "updated" in item):
        return {k: v for k, v in item.items() if k not in AUDIT_FIELDS}
    return item


def natural_key(item, key_field: str) -> str:
    if isinstance(item, dict):
        return str(item.get(key_field, ""))
    return item if isinstance(item, str) else ""


def _tie_key(item) -> str:
    return "" if isinstance(item, str) else canonical_json(item)


def sort_items(items: list, key_field: str) -> list:
    """Order a set-like array by its natural key, ties broken by full content.

    The same order as sorting on (natural key, canonical JSON), but the JSON, the costly
    part, is only made for the few items whose natural keys tie. A list of texts only
    (examples, synonyms) is its own key: a plain sort gives that order.
    """
    if all(type(item) is str for item in items):
        return sorted(items)
    # a text is its own key: no call for the texts of a list of examples with mentions
    return sorted_keyed([(item if type(item) is str else natural_key(item, key_field), item) for item in items])


def sort_expanded(items: list, key_field: str) -> list:
    """sort_items of the items with each text t made {key_field: t} (an intent's examples as
    the export holds them), without a call per text to make it and another to key it: a
    push expands 110,000 examples of the realistic skill."""
    return sorted_keyed(
        [(item, {key_field: item}) if type(item) is str else _expanded(item, key_field) for item in items]
    )


def _expanded(item, key_field: str) -> tuple:
    expanded = {key_field: item} if isinstance(item, str) else item
    return natural_key(expanded, key_field), expanded


def sorted_keyed(keyed: list) -> list:
    """The items of (natural key, item) pairs in sort_items' order."""
    keyed.sort(key=itemgetter(0))
    result = list(map(itemgetter(1), keyed))
    if len(set(map(itemgetter(0), keyed))) == len(keyed):
        return result
    start = 0
    while start < len(keyed):
        end = start + 1
        while end < len(keyed) and keyed[end][0] == keyed[start][0]:
            end += 1
        if end - start > 1:  # stable sorts, so equal pairs keep their input order as before
            result[start:end] = sorted(result[start:end], key=_tie_key)
        start = end
    return result


# The tree a pull writes into, as (root, its managed files' relative paths), set by the
# pipeline: an item keeps the file it has when a newcomer's name collides (issue 2).
EXISTING_FILES: ContextVar[tuple | None] = ContextVar("existing_files", default=None)


def identity(item):
    return item


# Set while the pipeline assembles an export that uploadstream.streamed_upload writes: the
# items of a collection that converts them from their source form (intents' examples
# {text: ...}, entities' values) keep their source form until written (uploadstream.Unconverted).
CONVERT_WHEN_WRITTEN: ContextVar[bool] = ContextVar("convert_when_written", default=False)


# Set-like arrays inside an item, for diff: path (with '*' for "any key") -> the field
# that names an element (None for plain text elements). Compared as keyed mappings, so
# their order never shows as a difference.
SetLike = Mapping[tuple[str, ...], "str | None"]


@dataclass(frozen=True)
class Collection:
    """A set-like array of the export stored as one file per item in a folder."""

    array: str  # key in the export: "intents"
    folder: str  # folder in the tree: "intents"
    id_field: str  # what makes an item unique: "intent"
    name_field: str | None = None  # a nicer field for the file name ("title"), when set
    to_source: Callable = identity  # normalize an item for its file
    from_source: Callable = identity
    # What from_source adds to an item's compact JSON, in bytes, told from the file's canonical
    # text and its count of texts per top-level list (canonical.json_size), or None when the
    # text cannot tell: validate's AG601 then parses the file. Unset: every file is parsed.
    json_growth: Callable[[str, dict], int | None] | None = None
    what: str = ""  # how a person calls one item: "intent"
    # How diff names and compares items:
    name_prefix: str = ""  # before the id: "#" for intents ("#cancel_order")
    rename_body: str | None = None  # an item that keeps this (non-empty) field under a new id was renamed
    set_like: SetLike = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        return self.what or self.id_field

    def file_names(self, items: list) -> list[str]:
        names = []
        for item in items:
            name = item.get(self.name_field) if self.name_field else None
            if not isinstance(name, str) or not name.strip():
                name = item.get(self.id_field)
            names.append(str(name if name is not None else ""))
        keys = [str(item.get(self.id_field)) for item in items] if self.name_field else names
        prefix = self.folder + "/"
        return [f"{prefix}{stem}.yaml" for stem in assign_stems(names, keys, self._file_owner())]

    def _file_owner(self):
        """stem -> the id held by this folder's file of that stem in the tree being pulled into
        ("" when unreadable, None when there is no such file)."""
        state = EXISTING_FILES.get()
        if state is None:
            return None
        root, paths = state
        known: dict = {}

        def owner(stem: str):
            rel = f"{self.folder}/{stem}.yaml"
            if rel not in paths:
                return None
            if rel not in known:
                try:
                    data = canonical.loads(read_text(root / rel), rel)
                except InputError:  # a broken file: its name is still taken, its owner unknown
                    data = None
                ident = data.get(self.id_field) if isinstance(data, dict) else None
                known[rel] = ident if isinstance(ident, str) else ""
            return known[rel]

        return owner

    def explode(self, items, where: str) -> dict:
        if not isinstance(items, list):
            raise InputError(f"{where}: '{self.array}' must be a list")
        for item in items:
            if not isinstance(item, dict) or not isinstance(item.get(self.id_field), str):
                raise InputError(f"{where}: every item of '{self.array}' needs a text '{self.id_field}'")
        normalized = sort_items([self.to_source(without_audit(item)) for item in items], self.id_field)
        return dict(zip(self.file_names(normalized), normalized))

    def assemble(self, files: dict) -> list:
        """The array of the folder's items in sort_items' order: by the id alone, each a
        unique text (and the source form sorts the same)."""
        prefix = self.folder + "/"
        paths = [path for path in files if path.startswith(prefix)]
        paths.sort()
        # Most trees are sound: their ids are taken in one pass, and checked all at once; a
        # problem anywhere leaves the check file by file to find the first, and say it.
        id_field = self.id_field
        keyed = [(data.get(id_field), data) if type(data) is dict else (None, data) for data in map(files.get, paths)]
        sound = all(type(ident) is str and ident for ident, _data in keyed)
        if not sound or len(set(map(itemgetter(0), keyed))) != len(keyed):
            return self._assemble_checked(files, paths)
        if self.from_source is not identity:
            convert = self._converter()
            keyed = [(ident, convert(data)) for ident, data in keyed]  # in the files' order, as the check converts
        keyed.sort(key=itemgetter(0))
        return list(map(itemgetter(1), keyed))

    def _converter(self) -> Callable:
        if not CONVERT_WHEN_WRITTEN.get():
            return self.from_source
        from ..uploadstream import Unconverted

        from_source = self.from_source
        return lambda data: Unconverted(data, from_source)

    def _assemble_checked(self, files: dict, paths: list) -> list:
        """assemble, checking each file in turn: the error names the first that is wrong."""
        items: list = []
        seen: dict[str, str] = {}
        article = "an" if self.label[:1] in "aeiou" else "a"
        convert = self._converter()
        for path in paths:
            data = files[path]
            if not isinstance(data, dict):
                raise InputError.at(path, f"{article} {self.label} file must hold a mapping (key: value lines)")
            ident = data.get(self.id_field)
            if ident is None:
                raise InputError.at(path, f"missing '{self.id_field}' (the {self.label}'s name)")
            if not isinstance(ident, str) or not ident:
                raise InputError.at(
                    path, f"'{self.id_field}' (the {self.label}'s name) must be a non-empty text, not {ident!r}"
                )
            if ident in seen:
                raise InputError.at(path, f"{self.label} '{ident}' is also defined in {seen[ident]}")
            seen[ident] = path
            items.append((ident, convert(data)))
        items.sort(key=itemgetter(0))
        return [item for _ident, item in items]


@dataclass(frozen=True)
class ListFile:
    """A set-like array of the export kept whole in one file beside the root file
    (counterexamples.yaml, webhooks.yaml); present when the export has the array."""

    array: str  # key in the export: "counterexamples"
    file: str  # the file in the tree: "counterexamples.yaml"
    to_source: Callable = identity  # the list as its file holds it (sorted, compacted)
    from_source: Callable = identity
    label: str = ""  # how diff names the file's items: "counterexamples"

    @property
    def kind(self) -> str:
        return self.array

    def explode(self, workspace: dict, files: dict, where: str) -> None:
        if self.array not in workspace:
            return
        items = workspace[self.array]
        if not isinstance(items, list):
            raise InputError(f"{where}: '{self.array}' must be a list")
        files[self.file] = self.to_source([without_audit(item) for item in items])

    def assemble(self, files: dict, workspace: dict) -> None:
        if self.file not in files:
            return
        items = files[self.file]
        if not isinstance(items, list):
            raise InputError.at(self.file, "must hold a list")
        workspace[self.array] = self.from_source(items)


def normalizer(fmt: Format, kind: str) -> Callable[[Any], Any]:
    """What pull applies to a file of this kind before writing it (for fmt and AG701):
    `kind` is a collection's folder or a list file's array (tree.source.kind_of)."""
    for collection in fmt.collections:
        if collection.folder == kind:
            to_source = collection.to_source
            return lambda data: to_source(data) if isinstance(data, dict) else data
    for list_file in fmt.list_files:
        if list_file.kind == kind:
            to_list = list_file.to_source
            return lambda data: to_list(data) if isinstance(data, list) else data
    return lambda data: data

"""Semantic diff of two item sets: which intents, entities, dialog nodes... changed, and how.

Items are matched by their id field (an intent's `intent`, a node's `dialog_node`),
never by file name. Set-like arrays (examples, entity values, synonyms) are compared
as sets, so an example added reads as one example added, not as a shifted list.
An item whose id changed but whose content did not (or, for intents and entities,
whose examples or values did not) is reported as renamed. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

from ..canonical import canonical_json
from ..errors import InputError
from ..formats import registry
from ..formats.base import Format, PartedFormat
from ..formats.collection import Collection
from .fields import Detail, field_details, keyed
from .sources import ItemSet

SCHEMA_VERSION = 1
STATUSES = ("added", "removed", "changed", "renamed")
POSITION_FIELDS = ("parent", "previous_sibling")


@dataclass
class ItemChange:
    kind: str  # kind key: "intents", "dialog_nodes", "settings", "counterexamples"
    what: str  # one item as people say it: "intent"
    status: str  # added | removed | changed | renamed
    id: str
    name: str  # "#cancel_order", "'Refund' (node_7)"
    path: str | None = None
    old_id: str | None = None
    old_name: str | None = None
    old_path: str | None = None
    details: list[Detail] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "kind": self.kind,
            "what": self.what,
            "status": self.status,
            "id": self.id,
            "name": self.name,
            "path": self.path,
            "old_id": self.old_id,
            "old_name": self.old_name,
            "old_path": self.old_path,
            "details": [d.to_json() for d in self.details],
        }


@dataclass
class Kind:
    key: str
    label: str  # heading: "Intents"
    what: str


@dataclass
class SemanticDiff:
    left: str
    right: str
    format: str
    kinds: list[Kind]
    changes: list[ItemChange]

    def counts(self) -> dict:
        """kind key -> {status: count}, for every kind that has changes, in display order."""
        table = {}
        for kind in self.kinds:
            row = dict.fromkeys(STATUSES, 0)
            for change in self.changes:
                if change.kind == kind.key:
                    row[change.status] += 1
            if any(row.values()):
                table[kind.key] = row
        return table

    def to_json(self) -> dict:
        labels = {k.key: k.label for k in self.kinds}
        return {
            "version": SCHEMA_VERSION,
            "left": self.left,
            "right": self.right,
            "format": self.format,
            "total": len(self.changes),
            "summary": [{"kind": key, "label": labels[key], **row} for key, row in self.counts().items()],
            "changes": [c.to_json() for c in self.changes],
        }


# --- what the formats declare --------------------------------------------------------------------


def _collections(left: Format, right: Format) -> list[Collection]:
    """The collections of both sides' formats, the right side's first, in their declared order."""
    collections = list(right.collections)
    for extra in left.collections:
        if extra.folder not in {c.folder for c in collections}:
            collections.append(extra)
    return collections


def _list_files(left: Format, right: Format) -> dict[str, str]:
    """{file: what diff calls its items} of both sides' list files, in their declared order."""
    return {list_file.file: list_file.label for fmt in (right, left) for list_file in fmt.list_files}


def _kind_label(text: str) -> str:
    return text[:1].upper() + text[1:]


def item_name(collection: Collection, item, fallback: str | None = None) -> str:
    """How people name the item; `fallback` (its file, in parentheses) when it has no text id."""
    ident = item.get(collection.id_field) if isinstance(item, dict) else None
    if not isinstance(ident, str) and fallback is not None:
        return fallback
    title = item.get(collection.name_field) if collection.name_field and isinstance(item, dict) else None
    if isinstance(title, str) and title.strip():
        return f"'{title}'" if title == ident else f"'{title}' ({ident})"
    return f"{collection.name_prefix}{ident}"


# --- comparing the two sides --------------------------------------------------------------------


def changed_paths(left: ItemSet, right: ItemSet) -> tuple[list[str], list[str]]:
    """Paths whose content may differ: (left paths, right paths). Same blob id = same content."""
    left_paths, right_paths = [], []
    differ = [p for p, e in left.entries.items() if p in right.entries and e.sha != right.entries[p].sha]
    if len(differ) > 1:
        try:  # a side from git reads the files whose ids differ in one go, not one `git` run each
            left.load(differ)
            right.load(differ)
        except InputError:
            pass  # a file that does not parse is read again below, and says so there as it always did
    for path, entry in left.entries.items():
        other = right.entries.get(path)
        if other is None:
            left_paths.append(path)
        elif entry.sha is None or other.sha is None or entry.sha != other.sha:
            if entry.data != other.data:
                left_paths.append(path)
                right_paths.append(path)
    right_paths.extend(p for p in right.entries if p not in left.entries)
    return left_paths, sorted(right_paths)


def compare(left: ItemSet, right: ItemSet) -> SemanticDiff:
    """The semantic diff from `left` to `right`."""
    left_paths, right_paths = changed_paths(left, right)
    collections = _collections(left.fmt, right.fmt)
    settings = right.fmt.settings_label
    kinds = [Kind("settings", _kind_label(settings), settings)]
    changes: list[ItemChange] = []
    claimed: set = set()
    if not collections:  # a tree of trees (the published-version ZIP): diff each part as its own skill
        folders = [f for fmt in (left.fmt, right.fmt) if isinstance(fmt, PartedFormat) for f in fmt.parts]
        for folder in sorted(set(_parts(left, folders)) | set(_parts(right, folders))):
            claimed.update(p for p in left_paths + right_paths if p.startswith(folder + "/"))
            _compare_part(folder, folders, left, right, kinds, changes)
    for collection in collections:
        prefix = collection.folder + "/"
        mine_left = [p for p in left_paths if p.startswith(prefix)]
        mine_right = [p for p in right_paths if p.startswith(prefix)]
        claimed.update(mine_left, mine_right)
        kinds.append(Kind(collection.folder, _kind_label(collection.folder.replace("_", " ")), collection.label))
        changes.extend(_compare_collection(collection, left, right, mine_left, mine_right))
    roots = {left.fmt.root_file, right.fmt.root_file}
    labels = _list_files(left.fmt, right.fmt)
    order = list(labels)
    others = sorted(
        {p for p in left_paths + right_paths if p not in claimed},
        key=lambda p: (p not in roots, order.index(p) if p in order else len(order), p),
    )
    for path in others:
        label = settings if path in roots else labels.get(path)
        changes.extend(_compare_file(path, left, right, kinds, path in roots, label))
    rank = {k.key: i for i, k in enumerate(kinds)}
    changes.sort(key=lambda c: (rank.get(c.kind, len(rank)), STATUSES.index(c.status), c.name.lower(), c.id))
    fmt_name = right.fmt.name if right.fmt is left.fmt else f"{left.fmt.name} -> {right.fmt.name}"
    return SemanticDiff(left.label, right.label, fmt_name, kinds, changes)


def _parts(side: ItemSet, folders: list[str]) -> dict[str, Format]:
    """Of a parted format's part folders, those that hold a tree on this side, with its format
    (from the part's root file: `actions/skill.yaml` says `format: watson-actions`)."""
    found = {}
    for folder in folders:
        for name in registry.root_files():
            path = f"{folder}/{name}"
            doc = side.data(path) if path in side.entries else None
            fmt = registry.find(doc.get("format")) if isinstance(doc, dict) else None
            if fmt is not None:
                found[folder] = fmt
    return found


def _compare_part(folder: str, folders: list[str], left: ItemSet, right: ItemSet, kinds: list, changes: list) -> None:
    prefix = folder + "/"
    formats = [_parts(side, folders).get(folder) for side in (left, right)]
    halves = [
        ItemSet(
            side.label,
            cast(Format, fmt or formats[1 - index]),  # the folder holds a tree on one side at least
            {p[len(prefix) :]: e for p, e in side.entries.items() if p.startswith(prefix)},
        )
        for index, (side, fmt) in enumerate(zip((left, right), formats))
    ]
    part = compare(*halves)
    for kind in part.kinds:
        kinds.append(Kind(f"{prefix}{kind.key}", f"{_kind_label(folder)} skill: {kind.label}", kind.what))
    for change in part.changes:
        change.kind = prefix + change.kind
        change.path = prefix + change.path if change.path else None
        change.old_path = prefix + change.old_path if change.old_path else None
        changes.append(change)


def _items(collection: Collection, side: ItemSet, paths: list[str]) -> dict:
    items = {}
    for path in paths:
        data = side.data(path)
        ident = data.get(collection.id_field) if isinstance(data, dict) else None
        items[ident if isinstance(ident, str) else f"({path})"] = (path, data if isinstance(data, dict) else {})
    return items


def _compare_collection(collection, left, right, left_paths, right_paths) -> list[ItemChange]:
    spec = collection.set_like
    old, new = _items(collection, left, left_paths), _items(collection, right, right_paths)
    changes = []
    for ident in sorted(old.keys() & new.keys()):
        (old_path, before), (new_path, after) = old[ident], new[ident]
        details = _item_details(collection, before, after, spec)
        if details:
            changes.append(
                ItemChange(
                    collection.folder,
                    collection.label,
                    "changed",
                    ident,
                    item_name(collection, after, ident),
                    new_path,
                    None,
                    None,
                    old_path if old_path != new_path else None,
                    details,
                )
            )
    removed = {i: old[i] for i in old.keys() - new.keys()}
    added = {i: new[i] for i in new.keys() - old.keys()}
    for old_id, new_id in _renames(collection, removed, added):
        (old_path, before), (new_path, after) = removed.pop(old_id), added.pop(new_id)
        changes.append(
            ItemChange(
                collection.folder,
                collection.label,
                "renamed",
                new_id,
                item_name(collection, after),
                new_path,
                old_id,
                item_name(collection, before),
                old_path,
                _item_details(
                    collection, _without(before, collection.id_field), _without(after, collection.id_field), spec
                ),
            )
        )
    for status, group in (("removed", removed), ("added", added)):
        for ident, (path, data) in sorted(group.items()):
            before, after = (data, {}) if status == "removed" else ({}, data)
            details = field_details(_without(before, collection.id_field), _without(after, collection.id_field), spec)
            changes.append(
                ItemChange(
                    collection.folder,
                    collection.label,
                    status,
                    ident,
                    item_name(collection, data, ident),
                    path,
                    details=details,
                )
            )
    if any(d.change == "moved" for c in changes for d in c.details):
        changes = _drop_implied_moves(changes, old, new)
        changes = _keep_real_reorders(collection, changes, left, right)
        _name_positions(collection, changes, (left, old), (right, new))
    return changes


def _name_positions(collection, changes, left_side, right_side) -> None:
    """Add the names of the parent and previous sibling to each move, so a reader needs no ids."""
    for change in changes:
        for detail in change.details:
            if detail.change != "moved":
                continue
            for position, (side, items) in ((detail.before, left_side), (detail.after, right_side)):
                for key in POSITION_FIELDS:
                    ident = position.get(key)
                    position[key + "_name"] = None if ident is None else _name_in(collection, side, items, ident)


def _all_items(collection, side: ItemSet) -> dict:
    """Every item of a collection on one side, by id: read only when a move needs its
    neighbours (the diff otherwise reads changed files only)."""
    index = side.names.get(collection.folder)
    if index is None:
        index = side.names[collection.folder] = {}
        for path in side.entries:
            if path.startswith(collection.folder + "/"):
                data = side.data(path)
                if isinstance(data, dict) and isinstance(data.get(collection.id_field), str):
                    index[data[collection.id_field]] = data
    return index


def _name_in(collection, side: ItemSet, items: dict, ident: str) -> str:
    if ident in items:
        return item_name(collection, items[ident][1])
    data = _all_items(collection, side).get(ident)
    return item_name(collection, data) if data is not None else ident


def _sibling_order(items: dict, parent) -> list:
    after = {d.get("previous_sibling"): i for i, d in items.items() if d.get("parent") == parent and _placed(d)}
    order, current, seen = [], after.get(None), set()
    while current is not None and current not in seen:
        seen.add(current)
        order.append(current)
        current = after.get(current)
    return order


def _keep_real_reorders(collection, changes: list[ItemChange], left: ItemSet, right: ItemSet) -> list[ItemChange]:
    """Among siblings reordered under the same parent, only the fewest nodes that explain the
    new order moved (those outside the longest common order); the others just got new neighbours."""
    from difflib import SequenceMatcher

    candidates = [
        c
        for c in changes
        if c.status == "changed"
        and any(d.change == "moved" and d.before["parent"] == d.after["parent"] for d in c.details)
    ]
    if not candidates:
        return changes
    old_all, new_all = _all_items(collection, left), _all_items(collection, right)
    stayed: set = set()
    for parent in {d.after["parent"] for c in candidates for d in c.details if d.change == "moved"}:
        stable = {
            i
            for i, d in old_all.items()
            if d.get("parent") == parent and i in new_all and new_all[i].get("parent") == parent
        }
        before = [i for i in _sibling_order(old_all, parent) if i in stable]
        after = [i for i in _sibling_order(new_all, parent) if i in stable]
        for block in SequenceMatcher(None, before, after, autojunk=False).get_matching_blocks():
            stayed.update(before[block.a : block.a + block.size])
    kept = []
    for change in changes:
        if any(change is c for c in candidates) and change.id in stayed:
            change.details = [d for d in change.details if d.change != "moved"]
            if not change.details:
                continue
        kept.append(change)
    return kept


def _without(item: dict, key: str) -> dict:
    return {k: v for k, v in item.items() if k != key}


def _placed(item: dict) -> bool:
    """The item's position fields name a place: each is an id or absent. A file may give them
    another type (validate refuses it); then they are shown as changed values, not as a move."""
    return all(isinstance(item.get(f), (str, type(None))) for f in POSITION_FIELDS)


def _item_details(collection, before: dict, after: dict, spec: dict) -> list[Detail]:
    """Field details, with a tree position change (parent, previous_sibling) reported as one move."""
    details = []
    if any(f in before or f in after for f in POSITION_FIELDS) and _placed(before) and _placed(after):
        was = {f: before.get(f) for f in POSITION_FIELDS}
        now = {f: after.get(f) for f in POSITION_FIELDS}
        if was != now:
            details.append(Detail("position", "moved", was, now))
        before = {k: v for k, v in before.items() if k not in POSITION_FIELDS}
        after = {k: v for k, v in after.items() if k not in POSITION_FIELDS}
    return details + field_details(before, after, spec)


def _renames(collection, removed: dict, added: dict) -> list[tuple[str, str]]:
    """Pairs (old id, new id) whose content is the same apart from the id (or the same body)."""
    pairs: list[tuple[str, str]] = []

    def signature(item, body):
        if body is None:
            return canonical_json(keyed(_without(item, collection.id_field), collection.set_like))
        value = item.get(body)
        if not value:
            return None
        return (
            canonical_json(sorted(canonical_json(v) for v in value))
            if isinstance(value, list)
            else canonical_json(value)
        )

    for body in (None, collection.rename_body):
        new_by_sig: dict = {}
        for ident, (_, data) in added.items():
            if ident not in {p[1] for p in pairs}:
                new_by_sig.setdefault(signature(data, body), []).append(ident)
        old_by_sig: dict = {}
        for ident, (_, data) in removed.items():
            if ident not in {p[0] for p in pairs}:
                old_by_sig.setdefault(signature(data, body), []).append(ident)
        for sig, olds in sorted(old_by_sig.items(), key=lambda kv: str(kv[0])):
            news = new_by_sig.get(sig, [])
            if sig is not None and len(olds) == 1 and len(news) == 1:
                pairs.append((olds[0], news[0]))
        if collection.rename_body is None:
            break
    return pairs


def _drop_implied_moves(changes: list[ItemChange], old: dict, new: dict) -> list[ItemChange]:
    """A node whose previous_sibling changed only because a node was added, removed or moved
    next to it did not move: drop that position detail (and the item, if nothing else changed)."""
    statuses = {c.id: c.status for c in changes}
    statuses.update({c.old_id: c.status for c in changes if c.old_id})
    old_data = {i: d for i, (_, d) in old.items()}
    new_data = {i: d for i, (_, d) in new.items()}

    def unstable(ident) -> bool:
        status = statuses.get(ident)
        if status in ("added", "removed", "renamed"):
            return True
        if ident in old_data and ident in new_data:
            return old_data[ident].get("parent") != new_data[ident].get("parent")
        return False

    def anchor(ident, side_data):
        seen = set()
        while isinstance(ident, str) and ident in side_data and unstable(ident) and ident not in seen:
            seen.add(ident)
            ident = side_data[ident].get("previous_sibling")
        return ident

    kept = []
    for change in changes:
        moves = [d for d in change.details if d.change == "moved"]
        if change.status == "changed" and moves:
            move = moves[0]
            if move.before["parent"] == move.after["parent"] and anchor(
                move.before["previous_sibling"], old_data
            ) == anchor(move.after["previous_sibling"], new_data):
                change.details = [d for d in change.details if d is not move]
                if not change.details:
                    continue
        kept.append(change)
    return kept


def _without_version(doc):
    return {k: v for k, v in doc.items() if k != "format_version"} if isinstance(doc, dict) else doc


def _compare_file(
    path: str, left: ItemSet, right: ItemSet, kinds: list[Kind], is_root: bool, label: str | None
) -> list[ItemChange]:
    """A file outside the collection folders: the root file (skill settings), another mapping,
    or a list whose elements are items (counterexamples by text, webhooks by name).
    `label` is what the format calls the file, when it says."""
    before = left.data(path) if path in left.entries else None
    after = right.data(path) if path in right.entries else None
    if is_root:  # the tree's layout version is not part of the skill
        before, after = _without_version(before), _without_version(after)
        if before is not None and before == after:
            return []
    label = label or path.rsplit("/", 1)[-1].rsplit(".", 1)[0].replace("_", " ")
    if (
        is_root
        or isinstance(before, dict)
        or isinstance(after, dict)
        or isinstance(before, bytes)
        or isinstance(after, bytes)
    ):
        key = "settings" if is_root else path
        if key != "settings":
            kinds.append(Kind(key, _kind_label(label), label))
        status = "added" if before is None else "removed" if after is None else "changed"
        if isinstance(before, bytes) or isinstance(after, bytes):
            details = [Detail("(file)", status, _file_summary(before), _file_summary(after))]
        else:
            details = field_details(before or {}, after or {})
        return [ItemChange(key, label, status, path, label, path, details=details)]
    # a list file: each element is one item, named by its text or name
    key = path.rsplit(".", 1)[0]
    what = label[:-1] if label.endswith("s") else label
    kinds.append(Kind(key, _kind_label(label), what))
    old, new = _list_items(before or []), _list_items(after or [])
    changes = []
    for ident in sorted(old.keys() | new.keys()):
        if ident in old and ident in new:
            details = field_details(old[ident], new[ident])
            if details:
                changes.append(ItemChange(key, what, "changed", ident, ident, path, details=details))
        elif ident in new:
            changes.append(
                ItemChange(
                    key,
                    what,
                    "added",
                    ident,
                    ident,
                    path,
                    details=[] if isinstance(new[ident], str) else field_details({}, new[ident]),
                )
            )
        else:
            changes.append(
                ItemChange(
                    key,
                    what,
                    "removed",
                    ident,
                    ident,
                    path,
                    details=[] if isinstance(old[ident], str) else field_details(old[ident], {}),
                )
            )
    return changes


def _file_summary(content) -> str | None:
    """A member stored byte for byte, as a reviewer can tell two versions apart: its size and
    git blob id (`git show <id>` prints it)."""
    if content is None:
        return None
    if not isinstance(content, bytes):
        return "data"
    from .sources import blob_id

    return f"{len(content):,} bytes, blob {blob_id(content)[:10]}"


def _list_items(items) -> dict:
    out = {}
    for item in items if isinstance(items, list) else [items]:
        if isinstance(item, dict):
            ident = next((item[k] for k in ("name", "text", "value", "id") if isinstance(item.get(k), str)), None)
            out[ident if ident is not None else canonical_json(item)] = item
        else:
            out[item if isinstance(item, str) else canonical_json(item)] = item
    return out

"""Pull of a Watson JSON export without ever holding it parsed whole (issue 14).

Parsed whole, a skill takes about six times its export's size in Python objects (a dict
per example, a str per text...), and the decoded text up to four times more when one
character needs four bytes: a 100 MB skill would need gigabytes. This reader walks the
export's top level (and its envelope's `workspace`) itself, decoding the bytes a chunk
at a time, and parses the large arrays (intents, entities, dialog nodes, actions...) one
item at a time, turning each item into its file's canonical YAML at once. What stays is
the export's bytes, the rendered files, and a few facts per item: its id and name (the
file's name), the intent names an action's condition uses, and, in an actions skill,
the JSON of the items an action may take in.

A fast path that may only decline: whatever it is not sure of (invalid JSON or UTF-8, a
duplicate key, a number the export may not hold, too deep a nesting, two items of one
id, an unusual layout) raises Declined, and the caller reads the export whole as before,
which refuses it with its line and column, or reads it as it always did.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator

from ... import canonical
from ...errors import InputError
from ...secrets import is_secret_key
from .. import registry
from ..base import JsonFormat
from ..collection import Collection, without_audit
from . import actions, dialog
from .jsontext import Declined, Text, bounded_int, finite, not_a_number

# The arrays read item by item, at the workspace's level, with the collection that files each item.
STREAMED: dict[str, Collection] = {c.array: c for c in (*dialog.FOLDER_COLLECTIONS, *actions.FOLDER_COLLECTIONS)}


class _Item:
    """What is kept of an array's item: its id and name, its file's text, its data when
    it may hold a secret, its JSON when an action may take it in (actions skills). Read
    for diff (`held`), it keeps instead the item as parsed and its JSON text, whether it
    may hold a secret, and the intent an action takes in."""

    __slots__ = ("data", "ident", "name", "owned", "rendered", "risky", "source")

    def __init__(self, ident: str, name, rendered: bytes | None, data, source, risky: bool = False):
        self.ident = ident
        self.name = name
        self.rendered = rendered
        self.data = data
        self.source = source
        self.risky = risky
        self.owned: _Item | None = None


class _Walk:
    """One pass over the export: the top level and the workspace key by key, the
    streamed arrays item by item."""

    def __init__(self, raw: bytes, start: int, held: bool = False, like: Streamed | None = None):
        self.text = Text(raw, start)
        self.held = held  # keep each item as parsed, for diff, instead of rendering it
        # held: the items another export read, by array, that this one may share byte for byte
        self.like = like.order if like is not None and like.order is not None else {}
        self.decoder = json.JSONDecoder(
            object_pairs_hook=self._mapping,
            parse_float=finite,
            parse_int=bounded_int,
            parse_constant=not_a_number,
        )
        self.keys: set = set()  # the keys of the item being read
        self.known: set = set()  # every key seen in an item, and those that may hold a secret
        self.risky: set = set()
        self.items: dict[tuple[str, str], list[_Item]] = {}  # (level, array) -> its items, when not empty
        self.conditions: list[tuple[str, set]] = []  # (action id, the intent names its condition uses)
        self.intent_names: list[str] = []
        self.keep_intents = False  # an action came first: an intent's JSON is kept until ownership is known

    def _mapping(self, pairs: list) -> dict:
        result = dict(pairs)
        if len(result) != len(pairs):
            raise Declined  # a duplicate key
        self.keys.update(result)
        return result

    def mapping(self, level: str, depth: int) -> dict:
        """An object read key by key; the streamed arrays of `level` become [None] (items
        read) or [] (none), so that format detection sees what it tests: a list, empty or not."""
        text = self.text
        text.expect("{")
        read: dict = {}
        if text.peek() == "}":
            text.at += 1
            return read
        while True:
            if text.peek() != '"':
                raise Declined
            key = text.value(self.decoder, depth)
            if key in read:
                raise Declined
            text.expect(":")
            char = text.peek()
            if (
                char == "["
                and key in STREAMED
                and (level == "workspace" or not isinstance(read.get("workspace"), dict))
            ):
                read[key] = self.array(level, key, depth + 1)
            elif char == "{" and key == "workspace" and level == "top":
                read[key] = self.mapping("workspace", depth + 1)
            else:
                read[key] = text.value(self.decoder, depth)
            char = text.peek()
            text.at += 1
            if char == "}":
                return read
            if char != ",":
                raise Declined

    def array(self, level: str, key: str, depth: int) -> list:
        text = self.text
        text.expect("[")
        if text.peek() == "]":
            text.at += 1
            return []
        items = self.items[(level, key)] = []
        shared = _Shared(self.like[(level, key)]) if (level, key) in self.like else None
        while True:
            self.keys = set()
            found = shared.next_at(text) if shared is not None else None
            if found is not None:
                items.append(self.reuse(key, found))
            else:
                items.append(self.take(key, text.value(self.decoder, depth)))
                if shared is not None:
                    shared.after(items[-1].ident)
            char = text.peek()
            text.at += 1
            if char == "]":
                return [None]
            if char != ",":
                raise Declined

    def take(self, key: str, item) -> _Item:
        """An item as its file: rendered now; the data kept only when a key of it may hold
        a secret (secrets.extract reads those), the JSON only when an action may take it in."""
        collection = STREAMED[key]
        if type(item) is not dict or not isinstance(item.get(collection.id_field), str):
            raise Declined  # explode refuses it: the whole read says where
        ident = item[collection.id_field]
        source = None
        if key == "actions":
            if actions.INTENT_KEY in item:
                raise Declined
            names = actions.condition_intents(item.get("condition"))
            self.conditions.append((ident, names))
            self.keep_intents = True
            if len(names) == 1 and not self.held:
                source = self.source()
        elif key == "intents":
            self.intent_names.append(ident)
            if self.keep_intents and not self.held:
                source = self.source()
        if self.held:
            name = item.get(collection.name_field) if collection.name_field else None
            text = self.text.buf[self.text.start : self.text.at]
            return _Item(ident, name if isinstance(name, str) else None, None, item, text, self.risky_keys())
        data = collection.to_source(without_audit(item))
        name = data.get(collection.name_field) if collection.name_field else None
        rendered = canonical.dumps(data).encode("utf-8")
        return _Item(
            ident, name if isinstance(name, str) else None, rendered, data if self.risky_keys() else None, source
        )

    def reuse(self, key: str, other: _Item) -> _Item:
        """The item whose JSON text another export read at this place: the same item, not
        parsed again (its data is parsed when asked for: source_data)."""
        if key == "actions":
            self.conditions.append((other.ident, actions.condition_intents(other.data.get("condition"))))
            self.keep_intents = True
        elif key == "intents":
            self.intent_names.append(other.ident)
        return _Item(other.ident, other.name, None, None, other.source, other.risky)

    def source(self) -> bytes:
        return self.text.buf[self.text.start : self.text.at].encode("utf-8")

    def reparse(self, source: bytes | None) -> dict:
        """An item read again from its JSON (its keys join those of the item being read)."""
        return self.decoder.decode(source.decode("utf-8"))  # type: ignore[union-attr]

    def risky_keys(self) -> bool:
        """Does the item read last hold a key that may hold a secret (or `headers`)?"""
        new = self.keys - self.known
        if new:
            self.known |= new
            self.risky.update(key for key in new if key == "headers" or is_secret_key(key))
        return not self.risky.isdisjoint(self.keys)


class _Shared:
    """Another export's items of one array, in their order there: at each place, the next of
    them is looked for byte for byte (a JSON object's text ends where its value ends, so the
    same text there is the same item, read at the same depth and checked as the other export
    was); after an item read here, the one that follows it there."""

    def __init__(self, items: list[_Item]):
        self.items = items
        self.next = 0
        self.places: dict[str, int] | None = None

    def next_at(self, text: Text) -> _Item | None:
        if self.next >= len(self.items):
            return None
        candidate = self.items[self.next]
        text.peek()
        if candidate.data is None or not text.buf.startswith(candidate.source, text.at):
            return None  # also when the item goes on past the text decoded so far: it is read
        text.start, text.at = text.at, text.at + len(candidate.source)
        self.next += 1
        return candidate

    def after(self, ident: str) -> None:
        if self.places is None:
            self.places = {item.ident: place for place, item in enumerate(self.items)}
        place = self.places.get(ident)
        if place is not None:
            self.next = place + 1


class Streamed:
    """An export read by the streaming reader: its format, the files of its settings and
    list files (as data), and the items of each collection (rendered)."""

    def __init__(
        self, fmt: JsonFormat, settings: dict, items: list[tuple[Collection, list[_Item]]], order: dict | None = None
    ):
        self.format = fmt
        self.settings = settings
        self.items = items
        self.order = order  # held: (level, array) -> its items in the export's order

    def files(self) -> tuple[dict[str, bytes], dict]:
        """(every file's bytes, the data of those that may hold a secret). The files are
        named here, in the tree the pipeline has set (collection.EXISTING_FILES)."""
        rendered = {path: canonical.dumps(data).encode("utf-8") for path, data in self.settings.items()}
        risky = dict(self.settings)
        for path, _collection, item in self.named_items():
            assert item.rendered is not None  # read for pull, not held
            rendered[path] = item.rendered
            if item.data is not None:
                risky[path] = item.data
        return rendered, risky

    def named_items(self) -> Iterator[tuple[str, Collection, _Item]]:
        """(file, collection, item) of every item, each named by its collection's file names."""
        for collection, items in self.items:
            stubs = [{collection.id_field: item.ident, collection.name_field or "": item.name} for item in items]
            for path, item in zip(collection.file_names(stubs), items):
                yield path, collection, item


def source_data(collection: Collection, item: _Item) -> dict:
    """A held item's file data, as explode makes it (an action with the intent it takes in)."""
    data = _parsed(item) if item.owned is None else actions.with_intent(_parsed(item), _parsed(item.owned))
    return collection.to_source(without_audit(data))


def _parsed(item: _Item) -> dict:
    """A held item as parsed; one taken from another export is parsed now, from its text
    (checked as that export was read: plain json reads it the same)."""
    return item.data if item.data is not None else json.loads(item.source)


def read_export(raw: bytes, where: str, held: bool = False, like: Streamed | None = None) -> Streamed:
    """Read a JSON export's bytes as pull would, item by item; Declined when not sure.
    `held`: each item kept as parsed (Streamed.held), for diff, not rendered; `like`, another
    export read so, whose items this one may share byte for byte (they are not parsed again)."""
    walk = _Walk(raw, 3 if raw.startswith(codecs.BOM_UTF8) else 0, held, like)
    if walk.text.peek() != "{":
        raise Declined
    top = walk.mapping("top", 1)
    if walk.text.peek() != "":
        raise Declined  # extra data after the export
    enveloped = isinstance(top.get("workspace"), dict)
    level = "workspace" if enveloped else "top"
    if any(where_ != level for where_, _key in walk.items):
        raise Declined  # arrays of an envelope beside its workspace: settings, read whole
    fmt = _format(top)
    arrays = {key: items for (_level, key), items in walk.items.items()}
    if not arrays.keys() <= {c.array for c in fmt.collections}:
        raise Declined  # a dialog skill's non-empty `actions`... is a setting there
    empty: dict[str, list] = {key: [] for key in arrays}
    bare = {**top, "workspace": {**top["workspace"], **empty}} if enveloped else {**top, **empty}
    try:
        settings = fmt.explode(bare, where)  # the settings and list files; no item
    except InputError:
        raise Declined from None
    if fmt is actions.FORMAT:
        _inline(walk, arrays)
    collected = []
    for collection in fmt.collections:
        items = sorted(arrays.get(collection.array, []), key=lambda item: item.ident)
        if len({item.ident for item in items}) != len(items):
            raise Declined  # two of one id: sorted by their content then, which is no longer here
        collected.append((collection, items))
    return Streamed(fmt, settings, collected, walk.items if held else None)


def _format(top: dict) -> JsonFormat:
    """The format the registry finds for the export, when it is one this reader knows."""
    for fmt in registry.json_formats():
        if fmt is not dialog.FORMAT and fmt is not actions.FORMAT:
            raise Declined
        if fmt.detect(top):
            return fmt
    raise Declined


def _inline(walk: _Walk, arrays: dict) -> None:
    """Each action that owns an intent takes it in (actions._inline), read again from their
    JSON; read for diff, the action only notes which intent it takes in."""
    owned = actions.intent_owners(walk.conditions, walk.intent_names)
    if not owned:
        return
    intents = {item.ident: item for item in arrays.get("intents", [])}
    if not walk.held and any(intents[name].source is None for name in owned.values()):
        raise Declined  # the intents came before the actions: their JSON was not kept
    for item in arrays["actions"]:
        name = owned.get(item.ident)
        if name is None:
            continue
        if walk.held:
            item.owned = intents[name]
            continue
        walk.keys = set()
        action = actions.with_intent(walk.reparse(item.source), walk.reparse(intents[name].source))
        data = actions.ACTIONS.to_source(without_audit(action))
        item.rendered = canonical.dumps(data).encode("utf-8")
        item.data = data if walk.risky_keys() else None
    taken = set(owned.values())
    arrays["intents"] = [item for item in arrays.get("intents", []) if item.ident not in taken]

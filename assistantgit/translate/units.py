"""What a translator must see in a source tree: every user-facing string, where it is, and
a short note on what it is.

Each string has a stable key, `kind:item:path` (`intent:order_status:examples{where is my
order}`, `dialog_node:node_3:output.generic[0].values[1].text`): the kind and id of its
item, then its path inside the item, where members of a set (examples, synonyms) and
steps are named by their content or id instead of their position, so adding an example
changes no other key. Conditions, context, ids, entity values and patterns are never
strings to translate; an entity value is offered as a unit whose translation becomes one
more synonym (the value stays the key that `@entity:value` conditions name).
"""

from __future__ import annotations

import hashlib
import json
from contextlib import suppress

from .location import CONCAT, EXAMPLE, MEMBER, TEXT, VALUE, Location, translatable  # noqa: F401 (re-exported)
from .outputs import Collector, agent_messages, output_texts, settings_texts

# folder -> (kind in keys, the field that names an item, how people write one)
ITEM_FOLDERS = {
    "intents": ("intent", "intent", "intent #{}"),
    "entities": ("entity", "entity", "entity @{}"),
    "dialog_nodes": ("dialog_node", "dialog_node", "dialog node {}"),
    "actions": ("action", "action", "action {}"),
    "variables": ("variable", "variable", "variable {}"),
    "collections": ("collection", "collection", "collection {}"),
    "data_types": ("data_type", "data_type", "data type {}"),
}
ROOT_ITEMS = {
    "skill.yaml": "skill",
    "counterexamples.yaml": "counterexamples",
    "webhooks.yaml": "webhooks",
    "assistant.yaml": "assistant",
}
# Dialog node types whose title "Did you mean" lists may show (slots, handlers and folders: never).
TITLED_NODES = {None, "standard", "frame"}


def item_of(local: str, data, prefix: str = "") -> str | None:
    """The item a tree file holds, as `kind:id` (`intent:greeting`, `skill:`), or None.

    `local` is the file's path inside its skill; `prefix` names the part of a
    published-version ZIP tree (`dialog/`), and starts the item's name.
    """
    if local in ROOT_ITEMS:
        return f"{prefix}{ROOT_ITEMS[local]}:"
    folder = local.split("/", 1)[0]
    if folder in ITEM_FOLDERS and "/" in local and isinstance(data, dict):
        kind, field, _ = ITEM_FOLDERS[folder]
        ident = data.get(field)
        return f"{prefix}{kind}:{ident}" if isinstance(ident, str) else None
    return None


def skill_parts(files: dict) -> list[str]:
    """The prefixes of the skills a tree holds: [""] for a skill tree, ["actions/", "dialog/"] for a ZIP tree."""
    root = files.get("assistant.yaml")
    if isinstance(root, dict) and root.get("format") == "watson-assistant-zip":
        return sorted(
            {rel.split("/", 1)[0] + "/" for rel in files if rel.endswith("/skill.yaml") and rel.count("/") == 1}
        )
    return [""]


def items(files: dict) -> dict:
    """item -> the file that holds it (an action's own intent: the action's file)."""
    found: dict = {}
    for prefix in skill_parts(files):
        for rel in sorted(files):
            if rel.startswith(prefix):
                item = item_of(rel[len(prefix) :], files[rel], prefix)
                if item is not None:
                    found.setdefault(item, rel)
                inline = files[rel].get("intent") if item and item.startswith(f"{prefix}action:") else None
                if isinstance(inline, dict) and isinstance(inline.get("intent"), str):
                    found.setdefault(f"{prefix}intent:{inline['intent']}", rel)
    return found


def locations(files: dict, part: str | None = None) -> list[Location]:
    """Every translatable string of a tree's files (relative path -> data), in file order.

    `part` ("dialog/"): the files are one skill of a published-version ZIP tree, named
    from that skill's folder; their keys start with the part, as in the whole tree's.
    """
    found: list[Location] = []
    if part is not None:
        for rel in sorted(files):
            _file_locations(rel, rel, files[rel], part, found)
        return found
    for prefix in skill_parts(files):
        for rel in sorted(files):
            if rel.startswith(prefix):
                _file_locations(rel, rel[len(prefix) :], files[rel], prefix, found)
    return found


def _file_locations(rel: str, local: str, data, prefix: str, found: list) -> None:
    item = item_of(local, data, prefix)
    if item is None:
        return
    collector = Collector(rel, item)
    if local == "skill.yaml":
        settings_texts(collector, data)
    elif local == "counterexamples.yaml" and isinstance(data, list):
        collector.what = "counterexample"
        _members(collector, data, (), "", "something users say that the assistant must not act on")
    elif local.startswith("intents/"):
        _intent(collector, data, ())
    elif local.startswith("entities/"):
        _entity(collector, data)
    elif local.startswith("dialog_nodes/"):
        _dialog_node(collector, data)
    elif local.startswith("actions/"):
        _action(collector, data, found, prefix)
    found.extend(collector.found)


def _members(collector: Collector, members, path: tuple, key: str, note: str) -> None:
    """Members of a set-like list (examples, counterexamples): plain texts or {text, mentions...}."""
    if not isinstance(members, list):
        return
    for index, member in enumerate(members):
        if isinstance(member, str):
            collector.add(path + (index,), f"{key}{{{member}}}", member, note, MEMBER, key)
        elif isinstance(member, dict) and isinstance(member.get("text"), str):
            collector.add(path + (index,), f"{key}{{{member['text']}}}", member["text"], note, EXAMPLE, key)


def _intent(collector: Collector, data, path: tuple) -> None:
    if isinstance(data, dict):
        if collector.what == "intent":
            collector.what = f"intent #{data.get('intent')}"
        _members(
            collector,
            data.get("examples"),
            path + ("examples",),
            "examples",
            "something a user says (a training example)",
        )


def _entity(collector: Collector, data) -> None:
    values = data.get("values") if isinstance(data, dict) else None
    if not isinstance(values, list):
        return
    name = data.get("entity")
    collector.what = f"entity @{name}"
    for index, value in enumerate(values):
        if not isinstance(value, dict) or not isinstance(value.get("value"), str) or value.get("type") == "patterns":
            continue
        text = value["value"]
        key = f"values{{{text}}}"
        collector.add(
            ("values", index),
            f"{key}.value",
            text,
            f"the value '{text}' stays as it is (conditions name @{name}:{text}); "
            "its translation is added as a synonym",
            VALUE,
            f"{key}.synonyms",
        )
        synonyms = value.get("synonyms")
        if isinstance(synonyms, list):
            for position, synonym in enumerate(synonyms):
                collector.add(
                    ("values", index, "synonyms", position),
                    f"{key}.synonyms{{{synonym}}}",
                    synonym,
                    f"value '{text}': a synonym (another way users say it)",
                    MEMBER,
                    f"{key}.synonyms",
                )


def _dialog_node(collector: Collector, data) -> None:
    if not isinstance(data, dict):
        return
    title = data.get("title")
    collector.what = (
        f"dialog node '{title}' ({data.get('dialog_node')})" if title else f"dialog node {data.get('dialog_node')}"
    )
    if data.get("type") in TITLED_NODES and "user_label" not in data:
        collector.add(("title",), "title", title, "node name, shown in 'Did you mean' lists")
    collector.add(("user_label",), "user_label", data.get("user_label"), "label shown in 'Did you mean' lists")
    output_texts(collector, data.get("output"), ("output",), "output")


def _action(collector: Collector, data, found: list, prefix: str) -> None:
    if not isinstance(data, dict):
        return
    title = data.get("title")
    collector.what = f"action '{title}'" if title else f"action {data.get('action')}"
    collector.add(("title",), "title", title, "action name, shown in 'Did you mean' lists")
    intent = data.get("intent")
    if isinstance(intent, dict) and isinstance(intent.get("intent"), str):  # keyed as the intent, wherever it lives
        inline = Collector(
            collector.rel, f"{prefix}intent:{intent['intent']}", f"intent #{intent['intent']} of {collector.what}"
        )
        _intent(inline, intent, ("intent",))
        found.extend(inline.found)
    steps = data.get("steps")
    for index, step in enumerate(steps if isinstance(steps, list) else ()):
        if not isinstance(step, dict):
            continue
        key = f"steps{{{step.get('step', index)}}}"
        where = f"step {index + 1}: "
        output_texts(collector, step.get("output"), ("steps", index, "output"), f"{key}.output", where)
        handlers = step.get("handlers")
        for position, handler in enumerate(handlers if isinstance(handlers, list) else ()):
            if isinstance(handler, dict):
                output_texts(
                    collector,
                    handler.get("output"),
                    ("steps", index, "handlers", position, "output"),
                    f"{key}.handlers{{{handler.get('handler', position)}}}.output",
                    where + "when the answer is not understood: ",
                )
        resolver = step.get("resolver")
        if isinstance(resolver, dict):
            agent_messages(
                collector,
                resolver.get("response"),
                ("steps", index, "resolver", "response"),
                f"{key}.resolver.response",
                where,
            )


def unit_id(text: str) -> str:
    """A unit's id: the same for every occurrence of a string, and a valid XML NMTOKEN."""
    return "u" + hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def skeleton_hashes(files: dict, found: list[Location]) -> dict:
    """item -> a hash of everything about the item that is not text (its structure).

    Two languages of a skill in step have equal hashes for every item; `language` and
    every translatable string are left out, and so are the members of sets of texts
    (examples, synonyms): two examples may well have one translation.
    """
    by_rel: dict = {}
    for location in found:
        by_rel.setdefault(location.rel, []).append(location)
    hashes = {}
    for item, rel in items(files).items():
        data = json.loads(json.dumps(files[rel], ensure_ascii=False))
        _blank(data, by_rel.get(rel, ()))
        if item.endswith("skill:") and isinstance(data, dict):
            for part in ("workspace", "envelope"):
                if isinstance(data.get(part), dict):
                    data[part].pop("language", None)
        text = json.dumps(data, sort_keys=True, ensure_ascii=False)
        hashes[item] = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
    return hashes


def _holder(data, steps):
    for step in steps:
        data = data[step]
    return data


def _blank(data, found) -> None:
    """Take every string out of an item's data; sets of texts are emptied."""
    sets = set()
    for location in found:
        *head, last = location.path
        if location.how in (MEMBER, EXAMPLE):
            sets.add(tuple(head))
        elif location.how == VALUE:  # its translation joins the synonyms
            _holder(data, location.path).pop("synonyms", None)
        else:
            _holder(data, head)[last] = None
    for head in sorted(sets, key=len, reverse=True):
        with suppress(KeyError, IndexError, TypeError):  # synonyms of a value: already taken out
            _holder(data, head)[:] = []

"""Parts shared by Watson Assistant dialog and actions skills: intents, entities,
counterexamples, webhooks, and the skill-level settings file."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ...errors import InputError, LimitError
from ...exportjson import MAX_UPLOAD_BYTES
from ...tree import Managed
from ..base import FORMAT_VERSION, Format
from ..collection import (
    VOLATILE_FIELDS,
    Collection,
    ListFile,
    natural_key,
    sort_expanded,
    sort_items,
    sorted_keyed,
    without_audit,
)
from ..fields import BOOL, LIST, MAP, TEXT, ListOf

MAX_NAME = 100
MAX_DESCRIPTION = 200
DEFAULT_LANGUAGE = "en"
SETTINGS_FILE = "skill.yaml"
COUNTEREXAMPLES_FILE = "counterexamples.yaml"
WEBHOOKS_FILE = "webhooks.yaml"


def _compact_text_item(item):
    """{'text': 'hi'} reads best as just 'hi'; anything richer stays a mapping."""
    item = without_audit(item)
    if isinstance(item, dict) and len(item) == 1 and isinstance(item.get("text"), str):
        return item["text"]
    return item


def text_items_to_source(items: list) -> list:
    return sort_items([_compact_text_item(item) for item in items], "text")


def text_items_from_source(items: list) -> list:
    return sort_expanded(items, "text")  # each text t as {"text": t}, in sort_items' order


def example_to_source(example):
    if type(example) is dict and len(example) == 1 and type(example.get("text")) is str:
        return example["text"]  # most examples: {'text': ...} reads best as the text alone
    example = without_audit(example)
    if isinstance(example, dict) and isinstance(example.get("mentions"), list):
        example = dict(example, mentions=sort_items(example["mentions"], "entity"))
    return _compact_text_item(example)


def intent_to_source(intent: dict) -> dict:
    if isinstance(intent.get("examples"), list):
        intent = dict(intent, examples=examples_to_source(intent["examples"]))
    return intent


def examples_to_source(examples: list) -> list:
    """sort_items of each example's source form, made and keyed in one pass: most examples,
    {'text': t}, are t, their own key, without a call (a pull converts 110,000 examples
    of the realistic skill)."""
    return sorted_keyed(
        [
            (text, text)
            if type(example) is dict and len(example) == 1 and type(text := example.get("text")) is str
            else _keyed_example(example)
            for example in examples
        ]
    )


def _keyed_example(example) -> tuple:
    source = example_to_source(example)
    return (source if type(source) is str else natural_key(source, "text")), source


def intent_from_source(intent: dict) -> dict:
    if isinstance(intent.get("examples"), list):
        intent = dict(intent, examples=text_items_from_source(intent["examples"]))
    return intent


def intent_json_growth(text: str, texts: dict) -> int:
    """intent_from_source writes each text example as {"text": ...}: 9 bytes more each."""
    return len('{"text":}') * texts.get("examples", 0)


def entity_json_growth(text: str, texts: dict) -> int | None:
    """entity_to_source only sorts a value's synonyms and patterns and the values, unless a
    value holds the audit fields it drops: then unknown."""
    return None if "created" in text or "updated" in text else 0


def entity_to_source(entity: dict) -> dict:
    if isinstance(entity.get("values"), list):
        values = []
        for value in entity["values"]:
            value = without_audit(value)
            if isinstance(value, dict):
                for array in ("synonyms", "patterns"):
                    if isinstance(value.get(array), list):
                        value = dict(value, **{array: sorted(value[array], key=str)})
            values.append(value)
        entity = dict(entity, values=sort_items(values, "value"))
    return entity


INTENTS = Collection(
    "intents",
    "intents",
    "intent",
    to_source=intent_to_source,
    from_source=intent_from_source,
    json_growth=intent_json_growth,
    what="intent",
    name_prefix="#",
    rename_body="examples",
    set_like={("examples",): "text", ("examples", "*", "mentions"): "entity"},
)
ENTITIES = Collection(
    "entities",
    "entities",
    "entity",
    to_source=entity_to_source,
    from_source=entity_to_source,
    json_growth=entity_json_growth,
    what="entity",
    name_prefix="@",
    rename_body="values",
    set_like={("values",): "value", ("values", "*", "synonyms"): None, ("values", "*", "patterns"): None},
)


def _by_name(items: list) -> list:
    return sort_items(items, "name")


COUNTEREXAMPLES = ListFile(
    "counterexamples",
    COUNTEREXAMPLES_FILE,
    to_source=text_items_to_source,
    from_source=text_items_from_source,
    label="counterexamples",
)
WEBHOOKS = ListFile("webhooks", WEBHOOKS_FILE, to_source=_by_name, from_source=_by_name, label="webhooks")


def holds_actions(workspace: dict) -> bool:
    """True when a workspace is an actions skill, whatever its envelope's `type` says.

    Actions downloads of 2022 (IBM's own toolkit examples among them) wrap their actions
    in an envelope of `type: dialog` (issue 10): the content decides, the word does not.
    """
    actions = workspace.get("actions")
    return isinstance(actions, list) and (bool(actions) or not workspace.get("dialog_nodes"))


def settings_from_export(export: dict, handled: set) -> tuple[dict, dict | None]:
    """Split an export into (workspace settings, envelope settings or None), volatile fields dropped.

    `handled` names the workspace keys that other files hold (intents, ...).
    """
    envelope = None
    workspace = export
    if isinstance(export.get("workspace"), dict):
        workspace = export["workspace"]
        envelope = {k: v for k, v in export.items() if k != "workspace" and k not in VOLATILE_FIELDS}
    settings = {k: v for k, v in workspace.items() if k not in handled and k not in VOLATILE_FIELDS}
    top = envelope if envelope is not None else settings
    top.setdefault("language", DEFAULT_LANGUAGE)
    return settings, envelope


def settings_file(format_name: str, settings: dict, envelope: dict | None, omitted: list[str]) -> dict:
    doc = {"format": format_name, "format_version": FORMAT_VERSION, "workspace": settings}
    if envelope is not None:
        doc["envelope"] = envelope
    if omitted:
        doc["omitted"] = sorted(omitted)
    return doc


def read_settings_file(files: dict, format_name: str, where: str) -> tuple[dict, dict | None, set]:
    doc = files.get(SETTINGS_FILE)
    if not isinstance(doc, dict):
        raise InputError(f"{where}: {SETTINGS_FILE} is missing or is not a mapping")
    workspace = doc.get("workspace", {})
    envelope = doc.get("envelope")
    if not isinstance(workspace, dict):
        raise InputError(f"{where}/{SETTINGS_FILE}: 'workspace' must be a mapping")
    if envelope is not None and not isinstance(envelope, dict):
        raise InputError(f"{where}/{SETTINGS_FILE}: 'envelope' must be a mapping")
    omitted = doc.get("omitted") or []
    if not isinstance(omitted, list):
        raise InputError(f"{where}/{SETTINGS_FILE}: 'omitted' must be a list")
    return dict(workspace), (dict(envelope) if envelope is not None else None), set(omitted)


LIMITS = {"name": ("skill name", MAX_NAME), "description": ("skill description", MAX_DESCRIPTION)}

# The top-level keys of a workspace (v1, or an actions skill's `workspace`) and of a skill's
# envelope that Watson Assistant documents. Others are kept as they are (lossless); validate
# warns when one looks like a misspelling of these (AG107: `dialogNodes` for `dialog_nodes`).
WORKSPACE_KEYS = frozenset(
    {
        "name",
        "description",
        "language",
        "intents",
        "entities",
        "dialog_nodes",
        "counterexamples",
        "metadata",
        "learning_opt_out",
        "system_settings",
        "webhooks",
        "actions",
        "variables",
        "collections",
        "data_types",
        "workspace_id",
        "status",
        "status_errors",
        "status_description",
        "created",
        "updated",
        "modified",
        "created_by",
        "modified_by",
        "skill_id",
        "learningOptOut",  # an older spelling that genuine exports still hold
    }
)
ENVELOPE_KEYS = frozenset(
    {
        "name",
        "type",
        "valid",
        "status",
        "created",
        "updated",
        "language",
        "skill_id",
        "description",
        "assistant_id",
        "workspace_id",
        "environment_id",
        "next_snapshot_version",
        "dialog_settings",
        "workspace",
        "counts",
        "snapshot",
        "assistant_references",
    }
)


def limit_problem(doc: dict, field: str) -> str | None:
    """What breaks the vendor's length limit on the skill's name or description, or None.

    push refuses with it (check_limits) and validate reports it (AG207, AG208).
    """
    what, limit = LIMITS[field]
    text = doc.get(field)
    if isinstance(text, str) and len(text) > limit:
        return f"the {what} is {len(text)} characters; the limit is {limit}"
    return None


def check_limits(doc: dict, section: str) -> None:
    """The vendor's limits on the skill's name and description. The error names skill.yaml
    and carries the key's path in it (`key_path`), so the caller can name the line."""
    for field in LIMITS:
        problem = limit_problem(doc, field)
        if problem:
            error = LimitError.at(SETTINGS_FILE, problem)
            error.key_path = (section, field)
            raise error


def wrap(workspace: dict, envelope: dict | None, where: str) -> dict:
    """Put the workspace back in its envelope (when it had one) and apply the top-level defaults."""
    top = envelope if envelope is not None else workspace
    if not top.get("language"):
        top["language"] = DEFAULT_LANGUAGE
    check_limits(top, "envelope" if envelope is not None else "workspace")
    if envelope is not None:
        check_limits(workspace, "workspace")
        return {**envelope, "workspace": workspace}
    return workspace


# The fields of skill files that the code reads (format, diff, validate, remote), with their
# types: every command checks them before use (formats/fields.py, issue 11).
_WORKSPACE = {"name": TEXT, "description": TEXT, "language": TEXT, "dialog_settings": MAP, "system_settings": MAP}
_NEXT_STEP = {"behavior": TEXT, "dialog_node": TEXT, "selector": TEXT}
_INLINE_INTENT = {"intent": TEXT, "description": TEXT, "examples": LIST}
_STEP = {
    "step": TEXT,
    "title": TEXT,
    "next_step": TEXT,
    "variable": TEXT,
    "condition": MAP,
    "context": MAP,
    "output": MAP,
    "question": MAP,
    "resolver": MAP,
    "handlers": LIST,
}
FIELD_SHAPES: dict[str, Any] = {
    "skill": {"format": TEXT, "workspace": _WORKSPACE, "envelope": _WORKSPACE, "omitted": ListOf(TEXT)},
    "intents": {"intent": TEXT, "description": TEXT, "examples": LIST},
    "entities": {"entity": TEXT, "description": TEXT, "values": LIST, "fuzzy_match": BOOL, "metadata": MAP},
    "dialog_nodes": {
        "dialog_node": TEXT,
        "title": TEXT,
        "type": TEXT,
        "parent": TEXT,
        "previous_sibling": TEXT,
        "conditions": TEXT,
        "description": TEXT,
        "output": MAP,
        "context": MAP,
        "next_step": _NEXT_STEP,
        "metadata": MAP,
        "actions": LIST,
        "event_name": TEXT,
        "variable": TEXT,
        "digress_in": TEXT,
        "digress_out": TEXT,
        "digress_out_slots": TEXT,
        "user_label": TEXT,
        "disambiguation_opt_out": BOOL,
    },
    "actions": {
        "action": TEXT,
        "title": TEXT,
        "type": TEXT,
        "next_action": TEXT,
        "steps": ListOf(_STEP),
        "condition": MAP,
        "variables": LIST,
        "handlers": LIST,
        "topic_switch": MAP,
        "intent": _INLINE_INTENT,
    },
    "variables": {"variable": TEXT, "title": TEXT},
    "collections": {"collection": TEXT, "title": TEXT},
    "data_types": {"data_type": TEXT, "title": TEXT},
    "counterexamples": LIST,
    "webhooks": LIST,
}


class SkillFormat(Format):
    """What dialog and actions skills share: skill.yaml, the list files beside it, every
    validate rule, and the upload page's 10 MB limit."""

    root_file = SETTINGS_FILE
    rules: ClassVar[tuple[str, ...]] = ("AG",)
    upload_limit: ClassVar[int | None] = MAX_UPLOAD_BYTES
    field_shapes: ClassVar[Mapping[str, Any]] = FIELD_SHAPES

    def managed(self) -> list[Managed]:
        """skill.yaml, the list files, one folder per collection."""
        return [
            Managed(SETTINGS_FILE, is_folder=False),
            *(Managed(list_file.file, is_folder=False) for list_file in self.list_files),
            *(Managed(collection.folder) for collection in self.collections),
        ]

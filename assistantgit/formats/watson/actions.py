"""watsonx Assistant actions skill: the JSON of Actions → Global settings → Download,
an envelope (`type: action`) around `workspace` with actions, intents, variables...

Tree layout (see docs/actions.md):
    skill.yaml                 format, skill-level settings, envelope fields
    counterexamples.yaml       irrelevant inputs (present when the export has the key)
    actions/<title>.yaml       one action: its steps in order and, under `intent`, the
                               intent (with its training examples) that its condition uses
    intents/<name>.yaml        intents no single action owns
    entities/<name>.yaml       one entity (per-step entities included)
    variables/<name>.yaml      one session variable
    collections/<title>.yaml   one collection of actions
    data_types/<title>.yaml    one data type

An action "owns" an intent when its condition names exactly one intent and no other
action's condition names it: then a reviewer reads what the user says and what the
assistant does in one file, and adding an action adds exactly one file.
"""

from __future__ import annotations

from typing import ClassVar

from ...errors import InputError
from ..collection import Collection, ListFile, sort_items, without_audit
from .common import (
    COUNTEREXAMPLES,
    ENTITIES,
    INTENTS,
    SETTINGS_FILE,
    SkillFormat,
    holds_actions,
    intent_from_source,
    intent_to_source,
    read_settings_file,
    settings_file,
    settings_from_export,
    wrap,
)

NAME = "watson-actions"
# The key of an action file that holds the action's own intent. The vendor's action
# object has no such field; an export whose action has one is refused (see _inline).
INTENT_KEY = "intent"


def action_to_source(action: dict) -> dict:
    # An action's variables are the values its steps declare: a set, kept sorted.
    # Steps, handlers and responses keep their order (it is the flow).
    if isinstance(action.get("variables"), list):
        action = dict(action, variables=sort_items([without_audit(v) for v in action["variables"]], "variable"))
    return action


ACTIONS = Collection(
    "actions",
    "actions",
    "action",
    name_field="title",
    to_source=action_to_source,
    what="action",
    set_like={("intent", "examples"): "text", ("variables",): "variable"},
)
VARIABLES = Collection("variables", "variables", "variable", what="session variable")
COLLECTIONS = Collection("collections", "collections", "collection", name_field="title", what="collection")
DATA_TYPES = Collection("data_types", "data_types", "data_type", name_field="title", what="data type")
# In assembly order: intents after actions, so inlined intents can join them.
FOLDER_COLLECTIONS = (ACTIONS, INTENTS, ENTITIES, VARIABLES, COLLECTIONS, DATA_TYPES)
HANDLED = {c.array for c in FOLDER_COLLECTIONS} | {"counterexamples"}


def condition_intents(condition) -> set:
    """The intent names a condition refers to (`{intent: X}`, also inside `and`/`or`/`not`)."""
    found: set = set()
    stack = [condition]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("intent"), str):
                found.add(node["intent"])
            stack.extend(v for k, v in node.items() if k != "intent")
        elif isinstance(node, list):
            stack.extend(node)
    return found


def owned_intents(actions: list, intents: list) -> dict:
    """{action id: intent name} for each action that owns exactly one intent."""
    names = [i["intent"] for i in intents if isinstance(i, dict) and isinstance(i.get("intent"), str)]
    conditions = [
        (action["action"], condition_intents(action.get("condition")))
        for action in actions
        if isinstance(action, dict) and isinstance(action.get("action"), str)
    ]
    return intent_owners(conditions, names)


def intent_owners(conditions: list[tuple[str, set]], intent_names: list[str]) -> dict:
    """owned_intents from the few facts it needs (the streaming pull keeps no more): each
    action's id with the intent names its condition uses, and every intent's name."""
    known: dict = {}
    for name in intent_names:
        known[name] = known.get(name, 0) + 1
    refs: dict = {}
    users: dict = {}
    for action_id, names in conditions:
        refs[action_id] = names
        for name in names:
            users[name] = users.get(name, 0) + 1
    owned = {}
    for action_id, names in refs.items():
        if len(names) == 1:
            (name,) = names
            if known.get(name) == 1 and users[name] == 1:
                owned[action_id] = name
    return owned


def _inline(actions: list, intents: list, where: str) -> tuple[list, list]:
    """Put each owned intent into its action: returns (actions, intents left over)."""
    for action in actions:
        if isinstance(action, dict) and INTENT_KEY in action:
            raise InputError(
                f"{where}: action '{action.get('action')}' has a field '{INTENT_KEY}', which this version "
                "of assistantgit uses for the action's training examples; please report this export"
            )
    owned = owned_intents(actions, intents)
    if not owned:
        return actions, intents
    by_name = {i["intent"]: i for i in intents if isinstance(i, dict) and isinstance(i.get("intent"), str)}
    inlined = set(owned.values())
    result = []
    for action in actions:
        ident = action.get("action") if isinstance(action, dict) else None
        name = owned.get(ident) if isinstance(ident, str) else None  # an id of another type owns nothing
        if name is not None:
            action = with_intent(action, by_name[name])
        result.append(action)
    rest = [
        i for i in intents if not (isinstance(i, dict) and isinstance(i.get("intent"), str) and i["intent"] in inlined)
    ]
    return result, rest


def with_intent(action: dict, intent: dict) -> dict:
    """The action with the intent it owns inlined, as its file holds it."""
    return dict(action, **{INTENT_KEY: intent_to_source(without_audit(intent))})


def _split_inlined(actions: list, files: dict) -> tuple[list, list]:
    """Take the inlined intents out of the assembled actions: returns (actions, intents)."""
    paths = {}
    for path in files:
        if path.startswith(ACTIONS.folder + "/") and isinstance(files[path], dict):
            paths[files[path].get("action")] = path
    result, intents = [], []
    for action in actions:
        if INTENT_KEY in action:
            intent = action[INTENT_KEY]
            path = paths.get(action["action"], "actions")
            if not isinstance(intent, dict) or not isinstance(intent.get("intent"), str) or not intent["intent"]:
                raise InputError.at(path, f"'{INTENT_KEY}' must be a mapping with the intent's name under 'intent'")
            intents.append((intent_from_source(intent), path))
            action = {k: v for k, v in action.items() if k != INTENT_KEY}
        result.append(action)
    return result, intents


class ActionsFormat(SkillFormat):
    name = NAME
    description = "watsonx Assistant actions skill (JSON download of the Actions page)"
    collections: ClassVar[tuple[Collection, ...]] = FOLDER_COLLECTIONS
    list_files: ClassVar[tuple[ListFile, ...]] = (COUNTEREXAMPLES,)

    def detect(self, data) -> bool:
        if not isinstance(data, dict):
            return False
        if isinstance(data.get("workspace"), dict):  # the content decides, not the envelope's word
            return holds_actions(data["workspace"]) or data.get("type") == "action"
        return data.get("type") in (None, "action") and isinstance(data.get("actions"), list)

    def explode(self, export: dict, where: str = "export") -> dict:
        workspace = export["workspace"] if isinstance(export.get("workspace"), dict) else export
        arrays = {}
        omitted = []
        for collection in FOLDER_COLLECTIONS:
            if collection.array in workspace:
                arrays[collection.array] = workspace[collection.array]
                if not isinstance(arrays[collection.array], list):
                    raise InputError(f"{where}: '{collection.array}' must be a list")
            else:
                omitted.append(collection.array)
        arrays["actions"], arrays["intents"] = _inline(arrays.get("actions", []), arrays.get("intents", []), where)
        files: dict = {}
        for collection in FOLDER_COLLECTIONS:
            if collection.array not in omitted:
                files.update(collection.explode(arrays[collection.array], where))
        for list_file in self.list_files:
            list_file.explode(workspace, files, where)
        settings, envelope = settings_from_export(export, HANDLED)
        files[SETTINGS_FILE] = settings_file(NAME, settings, envelope, omitted)
        return files

    def assemble(self, files: dict, where: str = "tree") -> dict:
        settings, envelope, omitted = read_settings_file(files, NAME, where)
        workspace = {k: settings.pop(k) for k in ("name", "description", "language") if k in settings}
        actions, inlined = _split_inlined(ACTIONS.assemble(files), files)
        if actions or "actions" not in omitted:
            workspace["actions"] = actions
        intents = INTENTS.assemble(files)
        seen = {
            data.get("intent"): path
            for path, data in files.items()
            if path.startswith(INTENTS.folder + "/") and isinstance(data, dict)
        }
        for intent, path in inlined:
            if intent["intent"] in seen:
                raise InputError.at(path, f"intent '{intent['intent']}' is also defined in {seen[intent['intent']]}")
            seen[intent["intent"]] = path
            intents.append(intent)
        if intents or "intents" not in omitted:
            workspace["intents"] = sort_items(intents, "intent")
        for collection in FOLDER_COLLECTIONS[2:]:
            if collection.array not in omitted:
                workspace[collection.array] = collection.assemble(files)
        for list_file in self.list_files:
            list_file.assemble(files, workspace)
        workspace.update(settings)
        return wrap(workspace, envelope, where)


FORMAT = ActionsFormat()

"""Full replace, and proof of it: what an upload must carry so that the service ends up
holding exactly the skill the tree defines, and the check that it does.

A v1 workspace update leaves any field it does not receive as it was, so an update
without `counterexamples` keeps the old ones. `complete` gives every field a skill of
the format can hold, with its empty value where the tree has none, and the upload
carries them all. `differences` then compares the WHOLE skill read back with the
completed one: a field the service kept, dropped or changed is reported, whether or
not it was sent. The only tolerance is for what the service adds to items it stores:
a key the tree does not have whose value is empty (`mentions: []`) or a known default
(a node's `type: standard`, the `api_version` the service stamps in `metadata`).
"""

from __future__ import annotations

import copy

from ..formats.base import PartedFormat
from ..formats.collection import VOLATILE_FIELDS

# The empty value of the settings every Watson skill's workspace holds; its collections
# and list files come from the format (an empty list each).
EMPTY_SETTINGS = {"metadata": {}, "system_settings": {}, "learning_opt_out": False}
EMPTY_TOP = {"description": ""}  # on the envelope when there is one, else on the workspace
SERVICE_DEFAULTS = {("type", "standard")}
SERVICE_OWNED = {"api_version"}
ID_KEYS = (
    "dialog_node",
    "intent",
    "entity",
    "value",
    "action",
    "step",
    "variable",
    "collection",
    "data_type",
    "name",
    "text",
)


def empty_workspace(fmt) -> dict:
    """Every field a workspace of this format can hold, each with its empty value."""
    arrays: dict[str, list] = {collection.array: [] for collection in fmt.collections}
    arrays.update({list_file.array: [] for list_file in fmt.list_files})
    return {**EMPTY_SETTINGS, **arrays}


def complete(skill, fmt):
    """The skill with every field of its format present (empty where the tree has none)."""
    if isinstance(fmt, PartedFormat):  # a published-version ZIP tree: each skill by its own format
        return _each_member(skill, lambda member: complete(member.data, member.kind.format))
    skill = copy.deepcopy(skill)
    workspace = skill["workspace"] if isinstance(skill.get("workspace"), dict) else skill
    for key, value in EMPTY_TOP.items():
        if skill.get(key) is None:
            skill[key] = copy.deepcopy(value)
    for key, value in empty_workspace(fmt).items():
        if workspace.get(key) is None:
            workspace[key] = copy.deepcopy(value)
    return skill


def comparable(held, expected, fmt):
    """`held` (what the service returned) completed and without what the service alone
    adds, so that it equals `expected` (completed) exactly when the service holds it."""
    if isinstance(fmt, PartedFormat):
        sent = {member.kind.folder: member.data for member in expected.members}
        return _each_member(
            held,
            lambda member: (
                comparable(member.data, sent[member.kind.folder], member.kind.format)
                if member.kind.folder in sent
                else member.data
            ),
        )
    return _shaped_like(complete(_without_volatile(held), fmt), expected)


def _each_member(assistant, change):
    from ..formats.watson.zip import Assistant, Member

    return Assistant([Member(m.name, m.kind, change(m)) for m in assistant.members])


def _without_volatile(skill):
    if not isinstance(skill, dict):
        return skill
    skill = {k: v for k, v in skill.items() if k not in VOLATILE_FIELDS}
    if isinstance(skill.get("workspace"), dict):
        skill["workspace"] = {k: v for k, v in skill["workspace"].items() if k not in VOLATILE_FIELDS}
    return skill


def _service_added(key, value) -> bool:
    return value in (None, False, "", [], {}) or (key, value) in SERVICE_DEFAULTS or key in SERVICE_OWNED


def _shaped_like(held, sent):
    """`held` without the keys `sent` lacks whose values the service adds by itself; any
    other key stays and so shows as a difference. List items are paired by their id
    (`intent`, `dialog_node`, `text`...), so the service's order does not matter."""
    if isinstance(held, dict) and isinstance(sent, dict):
        return {
            k: _shaped_like(v, sent[k]) if k in sent else v
            for k, v in held.items()
            if k in sent or not _service_added(k, v)
        }
    if isinstance(held, list) and isinstance(sent, list):
        key = _id_key(held, sent)
        if key:
            by_id = {item[key]: item for item in sent}
            return [_shaped_like(h, by_id[h[key]]) if h[key] in by_id else h for h in held]
        if len(held) == len(sent):
            return [_shaped_like(h, s) for h, s in zip(held, sent)]
    return held


def _id_key(*lists) -> str | None:
    items = [item for items in lists for item in items]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    for key in ID_KEYS:
        values = [item.get(key) for item in items]
        if all(isinstance(v, str) for v in values):
            if all(len({i[key] for i in group}) == len(group) for group in lists):
                return key
    return None

"""What the fields of a source file that the code reads must be, per format and file (issue 11).

A source tree comes from a pull request. Code that orders dialog nodes by `parent`, keys
items by their id or picks a format by `format:` would crash on a list where a text
belongs; so every command checks, before it uses a file, that each field it reads has
the type it expects, and refuses a wrong one with `path:line:col` (exit 2). The shapes
are data, declared once here: validate's AG103 reports the same mismatches as findings.

A shape is a tuple of types, `{key: shape}` for a mapping (only the keys named are
checked; others pass as they are), or `ListOf(shape)`. `None` (null) always passes for
a field: the code treats it as an absent field.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import InputError

TEXT = (str,)
MAP = (dict,)
LIST = (list,)
BOOL = (bool,)
SCALAR = (str, int, float, bool)


@dataclass(frozen=True)
class ListOf:
    item: object


_TYPE_NAMES = {str: "text", dict: "a mapping", list: "a list", bool: "true or false", int: "a number", float: "a number"}

# -- Watson Assistant skills: the fields the format, diff, validate and remote code read ----------
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
WATSON_SHAPES = {
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
_WATSON_FILES = {"skill.yaml": "skill", "counterexamples.yaml": "counterexamples", "webhooks.yaml": "webhooks"}
ZIP_ROOT_SHAPE = {"format": TEXT, "members": ListOf(TEXT)}
ZIP_PARTS = {"actions": "watson-actions", "dialog": "watson-dialog"}

# -- Avaamo: agent.yaml, the one file whose fields the code reads (files/ is Avaamo's own JSON) -----
_NAME_PART = (str, int)
AVAAMO_ROOT_SHAPE = {
    "format": TEXT,
    "name": _NAME_PART,
    "agent_id": _NAME_PART,
    "timestamp": _NAME_PART,
    "exported_at": TEXT,
    "platform_version": SCALAR,
    "platform_version_from": TEXT,
    "archive_comment": TEXT,
    "members": ListOf({"name": TEXT, "kind": TEXT, "file": TEXT, "compression": TEXT}),
}


def shape_for(format_name: str, rel: str):
    """The shape of the file `rel` of a tree of this format, or None when the code reads none of it."""
    if format_name in ("watson-dialog", "watson-actions"):
        kind = _WATSON_FILES.get(rel) or (rel.split("/", 1)[0] if "/" in rel else None)
        return WATSON_SHAPES.get(kind) if kind else None
    if format_name == "watson-assistant-zip":
        if rel == "assistant.yaml":
            return ZIP_ROOT_SHAPE
        part, _, inner = rel.partition("/")
        return shape_for(ZIP_PARTS[part], inner) if part in ZIP_PARTS and inner else None
    if format_name == "avaamo-agent":
        return AVAAMO_ROOT_SHAPE if rel == "agent.yaml" else None
    return None


def problems(shape, data, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(key path, message) for every field of `data` that does not fit `shape`."""
    if isinstance(shape, dict):
        if not isinstance(data, dict):
            if not path:
                return  # the file holds no mapping: the format (or AG102) says so, in its words
            yield path, f"'{_dotted(path)}' must be a mapping"
            return
        for key, inner in shape.items():
            value = data.get(key)
            if value is not None:
                yield from problems(inner, value, (*path, key))
    elif isinstance(shape, ListOf):
        if not isinstance(data, list):
            yield path, f"'{_dotted(path)}' must be a list"
            return
        for index, item in enumerate(data):
            if item is None or not _fits(shape.item, item):
                yield from _item_problem(shape.item, item, (*path, index))
    elif not isinstance(data, shape) or (bool not in shape and isinstance(data, bool)):
        if path:
            yield path, f"'{_dotted(path)}' must be {_type_name(shape)}, not {_describe(data)}"


def _fits(shape, item) -> bool:
    return next(problems(shape, item, ("x",)), None) is None


def _item_problem(shape, item, path: tuple):
    if isinstance(shape, dict) and isinstance(item, dict):
        yield from problems(shape, item, path)
    else:
        what = "a mapping" if isinstance(shape, dict) else "a list" if isinstance(shape, ListOf) else _type_name(shape)
        yield path, f"each item of '{_dotted(path[:-1])}' must be {what}, not {_describe(item)}"


def _dotted(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else ("." if i else "") + str(p) for i, p in enumerate(path))


def _type_name(types: tuple) -> str:
    names = []
    for kind in types:
        name = _TYPE_NAMES.get(kind, kind.__name__)
        if name not in names:
            names.append(name)
    return " or ".join(names)


def _describe(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {str: "text", dict: "a mapping", list: "a list"}.get(type(value), "a number")


def first_problem(format_name: str, rel: str, data) -> tuple[tuple, str] | None:
    shape = shape_for(format_name, rel)
    return None if shape is None else next(problems(shape, data), None)


def check(format_name: str, rel: str, data, text: str, where) -> None:
    """Raise `where:line:col: message` (InputError) for the first field of `data` of the wrong type."""
    found = first_problem(format_name, rel, data)
    if found is not None:
        key_path, message = found
        raise located(where, text, key_path, message)


def located(where, text: str, key_path: tuple, message: str) -> InputError:
    """An InputError naming the line and column of `key_path` in the file's text."""
    from .. import canonical

    line, column = canonical.locate(text, key_path)
    return InputError(f"{where}:{line}:{column}: {message}")

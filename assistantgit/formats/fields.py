"""The types of the fields the code reads, checked before use (issue 11).

A source tree comes from a pull request. Code that orders dialog nodes by `parent`, keys
items by their id or picks a format by `format:` would crash on a list where a text
belongs; so every command checks, before it uses a file, that each field it reads has
the type it expects, and refuses a wrong one with `path:line:col` (exit 2). The shapes
are data, declared by each format (`Format.field_shapes`, per file kind: "skill" for the
root file, a collection's folder, a list file's kind); validate's AG103 reports the same
mismatches as findings.

A shape is a tuple of types, `{key: shape}` for a mapping (only the keys named are
checked; others pass as they are), or `ListOf(shape)`. `None` (null) always passes for
a field: the code treats it as an absent field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeGuard

from ..errors import InputError
from .base import Format, PartedFormat

TEXT = (str,)
MAP = (dict,)
LIST = (list,)
BOOL = (bool,)
SCALAR = (str, int, float, bool)


@dataclass(frozen=True)
class ListOf:
    item: Any


_TYPE_NAMES = {
    str: "text",
    dict: "a mapping",
    list: "a list",
    bool: "true or false",
    int: "a number",
    float: "a number",
}


def kind_of(fmt: Format, rel: str) -> str | None:
    """The kind of a tree file as the shapes name it, or None for a file no shape covers."""
    if rel == fmt.root_file:
        return "skill"
    for list_file in fmt.list_files:
        if rel == list_file.file:
            return list_file.kind
    folder = rel.split("/", 1)[0]
    return folder if "/" in rel and any(c.folder == folder for c in fmt.collections) else None


_PARTED: dict[int, tuple[Format, bool]] = {}


def _parted(fmt: Format) -> TypeGuard[PartedFormat]:
    """isinstance(fmt, PartedFormat), remembered per format: a Protocol's isinstance inspects
    its attributes every time, 2.5 s for the 16,883 files of a push."""
    known = _PARTED.get(id(fmt))
    if known is None or known[0] is not fmt:
        known = _PARTED[id(fmt)] = (fmt, isinstance(fmt, PartedFormat))
    return known[1]


def shape_for(fmt: Format, rel: str):
    """The shape of the file `rel` of a tree of this format, or None when the code reads none of it."""
    if _parted(fmt):
        part, _, inner = rel.partition("/")
        if inner and part in fmt.parts:
            return shape_for(fmt.parts[part], inner)
    kind = kind_of(fmt, rel)
    return fmt.field_shapes.get(kind) if kind is not None else None


def shape_finder(fmt: Format) -> Callable[[str], Any]:
    """shape_for(fmt, rel) for the many files of one tree: a collection's shape is looked up
    once, not per file (2.5 us a file, 17k files on every push)."""
    if _parted(fmt):
        return lambda rel: shape_for(fmt, rel)
    named = {fmt.root_file, *(list_file.file for list_file in fmt.list_files)}  # what kind_of names first
    by_folder = {c.folder: fmt.field_shapes.get(c.folder) for c in fmt.collections}

    def find(rel: str):
        folder, slash, _ = rel.partition("/")
        if slash and folder in by_folder and rel not in named:
            return by_folder[folder]
        return shape_for(fmt, rel)

    return find


def problems(shape, data, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """(key path, message) for every field of `data` that does not fit `shape`."""
    if isinstance(shape, dict):
        if not isinstance(data, dict):
            if not path:
                return  # the file holds no mapping: the format (or AG102) says so, in its words
            yield path, f"'{_dotted(path)}' must be a mapping, not {_describe(data)}"
            return
        for key, inner in shape.items():
            value = data.get(key)
            if value is not None:
                yield from problems(inner, value, (*path, key))
    elif isinstance(shape, ListOf):
        if not isinstance(data, list):
            if path:
                yield path, f"'{_dotted(path)}' must be a list, not {_describe(data)}"
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
    names: list[str] = []
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
    names: dict[type, str] = {str: "text", dict: "a mapping", list: "a list"}
    return names.get(type(value), "a number")


def check(fmt: Format, rel: str, data, text: str, where) -> None:
    """Raise `where:line:col: message` (InputError) for the first field of `data` of the wrong type."""
    shape = shape_for(fmt, rel)
    if shape is not None:
        check_shape(shape, data, text, where)


def fits(shape, data) -> bool:
    """True when `data` fits `shape` for sure (then `problems` finds nothing): the common
    case, answered without a generator per field (17k files on every push). False means
    "ask `problems`", which also knows what a misfit at the top of a file means."""
    if isinstance(shape, dict):
        if type(data) is not dict:
            return False
        if len(data) < len(shape):  # walk the fewer: a dialog node's shape has 19 fields, a node ~8
            for key, value in data.items():
                inner = shape.get(key)
                if inner is None or value is None:
                    continue
                if type(inner) is tuple:  # most fields: a scalar, checked here rather than in a call
                    if not isinstance(value, inner) or (bool not in inner and isinstance(value, bool)):
                        return False
                elif not fits(inner, value):
                    return False
            return True
        for key, inner in shape.items():
            value = data.get(key)
            if value is None:
                continue
            if type(inner) is tuple:
                if not isinstance(value, inner) or (bool not in inner and isinstance(value, bool)):
                    return False
            elif not fits(inner, value):
                return False
        return True
    if isinstance(shape, ListOf):
        if type(data) is not list:
            return False
        item = shape.item
        return all(value is not None and fits(item, value) for value in data)
    return isinstance(data, shape) and (bool in shape or not isinstance(data, bool))


def check_shape(shape, data, text: str, where) -> None:
    if fits(shape, data):
        return
    found = next(problems(shape, data), None)
    if found is not None:
        key_path, message = found
        raise located(where, text, key_path, message)


def located(where, text: str, key_path: tuple, message: str) -> InputError:
    """An InputError naming the line and column of `key_path` in the file's text."""
    from .. import canonical

    line, column = canonical.locate(text, key_path)
    return InputError.at(where, message, line, column)

"""Field-level differences between two versions of one item, computed with deepdiff.

Set-like arrays (examples, entity values, synonyms: each Collection's `set_like`) are
first turned into mappings keyed by their elements' names, so an added example reads as
one example added, never as a shifted list; arrays whose order means something are
compared in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from ..canonical import canonical_json


@dataclass
class Detail:
    """One field-level difference inside an item."""

    field: str  # readable path: "examples", "values[Toronto].synonyms", "position"
    change: str  # added | removed | changed | moved
    before: Any = None
    after: Any = None

    def to_json(self) -> dict:
        return {"field": self.field, "change": self.change, "before": self.before, "after": self.after}


def _element_key(element, key_field):
    if isinstance(element, str):
        return element
    if key_field and isinstance(element, dict) and isinstance(element.get(key_field), str):
        return element[key_field]
    return canonical_json(element)


def keyed(value, spec: dict, path: tuple = ()):
    """Turn the set-like arrays named in `spec` into mappings keyed by their elements' names."""
    if isinstance(value, dict):
        return {k: keyed(v, spec, path + (k,)) for k, v in value.items()}
    if isinstance(value, list):
        if path in spec:  # elements of a set-like array continue the path with '*'
            key_field = spec[path]
            return _SetLike({_element_key(e, key_field): keyed(e, spec, path + ("*",)) for e in value})
        return [keyed(v, spec, path) for v in value]
    return value


class _SetLike(dict):
    """A set-like array seen as a mapping; its keys print as [key]."""


def _plain(value):
    """Keyed data back to what the files hold (for before/after values)."""
    if isinstance(value, _SetLike):
        return [_plain(v) for v in value.values()]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _field_name(steps: list, holders: list) -> str:
    text = ""
    for step, holder in zip(steps, holders):
        if isinstance(step, int) or isinstance(holder, _SetLike):
            text += f"[{step}]"
        else:
            text += ("." if text else "") + str(step)
    return text


def _deepdiff():
    """deepdiff's DeepDiff, imported without pydantic when nothing imported it yet: deepdiff
    only looks for pydantic models (none in an export) and falls back when it is missing,
    and importing pydantic was most of deepdiff's 0.15-0.45 s import. cachebox (which
    imports asyncio, 70-85 ms) is imported only if deepdiff makes a cache: it makes one only
    for a `cache_size`, which diff never gives."""
    import sys

    block = "pydantic" not in sys.modules
    if block:
        sys.modules["pydantic"] = None  # type: ignore[assignment]  # import pydantic raises ImportError
    stub = _LazyCachebox("cachebox") if "cachebox" not in sys.modules else None
    if stub is not None:
        sys.modules["cachebox"] = stub
    try:
        from deepdiff import DeepDiff
    finally:
        if block and sys.modules.get("pydantic", False) is None:
            del sys.modules["pydantic"]  # whoever imports it later gets the real one
        if stub is not None and sys.modules.get("cachebox") is stub:
            del sys.modules["cachebox"]  # likewise
    return DeepDiff


class _LazyCachebox(ModuleType):
    """Stands for cachebox while deepdiff is imported: a name taken from it imports the
    real module when it is used, not before."""

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)

        def later(*args, **kwargs):
            import importlib

            return getattr(importlib.import_module("cachebox"), name)(*args, **kwargs)

        return later


def field_details(old, new, spec: dict | None = None) -> list[Detail]:
    """Field-level differences between two versions of one item, computed with deepdiff."""
    DeepDiff = _deepdiff()

    spec = spec or {}
    left, right = keyed(old, spec), keyed(new, spec)
    if left == right:
        return []
    details = []
    if isinstance(left, dict) and isinstance(right, dict) and not (left and right):
        # a whole item added or removed (deepdiff reports {} -> {...} as one value change)
        change, whole = ("added", right) if right else ("removed", left)
        for key, value in whole.items():
            elements = value.items() if isinstance(value, _SetLike) else [(None, value)]
            for element_key, element in elements:
                name = key if element_key is None or isinstance(element, str) else f"{key}[{element_key}]"
                element = _plain(element)
                details.append(
                    Detail(name, change, None if change == "added" else element, element if change == "added" else None)
                )
        return details
    # threshold 0: always name the keys, even when two mappings share few of them
    tree = DeepDiff(left, right, view="tree", verbose_level=2, threshold_to_diff_deeper=0)
    for report, change in (
        ("dictionary_item_added", "added"),
        ("iterable_item_added", "added"),
        ("dictionary_item_removed", "removed"),
        ("iterable_item_removed", "removed"),
        ("values_changed", "changed"),
        ("type_changes", "changed"),
        ("set_item_added", "added"),
        ("set_item_removed", "removed"),
    ):
        for level in tree.get(report, ()):
            steps = level.path(output_format="list")
            holders = _holders(left if change != "added" else right, steps)
            if change in ("added", "removed") and steps and isinstance(holders[-1], (_SetLike, list)):
                # one element of a set-like array or list: name the array (and the element, when it
                # is more than a text), show the element
                element = level.t2 if change == "added" else level.t1
                named = isinstance(holders[-1], list) or not isinstance(element, str)
                name = _field_name(steps if named else steps[:-1], holders if named else holders[:-1]) or "(item)"
            else:
                name = _field_name(steps, holders) or "(item)"
            before = None if change == "added" else _plain(level.t1)
            after = None if change == "removed" else _plain(level.t2)
            details.append(Detail(name, change, before, after))
    return sorted(
        details,
        key=lambda d: (
            d.field,
            ("removed", "added", "changed").index(d.change) if d.change in ("removed", "added", "changed") else 3,
            canonical_json([d.before, d.after]),
        ),
    )


def _holders(data, steps: list) -> list:
    """The container each step of a path indexes into."""
    holders = []
    for step in steps:
        holders.append(data)
        try:
            data = data[step]
        except (KeyError, IndexError, TypeError):
            data = None
    return holders

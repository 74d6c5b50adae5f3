"""Helpers the rule modules share: walking intents wherever they live."""

from __future__ import annotations

from .._scan import normalized, normalized_all  # noqa: F401  (the rules compare examples so)


def intent_docs(tree, selected_only: bool = True):
    """(source, intent mapping, key path prefix) for intent files and actions' inline intents."""
    for source in tree.of_kind("intents", selected_only):
        data = tree.mapping(source)
        if data is not None and isinstance(data.get("intent"), str):
            yield source, data, ()
    for source in tree.of_kind("actions", selected_only):
        data = tree.mapping(source)
        inline = data.get("intent") if data is not None else None
        if isinstance(inline, dict) and isinstance(inline.get("intent"), str):
            yield source, inline, ("intent",)


def entity_docs(tree):
    for source in tree.of_kind("entities"):
        data = tree.mapping(source)
        if data is not None and isinstance(data.get("entity"), str):
            yield source, data


def node_docs(tree):
    for source in tree.of_kind("dialog_nodes"):
        data = tree.mapping(source)
        if data is not None and isinstance(data.get("dialog_node"), str):
            yield source, data


def list_field(mapping: dict, key: str) -> list:
    """mapping[key] when it is a list, else nothing to walk: AG103 reports the wrong type
    once; every other rule walks past it (`synonyms: 1` once ended validate in a crash)."""
    value = mapping.get(key)
    return value if isinstance(value, list) else []

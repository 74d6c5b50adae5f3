"""Helpers the rule modules share: walking intents wherever they live."""

from __future__ import annotations


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


def normalized(text) -> str:
    """How the classifier compares utterances: case and runs of spaces do not count."""
    folded = str(text).casefold()
    # Most texts have single spaces only: every other white space character is unprintable.
    if folded.isprintable() and "  " not in folded and folded[:1] != " " and folded[-1:] != " ":
        return folded
    return " ".join(folded.split())


def normalized_all(texts: list) -> list:
    """`normalized` of each text: one casefold of them all joined (casefold maps each character
    alone), white space collapsed only in the texts that need it. A tree's 100,000 examples
    pay once instead of text by text."""
    joined = "\n".join(texts)
    lines = len(texts) - 1
    if not texts or joined.count("\n") != lines:  # a text holds a line break: each alone
        return [normalized(text) for text in texts]
    folded = joined.casefold()
    if folded.count("\n") != lines:
        return [normalized(text) for text in texts]
    parts = folded.split("\n")
    if (
        "  " not in folded
        and " \n" not in folded
        and "\n " not in folded
        and folded[:1] != " "
        and folded[-1:] != " "
        and folded.replace("\n", "").isprintable()
    ):
        return parts
    return [
        part
        if part.isprintable() and "  " not in part and part[:1] != " " and part[-1:] != " "
        else " ".join(part.split())
        for part in parts
    ]

"""AG4xx: `#intent`, `@entity` and `@entity:value` in dialog conditions name things the
skill defines. Warnings: a condition may name an intent on purpose before it exists."""

from __future__ import annotations

import re

from .._core import WARNING, rule
from ._common import node_docs

_STRINGS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")
_INTENT = re.compile(r"(?<![\w.@#$])#([\w.\-]*[\w\-])")
_ENTITY = re.compile(r"(?<![\w.@#$])@([\w\-]+)(?::(?:\(([^)]*)\)|([\w\-]+)))?")
SYSTEM_PREFIX = "sys-"


def references(condition: str):
    """(intents, [(entity, value or None)]) named in a condition, string literals skipped."""
    bare = _STRINGS.sub("''", condition)
    intents = _INTENT.findall(bare)
    entities = [(m.group(1), m.group(2) if m.group(2) is not None else m.group(3)) for m in _ENTITY.finditer(bare)]
    return intents, entities


def _conditions(tree):
    for source, node in node_docs(tree):
        condition = node.get("conditions")
        if isinstance(condition, str) and condition:
            yield source.rel, condition


@rule("AG401", WARNING, "a condition names an intent the skill does not define")
def known_intents(tree):
    for rel, condition in _conditions(tree):
        for name in sorted(set(references(condition)[0])):
            if name not in tree.intents and not tree.incomplete("intents", "actions"):
                yield rel, ("conditions",), f"condition uses #{name}, but no intent '{name}' is defined"


@rule("AG402", WARNING, "a condition names an entity the skill does not define")
def known_entities(tree):
    for rel, condition in _conditions(tree):
        for name in sorted({e for e, _ in references(condition)[1]}):
            if not name.startswith(SYSTEM_PREFIX) and name not in tree.entities and not tree.incomplete("entities"):
                yield rel, ("conditions",), f"condition uses @{name}, but no entity '{name}' is defined"


@rule("AG403", WARNING, "a condition names an entity value the entity does not have")
def known_values(tree):
    for rel, condition in _conditions(tree):
        for name, value in sorted(set(references(condition)[1]), key=str):
            if value is None or name.startswith(SYSTEM_PREFIX) or name not in tree.entities:
                continue
            values = set().union(*(v for _, v in tree.entities[name]))
            if value not in values:
                yield (
                    rel,
                    ("conditions",),
                    f"condition uses @{name}:{value}, but entity '{name}' has no value '{value}'",
                )

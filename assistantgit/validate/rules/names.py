"""AG2xx: names and texts the vendor accepts (limits cited in docs/rules.md)."""

from __future__ import annotations

import json
import re

from ...formats.watson.common import limit_problem
from .._core import ERROR, rule
from ._common import entity_docs, intent_docs, list_field, node_docs

INTENT_NAME = re.compile(r"[\w.\-]+")  # Unicode letters and digits, '_', '-', '.'
ENTITY_NAME = re.compile(r"[\w\-]+")  # Unicode letters and digits, '_', '-'
NODE_ID = re.compile(r"[\w .\-]+")  # Unicode letters and digits, ' ', '_', '-', '.'
MAX_INTENT = 128
MAX_ENTITY = 64
RESERVED = "sys-"
# The system entities a skill may switch on by listing them (dialog and actions skills).
SYSTEM_ENTITIES = frozenset(
    {
        "sys-currency",
        "sys-date",
        "sys-date-range",
        "sys-duration",
        "sys-email",
        "sys-location",
        "sys-number",
        "sys-organization",
        "sys-percentage",
        "sys-person",
        "sys-phone-number",
        "sys-time",
        "sys-url",
        "sys-yes-no",
    }
)
_BAD_TEXT = re.compile(r"[\r\n\t]")


@rule("AG201", ERROR, "an intent name with characters the vendor refuses")
def intent_characters(tree):
    for source, intent, prefix in intent_docs(tree):
        name = intent["intent"]
        if not INTENT_NAME.fullmatch(name):
            bad = sorted({c for c in name if not INTENT_NAME.fullmatch(c)})
            yield (
                source.rel,
                (*prefix, "intent"),
                (
                    f"intent name '{name}' has {' '.join(repr(c) for c in bad)}: only letters, digits, '_', '-' and '.' are allowed"
                ),
            )


@rule("AG202", ERROR, "an intent name starting with the reserved prefix sys-")
def intent_reserved(tree):
    for source, intent, prefix in intent_docs(tree):
        if intent["intent"].lower().startswith(RESERVED):
            yield (
                source.rel,
                (*prefix, "intent"),
                f"intent name '{intent['intent']}' starts with the reserved prefix 'sys-'",
            )


@rule("AG203", ERROR, "an intent name longer than 128 characters")
def intent_length(tree):
    for source, intent, prefix in intent_docs(tree):
        if len(intent["intent"]) > MAX_INTENT:
            yield (
                source.rel,
                (*prefix, "intent"),
                (f"intent name is {len(intent['intent'])} characters; the limit is {MAX_INTENT}"),
            )


@rule("AG204", ERROR, "an entity name with characters the vendor refuses")
def entity_characters(tree):
    for source, entity in entity_docs(tree):
        name = entity["entity"]
        if not ENTITY_NAME.fullmatch(name):
            bad = sorted({c for c in name if not ENTITY_NAME.fullmatch(c)})
            yield (
                source.rel,
                ("entity",),
                (
                    f"entity name '{name}' has {' '.join(repr(c) for c in bad)}: only letters, digits, '_' and '-' are allowed"
                ),
            )


@rule("AG205", ERROR, "a user entity using the sys- prefix that system entities own")
def entity_reserved(tree):
    for source, entity in entity_docs(tree):
        name = entity["entity"]
        if name.lower().startswith(RESERVED) and name not in SYSTEM_ENTITIES:
            yield (
                source.rel,
                ("entity",),
                (
                    f"entity '{name}' is not a system entity, but the 'sys-' prefix is reserved for system entities; rename it"
                ),
            )


@rule("AG206", ERROR, "an entity name longer than 64 characters")
def entity_length(tree):
    for source, entity in entity_docs(tree):
        if len(entity["entity"]) > MAX_ENTITY:
            yield (
                source.rel,
                ("entity",),
                f"entity name is {len(entity['entity'])} characters; the limit is {MAX_ENTITY}",
            )


def _skill_texts(tree):
    for source in tree.of_kind("skill"):
        data = tree.mapping(source)
        if data is None:
            continue
        for part in ("workspace", "envelope"):
            if isinstance(data.get(part), dict):
                yield source, part, data[part]


@rule("AG207", ERROR, "a skill name longer than 100 characters")
def skill_name(tree):
    for source, part, doc in _skill_texts(tree):
        problem = limit_problem(doc, "name")
        if problem:
            yield source.rel, (part, "name"), problem


@rule("AG208", ERROR, "a skill description longer than 200 characters")
def skill_description(tree):
    for source, part, doc in _skill_texts(tree):
        problem = limit_problem(doc, "description")
        if problem:
            yield source.rel, (part, "description"), problem


# Ids NODE_ID accepts, one a line: every id of a tree checked in one match.
_NODE_IDS = re.compile(r"[\w .\-]+(?:\n[\w .\-]+)*")


def node_ids_allowed(ids: list) -> bool:
    """Whether NODE_ID accepts every id (texts), in one match over them all (a push checks
    13,500); a line break within an id makes the count of lines differ: False, as NODE_ID says."""
    if not ids:
        return True
    joined = "\n".join(ids)
    return joined.count("\n") == len(ids) - 1 and _NODE_IDS.fullmatch(joined) is not None


@rule("AG209", ERROR, "a dialog node id with characters the vendor refuses")
def node_id(tree):
    # a whole-tree run's node ids are those of the node facts the dialog rules read (AG3xx)
    if tree.whole and node_ids_allowed([f.ident for f in tree.nodes if isinstance(f.ident, str)]):
        return
    for source, node in node_docs(tree):
        ident = node["dialog_node"]
        if not NODE_ID.fullmatch(ident):
            yield (
                source.rel,
                ("dialog_node",),
                (f"dialog node id '{ident}' may hold only letters, digits, spaces, '_', '-' and '.'"),
            )


def _texts(tree):
    """(rel, key path, text, what) of every example, entity value, synonym and counterexample
    of the lists that may hold a bad one: the others (nearly all) are passed whole (_all_clean)."""
    for source, intent, prefix in intent_docs(tree):
        examples = list_field(intent, "examples")
        if _all_clean(examples) or _all_clean(_example_texts(examples)):
            continue
        for index, example in enumerate(examples):
            yield source.rel, (*prefix, "examples", index), _text_of(example), "example"
    for source, entity in entity_docs(tree):
        values = list_field(entity, "values")
        if _all_clean(_value_texts(values)):
            continue
        for index, value in enumerate(values):
            if isinstance(value, dict):
                yield source.rel, ("values", index, "value"), value.get("value"), "entity value"
                for position, synonym in enumerate(list_field(value, "synonyms")):
                    yield source.rel, ("values", index, "synonyms", position), synonym, "synonym"
    for source in tree.of_kind("counterexamples"):
        data = source.load()
        items = data if isinstance(data, list) else []
        if _all_clean(_example_texts(items)):
            continue
        for index, item in enumerate(items):
            yield source.rel, (index,), _text_of(item), "counterexample"


def _text_of(item):
    return item.get("text") if isinstance(item, dict) else item


def _example_texts(examples: list) -> list:
    """_text_of of each example, a text taken as it is without a call (most examples are)."""
    return [e if type(e) is str else e.get("text") if isinstance(e, dict) else e for e in examples]


def _value_texts(values: list) -> list:
    texts = []
    for value in values:
        if isinstance(value, dict):
            texts.append(value.get("value"))
            texts.extend(list_field(value, "synonyms"))
    return texts


def _all_clean(texts: list) -> bool:
    """True when every item is a text AG210 has nothing to say about (not blank, no line
    break or tab): checked in one go, as a tree's 140,000 texts are on every run. Anything
    else (an item that is not a text included) is looked at item by item."""
    try:
        if not all(map(str.strip, texts)):
            return False
        joined = " ".join(texts)
    except TypeError:
        return False
    return "\n" not in joined and "\r" not in joined and "\t" not in joined  # _BAD_TEXT, each a memchr


@rule("AG210", ERROR, "an example, value or synonym that is blank or holds a line break or tab")
def text_content(tree):
    for rel, path, text, what in _texts(tree):
        if not isinstance(text, str):
            continue
        if not text.strip():
            yield rel, path, f"an empty {what}: the vendor refuses text made only of spaces"
        elif _BAD_TEXT.search(text):
            shown = json.dumps(text.strip()[:40], ensure_ascii=False)
            yield rel, path, f"{what} {shown} holds a line break or tab, which the vendor refuses"


# The language codes of watsonx Assistant's 13 language-specific models and of its universal
# model ("xx"), as docs/rules.md cites them; the service refuses a skill in any other.
LANGUAGES = frozenset({"ar", "cs", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pt-br", "zh-cn", "zh-tw", "xx"})


@rule("AG211", ERROR, "a skill language the service does not know")
def skill_language(tree):
    for source, part, doc in _skill_texts(tree):
        language = doc.get("language")
        if language is None:
            continue
        if not isinstance(language, str) or language.lower() not in LANGUAGES:
            yield (
                source.rel,
                (part, "language"),
                f"language {json.dumps(language, ensure_ascii=False)} is not one the service knows "
                f"({', '.join(sorted(LANGUAGES))}; xx is the universal model)",
            )

"""AG103 passes an intent whose examples are all texts or mappings with a text in one go
(a tree's 110,000 examples on every push), and an entity value that fits its shape and
lists only texts (40,000 synonyms): compared here with its loops, item by item."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.formats.fields import problems
from assistantgit.validate.rules import structure
from assistantgit.validate.rules._common import list_field
from testing.profile import examples


class _Mapping(dict):
    """A dict of another type (ruamel.yaml reads a mapping as one): taken by the loop."""


class _Text(str):
    """A str of another type: taken by the loop."""


texts = st.sampled_from(["hello", "", " x "])
example = st.one_of(
    texts,
    texts.map(_Text),
    texts.map(lambda text: {"text": text}),
    texts.map(lambda text: _Mapping(text=text)),
    texts.map(lambda text: {"text": _Text(text), "mentions": []}),
    st.sampled_from([None, 5, True, [], {}, {"text": None}, {"text": 5}, {"mentions": []}]),
)


def _plain(intent: dict) -> list:
    """AG103's example check as first written: every example looked at."""
    examples = intent.get("examples")
    if not isinstance(examples, list):
        return []
    return [
        ("f", ("examples", index), "an example must be text (or a mapping with 'text')")
        for index, item in enumerate(examples)
        if not isinstance(item, str) and not (isinstance(item, dict) and isinstance(item.get("text"), str))
    ]


@settings(max_examples=examples(600), deadline=None)
@given(st.one_of(st.lists(example, max_size=6), st.none(), texts))
def test_examples_found_as_item_by_item(listed):
    intent = {"intent": "a", "examples": listed}
    assert list(structure._examples("f", intent, ())) == _plain(intent)


value_item = st.one_of(texts, texts.map(_Text), st.sampled_from([None, 3, True, [], {}]))
entity_value = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "value": st.one_of(texts, st.none(), st.just(1)),
            "type": st.sampled_from(["synonyms", None, 2]),
            "synonyms": st.one_of(st.lists(value_item, max_size=4), texts, st.none()),
            "patterns": st.one_of(st.lists(value_item, max_size=3), st.just({})),
            "metadata": st.sampled_from([{}, None, "x", []]),
        },
    ).map(lambda value: _Mapping(value) if value.get("type") == 2 else value),
    st.sampled_from([None, "x", []]),
)


def _plain_values(rel: str, values: list) -> list:
    """AG103 on an entity's values as first written: every value's fields and every item."""
    found = []
    for index, value in enumerate(values):
        if not isinstance(value, dict):
            found.append((rel, ("values", index), "an entity value must be a mapping with 'value'"))
            continue
        if "value" not in value:
            found.append((rel, ("values", index), "an entity value needs 'value'"))
        for key_path, message in problems(structure.VALUE_TYPES, value, ("values", index)):
            found.append((rel, key_path, message))
        for key in ("synonyms", "patterns"):
            for position, item in enumerate(list_field(value, key)):
                if not isinstance(item, str):
                    found.append((rel, ("values", index, key, position), f"each of '{key}' must be text"))
    return found


class _Source:
    rel, kind, fits = "entities/e.yaml", "entities", None

    def __init__(self, data):
        self.data = data

    def load(self):
        return self.data


class _Format:
    """A format with no field shapes: only the entity values' own checks run."""

    def __init__(self):
        self.field_shapes: dict = {}


class _Tree:
    def __init__(self, data):
        self.source = _Source(data)
        self.fmt = _Format()

    def yaml_selected(self, known_only=False):
        return [self.source]


@settings(max_examples=examples(600), deadline=None)
@given(st.lists(entity_value, max_size=5))
def test_entity_values_found_as_item_by_item(values):
    found = list(structure.field_types(_Tree({"entity": "e", "values": values})))
    assert found == _plain_values("entities/e.yaml", values)

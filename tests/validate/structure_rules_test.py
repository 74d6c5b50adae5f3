"""AG103 passes an intent whose examples are all texts or mappings with a text in one go
(a tree's 110,000 examples on every push): compared here with its loop, item by item."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.validate.rules import structure
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


@settings(max_examples=examples(1500), deadline=None)
@given(st.one_of(st.lists(example, max_size=6), st.none(), texts))
def test_examples_found_as_item_by_item(listed):
    intent = {"intent": "a", "examples": listed}
    assert list(structure._examples("f", intent, ())) == _plain(intent)

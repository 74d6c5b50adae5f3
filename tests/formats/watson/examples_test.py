"""formats.watson.common: an intent's examples made into their source form in one pass
(issue 14), against the definition: each example's source form, then sort_items."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.formats.collection import sort_items
from assistantgit.formats.watson.common import example_to_source, examples_to_source
from testing.paths import SAMPLE_REPO, corpus_files
from testing.profile import examples

words = st.text(alphabet=st.sampled_from("aAbé 🙂\u0000"), max_size=4)
mentions = st.lists(st.fixed_dictionaries({"entity": words}, optional={"location": st.lists(st.integers(0, 9))}))
example = st.one_of(
    st.fixed_dictionaries({"text": words}),
    st.fixed_dictionaries({"text": st.one_of(words, st.integers(0, 2), st.none())}),
    st.fixed_dictionaries(
        {"text": words},
        optional={"mentions": mentions, "created": words, "updated": words, "x": st.integers(0, 2)},
    ),
    st.fixed_dictionaries({}, optional={"mentions": mentions, "created": words}),
    words,
    st.integers(0, 2),
    st.none(),
)


def by_definition(items: list) -> list:
    return sort_items([example_to_source(item) for item in items], "text")


@settings(max_examples=examples(600), deadline=None)
@given(st.lists(example))
def test_examples_are_each_made_source_then_sorted(items):
    """Texts beside mappings of the same text, audit fields, mentions, wrong types."""
    assert examples_to_source(items) == by_definition(items)


def test_genuine_intents_give_the_definitions_examples():
    exports = sorted((SAMPLE_REPO / "exports").glob("*.json")) + corpus_files("dialog") + corpus_files("actions")
    checked = 0
    for path in exports:
        data = json.loads(path.read_bytes())
        workspace = data.get("workspace", data) if isinstance(data, dict) else {}
        for intent in workspace.get("intents") or []:
            if isinstance(intent, dict) and isinstance(intent.get("examples"), list):
                assert examples_to_source(intent["examples"]) == by_definition(intent["examples"]), path.name
                checked += 1
    assert checked > 0

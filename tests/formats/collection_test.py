"""formats.collection: the order pull gives a set-like array."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from assistantgit.canonical import canonical_json
from assistantgit.formats.collection import sort_expanded, sort_items
from testing.profile import examples

words = st.text(alphabet=st.sampled_from("aAbé 🙂\u0000"), max_size=4)
items = st.lists(st.one_of(words, st.fixed_dictionaries({"text": words}, optional={"x": st.integers(0, 2)})))


@settings(max_examples=examples(400), deadline=None)
@given(st.one_of(st.lists(words), items))
def test_sort_items_is_the_order_of_natural_key_then_content(values):
    """The definition; a list of texts only is sorted in one plain sort (issue 14)."""

    def key(item):
        if isinstance(item, str):
            return (item, "")
        return (str(item.get("text", "")), canonical_json(item))

    assert sort_items(values, "text") == sorted(values, key=key)


@settings(max_examples=examples(400), deadline=None)
@given(items)
def test_sort_expanded_is_sort_items_of_the_texts_made_mappings(values):
    """An intent's examples from the source: each text t as {"text": t}, ties (a text beside
    a mapping of the same text) broken by content as sort_items breaks them."""
    expanded = [{"text": item} if isinstance(item, str) else item for item in values]
    assert sort_expanded(values, "text") == sort_items(expanded, "text")
